package web_test

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/huanjie/huanjie/internal/account"
	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/demo"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/testdb"
	"github.com/huanjie/huanjie/internal/visit"
	"github.com/huanjie/huanjie/internal/web"
)

func TestLoginSessionLogout(t *testing.T) {
	t.Parallel()
	plainDemo.each(t, func(t *testing.T, s *site) {
		res, body := s.call(nil, "GET", "/api/v1/me", nil, nil)
		wantError(t, res, body, http.StatusUnauthorized, "unauthorized")

		res, body = s.call(nil, "POST", "/api/v1/login", map[string]string{"username": "admin", "password": "wrong password"}, nil)
		wantError(t, res, body, http.StatusUnauthorized, "unauthorized")
		res, body = s.call(nil, "POST", "/api/v1/login", map[string]string{"username": "nobody", "password": "wrong password"}, nil)
		e := wantError(t, res, body, http.StatusUnauthorized, "unauthorized")
		if e.Error.Message != "用户名或密码不正确" {
			t.Fatalf("an unknown user is told %q", e.Error.Message)
		}
		res, body = s.call(nil, "POST", "/api/v1/login", `{"username":`, nil)
		if res.StatusCode != http.StatusBadRequest && res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("malformed login: %d %s", res.StatusCode, body)
		}

		c := s.client()
		res, body = s.call(c, "POST", "/api/v1/login", map[string]string{"username": "admin", "password": s.accounts["admin"].Password}, nil)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("login: %d %s", res.StatusCode, body)
		}
		cookie := res.Cookies()[0]
		if !cookie.HttpOnly || cookie.SameSite != http.SameSiteLaxMode || cookie.Path != "/" {
			t.Fatalf("session cookie %+v: want HttpOnly, SameSite=Lax", cookie)
		}
		var me struct {
			Username string `json:"username"`
			Role     string `json:"role"`
		}
		s.getJSON(c, "/api/v1/me", &me)
		if me.Username != "admin" || me.Role != "admin" {
			t.Fatalf("me: %+v", me)
		}

		// Logging in again rotates the session: the old secret stops working.
		res, _ = s.call(c, "POST", "/api/v1/login", map[string]string{"username": "admin", "password": s.accounts["admin"].Password}, nil)
		if res.StatusCode != http.StatusOK || res.Cookies()[0].Value == cookie.Value {
			t.Fatalf("second login kept the session secret")
		}
		old := s.client()
		old.Jar.SetCookies(mustURL(s.ts.URL), []*http.Cookie{cookie})
		res, body = s.call(old, "GET", "/api/v1/me", nil, nil)
		wantError(t, res, body, http.StatusUnauthorized, "unauthorized")

		res, _ = s.call(c, "POST", "/api/v1/logout", nil, nil)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("logout: %d", res.StatusCode)
		}
		res, body = s.call(c, "GET", "/api/v1/me", nil, nil)
		wantError(t, res, body, http.StatusUnauthorized, "unauthorized")
	})
}

func mustURL(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		panic(err)
	}
	return u
}

func TestLoginPageAndThrottle(t *testing.T) {
	t.Parallel()
	s := plainDemo.open(t, store.SQLite)
	c := s.client()
	res, body := s.call(c, "GET", "/", nil, nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/login?next=%2F" {
		t.Fatalf("home without a session: %d %q", res.StatusCode, res.Header.Get("Location"))
	}
	res, body = s.call(c, "GET", "/login", nil, nil)
	if res.StatusCode != 200 || !strings.Contains(string(body), `name="password"`) {
		t.Fatalf("login page: %d", res.StatusCode)
	}
	form := url.Values{"username": {"leader"}, "password": {"wrong one"}, "next": {"/audit"}}.Encode()
	for i := 0; i < 5; i++ {
		res, body = s.call(c, "POST", "/login", form, nil)
		if res.StatusCode != http.StatusUnauthorized || !strings.Contains(string(body), "用户名或密码不正确") ||
			!strings.Contains(string(body), `name="username" value="leader"`) || strings.Contains(string(body), "wrong one") {
			t.Fatalf("wrong password %d: %d, or the username lost, or the password shown", i, res.StatusCode)
		}
	}
	right := url.Values{"username": {"leader"}, "password": {s.accounts["leader"].Password}}.Encode()
	res, body = s.call(c, "POST", "/login", right, nil)
	if res.StatusCode != http.StatusTooManyRequests || !strings.Contains(string(body), "登录失败次数过多") {
		t.Fatalf("locked account: %d", res.StatusCode)
	}
	// Another account from the same address still signs in: an office
	// behind one proxy shares the address, so its limit is higher.
	res, _ = s.call(c, "POST", "/login", url.Values{"username": {"admin"}, "password": {s.accounts["admin"].Password}}.Encode(), nil)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("another account from the same address: %d, want signed in", res.StatusCode)
	}
	// Guessing across many usernames from one address is stopped there.
	for i := 0; i < account.MaxClientFailures-account.MaxFailures; i++ {
		s.call(c, "POST", "/login", url.Values{"username": {"guess" + itoa(int64(i))}, "password": {"x"}}.Encode(), nil)
	}
	res, _ = s.call(c, "POST", "/login", url.Values{"username": {"admin"}, "password": {s.accounts["admin"].Password}}.Encode(), nil)
	if res.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("address after %d failures: %d, want 429", account.MaxClientFailures, res.StatusCode)
	}
}

