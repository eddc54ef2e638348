package e2e

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/huanjie/huanjie/internal/assess"
	"github.com/huanjie/huanjie/internal/demo"
	"github.com/huanjie/huanjie/internal/org"
)

// classCounts are the figures of the class overview (/classes) or of
// GET /api/v1/classes.
type classCounts struct {
	A, B, C    int
	Unassessed int `json:"unassessed"`
}

// apiCommunity is the part of an item of GET /api/v1/communities the test reads.
type apiCommunity struct {
	Code  string       `json:"code"`
	Class assess.Class `json:"class"`
	Plans int          `json:"plans"`
}

// TestThreeClassesReassessAndPlans signs the admin in, reads the class
// overview, then on a phone-sized screen reassesses an A community with the
// veto flag 群体上访不断 (it becomes C with a red warning and an explanation),
// checks that an out-of-range score is refused in Chinese without a change,
// adds the plans a C community needs, and checks the warning list.
func TestThreeClassesReassessAndPlans(t *testing.T) {
	s, tb := start(t)
	admin := s.account(t, "admin")

	tb.open("/login")
	resp := tb.login(admin.Username, admin.Password, click)
	if resp.Status != http.StatusOK || tb.path() != "/" {
		t.Fatalf("after login: status %d at %s, want 200 at /", resp.Status, tb.path())
	}

	// 1. The overview: its figures agree with the API and add up to the
	// zone's communities; the chart has a bar per district with the API's
	// numbers.
	before := classesOverview(t, s, tb)

	// 2. An A community (by the demo's draw and still A now: tests share the
	// server), other than the communities the other tests use.
	listed := classesFetch[struct{ Items []apiCommunity }](tb, "/api/v1/communities?class=A")
	var code string
	var plansBefore int
	for _, a := range s.zone.Assessments {
		if a.Target != assess.A || a.OrgCode == "QS-01-001" || a.OrgCode == "QS-02-001" {
			continue
		}
		i := slices.IndexFunc(listed.Items, func(c apiCommunity) bool { return c.Code == a.OrgCode })
		if i >= 0 && listed.Items[i].Class == assess.A {
			code, plansBefore = a.OrgCode, listed.Items[i].Plans
			break
		}
	}
	if code == "" {
		t.Fatalf("no demo community drawn A is still A; /api/v1/communities?class=A lists %d", len(listed.Items))
	}
	demoPlans := 0
	for _, p := range s.zone.Plans {
		if p.OrgCode == code {
			demoPlans++
		}
	}
	if plansBefore != demoPlans || plansBefore != 1 {
		t.Fatalf("%s: API counts %d plans, the demo loaded %d; want 1 (an A community's)", code, plansBefore, demoPlans)
	}
	name := s.unitName(t, code)
	page := "/communities/" + code + "/assessment"

	// On a phone from here on.
	tb.do("phone viewport", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateTouch))
	resp = tb.open(page)
	if resp.Status != http.StatusOK {
		t.Fatalf("%s: status %d, want 200", page, resp.Status)
	}
	if w := eval[int](tb, `window.innerWidth`); w != 390 {
		t.Fatalf("viewport width %d, want 390", w)
	}
	if h1 := tb.text(`main h1`); !strings.Contains(h1, name) || !strings.Contains(h1, code) {
		t.Errorf("%s heading %q, want %s and %s", page, h1, name, code)
	}
	if got := tb.text(`[data-testid=class]`); got != "A类" {
		t.Fatalf("%s: class %q before the reassessment, want A类", code, got)
	}
	if got := tb.text(`[data-testid=warning]`); got != "无预警" {
		t.Errorf("%s: warning %q before the reassessment, want 无预警", code, got)
	}
	history := classesFetch[struct{ History []struct{ ID int64 } }](tb, "/api/v1/communities/"+code+"/assessment").History
	if len(history) == 0 {
		t.Fatalf("%s: the API lists no assessment, want the demo's", code)
	}

	form := `[data-testid=assess-form]`
	// The form fits the phone's width: nothing to scroll sideways to reach.
	if right := eval[float64](tb, `document.querySelector('`+form+`').getBoundingClientRect().right`); right > 390 {
		t.Errorf("assessment form reaches x=%.0f on a 390 px wide screen", right)
	}
	petition := form + ` input[name=risks_petition]`
	if eval[bool](tb, `document.querySelector('`+petition+`').checked`) {
		t.Fatalf("%s: flag 群体上访不断 already ticked on an A community", code)
	}
	if label := tb.text(`label:has(> input[name=risks_petition])`); !strings.Contains(label, "群体上访不断") {
		t.Errorf("checkbox risks_petition is labelled %q, want 群体上访不断", label)
	}
	// The first empty member row of the research team (the form is
	// prefilled from the latest assessment).
	names := eval[[]string](tb, `Array.from(document.querySelectorAll('`+form+` input[name^="assessors["][name$=".name"]'), i => i.value)`)
	row := slices.Index(names, "")
	if row < 0 {
		t.Fatalf("assessment form has no empty member row: %q", names)
	}
	const assessor, unit, findings = "测试研判员", "社事", "群体上访反复发生,列为重点关注。"
	tb.do("fill the assessment form",
		chromedp.Tap(chromedp.CSS(petition)),
		chromedp.SetValue(chromedp.CSS(fmt.Sprintf(`%s select[name="assessors[%d].unit"]`, form, row)), unit),
		chromedp.SendKeys(chromedp.CSS(fmt.Sprintf(`%s input[name="assessors[%d].name"]`, form, row)), assessor),
		chromedp.SendKeys(chromedp.CSS(form+` textarea[name=findings]`), findings),
	)
	if !eval[bool](tb, `document.querySelector('`+petition+`').checked`) {
		t.Fatalf("tapping the 群体上访不断 checkbox did not tick it")
	}
	resp = tb.follow("tap 保存研判并重新分类", chromedp.Tap(chromedp.CSS(form+` button[type=submit]`)))
	if resp.Status != http.StatusOK || tb.path() != page {
		t.Fatalf("after saving the assessment: status %d at %s, want 200 at %s", resp.Status, tb.path(), page)
	}
	if got := tb.text(`[data-testid=class]`); got != "C类" {
		t.Errorf("%s: class %q after ticking 群体上访不断, want C类", code, got)
	}
	if got := tb.text(`[data-testid=warning]`); got != "红色预警" {
		t.Errorf("%s: warning %q after ticking 群体上访不断, want 红色预警", code, got)
	}
	expl := tb.text(`[data-testid=explanation]`)
	for _, want := range []string{"按得分为A类", "群体上访不断", "由A类提至C类", "结论:C类"} {
		if !strings.Contains(expl, want) {
			t.Errorf("explanation %q does not mention %s", expl, want)
		}
	}
	// The newest row of the history is the one just entered.
	rows := classesTable(tb, `Array.from(document.querySelectorAll('main section.panel')).find(s => s.querySelector('h2')?.textContent.trim() === '研判记录')?.querySelector('table')`)
	if len(rows) == 0 || rows[0]["类别"] != "C类" || !strings.Contains(rows[0]["研判组"], unit+" "+assessor) || rows[0]["意见"] != findings {
		t.Errorf("history table %q: want first a row of C类 with %s %s and the findings %q", rows, unit, assessor, findings)
	}
	history2 := classesFetch[struct{ History []struct{ ID int64 } }](tb, "/api/v1/communities/"+code+"/assessment").History
	if len(history2) != len(history)+1 {
		t.Errorf("%s: %d assessments after saving one, want %d", code, len(history2), len(history)+1)
	}

	// 3. A score above its maximum is refused in Chinese and changes nothing.
	score := form + ` input[name=team_unity]`
	tb.do("type 99 as 班子团结 score",
		chromedp.RemoveAttribute(chromedp.CSS(score), "max"), // else the browser itself refuses to submit
		chromedp.Clear(chromedp.CSS(score)),
		chromedp.SendKeys(chromedp.CSS(score), "99"),
	)
	resp = tb.follow("tap 保存研判并重新分类 with a score of 99", chromedp.Tap(chromedp.CSS(form+` button[type=submit]`)))
	if resp.Status != http.StatusUnprocessableEntity {
		t.Errorf("score 99: status %d, want 422", resp.Status)
	}
	if got := tb.text(`[data-testid=form-error]`); !strings.Contains(got, "得分须在0到10之间") {
		t.Errorf("score 99: error %q, want 得分须在0到10之间", got)
	}
	if got := eval[string](tb, `document.querySelector('`+score+`').getAttribute('aria-invalid') || ''`); got != "true" {
		t.Errorf("score 99: the 班子团结 input is not marked aria-invalid")
	}
	if got := tb.text(`[data-testid=class]`); got != "C类" {
		t.Errorf("%s: class %q after a refused assessment, want C类", code, got)
	}
	if n := len(classesFetch[struct{ History []struct{ ID int64 } }](tb, "/api/v1/communities/"+code+"/assessment").History); n != len(history2) {
		t.Errorf("%s: %d assessments after a refused one, want %d", code, n, len(history2))
	}

	// The overview moved one community from A to C.
	after := classesOverview(t, s, tb)
	if want := (classCounts{A: before.A - 1, B: before.B, C: before.C + 1, Unassessed: before.Unassessed}); after != want {
		t.Errorf("/classes counts %+v after reassessing %s, want %+v (before: %+v)", after, code, want, before)
	}
	rows = classesTable(tb, `document.querySelector('[data-testid=communities]')`)
	if i := slices.IndexFunc(rows, func(r map[string]string) bool { return r["data-code"] == code }); i < 0 {
		t.Errorf("/classes table has no row of %s", code)
	} else if r := rows[i]; r["社区"] != name || r["类别"] != "C类" || r["预警"] != "红色预警" || !strings.Contains(r["依据"], "由A类提至C类") {
		t.Errorf("/classes row of %s: %q, want %s, C类, 红色预警 and the explanation", code, r, name)
	}

	// 4. A C community needs three plans: it is short until they are added.
	wl := classesWarnings(t, tb, code)
	if !wl.short {
		t.Errorf("/warnings: %s (C, %d plan) not in the shortfall table", code, plansBefore)
	}
	plans := "/communities/" + code + "/plans"
	if resp = tb.open(plans); resp.Status != http.StatusOK {
		t.Fatalf("%s: status %d, want 200", plans, resp.Status)
	}
	count := func() int {
		t.Helper()
		n, err := strconv.Atoi(tb.text(`[data-testid=plan-count]`))
		if err != nil {
			t.Fatalf("plan-count: %v", err)
		}
		return n
	}
	if n := count(); n != plansBefore {
		t.Errorf("%s: plan-count %d, want %d", plans, n, plansBefore)
	}
	if p := tb.text(`main > p`); !strings.Contains(p, "应有方案 3 套") || !strings.Contains(p, "不足") {
		t.Errorf("%s: %q, want 应有方案 3 套 and 不足", plans, p)
	}
	pform := `[data-testid=plan-form]`
	for added := 0; count() < 3; added++ {
		if added == 3 {
			t.Fatalf("%s: plan-count still %d after adding 3 plans", plans, count())
		}
		kinds := eval[[]string](tb, `Array.from(document.querySelectorAll('`+pform+` select[name=kind] option'), o => o.value)`)
		have := eval[[]string](tb, `Array.from(document.querySelectorAll('section.plan[data-kind]'), s => s.dataset.kind)`)
		var missing []string
		for _, k := range assess.PlanKinds {
			if !slices.Contains(have, string(k)) {
				missing = append(missing, string(k))
			}
		}
		if !slices.Equal(kinds, missing) || len(have) != count() {
			t.Fatalf("plan form offers kinds %q with plans %q shown, want the missing %q", kinds, have, missing)
		}
		kind := assess.PlanKind(kinds[0])
		title := kind.Label() + "(测试)"
		n := count()
		tb.do("fill the plan form",
			chromedp.SetValue(chromedp.CSS(pform+` select[name=kind]`), string(kind)),
			chromedp.SendKeys(chromedp.CSS(pform+` input[name=title]`), title),
			chromedp.SendKeys(chromedp.CSS(pform+` textarea[name=section_conflicts]`), "逐户走访化解信访矛盾"),
		)
		resp = tb.follow("tap 保存方案", chromedp.Tap(chromedp.CSS(pform+` button[type=submit]`)))
		if resp.Status != http.StatusOK || tb.path() != plans {
			t.Fatalf("after saving plan %s: status %d at %s, want 200 at %s", kind, resp.Status, tb.path(), plans)
		}
		if got := count(); got != n+1 {
			t.Fatalf("after saving plan %s: plan-count %d, want %d", kind, got, n+1)
		}
		sel := fmt.Sprintf(`section.plan[data-kind=%q]`, kind)
		if h := tb.text(sel + ` h2`); !strings.Contains(h, title) {
			t.Errorf("new plan %s heading %q, want %q", kind, h, title)
		}
		if dd := tb.text(sel + ` dl`); !strings.Contains(dd, "逐户走访化解信访矛盾") {
			t.Errorf("new plan %s sections %q, want the text typed", kind, dd)
		}
	}
	if n := eval[int](tb, `document.querySelectorAll('`+pform+`').length`); n != 0 {
		t.Errorf("%s: the plan form is still shown with all three kinds present", plans)
	}
	if p := tb.text(`main > p`); strings.Contains(p, "不足") {
		t.Errorf("%s: %q with 3 of 3 plans, want no 不足", plans, p)
	}

	// The warning list: warned with its veto, changed from A to C, no longer short.
	wl = classesWarnings(t, tb, code)
	if wl.short {
		t.Errorf("/warnings: %s still in the shortfall table with 3 plans", code)
	}
	if wl.warned == nil || wl.warned["社区"] != name || wl.warned["类别"] != "C类 红色预警" || !strings.Contains(wl.warned["否决项"], "群体上访不断") {
		t.Errorf("/warnings: warned row of %s is %q, want C类 红色预警 with the veto 群体上访不断", code, wl.warned)
	}
	if !slices.ContainsFunc(wl.changes, func(r map[string]string) bool {
		return r["社区"] == name && r["变化"] == "A类 → C类" && r["原因"] == "新研判"
	}) {
		t.Errorf("/warnings: no change A类 → C类 (新研判) of %s; changes: %q", name, wl.changes)
	}
}

