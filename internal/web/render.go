package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/huanjie/huanjie/internal/account"
	"github.com/huanjie/huanjie/internal/assess"
	"github.com/huanjie/huanjie/internal/audit"
	"github.com/huanjie/huanjie/internal/filestore"
	"github.com/huanjie/huanjie/internal/idcard"
	"github.com/huanjie/huanjie/internal/ledger"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/vetting"
)

//go:embed templates static
var assets embed.FS

// pages holds every page template, each parsed once with the layout.
type pages struct {
	byName map[string]*template.Template
	blank  map[string]*template.Template // byName with its forms blank, for a GET (blank_forms.go)
	top    *template.Template            // the page's top bar (topBar)
}

// China Standard Time, without depending on the system's zone database.
var cst = time.FixedZone("CST", 8*3600)

var funcs = template.FuncMap{
	"actionLabel": audit.LabelOf,
	"roleLabel":   func(r account.Role) string { return r.Label() },
	"kindLabel":   func(k org.Kind) string { return k.Label() },
	"datetime": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.In(cst).Format("2006-01-02 15:04:05")
	},
	"classLabel":    func(c assess.Class) string { return c.Label() },
	"warningLabel":  func(c assess.Class) string { return c.Warning().Label() },
	"warningClass":  func(c assess.Class) string { return "w-" + string(c.Warning()) },
	"sectionLabel":  func(s assess.Section) string { return s.Label() },
	"planKindLabel": func(k assess.PlanKind) string { return k.Label() },
	"dimLabel":      func(d assess.Dimension) string { return d.Label() },
	"add":           func(a, b int) int { return a + b },
	"fieldID":       fieldID,
	// regionWarning is idcard.RegionWarning: an address code GB/T 2260 lacks.
	"regionWarning": idcard.RegionWarning,
	// ledgerStatus names the state of a meeting decision's ledger item, "" when it has none.
	"ledgerStatus": func(s string) string {
		if s == "" {
			return "未转台账"
		}
		return ledger.Status(s).Label()
	},
	"dutyLabel": func(d org.Duty) string { return d.Label() },
	"formHeld":  formHeld, // blank_forms.go
	// condition is the catalogue's condition of a stored code: {{(condition .).Label}}.
	"condition": vetting.ConditionOf,
	"actorName": actorName,
	"fileType":  filestore.TypeLabel,
	// scoreValue is a score as a form value: "" only when not answered, so a 0 shows as 0.
	"scoreValue": func(s assess.Scores, code string) string {
		if v, ok := s[code]; ok {
			return strconv.Itoa(v)
		}
		return ""
	},
	"classCount": func(m map[assess.Class]int, c string) int { return m[assess.Class(c)] },
	"thousands": func(n any) string {
		var s string
		switch v := n.(type) { // the kinds pages print, without fmt's reflection
		case int:
			s = strconv.Itoa(v)
		case int64:
			s = strconv.FormatInt(v, 10)
		default:
			s = fmt.Sprint(n)
		}
		var b strings.Builder
		for i, c := range s {
			if i > 0 && (len(s)-i)%3 == 0 && s[i-1] != '-' {
				b.WriteByte(',')
			}
			b.WriteRune(c)
		}
		return b.String()
	},
}

// sharedPages are the pages, parsed once for the process. Every server of
// the process draws from the same: nothing changes a page after it is
// parsed, and html/template guards the escaping of its first drawing. The
// tests start hundreds of servers; parsing took a sixth of their CPU.
var sharedPages = sync.OnceValues(parsePages)