func TestLoginFormRedirectsOnlyLocally(t *testing.T) {
	t.Parallel()
	s := plainDemo.open(t, store.SQLite)
	form := url.Values{"username": {"admin"}, "password": {s.accounts["admin"].Password}, "next": {"//evil.example/"}}.Encode()
	res, _ := s.call(nil, "POST", "/login", form, nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/" {
		t.Fatalf("login with a foreign next: %d %q", res.StatusCode, res.Header.Get("Location"))
	}
}

// Browsers send Sec-Fetch-Site and Origin; a state-changing request from
// another site is refused before it reaches a handler.
func TestCrossOriginRequestsAreRefused(t *testing.T) {
	t.Parallel()
	s := plainDemo.open(t, store.SQLite)
	c := s.login("admin")
	res, body := s.call(c, "POST", "/api/v1/orgs", map[string]any{"code": "QS-01-100", "name": "跨站社区", "kind": "community", "parent": "QS-01"},
		map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": "http://evil.example"})
	wantError(t, res, body, http.StatusForbidden, "forbidden")
	res, _ = s.call(c, "POST", "/logout", "", map[string]string{"Origin": "http://evil.example"})
	if res.StatusCode != http.StatusForbidden {
		t.Fatalf("cross-origin logout form: %d, want 403", res.StatusCode)
	}
	res, _ = s.call(c, "GET", "/api/v1/orgs/QS-01-100", nil, nil)
	if res.StatusCode != http.StatusNotFound {
		t.Fatalf("the refused request created the unit: %d", res.StatusCode)
	}
	var me map[string]any
	s.getJSON(c, "/api/v1/me", &me) // still signed in
	// The same request from our own origin goes through.
	res, body = s.call(c, "POST", "/api/v1/orgs", map[string]any{"code": "QS-01-100", "name": "同源社区", "kind": "community", "parent": "QS-01"},
		map[string]string{"Sec-Fetch-Site": "same-origin", "Origin": s.ts.URL})
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("same-origin add: %d %s", res.StatusCode, body)
	}
}