// classesOverview opens /classes and returns its counts after checking them
// against GET /api/v1/classes and the zone's communities, and the chart
// against GET /api/v1/classes/districts.
func classesOverview(t *testing.T, s *demoSite, tb *tab) classCounts {
	t.Helper()
	if resp := tb.open("/classes"); resp.Status != http.StatusOK {
		t.Fatalf("/classes: status %d, want 200", resp.Status)
	}
	var c classCounts
	for _, f := range []struct {
		id string
		n  *int
	}{{"A", &c.A}, {"B", &c.B}, {"C", &c.C}, {"unassessed", &c.Unassessed}} {
		text := tb.text(`[data-testid=count-` + f.id + `]`)
		n, err := strconv.Atoi(text)
		if err != nil {
			t.Fatalf("/classes count-%s = %q: %v", f.id, text, err)
		}
		*f.n = n
	}
	if api := classesFetch[classCounts](tb, "/api/v1/classes"); api != c {
		t.Errorf("/classes shows %+v, /api/v1/classes %+v", c, api)
	}
	// The same counts from the list of communities, on the page and in the API.
	var onPage classCounts
	for _, r := range classesTable(tb, `document.querySelector('[data-testid=communities]')`) {
		// "C类", or "C类 (计算为A类)" when the office overrode the class.
		class, _, _ := strings.Cut(r["类别"], "类")
		classesAdd(&onPage, assess.Class(class))
	}
	if onPage != c {
		t.Errorf("/classes shows %+v, its table of communities has %+v", c, onPage)
	}
	var inAPI classCounts
	moved := false // a community's class is not the one the demo drew: some test reassessed it
	for _, it := range classesFetch[struct{ Items []apiCommunity }](tb, "/api/v1/communities").Items {
		classesAdd(&inAPI, it.Class)
		i := slices.IndexFunc(s.zone.Assessments, func(a demo.DemoAssessment) bool { return a.OrgCode == it.Code })
		moved = moved || i < 0 || s.zone.Assessments[i].Target != it.Class
	}
	if inAPI != c {
		t.Errorf("/classes shows %+v, /api/v1/communities has %+v", c, inAPI)
	}
	if want := (classCounts{A: 14, B: 10, C: 8}); !moved && c != want {
		t.Errorf("/classes shows %+v with every community in the class the demo drew, want the demo's %+v", c, want)
	}
	communities := 0
	var districts []string
	for _, u := range s.zone.Units {
		switch u.Kind {
		case org.Community:
			communities++
		case org.District:
			districts = append(districts, u.Name)
		}
	}
	if sum := c.A + c.B + c.C + c.Unassessed; sum != communities {
		t.Errorf("/classes counts %+v add up to %d, want the zone's %d communities", c, sum, communities)
	}

	// The chart: a label per district and a segment per non-zero count.
	if n := eval[int](tb, `document.querySelectorAll('svg.chart').length`); n != 1 {
		t.Fatalf("/classes has %d svg.chart, want 1", n)
	}
	labels := eval[[]string](tb, `Array.from(document.querySelectorAll('svg.chart text[text-anchor=end]'), e => e.textContent.trim())`)
	if len(districts) != 4 || !slices.Equal(slices.Sorted(slices.Values(labels)), slices.Sorted(slices.Values(districts))) {
		t.Errorf("chart labels %q, want the zone's 4 districts %q", labels, districts)
	}
	segments := eval[[]string](tb, `Array.from(document.querySelectorAll('svg.chart rect > title'), e => e.textContent.trim())`)
	type district struct {
		Name string
		classCounts
	}
	byDistrict := classesFetch[struct{ Items []district }](tb, "/api/v1/classes/districts")
	var want []string
	for _, d := range byDistrict.Items {
		for _, seg := range []struct {
			label string
			n     int
		}{{"A类", d.A}, {"B类 黄色预警", d.B}, {"C类 红色预警", d.C}, {"未研判", d.Unassessed}} {
			if seg.n > 0 {
				want = append(want, fmt.Sprintf("%s %s:%d", d.Name, seg.label, seg.n))
			}
		}
	}
	if !slices.Equal(segments, want) {
		t.Errorf("chart segments %q, want %q from /api/v1/classes/districts", segments, want)
	}
	return c
}

