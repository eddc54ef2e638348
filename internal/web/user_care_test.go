package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/huanjie/huanjie/internal/demo"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/testdb"
)

// Account care on the users page (issue 13, point 6).

type careUser struct {
	Username           string   `json:"username"`
	Role               string   `json:"role"`
	Disabled           bool     `json:"disabled"`
	MustChangePassword bool     `json:"must_change_password"`
	LastLoginAt        *string  `json:"last_login_at"`
	LockedUntil        *string  `json:"locked_until"`
	LastZoneAdmin      bool     `json:"last_zone_admin"`
	Actions            []string `json:"actions"`
	Scope              *struct {
		Code string `json:"code"`
	} `json:"scope"`
}

type careAudit struct {
	Items []struct {
		Actor    string         `json:"actor"`
		Action   string         `json:"action"`
		EntityID string         `json:"entity_id"`
		Before   map[string]any `json:"before"`
		After    map[string]any `json:"after"`
	} `json:"items"`
}

func (s *site) careAudit(admin *http.Client, action string) careAudit {
	s.t.Helper()
	var log careAudit
	s.getJSON(admin, "/api/v1/audit?action="+action, &log)
	return log
}

// acts lists the data-act buttons and forms a page offers.
func acts(body []byte) []string {
	var out []string
	for _, m := range regexp.MustCompile(`data-act="([a-z_]+)"`).FindAllSubmatch(body, -1) {
		out = append(out, string(m[1]))
	}
	return out
}

func TestDisableEndsSessionsAndTokensAndEnableRestores(t *testing.T) {
	t.Parallel()
	plainDemo.each(t, func(t *testing.T, s *site) {
		admin := s.login("admin")
		victim := s.login("community1")
		token := s.token("community1")
		bearer := map[string]string{"Authorization": "Bearer " + token}
		if res, body := s.call(nil, "GET", "/api/v1/me", nil, bearer); res.StatusCode != http.StatusOK {
			t.Fatalf("token before: %d %s", res.StatusCode, body)
		}

		res, body := s.call(admin, "GET", "/users/community1", nil, nil)
		if res.StatusCode != http.StatusOK || !slices.Equal(acts(body), []string{"disable", "reset_password", "update"}) {
			t.Fatalf("page of an active account: %d, acts %v", res.StatusCode, acts(body))
		}

		var u careUser
		res, body = s.call(admin, "POST", "/api/v1/users/community1/disable", nil, nil)
		jsonInto(t, body, &u)
		if res.StatusCode != http.StatusOK || !u.Disabled || slices.Contains(u.Actions, "disable") || !slices.Contains(u.Actions, "enable") {
			t.Fatalf("disable: %d %s", res.StatusCode, body)
		}
		// The session and the token end with it, and signing in is refused.
		if res, body := s.call(victim, "GET", "/api/v1/me", nil, nil); res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("session after disable: %d %s", res.StatusCode, body)
		}
		if res, body := s.call(nil, "GET", "/api/v1/me", nil, bearer); res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("token after disable: %d %s", res.StatusCode, body)
		}
		res, body = s.call(nil, "POST", "/api/v1/login", map[string]string{"username": "community1", "password": s.accounts["community1"].Password}, nil)
		wantError(t, res, body, http.StatusUnauthorized, "unauthorized")
		res, body = s.call(admin, "POST", "/api/v1/users/community1/disable", nil, nil)
		wantError(t, res, body, http.StatusConflict, "conflict")

		res, body = s.call(admin, "GET", "/users/community1", nil, nil)
		if !slices.Equal(acts(body), []string{"enable", "reset_password", "update"}) || !strings.Contains(string(body), "停用") {
			t.Fatalf("page of a disabled account: acts %v", acts(body))
		}
		res, _ = s.call(admin, "POST", "/users/community1/enable", "", nil)
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/users/community1" {
			t.Fatalf("enable form: %d to %q", res.StatusCode, res.Header.Get("Location"))
		}
		if body = mustGet(s, admin, "/users/community1"); !strings.Contains(string(body), "账号已启用") || slices.Contains(acts(body), "enable") {
			t.Fatalf("page after the enable form: acts %v", acts(body))
		}
		res, body = s.call(admin, "POST", "/users/community1/enable", "", nil)
		if res.StatusCode != http.StatusConflict || !strings.Contains(string(body), "已是启用状态") {
			t.Fatalf("enable twice: %d", res.StatusCode)
		}
		// Re-enabling does not bring the session or the token back: they
		// were ended, not paused.
		if res, body := s.call(nil, "GET", "/api/v1/me", nil, bearer); res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("token after enable: %d %s", res.StatusCode, body)
		}
		if res, body := s.call(victim, "GET", "/api/v1/me", nil, nil); res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("session after enable: %d %s", res.StatusCode, body)
		}
		s.login("community1")

		if log := s.careAudit(admin, "user.disable"); len(log.Items) != 1 || log.Items[0].Actor != "admin" ||
			log.Items[0].EntityID != "community1" || log.Items[0].After["revoked"] != float64(1) {
			t.Fatalf("audit of the disable: %+v", log.Items)
		}
		if log := s.careAudit(admin, "user.enable"); len(log.Items) != 1 || log.Items[0].EntityID != "community1" {
			t.Fatalf("audit of the enable: %+v", log.Items)
		}
	})
}

