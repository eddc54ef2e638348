package e2e

import (
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestAdminBrowsesZoneAndAudit signs the office's admin in through the login
// form and checks the home page's figures and districts and the audit log.
func TestAdminBrowsesZoneAndAudit(t *testing.T) {
	s, tb := start(t)
	admin := s.account(t, "admin")

	resp := tb.open("/")
	if p := tb.path(); p != "/login" {
		t.Fatalf("/ without a session: at %s (status %d), want a redirect to /login", p, resp.Status)
	}
	resp = tb.login(admin.Username, admin.Password, click)
	if resp.Status != http.StatusOK {
		t.Fatalf("home after login: status %d, want 200", resp.Status)
	}
	if p := tb.path(); p != "/" {
		t.Fatalf("after login: at %s, want /", p)
	}
	if got := tb.text(`[data-testid=current-user]`); !strings.Contains(got, "换届办公室") {
		t.Errorf("current user = %q, want it to contain 换届办公室", got)
	}
	if got := tb.text(`[data-testid=count-communities]`); got != "32" {
		t.Errorf("count-communities = %q, want 32", got)
	}
	if got := tb.text(`[data-testid=count-districts]`); got != "4" {
		t.Errorf("count-districts = %q, want 4", got)
	}
	links := eval[[]string](tb, `Array.from(document.querySelectorAll('main table a'), a => a.textContent.trim())`)
	for _, d := range []string{"东部片区", "西部片区", "南部片区", "北部片区"} {
		if !slices.Contains(links, d) {
			t.Errorf("home page table links %q: no link to district %s", links, d)
		}
	}

	// The audit log, reached through the navigation bar.
	nav := `nav.nav a[href="/audit"]`
	if got := tb.text(nav); got != "审计日志" {
		t.Fatalf("nav link to /audit reads %q, want 审计日志", got)
	}
	resp = tb.follow("click 审计日志", chromedp.Click(chromedp.CSS(nav)))
	if resp.Status != http.StatusOK || tb.path() != "/audit" {
		t.Fatalf("audit page: status %d at %s, want 200 at /audit", resp.Status, tb.path())
	}
	rows := eval[[][]string](tb, `Array.from(document.querySelectorAll('[data-testid=audit] tbody tr'),
		tr => Array.from(tr.cells, c => c.innerText.trim()))`)
	// Columns: 序号 时间 操作人 操作 对象 所属单位 变更; 操作 reads "登录 账号安全" (its label
	// and its sensitivity), never a code.
	has := func(actor, label string) bool {
		return slices.ContainsFunc(rows, func(r []string) bool {
			return len(r) == 7 && (r[3] == label || strings.HasPrefix(r[3], label+" ")) && (actor == "" || r[2] == actor)
		})
	}
	if !has("admin", "登录") {
		t.Errorf("audit table has no login by admin; rows: %q", rows)
	}
	// The demo load is further back than the first page: filter by action.
	if resp := tb.open("/audit?action=org.import"); resp.Status != http.StatusOK {
		t.Fatalf("/audit?action=org.import: status %d", resp.Status)
	}
	rows = eval[[][]string](tb, `Array.from(document.querySelectorAll('[data-testid=audit] tbody tr'),
		tr => Array.from(tr.cells, c => c.innerText.trim()))`)
	if !has("", "批量导入组织") {
		t.Errorf("audit table filtered by org.import has none; rows: %q", rows)
	}
}

// TestLoginWrongPassword checks that a wrong password is refused with a
// message and the browser stays on the login page without a session.
func TestLoginWrongPassword(t *testing.T) {
	s, tb := start(t)
	admin := s.account(t, "admin")

	tb.open("/login")
	resp := tb.login(admin.Username, admin.Password+"x", click)
	if resp.Status != http.StatusUnauthorized {
		t.Errorf("wrong password: status %d, want 401", resp.Status)
	}
	if p := tb.path(); p != "/login" {
		t.Errorf("wrong password: at %s, want /login", p)
	}
	if got := tb.text(`main .error[role=alert]`); !strings.Contains(got, "用户名或密码不正确") {
		t.Errorf("error message = %q, want 用户名或密码不正确", got)
	}
	if got := eval[string](tb, `document.querySelector('input[name=username]').value`); got != admin.Username {
		t.Errorf("username field = %q, want it kept as %q", got, admin.Username)
	}
	// No session: the home page still sends the browser to the login page.
	tb.open("/")
	if p := tb.path(); p != "/login" {
		t.Errorf("after a failed login / leads to %s, want /login", p)
	}
}

// fullID is an unmasked 18-character ID number (身份证号).
var fullID = regexp.MustCompile(`\d{17}[\dX]`)

// TestCommunityAccountOnPhone signs a community's worker in on a phone-sized
// screen and checks that they see only their own community, with masked ID
// numbers, and that another district's community is not found.
func TestCommunityAccountOnPhone(t *testing.T) {
	s, tb := start(t)
	worker := s.account(t, "community1")
	const own, other = "QS-01-001", "QS-02-001"
	if worker.Scope != own {
		t.Fatalf("community1 is scoped to %q, want %s", worker.Scope, own)
	}
	tb.do("phone viewport", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateTouch))

	tb.open("/login")
	if w := eval[int](tb, `window.innerWidth`); w != 390 {
		t.Fatalf("viewport width %d, want 390", w)
	}
	resp := tb.login(worker.Username, worker.Password, tap)
	if resp.Status != http.StatusOK || tb.path() != "/" {
		t.Fatalf("after login: status %d at %s, want 200 at /", resp.Status, tb.path())
	}
	if got := tb.text(`[data-testid=count-communities]`); got != "1" {
		t.Errorf("count-communities = %q, want 1", got)
	}
	// The menu is one strip: the page starts near the top, its links are
	// big enough to tap, and a skip link leads past them.
	if top := eval[float64](tb, `document.querySelector('main').getBoundingClientRect().top`); top > 160 {
		t.Errorf("the page starts at y=%.0f on a phone, under the menu", top)
	}
	if small := eval[int](tb, `Array.from(document.querySelectorAll('.nav a')).filter(a => a.getBoundingClientRect().height < 44).length`); small > 0 {
		t.Errorf("%d menu links are under 44 px tall on a phone", small)
	}
	if plain := eval[int](tb, `Array.from(document.querySelectorAll('main a:not(.stat)')).filter(a => !getComputedStyle(a).textDecorationLine.includes('underline')).length`); plain > 0 {
		t.Errorf("%d links in the page are told apart from text by colour alone", plain)
	}
	if href := eval[string](tb, `document.querySelector('body a')?.getAttribute('href') ?? ''`); href != "#main" {
		t.Errorf("the first link of the page is %q, want the skip link to #main", href)
	}
	orgLinks := eval[[]string](tb, `Array.from(document.querySelectorAll('main a[href^="/orgs/"]'), a => a.getAttribute('href'))`)
	if len(orgLinks) == 0 {
		t.Errorf("home page links to no org, want its community %s", own)
	}
	for _, h := range orgLinks {
		if h != "/orgs/"+own {
			t.Errorf("home page of community1 links to %s, want only /orgs/%s", h, own)
		}
	}

	// Another district's community does not exist for this account.
	resp = tb.open("/orgs/" + other)
	if resp.Status != http.StatusNotFound {
		t.Errorf("/orgs/%s: status %d, want 404", other, resp.Status)
	}
	if body := tb.text(`main`); !strings.Contains(body, "没有找到该组织") {
		t.Errorf("/orgs/%s shows %q, want 没有找到该组织", other, body)
	}
	if name := s.unitName(t, other); strings.Contains(eval[string](tb, `document.body.innerText`), name) {
		t.Errorf("/orgs/%s reveals the community's name %s", other, name)
	}

	// Its own community: members with masked ID numbers.
	resp = tb.open("/orgs/" + own)
	if resp.Status != http.StatusOK {
		t.Fatalf("/orgs/%s: status %d, want 200", own, resp.Status)
	}
	if h1, name := tb.text(`main h1`), s.unitName(t, own); !strings.Contains(h1, name) {
		t.Errorf("/orgs/%s heading %q, want the community's name %s", own, h1, name)
	}
	rows := eval[[][]string](tb, `Array.from(document.querySelectorAll('[data-testid=members] tbody tr'),
		tr => Array.from(tr.cells, c => c.innerText.trim()))`)
	if len(rows) == 0 {
		t.Fatalf("members table of %s has no rows", own)
	}
	// Columns: 委员会 职务 姓名 性别 出生日期 党员 学历 身份证号 电话.
	for i, r := range rows {
		if len(r) != 9 {
			t.Errorf("members row %d has %d cells, want 9: %q", i, len(r), r)
			continue
		}
		if !strings.Contains(r[7], "********") {
			t.Errorf("members row %d: ID number %q is not masked", i, r[7])
		}
		if !strings.Contains(r[8], "****") {
			t.Errorf("members row %d: phone number %q is not masked", i, r[8])
		}
	}
	if table := tb.text(`[data-testid=members]`); fullID.MatchString(table) {
		t.Errorf("members table shows a full ID number %q", fullID.FindString(table))
	}
}
