package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// The forms of the account, users and org pages on the one pattern
// (form.go): a refused form comes back with what was typed and its field
// marked, and its API twin names the same field; a form that succeeded
// goes on to its page, which says so.
func TestAccountUserAndOrgForms(t *testing.T) {
	t.Parallel()
	plainDemo.each(t, func(t *testing.T, s *site) {
		admin := s.login("admin")
		for _, c := range []struct {
			action, api string // the form's action; the API twin's method and path
			form        url.Values
			status      int
			field       string
		}{
			{"/account/password", "POST /api/v1/account/password", url.Values{"old_password": {""}, "password": {""}}, 422, "old_password"},
			{"/account/tokens", "POST /api/v1/tokens", url.Values{"name": {strings.Repeat("令", 41)}}, 422, "name"},
			{"/users", "POST /api/v1/users", url.Values{"username": {"王五"}, "display_name": {"王五"}, "role": {"district"}, "scope": {"QS-02"}}, 422, "username"},
			{"/users", "POST /api/v1/users", url.Values{"username": {"wangwu"}, "role": {"reviewer"}, "scope": {"QS-02"}}, 422, "department"},
			{"/users/community1/update", "PUT /api/v1/users/community1", url.Values{"role": {"community"}, "scope": {"QS-99"}}, 422, "scope"},
			{"/orgs/QS-01-001/assignments", "POST /api/v1/orgs/QS-01-001/assignments",
				url.Values{"duty": {"community_cadre"}, "name": {"周敏"}, "unit": {"党群部"}, "phone": {"电话号码"}}, 422, "phone"},
			{"/orgs", "POST /api/v1/orgs", url.Values{"code": {"QS 01 050"}, "name": {"试点社区"}, "kind": {"community"}, "parent": {"QS-01"}}, 422, "code"},
		} {
			s.refusedForm(admin, c.action, c.form, c.status, c.field)
			body := map[string]string{}
			for k := range c.form {
				body[k] = c.form.Get(k)
			}
			method, path, _ := strings.Cut(c.api, " ")
			res, raw := s.call(admin, method, path, body, nil)
			if e := wantError(t, res, raw, c.status, "unprocessable"); e.Error.Field != c.field {
				t.Errorf("%s refused on field %q, want %q", c.api, e.Error.Field, c.field)
			}
		}
		// The password form's own check: the new password twice.
		s.refusedForm(admin, "/account/password", url.Values{"old_password": {""}, "password": {""}, "confirm": {"x"}}, 422, "confirm")

		// Success: each form goes on to its page, which says what was done.
		done := func(action string, form url.Values, to, notice string) []byte {
			t.Helper()
			res, _ := s.call(admin, "POST", action, form.Encode(), nil)
			if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != to {
				t.Fatalf("POST %s: %d to %q, want 303 to %s", action, res.StatusCode, res.Header.Get("Location"), to)
			}
			page := mustGet(s, admin, to)
			if !strings.Contains(string(page), `data-testid="notice">`+notice) {
				t.Errorf("%s after POST %s does not say %s", to, action, notice)
			}
			return page
		}
		done("/users", url.Values{"username": {" WangWu "}, "display_name": {"王五"}, "role": {"district"}, "scope": {"QS-02"},
			"password": {"a long password"}}, "/users/wangwu", "账号已新建。")
		page := done("/orgs/QS-01-001/assignments", url.Values{"duty": {"community_cadre"}, "name": {"周敏"}, "phone": {"13800001111"}},
			"/orgs/QS-01-001", "包保责任人已指派。")
		remove := regexp.MustCompile(`action="(/assignments/\d+/remove)"`).FindSubmatch(page)
		if remove == nil {
			t.Fatal("the unit's page offers no 取消 of the assignment")
		}
		done(string(remove[1]), url.Values{"org": {"QS-01-001"}}, "/orgs/QS-01-001", "包保责任已取消。")

		// A new token is shown once, on the page itself; its revoke goes back there.
		res, raw := s.call(admin, "POST", "/account/tokens", url.Values{"name": {"统计对接"}}.Encode(), nil)
		if res.StatusCode != http.StatusOK || res.Header.Get("Cache-Control") != "no-store" || !strings.Contains(string(raw), `data-testid="new-token"`) {
			t.Fatalf("token form: %d", res.StatusCode)
		}
		revoke := regexp.MustCompile(`action="(/account/tokens/\d+/revoke)"`).FindSubmatch(raw)
		if revoke == nil || strings.Contains(string(mustGet(s, admin, "/account")), `data-testid="new-token"`) {
			t.Fatal("the token is shown again, or cannot be revoked")
		}
		done(string(revoke[1]), nil, "/account", "令牌已撤销。")

		// Signing out goes to the sign-in page.
		res, _ = s.call(admin, "POST", "/logout", "", nil)
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/login" {
			t.Fatalf("logout form: %d to %q", res.StatusCode, res.Header.Get("Location"))
		}
		if res, _ := s.call(admin, "GET", "/api/v1/me", nil, nil); res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("after logout: %d", res.StatusCode)
		}
	})
}