func TestAddOrgValidatesAndAudits(t *testing.T) {
	t.Parallel()
	plainDemo.each(t, func(t *testing.T, s *site) {
		admin := s.login("admin")
		unit := map[string]any{"code": "QS-01-009", "name": "新建社区", "kind": "community", "parent": "QS-01", "households": 1200, "population": 3100}
		res, body := s.call(admin, "POST", "/api/v1/orgs", unit, nil)
		if res.StatusCode != http.StatusCreated || !strings.Contains(string(body), `"code":"QS-01-009"`) {
			t.Fatalf("add: %d %s", res.StatusCode, body)
		}
		res, body = s.call(admin, "POST", "/api/v1/orgs", unit, nil)
		wantError(t, res, body, http.StatusConflict, "conflict")
		bad := map[string]any{"code": "QS 01", "name": "", "kind": "community", "parent": "QS-01"}
		res, body = s.call(admin, "POST", "/api/v1/orgs", bad, nil)
		if e := wantError(t, res, body, http.StatusUnprocessableEntity, "unprocessable"); e.Error.Field != "code" {
			t.Fatalf("bad code reported on field %q", e.Error.Field)
		}
		res, body = s.call(admin, "POST", "/api/v1/orgs", map[string]any{"code": "X", "extra": 1}, nil)
		wantError(t, res, body, http.StatusBadRequest, "invalid")

		var orgs struct{ Items []any }
		s.getJSON(admin, "/api/v1/orgs?kind=community", &orgs)
		if len(orgs.Items) != 33 {
			t.Fatalf("communities after one good and three bad adds: %d, want 33", len(orgs.Items))
		}
		var log struct {
			Items []struct {
				ID       int64  `json:"id"`
				Actor    string `json:"actor"`
				Action   string `json:"action"`
				EntityID string `json:"entity_id"`
				After    map[string]any
			} `json:"items"`
		}
		s.getJSON(admin, "/api/v1/audit?action=org.add", &log)
		if len(log.Items) != 1 || log.Items[0].Actor != "admin" || log.Items[0].EntityID != "QS-01-009" || log.Items[0].ID == 0 {
			t.Fatalf("audit of the add: %+v", log.Items)
		}
		res, body = s.call(nil, "GET", "/api/v1/audit?limit=0", nil, map[string]string{"Authorization": "Bearer " + s.token("admin")})
		wantError(t, res, body, http.StatusUnprocessableEntity, "unprocessable")
	})
}

func TestUsersAndTokens(t *testing.T) {
	t.Parallel()
	plainDemo.each(t, func(t *testing.T, s *site) {
		admin := s.login("admin")
		res, body := s.call(admin, "POST", "/api/v1/users", map[string]any{"username": "wang", "display_name": "王片长",
			"role": "district", "scope": "QS-02", "password": "a long password"}, nil)
		if res.StatusCode != http.StatusCreated || !strings.Contains(string(body), `"code":"QS-02"`) {
			t.Fatalf("add user: %d %s", res.StatusCode, body)
		}
		res, body = s.call(admin, "POST", "/api/v1/users", map[string]any{"username": "zhao", "role": "district", "password": "a long password"}, nil)
		if e := wantError(t, res, body, http.StatusUnprocessableEntity, "unprocessable"); e.Error.Field != "scope" {
			t.Fatalf("district without scope: field %q", e.Error.Field)
		}
		res, body = s.call(admin, "POST", "/api/v1/users", map[string]any{"username": "qian", "role": "admin", "password": "short"}, nil)
		wantError(t, res, body, http.StatusUnprocessableEntity, "unprocessable")

		wang := s.client()
		res, _ = s.call(wang, "POST", "/api/v1/login", map[string]string{"username": "wang", "password": "a long password"}, nil)
		if res.StatusCode != 200 {
			t.Fatalf("new user cannot log in: %d", res.StatusCode)
		}
		res, body = s.call(wang, "POST", "/api/v1/tokens", map[string]string{"name": "统计对接"}, nil)
		if res.StatusCode != http.StatusCreated {
			t.Fatalf("create token: %d %s", res.StatusCode, body)
		}
		var tok struct {
			ID    int64  `json:"id"`
			Token string `json:"token"`
		}
		jsonInto(t, body, &tok)
		bearer := map[string]string{"Authorization": "Bearer " + tok.Token}
		res, body = s.call(nil, "GET", "/api/v1/orgs?kind=community", nil, bearer)
		if res.StatusCode != 200 || !strings.Contains(string(body), "QS-02-001") || strings.Contains(string(body), "QS-01-001") {
			t.Fatalf("token sees: %d %s", res.StatusCode, body)
		}
		res, _ = s.call(wang, "DELETE", "/api/v1/tokens/"+itoa(tok.ID), nil, nil)
		if res.StatusCode != 200 {
			t.Fatalf("revoke: %d", res.StatusCode)
		}
		res, body = s.call(nil, "GET", "/api/v1/me", nil, bearer)
		wantError(t, res, body, http.StatusUnauthorized, "unauthorized")
		res, body = s.call(nil, "GET", "/api/v1/me", nil, map[string]string{"Authorization": "Basic abc"})
		wantError(t, res, body, http.StatusUnauthorized, "unauthorized")

		// Changing the password needs the old one and ends the session.
		res, body = s.call(wang, "POST", "/api/v1/account/password", map[string]string{"old_password": "nope", "password": "another long one"}, nil)
		wantError(t, res, body, http.StatusUnprocessableEntity, "unprocessable")
		res, _ = s.call(wang, "POST", "/api/v1/account/password", map[string]string{"old_password": "a long password", "password": "another long one"}, nil)
		if res.StatusCode != 200 {
			t.Fatalf("change password: %d", res.StatusCode)
		}
		res, body = s.call(wang, "GET", "/api/v1/me", nil, nil)
		wantError(t, res, body, http.StatusUnauthorized, "unauthorized")
	})
}

