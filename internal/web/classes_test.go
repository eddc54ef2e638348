package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/huanjie/huanjie/internal/assess"
	"github.com/huanjie/huanjie/internal/store"
)

type communityItem struct {
	Code        string `json:"code"`
	Name        string `json:"name"`
	District    string `json:"district"`
	Class       string `json:"class"`
	Warning     string `json:"warning"`
	Explanation string `json:"explanation"`
	Plans       int    `json:"plans"`
}

func TestClassesAPI(t *testing.T) {
	t.Parallel()
	plainDemo.each(t, func(t *testing.T, s *site) {
		admin := s.login("admin")
		var counts map[string]int
		s.getJSON(admin, "/api/v1/classes", &counts)
		if counts["A"] != 14 || counts["B"] != 10 || counts["C"] != 8 || counts["unassessed"] != 0 {
			t.Fatalf("classes %v, want 14 10 8 0", counts)
		}
		var list struct{ Items []communityItem }
		s.getJSON(admin, "/api/v1/communities", &list)
		if len(list.Items) != 32 {
			t.Fatalf("%d communities", len(list.Items))
		}
		want := map[string]string{"A": "none", "B": "yellow", "C": "red"}
		var plansOf = map[string]int{}
		for _, c := range list.Items {
			if c.Warning != want[c.Class] || c.District == "" || c.Explanation == "" {
				t.Fatalf("community %+v", c)
			}
			plansOf[c.Code] = c.Plans
		}
		// The shortfall list names exactly the communities below 1/2/3 plans.
		var short struct {
			Items []struct {
				Code     string `json:"code"`
				Plans    int    `json:"plans"`
				Required int    `json:"required"`
			}
		}
		s.getJSON(admin, "/api/v1/plans/shortfall", &short)
		need := map[string]int{"A": 1, "B": 2, "C": 3}
		expect := map[string]bool{}
		for _, c := range list.Items {
			if c.Plans < need[c.Class] {
				expect[c.Code] = true
			}
		}
		if len(short.Items) != len(expect) || len(expect) == 0 {
			t.Fatalf("shortfall %+v, want %v", short.Items, expect)
		}
		for _, sf := range short.Items {
			if !expect[sf.Code] || sf.Plans != plansOf[sf.Code] {
				t.Fatalf("shortfall names %+v", sf)
			}
		}

		// A district account sees its district's communities only.
		var mine struct{ Items []communityItem }
		s.getJSON(s.login("district1"), "/api/v1/communities", &mine)
		if len(mine.Items) != 8 {
			t.Fatalf("district sees %d communities", len(mine.Items))
		}
		var theirs map[string]int
		s.getJSON(s.login("community1"), "/api/v1/classes", &theirs)
		if theirs["A"]+theirs["B"]+theirs["C"]+theirs["unassessed"] != 1 {
			t.Fatalf("community account counts %v", theirs)
		}
		res, body := s.call(s.login("reviewer-gaj"), "GET", "/api/v1/classes", nil, nil)
		wantError(t, res, body, http.StatusForbidden, "forbidden")
	})
}