func parsePages() (*pages, error) {
	names, err := fs.Glob(assets, "templates/*.html")
	if err != nil {
		return nil, err
	}
	p := &pages{byName: map[string]*template.Template{}, blank: map[string]*template.Template{}}
	for _, name := range names {
		base := strings.TrimSuffix(strings.TrimPrefix(name, "templates/"), ".html")
		if base == "layout" || base == "top" || strings.HasPrefix(base, "partial_") {
			continue // the layout and partials (partial_*.html) are parsed into every page, the top bar alone
		}
		for _, into := range []map[string]*template.Template{p.byName, p.blank} {
			t, err := template.New("layout.html").Funcs(funcs).ParseFS(assets, "templates/layout.html", "templates/partial_*.html", name)
			if err != nil {
				return nil, fmt.Errorf("template %s: %w", name, err)
			}
			into[base] = t
		}
		blankForms(p.blank[base])
	}
	if p.top, err = template.New("top.html").Funcs(funcs).ParseFS(assets, "templates/top.html"); err != nil {
		return nil, fmt.Errorf("template top: %w", err)
	}
	return p, nil
}

// navItem is one entry of the navigation bar.
type navItem struct {
	Href, Label string
	Active      bool
}

// layout is what every page template receives; Body is the page's own data.
type layout struct {
	Title  string
	User   account.User
	Top    template.HTML // the top bar: navigation, search and who is signed in (topBar)
	Body   any
	Notice string     // what the form before the redirect here did
	Posted *formState // the form that was posted and refused, if any
	// Earlier is the earlier cycle the reader chose to read, zero for the current one.
	Earlier org.Cycle
	// AuditMark is the audit log's head as this server last wrote it, printed
	// at the foot of every printed page of a signed-in reader: a printed form
	// or minutes carries the checkpoint of the log it was printed from
	// (docs/security.md).
	AuditMark string
	s         *Server
}

// readingKey holds, in a request's context, the earlier cycle it reads.
type readingKey struct{}

// Form is the state of the page's form that posts to action: what was
// typed and the error after a refusal, nothing otherwise (form.go).
func (l layout) Form(action string) formState {
	if l.Posted != nil && l.Posted.Action == action {
		return *l.Posted
	}
	return formState{Action: action}
}

// auditMark is the audit log's head as this server last wrote it, as every
// printed page (what "打印") and filed report ("生成") carries it.
func (s *Server) auditMark(what string) string {
	h := s.st.LastHead()
	return fmt.Sprintf("%s %s · 审计日志截至第 %d 条,校验值 %.16s", s.st.Now().In(cst).Format("2006-01-02 15:04"), what, h.Seq, h.Hash)
}

// Paper is the paper the page prints on: "landscape" when its body says so
// with a Paper method (a wide table across A4), "" for A4 portrait. The
// layout names it in the body's class, which app.css maps to a named @page.
func (l layout) Paper() string {
	if p, ok := l.Body.(interface{ Paper() string }); ok {
		return p.Paper()
	}
	return ""
}

// Opens reports whether the signed-in user may open the page at href, for
// links a page shows only to those it opens for: {{if $.Opens "/vetting/stats"}}.
func (l layout) Opens(href string) bool { return l.s.opens(l.User, href) }

// link is where a link goes and what it says.
type link struct{ Href, Label string }

// navEntries are the navigation bar's links in order; each is shown to the
// users who may open it, by the permission its route asks in the route table.
var navEntries = []link{
	{"/", "首页"}, {"/classes", "三类研判"}, {"/warnings", "预警清单"}, {"/aspirants", "参选人"}, {"/review", "联审"},
	{"/review/queue", "联审任务"}, {"/tips", "举报"}, {"/cases", "案件"}, {"/discipline", "宣传教育"},
	{"/second-review", "二次审核"}, {"/vetting/stats", "资格审查统计"}, {"/progress", "进度表"}, {"/calendar", "选举日"}, {"/targets", "人选"}, {"/results/statistics", "选举结果"}, {"/map", "作战图"},
	{"/ledger/today", "台账"}, {"/visits", "走访"}, {"/meetings", "工作例会"}, {"/teams", "工作专班"}, {"/users", "用户管理"},
	{"/audit", "审计日志"}, {"/search", "搜索"}, {"/account", "我的账号"},
}

func (s *Server) navFor(u account.User, path string) []navItem {
	return navItems(s.navLinks(u, path))
}

