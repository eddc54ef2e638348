package web_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// The election calendar from its page and its API: a community's days move
// its deadlines, a district is set at once, a bad pair is refused on its
// field with what was typed kept; a new cycle, made current, leaves the
// earlier one readable and read-only, from the page and the API alike.
func TestCalendarAndCycles(t *testing.T) {
	t.Parallel()
	plainDemo.each(t, func(t *testing.T, s *site) {
		admin := s.login("admin")
		office := s.onesOffice(admin, "office-qs01", "QS-01") // a district's own office

		// A community's days from the page: 303 to its page, deadlines moved.
		form := url.Values{"unit": {"QS-01-001"}, "party_day": {"2027-03-01"}, "residents_day": {"2027-03-29"}}
		res, body := s.call(admin, "POST", "/calendar/days", form.Encode(), nil)
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/calendar/QS-01-001" {
			t.Fatalf("set days: %d to %q: %s", res.StatusCode, res.Header.Get("Location"), body)
		}
		var one struct {
			Own       struct{ Party, Residents string } `json:"own_days"`
			Deadlines []struct {
				Stage, Deadline string
			} `json:"deadlines"`
		}
		s.getJSON(admin, "/api/v1/communities/QS-01-001/election-days", &one)
		if one.Own.Party != "2027-03-01" || one.Own.Residents != "2027-03-29" {
			t.Fatalf("own days %+v", one.Own)
		}
		deadline := map[string]string{}
		for _, d := range one.Deadlines {
			deadline[d.Stage] = d.Deadline
		}
		// party_congress is the party's vote (0), res_voters 20 days before the residents'.
		if deadline["party_congress"] != "2027-03-01" || deadline["res_voters"] != "2027-03-09" {
			t.Errorf("deadlines %v", deadline)
		}
		page := s.page(admin, "/calendar/QS-01-001")
		if !strings.Contains(page, "2027-03-09") || !strings.Contains(page, "本社区设定") {
			t.Errorf("the community's page does not show its deadlines")
		}

		// Residents before party: refused on the field, what was typed kept.
		bad := url.Values{"unit": {"QS-01-001"}, "party_day": {"2027-04-01"}, "residents_day": {"2027-03-29"}}
		s.refusedForm(admin, "/calendar/days", bad, http.StatusUnprocessableEntity, "residents_day")
		// A district at once, by its own office; the API twin answers how many.
		var set struct {
			Communities int  `json:"communities"`
			Community   bool `json:"community"`
		}
		res, body = s.call(nil, "PUT", "/api/v1/election-days", map[string]string{"unit": "QS-01", "party_day": "2027-01-09",
			"residents_day": "2027-01-30"}, bearer(s, "office-qs01"))
		if res.StatusCode != http.StatusOK || json.Unmarshal(body, &set) != nil || set.Communities < 2 || set.Community {
			t.Fatalf("district days: %d %s", res.StatusCode, body)
		}
		var cal struct {
			Items []struct {
				Code string
				Days struct{ Party, Residents string } `json:"days"`
			} `json:"items"`
			Total int `json:"total"`
		}
		s.getJSON(office, "/api/v1/calendar", &cal)
		if cal.Total != set.Communities || len(cal.Items) != set.Communities {
			t.Fatalf("district calendar %d of %d", len(cal.Items), set.Communities)
		}
		for _, it := range cal.Items {
			if it.Days.Residents != "2027-01-30" {
				t.Errorf("%s residents' day %s after the district's", it.Code, it.Days.Residents)
			}
		}
		// Another district's community is not the office's; a district team may not set days.
		res, body = s.call(nil, "PUT", "/api/v1/election-days", map[string]string{"unit": "QS-02-001", "party_day": "2027-01-09",
			"residents_day": "2027-01-30"}, bearer(s, "office-qs01"))
		wantError(t, res, body, http.StatusUnprocessableEntity, "unprocessable")
		res, body = s.call(nil, "PUT", "/api/v1/election-days", map[string]string{"unit": "QS-01-001", "party_day": "2027-01-09",
			"residents_day": "2027-01-30"}, bearer(s, "district1"))
		wantError(t, res, body, http.StatusForbidden, "forbidden")
		// Nor may a district's office open a cycle.
		res, body = s.call(nil, "POST", "/api/v1/cycles", map[string]string{"code": "2031", "name": "2031年"}, bearer(s, "office-qs01"))
		wantError(t, res, body, http.StatusForbidden, "forbidden")

		// Cycles: a new one, refused twice, then made current.
		s.refusedForm(admin, "/cycles", url.Values{"code": {"两千"}, "name": {"下一届"}}, http.StatusUnprocessableEntity, "code")
		res, body = s.call(admin, "POST", "/cycles", url.Values{"code": {"2031"}, "name": {"2031年社区两委换届"}}.Encode(), nil)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("add cycle: %d %s", res.StatusCode, body)
		}
		res, body = s.call(nil, "POST", "/api/v1/cycles/2031/current", nil, bearer(s, "admin"))
		if res.StatusCode != http.StatusOK {
			t.Fatalf("make current: %d %s", res.StatusCode, body)
		}
		// The new cycle has no days of its own: the community is on the defaults again.
		s.getJSON(admin, "/api/v1/communities/QS-01-001/election-days", &one)
		if one.Own.Party != "" {
			t.Errorf("the new cycle carried the days over: %+v", one.Own)
		}
		// The earlier cycle, read from the API and the page: as it was, read-only.
		s.getJSON(admin, "/api/v1/communities/QS-01-001/election-days?cycle=2026", &one)
		if one.Own.Party != "2027-01-09" { // the district's, set last
			t.Errorf("the earlier cycle's days read %+v", one.Own)
		}
		res, body = s.call(admin, "POST", "/cycles/read", url.Values{"code": {"2026"}}.Encode(), nil)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("read earlier: %d %s", res.StatusCode, body)
		}
		if page := s.page(admin, "/calendar"); !strings.Contains(page, `data-testid="reading-earlier"`) || !strings.Contains(page, "2027-01-30") {
			t.Errorf("the calendar of the earlier cycle does not say so or lacks its days")
		}
		res, body = s.call(admin, "POST", "/calendar/days", form.Encode(), nil)
		if res.StatusCode != http.StatusConflict || !strings.Contains(string(body), "往届数据只读") {
			t.Errorf("a write while reading the earlier cycle: %d, want 409 saying read-only", res.StatusCode)
		}
		res, _ = s.call(admin, "POST", "/cycles/read", url.Values{"code": {""}}.Encode(), nil)
		if page := s.page(admin, "/calendar"); res.StatusCode != http.StatusSeeOther || strings.Contains(page, `data-testid="reading-earlier"`) {
			t.Errorf("back to the current cycle: %d", res.StatusCode)
		}
	})
}
