package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/vetting"
)

type candidateItem struct {
	ID         int64  `json:"id"`
	Community  string `json:"community"`
	Name       string `json:"name"`
	Eligible   bool   `json:"eligible"`
	Stage      string `json:"stage"`
	Reason     string `json:"reason"`
	Assessment *struct {
		GoodShare float64 `json:"good_share"`
	} `json:"assessment"`
	Objections []struct {
		ID int64 `json:"id"`
	} `json:"objections"`
}

// Candidate assessment from the pages and the API: the team, each step in
// order (refused out of order with a Chinese reason), the notice's length,
// an objection found true, a person disqualified since, scope and audit.
func TestCandidateAssessment(t *testing.T) {
	t.Parallel()
	plainDemo.each(t, func(t *testing.T, s *site) {
		clock := time.Date(2027, 1, 10, 9, 0, 0, 0, civil.Zone)
		s.st.SetClock(func() time.Time { return clock })
		admin, api := s.login("admin"), bearer(s, "admin")
		put := func(h map[string]string, method, path string, body any, want int) []byte {
			t.Helper()
			res, raw := s.call(nil, method, path, body, h)
			if res.StatusCode != want {
				t.Fatalf("%s %s: %d %s", method, path, res.StatusCode, raw)
			}
			return raw
		}
		put(api, "PUT", "/api/v1/election-days", map[string]string{"unit": "QS-01", "party_day": "2027-03-01", "residents_day": "2027-03-29"}, http.StatusOK)

		// Three aspirants of QS-01-001: two qualified by the second review, one not reviewed yet.
		ids := addAspirants(t, s.st, "QS-01-001", "考察甲", "考察乙", "考察丙")
		if err := s.st.Zone(store.System).Write(context.Background(), func(tx *store.Tx) error {
			for _, id := range ids[:2] {
				for _, to := range []vetting.Status{vetting.UnderReview, vetting.Reviewed, vetting.Qualified} {
					if err := tx.MoveAspirant(context.Background(), id, to, "测试"); err != nil {
						return err
					}
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		var eligible []candidateItem
		var barred *candidateItem
		var list struct{ Items []candidateItem }
		s.getJSON(admin, "/api/v1/communities/QS-01-001/candidates", &list)
		for _, c := range list.Items {
			switch {
			case c.Eligible:
				eligible = append(eligible, c)
			case c.Reason != "":
				barred = &c
			}
		}
		if len(eligible) != 2 || barred == nil {
			t.Fatalf("the candidates of QS-01-001: %+v", list.Items)
		}
		one, two := eligible[0], eligible[1]
		if one.Stage != "pending" {
			t.Errorf("an unassessed person is at %q", one.Stage)
		}

		// The team: a leader not among the members is refused, what was typed kept.
		team := "/communities/" + one.Community + "/candidates/team"
		s.refusedForm(admin, team, url.Values{"members[0].name": {"王强"}, "members[0].department": {"zzb"},
			"members[1].name": {""}, "members[1].department": {""}, "leader": {"赵六"}}, http.StatusUnprocessableEntity, "leader")
		res, body := s.call(admin, "POST", team, url.Values{"members[0].name": {"王强"}, "members[0].department": {"zzb"},
			"members[1].name": {"李红"}, "members[1].department": {"jwjw"}, "leader": {"王强"}}.Encode(), nil)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("save the team: %d %s", res.StatusCode, body)
		}
		page := s.page(admin, "/communities/"+one.Community+"/candidates")
		if !strings.Contains(page, `data-testid="team-leader">王强`) || !strings.Contains(page, "/candidates/"+itoa(one.ID)) {
			t.Errorf("the community's page lacks the team or the person")
		}
		put(api, "PUT", "/api/v1/communities/"+one.Community+"/candidates/team", map[string]any{"leader": "李",
			"members": []map[string]string{{"name": "李", "department": "nowhere"}}}, http.StatusUnprocessableEntity)

		// Deciding before the assessment is refused, with a reason in Chinese.
		res, body = s.call(nil, "PUT", "/api/v1/candidates/"+itoa(one.ID)+"/decision",
			map[string]any{"approved": true, "day": "2027-01-12"}, bearer(s, "committee"))
		if e := wantError(t, res, body, http.StatusConflict, "conflict"); !strings.Contains(e.Error.Message, "尚未考察") {
			t.Errorf("decision before the assessment: %s", body)
		}
		// The ineligible person cannot be assessed; the reason is the eligibility's.
		res, body = s.call(nil, "PUT", "/api/v1/candidates/"+itoa(barred.ID)+"/assessment", map[string]any{"talks": 3, "talked": "党员",
			"excellent": 5, "competent": 0, "basic": 0, "incompetent": 0, "opinion": "好", "conclusion": "recommend"}, api)
		if e := wantError(t, res, body, http.StatusConflict, "conflict"); e.Error.Message != barred.Reason {
			t.Errorf("an ineligible person assessed: %s (reason %q)", body, barred.Reason)
		}

		// The assessment from the page: no opinion is refused on its field.
		assess := "/candidates/" + itoa(one.ID) + "/assessment"
		form := url.Values{"talks": {"12"}, "talked": {"党员代表8人、居民代表4人"}, "excellent": {"20"}, "competent": {"5"},
			"basic": {"4"}, "incompetent": {"1"}, "opinion": {""}, "conclusion": {"recommend"}}
		s.refusedForm(admin, assess, form, http.StatusUnprocessableEntity, "opinion")
		form.Set("opinion", "政治素质好,群众基础好")
		if res, body = s.call(admin, "POST", assess, form.Encode(), nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("assess: %d %s", res.StatusCode, body)
		}
		if page := s.page(admin, "/candidates/"+itoa(one.ID)); !strings.Contains(page, `data-testid="share">83.3%`) {
			t.Errorf("the person's page lacks the appraisal's share")
		}
		for _, c := range []candidateItem{two} {
			put(api, "PUT", "/api/v1/candidates/"+itoa(c.ID)+"/assessment", map[string]any{"talks": 5, "talked": "居民",
				"excellent": 8, "competent": 2, "basic": 0, "incompetent": 0, "opinion": "好", "conclusion": "recommend"}, http.StatusOK)
		}

		// The higher level before the committee: refused. A district team may not decide.
		res, body = s.call(nil, "PUT", "/api/v1/candidates/"+itoa(one.ID)+"/higher", map[string]any{"day": "2027-01-15", "document": "文1号"}, api)
		wantError(t, res, body, http.StatusConflict, "conflict")
		res, _ = s.call(nil, "PUT", "/api/v1/candidates/"+itoa(one.ID)+"/decision", map[string]any{"approved": true, "day": "2027-01-12"}, bearer(s, "district1"))
		if res.StatusCode != http.StatusForbidden {
			t.Errorf("a district team decides: %d", res.StatusCode)
		}
		committee := s.login("committee")
		s.refusedForm(committee, "/candidates/"+itoa(one.ID)+"/decision", url.Values{"approved": {""}, "day": {"2027-01-12"}, "note": {"一致同意"}},
			http.StatusUnprocessableEntity, "approved")
		for _, c := range []candidateItem{one, two} {
			res, body = s.call(committee, "POST", "/candidates/"+itoa(c.ID)+"/decision", url.Values{"approved": {"true"}, "day": {"2027-01-12"}}.Encode(), nil)
			if res.StatusCode != http.StatusSeeOther {
				t.Fatalf("decide: %d %s", res.StatusCode, body)
			}
		}
		// The assessment is closed now.
		res, body = s.call(admin, "POST", assess, form.Encode(), nil)
		if res.StatusCode != http.StatusConflict || !strings.Contains(string(body), "党委已研究决定") {
			t.Errorf("the assessment changes after the decision: %d", res.StatusCode)
		}
		// The higher level: both fields required, not before the meeting.
		s.refusedForm(admin, "/candidates/"+itoa(one.ID)+"/higher", url.Values{"day": {"2027-01-14"}, "document": {""}}, http.StatusUnprocessableEntity, "document")
		put(api, "PUT", "/api/v1/candidates/"+itoa(one.ID)+"/higher", map[string]any{"day": "2027-01-11", "document": "文1号"}, http.StatusUnprocessableEntity)
		for _, c := range []candidateItem{one, two} {
			put(api, "PUT", "/api/v1/candidates/"+itoa(c.ID)+"/higher", map[string]any{"day": "2027-01-14", "document": "清组字〔2027〕3号"}, http.StatusOK)
		}

		// The notice: 4 days refused on its end, 5 days saved; not past the election day.
		notice := "/candidates/" + itoa(one.ID) + "/notice"
		page = s.refusedForm(admin, notice, url.Values{"start": {"2027-01-15"}, "end": {"2027-01-18"}}, http.StatusUnprocessableEntity, "end")
		if !strings.Contains(page, "公示期不少于5天(现为4天)") {
			t.Errorf("the 4-day notice's refusal does not say why")
		}
		put(api, "PUT", "/api/v1/candidates/"+itoa(one.ID)+"/notice", map[string]any{"start": "2027-02-25", "end": "2027-03-01"}, http.StatusUnprocessableEntity)
		for _, c := range []candidateItem{one, two} {
			put(api, "PUT", "/api/v1/candidates/"+itoa(c.ID)+"/notice", map[string]any{"start": "2027-01-15", "end": "2027-01-19"}, http.StatusOK)
		}

		// Objections: outside the notice refused; one found true on the second person.
		objections := "/candidates/" + itoa(two.ID) + "/objections"
		s.refusedForm(admin, objections, url.Values{"day": {"2027-01-20"}, "content": {"反映其经商"}, "result": {"pending"}}, http.StatusUnprocessableEntity, "day")
		raw := put(api, "POST", "/api/v1"+objections, map[string]any{"day": "2027-01-16", "content": "反映其经商", "result": "pending"}, http.StatusCreated)
		var got candidateItem
		if json.Unmarshal(raw, &got) != nil || len(got.Objections) != 1 || got.Stage != "noticing" {
			t.Fatalf("objection recorded: %s", raw)
		}
		put(api, "PUT", "/api/v1"+objections+"/"+itoa(got.Objections[0].ID), map[string]any{"day": "2027-01-16", "content": "反映其经商",
			"handling": "经核实存在拖欠集体资金", "result": "founded"}, http.StatusOK)

		// After the notice: the first passes, the second failed on the objection.
		clock = time.Date(2027, 1, 20, 9, 0, 0, 0, civil.Zone)
		admin, api = s.login("admin"), bearer(s, "admin") // signed in again: ten days on, the sessions ended
		stages := map[int64]candidateItem{}
		for _, code := range []string{one.Community, two.Community} {
			var list struct{ Items []candidateItem }
			s.getJSON(admin, "/api/v1/communities/"+code+"/candidates", &list)
			for _, c := range list.Items {
				stages[c.ID] = c
			}
		}
		if c := stages[one.ID]; c.Stage != "passed" || c.Assessment == nil || c.Assessment.GoodShare < 0.83 || c.Assessment.GoodShare > 0.84 {
			t.Errorf("the first person: %+v", c)
		}
		if c := stages[two.ID]; c.Stage != "failed" || !strings.Contains(c.Reason, "属实") {
			t.Errorf("the second person, objection founded: %+v", c)
		}

		// A person disqualified since is failed with the reason, and refused.
		if err := s.st.Zone(store.System).Write(context.Background(), func(tx *store.Tx) error {
			return tx.MoveAspirant(context.Background(), one.ID, vetting.Disqualified, "测试")
		}); err != nil {
			t.Fatal(err)
		}
		var after candidateItem
		s.getJSON(admin, "/api/v1/candidates/"+itoa(one.ID), &after)
		if after.Stage != "failed" || !strings.Contains(after.Reason, "取消参选资格") {
			t.Errorf("a disqualified person: %+v", after)
		}
		res, body = s.call(nil, "PUT", "/api/v1/candidates/"+itoa(one.ID)+"/notice", map[string]any{"start": "2027-01-15", "end": "2027-01-20"}, api)
		if e := wantError(t, res, body, http.StatusConflict, "conflict"); !strings.Contains(e.Error.Message, "资格状态已变更") {
			t.Errorf("a disqualified person's notice changed: %s", body)
		}

		// Scope: another district's community and person are not district1's.
		res, _ = s.call(s.login("district1"), "GET", "/communities/QS-02-001/candidates", nil, nil)
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("district1 reads QS-02-001's candidates: %d", res.StatusCode)
		}
		var other struct{ Items []candidateItem }
		s.getJSON(admin, "/api/v1/communities/QS-02-001/candidates", &other)
		if len(other.Items) > 0 {
			res, body = s.call(nil, "PUT", "/api/v1/candidates/"+itoa(other.Items[0].ID)+"/assessment", map[string]any{"talks": 0,
				"opinion": "x", "conclusion": "pending"}, bearer(s, "district1"))
			wantError(t, res, body, http.StatusNotFound, "not_found")
		}

		// Audit: each step left a typed entry.
		var log struct {
			Items []struct {
				Action string `json:"action"`
			} `json:"items"`
		}
		s.getJSON(admin, "/api/v1/audit?limit=200", &log)
		seen := map[string]bool{}
		for _, e := range log.Items {
			seen[e.Action] = true
		}
		for _, a := range []string{"slate.team", "slate.assess", "slate.decide", "slate.higher", "slate.notice", "slate.objection"} {
			if !seen[a] {
				t.Errorf("no audit entry %s", a)
			}
		}
		if page := s.page(admin, "/audit"); strings.Contains(page, "team_leader") || strings.Contains(page, "objection_result") {
			t.Errorf("the audit page shows a field's code")
		}
	})
}
