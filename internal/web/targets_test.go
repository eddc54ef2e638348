package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// The cycle's targets and margins: the defaults until the office edits
// them, a bad row refused on its field with what was typed kept, the API
// twin, and a district's office refused (zone-wide settings).
func TestTargetSettings(t *testing.T) {
	plainDemo.each(t, func(t *testing.T, s *site) {
		admin := s.login("admin")
		var got struct {
			Targets []struct {
				Name, Rule string
				Threshold  float64
				Hard       bool
			} `json:"targets"`
			Custom  bool `json:"custom"`
			Margins struct {
				PartyPercent int `json:"party_percent"`
				PublishDays  int `json:"publish_days"`
			} `json:"margins"`
		}
		s.getJSON(admin, "/api/v1/targets/settings", &got)
		if got.Custom || len(got.Targets) != 5 || got.Targets[0].Rule != "one_shoulder" || got.Margins.PartyPercent != 20 || got.Margins.PublishDays != 5 {
			t.Fatalf("defaults %+v", got)
		}
		page := s.page(admin, "/targets/settings")
		if !strings.Contains(page, "每个委员会女性成员不少于") {
			t.Error("the settings page does not name the rules in Chinese")
		}
		// A threshold of 1.5 women: refused on that row's field.
		form := url.Values{"targets[0].name": {"女性成员"}, "targets[0].rule": {"women_each"}, "targets[0].threshold": {"1.5"},
			"targets[0].hard": {"1"}, "targets[1].name": {"书记年龄"}, "targets[1].rule": {"secretary_age"}, "targets[1].threshold": {"45"}}
		s.refusedForm(admin, "/targets/settings", form, http.StatusUnprocessableEntity, "targets[0].threshold")
		form.Set("targets[0].threshold", "1")
		res, body := s.call(admin, "POST", "/targets/settings", form.Encode(), nil)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("save targets: %d %s", res.StatusCode, body)
		}
		s.getJSON(admin, "/api/v1/targets/settings", &got)
		if !got.Custom || len(got.Targets) != 2 || got.Targets[1].Threshold != 45 || got.Targets[1].Hard || !got.Targets[0].Hard {
			t.Errorf("saved targets %+v", got.Targets)
		}
		// Margins: the upper bound below the lower refused; 7 days saved.
		m := url.Values{"party_percent": {"20"}, "chief_min": {"1"}, "chief_max": {"1"}, "member_min": {"3"}, "member_max": {"1"},
			"publish_days": {"7"}, "withdraw_days": {"3"}}
		s.refusedForm(admin, "/targets/margins", m, http.StatusUnprocessableEntity, "member_max")
		res, body = s.call(nil, "PUT", "/api/v1/targets/margins", map[string]int{"party_percent": 20, "chief_min": 1, "chief_max": 1,
			"member_min": 1, "member_max": 3, "publish_days": 7, "withdraw_days": 3}, bearer(s, "admin"))
		if res.StatusCode != http.StatusOK {
			t.Fatalf("margins: %d %s", res.StatusCode, body)
		}
		s.getJSON(admin, "/api/v1/targets/settings", &got)
		if got.Margins.PublishDays != 7 {
			t.Errorf("margins saved %+v", got.Margins)
		}
		// A district's office may read but not change them.
		s.onesOffice(admin, "office-qs01", "QS-01")
		res, body = s.call(nil, "PUT", "/api/v1/targets/settings", map[string]any{"targets": []any{}}, bearer(s, "office-qs01"))
		wantError(t, res, body, http.StatusForbidden, "forbidden")
		// An empty list puts the defaults back.
		res, body = s.call(nil, "PUT", "/api/v1/targets/settings", map[string]any{"targets": []any{}}, bearer(s, "admin"))
		if res.StatusCode != http.StatusOK {
			t.Fatalf("reset: %d %s", res.StatusCode, body)
		}
		s.getJSON(admin, "/api/v1/targets/settings", &got)
		if got.Custom || len(got.Targets) != 5 {
			t.Errorf("after reset %+v", got)
		}
	})
}
