package web_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/huanjie/huanjie/internal/assess"
)

// Every form of the ledger, the daily meeting, the progress table, the work
// teams, the battle map, the assessment and the rules comes back refused by
// the one pattern (form.go): what was typed kept, the error at the field the
// domain names, even in a list of rows some of which the form drops.
func TestFormRefusalsOfTheOnesAndClasses(t *testing.T) {
	t.Parallel()
	plainDemo.each(t, func(t *testing.T, s *site) {
		admin := s.login("admin")
		const code = "QS-01-001"
		page := func(path string) string {
			t.Helper()
			res, raw := s.call(admin, "GET", path, nil, nil)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("GET %s: %d", path, res.StatusCode)
			}
			return string(raw)
		}
		first := func(page, pattern string) string {
			t.Helper()
			m := regexp.MustCompile(pattern).FindStringSubmatch(page)
			if m == nil {
				t.Fatalf("no %s in the page", pattern)
			}
			return m[1]
		}
		// refusedWhole: a refusal about no one field, shown at the top of its page.
		refusedWhole := func(action string, form url.Values, status int, message string) {
			t.Helper()
			res, raw := s.call(admin, "POST", action, form.Encode(), nil)
			if res.StatusCode != status || !regexp.MustCompile(`data-testid="form-error"[^>]*>[^<]*`+message).Match(raw) {
				t.Errorf("POST %s: %d, want %d with %q at the top", action, res.StatusCode, status, message)
			}
		}

		// The ledger: a new item, a note, a reopening, a start and a closing.
		ledger := "/communities/" + code + "/ledger"
		s.refusedForm(admin, ledger, url.Values{"source": {"manual"}, "content": {"核对<选民>名单"}, "risk": {"low"},
			"owner": {"王芳"}, "leader": {"李书记"}, "due": {"2020-01-01"}}, http.StatusUnprocessableEntity, "due")
		var item struct{ ID int64 }
		for _, content := range []string{"停车纠纷", "选民登记公告张贴", "拉票线索核查"} {
			res, raw := s.call(admin, "POST", "/api/v1/ledger-items", map[string]any{"community": code, "source": "visit", "content": content,
				"risk": "medium", "owner": "王芳", "due": "2099-01-01"}, nil)
			if res.StatusCode != http.StatusCreated || json.Unmarshal(raw, &item) != nil {
				t.Fatalf("add a ledger item: %d %s", res.StatusCode, raw)
			}
		}
		if res, raw := s.call(admin, "POST", "/api/v1/ledger-items/"+itoa(item.ID)+"/close", map[string]any{"note": "已核实"}, nil); res.StatusCode != http.StatusOK {
			t.Fatalf("close %d: %d %s", item.ID, res.StatusCode, raw)
		}
		p := page(ledger)
		noted := first(p, `action="/ledger-items/(\d+)/notes"`)
		s.refusedForm(admin, "/ledger-items/"+noted+"/notes", url.Values{"community": {code}, "note": {""}}, http.StatusUnprocessableEntity, "note")
		reopened := first(p, `action="/ledger-items/(\d+)/reopen"`)
		s.refusedForm(admin, "/ledger-items/"+reopened+"/reopen", url.Values{"community": {code}, "reason": {""}}, http.StatusUnprocessableEntity, "reason")
		started := first(p, `action="/ledger-items/(\d+)/start"`)
		if res, _ := s.call(admin, "POST", "/ledger-items/"+started+"/start", url.Values{"community": {code}}.Encode(), nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("start %s: %d", started, res.StatusCode)
		}
		refusedWhole("/ledger-items/"+started+"/start", url.Values{"community": {code}}, http.StatusConflict, "")
		// The closing form shares its field's name with the note form of its row: only it is marked.
		res, raw := s.postFile(admin, "/ledger-items/"+noted+"/close", map[string]string{"note": " "}, "file", "证明.txt", []byte("证明"))
		closing := regexp.MustCompile(`(?s)<form method="post" action="/ledger-items/` + noted + `/close".*?</form>`).Find(raw)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(string(closing), `name="note" required value=" " id="f-note" aria-invalid="true"`) ||
			!strings.Contains(string(closing), `id="f-note-error"`) || strings.Count(string(raw), "aria-invalid") != 1 {
			t.Errorf("closing without a note: %d, its form %s", res.StatusCode, closing)
		}

		// The daily meeting: opened once, then its minutes and a decision.
		res, _ = s.call(admin, "POST", "/meetings", "", nil)
		meeting := res.Header.Get("Location")
		if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(meeting, "/meetings/") {
			t.Fatalf("open the meeting: %d to %q", res.StatusCode, meeting)
		}
		refusedWhole("/meetings", nil, http.StatusConflict, "例会已经创建")
		s.refusedForm(admin, meeting+"/record", url.Values{"attendance": {"王主任、" + strings.Repeat("李", 41)}, "minutes": {"部署<名单>公示"}},
			http.StatusUnprocessableEntity, "attendance")
		s.refusedForm(admin, meeting+"/decisions", url.Values{"community": {code}, "content": {"督促公示"}, "owner": {"片区专班"}, "due": {"2000-01-01"}},
			http.StatusUnprocessableEntity, "due")

		// The stage templates: the first row cleared (dropped), the second refused; the
		// refusal names the second row of the page, not the first stage of the list.
		var stages struct {
			Stages []struct {
				Code, Election, Name string
				Sort                 int
			}
		}
		s.getJSON(admin, "/api/v1/progress/stages", &stages)
		form := url.Values{}
		for i, st := range stages.Stages[:2] {
			n := "stages[" + itoa(int64(i)) + "]."
			form.Set(n+"code", st.Code)
			form.Set(n+"election", st.Election)
			form.Set(n+"name", st.Name)
			form.Set(n+"sort", itoa(int64(st.Sort)))
			form.Set(n+"offset_days", "999")
		}
		form.Set("stages[0].name", "")
		s.refusedForm(admin, "/progress/stages", form, http.StatusUnprocessableEntity, "stages[1].offset_days")

		// A community's stage marked done tomorrow; a stage not done taken back.
		progress := page("/communities/" + code + "/progress")
		stage := first(progress, `action="/communities/`+code+`/progress/([a-z0-9_]+)"`)
		s.refusedForm(admin, "/communities/"+code+"/progress/"+stage, url.Values{"done_on": {"2099-01-01"}, "evidence": {"党工委<批复>"}},
			http.StatusUnprocessableEntity, "done_on")
		refusedWhole("/communities/"+code+"/progress/"+stage+"/unmark", nil, http.StatusUnprocessableEntity, "尚未标记完成")

		// A district's team, among the forms of every district: only its own is marked.
		var teams struct{ Items []struct{ District string } }
		s.getJSON(admin, "/api/v1/teams", &teams)
		s.refusedForm(admin, "/teams", url.Values{"district": {teams.Items[0].District}, "name": {""}, "leader": {"张<组长>"},
			"members": {"district1 联络"}, "note": {"每周一碰头"}}, http.StatusUnprocessableEntity, "name")

		// The battle map's boundaries without a file.
		s.refusedForm(admin, "/map/shapes", url.Values{}, http.StatusUnprocessableEntity, "file")

		// The assessment: a score over its maximum; the override without a reason.
		scores := url.Values{"assessed_on": {"2026-01-05"}, "assessors[0].unit": {"党群部"}, "assessors[0].name": {"王强"}, "findings": {"班子<团结>"}}
		for _, ind := range assess.DefaultRubric() {
			if ind.Kind == assess.Score {
				scores.Set(ind.Code, itoa(int64(ind.Max)))
			}
		}
		scores.Set("team_unity", "99")
		s.refusedForm(admin, "/communities/"+code+"/assessments", scores, http.StatusUnprocessableEntity, "team_unity")
		s.refusedForm(admin, "/communities/"+code+"/override", url.Values{"class": {"B"}, "reason": {"太短"}}, http.StatusUnprocessableEntity, "reason")

		// The rules; the rubric, a deleted row before the refused one.
		s.refusedForm(admin, "/classes/rules", url.Values{"a_min": {"80"}, "b_min": {"60"}, "plans.A": {"1"}, "plans.B": {"2"}, "plans.C": {"12"}},
			http.StatusUnprocessableEntity, "plans.C")
		rubric := url.Values{}
		for i, ind := range assess.DefaultRubric()[:3] {
			n := "rubric[" + itoa(int64(i)) + "]."
			rubric.Set(n+"code", ind.Code)
			rubric.Set(n+"dimension", string(ind.Dimension))
			rubric.Set(n+"name", ind.Name)
			rubric.Set(n+"kind", string(ind.Kind))
			rubric.Set(n+"max", itoa(int64(ind.Max)))
		}
		rubric.Set("rubric[1].delete", "1")
		rubric.Set("rubric[2].max", "500")
		s.refusedForm(admin, "/classes/rubric", rubric, http.StatusUnprocessableEntity, "rubric[2].max")
	})
}
