package web_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/huanjie/huanjie/internal/civil"
)

type programmeJSON struct {
	Exists    bool `json:"exists"`
	Programme struct {
		ID        int64  `json:"id"`
		Title     string `json:"title"`
		StartYear int    `json:"start_year"`
		EndYear   int    `json:"end_year"`
		Status    string `json:"status"`
		Goals     []struct {
			ID         int64  `json:"id"`
			Title      string `json:"title"`
			Milestones []struct {
				ID    int64  `json:"id"`
				State string `json:"state"`
			} `json:"milestones"`
		} `json:"goals"`
	} `json:"programme"`
	Total struct {
		Milestones int `json:"milestones"`
		Done       int `json:"done"`
	} `json:"progress_total"`
	Blocked   string `json:"adoption_blocked"`
	Proposals struct {
		Total     int `json:"total"`
		Pending   int `json:"pending"`
		Proposals []struct {
			Visit       int64 `json:"visit_id"`
			Disposition *struct {
				Outcome string `json:"outcome"`
			} `json:"disposition"`
		} `json:"proposals"`
	} `json:"proposals"`
}

// A community's five-year programme through the real server: proposals
// recorded on visits after the election listed on a page in Chinese that
// the visits page links to; a refused form keeping what was typed and
// pointing at its field; goals, milestones and dispositions through the
// API twin, refusals on their field; another community's staff finding
// nothing; adoption refused while a proposal waits, then taken by the
// page's form; the programme frozen (409) but for progress; the A4 print
// with its seal block; the workbook with its goals and proposals.
func TestProgramme(t *testing.T) {
	t.Parallel()
	plainDemo.each(t, func(t *testing.T, s *site) {
		s.st.SetClock(func() time.Time { return time.Date(2027, 3, 1, 9, 0, 0, 0, civil.Zone) })
		const code = "QS-01-001"
		api, pages := "/api/v1/communities/"+code+"/programme", "/communities/"+code+"/programme"
		admin, staff := bearer(s, "admin"), bearer(s, "community1")
		call := func(h map[string]string, method, path string, body any, want int) string {
			t.Helper()
			res, raw := s.call(nil, method, path, body, h)
			if res.StatusCode != want {
				t.Fatalf("%s %s: %d (want %d) %s", method, path, res.StatusCode, want, raw)
			}
			return string(raw)
		}
		read := func() programmeJSON {
			t.Helper()
			var p programmeJSON
			if err := json.Unmarshal([]byte(call(staff, "GET", api, nil, http.StatusOK)), &p); err != nil {
				t.Fatal(err)
			}
			return p
		}
		call(admin, "POST", "/api/v1/users", map[string]string{"username": "community2", "role": "community", "scope": "QS-01-002",
			"password": "a long enough password"}, http.StatusCreated)
		stranger := bearer(s, "community2")

		// Two proposals made on visits after the election.
		var visits []int64
		for i, text := range []string{"建议加装电梯", "建议把菜市场搬进小区"} {
			var h struct {
				ID int64 `json:"id"`
			}
			json.Unmarshal([]byte(call(staff, "POST", "/api/v1/communities/"+code+"/households", map[string]any{
				"address": fmt.Sprintf("问计楼%d01", i+1), "head": "户主", "size": 2}, http.StatusCreated)), &h)
			var v struct {
				ID int64 `json:"id"`
			}
			json.Unmarshal([]byte(call(staff, "POST", "/api/v1/visits", map[string]any{"client_id": fmt.Sprintf("5f0c6a52-1b7e-4c1a-9e55-0a1b2c3d4e5%d", i),
				"community": code, "round": "after", "household_id": h.ID, "visitors": []string{"新任委员甲"}, "visited_on": "2027-02-20",
				"method": "meeting", "proposals": text}, http.StatusCreated)), &v)
			visits = append(visits, v.ID)
		}

		// The page before a programme: the proposals and the form to make one.
		browser := s.login("community1")
		if page := s.page(browser, "/communities/"+code+"/visits?round=after"); !strings.Contains(page, `href="`+pages+`"`) {
			t.Error("the visits page does not link to the programme")
		}
		page := s.page(browser, pages)
		for _, want := range []string{"建立五年施政纲领", "建议加装电梯", "尚未处理", `data-testid="programme-form"`} {
			if !strings.Contains(page, want) {
				t.Errorf("the page before a programme lacks %q", want)
			}
		}
		if p := read(); p.Exists || p.Proposals.Total != 2 || p.Proposals.Pending != 2 {
			t.Fatalf("before a programme: %+v", p)
		}

		// A term of more than five years: refused, what was typed kept, the field marked.
		refused := s.refusedForm(browser, pages, url.Values{"title": {"辛庄社区施政纲领"}, "start_year": {"2027"}, "end_year": {"2040"}},
			http.StatusUnprocessableEntity, "end_year")
		if !strings.Contains(refused, "任期最长五年") {
			t.Error("the refusal does not say why in Chinese")
		}
		if read().Exists {
			t.Fatal("a refused form made a programme")
		}
		res, _ := s.call(browser, "POST", pages, url.Values{"title": {"辛庄社区施政纲领"}, "start_year": {"2027"}, "end_year": {"2031"}}.Encode(), nil)
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != pages {
			t.Fatalf("the programme's form: %d to %q", res.StatusCode, res.Header.Get("Location"))
		}

		// Goals, a milestone and dispositions through the API twin.
		var goal struct {
			ID int64 `json:"id"`
		}
		json.Unmarshal([]byte(call(staff, "POST", api+"/goals", map[string]any{"title": "老旧小区加装电梯", "area": "livelihood",
			"measures": "摸底意愿\n争取补贴"}, http.StatusCreated)), &goal)
		if raw := call(staff, "POST", api+"/goals", map[string]any{"title": " ", "area": "livelihood"}, http.StatusUnprocessableEntity); !strings.Contains(raw, `"field":"title"`) {
			t.Errorf("a goal without a title: %s", raw)
		}
		var milestone struct {
			ID int64 `json:"id"`
		}
		if raw := call(staff, "PUT", fmt.Sprintf("%s/goals/%d/milestones", api, goal.ID), map[string]any{"year": 2032, "text": "超出任期"},
			http.StatusUnprocessableEntity); !strings.Contains(raw, `"field":"year"`) || !strings.Contains(raw, "任期内") {
			t.Errorf("a milestone after the term: %s", raw)
		}
		json.Unmarshal([]byte(call(staff, "PUT", fmt.Sprintf("%s/goals/%d/milestones", api, goal.ID), map[string]any{"year": 2027,
			"text": "完成意愿摸底"}, http.StatusOK)), &milestone)
		call(staff, "PUT", fmt.Sprintf("%s/proposals/%d", api, visits[0]), map[string]any{"outcome": "adopt", "goal_id": goal.ID}, http.StatusOK)

		// Another community's staff find nothing, and change nothing.
		call(stranger, "GET", api, nil, http.StatusNotFound)
		call(stranger, "GET", pages, nil, http.StatusNotFound)
		call(stranger, "PUT", fmt.Sprintf("%s/proposals/%d", api, visits[1]), map[string]any{"outcome": "decline", "note": "越界"}, http.StatusNotFound)
		call(stranger, "POST", fmt.Sprintf("%s/milestones/%d/progress", api, milestone.ID), map[string]any{"state": "done"}, http.StatusNotFound)

		// Adoption waits for the second proposal.
		adoption := map[string]any{"adopted_on": "2027-02-28", "meeting": "居民代表会议", "document": "关于通过五年施政纲领的决议"}
		if raw := call(staff, "POST", api+"/adoption", adoption, http.StatusUnprocessableEntity); !strings.Contains(raw, "还有 1 条") {
			t.Errorf("adopted with a proposal waiting: %s", raw)
		}
		if p := read(); p.Programme.Status != "draft" || !strings.Contains(p.Blocked, "还有 1 条") {
			t.Errorf("after a refused adoption: %+v", p)
		}
		s.refusedForm(browser, fmt.Sprintf("%s/proposals/%d", pages, visits[1]), url.Values{"outcome": {"decline"}, "note": {""}},
			http.StatusUnprocessableEntity, "note")
		call(staff, "PUT", fmt.Sprintf("%s/proposals/%d", api, visits[1]), map[string]any{"outcome": "decline", "note": "不属于社区职责,已转街道"},
			http.StatusOK)
		if p := read(); p.Blocked != "" || p.Proposals.Pending != 0 {
			t.Fatalf("every proposal disposed: %+v", p)
		}
		res, _ = s.call(browser, "POST", pages+"/adoption", url.Values{"adopted_on": {"2027-02-28"}, "meeting": {"居民代表会议"},
			"document": {"关于通过五年施政纲领的决议"}}.Encode(), nil)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("the adoption's form: %d", res.StatusCode)
		}

		// Frozen, but for progress.
		if raw := call(staff, "PUT", fmt.Sprintf("%s/goals/%d", api, goal.ID), map[string]any{"title": "改", "area": "other"},
			http.StatusConflict); !strings.Contains(raw, "已于2027-02-28经居民代表会议通过") {
			t.Errorf("a goal changed after adoption: %s", raw)
		}
		call(staff, "POST", fmt.Sprintf("%s/milestones/%d/progress", api, milestone.ID), map[string]any{"state": "done", "note": "已完成摸底"},
			http.StatusOK)
		p := read()
		if p.Programme.Status != "adopted" || p.Total.Milestones != 1 || p.Total.Done != 1 || len(p.Programme.Goals) != 1 ||
			p.Programme.Goals[0].Milestones[0].State != "done" {
			t.Fatalf("adopted, progress reported: %+v", p)
		}
		page = s.page(browser, pages)
		for _, want := range []string{"已通过", "关于通过五年施政纲领的决议", "报告进展", "已完成摸底", "不予采纳", "不属于社区职责,已转街道"} {
			if !strings.Contains(page, want) {
				t.Errorf("the adopted programme's page lacks %q", want)
			}
		}
		if strings.Contains(page, `data-testid="goal-form"`) || strings.Contains(page, `data-testid="disposition-form"`) {
			t.Error("the adopted programme's page offers changes it refuses")
		}
		usernames := func(w string) bool { _, ok := s.accounts[w]; return ok || w == "community2" }
		if w := latinIn(visibleText([]byte(page)), usernames); w != nil {
			t.Errorf("the page shows Latin letters %q", w)
		}

		// The document on A4, with its seal block.
		print := s.page(browser, pages+"/print")
		for _, want := range []string{"辛庄社区施政纲领", "老旧小区加装电梯", "完成意愿摸底", "2027-02-28 经居民代表会议审议通过", "(盖章)",
			"共收到建议 2 条,其中采纳 1 条,合并采纳 0 条,不予采纳 1 条", "不属于社区职责,已转街道"} {
			if !strings.Contains(print, want) {
				t.Errorf("the print lacks %q", want)
			}
		}
		if strings.Contains(print, "草案") {
			t.Error("the adopted programme prints as a draft")
		}

		// The workbook.
		res, book := s.call(browser, "GET", pages+".xlsx", nil, nil)
		if res.StatusCode != http.StatusOK || !strings.Contains(res.Header.Get("Content-Type"), "spreadsheetml") {
			t.Fatalf("export: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
		}
		f, err := excelize.OpenReader(bytes.NewReader(book))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		goals, err := f.GetRows("目标与里程碑")
		if err != nil || len(goals) != 2 || goals[1][2] != "老旧小区加装电梯" || goals[1][5] != "完成意愿摸底" || goals[1][6] != "已完成" {
			t.Errorf("the goals' sheet: %q %v", goals, err)
		}
		proposals, err := f.GetRows("建议处理情况")
		if err != nil || len(proposals) != 3 || proposals[2][4] != "不予采纳" || proposals[2][6] != "不属于社区职责,已转街道" {
			t.Errorf("the proposals' sheet: %q %v", proposals, err)
		}
		if years, err := f.GetRows("年度进展"); err != nil || len(years) != 7 || years[6][0] != "合计" || years[6][2] != "1" {
			t.Errorf("the progress sheet: %q %v", years, err)
		}

		// The audit log names every act, field and value in Chinese.
		log := visibleText([]byte(s.page(s.login("admin"), "/audit?action=programme&limit=100")))
		for _, want := range []string{"建立或修改五年施政纲领", "增加施政纲领目标", "设定施政纲领年度里程碑", "处理问计于民的建议",
			"登记居民代表会议通过五年施政纲领", "报告施政纲领里程碑进展", "任期结束年份", "民生服务", "不予采纳", "已完成", "已通过"} {
			if !strings.Contains(log, want) {
				t.Errorf("the audit log of the programme lacks %q", want)
			}
		}
		if strings.Contains(log, "其他") {
			t.Errorf("the audit log names a field of the programme 其他 (no label):\n%s", log)
		}
		if w := latinIn(log, usernames); w != nil {
			t.Errorf("the audit log shows Latin letters %q", w)
		}
		if !strings.Contains(visibleText([]byte(s.page(s.login("admin"), "/audit?action=export.programme"))), "导出五年施政纲领") {
			t.Error("the export is not audited")
		}
	})
}
