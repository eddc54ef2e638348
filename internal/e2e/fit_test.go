package e2e

import (
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/huanjie/huanjie/internal/account"
)

// Every page an account of each role reaches from its menu, and the first
// record each of them links to, fits the window at 1366 and at 390 px:
// nothing scrolls sideways but a wide table inside its own box (issue 13,
// point 3); and it passes axe-core's WCAG 2.1 AA rules, with text and tap
// targets big enough (point 11, access_test.go).
func TestPagesFitPhoneAndDesktop(t *testing.T) {
	s := browserSite(t)
	walked := map[account.Role]bool{}
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
			fits := func(p string, width int64) {
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
				for _, problem := range tb.accessProblems() {
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
			t.Logf("%d pages at 1366 and 390 px", len(pages))
		})
	}
}

// The printable forms fit the paper they are printed on: with print styles
// and the width inside A4's 15 mm margins (180 mm portrait, 267 mm
// landscape for the progress table), nothing runs past the right edge.
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
	const mm = 96 / 25.4 // CSS pixels per millimetre
	forms := []struct {
		name, path string
		widthMM    float64
	}{
		{"资格审查表", first("/aspirants", `^/aspirants/\d+$`) + "/print", 180},
		{"社区方案", "/communities/" + onesCommunity + "/plans", 180},
		{"例会纪要", first("/meetings", `^/meetings/\d+$`), 180},
		{"换届进度表", "/progress", 267},
	}
	if _, err := chromedp.Call(tb.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		t.Fatal(err)
	}
	for _, f := range forms {
		w := int64(f.widthMM * mm)
		tb.do("paper width", chromedp.EmulateViewport(w, 1000))
		if resp := tb.open(f.path); resp.Status != http.StatusOK {
			t.Errorf("%s (%s): status %d", f.name, f.path, resp.Status)
			continue
		}
		if over := eval[float64](tb, `document.documentElement.scrollWidth - window.innerWidth`); over > 1 {
			wide := eval[string](tb, `Array.from(document.querySelectorAll('main *')).filter(e => e.getBoundingClientRect().right > window.innerWidth + 1).slice(0, 3).map(e => e.tagName + '.' + e.className).join('; ')`)
			t.Errorf("%s (%s) runs %.0f px past %.0f mm of paper: %s", f.name, f.path, over, f.widthMM, wide)
		}
	}
}
