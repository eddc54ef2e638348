package e2e

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestResetPasswordOnAPhone takes account care through the browser on a
// 390 px wide screen: the users page and an account's page fit without
// scrolling sideways and offer only the acts that can succeed (停用 and
// 重置密码 on an active account, no 启用); a reset shows a one-time
// password, with which the user signs in only to be led to change it
// before anything else. It uses the police account, which no other
// browser test signs in with.
func TestResetPasswordOnAPhone(t *testing.T) {
	s, tb := start(t)
	admin := s.account(t, "admin")
	tb.do("phone viewport", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateTouch))
	tb.open("/login")
	if resp := tb.login(admin.Username, admin.Password, tap); resp.Status != http.StatusOK {
		t.Fatalf("admin login: %d", resp.Status)
	}
	fits := func(page string) {
		t.Helper()
		if w := eval[int](tb, `window.innerWidth`); w != 390 {
			t.Fatalf("viewport width %d, want 390", w)
		}
		if sw := eval[int](tb, `document.documentElement.scrollWidth`); sw > 390 {
			t.Errorf("%s is %d px wide on a 390 px screen", page, sw)
		}
	}
	if resp := tb.open("/users"); resp.Status != http.StatusOK {
		t.Fatalf("/users: %d", resp.Status)
	}
	fits("/users")
	resp := tb.follow("open the police account", tap(chromedp.CSS(`a[href="/users/police"]`)))
	if resp.Status != http.StatusOK || tb.path() != "/users/police" {
		t.Fatalf("account page: %d at %s", resp.Status, tb.path())
	}
	fits("/users/police")
	buttons := tb.text(`[data-testid=user-actions]`)
	if !strings.Contains(buttons, "停用") || !strings.Contains(buttons, "重置密码") || strings.Contains(buttons, "启用") || strings.Contains(buttons, "解除登录锁定") {
		t.Errorf("acts offered on an active, unlocked account: %q", buttons)
	}
	if right := eval[float64](tb, `document.querySelector('form[data-act=update]').getBoundingClientRect().right`); right > 390 {
		t.Errorf("role and scope form reaches x=%.0f on a 390 px wide screen", right)
	}

	resp = tb.follow("reset the password", tap(chromedp.CSS(`button[data-act=reset_password]`)))
	if resp.Status != http.StatusOK {
		t.Fatalf("reset: %d", resp.Status)
	}
	fits("the reset's answer")
	once := tb.text(`[data-testid=one-time-password]`)
	if len(once) < 10 {
		t.Fatalf("one-time password %q", once)
	}
	if status := tb.text(`[data-testid=user-status]`); !strings.Contains(status, "待本人修改密码") {
		t.Errorf("status after the reset: %q", status)
	}

	// The user, on a phone of their own.
	ph := newTab(t, s.base)
	ph.do("phone viewport", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateTouch))
	ph.open("/login?next=/ledger/today")
	resp = ph.login("police", once, tap)
	if resp.Status != http.StatusOK || ph.path() != "/account" {
		t.Fatalf("sign-in with the one-time password: %d at %s, want the account page", resp.Status, ph.path())
	}
	if note := ph.text(`[data-testid=must-change]`); !strings.Contains(note, "重置") {
		t.Errorf("account page note %q", note)
	}
	if resp := ph.open("/tips"); ph.path() != "/account" {
		t.Errorf("another page before the change: %d at %s, want the account page", resp.Status, ph.path())
	}
	const mine = "quiet harbour lamp 42"
	ph.do("fill the change form",
		chromedp.SendKeys(chromedp.CSS(`form[action="/account/password"] input[name=old_password]`), once),
		chromedp.SendKeys(chromedp.CSS(`form[action="/account/password"] input[name=password]`), mine),
		chromedp.SendKeys(chromedp.CSS(`form[action="/account/password"] input[name=confirm]`), mine),
	)
	resp = ph.follow("change the password", tap(chromedp.CSS(`form[action="/account/password"] button[type=submit]`)))
	if ph.path() != "/login" {
		t.Fatalf("after the change: %d at %s, want /login", resp.Status, ph.path())
	}
	resp = ph.login("police", mine, tap)
	if resp.Status != http.StatusOK || ph.path() != "/" {
		t.Fatalf("sign-in with the new password: %d at %s, want 200 at /", resp.Status, ph.path())
	}
	if resp := ph.open("/tips"); resp.Status != http.StatusOK || ph.path() != "/tips" {
		t.Errorf("/tips after the change: %d at %s", resp.Status, ph.path())
	}
}
