package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/huanjie/huanjie/internal/store"
)

// The gates as each account sees them (issue 11): a reviewer's scope, the
// zone's checklists, case outcomes for the office, tips routed to the
// police, and links that open. These tests use the server only, so they
// run unchanged against the code before the fixes.

// addAccount adds an account through the users API as the zone's admin and
// returns an API token's header for it.
func (s *site) addAccount(t *testing.T, user map[string]string) map[string]string {
	t.Helper()
	user["password"] = "correct horse battery"
	res, body := s.call(nil, "POST", "/api/v1/users", user, bearer(s, "admin"))
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("add %v: %d %s", user, res.StatusCode, body)
	}
	return bearer(s, user["username"])
}

func bearer(s *site, username string) map[string]string {
	return map[string]string{"Authorization": "Bearer " + s.token(username)}
}

// browserOf signs username in with password and returns its client.
func (s *site) browserOf(t *testing.T, username, password string) *http.Client {
	t.Helper()
	c := s.client()
	res, body := s.call(c, "POST", "/api/v1/login", map[string]string{"username": username, "password": password}, nil)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("login %s: %d %s", username, res.StatusCode, body)
	}
	return c
}

type gatesQueue struct {
	Items []struct {
		ID   int64  `json:"id"`
		Name string `json:"name"`
	} `json:"items"`
	Total int `json:"total"`
}

func (q gatesQueue) idOf(t *testing.T, name string) int64 {
	t.Helper()
	for _, it := range q.Items {
		if it.Name == name {
			return it.ID
		}
	}
	t.Fatalf("%s not in the queue %+v", name, q.Items)
	return 0
}

// A reviewer created with a scope answers only the requests about aspirants
// of its subtree: queue, request, answers, Excel out and in.
func TestReviewerBoundByScope(t *testing.T) {
	t.Parallel()
	plainDemo.each(t, func(t *testing.T, s *site) {
		st := s.st
		addAspirants(t, st, "QS-01-001", "片一参选人")
		addAspirants(t, st, "QS-02-001", "片二参选人")
		res, body := s.call(nil, "POST", "/api/v1/review-rounds", map[string]string{"kind": "first", "doc_no": "范围联审1号",
			"date": "2026-11-01", "deadline": "2026-11-10"}, bearer(s, "admin"))
		if res.StatusCode != http.StatusCreated {
			t.Fatalf("round: %d %s", res.StatusCode, body)
		}
		scoped := s.addAccount(t, map[string]string{"username": "gaj-qs01", "role": "reviewer", "department": "gaj", "scope": "QS-01"})
		whole := bearer(s, "reviewer-gaj")
		queue := func(h map[string]string) gatesQueue {
			t.Helper()
			var q gatesQueue
			res, body := s.call(nil, "GET", "/api/v1/review-requests?status=open&limit=1000", nil, h)
			if res.StatusCode != http.StatusOK || json.Unmarshal(body, &q) != nil {
				t.Fatalf("queue: %d %s", res.StatusCode, body)
			}
			return q
		}
		all := queue(whole)
		in, out := all.idOf(t, "片一参选人"), all.idOf(t, "片二参选人")
		if mine := queue(scoped); mine.Total != 1 || len(mine.Items) != 1 || mine.Items[0].ID != in {
			t.Fatalf("the scoped reviewer's queue %+v, want only the request about 片一参选人", mine)
		}
		// Outside the scope: not found, on the API and the pages, and not answerable.
		res, body = s.call(nil, "GET", fmt.Sprintf("/api/v1/review-requests/%d", out), nil, scoped)
		wantError(t, res, body, http.StatusNotFound, "not_found")
		res, body = s.call(nil, "POST", fmt.Sprintf("/api/v1/review-requests/%d/answer", out), map[string]any{"verdict": "clean"}, scoped)
		wantError(t, res, body, http.StatusNotFound, "not_found")
		browser := s.browserOf(t, "gaj-qs01", "correct horse battery")
		if res, _ := s.call(browser, "GET", fmt.Sprintf("/review/requests/%d", out), nil, nil); res.StatusCode != http.StatusNotFound {
			t.Fatalf("page of a request outside the scope: %d, want 404", res.StatusCode)
		}
		res, body = s.call(browser, "GET", "/review/queue", nil, nil)
		if res.StatusCode != http.StatusOK || !strings.Contains(string(body), "片一参选人") || strings.Contains(string(body), "片二参选人") {
			t.Fatalf("queue page of the scoped reviewer: %d", res.StatusCode)
		}
		// Excel out: only the scope's request.
		res, raw := s.call(nil, "GET", "/review/queue.xlsx", nil, scoped)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("export: %d %s", res.StatusCode, raw)
		}
		f, err := excelize.OpenReader(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := f.GetRows("联审任务")
		if len(rows) != 2 || rows[1][1] != "片一参选人" {
			t.Fatalf("export rows %q, want the header and 片一参选人", rows)
		}
		// Excel in: a row about the other district's aspirant fails the file.
		f.SetCellValue("联审任务", "G2", "无异常")
		f.SetCellValue("联审任务", "A3", out)
		f.SetCellValue("联审任务", "G3", "无异常")
		var file bytes.Buffer
		f.WriteTo(&file)
		res, body = s.postFile(browser, "/api/v1/review-requests/import", nil, "file", "q.xlsx", file.Bytes())
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(string(body), fmt.Sprint(out)) {
			t.Fatalf("import naming a request outside the scope: %d %s", res.StatusCode, body)
		}
		if q := queue(whole); q.Total != 2 {
			t.Fatalf("a refused file answered something: %d open, want 2", q.Total)
		}
		// Inside the scope it answers; the reviewer without a scope keeps the whole tree.
		res, body = s.call(nil, "POST", fmt.Sprintf("/api/v1/review-requests/%d/answer", in), map[string]any{"verdict": "clean"}, scoped)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("answer inside the scope: %d %s", res.StatusCode, body)
		}
		res, body = s.call(nil, "POST", fmt.Sprintf("/api/v1/review-requests/%d/answer", out), map[string]any{"verdict": "clean"}, whole)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("answer by the reviewer of the whole tree: %d %s", res.StatusCode, body)
		}
	})
}