func TestPagesRender(t *testing.T) {
	t.Parallel()
	s := plainDemo.open(t, store.SQLite)
	admin := s.login("admin")
	pages := map[string][]string{
		"/":               {"2026年社区两委换届", "东部片区", "西部片区", "南部片区", "北部片区", `data-testid="count-communities">32<`},
		"/orgs/QS-01":     {"东部片区", "下级组织", "新增下级组织", "QS-01-001"},
		"/orgs/QS-01-001": {"现任两委成员", "书记", "主任", "********", "演示"},
		"/audit":          {"审计日志", "批量导入组织", "登录", "全区"},
		"/account":        {"我的账号", "修改密码", "接口令牌", "审计日志截至第"},
		"/users":          {"用户管理", "reviewer-gaj", "公安局", "新建账号"},
		"/nowhere":        {"页面不存在"},
	}
	for path, wants := range pages {
		res, body := s.call(admin, "GET", path, nil, nil)
		if path == "/nowhere" {
			if res.StatusCode != http.StatusNotFound {
				t.Errorf("%s: %d, want 404", path, res.StatusCode)
			}
		} else if res.StatusCode != 200 {
			t.Errorf("%s: %d", path, res.StatusCode)
			continue
		}
		if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
			t.Errorf("%s: content type %q", path, ct)
		}
		for _, w := range wants {
			if !strings.Contains(string(body), w) {
				t.Errorf("%s lacks %q", path, w)
			}
		}
	}
	res, body := s.call(nil, "GET", "/healthz", nil, nil)
	if res.StatusCode != 200 || string(body) != "ok" {
		t.Fatalf("healthz: %d %q", res.StatusCode, body)
	}
	res, body = s.call(admin, "GET", "/api/v1/nothing", nil, nil)
	wantError(t, res, body, http.StatusNotFound, "not_found")
	res, _ = s.call(nil, "GET", "/static/app.css", nil, nil)
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/css") {
		t.Fatalf("stylesheet: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
}

// A form with a bad value re-renders with a Chinese message and changes nothing.
func TestAddOrgFormShowsErrors(t *testing.T) {
	t.Parallel()
	s := plainDemo.open(t, store.SQLite)
	admin := s.login("admin")
	form := url.Values{"parent": {"QS-01"}, "code": {"QS-01-050"}, "name": {"试点社区"}, "kind": {"community"}, "households": {"很多"}}
	if page := s.refusedForm(admin, "/orgs", form, http.StatusUnprocessableEntity, "households"); !strings.Contains(page, "“户数”须为整数") {
		t.Error("the refused form does not say what is wrong with 户数")
	}
	form.Set("population", "-5")
	form.Set("households", "800")
	s.refusedForm(admin, "/orgs", form, http.StatusUnprocessableEntity, "population")
	res, _ := s.call(admin, "GET", "/orgs/QS-01-050", nil, nil)
	if res.StatusCode != http.StatusNotFound {
		t.Fatalf("a refused form created the unit")
	}
	form.Del("population")
	res, _ = s.call(admin, "POST", "/orgs", form.Encode(), nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/orgs/QS-01" {
		t.Fatalf("good form: %d %q", res.StatusCode, res.Header.Get("Location"))
	}
}

// codePage is a page of an API list whose items have codes.
type codePage struct {
	Items []struct{ Code string } `json:"items"`
	Next  string                  `json:"next"`
	Total int                     `json:"total"`
}

// pageThrough follows an API list's next links from first and counts the
// items and the pages.
func pageThrough(t *testing.T, s *site, c *http.Client, first string) (items, pages int) {
	t.Helper()
	codes, pages := codesThrough(t, s, c, first)
	return len(codes), pages
}