// Changing a score moves the class when the rules say so and the
// explanation says why; an override needs a reason; a missing plan added
// leaves the shortfall list.
func TestReassessOverrideAndPlan(t *testing.T) {
	t.Parallel()
	plainDemo.each(t, func(t *testing.T, s *site) {
		st := s.st
		admin := s.login("admin")
		var list struct{ Items []communityItem }
		s.getJSON(admin, "/api/v1/communities?class=A", &list)
		code := list.Items[0].Code
		var rules struct {
			Rubric []struct {
				Code string `json:"code"`
				Kind string `json:"kind"`
				Max  int    `json:"max"`
			} `json:"rubric"`
		}
		s.getJSON(admin, "/api/v1/assess/rules", &rules)
		scores := map[string]int{}
		for _, ind := range rules.Rubric {
			if ind.Kind == "score" {
				scores[ind.Code] = ind.Max
			}
		}
		scores["team_weak"] = 1 // 班子软弱涣散: red veto
		path := "/api/v1/communities/" + code + "/assessments"
		// Dated today: newer than the demo's assessments, so it becomes the standing.
		body := map[string]any{"assessed_on": string(st.Today()), "assessors": []map[string]string{{"unit": "党群部", "name": "王强"}}, "scores": scores}
		res, raw := s.call(admin, "POST", path, body, nil)
		if res.StatusCode != http.StatusCreated {
			t.Fatalf("assess: %d %s", res.StatusCode, raw)
		}
		var got struct {
			Class       string `json:"class"`
			Explanation string `json:"explanation"`
		}
		jsonInto(t, raw, &got)
		if got.Class != "C" || !strings.Contains(got.Explanation, "班子软弱涣散") || !strings.Contains(got.Explanation, "由A类提至C类") {
			t.Fatalf("after the veto: %+v", got)
		}
		var one struct{ Items []communityItem }
		s.getJSON(admin, "/api/v1/communities", &one)
		for _, c := range one.Items {
			if c.Code == code && (c.Class != "C" || c.Warning != "red") {
				t.Fatalf("standing after reassessment %+v", c)
			}
		}
		var warn struct {
			Changes []struct {
				Code       string `json:"code"`
				To         string `json:"to"`
				NewWarning bool   `json:"new_warning"`
			} `json:"changes"`
		}
		s.getJSON(admin, "/api/v1/warnings", &warn)
		if len(warn.Changes) == 0 || warn.Changes[0].Code != code || warn.Changes[0].To != "C" || !warn.Changes[0].NewWarning {
			t.Fatalf("changes since yesterday %+v", warn.Changes)
		}

		// Bad input changes nothing.
		scores["team_unity"] = 99
		res, raw = s.call(admin, "POST", path, body, nil)
		if e := wantError(t, res, raw, http.StatusUnprocessableEntity, "unprocessable"); e.Error.Field != "team_unity" {
			t.Fatalf("over-max score reported on %q", e.Error.Field)
		}
		var hist struct {
			History []any `json:"history"`
		}
		s.getJSON(admin, "/api/v1/communities/"+code+"/assessment", &hist)
		if len(hist.History) != 2 {
			t.Fatalf("history %d after one good and one bad assessment", len(hist.History))
		}

		ov := "/api/v1/communities/" + code + "/override"
		res, raw = s.call(admin, "POST", ov, map[string]string{"class": "B"}, nil)
		if e := wantError(t, res, raw, http.StatusUnprocessableEntity, "unprocessable"); e.Error.Field != "reason" {
			t.Fatalf("override without reason: field %q", e.Error.Field)
		}
		res, raw = s.call(admin, "POST", ov, map[string]string{"class": "B", "reason": "党委会研究认为班子问题已整改到位"}, nil)
		if res.StatusCode != 200 || !strings.Contains(string(raw), `"class":"B"`) || !strings.Contains(string(raw), `"computed_class":"C"`) {
			t.Fatalf("override: %d %s", res.StatusCode, raw)
		}
		res, raw = s.call(s.login("district1"), "POST", ov, map[string]string{"class": "A", "reason": "片区想改成A类试试"}, nil)
		wantError(t, res, raw, http.StatusForbidden, "forbidden")

		// Add the missing plan of a short community.
		var short struct {
			Items []struct{ Code, Class string }
		}
		s.getJSON(admin, "/api/v1/plans/shortfall", &short)
		target := short.Items[0].Code
		var plans struct {
			Items []struct{ Kind string } `json:"items"`
		}
		s.getJSON(admin, "/api/v1/communities/"+target+"/plans", &plans)
		kind := []string{"main", "fallback", "contingency"}[len(plans.Items)]
		res, raw = s.call(admin, "POST", "/api/v1/communities/"+target+"/plans", map[string]any{"kind": kind, "title": "补充方案",
			"sections": map[string]string{"conflicts": "逐户化解"}}, nil)
		if res.StatusCode != http.StatusCreated {
			t.Fatalf("add plan: %d %s", res.StatusCode, raw)
		}
		res, raw = s.call(admin, "POST", "/api/v1/communities/"+target+"/plans", map[string]any{"kind": kind, "title": "再来一套"}, nil)
		wantError(t, res, raw, http.StatusConflict, "conflict")
		var after struct{ Items []struct{ Code string } }
		s.getJSON(admin, "/api/v1/plans/shortfall", &after)
		stillShort := false
		for _, it := range after.Items {
			stillShort = stillShort || it.Code == target
		}
		if stillShort || len(after.Items) != len(short.Items)-1 {
			t.Fatalf("%s still short after its missing plan was added: %v", target, after.Items)
		}

		// Measures: add one overdue, see it listed, close it.
		var ps struct {
			Items []struct {
				ID int64 `json:"id"`
			} `json:"items"`
		}
		s.getJSON(admin, "/api/v1/communities/"+target+"/plans", &ps)
		res, raw = s.call(admin, "POST", "/api/v1/plans/"+itoa(ps.Items[0].ID)+"/measures",
			map[string]string{"section": "rectify", "content": "整顿软弱涣散", "owner": "李明", "due": "2020-01-01"}, nil)
		if res.StatusCode != http.StatusCreated {
			t.Fatalf("add measure: %d %s", res.StatusCode, raw)
		}
		var m struct {
			ID int64 `json:"id"`
		}
		jsonInto(t, raw, &m)
		var overdue struct{ Items []struct{ ID int64 } }
		s.getJSON(admin, "/api/v1/measures/overdue", &overdue)
		found := false
		for _, o := range overdue.Items {
			found = found || o.ID == m.ID
		}
		if !found {
			t.Fatal("the overdue measure is not listed")
		}
		res, _ = s.call(admin, "POST", "/api/v1/measures/"+itoa(m.ID)+"/done", nil, nil)
		if res.StatusCode != 200 {
			t.Fatalf("close measure: %d", res.StatusCode)
		}
		res, raw = s.call(admin, "POST", "/api/v1/measures/"+itoa(m.ID)+"/done", nil, nil)
		wantError(t, res, raw, http.StatusConflict, "conflict")
	})
}