func TestLastZoneAdminCannotBeDisabledDemotedOrScoped(t *testing.T) {
	t.Parallel()
	plainDemo.each(t, func(t *testing.T, s *site) {
		admin := s.login("admin")
		res, body := s.call(admin, "POST", "/api/v1/users/admin/disable", nil, nil)
		wantError(t, res, body, http.StatusConflict, "conflict")
		res, body = s.call(admin, "PUT", "/api/v1/users/admin", map[string]any{"role": "leader"}, nil)
		wantError(t, res, body, http.StatusConflict, "conflict")
		res, body = s.call(admin, "PUT", "/api/v1/users/admin", map[string]any{"role": "admin", "scope": "QS-01"}, nil)
		wantError(t, res, body, http.StatusConflict, "conflict")
		res, body = s.call(admin, "POST", "/users/admin/disable", "", nil)
		if res.StatusCode != http.StatusConflict || !strings.Contains(string(body), "最后一个启用中的全区管理员") {
			t.Fatalf("disable form of the last admin: %d", res.StatusCode)
		}
		res, body = s.call(admin, "GET", "/users/admin", nil, nil)
		if !slices.Equal(acts(body), []string{"reset_password"}) {
			t.Fatalf("page of the last admin offers %v", acts(body))
		}
		var u careUser
		s.getJSON(admin, "/api/v1/users/admin", &u)
		if !u.LastZoneAdmin || !slices.Equal(u.Actions, []string{"reset_password"}) {
			t.Fatalf("JSON of the last admin: %+v", u)
		}

		// With a second zone admin, either may go; then the other is the last.
		res, body = s.call(admin, "POST", "/api/v1/users", map[string]any{"username": "admin2", "role": "admin", "password": "a long password 2"}, nil)
		if res.StatusCode != http.StatusCreated {
			t.Fatalf("add admin2: %d %s", res.StatusCode, body)
		}
		res, body = s.call(admin, "PUT", "/api/v1/users/admin2", map[string]any{"role": "leader"}, nil)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("demote admin2: %d %s", res.StatusCode, body)
		}
		res, body = s.call(admin, "PUT", "/api/v1/users/admin2", map[string]any{"role": "admin"}, nil)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("promote admin2: %d %s", res.StatusCode, body)
		}
		s.accounts["admin2"] = demo.Account{Username: "admin2", Password: "a long password 2"}
		admin2 := s.login("admin2")
		res, body = s.call(admin2, "POST", "/api/v1/users/admin/disable", nil, nil)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("admin2 disables admin: %d %s", res.StatusCode, body)
		}
		res, body = s.call(admin2, "PUT", "/api/v1/users/admin2", map[string]any{"role": "admin", "scope": "QS-01"}, nil)
		wantError(t, res, body, http.StatusConflict, "conflict")

		log := s.careAudit(admin2, "user.update")
		if len(log.Items) != 2 {
			t.Fatalf("audit of the updates: %+v", log.Items)
		}
		var demoted bool
		for _, e := range log.Items {
			if e.Before["role"] == "admin" && e.After["role"] == "leader" && e.EntityID == "admin2" && e.Actor == "admin" {
				demoted = true
			}
		}
		if !demoted {
			t.Fatalf("no audit entry of the demotion: %+v", log.Items)
		}
	})
}