// Department checklists are the zone's: an office scoped to a district may
// not change them, but starts rounds over its own aspirants only.
func TestScopedOfficeChecklistsAndRounds(t *testing.T) {
	t.Parallel()
	plainDemo.each(t, func(t *testing.T, s *site) {
		st := s.st
		mine := addAspirants(t, st, "QS-01-001", "片一自荐人")
		theirs := addAspirants(t, st, "QS-02-001", "片二自荐人")
		scoped := s.addAccount(t, map[string]string{"username": "office-qs01", "role": "admin", "scope": "QS-01"})
		checklist := func() string {
			t.Helper()
			res, body := s.call(nil, "GET", "/api/v1/review/departments", nil, bearer(s, "admin"))
			if res.StatusCode != http.StatusOK {
				t.Fatalf("departments: %d %s", res.StatusCode, body)
			}
			return string(body)
		}
		before := checklist()
		res, body := s.call(nil, "PUT", "/api/v1/review/departments/mzj", map[string]any{"checklist": []string{"not_voter"}}, scoped)
		wantError(t, res, body, http.StatusForbidden, "forbidden")
		browser := s.browserOf(t, "office-qs01", "correct horse battery")
		res, body = s.call(browser, "POST", "/review/departments/mzj", "checklist=not_voter", nil)
		if res.StatusCode != http.StatusForbidden || !hasHan(string(body)) {
			t.Fatalf("checklist form by a scoped office: %d", res.StatusCode)
		}
		if after := checklist(); after != before {
			t.Fatalf("a scoped office changed a checklist:\n%s\n%s", before, after)
		}
		res, body = s.call(nil, "PUT", "/api/v1/review/departments/mzj", map[string]any{"checklist": []string{"not_voter"}}, bearer(s, "admin"))
		if res.StatusCode != http.StatusOK {
			t.Fatalf("checklist by the zone's office: %d %s", res.StatusCode, body)
		}

		res, body = s.call(nil, "POST", "/api/v1/review-rounds", map[string]string{"kind": "first", "doc_no": "片一联审1号",
			"date": "2026-11-01", "deadline": "2026-11-10"}, scoped)
		var started struct{ Requests, Aspirants int }
		if res.StatusCode != http.StatusCreated || json.Unmarshal(body, &started) != nil || started.Aspirants != 1 || started.Requests != 20 {
			t.Fatalf("round by a scoped office: %d %s, want 1 aspirant × 20 departments", res.StatusCode, body)
		}
		status := func(id int64) string {
			var a struct{ Aspirant struct{ Status string } }
			res, body := s.call(nil, "GET", fmt.Sprintf("/api/v1/aspirants/%d", id), nil, bearer(s, "admin"))
			if res.StatusCode != http.StatusOK || json.Unmarshal(body, &a) != nil {
				t.Fatalf("aspirant %d: %d %s", id, res.StatusCode, body)
			}
			return a.Aspirant.Status
		}
		if status(mine[0]) != "under_review" || status(theirs[0]) != "registered" {
			t.Fatalf("after the scoped round: %s, %s; want under_review, registered", status(mine[0]), status(theirs[0]))
		}
		// Nor can it send the other district's aspirant by name.
		res, body = s.call(nil, "POST", "/api/v1/review-rounds", map[string]any{"kind": "first", "doc_no": "片一联审2号",
			"date": "2026-11-01", "deadline": "2026-11-10", "aspirant_ids": theirs}, scoped)
		wantError(t, res, body, http.StatusUnprocessableEntity, "unprocessable")
	})
}