// codesThrough is pageThrough with the codes listed, in order.
func codesThrough(t *testing.T, s *site, c *http.Client, first string) (codes []string, pages int) {
	t.Helper()
	for next := first; next != ""; pages++ {
		if pages > 10 {
			t.Fatalf("pages of %s do not end", first)
		}
		var page codePage
		s.getJSON(c, next, &page)
		for _, it := range page.Items {
			codes = append(codes, it.Code)
		}
		next = page.Next
	}
	return codes, pages
}

// A zone with more children than a page shows them a page at a time, and the
// API hands out the whole tree in pages that chain, 1,000 units a page when
// the client asks for no other size.
func TestLargeZonePages(t *testing.T) {
	t.Parallel()
	st := testdb.Open(t, store.SQLite)
	z := demo.Generate(7, 900) // 113 districts under one zone
	s := siteFor(t, st, z)
	admin := s.login("admin")
	_, body := s.call(admin, "GET", "/", nil, nil)
	if !strings.Contains(string(body), "共 113 个下级组织,这里显示前 100 个") || !strings.Contains(string(body), `data-testid="count-communities">900<`) {
		t.Fatal("home page of a large zone does not say it shows the first 100 of 113")
	}
	_, body = s.call(admin, "GET", "/orgs/QS?page=1", nil, nil)
	if n := strings.Count(string(body), `<td class="mono">QS-`); n != 113 {
		t.Fatalf("the zone page lists %d districts, want all 113 on one page", n)
	}
	seen, _ := pageThrough(t, s, admin, "/api/v1/orgs?limit=250")
	if seen != len(z.Units) {
		t.Fatalf("paged through %d units, want %d", seen, len(z.Units))
	}
	// Coverage: the scope's totals and the districts' from the units' own
	// counts agree with the communities' summed; the first 100 districts are
	// listed and the page says how many there are.
	var cov store.Coverage
	s.getJSON(admin, "/api/v1/coverage?round=before&limit=10000", &cov)
	var sum visit.CoverageRow
	byDistrict := map[string]int{}
	for _, r := range cov.Rows {
		sum.Households, sum.Reached, sum.TalksOwed = sum.Households+r.Households, sum.Reached+r.Reached, sum.TalksOwed+r.TalksOwed
		byDistrict[r.District] += r.TalksOwed
	}
	if cov.Count != 900 || len(cov.Rows) != 900 || cov.DistrictCount != 113 || len(cov.Districts) != store.CoverageDistricts ||
		sum.TalksOwed == 0 || sum.Households != cov.Total.Households || sum.Reached != cov.Total.Reached || sum.TalksOwed != cov.Total.TalksOwed {
		t.Fatalf("coverage: %d of %d communities, %d of %d districts, total %+v; the communities sum to %+v",
			len(cov.Rows), cov.Count, len(cov.Districts), cov.DistrictCount, cov.Total, sum)
	}
	for _, d := range cov.Districts {
		if d.TalksOwed != byDistrict[d.Name] {
			t.Fatalf("district %s owes %d talks, its communities %d", d.Name, d.TalksOwed, byDistrict[d.Name])
		}
	}
	if _, body := s.call(admin, "GET", "/visits/coverage?round=before", nil, nil); !strings.Contains(string(body), "共 113 个片区,这里列出前 100 个") {
		t.Fatal("the coverage page does not say it lists the first 100 of 113 districts")
	}
	// The communities with their classes likewise, a page at a time.
	seen, pages := pageThrough(t, s, admin, "/api/v1/communities?limit=250")
	if seen != 900 || pages != 4 {
		t.Fatalf("paged through %d communities in %d pages, want 900 in 4", seen, pages)
	}
	if res, _ := s.call(admin, "GET", "/api/v1/communities?limit=10001", nil, nil); res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("a page of 10,001: %d, want 422", res.StatusCode)
	}
	// Without a limit the API gives a page of 1,000 and the link on.
	var first codePage
	s.getJSON(admin, "/api/v1/orgs", &first)
	if len(first.Items) != 1000 || first.Next != "/api/v1/orgs?after="+first.Items[999].Code+"&limit=1000" {
		t.Fatalf("/api/v1/orgs of %d units: %d items, next %q; want the first 1000 and a link on", len(z.Units), len(first.Items), first.Next)
	}
	warningsPaged(t, s, admin)
	unitsTyped(t, s, st, admin)

	// The 113 districts' work teams, 50 a page, or one asked for.
	for path, want := range map[string]int{"/teams": 50, "/teams?page=3": 13, "/teams?page=99": 13, "/teams?district=QS-005": 1} {
		if page := s.page(admin, path); strings.Count(page, `<section class="panel" data-district=`) != want {
			t.Errorf("%s shows %d districts' teams, want %d", path, strings.Count(page, `<section class="panel" data-district=`), want)
		}
	}
	if page := s.page(admin, "/teams?district=QS-005"); !strings.Contains(page, `data-district="QS-005"`) {
		t.Error("/teams?district=QS-005 is not QS-005's team")
	}
	if seen, pages := pageThrough(t, s, admin, "/api/v1/teams?limit=50"); seen != 113 || pages != 3 {
		t.Errorf("/api/v1/teams paged %d districts in %d pages, want 113 in 3", seen, pages)
	}

	// A server that draws at most 500 communities one by one draws this
	// zone's map a district a tile, each leading to the district's map.
	small := serve(t, st, z, web.WithMapCommunities(500))
	office := small.login("admin")
	for _, by := range []string{"class", "progress"} {
		svg := small.page(office, "/map?by="+by)
		if !strings.Contains(svg, `data-layout="districts"`) || strings.Count(svg, `<rect data-district=`) != 113 ||
			!strings.Contains(svg, `<a href="/map?by=`+by+`&amp;district=QS-001">`) || strings.Contains(svg, `data-code="QS-001-001"`) {
			t.Errorf("/map?by=%s of 900 communities over a bound of 500 is not 113 district tiles leading to their maps", by)
		}
	}
	if svg := small.page(office, "/map?district=QS-001"); strings.Contains(svg, `data-layout="districts"`) || !strings.Contains(svg, `data-code="QS-001-001"`) {
		t.Error("/map?district=QS-001 is not the district's communities")
	}
	if svg := s.page(admin, "/map"); strings.Contains(svg, `data-layout="districts"`) {
		t.Error("the map of 900 communities under the default bound of 2,000 is drawn by district")
	}

	// The day's agenda keeps 200 of the zone's late stages and says so.
	late, err := st.Zone(store.System).LateStages(t.Context(), civil.Of(st.Now()), 0)
	if err != nil || len(late) <= 200 {
		t.Fatalf("the zone has %d late stages (%v): too few to cut", len(late), err)
	}
	page := s.page(admin, "/meetings")
	table := between(page, `data-testid="agenda-late"`, 1<<20)
	if n := strings.Count(table[:strings.Index(table, "</table>")], `<tr class="late">`); n != 200 || !strings.Contains(page, `data-testid="agenda-cut-late"`) {
		t.Errorf("the agenda lists %d of %d late stages, or does not say it cut them", n, len(late))
	}
}

