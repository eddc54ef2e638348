package web_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/huanjie/huanjie/internal/civil"
)

// The faults found in review, through the real server on both engines: a
// research finding dated the day it was made (the form's field, refused
// after today on that field, the API's default) and its author named by
// display name, as is a visit's recorder; the round during, which does not
// ask for 全谈, owes no talks on the community's page nor its JSON twin;
// a member holding both posts (一肩挑) is offered once on the visit form
// and owed one talk.
func TestVisitReviewFaults(t *testing.T) {
	plainDemo.each(t, func(t *testing.T, s *site) {
		s.st.SetClock(func() time.Time { return time.Date(2026, 10, 20, 9, 0, 0, 0, civil.Zone) })
		const code = "QS-01-001"
		admin := bearer(s, "admin")
		call := func(h map[string]string, method, path string, body any, want int) string {
			t.Helper()
			res, raw := s.call(nil, method, path, body, h)
			if res.StatusCode != want {
				t.Fatalf("%s %s: %d (want %d) %s", method, path, res.StatusCode, want, raw)
			}
			return string(raw)
		}
		var a struct {
			ID int64 `json:"id"`
		}
		json.Unmarshal([]byte(call(admin, "POST", "/api/v1/visits/activities", map[string]any{"name": "分片研判调研", "starts_on": "2026-10-01",
			"ends_on": "2026-10-31", "team": []string{"调研员甲"}, "communities": []string{code}}, http.StatusCreated)), &a)
		findings := fmt.Sprintf("/visits/activities/%d/findings", a.ID)
		office := s.login("admin")
		page := s.page(office, "/visits")
		if !strings.Contains(page, `name="day" type="date" required min="2026-10-01" max="2026-10-20" value="2026-10-20"`) {
			t.Error("the finding's form lacks its day, today by default, within the activity")
		}
		s.refusedForm(office, findings, url.Values{"community": {code}, "text": {"班子团结"}, "day": {"2026-10-21"}}, http.StatusUnprocessableEntity, "day")
		res, _ := s.call(office, "POST", findings, url.Values{"community": {code}, "text": {"班子团结,群众认可"}, "day": {"2026-10-12"}}.Encode(), nil)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("the finding's form: %d", res.StatusCode)
		}
		raw := call(admin, "POST", "/api/v1"+findings, map[string]any{"community": code, "text": "后备人选不足"}, http.StatusCreated)
		if !strings.Contains(raw, `"day":"2026-10-20"`) || !strings.Contains(raw, `"by_name":"陈静"`) {
			t.Errorf("a finding without a day: %s", raw)
		}
		page = s.page(office, "/visits")
		if !strings.Contains(page, "(2026-10-12 陈静记录)") || strings.Contains(page, "admin记录") || strings.Contains(page, "2026-10-12 admin") {
			t.Error("the finding is not shown with its day and its author's name")
		}

		// A visit's recorder by name.
		staff := bearer(s, "community1")
		var h struct {
			ID int64 `json:"id"`
		}
		json.Unmarshal([]byte(call(staff, "POST", "/api/v1/communities/"+code+"/households", map[string]any{"address": "6号楼101", "head": "赵六",
			"size": 2}, http.StatusCreated)), &h)
		var v struct {
			ID int64 `json:"id"`
		}
		json.Unmarshal([]byte(call(staff, "POST", "/api/v1/visits", map[string]any{"client_id": "8f0c6a52-1b7e-4c1a-9e55-0a1b2c3d4e5f",
			"community": code, "round": "before", "household_id": h.ID, "visitors": []string{"走访员"}, "visited_on": "2026-10-19",
			"method": "door"}, http.StatusCreated)), &v)
		if page := s.page(office, fmt.Sprintf("/visits/%d", v.ID)); !strings.Contains(page, "<dd>李秀英</dd>") {
			t.Error("the visit's page does not name its recorder 李秀英")
		}

		// 一肩挑: each person once on the form and among the talks owed.
		persons := map[string]bool{}
		for _, m := range plainDemo.zone.Members {
			if m.OrgCode == code {
				persons[m.IDNumber] = true
			}
		}
		rows := 0
		for _, m := range plainDemo.zone.Members {
			if m.OrgCode == code {
				rows++
			}
		}
		if rows == len(persons) {
			t.Fatalf("%s has no member holding both posts: the demo changed", code)
		}
		page = s.page(s.login("community1"), "/communities/"+code+"/visits?round=before")
		if n := strings.Count(page, `<option value="m:`); n != len(persons) {
			t.Errorf("the visit form offers %d sitting members, want the %d persons once each", n, len(persons))
		}
		var owed struct {
			Total int `json:"total"`
		}
		json.Unmarshal([]byte(call(staff, "GET", "/api/v1/communities/"+code+"/talks-owed?round=before", nil, http.StatusOK)), &owed)
		if owed.Total != len(persons) {
			t.Errorf("%d talks owed before, want one for each of the %d persons", owed.Total, len(persons))
		}

		// The round during does not ask for 全谈.
		json.Unmarshal([]byte(call(staff, "GET", "/api/v1/communities/"+code+"/talks-owed?round=during", nil, http.StatusOK)), &owed)
		if owed.Total != 0 {
			t.Errorf("the round during owes %d talks, want none", owed.Total)
		}
		page = s.page(s.login("community1"), "/communities/"+code+"/visits?round=during")
		if strings.Contains(page, `data-testid="owed"`) || strings.Contains(page, "尚欠谈话人数") || !strings.Contains(page, `data-testid="no-talk-all"`) {
			t.Error("the community's page of the round during lists talks owed")
		}
	})
}