func TestScopedOfficeCaresOnlyForAccountsInItsScope(t *testing.T) {
	t.Parallel()
	plainDemo.each(t, func(t *testing.T, s *site) {
		admin := s.login("admin")
		res, body := s.call(admin, "POST", "/api/v1/users", map[string]any{"username": "qs01-office", "role": "admin",
			"scope": "QS-01", "password": "a long password 3"}, nil)
		if res.StatusCode != http.StatusCreated {
			t.Fatalf("add scoped office: %d %s", res.StatusCode, body)
		}
		s.accounts["qs01-office"] = demo.Account{Username: "qs01-office", Password: "a long password 3"}
		office := s.login("qs01-office")

		// Accounts outside QS-01, of the whole tree or of another district, are not there.
		for _, name := range []string{"admin", "reviewer-mzj", "leader"} {
			res, body := s.call(office, "POST", "/api/v1/users/"+name+"/disable", nil, nil)
			wantError(t, res, body, http.StatusNotFound, "not_found")
			res, body = s.call(office, "POST", "/api/v1/users/"+name+"/reset-password", nil, nil)
			wantError(t, res, body, http.StatusNotFound, "not_found")
			res, _ = s.call(office, "GET", "/users/"+name, nil, nil)
			if res.StatusCode != http.StatusNotFound {
				t.Fatalf("page of %s for a scoped office: %d", name, res.StatusCode)
			}
		}
		// Within it: yes, but never to a wider scope or another district.
		res, body = s.call(office, "PUT", "/api/v1/users/community1", map[string]any{"role": "community", "scope": "QS-01-002"}, nil)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("rescope within: %d %s", res.StatusCode, body)
		}
		res, body = s.call(office, "PUT", "/api/v1/users/community1", map[string]any{"role": "district", "scope": ""}, nil)
		wantError(t, res, body, http.StatusUnprocessableEntity, "unprocessable")
		res, body = s.call(office, "PUT", "/api/v1/users/community1", map[string]any{"role": "leader", "scope": ""}, nil)
		if e := wantError(t, res, body, http.StatusUnprocessableEntity, "unprocessable"); e.Error.Field != "scope" {
			t.Fatalf("whole tree given by a scoped office: field %q", e.Error.Field)
		}
		res, body = s.call(office, "PUT", "/api/v1/users/community1", map[string]any{"role": "community", "scope": "QS-02-001"}, nil)
		if e := wantError(t, res, body, http.StatusUnprocessableEntity, "unprocessable"); e.Error.Field != "scope" {
			t.Fatalf("other district given by a scoped office: field %q", e.Error.Field)
		}
		// The form keeps what was sent and marks the field.
		s.refusedForm(office, "/users/community1/update", url.Values{"role": {"community"}, "scope": {"QS-02-001"}}, http.StatusUnprocessableEntity, "scope")
		var u careUser
		s.getJSON(admin, "/api/v1/users/community1", &u)
		if u.Scope == nil || u.Scope.Code != "QS-01-002" {
			t.Fatalf("community1 after the refused changes: %+v", u)
		}
		res, body = s.call(office, "POST", "/api/v1/users/district1/disable", nil, nil)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("disable within: %d %s", res.StatusCode, body)
		}
		log := s.careAudit(admin, "user.update")
		if len(log.Items) != 1 || log.Items[0].Actor != "qs01-office" || log.Items[0].Before["scope"] != "QS-01-001" || log.Items[0].After["scope"] != "QS-01-002" {
			t.Fatalf("audit of the rescope: %+v", log.Items)
		}
	})
}