// unitsTyped: with more communities in scope than a select should hold,
// the forms and filters take a community typed, by its name or its code; a
// name shared by several is refused with their codes, a form keeping what
// was typed; the discipline log's unit may be a district by its name.
func unitsTyped(t *testing.T, s *site, st *store.Store, admin *http.Client) {
	t.Helper()
	for _, path := range []string{"/aspirants", "/tips", "/discipline"} {
		if page := s.page(admin, path); !strings.Contains(page, `<input name="community"`) || strings.Contains(page, `<option value="QS-`) {
			t.Errorf("%s offers the 900 communities in a select, not a typed field", path)
		}
	}
	var all struct{ Items []struct{ Code, Name string } }
	s.getJSON(admin, "/api/v1/communities?limit=10000", &all)
	named := map[string][]string{}
	for _, c := range all.Items {
		named[c.Name] = append(named[c.Name], c.Code)
	}
	// Two communities of one name in two districts: the office adds a
	// second 前河西社区 (the demo's names are all different).
	unique, shared := all.Items[1].Name, all.Items[0].Name
	if res, body := s.call(admin, "POST", "/api/v1/orgs", map[string]any{"code": "QS-002-099", "name": shared, "kind": "community",
		"parent": "QS-002"}, nil); res.StatusCode != http.StatusCreated {
		t.Fatalf("add a second %s: %d %s", shared, res.StatusCode, body)
	}
	named[shared] = append(named[shared], "QS-002-099")
	if len(named[unique]) != 1 {
		t.Fatalf("%s names %v", unique, named[unique])
	}
	code := named[unique][0]
	if page := s.page(admin, "/aspirants?community="+url.QueryEscape(unique)); !strings.Contains(page, `<input name="community" value="`+code+`"`) {
		t.Errorf("/aspirants?community=%s does not filter on %s", unique, code)
	}
	if page := s.page(admin, "/tips?community="+url.QueryEscape(shared)); !strings.Contains(page, "不止一个") || !strings.Contains(page, named[shared][0]) {
		t.Errorf("/tips?community=%s does not say the name is shared, with the codes", shared)
	}
	today := string(civil.Of(st.Now()))
	for _, unit := range []string{unique, "第1片区"} {
		res, _ := s.call(admin, "POST", "/discipline", url.Values{"community": {unit}, "type": {"other"}, "quantity": {"1"},
			"date": {today}, "note": {"按名称登记"}}.Encode(), nil)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("POST /discipline for %s: %d, want 303", unit, res.StatusCode)
		}
	}
	var acts struct{ Items []struct{ Community string } }
	s.getJSON(admin, "/api/v1/activities", &acts)
	got := map[string]bool{}
	for _, a := range acts.Items {
		got[a.Community] = true
	}
	if !got[code] || !got["QS-001"] {
		t.Errorf("activities logged by name went to %v, want %s and QS-001", got, code)
	}
	page := s.refusedForm(admin, "/discipline", url.Values{"community": {shared}, "type": {"other"}, "quantity": {"1"},
		"date": {today}, "note": {"重名"}}, http.StatusUnprocessableEntity, "community")
	if !strings.Contains(page, named[shared][0]) {
		t.Errorf("the refusal of a shared name does not give the codes %v", named[shared])
	}
	s.refusedForm(admin, "/discipline", url.Values{"community": {"没有这个社区"}, "type": {"other"}, "quantity": {"1"},
		"date": {today}, "note": {"无此单位"}}, http.StatusUnprocessableEntity, "community")

	// A new case's community, as discipline chooses it: typed.
	discipline := s.login("discipline")
	if page := s.page(discipline, "/cases?community="+url.QueryEscape(unique)); !strings.Contains(page, `<input type="hidden" name="community" value="`+code+`"`) ||
		strings.Contains(page, `<option value="QS-`) {
		t.Errorf("/cases?community=%s does not open the case form for %s with a typed field", unique, code)
	}
	if page := s.page(discipline, "/cases?community="+url.QueryEscape(shared)); strings.Contains(page, `data-testid="case-form"`) || !strings.Contains(page, "不止一个") {
		t.Errorf("/cases?community=%s opens a case form for a name shared by two", shared)
	}

	// The public tip page likewise: no list of every community (it was
	// built district by community, 900 × 113 steps here, 10⁹ at 100,000).
	if page := s.page(nil, "/tip"); !strings.Contains(page, `<input name="community"`) || strings.Contains(page, `<option value="QS-`) {
		t.Error("/tip offers the 900 communities in a select, not a typed field")
	}
	tip := url.Values{"community": {unique}, "category": {"bribery"}, "description": {"有人在小区门口发放购物卡拉票"}}
	if res, body := s.call(nil, "POST", "/tip", tip.Encode(), nil); res.StatusCode != http.StatusOK || !strings.Contains(string(body), "回执") {
		t.Fatalf("a tip on %s by name: %d %s", unique, res.StatusCode, between(string(body), "field-error", 300))
	}
	var tips struct {
		Items []struct{ Community, Description string }
	}
	s.getJSON(admin, "/api/v1/tips?limit=1000", &tips)
	var to []string // the communities of the tips bearing this one's description
	for _, x := range tips.Items {
		if x.Description == tip.Get("description") {
			to = append(to, x.Community)
		}
	}
	if len(to) != 1 || to[0] != code {
		t.Errorf("the tip by name went to %v, want %s", to, code)
	}
	tip.Set("community", shared)
	s.refusedForm(nil, "/tip", tip, http.StatusUnprocessableEntity, "community")
}

