package e2e

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// householdCommunity is a demo community no other browser test registers
// households in.
const householdCommunity = "QS-02-003"

// A household of the register corrected and removed on a phone (issue 16,
// point 1): the register's link opens the correction form at 390 px, which
// fits the width and passes the accessibility checks, shows the phone
// masked only; a correction saved shows in the register with the phone
// kept; the household, never visited, removed from the same form.
func TestHouseholdCorrectionOnPhone(t *testing.T) {
	s := browserSite(t)
	admin := s.account(t, "admin")
	api := gatesLogin(t, s.base, admin.Username, admin.Password)
	run := time.Now().UnixNano() % 1_000_000 // addresses of this run: the site is shared
	before, after := fmt.Sprintf("更正测试楼%d号101", run), fmt.Sprintf("更正测试楼%d号102", run)
	var h struct {
		ID int64 `json:"id"`
	}
	api.call("POST", "/api/v1/communities/"+householdCommunity+"/households",
		map[string]any{"address": before, "head": "户主甲", "size": 2, "phone": "13800005678", "group": "第一网格"}, http.StatusCreated, &h)

	tb := newTab(t, s.base)
	tb.do("phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateTouch))
	tb.open("/login")
	if resp := tb.login(admin.Username, admin.Password, tap); resp.Status != http.StatusOK {
		t.Fatalf("login: %d", resp.Status)
	}
	register := "/communities/" + householdCommunity + "/visits?round=before"
	tb.open(register)
	link := eval[string](tb, fmt.Sprintf(`document.querySelector('a[href*="household=%d#edit-household"]')?.getAttribute('href') ?? ''`, h.ID))
	if link == "" {
		t.Fatal("the register does not link to the household's correction form")
	}
	tb.open(link)
	form := fmt.Sprintf(`form[action="/communities/%s/households/%d"]`, householdCommunity, h.ID)
	if over := eval[float64](tb, `document.documentElement.scrollWidth`) - 390; over > 1 {
		t.Errorf("the correction form scrolls sideways by %.0f px at 390 px", over)
	}
	for _, problem := range tb.accessProblems() {
		t.Errorf("the correction form: %s", problem)
	}
	if got := eval[string](tb, `document.querySelector('[data-testid=household-edit]').innerText`); !strings.Contains(got, "138****5678") ||
		strings.Contains(got, "13800005678") {
		t.Errorf("the correction form shows the phone as %q", got)
	}

	eval[bool](tb, fmt.Sprintf(`(() => { const f = document.querySelector(%q); f.elements.address.value = %q; f.elements.size.value = '3'; return true; })()`,
		form, after))
	if resp := tb.follow("save the correction", tap(chromedp.CSS(form+` button[type=submit]`))); resp.Status != http.StatusOK {
		t.Fatalf("saving the correction: %d", resp.Status)
	}
	table := eval[string](tb, `document.querySelector('[data-testid=households]')?.innerText ?? ''`)
	if !strings.Contains(table, after) || strings.Contains(table, before) || !strings.Contains(table, "138****5678") {
		t.Errorf("the register after the correction: %q", table)
	}

	tb.open(link)
	remove := fmt.Sprintf(`form[action="/communities/%s/households/%d/remove"] button`, householdCommunity, h.ID)
	if resp := tb.follow("remove the household", tap(chromedp.CSS(remove))); resp.Status != http.StatusOK {
		t.Fatalf("removing the household: %d", resp.Status)
	}
	if table := eval[string](tb, `document.querySelector('[data-testid=households]')?.innerText ?? ''`); strings.Contains(table, after) {
		t.Errorf("the register still lists the removed household: %q", table)
	}
}
