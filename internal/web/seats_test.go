package web_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// Seats from the page and the API: the law's check refuses on its field
// with what was typed kept, a warning is shown but does not refuse, the
// sitting members stand beside them, and a district's team sets only its own.
func TestSeats(t *testing.T) {
	t.Parallel()
	plainDemo.each(t, func(t *testing.T, s *site) {
		admin := s.login("admin")
		page := s.page(admin, "/communities/QS-01-001/seats")
		if !strings.Contains(page, "尚未设定职数") || !strings.Contains(page, `data-testid="sitting-party"`) {
			t.Fatalf("the seats page lacks the unset seats or the sitting members")
		}
		// A committee of 8 for the party: refused on members.
		s.refusedForm(admin, "/communities/QS-01-001/seats/party", url.Values{"full_members": {"40"}, "chief": {"1"},
			"deputies": {"2"}, "members": {"5"}}, http.StatusUnprocessableEntity, "members")
		// 6 full members may not have committee members.
		s.refusedForm(admin, "/communities/QS-01-001/seats/party", url.Values{"full_members": {"6"}, "chief": {"1"},
			"deputies": {"1"}, "members": {"2"}}, http.StatusUnprocessableEntity, "members")
		// A committee of 6: saved, with a warning on the page.
		res, body := s.call(admin, "POST", "/communities/QS-01-001/seats/party", url.Values{"full_members": {"40"}, "chief": {"1"},
			"deputies": {"1"}, "members": {"4"}}.Encode(), nil)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("save party seats: %d %s", res.StatusCode, body)
		}
		if page := s.page(admin, "/communities/QS-01-001/seats"); !strings.Contains(page, "一般由3至5人组成,现为6人") {
			t.Errorf("the warning of a committee of 6 is not shown")
		}
		// The residents' committee through the API: a village body of 3 is lawful, of 2 not.
		res, body = s.call(nil, "PUT", "/api/v1/communities/QS-01-001/seats/residents",
			map[string]any{"body": "village", "chief": 1, "deputies": 0, "members": 1}, bearer(s, "admin"))
		if e := wantError(t, res, body, http.StatusUnprocessableEntity, "unprocessable"); e.Error.Field != "members" {
			t.Errorf("village of 2: field %q", e.Error.Field)
		}
		res, body = s.call(nil, "PUT", "/api/v1/communities/QS-01-001/seats/residents",
			map[string]any{"body": "residents", "chief": 1, "deputies": 2, "members": 4}, bearer(s, "district1"))
		if res.StatusCode != http.StatusOK {
			t.Fatalf("residents' seats by the district: %d %s", res.StatusCode, body)
		}
		var got struct {
			Committees []struct {
				Committee string
				Set       bool
				Seats     struct{ Chief, Deputies, Members int }
				Sitting   []struct{ Name, Post string }
			} `json:"committees"`
		}
		s.getJSON(admin, "/api/v1/communities/QS-01-001/seats", &got)
		if len(got.Committees) != 2 || !got.Committees[1].Set || got.Committees[1].Seats.Members != 4 || len(got.Committees[0].Sitting) == 0 {
			raw, _ := json.Marshal(got)
			t.Errorf("seats read back: %s", raw)
		}
		// Another district's community is not the team's; a community account may not read seats.
		res, body = s.call(nil, "PUT", "/api/v1/communities/QS-02-001/seats/residents",
			map[string]any{"body": "residents", "chief": 1, "deputies": 2, "members": 4}, bearer(s, "district1"))
		wantError(t, res, body, http.StatusNotFound, "not_found")
		res, _ = s.call(s.login("community1"), "GET", "/communities/QS-01-001/seats", nil, nil)
		if res.StatusCode != http.StatusForbidden {
			t.Errorf("a community account reads seats: %d", res.StatusCode)
		}
		// A bad committee in the path is not found.
		res, body = s.call(nil, "PUT", "/api/v1/communities/QS-01-001/seats/council",
			map[string]any{"chief": 1, "deputies": 0, "members": 2}, bearer(s, "admin"))
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("unknown committee: %d %s", res.StatusCode, body)
		}
	})
}