func TestRulesReclassify(t *testing.T) {
	t.Parallel()
	s := plainDemo.open(t, store.SQLite)
	admin := s.login("admin")
	res, raw := s.call(admin, "PUT", "/api/v1/assess/rules", map[string]any{"a_min": 60, "b_min": 70, "plans": map[string]int{"A": 1, "B": 2, "C": 3}}, nil)
	wantError(t, res, raw, http.StatusUnprocessableEntity, "unprocessable")
	res, raw = s.call(admin, "PUT", "/api/v1/assess/rules", map[string]any{"a_min": 50, "b_min": 40, "plans": map[string]int{"A": 1, "B": 2, "C": 3}}, nil)
	if res.StatusCode != 200 {
		t.Fatalf("rules: %d %s", res.StatusCode, raw)
	}
	var counts map[string]int
	s.getJSON(admin, "/api/v1/classes", &counts)
	if counts["A"] <= 14 {
		t.Fatalf("lower A line left %d A communities", counts["A"])
	}
	// The rubric form: drop every flag, and the vetoed communities fall back to their scores.
	form := url.Values{}
	i := 0
	for _, ind := range assess.DefaultRubric() {
		if ind.Kind == assess.Flag {
			continue
		}
		n := "rubric[" + itoa(int64(i)) + "]."
		form.Set(n+"code", ind.Code)
		form.Set(n+"dimension", string(ind.Dimension))
		form.Set(n+"name", ind.Name)
		form.Set(n+"kind", "score")
		form.Set(n+"max", itoa(int64(ind.Max)))
		i++
	}
	res, _ = s.call(admin, "POST", "/classes/rubric", form.Encode(), nil)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("rubric form: %d", res.StatusCode)
	}
	if _, raw = s.call(admin, "GET", "/classes/rules", nil, nil); !strings.Contains(string(raw), "已保存并按新标准重新分类") {
		t.Fatal("the rules page does not say the rubric was saved and the communities reclassified")
	}
	var rules struct {
		Rubric []any `json:"rubric"`
	}
	s.getJSON(admin, "/api/v1/assess/rules", &rules)
	if len(rules.Rubric) != i {
		t.Fatalf("rubric has %d indicators, want %d", len(rules.Rubric), i)
	}
}

func TestClassPagesRender(t *testing.T) {
	t.Parallel()
	s := plainDemo.open(t, store.SQLite)
	admin := s.login("admin")
	pages := map[string][]string{
		"/classes":                          {"三类研判", "各片区分类情况", "<svg", "东部片区", `data-testid="count-A">14<`, `data-testid="count-C">8<`},
		"/classes?class=C":                  {"C类 红色预警"},
		"/warnings":                         {"预警清单", "预警社区(18 个)", "方案数量不足的社区", "逾期措施"},
		"/communities/QS-01-001/assessment": {"当前类别", "录入研判", "研判记录", "班子软弱涣散", "结论:"},
		"/communities/QS-01-001/plans":      {"工作方案", "应有方案"},
		"/classes/rules":                    {"分类规则", "评分标准(满分 100)", "宗族派性严重"},
	}
	for path, wants := range pages {
		res, body := s.call(admin, "GET", path, nil, nil)
		if res.StatusCode != 200 {
			t.Errorf("%s: %d", path, res.StatusCode)
			continue
		}
		for _, w := range wants {
			if !strings.Contains(string(body), w) {
				t.Errorf("%s lacks %q", path, w)
			}
		}
	}
	res, _ := s.call(admin, "GET", "/classes?class=Z", nil, nil)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad class filter: %d", res.StatusCode)
	}
}