// investigation is what only those who handle cases may read of them.
var investigation = []string{"贿选调查卷宗摘要", "当事人钱某某", "尚在调查的案情", "\"summary\"", "\"parties\"", "\"source\""}

// The office, leaders and the party committee see case outcomes, not the
// investigation; the discipline commission and the police see all of it.
func TestCaseOutcomesByRole(t *testing.T) {
	t.Parallel()
	plainDemo.each(t, func(t *testing.T, s *site) {
		st := s.st
		ids := addAspirants(t, st, "QS-01-001", "处理甲", "处理乙")
		police := bearer(s, "police")
		add := func(summary, party string, aspirant int64) int64 {
			t.Helper()
			res, body := s.call(nil, "POST", "/api/v1/cases", map[string]any{"community": "QS-01-001", "source": "police",
				"summary": summary, "parties": []string{party}, "aspirant_ids": []int64{aspirant}}, police)
			var c struct{ ID int64 }
			if res.StatusCode != http.StatusCreated || json.Unmarshal(body, &c) != nil {
				t.Fatalf("case: %d %s", res.StatusCode, body)
			}
			return c.ID
		}
		decided := add("贿选调查卷宗摘要", "当事人钱某某", ids[0])
		open := add("尚在调查的案情", "当事人钱某某", ids[1])
		for _, to := range []string{"investigating", "handling"} {
			if res, body := s.call(nil, "POST", fmt.Sprintf("/api/v1/cases/%d/status", decided), map[string]string{"status": to}, police); res.StatusCode != http.StatusOK {
				t.Fatalf("move: %d %s", res.StatusCode, body)
			}
		}
		res, body := s.call(nil, "POST", fmt.Sprintf("/api/v1/cases/%d/outcome", decided), map[string]string{"outcome": "disqualify",
			"note": "以金钱拉票,取消参选资格"}, police)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("outcome: %d %s", res.StatusCode, body)
		}

		for _, who := range []string{"admin", "leader", "committee"} {
			h := bearer(s, who)
			var list struct {
				Items []map[string]any `json:"items"`
				Total int              `json:"total"`
			}
			res, body := s.call(nil, "GET", "/api/v1/cases", nil, h)
			if res.StatusCode != http.StatusOK || json.Unmarshal(body, &list) != nil {
				t.Fatalf("%s cases: %d %s", who, res.StatusCode, body)
			}
			if list.Total != 1 || len(list.Items) != 1 || list.Items[0]["outcome_label"] != "取消参选资格" ||
				list.Items[0]["outcome_note"] != "以金钱拉票,取消参选资格" || list.Items[0]["decided_on"] == "" ||
				!strings.Contains(string(body), "处理甲") {
				t.Fatalf("%s sees %s, want the one decided case's outcome", who, body)
			}
			for k := range list.Items[0] {
				if !slices.Contains([]string{"id", "community", "community_name", "aspirants", "outcome", "outcome_label", "outcome_note", "decided_on"}, k) {
					t.Errorf("%s's case JSON holds %q", who, k)
				}
			}
			res, body = s.call(nil, "GET", fmt.Sprintf("/api/v1/cases/%d", decided), nil, h)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("%s case: %d %s", who, res.StatusCode, body)
			}
			noInvestigation(t, who+" GET /api/v1/cases/id", body)
			res, body = s.call(nil, "GET", fmt.Sprintf("/api/v1/cases/%d", open), nil, h)
			wantError(t, res, body, http.StatusNotFound, "not_found")

			c := s.login(who)
			for _, p := range []string{"/cases", fmt.Sprintf("/cases/%d", decided), fmt.Sprintf("/aspirants/%d", ids[0]),
				fmt.Sprintf("/aspirants/%d/print", ids[1]), fmt.Sprintf("/api/v1/aspirants/%d", ids[0])} {
				res, body := s.call(c, "GET", p, nil, nil)
				if res.StatusCode != http.StatusOK {
					t.Fatalf("%s GET %s: %d", who, p, res.StatusCode)
				}
				noInvestigation(t, who+" GET "+p, body)
			}
			_, body = s.call(c, "GET", "/cases", nil, nil)
			if !strings.Contains(string(body), "案件处理结果") || strings.Contains(string(body), `data-testid="case-form"`) ||
				strings.Contains(string(body), "立案") || !strings.Contains(string(body), "以金钱拉票") {
				t.Fatalf("%s's cases page is not the table of outcomes:\n%s", who, body)
			}
			if res, _ := s.call(c, "GET", fmt.Sprintf("/cases/%d", open), nil, nil); res.StatusCode != http.StatusNotFound {
				t.Fatalf("%s opens an undecided case: %d", who, res.StatusCode)
			}
		}

		for _, who := range []string{"discipline", "police"} {
			var list struct {
				Items []struct {
					Summary string   `json:"summary"`
					Parties []string `json:"parties"`
				} `json:"items"`
				Total int `json:"total"`
			}
			res, body := s.call(nil, "GET", "/api/v1/cases", nil, bearer(s, who))
			if res.StatusCode != http.StatusOK || json.Unmarshal(body, &list) != nil || list.Total != 2 || list.Items[0].Summary == "" ||
				len(list.Items[0].Parties) != 1 {
				t.Fatalf("%s cases: %d %s, want both, whole", who, res.StatusCode, body)
			}
			c := s.login(who)
			_, body = s.call(c, "GET", "/cases", nil, nil)
			if !strings.Contains(string(body), "尚在调查的案情") || !strings.Contains(string(body), "立案") {
				t.Fatalf("%s's cases page lacks the investigation or the form", who)
			}
			_, body = s.call(c, "GET", fmt.Sprintf("/cases/%d", decided), nil, nil)
			if !strings.Contains(string(body), "贿选调查卷宗摘要") || !strings.Contains(string(body), "当事人钱某某") {
				t.Fatalf("%s's case page lacks the investigation", who)
			}
		}
	})
}