// navItems are the links of navEntries whose bits shown holds, marked
// current when active holds them too.
func navItems(shown, active uint64) []navItem {
	var out []navItem
	for i, e := range navEntries {
		if shown&(1<<i) != 0 {
			out = append(out, navItem{e.Href, e.Label, active&(1<<i) != 0})
		}
	}
	return out
}

// navLinks are, as bits by their place in navEntries, the links of the
// navigation bar u sees and those of them path is in.
func (s *Server) navLinks(u account.User, path string) (shown, active uint64) {
	for i, e := range navEntries {
		if e.Href == "/" && !u.Can(account.ViewOrgs) {
			continue // the home page of an account without the org tree is its first link
		}
		if perm := s.navPerms[i]; perm == "" || u.Can(perm) {
			shown |= 1 << i
			if path == e.Href || (e.Href != "/" && strings.HasPrefix(path, e.Href)) {
				active |= 1 << i
			}
		}
	}
	return shown, active
}

// topBar is the top bar of u's pages on path: the navigation bar's links,
// the search box and who is signed in, "" for no one. The template "top"
// prints it once for each reader's name, role, scope and links shown and
// current, and the bar is kept (issue 17: printing the two dozen links and
// the reader's names took a fifth of a community's page). At most topBarsKept
// bars are kept; past that the kept ones are forgotten and printed again.
func (s *Server) topBar(u account.User, path string) (template.HTML, error) {
	if u.ID == 0 {
		return "", nil
	}
	shown, active := s.navLinks(u, path)
	key := topKey{shown, active, u.DisplayName, u.Role, u.ScopeName, u.DepartmentName}
	if h, ok := s.topBars.Load(key); ok {
		return h.(template.HTML), nil
	}
	var b strings.Builder
	err := s.pages.top.Execute(&b, struct {
		Links  []navItem
		Search bool
		User   account.User
	}{navItems(shown, active), shown&(1<<searchEntry) != 0, u})
	if err != nil {
		return "", err
	}
	h := template.HTML(b.String())
	if s.topBarsKept.Add(1) > topBarsKept {
		s.topBars.Clear()
		s.topBarsKept.Store(1)
	}
	s.topBars.Store(key, h)
	return h, nil
}

// topKey is what a top bar shows.
type topKey struct {
	shown, active     uint64
	name              string
	role              account.Role
	scope, department string
}

// topBarsKept is the most top bars kept, about 2 KB each.
const topBarsKept = 2048

// searchEntry is the search page's place in navEntries: the top bar shows
// the search box to those it shows the link to.
var searchEntry = slices.IndexFunc(navEntries, func(l link) bool { return l.Href == "/search" })

// opens reports whether u may open the page at href (a path, a query
// allowed): the permission of the GET route the path matches, from the
// route table. Pages use it, through layout.Opens, to show only links that
// open.
func (s *Server) opens(u account.User, href string) bool {
	path, _, _ := strings.Cut(href, "?")
	req, err := http.NewRequest(http.MethodGet, path, nil)
	if err != nil {
		return false
	}
	_, pattern := s.gets.Handler(req)
	perm, ok := s.getPerms[pattern]
	return ok && (perm == "" || u.Can(perm))
}