func TestResetPasswordMustBeChangedFirst(t *testing.T) {
	t.Parallel()
	plainDemo.each(t, func(t *testing.T, s *site) {
		admin := s.login("admin")
		before := s.login("community1")
		res, body := s.call(admin, "POST", "/users/community1/reset-password", "", nil)
		m := regexp.MustCompile(`data-testid="one-time-password">([A-Za-z0-9]+)<`).FindSubmatch(body)
		if res.StatusCode != http.StatusOK || m == nil || res.Header.Get("Cache-Control") != "no-store" {
			t.Fatalf("reset form: %d %s", res.StatusCode, body)
		}
		once := string(m[1])
		if strings.Contains(string(mustGet(s, admin, "/users/community1")), once) {
			t.Fatal("the one-time password is shown again")
		}
		if res, _ := s.call(before, "GET", "/api/v1/me", nil, nil); res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("session from before the reset: %d", res.StatusCode)
		}
		res, body = s.call(nil, "POST", "/api/v1/login", map[string]string{"username": "community1", "password": s.accounts["community1"].Password}, nil)
		wantError(t, res, body, http.StatusUnauthorized, "unauthorized")

		s.accounts["community1"] = demo.Account{Username: "community1", Password: once}
		c := s.login("community1")
		res, body = s.call(c, "GET", "/api/v1/home", nil, nil)
		if e := wantError(t, res, body, http.StatusForbidden, "forbidden"); !strings.Contains(e.Error.Message, "修改密码") {
			t.Fatalf("API before the change: %s", body)
		}
		res, body = s.call(c, "POST", "/api/v1/tokens", map[string]string{"name": "绕过"}, nil)
		wantError(t, res, body, http.StatusForbidden, "forbidden")
		res, _ = s.call(c, "GET", "/ledger/today", nil, nil)
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/account" {
			t.Fatalf("page before the change: %d to %q", res.StatusCode, res.Header.Get("Location"))
		}
		res, body = s.call(c, "GET", "/account", nil, nil)
		if res.StatusCode != http.StatusOK || !strings.Contains(string(body), `data-testid="must-change"`) {
			t.Fatalf("account page before the change: %d", res.StatusCode)
		}
		var u careUser
		s.getJSON(admin, "/api/v1/users/community1", &u)
		if !u.MustChangePassword {
			t.Fatalf("JSON after the reset: %+v", u)
		}

		res, body = s.call(c, "POST", "/api/v1/account/password", map[string]string{"old_password": once, "password": "my own long password"}, nil)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("change: %d %s", res.StatusCode, body)
		}
		s.accounts["community1"] = demo.Account{Username: "community1", Password: "my own long password"}
		c = s.login("community1")
		if res, body := s.call(c, "GET", "/api/v1/home", nil, nil); res.StatusCode != http.StatusOK {
			t.Fatalf("API after the change: %d %s", res.StatusCode, body)
		}

		// The JSON twin shows the password once too; the log never holds it.
		var out struct {
			OneTimePassword string   `json:"one_time_password"`
			User            careUser `json:"user"`
		}
		res, body = s.call(admin, "POST", "/api/v1/users/community1/reset-password", nil, nil)
		jsonInto(t, body, &out)
		if res.StatusCode != http.StatusOK || len(out.OneTimePassword) < 10 || !out.User.MustChangePassword || out.OneTimePassword == once {
			t.Fatalf("API reset: %d %s", res.StatusCode, body)
		}
		log := s.careAudit(admin, "user.reset")
		if len(log.Items) != 2 || log.Items[0].EntityID != "community1" {
			t.Fatalf("audit of the resets: %+v", log.Items)
		}
		raw := mustGet(s, admin, "/api/v1/audit?action=user.reset")
		if strings.Contains(string(raw), once) || strings.Contains(string(raw), out.OneTimePassword) {
			t.Fatal("the audit log holds a one-time password")
		}
	})
}