// warningList is what /warnings shows of one community.
type warningList struct {
	warned  map[string]string   // its row of the warned table, nil if absent
	changes []map[string]string // every row of the changes table
	short   bool                // in the shortfall table
}

// classesWarnings opens /warnings and reads what it shows of code.
func classesWarnings(t *testing.T, tb *tab, code string) warningList {
	t.Helper()
	if resp := tb.open("/warnings"); resp.Status != http.StatusOK {
		t.Fatalf("/warnings: status %d, want 200", resp.Status)
	}
	var w warningList
	for _, r := range classesTable(tb, `document.querySelector('[data-testid=warned]')`) {
		if r["data-code"] == code {
			w.warned = r
		}
	}
	w.changes = classesTable(tb, `document.querySelector('[data-testid=changes]')`)
	w.short = eval[bool](tb, fmt.Sprintf(`document.querySelector('[data-testid=shortfalls] a[href="/communities/%s/plans"]') !== null`, code))
	return w
}

// classesFetch fetches path in the page, with its session, and decodes the
// JSON answer; any status but 200 fails t.
func classesFetch[T any](tb *tab, path string) T {
	tb.t.Helper()
	expr := fmt.Sprintf(`fetch(%q).then(r => r.ok ? r.json() : r.text().then(b => Promise.reject(new Error(r.status + ' ' + b))))`, path)
	v, err := chromedp.Run(tb.ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		tb.t.Fatalf("fetch %s: %v", path, err)
	}
	return v
}

// classesTable reads the body rows of the table that the JavaScript
// expression table gives (none if it gives null), each as its cells' text
// by column heading, with its data-code attribute under "data-code": other
// work adds columns to these tables.
func classesTable(tb *tab, table string) []map[string]string {
	tb.t.Helper()
	return eval[[]map[string]string](tb, `(t => {
		if (!t) return [];
		const head = Array.from(t.tHead.rows[0].cells, c => c.innerText.trim());
		return Array.from(t.tBodies[0].rows, r => {
			const row = Object.fromEntries(Array.from(r.cells, (c, i) => [head[i], c.innerText.trim()]));
			if (r.dataset.code) row['data-code'] = r.dataset.code;
			return row;
		});
	})(`+table+`)`)
}

// classesAdd counts one community of class in c.
func classesAdd(c *classCounts, class assess.Class) {
	switch class {
	case assess.A:
		c.A++
	case assess.B:
		c.B++
	case assess.C:
		c.C++
	default:
		c.Unassessed++
	}
}