var pageTitles = map[string]string{
	"login": "登录", "home": "首页", "org": "组织", "audit": "审计日志",
	"calendar": "选举日安排", "calendar_community": "社区选举日", "cycles": "换届届次", "seats": "两委职数", "target_settings": "结构指标与差额设置", "targets": "结构指标", "board": "人选一览", "recommendations": "两推",
	"candidates": "人选考察", "candidate": "人选考察",
	"slate": "预判人选", "reserve": "人选储备", "formal": "正式候选人", "outcome_check": "选举结果测算",
	"electorate": "选民与投票站", "proxies": "委托投票名单", "election_settings": "选举规则设置",
	"ballots": "投票与计票", "ballot": "投票", "ballot_report": "选举结果报告单", "count_entry": "计票录入", "count_desk": "核对两次录入", "tally": "唱票", "tally_screen": "唱票大屏", "counts": "待处理的计票",
	"results": "选举结果", "results_match": "预判人选与选举结果比对", "results_statistics": "换届结果统计",
	"account": "我的账号", "users": "用户管理", "error": "出错了",
	"classes": "三类研判", "import": "Excel 批量导入研判", "warnings": "预警清单", "rules": "研判标准与分类规则",
	"aspirants": "自荐参选人", "second_review": "二次审核", "vetting_stats": "资格审查统计",
	"review": "联审", "review_departments": "联审部门与审查清单", "review_queue": "联审任务",
	"review_request": "联审任务", "review_import": "Excel 批量答复联审", "review_overdue": "联审逾期未答复",
	"review_misses":  "联审漏查比对",
	"daily_meetings": "工作例会", "daily_meeting": "工作例会",
	"progress": "换届进度表", "progress_stages": "换届环节与期限", "progress_community": "社区换届进度",
	"teams": "片区工作专班", "map": "作战图",
	"ledger": "社区台账", "ledger_today": "台账日调度", "ledger_on": "台账历史",
	"archive": "换届档案",
	"tip":     "换届纪律举报", "tip_receipt": "举报已提交", "tip_status": "举报办理进度查询",
	"tips": "群众举报", "tip_detail": "举报", "cases": "换届纪律案件", "case": "案件", "discipline": "宣传和警示教育",
	"search": "搜索", "visits_outbox": "待上传的走访",
}

// render writes page name with body; the title comes from the body when it
// has a Title method, else from the page name.
func (s *Server) render(w http.ResponseWriter, r *http.Request, name string, status int, body any) {
	s.renderPage(w, r, name, status, body, nil)
}

// pageBuffers hold the buffers pages are rendered into, so that a page is
// not grown from nothing each time; a buffer over pageBufferKeep is let go,
// so that a rare large page is not held. A page that knows its size
// (sizeHint: the battle map's 2.4 MB at 100,000 communities) grows its
// buffer once instead of through twice that in copies.
var pageBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

const pageBufferKeep = 4 << 20

// renderPage is render with the form that was posted and refused, if any.
func (s *Server) renderPage(w http.ResponseWriter, r *http.Request, name string, status int, body any, posted *formState) {
	t, ok := s.pages.byName[name]
	if !ok {
		http.Error(w, "page "+name+" missing", http.StatusInternalServerError)
		return
	}
	u := userOf(r)
	title := pageTitles[name]
	if tb, ok := body.(interface{ Title() string }); ok {
		title = tb.Title()
	}
	buf := pageBuffers.Get().(*bytes.Buffer)
	buf.Reset()
	if h, ok := body.(interface{ sizeHint() int }); ok {
		buf.Grow(h.sizeHint() + 64<<10)
	}
	defer func() {
		if buf.Cap() <= pageBufferKeep {
			pageBuffers.Put(buf)
		}
	}()
	top, err := s.topBar(u, r.URL.Path)
	if err != nil {
		s.log.Error("render", "page", name, "err", err)
		http.Error(w, "页面生成失败", http.StatusInternalServerError)
		return
	}
	l := layout{Title: title, User: u, Top: top, Body: body, Posted: posted, s: s}
	l.Earlier, _ = r.Context().Value(readingKey{}).(org.Cycle)
	if u.ID != 0 {
		l.AuditMark = s.auditMark("打印")
	}
	if posted == nil {
		l.Notice = notice(w, r)
	}
	if posted == nil {
		t = s.pages.blank[name]
	}
	if err := t.Execute(buf, l); err != nil {
		s.log.Error("render", "page", name, "err", err)
		http.Error(w, "页面生成失败", http.StatusInternalServerError)
		return
	}
	if checkBlankForms != nil && posted == nil {
		if err := checkBlankForms(s.pages.byName[name], l, buf.Bytes()); err != nil {
			s.log.Error("render", "page", name, "err", err)
			http.Error(w, "页面生成失败", http.StatusInternalServerError)
			return
		}
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	// With its length the page goes out as one body, not in chunks.
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	if status != 0 && status != http.StatusOK {
		w.WriteHeader(status)
	}
	w.Write(buf.Bytes())
}