func noInvestigation(t *testing.T, where string, body []byte) {
	t.Helper()
	for _, s := range investigation {
		if strings.Contains(string(body), s) {
			t.Errorf("%s shows %q of the investigation", where, s)
		}
	}
}

// A tip routed to the police is the only kind the police see: list, page,
// JSON, files and contact; the office and the discipline commission route
// it, in the form and the API, audited.
func TestTipsRoutedToPolice(t *testing.T) {
	t.Parallel()
	plainDemo.each(t, func(t *testing.T, s *site) {
		st := s.st
		png := photo(t, "png") // a whole image: a tip's photo is cleaned of metadata, a broken one refused
		for _, person := range []string{"移交某", "留办某"} {
			res, body := s.postFile(s.client(), "/api/v1/tips", map[string]string{"community": "QS-01-001", "person": person,
				"category": "crime", "description": tipDescription + person, "contact": "微信 " + person}, "files", "现场.png", png)
			if res.StatusCode != http.StatusCreated {
				t.Fatalf("tip: %d %s", res.StatusCode, body)
			}
		}
		type tipItem struct {
			ID       int64  `json:"id"`
			Person   string `json:"person"`
			RoutedTo string `json:"routed_to"`
			Files    []struct {
				ID int64 `json:"id"`
			} `json:"files"`
		}
		list := func(h map[string]string) (items []tipItem) {
			t.Helper()
			var l struct {
				Items []tipItem `json:"items"`
				Total int       `json:"total"`
			}
			res, body := s.call(nil, "GET", "/api/v1/tips", nil, h)
			if res.StatusCode != http.StatusOK || json.Unmarshal(body, &l) != nil || l.Total != len(l.Items) {
				t.Fatalf("tips: %d %s", res.StatusCode, body)
			}
			return l.Items
		}
		discipline, police, admin := bearer(s, "discipline"), bearer(s, "police"), bearer(s, "admin")
		var routed, kept tipItem
		for _, it := range list(discipline) {
			var d tipItem
			res, body := s.call(nil, "GET", fmt.Sprintf("/api/v1/tips/%d/detail", it.ID), nil, discipline)
			if res.StatusCode != http.StatusOK || json.Unmarshal(body, &d) != nil || len(d.Files) != 1 {
				t.Fatalf("detail: %d %s", res.StatusCode, body)
			}
			if it.Person == "移交某" {
				routed = d
			} else {
				kept = d
			}
		}
		if routed.ID == 0 || kept.ID == 0 {
			t.Fatal("the two tips are not listed to the discipline commission")
		}
		hidden := func(tip tipItem, when string) {
			t.Helper()
			for _, it := range list(police) {
				if it.ID == tip.ID {
					t.Fatalf("%s: the police list tip %d", when, tip.ID)
				}
			}
			for _, call := range [][2]string{
				{"GET", fmt.Sprintf("/api/v1/tips/%d/detail", tip.ID)},
				{"POST", fmt.Sprintf("/api/v1/tips/%d/contact", tip.ID)},
				{"POST", fmt.Sprintf("/api/v1/tips/%d/triage", tip.ID)},
				{"GET", fmt.Sprintf("/tips/%d", tip.ID)},
				{"GET", fmt.Sprintf("/tips/%d/files/%d", tip.ID, tip.Files[0].ID)},
			} {
				var in any
				if call[0] == "POST" {
					in = map[string]any{"status": "verifying"}
				}
				if res, body := s.call(nil, call[0], call[1], in, police); res.StatusCode != http.StatusNotFound {
					t.Fatalf("%s: police %s %s: %d %s, want 404", when, call[0], call[1], res.StatusCode, body)
				}
			}
		}
		hidden(routed, "before routing")
		hidden(kept, "before routing")

		// The office routes one by the API, audited.
		res, body := s.call(nil, "POST", fmt.Sprintf("/api/v1/tips/%d/triage", routed.ID), map[string]any{"routed_to": "police"}, admin)
		if res.StatusCode != http.StatusOK || !strings.Contains(string(body), `"routed_to":"police"`) {
			t.Fatalf("route to the police: %d %s", res.StatusCode, body)
		}
		entries, err := st.Zone(store.System).AuditLog(context.Background(), store.AuditFilter{Action: "tip.triage"})
		if err != nil || len(entries) != 1 || entries[0].Actor != "admin" || !strings.Contains(string(entries[0].After), "police") {
			t.Fatalf("routing audit: %+v %v", entries, err)
		}
		if got := list(police); len(got) != 1 || got[0].ID != routed.ID || got[0].RoutedTo != "police" {
			t.Fatalf("the police list %+v, want the routed tip only", got)
		}
		hidden(kept, "after routing")
		pc := s.login("police")
		for _, p := range []string{"/tips", fmt.Sprintf("/tips/%d", routed.ID), fmt.Sprintf("/tips/%d/files/%d", routed.ID, routed.Files[0].ID)} {
			res, body := s.call(pc, "GET", p, nil, nil)
			if res.StatusCode != http.StatusOK || strings.Contains(string(body), "留办某") {
				t.Fatalf("police GET %s: %d", p, res.StatusCode)
			}
		}
		if _, body := s.call(pc, "GET", fmt.Sprintf("/tips/%d", routed.ID), nil, nil); strings.Contains(string(body), `name="routed_to"`) {
			t.Fatal("the police are offered to route a tip")
		}
		res, body = s.call(nil, "POST", fmt.Sprintf("/api/v1/tips/%d/contact", routed.ID), map[string]any{}, police)
		if res.StatusCode != http.StatusOK || !strings.Contains(string(body), "移交某") {
			t.Fatalf("police reveal the contact of a routed tip: %d %s", res.StatusCode, body)
		}
		res, body = s.call(nil, "POST", fmt.Sprintf("/api/v1/tips/%d/triage", routed.ID), map[string]any{"status": "verifying"}, police)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("police triage a routed tip: %d %s", res.StatusCode, body)
		}
		res, body = s.call(nil, "POST", fmt.Sprintf("/api/v1/tips/%d/triage", routed.ID), map[string]any{"routed_to": ""}, police)
		wantError(t, res, body, http.StatusForbidden, "forbidden")
		res, body = s.call(nil, "POST", fmt.Sprintf("/api/v1/tips/%d/triage", kept.ID), map[string]any{"routed_to": "court"}, discipline)
		wantError(t, res, body, http.StatusUnprocessableEntity, "unprocessable")

		// The discipline commission routes the other by the page's form, then takes the first back.
		dc := s.login("discipline")
		if _, body := s.call(dc, "GET", fmt.Sprintf("/tips/%d", kept.ID), nil, nil); !strings.Contains(string(body), `name="routed_to"`) {
			t.Fatal("the triage form offers no routing")
		}
		res, _ = s.call(dc, "POST", fmt.Sprintf("/tips/%d/triage", kept.ID), "routed_to=police", nil)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("route by the form: %d", res.StatusCode)
		}
		if _, body := s.call(dc, "GET", fmt.Sprintf("/tips/%d", kept.ID), nil, nil); !strings.Contains(string(body), "公安机关") {
			t.Fatal("the tip page does not show the route")
		}
		res, body = s.call(nil, "POST", fmt.Sprintf("/api/v1/tips/%d/triage", routed.ID), map[string]any{"routed_to": ""}, discipline)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("take back: %d %s", res.StatusCode, body)
		}
		if got := list(police); len(got) != 1 || got[0].ID != kept.ID {
			t.Fatalf("the police list %+v after the swap, want %d only", got, kept.ID)
		}
		hidden(routed, "after taking it back")
	})
}

