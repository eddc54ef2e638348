package e2e

import (
	"fmt"
	"math"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/huanjie/huanjie/internal/account"
)

// Every page an account of each role reaches from its menu, the first
// record each of them links to and the third gate's pages reached by links
// (thirdGatePages), fits the window at 1366 and at 390 px:
// nothing scrolls sideways but a wide table inside its own box (issue 13,
// point 3); and it passes axe-core's WCAG 2.1 AA rules (at the phone's width), with text and tap
// targets big enough (point 11, access_test.go). A page (by its path) is
// checked once at each width, by the first role that reaches it (the office
// first, which sees every form), except each role's own home page: the same
// template with another scope's data or fewer forms adds time, not findings.
func TestPagesFitPhoneAndDesktop(t *testing.T) {
	s := browserSite(t)
	walked := map[account.Role]bool{}
	checked := map[string]bool{} // path@width
	for _, a := range s.zone.Accounts {
		// One account of each role: the demo's department reviewers differ only in their queue.
		if walked[a.Role] {
			continue
		}
		walked[a.Role] = true
		t.Run(a.Username, func(t *testing.T) {
			tb := newTab(t, s.base)
			tb.do("desktop", chromedp.EmulateViewport(1366, 900))
			tb.open("/login")
			if resp := tb.login(a.Username, a.Password, click); resp.Status != http.StatusOK {
				t.Fatalf("login: %d", resp.Status)
			}
			// fits opens p and checks that it fits the window's width.
			fresh := 0 // pages checked here, at either width
			fits := func(p string, width int64) {
				key := fmt.Sprint(p, "@", width)
				if checked[key] && p != "/" {
					return
				}
				checked[key] = true
				fresh++
				tb.fresh()
				if resp := tb.open(p); resp.Status != http.StatusOK {
					t.Errorf("%s at %d px: status %d", p, width, resp.Status)
					return
				}
				// Against the width asked for: with a phone's emulation the window
				// widens to the page, so innerWidth would follow an overflow.
				over := eval[float64](tb, `document.documentElement.scrollWidth`) - float64(width)
				if over > 1 {
					wide := eval[string](tb, `Array.from(document.querySelectorAll('main *')).filter(e => e.getBoundingClientRect().right > `+strconv.Itoa(int(width))+` + 1 && !e.closest('.scroll')).slice(0, 3).map(e => e.tagName + '.' + e.className + ' "' + (e.innerText || '').slice(0, 30) + '"').join('; ')`)
					t.Errorf("%s at %d px scrolls sideways by %.0f px: %s", p, width, over, wide)
				}
				// axe-core's rules at the phone's width, where the layout is tightest;
				// text and target sizes at both (accessChecks).
				for _, problem := range tb.accessChecks(width <= 500) {
					t.Errorf("%s at %d px: %s", p, width, problem)
				}
			}
			// A newcomer's first minute: the page after signing in says what
			// waits, each number a link (the home page's today panel, or a
			// department's own queue).
			if tb.path() == "/" {
				figures := eval[[]string](tb, `Array.from(document.querySelectorAll('[data-testid=today] a.stat'), a => a.querySelector('b').textContent + ' ' + a.getAttribute('href'))`)
				if len(figures) == 0 || !regexp.MustCompile(`^\d+ /`).MatchString(figures[0]) {
					t.Errorf("the home page shows no numbers with links: %q", figures)
				}
			}
			pages := []string{tb.path()}
			menu := eval[[]string](tb, `Array.from(document.querySelectorAll('.nav a'), a => a.getAttribute('href'))`)
			for _, p := range menu {
				if !slices.Contains(pages, p) {
					pages = append(pages, p)
				}
			}
			pages = thirdGatePages(tb, menu, pages)
			if a.Role == account.Admin { // the elections' pages once, as the office that may do everything on them
				pages = electionPages(tb, s, pages)
				// The visits' pages (issue 16): coverage and a community's visits with every form.
				pages = append(pages, "/visits/coverage?round=before", "/communities/"+electionCommunity+"/visits?round=before")
			}
			// Each page at 1366 px and, on each menu page, the first record
			// it links to: a dossier, a meeting, a case…
			var records []string
			for _, p := range slices.Clone(pages) {
				fits(p, 1366)
				if !slices.Contains(menu, p) {
					continue
				}
				next := eval[string](tb, `(Array.from(document.querySelectorAll('main a[href^="/"]')).map(a => a.getAttribute('href')).find(h => /\/\d+$|\/[A-Z]{2}-\d{2}(-\d{3})?$/.test(h)) ?? '')`)
				if next != "" && !slices.Contains(pages, next) && !strings.Contains(next, "download") {
					pages, records = append(pages, next), append(records, next)
				}
			}
			for _, p := range records {
				fits(p, 1366)
			}
			tb.do("phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateTouch))
			for _, p := range pages {
				fits(p, 390)
			}
			t.Logf("%d pages reached; %d checks of pages not checked before at their width", len(pages), fresh)
		})
	}
}

// The printable forms fit the paper they are printed on (issue: "every
// printable form fits A4 portrait or landscape with long text wrapped").
// Every form of the site: the 资格审查表 (the one /print route), a
// community's plans, a meeting's minutes, the progress table and a
// community's board of the third gate (人选一览); app.css's
// @page rules apply to every page, these are the ones made to be printed.
//
// First the layout: with print styles and the width inside A4's 15 mm
// margins (180 mm portrait, 267 mm landscape for the progress table and
// the board),
// nothing runs past the right edge, not even a meeting's minutes holding a
// 300-character Chinese paragraph and a 200-character string without a
// space. Then each form is printed to PDF as a browser prints it, with the
// page size its CSS asks: every page is A4 in the form's orientation, and
// there are as many pages as the form should take.
func TestFormsFitA4(t *testing.T) {
	s, tb := start(t)
	admin := s.account(t, "admin")
	tb.open("/login")
	if resp := tb.login(admin.Username, admin.Password, click); resp.Status != http.StatusOK {
		t.Fatalf("login: %d", resp.Status)
	}
	first := func(list, pattern string) string {
		tb.open(list)
		h := eval[string](tb, `(Array.from(document.querySelectorAll('main a[href^="/"]')).map(a => a.getAttribute('href')).find(h => new RegExp(`+strconv.Quote(pattern)+`).test(h)) ?? '')`)
		if h == "" {
			t.Fatalf("%s links to nothing like %s", list, pattern)
		}
		return h
	}
	meeting := first("/meetings", `^/meetings/\d+$`)
	long := longMinutes(t, s.base, admin.Username, admin.Password, meeting)
	forms := []struct {
		name, path string
		landscape  bool
		maxPages   int      // a demo record's form takes at most this many sheets
		shows      []string // text the form must show
	}{
		{"资格审查表", first("/aspirants", `^/aspirants/\d+$`) + "/print", false, 2, nil},
		{"社区方案", "/communities/" + onesCommunity + "/plans", false, 4, nil},
		{"例会纪要", meeting, false, 8, long},
		{"换届进度表", "/progress", true, 6, nil},
		{"正式候选人名单", "/communities/" + onesCommunity + "/formal", false, 2, nil},
		{"人选一览", "/communities/" + onesCommunity + "/board", true, 3, nil},
		{"选举结果报告单", fmt.Sprintf("/ballots/%d/report", reportBallot(t, s)), false, 4, nil},
	}

	// The layout at the paper's width.
	const mm = 96 / 25.4 // CSS pixels per millimetre
	if _, err := chromedp.Call(tb.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		t.Fatal(err)
	}
	for _, f := range forms {
		widthMM := 180.0
		if f.landscape {
			widthMM = 267
		}
		tb.do("paper width", chromedp.EmulateViewport(int64(widthMM*mm), 1000))
		if resp := tb.open(f.path); resp.Status != http.StatusOK {
			t.Errorf("%s (%s): status %d", f.name, f.path, resp.Status)
			continue
		}
		if over := eval[float64](tb, `document.documentElement.scrollWidth - window.innerWidth`); over > 1 {
			wide := eval[string](tb, `Array.from(document.querySelectorAll('main *')).filter(e => e.getBoundingClientRect().right > window.innerWidth + 1).slice(0, 3).map(e => e.tagName + '.' + e.className).join('; ')`)
			t.Errorf("%s (%s) runs %.0f px past %.0f mm of paper: %s", f.name, f.path, over, widthMM, wide)
		}
		// A box that scrolls on screen cannot on paper: what it hides is lost.
		if clipped := eval[[]string](tb, `Array.from(document.querySelectorAll('main *')).filter(e => e.offsetParent !== null && e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== 'visible').slice(0, 3).map(e => e.tagName + '.' + e.className + ' by ' + (e.scrollWidth - e.clientWidth) + ' px')`); len(clipped) > 0 {
			t.Errorf("%s (%s) hides content past %.0f mm of paper in a box that scrolls: %s", f.name, f.path, widthMM, strings.Join(clipped, "; "))
		}
		text := eval[string](tb, `document.querySelector('main').innerText`)
		for _, want := range f.shows {
			if !strings.Contains(text, want) {
				t.Errorf("%s (%s) does not show %.20q…, which the test put in it", f.name, f.path, want)
			}
		}
	}

	// Printed as a browser prints it, without the emulation above.
	if _, err := chromedp.Call(tb.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(tb.ctx, emulation.ClearDeviceMetricsOverride, cdp.Empty{}); err != nil {
		t.Fatal(err)
	}
	yes, no := true, false
	for _, f := range forms {
		if resp := tb.open(f.path); resp.Status != http.StatusOK {
			t.Errorf("%s (%s): status %d", f.name, f.path, resp.Status)
			continue
		}
		res, err := chromedp.Call(tb.ctx, page.PrintToPDF, page.PrintToPDFParams{PreferCSSPageSize: &yes, PrintBackground: &no})
		if err != nil {
			t.Fatalf("print %s (%s) to PDF: %v", f.name, f.path, err)
		}
		pages, err := pdfPages(res.Data)
		if err != nil {
			t.Errorf("%s (%s): reading its PDF (%d bytes): %v", f.name, f.path, len(res.Data), err)
			continue
		}
		want, paper := pdfPage{W: a4Short, H: a4Long}, "A4 portrait"
		if f.landscape {
			want, paper = pdfPage{W: a4Long, H: a4Short}, "A4 landscape"
		}
		if len(pages) == 0 || len(pages) > f.maxPages {
			t.Errorf("%s (%s) prints on %d pages, want 1 to %d", f.name, f.path, len(pages), f.maxPages)
		}
		for i, p := range pages {
			if math.Abs(p.W-want.W) > 2 || math.Abs(p.H-want.H) > 2 {
				t.Errorf("%s (%s): page %d of %d is %.1f×%.1f pt, want %s (%.0f×%.0f)", f.name, f.path, i+1, len(pages), p.W, p.H, paper, want.W, want.H)
			}
		}
		t.Logf("%s (%s): %d pages, %s wanted", f.name, f.path, len(pages), paper)
	}
}

// A4 in points (1/72 inch): 210 × 297 mm.
const a4Short, a4Long = 595.28, 841.89

// longMinutes makes the minutes of the meeting at path (/meetings/ID) hold
// text that only wraps if the page lets it: a paragraph of 300 Chinese
// characters and a string of 200 letters and digits without a space. It
// keeps the attendance and the minutes already there, and returns the two.
func longMinutes(t *testing.T, base, username, password, path string) []string {
	t.Helper()
	chinese := strings.Repeat("换届选举工作纪要内容", 30)
	unbroken := strings.Repeat("Huanjie2026x", 17)[:200]
	c := gatesLogin(t, base, username, password)
	var m struct {
		Attendance []string `json:"attendance"`
		Minutes    string   `json:"minutes"`
		Partial    bool     `json:"partial"`
	}
	c.call("GET", "/api/v1"+path, nil, http.StatusOK, &m)
	if m.Partial {
		t.Fatalf("%s is another unit's meeting: its minutes are not shown", path)
	}
	if !strings.Contains(m.Minutes, unbroken) { // already there when go test -count=N runs it again
		minutes := strings.TrimRight(m.Minutes, "\n") + "\n" + chinese + "\n" + unbroken
		c.call("POST", "/api/v1"+path+"/record", map[string]any{"attendance": m.Attendance, "minutes": minutes}, http.StatusOK, nil)
	}
	return []string{chinese, unbroken}
}

// thirdGatePages adds to pages those of the third gate (人选考察关, issue 14)
// that the account reaches by links rather than from the menu: from 人选
// (/targets) the settings and the first community's board, the pages the
// board links to (slate, recommendations, candidates, seats, reserve) and
// the first person of the candidates; from 选举日 (/calendar) the cycles.
func thirdGatePages(tb *tab, menu, pages []string) []string {
	tb.t.Helper()
	links := func(p string) []string {
		tb.fresh()
		if resp := tb.open(p); resp.Status != http.StatusOK {
			tb.t.Errorf("%s: status %d", p, resp.Status)
			return nil
		}
		return eval[[]string](tb, `Array.from(document.querySelectorAll('main a[href^="/"]'), a => a.getAttribute('href'))`)
	}
	add := func(from []string, pattern string, all bool) (added []string) {
		re := regexp.MustCompile(pattern)
		for _, h := range from {
			if re.MatchString(h) && !slices.Contains(pages, h) {
				pages, added = append(pages, h), append(added, h)
				if !all {
					break
				}
			}
		}
		return added
	}
	if slices.Contains(menu, "/calendar") {
		add(links("/calendar"), `^/cycles$`, false)
	}
	if !slices.Contains(menu, "/targets") {
		return pages
	}
	found := links("/targets?all=1")
	add(found, `^/targets/settings$`, false)
	for _, board := range add(found, `^/communities/[^/]+/board$`, false) {
		for _, p := range add(links(board), `^/communities/[^/]+/(slate|recommendations|candidates|seats|reserve)$`, true) {
			if strings.HasSuffix(p, "/candidates") {
				add(links(p), `^/candidates/\d+$`, false)
			}
		}
	}
	return pages
}