func mustGet(s *site, c *http.Client, path string) []byte {
	s.t.Helper()
	res, body := s.call(c, "GET", path, nil, nil)
	if res.StatusCode != http.StatusOK {
		s.t.Fatalf("GET %s: %d %s", path, res.StatusCode, body)
	}
	return body
}

func TestUnlockClearsTheAccountsLockout(t *testing.T) {
	t.Parallel()
	plainDemo.each(t, func(t *testing.T, s *site) {
		admin := s.login("admin")
		for range 5 {
			s.call(nil, "POST", "/api/v1/login", map[string]string{"username": "community1", "password": "wrong password"}, nil)
		}
		res, body := s.call(nil, "POST", "/api/v1/login", map[string]string{"username": "community1", "password": s.accounts["community1"].Password}, nil)
		wantError(t, res, body, http.StatusTooManyRequests, "too_many")

		var u careUser
		s.getJSON(admin, "/api/v1/users/community1", &u)
		if u.LockedUntil == nil || !slices.Contains(u.Actions, "unlock") {
			t.Fatalf("JSON of a locked account: %+v", u)
		}
		page := mustGet(s, admin, "/users/community1")
		if !slices.Contains(acts(page), "unlock") || !strings.Contains(string(page), "登录已锁定至") {
			t.Fatalf("page of a locked account: %v", acts(page))
		}
		res, _ = s.call(admin, "POST", "/users/community1/unlock", "", nil)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("unlock form: %d", res.StatusCode)
		}
		if page = mustGet(s, admin, "/users/community1"); slices.Contains(acts(page), "unlock") || !strings.Contains(string(page), "已解除登录锁定") {
			t.Fatalf("page after the unlock form: acts %v", acts(page))
		}
		s.login("community1")
		res, body = s.call(admin, "POST", "/api/v1/users/community1/unlock", nil, nil)
		wantError(t, res, body, http.StatusConflict, "conflict")
		if log := s.careAudit(admin, "user.unlock"); len(log.Items) != 1 || log.Items[0].EntityID != "community1" ||
			log.Items[0].After["lockouts"] != float64(2) {
			t.Fatalf("audit of the unlock: %+v", log.Items)
		}
	})
}

func TestLastLoginIsShown(t *testing.T) {
	t.Parallel()
	testdb.ForEach(t, func(t *testing.T, st *store.Store) {
		at := time.Date(2026, 3, 2, 1, 30, 0, 0, time.UTC) // 09:30 in Beijing
		st.SetClock(func() time.Time { return at })
		s := newSite(t, st)
		admin := s.login("admin")
		var list struct{ Items []careUser }
		s.getJSON(admin, "/api/v1/users", &list)
		for _, u := range list.Items {
			if u.Username == "community1" && u.LastLoginAt != nil {
				t.Fatalf("community1 never signed in, yet %q", *u.LastLoginAt)
			}
		}
		if !strings.Contains(string(mustGet(s, admin, "/users/community1")), "从未登录") {
			t.Fatal("page of an account never signed in")
		}
		s.login("community1")
		s.getJSON(admin, "/api/v1/users", &list)
		var got string
		for _, u := range list.Items {
			if u.Username == "community1" && u.LastLoginAt != nil {
				got = *u.LastLoginAt
			}
		}
		if when, err := time.Parse(time.RFC3339, got); err != nil || !when.Equal(at) {
			t.Fatalf("last login %q, want %v", got, at)
		}
		if !strings.Contains(string(mustGet(s, admin, "/users")), "2026-03-02 09:30:00") {
			t.Fatal("users page does not show the last login in Beijing time")
		}
	})
}