var hrefPattern = regexp.MustCompile(`href="(/[^"]*)"`)

// Every link the gates' pages show opens for the user who sees it, in the
// demo zone with its aspirants, rounds, tips, cases and meetings, with a tip
// routed to the police.
func TestGatesLinksOpen(t *testing.T) {
	t.Parallel()
	fullDemo.each(t, func(t *testing.T, s *site) {
		admin := bearer(s, "admin")
		var tips struct {
			Items []struct {
				ID int64 `json:"id"`
			} `json:"items"`
		}
		s.getJSON2(admin, "/api/v1/tips", &tips)
		if len(tips.Items) < 2 {
			t.Fatalf("demo tips %+v", tips.Items)
		}
		res, body := s.call(nil, "POST", fmt.Sprintf("/api/v1/tips/%d/triage", tips.Items[0].ID), map[string]any{"routed_to": "police"}, admin)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("route: %d %s", res.StatusCode, body)
		}
		// A case opened on another tip, not decided: the office does not see it.
		var tip struct {
			Community string `json:"community"`
		}
		s.getJSON2(admin, fmt.Sprintf("/api/v1/tips/%d/detail", tips.Items[1].ID), &tip)
		res, body = s.call(nil, "POST", "/api/v1/cases", map[string]any{"community": tip.Community, "source": "tip",
			"tip_id": tips.Items[1].ID, "summary": "据群众举报立案调查", "parties": []string{"某某"}}, bearer(s, "discipline"))
		if res.StatusCode != http.StatusCreated {
			t.Fatalf("case on a tip: %d %s", res.StatusCode, body)
		}
		var meetings struct {
			Items []struct {
				ID int64 `json:"id"`
			} `json:"items"`
		}
		s.getJSON2(admin, "/api/v1/review-meetings", &meetings)
		var cases struct {
			Items []struct {
				ID int64 `json:"id"`
			} `json:"items"`
		}
		s.getJSON2(bearer(s, "discipline"), "/api/v1/cases", &cases)
		var aspirants struct {
			Items []struct {
				ID int64 `json:"id"`
			} `json:"items"`
		}
		s.getJSON2(admin, "/api/v1/aspirants?limit=1", &aspirants)
		var queue gatesQueue
		s.getJSON2(bearer(s, "reviewer-gaj"), "/api/v1/review-requests?limit=1", &queue)
		if len(meetings.Items) == 0 || len(cases.Items) == 0 || len(aspirants.Items) == 0 || len(queue.Items) == 0 {
			t.Fatal("the demo zone lacks its gates")
		}
		pages := []string{"/aspirants", fmt.Sprintf("/aspirants/%d", aspirants.Items[0].ID), fmt.Sprintf("/aspirants/%d/print", aspirants.Items[0].ID),
			"/review", "/review/departments", "/review/overdue", "/review/misses", "/review/queue", "/review/queue/import",
			fmt.Sprintf("/review/requests/%d", queue.Items[0].ID), "/tips", "/cases", "/discipline", "/second-review",
			fmt.Sprintf("/second-review/meetings/%d", meetings.Items[0].ID), "/vetting/stats"}
		for _, tp := range tips.Items {
			pages = append(pages, fmt.Sprintf("/tips/%d", tp.ID))
		}
		for _, c := range cases.Items {
			pages = append(pages, fmt.Sprintf("/cases/%d", c.ID))
		}
		for _, who := range []string{"admin", "leader", "district1", "community1", "reviewer-gaj", "discipline", "police", "committee"} {
			c := s.login(who)
			type answer struct {
				code int
				body []byte
			}
			opened := map[string]answer{}
			get := func(p string) (int, []byte) {
				if a, ok := opened[p]; ok {
					return a.code, a.body
				}
				res, body := s.call(c, "GET", p, nil, nil)
				opened[p] = answer{res.StatusCode, body}
				return res.StatusCode, body
			}
			for _, p := range pages {
				status, body := get(p)
				if status != http.StatusOK {
					continue // a page this account does not open: no link to follow
				}
				main := string(body)
				if i := strings.Index(main, `<main`); i >= 0 {
					main = main[i:]
				}
				for _, m := range hrefPattern.FindAllStringSubmatch(main, -1) {
					href := html.UnescapeString(m[1])
					if strings.HasPrefix(href, "/static/") {
						continue
					}
					if code, _ := get(href); code == http.StatusForbidden || code == http.StatusNotFound {
						t.Errorf("%s: %s links %s, which answers %d", who, p, href, code)
					}
				}
			}
		}
	})
}