// warnPageRows is how many rows a section's own page of the warning list holds.
const warnPageRows = 200

// warningsPaged: the warning list shows the first 50 warned communities
// and links to the rest; the section's own page and API page through all
// of them, class C first, as the class filter lists them; the plan
// shortfalls likewise, counted as the communities' classes and plans say.
func warningsPaged(t *testing.T, s *site, admin *http.Client) {
	t.Helper()
	c, _ := codesThrough(t, s, admin, "/api/v1/communities?class=C")
	b, _ := codesThrough(t, s, admin, "/api/v1/communities?class=B")
	want := append(c, b...)
	if len(c) == 0 || len(want) <= 2*warnPageRows {
		t.Fatalf("the zone has %d C and %d B communities: too few to page", len(c), len(b))
	}
	got, pages := codesThrough(t, s, admin, "/api/v1/warnings/warned?limit=100")
	if !slices.Equal(got, want) || pages != (len(want)+99)/100 {
		t.Fatalf("/api/v1/warnings/warned paged %d communities in %d pages, want the %d C then the %d B in pages of 100", len(got), pages, len(c), len(b))
	}
	var first codePage
	s.getJSON(admin, "/api/v1/warnings/warned?limit=7&page=2", &first)
	if first.Total != len(want) || len(first.Items) != 7 || first.Items[0].Code != want[7] {
		t.Fatalf("second page of 7 warned: total %d, %d items from %v; want %d in all from %s", first.Total, len(first.Items), first.Items, len(want), want[7])
	}
	var list struct {
		Items  []struct{ Code string }
		Totals map[string]int
		More   map[string]string
	}
	s.getJSON(admin, "/api/v1/warnings", &list)
	if len(list.Items) != 50 || list.Items[49].Code != want[49] || list.Totals["warned"] != len(want) || list.More["warned"] != "/api/v1/warnings/warned" {
		t.Fatalf("/api/v1/warnings: %d items, totals %v, more %v; want the first 50 of %d and a link to the rest", len(list.Items), list.Totals, list.More, len(want))
	}
	_, body := s.call(admin, "GET", "/warnings", nil, nil)
	warnedTable := between(string(body), `data-testid="warned"`, 1<<20)
	if n := strings.Count(warnedTable[:strings.Index(warnedTable, "</table>")], "<tr data-code="); n != 50 ||
		!strings.Contains(string(body), `<a href="/warnings/warned">查看全部 `+strconv.Itoa(len(want))+` 个社区 ›</a>`) {
		t.Fatalf("/warnings shows %d warned rows or no link to all %d", n, len(want))
	}
	_, body = s.call(admin, "GET", "/warnings/warned?page=2", nil, nil)
	if !strings.Contains(string(body), `<tr data-code="`+want[warnPageRows]+`"`) || strings.Contains(string(body), `<tr data-code="`+want[warnPageRows-1]+`"`) ||
		strings.Contains(string(body), "方案数量不足的社区") || !strings.Contains(string(body), "第 2/") {
		t.Fatal("/warnings/warned?page=2 is not the second page of the warned communities alone, with its pager")
	}
	last := (len(want) + warnPageRows - 1) / warnPageRows
	if res, body := s.call(admin, "GET", "/warnings/warned?page=999", nil, nil); res.StatusCode != http.StatusOK ||
		!strings.Contains(string(body), "第 "+strconv.Itoa(last)+"/") || !strings.Contains(string(body), `<tr data-code="`+want[len(want)-1]+`"`) {
		t.Fatalf("/warnings/warned?page=999: %d, not the last page (%d of %d)", res.StatusCode, last, len(want))
	}
	if res, _ := s.call(admin, "GET", "/warnings/nothing", nil, nil); res.StatusCode != http.StatusNotFound {
		t.Fatalf("/warnings/nothing: %d, want 404", res.StatusCode)
	}

	// The shortfalls: every assessed community with fewer plans than its
	// class needs (1, 2, 3 by default), in tree order.
	var all struct {
		Items []struct {
			Code, Class string
			Plans       int
		}
	}
	s.getJSON(admin, "/api/v1/communities?limit=10000", &all)
	var short []string
	for _, it := range all.Items {
		if need := map[string]int{"A": 1, "B": 2, "C": 3}[it.Class]; it.Plans < need {
			short = append(short, it.Code)
		}
	}
	got, _ = codesThrough(t, s, admin, "/api/v1/plans/shortfall?limit=60")
	s.getJSON(admin, "/api/v1/plans/shortfall?limit=60&page=2", &first)
	if len(short) == 0 || !slices.Equal(got, short) || first.Total != len(short) {
		t.Fatalf("plan shortfalls paged %d (total %d), want %d", len(got), first.Total, len(short))
	}
}
