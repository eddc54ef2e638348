package web_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/huanjie/huanjie/internal/assess"
)

// classesAccount adds an account of role with scope through the API as the
// office and signs it in.
func classesAccount(t *testing.T, s *site, username, role, scope string) *http.Client {
	t.Helper()
	res, raw := s.call(s.login("admin"), "POST", "/api/v1/users", map[string]any{"username": username, "role": role,
		"scope": scope, "password": "a long password"}, nil)
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("add %s: %d %s", username, res.StatusCode, raw)
	}
	c := s.client()
	if res, raw := s.call(c, "POST", "/api/v1/login", map[string]string{"username": username, "password": "a long password"}, nil); res.StatusCode != http.StatusOK {
		t.Fatalf("login %s: %d %s", username, res.StatusCode, raw)
	}
	return c
}

// auditItems counts the audit entries of the actions as c reads them.
func auditItems(s *site, c *http.Client, actions ...string) int {
	n := 0
	for _, a := range actions {
		var log struct{ Items []any }
		s.getJSON(c, "/api/v1/audit?action="+a+"&limit=100", &log)
		n += len(log.Items)
	}
	return n
}

// jsonBytes is v as JSON, to compare answers.
func jsonBytes(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// The rubric and the classification rules are the whole zone's: an office
// account scoped to one district may read them but not save them, by the
// API or the page's forms, and its refusal changes nothing (issue 11,
// finding 2).
func TestZoneRulesNeedZoneWideOffice(t *testing.T) {
	t.Parallel()
	plainDemo.each(t, func(t *testing.T, s *site) {
		admin := s.login("admin")
		west := classesAccount(t, s, "west-office", "admin", "QS-02")
		var rulesBefore, rulesAfter map[string]any
		s.getJSON(admin, "/api/v1/assess/rules", &rulesBefore)
		var countsBefore, countsAfter map[string]int
		s.getJSON(admin, "/api/v1/classes", &countsBefore)
		var listBefore, listAfter struct{ Items []communityItem }
		s.getJSON(admin, "/api/v1/communities", &listBefore)
		actions := []string{"assess.rules", "assess.rubric", "assess.reclassify"}
		logged := auditItems(s, admin, actions...)

		res, raw := s.call(west, "PUT", "/api/v1/assess/rules", map[string]any{"a_min": 50, "b_min": 40,
			"plans": map[string]int{"A": 1, "B": 2, "C": 3}}, nil)
		wantError(t, res, raw, http.StatusForbidden, "forbidden")
		var scoresOnly []map[string]any
		form := url.Values{}
		for _, ind := range assess.DefaultRubric() {
			if ind.Kind == assess.Flag {
				continue
			}
			scoresOnly = append(scoresOnly, map[string]any{"code": ind.Code, "dimension": ind.Dimension, "name": ind.Name,
				"kind": ind.Kind, "max": ind.Max})
			n := "rubric[" + itoa(int64(len(scoresOnly)-1)) + "]."
			form.Set(n+"code", ind.Code)
			form.Set(n+"dimension", string(ind.Dimension))
			form.Set(n+"name", ind.Name)
			form.Set(n+"kind", "score")
			form.Set(n+"max", itoa(int64(ind.Max)))
		}
		res, raw = s.call(west, "PUT", "/api/v1/assess/rubric", map[string]any{"rubric": scoresOnly}, nil)
		wantError(t, res, raw, http.StatusForbidden, "forbidden")
		for path, body := range map[string]string{
			"/classes/rules":  url.Values{"a_min": {"50"}, "b_min": {"40"}, "plans.A": {"1"}, "plans.B": {"2"}, "plans.C": {"3"}}.Encode(),
			"/classes/rubric": form.Encode(),
		} {
			res, raw = s.call(west, "POST", path, body, nil)
			if res.StatusCode != http.StatusForbidden || !strings.Contains(string(raw), "只有不限管辖范围的换届办公室账号可以修改") {
				t.Errorf("POST %s by a scoped office: %d", path, res.StatusCode)
			}
		}

		s.getJSON(admin, "/api/v1/assess/rules", &rulesAfter)
		s.getJSON(admin, "/api/v1/classes", &countsAfter)
		s.getJSON(admin, "/api/v1/communities", &listAfter)
		if !bytes.Equal(jsonBytes(t, rulesBefore), jsonBytes(t, rulesAfter)) {
			t.Errorf("rules changed by a refused save: %v", rulesAfter)
		}
		if !bytes.Equal(jsonBytes(t, countsBefore), jsonBytes(t, countsAfter)) ||
			!bytes.Equal(jsonBytes(t, listBefore), jsonBytes(t, listAfter)) {
			t.Errorf("classes moved by a refused save: %v, were %v", countsAfter, countsBefore)
		}
		if n := auditItems(s, admin, actions...); n != logged {
			t.Errorf("%d entries of %v after refused saves", n-logged, actions)
		}

		// The page shows the settings to the scoped office without the save buttons.
		res, raw = s.call(west, "GET", "/classes/rules", nil, nil)
		if res.StatusCode != 200 || strings.Contains(string(raw), "保存规则") || !strings.Contains(string(raw), "仅供查看") {
			t.Errorf("rules page for a scoped office: %d", res.StatusCode)
		}
		// The office of the whole zone still saves them.
		res, raw = s.call(admin, "PUT", "/api/v1/assess/rules", map[string]any{"a_min": 50, "b_min": 40,
			"plans": map[string]int{"A": 1, "B": 2, "C": 3}}, nil)
		if res.StatusCode != 200 {
			t.Fatalf("rules by the zone's office: %d %s", res.StatusCode, raw)
		}
	})
}

// Writes of the three classes that name a plan, a measure, an assessment or
// a community by id or code in the path answer "not found" outside the
// account's scope and change nothing.
func TestClassWritesOutsideScopeNotFound(t *testing.T) {
	t.Parallel()
	plainDemo.each(t, func(t *testing.T, s *site) {
		admin := s.login("admin")
		district := s.login("district1") // QS-01
		westOffice := classesAccount(t, s, "west-office", "admin", "QS-02")
		// A community of QS-02 with a plan that has an open measure.
		type planJSON struct {
			ID       int64 `json:"id"`
			Measures []struct {
				ID     int64  `json:"id"`
				DoneOn string `json:"done_on"`
			} `json:"measures"`
		}
		var code string
		var planID, measureID int64
		for i := 1; i <= 8 && measureID == 0; i++ {
			code = "QS-02-00" + itoa(int64(i))
			var plans struct{ Items []planJSON }
			s.getJSON(admin, "/api/v1/communities/"+code+"/plans", &plans)
			for _, p := range plans.Items {
				for _, m := range p.Measures {
					if m.DoneOn == "" && measureID == 0 {
						planID, measureID = p.ID, m.ID
					}
				}
			}
		}
		if measureID == 0 {
			t.Fatal("no open measure in QS-02")
		}
		var hist struct {
			Community struct {
				Class string `json:"class"`
			} `json:"community"`
			History []struct {
				ID int64 `json:"id"`
			} `json:"history"`
		}
		s.getJSON(admin, "/api/v1/communities/"+code+"/assessment", &hist)
		assessmentID, class := hist.History[0].ID, hist.Community.Class
		var theirs, theirsAfter map[string]any // the QS-01 community the scoped office tries to override
		s.getJSON(admin, "/api/v1/communities/QS-01-001/assessment", &theirs)
		actions := []string{"measure.add", "measure.done", "assess.attach", "plan.add", "assess.add", "assess.override"}
		before := auditItems(s, admin, actions...)

		res, raw := s.call(district, "POST", "/api/v1/plans/"+itoa(planID)+"/measures",
			map[string]string{"section": "rectify", "content": "越权措施", "owner": "李明", "due": "2026-03-01"}, nil)
		wantError(t, res, raw, http.StatusNotFound, "not_found")
		res, raw = s.call(district, "POST", "/api/v1/measures/"+itoa(measureID)+"/done", nil, nil)
		wantError(t, res, raw, http.StatusNotFound, "not_found")
		res, raw = s.postFile(district, "/api/v1/assessments/"+itoa(assessmentID)+"/attachments", nil, "file", "现场.png",
			append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 40)...))
		wantError(t, res, raw, http.StatusNotFound, "not_found")
		res, raw = s.call(district, "POST", "/api/v1/communities/"+code+"/plans", map[string]any{"kind": "contingency", "title": "越权方案"}, nil)
		wantError(t, res, raw, http.StatusNotFound, "not_found")
		res, raw = s.call(district, "POST", "/api/v1/communities/"+code+"/assessments", map[string]any{"assessed_on": "2026-01-05",
			"assessors": []map[string]string{{"unit": "党群部", "name": "王强"}}, "scores": map[string]int{}}, nil)
		wantError(t, res, raw, http.StatusNotFound, "not_found")
		// An office scoped to QS-02 cannot override a class in QS-01.
		res, raw = s.call(westOffice, "POST", "/api/v1/communities/QS-01-001/override", map[string]string{"class": "A", "reason": "片区想改成A类试试"}, nil)
		wantError(t, res, raw, http.StatusNotFound, "not_found")

		if after := auditItems(s, admin, actions...); after != before {
			t.Errorf("refused writes left %d audit entries", after-before)
		}
		var plans struct{ Items []planJSON }
		s.getJSON(admin, "/api/v1/communities/"+code+"/plans", &plans)
		for _, p := range plans.Items {
			for _, m := range p.Measures {
				if m.ID == measureID && m.DoneOn != "" {
					t.Error("a measure of another district was closed")
				}
			}
		}
		s.getJSON(admin, "/api/v1/communities/"+code+"/assessment", &hist)
		if len(hist.History) == 0 || hist.History[0].ID != assessmentID || hist.Community.Class != class {
			t.Errorf("the community's assessments changed: %+v", hist)
		}
		s.getJSON(admin, "/api/v1/communities/QS-01-001/assessment", &theirsAfter)
		if !bytes.Equal(jsonBytes(t, theirs), jsonBytes(t, theirsAfter)) {
			t.Errorf("QS-01-001 changed by a refused override: %v", theirsAfter["community"])
		}
	})
}