// Assigning an account to units makes its scope the smallest subtree that
// holds them; the warning list names who is responsible.
func TestAssignmentsMoveScope(t *testing.T) {
	t.Parallel()
	plainDemo.each(t, func(t *testing.T, s *site) {
		admin := s.login("admin")
		res, raw := s.call(admin, "POST", "/api/v1/users", map[string]any{"username": "zhou", "role": "community",
			"scope": "QS-02-001", "password": "a long password"}, nil)
		if res.StatusCode != http.StatusCreated {
			t.Fatalf("add user: %d %s", res.StatusCode, raw)
		}
		assign := func(code, duty string) (*http.Response, []byte) {
			return s.call(admin, "POST", "/api/v1/orgs/"+code+"/assignments", map[string]string{"duty": duty, "name": "周敏",
				"unit": "党群部", "phone": "13800001111", "username": "zhou"}, nil)
		}
		res, raw = assign("QS-01-002", "community_cadre")
		if res.StatusCode != http.StatusCreated || strings.Contains(string(raw), "13800001111") {
			t.Fatalf("assign: %d %s", res.StatusCode, raw)
		}
		scopeOf := func() string {
			var me struct {
				Scope struct{ Code string } `json:"scope"`
			}
			c := s.client()
			s.call(c, "POST", "/api/v1/login", map[string]string{"username": "zhou", "password": "a long password"}, nil)
			s.getJSON(c, "/api/v1/me", &me)
			return me.Scope.Code
		}
		if got := scopeOf(); got != "QS-01-002" {
			t.Fatalf("scope after one assignment: %s", got)
		}
		assign("QS-01-003", "community_cadre")
		if got := scopeOf(); got != "QS-01" {
			t.Fatalf("scope after two assignments in one district: %s", got)
		}
		res, raw = assign("QS-01", "community_cadre")
		if e := wantError(t, res, raw, http.StatusUnprocessableEntity, "unprocessable"); e.Error.Field != "duty" {
			t.Fatalf("a community duty on a district: %s", raw)
		}
		var list struct {
			Items []struct {
				ID    int64  `json:"id"`
				Phone string `json:"phone_masked"`
			} `json:"items"`
		}
		s.getJSON(admin, "/api/v1/orgs/QS-01-003/assignments", &list)
		var mine int64
		for _, a := range list.Items {
			if a.Phone == "138****1111" {
				mine = a.ID
			}
		}
		if mine == 0 {
			t.Fatalf("assignments of QS-01-003: %+v", list.Items)
		}
		res, _ = s.call(admin, "DELETE", "/api/v1/assignments/"+itoa(mine), nil, nil)
		if res.StatusCode != 200 || scopeOf() != "QS-01-002" {
			t.Fatalf("scope after removing an assignment: %d %s", res.StatusCode, scopeOf())
		}
		var warn struct {
			Items []struct {
				Responsible []string `json:"responsible"`
			} `json:"items"`
		}
		s.getJSON(admin, "/api/v1/warnings", &warn)
		if len(warn.Items) == 0 || len(warn.Items[0].Responsible) == 0 || !strings.Contains(warn.Items[0].Responsible[0], "包社区") {
			t.Fatalf("warned communities without responsible people: %+v", warn.Items)
		}
	})
}

// A score of 0 is shown as 0 when the form is prefilled, so the unchanged
// form saves again; the saved page says so.
func TestAssessmentFormKeepsZeroScores(t *testing.T) {
	t.Parallel()
	s := plainDemo.open(t, store.SQLite)
	admin := s.login("admin")
	form := url.Values{"assessed_on": {"2026-01-05"}, "assessors[0].unit": {"党群部"}, "assessors[0].name": {"王强"}}
	for _, ind := range assess.DefaultRubric() {
		if ind.Kind == assess.Score {
			form.Set(ind.Code, itoa(int64(ind.Max)))
		}
	}
	form.Set("team_unity", "0")
	res, _ := s.call(admin, "POST", "/communities/QS-04-008/assessments", form.Encode(), nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/communities/QS-04-008/assessment" {
		t.Fatalf("save: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	_, body := s.call(admin, "GET", res.Header.Get("Location"), nil, nil)
	if !regexp.MustCompile(`name="team_unity"[^>]*value="0"`).Match(body) || !strings.Contains(string(body), `data-testid="notice">研判已保存`) {
		t.Fatal("the prefilled form does not show the saved 0, or no confirmation")
	}
}
