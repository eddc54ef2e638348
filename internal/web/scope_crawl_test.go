package web_test

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/huanjie/huanjie/internal/account"
)

// The crawl of TestScopeOfDataForEveryRole: one account walks its site as a
// browser would and every answer is checked.

const (
	crawlBound = 1500 // requests of one account, beyond which links are no longer followed
	perRoute   = 60   // URLs of one route followed from links
)

// A crawlJob is one GET to make, with what its answer must be.
type crawlJob struct {
	path  string
	from  string   // the page whose link it is
	want  int      // the status it must answer: wantOpens for a link, 0 for any below 500
	probe []string // foreign values the request itself names: the answer may repeat them
}

const wantOpens = -1

var (
	// linkAttr is what linkValues finds (TestLinkValues).
	linkAttr = regexp.MustCompile(`\s(?:href|src)="([^"]*)"`)
	formTag  = regexp.MustCompile(`<form\b[^>]*>`)
	formAttr = regexp.MustCompile(`\s(method|action)="([^"]*)"`)
	unitCode = regexp.MustCompile(`^QS(-\d\d(-\d\d\d)?)?$`)
)

// crawl walks the site as account a: every GET route without parameters,
// the routes with parameters filled with values inside and outside its
// scope, then the links its pages show, breadth first, up to crawlBound.
func (f *scopeFixture) crawl(a *scopeAccount) {
	queued := map[string]bool{}
	status := map[string]int{}
	followed := map[string]int{}
	probed := map[string]bool{}
	unfollowed := map[string]bool{}
	var shown [][3]string // page, link, route: links to pages asked for anyway
	defer func() {
		a.unchecked = len(unfollowed)
		for _, l := range shown {
			if s, done := status[l[1]]; done && s >= 400 {
				a.fail("link", l[2], "%s links %s, which answers %d", l[0], l[1], s)
			}
		}
	}()
	var queue []crawlJob
	push := func(j crawlJob) {
		if !queued[j.path] {
			queued[j.path] = true
			queue = append(queue, j)
		}
	}
	for _, rt := range f.routes {
		if strings.Contains(strings.ReplaceAll(rt.pattern, "{$}", ""), "{") {
			continue
		}
		path := strings.TrimPrefix(strings.ReplaceAll(rt.pattern, "{$}", ""), "GET ")
		push(crawlJob{path: path, want: f.wantFor(a, rt, true)})
	}
	// The audit log grows as the accounts walk: its oldest entries are asked for by what they are about.
	for _, path := range []string{"/audit?entity=case", "/audit?entity=tip", "/api/v1/audit?limit=500", "/api/v1/audit?entity=case",
		"/api/v1/audit?entity=aspirant&limit=500", "/api/v1/audit?entity=review_request&limit=500"} {
		push(crawlJob{path: path, want: f.wantFor(a, *f.route(path), true)})
	}
	probes := f.probes(a)
	for _, rt := range f.routes {
		if strings.Contains(strings.ReplaceAll(rt.pattern, "{$}", ""), "{") || !mayOpen(a, rt.perm) || publicRoutes[rt.pattern] {
			continue
		}
		path := strings.TrimPrefix(strings.ReplaceAll(rt.pattern, "{$}", ""), "GET ")
		for _, q := range probes {
			var words []string
			for _, v := range q {
				words = append(words, v...)
			}
			push(crawlJob{path: path + "?" + q.Encode(), probe: words})
		}
	}
	for _, rt := range f.routes {
		kind := paramKinds[rt.pattern]
		if kind == "" {
			continue
		}
		for _, v := range f.pick(a, kind) {
			push(crawlJob{path: fill(rt.pattern, v.v), want: f.wantFor(a, rt, f.sees(a, kind, v))})
			if !mayOpen(a, rt.perm) {
				break // 403 whatever the value
			}
		}
		if mayOpen(a, rt.perm) && a.malformed {
			// Values that name nothing are not found, never a 5xx.
			for _, junk := range []string{"0|0", "99999999999999999999|1", "x%27%22|x"} {
				push(crawlJob{path: fill(rt.pattern, junk), want: http.StatusNotFound})
			}
		}
	}
	for len(queue) > 0 {
		j := queue[0]
		queue = queue[1:]
		if j.want == wantOpens && a.requestsMade >= crawlBound {
			unfollowed[j.path] = true
			continue
		}
		st, ct, body, location := f.get(a, j.path)
		rt := f.route(j.path)
		if st >= 300 && st < 400 {
			// A redirect within the site stands for the page it leads to, which is followed.
			if !strings.HasPrefix(location, "/") || strings.HasPrefix(location, "//") {
				a.fail("redirect", j.path, "GET %s redirects to %q", j.path, location)
			} else if !queued[location] {
				queued[location] = true
				queue = append(queue, crawlJob{path: location, from: j.path, want: j.want})
			}
			status[j.path] = http.StatusOK
			continue
		}
		status[j.path] = st
		f.check(a, j, rt, st, ct, body)
		if st != http.StatusOK {
			continue
		}
		if strings.HasPrefix(ct, "text/html") {
			for _, link := range pageLinks(j.path, body) {
				lrt := f.route(link)
				switch {
				case lrt == nil:
					a.fail("link", "", "%s links %s, which no route serves", j.path, link)
				case !mayOpen(a, lrt.perm):
					a.fail("link", lrt.pattern, "%s links %s, which it may not open (%s)", j.path, link, lrt.perm)
				case queued[link]:
					shown = append(shown, [3]string{j.path, link, lrt.pattern}) // checked once it is answered
				case followed[lrt.pattern] >= perRoute:
					unfollowed[link] = true
				default:
					followed[lrt.pattern]++
					push(crawlJob{path: link, from: j.path, want: wantOpens})
				}
			}
		}
		// A filter naming a unit or a record of the scope is tried once with one outside it.
		if u, err := url.Parse(j.path); err == nil && rt != nil && u.RawQuery != "" {
			for name, vals := range u.Query() {
				key := rt.pattern + "?" + name
				if len(vals) != 1 || probed[key] {
					continue
				}
				other := ""
				if unitCode.MatchString(vals[0]) {
					other = f.outside(a, vals[0])
				} else if kind, ok := idParams[name]; ok {
					other = f.unseen(a, kind)
				}
				if other == "" {
					continue
				}
				probed[key] = true
				q := u.Query()
				q.Set(name, other)
				push(crawlJob{path: u.Path + "?" + q.Encode(), probe: []string{other}})
			}
		}
	}
}

// idParams are the query parameters that name a record, by its kind.
var idParams = map[string]string{"tip": "tip", "aspirant": "aspirant", "aspirant_id": "aspirant", "case": "case"}

// probes are the filters every route without parameters is tried with,
// each filled with a value outside the account's scope: units, records, a
// search for a unit's name.
func (f *scopeFixture) probes(a *scopeAccount) []url.Values {
	community, district := f.outside(a, "QS-01-001"), f.outside(a, "QS-01")
	var out []url.Values
	if community != "" {
		out = append(out, url.Values{"community": {community}, "district": {district}, "parent": {district}, "unit": {community},
			"org": {community}, "code": {community}, "org_code": {community}})
		for _, u := range f.zone.Units {
			if u.Code == community {
				out = append(out, url.Values{"q": {u.Name}})
			}
		}
	}
	ids := url.Values{}
	for name, kind := range idParams {
		if v := f.unseen(a, kind); v != "" {
			ids.Set(name, v)
		}
	}
	if len(ids) > 0 {
		out = append(out, ids)
	}
	if !a.malformed {
		return out
	}
	// Malformed filters: refused or ignored, never a 5xx.
	junk := url.Values{}
	for _, name := range []string{"page", "offset", "limit", "before", "day", "status", "class", "by", "kind", "all", "district",
		"community", "unit", "parent", "tip", "aspirant", "case", "q"} {
		junk.Set(name, "x'\"%")
	}
	out = append(out, junk, url.Values{"page": {"-1"}, "offset": {"99999999999999999999"}, "limit": {"0"}, "before": {"-5"},
		"day": {"2026-13-45"}, "tip": {"-1"}, "aspirant": {"0"}, "case": {"99999999999"}})
	return out
}

// unseen is a value of a kind that account a does not see, "" if none.
func (f *scopeFixture) unseen(a *scopeAccount, kind string) string {
	for _, v := range f.values[kind] {
		if !f.sees(a, kind, v) {
			return v.v
		}
	}
	return ""
}

// wantFor is the status a route must answer account a: 403 without its
// permission, else 200 for a value it sees and 404 for one it does not.
func (f *scopeFixture) wantFor(a *scopeAccount, rt scopeRoute, sees bool) int {
	switch {
	case !mayOpen(a, rt.perm):
		return http.StatusForbidden
	case sees:
		return http.StatusOK
	}
	return http.StatusNotFound
}

// mayOpen reports whether the role table lets a open a route that needs perm.
func mayOpen(a *scopeAccount, perm account.Permission) bool {
	return perm == "" || account.Can(a.role, perm)
}

// pick chooses the values of a kind account a tries: two it sees and up to
// three it does not, from different districts (and departments).
func (f *scopeFixture) pick(a *scopeAccount, kind string) []scopeValue {
	var in, out []scopeValue
	seen := map[string]bool{}
	for _, v := range f.values[kind] {
		if f.sees(a, kind, v) {
			if len(in) < 2 {
				in = append(in, v)
			}
			continue
		}
		key := f.district(v.unit) + "/" + v.dept
		if len(out) < 3 && !seen[key] {
			seen[key] = true
			out = append(out, v)
		}
	}
	return append(in, out...)
}

// outside is a unit of the same kind as code that account a does not see,
// "" when it sees them all.
func (f *scopeFixture) outside(a *scopeAccount, code string) string {
	depth := strings.Count(code, "-")
	for _, u := range f.zone.Units {
		if strings.Count(u.Code, "-") == depth && !f.within(u.Code, a.scope) && !f.within(a.scope, u.Code) {
			return u.Code
		}
	}
	return ""
}

// fill puts a value into a pattern's parameters; "|" separates the values
// of a pattern with two.
func fill(pattern, value string) string {
	path := strings.TrimPrefix(pattern, "GET ")
	vals := strings.Split(value, "|")
	segs := strings.Split(path, "/")
	for i, s := range segs {
		if strings.HasPrefix(s, "{") && len(vals) > 0 {
			segs[i], vals = vals[0], vals[1:]
		}
	}
	return strings.Join(segs, "/")
}

// route is the GET route that serves path, the most literal one when more
// match; nil when none does.
func (f *scopeFixture) route(path string) *scopeRoute {
	p, _, _ := strings.Cut(path, "?")
	segs := strings.Split(strings.Trim(p, "/"), "/")
	var best *scopeRoute
	for i := range f.routes {
		rt := &f.routes[i]
		if len(rt.segs) != len(segs) {
			continue
		}
		ok := true
		for k, s := range rt.segs {
			switch {
			case s == "{$}":
				ok = ok && segs[k] == ""
			case strings.HasPrefix(s, "{"):
				ok = ok && segs[k] != ""
			default:
				ok = ok && s == segs[k]
			}
		}
		if ok && (best == nil || rt.literal > best.literal) {
			best = rt
		}
	}
	return best
}

// get makes one request as a.
func (f *scopeFixture) get(a *scopeAccount, path string) (status int, contentType string, body []byte, location string) {
	a.requestsMade++
	res, err := a.c.Get(f.s.ts.URL + path)
	if err != nil {
		a.fail("error", path, "GET %s: %v", path, err)
		return 0, "", nil, ""
	}
	defer res.Body.Close()
	body, err = io.ReadAll(res.Body)
	if err != nil {
		a.fail("error", path, "GET %s: %v", path, err)
	}
	return res.StatusCode, res.Header.Get("Content-Type"), body, res.Header.Get("Location")
}

// publicRoutes show the same to anyone, signed in or not: the public tip
// form names every community of the zone on purpose, so that residents can
// report about theirs. Their answers are checked for 5xx and links only.
var publicRoutes = map[string]bool{"GET /tip": true, "GET /tip/status": true, "GET /login": true}

// check checks one answer: no 5xx, the status the job wants, and in what
// it shows no marker foreign to the account.
func (f *scopeFixture) check(a *scopeAccount, j crawlJob, rt *scopeRoute, st int, ct string, body []byte) {
	pattern := ""
	if rt != nil {
		pattern = rt.pattern
	}
	switch {
	case st >= 500:
		a.fail("5xx", pattern, "GET %s answers %d: %s", j.path, st, clip(string(body), 300))
		return
	case j.want == wantOpens && st >= 400:
		a.fail("link", pattern, "%s links %s, which answers %d", j.from, j.path, st)
	case j.want > 0 && st != j.want:
		a.fail("status", pattern, "GET %s answers %d, want %d", j.path, st, j.want)
	}
	f.checkWords(a, j, rt, st, ct, body)
	if publicRoutes[pattern] {
		return
	}
	// Every answer is read, refusals too: "not found" must not tell what was not found.
	text, err := bodyText(ct, body)
	if err != nil {
		a.fail("body", pattern, "GET %s: %v", j.path, err)
	}
	for _, w := range ownWords(j, rt) {
		if len(f.markers.find(w)) > 0 {
			text = strings.ReplaceAll(text, w, "") // the request's own words: the answer may repeat them
		}
	}
	for _, m := range f.markers.find(text) {
		if what, ok := a.foreign[m]; ok {
			a.fail("leak "+markerKind(what), pattern, "GET %s shows %s %q: …%s…", j.path, what, m, around(text, m))
			continue
		}
		f.mu.Lock()
		if f.witnessed[m] == "" {
			f.witnessed[m] = pattern
		}
		f.mu.Unlock()
	}
	if a.role == account.Reviewer && st == http.StatusOK {
		f.checkRequests(a, j.path, pattern, ct, body, text)
	}
}

// checkWords checks what a page shows, refusals too, and what a JSON
// error says: Chinese only (visible_text_test.go), but for the values the
// request named itself, and no label said twice.
func (f *scopeFixture) checkWords(a *scopeAccount, j crawlJob, rt *scopeRoute, st int, ct string, body []byte) {
	pattern := ""
	if rt != nil {
		pattern = rt.pattern
	}
	text := shownText(st, ct, body)
	if d := doubledLabel(text); d != "" {
		a.fail("label", pattern, "GET %s says a label twice: %q", j.path, d)
	}
	own := map[string]bool{}
	for _, w := range ownWords(j, rt) {
		for _, l := range latinWords(w) {
			own[l] = true
		}
	}
	for _, w := range latinIn(text, func(w string) bool { return own[w] || f.usernames[w] }) {
		a.fail("latin "+w, pattern, "GET %s answers %d showing Latin letters %q: …%s…", j.path, st, w, around(text, w))
	}
}

// ownWords are the values a request names: its probes, its path's
// parameters and its query's values.
func ownWords(j crawlJob, rt *scopeRoute) []string {
	words := append([]string(nil), j.probe...)
	u, err := url.Parse(j.path)
	if err != nil {
		return words
	}
	if rt != nil {
		segs := strings.Split(strings.Trim(u.Path, "/"), "/")
		for i, seg := range rt.segs {
			if strings.HasPrefix(seg, "{") && i < len(segs) && segs[i] != "" {
				words = append(words, segs[i])
			}
		}
	}
	for _, vals := range u.Query() {
		words = append(words, vals...)
	}
	return words
}

var requestLink = regexp.MustCompile(`/review/requests/(\d+)`)

// checkRequests checks that a department's answer names only requests it
// may see: in links, in JSON and in its Excel queue.
func (f *scopeFixture) checkRequests(a *scopeAccount, path, pattern, ct string, body []byte, text string) {
	var ids []int64
	switch {
	case strings.HasPrefix(ct, "text/html"):
		for _, m := range requestLink.FindAllStringSubmatch(string(body), -1) {
			var id int64
			fmt.Sscan(m[1], &id)
			ids = append(ids, id)
		}
	case strings.HasPrefix(ct, "application/json"):
		ids = jsonRequestIDs(body)
	case strings.HasSuffix(pattern, ".xlsx"):
		x, err := excelize.OpenReader(bytes.NewReader(body))
		if err != nil {
			a.fail("body", pattern, "GET %s: %v", path, err)
			return
		}
		defer x.Close()
		rows, _ := x.GetRows(x.GetSheetList()[0])
		for _, r := range rows[1:] {
			var id int64
			if len(r) > 0 {
				fmt.Sscan(r[0], &id)
			}
			ids = append(ids, id)
		}
	}
	for _, id := range ids {
		if a.requests[id] {
			a.requestsShown++
		} else {
			a.fail("leak request", pattern, "GET %s shows request %d, not one of its department and scope", path, id)
		}
	}
}

// pageLinks are the same-site links of a page: href and src attributes,
// and the actions of forms that GET.
func pageLinks(page string, body []byte) []string {
	base, _ := url.Parse(page)
	raw := linkValues(body)
	for _, tag := range formTag.FindAll(body, -1) {
		method, action := "get", ""
		for _, m := range formAttr.FindAllSubmatch(tag, -1) {
			if string(m[1]) == "method" {
				method = strings.ToLower(string(m[2]))
			} else {
				action = string(m[2])
			}
		}
		if method == "get" && action != "" {
			raw = append(raw, action)
		}
	}
	var out []string
	for _, r := range raw {
		r = html.UnescapeString(r)
		if r == "" || strings.HasPrefix(r, "#") || strings.HasPrefix(r, "/static/") {
			continue
		}
		u, err := url.Parse(r)
		if err != nil || u.Scheme != "" || u.Host != "" {
			continue // another site, mailto: and the like
		}
		u = base.ResolveReference(u)
		link := u.EscapedPath()
		if u.RawQuery != "" {
			link += "?" + u.RawQuery
		}
		out = append(out, link)
	}
	return out
}

// linkValues are the values of the href and src attributes in page: what
// linkAttr matches, found without the regular expression, which took a
// quarter of the crawl's own CPU. An attribute's value holds no quote (the
// templates escape it), so each match ends at the next quote.
func linkValues(page []byte) []string {
	var out []string
	for i := 0; i < len(page); {
		j := bytes.IndexByte(page[i:], '=')
		if j < 0 {
			break
		}
		at := i + j
		i = at + 1
		if i >= len(page) || page[i] != '"' {
			continue
		}
		var name int
		switch {
		case at >= 5 && string(page[at-4:at]) == "href":
			name = at - 4
		case at >= 4 && string(page[at-3:at]) == "src":
			name = at - 3
		default:
			continue
		}
		if !isSpace(page[name-1]) {
			continue
		}
		end := bytes.IndexByte(page[i+1:], '"')
		if end < 0 {
			break
		}
		out = append(out, string(page[i+1:i+1+end]))
		i += 1 + end + 1
	}
	return out
}

// isSpace is \s of a regular expression: what may stand before an attribute.
func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r' }

// bodyText is the text an answer shows: the cells of a workbook, the names
// and contents of a zip's entries, else the body itself.
func bodyText(ct string, body []byte) (string, error) {
	if !bytes.HasPrefix(body, []byte("PK\x03\x04")) {
		return string(body), nil
	}
	zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
	if err != nil {
		return "", err
	}
	for _, e := range zr.File {
		if e.Name == "xl/workbook.xml" {
			return workbookText(body)
		}
	}
	var b strings.Builder
	for _, e := range zr.File {
		b.WriteString(e.Name + "\n")
		rc, err := e.Open()
		if err != nil {
			return "", err
		}
		data, err := io.ReadAll(io.LimitReader(rc, 1<<20))
		rc.Close()
		if err != nil {
			return "", err
		}
		if strings.HasSuffix(e.Name, ".xlsx") {
			s, err := workbookText(data)
			if err != nil {
				return "", fmt.Errorf("%s: %w", e.Name, err)
			}
			b.WriteString(s)
		} else if utf8.Valid(data) {
			b.Write(data)
		}
		b.WriteString("\n")
	}
	return b.String(), nil
}

// workbooksRead holds the text of each workbook read, by its SHA-256: the
// crawl is answered the same workbook many times (1,343 reads of 348
// workbooks on SQLite), and reading one is most of a check's CPU.
var workbooksRead sync.Map

func workbookText(data []byte) (string, error) {
	sum := sha256.Sum256(data)
	if text, ok := workbooksRead.Load(sum); ok {
		return text.(string), nil
	}
	text, err := readWorkbook(data)
	if err == nil {
		workbooksRead.Store(sum, text)
	}
	return text, err
}

func readWorkbook(data []byte) (string, error) {
	x, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		return "", err
	}
	defer x.Close()
	var b strings.Builder
	for _, sheet := range x.GetSheetList() {
		b.WriteString(sheet + "\n")
		rows, err := x.GetRows(sheet)
		if err != nil {
			return "", err
		}
		for _, r := range rows {
			b.WriteString(strings.Join(r, "\t") + "\n")
		}
	}
	return b.String(), nil
}

// fail records a problem: one line per kind, route and what, with the
// first example and a count.
func (a *scopeAccount) fail(kind, pattern, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	key := kind + "|" + pattern
	if p, ok := a.problems[key]; ok {
		p.count++
		return
	}
	a.problems[key] = &problem{first: msg, count: 1}
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// around is some text either side of m's first occurrence in text.
func around(text, m string) string {
	i := strings.Index(text, m)
	from, to := max(i-60, 0), min(i+len(m)+60, len(text))
	for from > 0 && !utf8.RuneStart(text[from]) {
		from--
	}
	for to < len(text) && !utf8.RuneStart(text[to]) {
		to++
	}
	return strings.Join(strings.Fields(text[from:to]), " ")
}

// markerIndex finds which of many texts occur in a body, in one pass.
type markerIndex struct {
	first [256]bool
	byKey map[string][]string // by their first two runes
}

func newMarkerIndex(markers []string) *markerIndex {
	m := &markerIndex{byKey: map[string][]string{}}
	seen := map[string]bool{}
	for _, s := range markers {
		if seen[s] || utf8.RuneCountInString(s) < 2 {
			continue
		}
		seen[s] = true
		k := firstTwo(s)
		m.byKey[k] = append(m.byKey[k], s)
		m.first[s[0]] = true
	}
	return m
}

func firstTwo(s string) string {
	_, a := utf8.DecodeRuneInString(s)
	_, b := utf8.DecodeRuneInString(s[a:])
	return s[:a+b]
}

// find returns the markers text contains, each once.
func (m *markerIndex) find(text string) []string {
	var out []string
	var found map[string]bool
	for i := 0; i < len(text); i++ {
		if !m.first[text[i]] {
			continue
		}
		for _, s := range m.byKey[firstTwo(text[i:])] {
			if strings.HasPrefix(text[i:], s) && !found[s] {
				if found == nil {
					found = map[string]bool{}
				}
				found[s] = true
				out = append(out, s)
			}
		}
	}
	return out
}

// doubledLabel finds a label repeated as its own value ("主方案:主方案"),
// "" when there is none: the Chinese run before a colon equal to the one
// after it.
func doubledLabel(text string) string {
	han := func(r rune) bool { return unicode.Is(unicode.Han, r) }
	rs := []rune(text)
	for i, r := range rs {
		if r != '：' && r != ':' {
			continue
		}
		b := i
		for b > 0 && han(rs[b-1]) {
			b--
		}
		e := i + 1
		for e < len(rs) && han(rs[e]) {
			e++
		}
		if before, after := rs[b:i], rs[i+1:e]; len(before) >= 2 && string(before) == string(after) {
			return string(rs[b:e])
		}
	}
	return ""
}

func TestDoubledLabel(t *testing.T) {
	t.Parallel()
	for text, want := range map[string]string{
		"方案 主方案：主方案 措施": "主方案：主方案",
		"主方案:换届选举工作方案":  "",
		"状态：已完成":        "",
		"时间 10:10":      "",
	} {
		if got := doubledLabel(text); got != want {
			t.Errorf("doubledLabel(%q) = %q, want %q", text, got, want)
		}
	}
}

// TestLinkValues: linkValues finds what linkAttr matches, in a page of
// the site and in the shapes an attribute could take.
func TestLinkValues(t *testing.T) {
	t.Parallel()
	page, err := os.ReadFile("templates/layout.html")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{
		string(page),
		`<a href="/x">一</a><img src="/s.png" alt="">`,
		"<a\nhref=\"/y\" title=\"x\"\tsrc=\"/z\">",
		`<a data-href="/no" xsrc="/no" srcset="/no" href='/no'>`,
		`<a href="">空</a> <a href="/q?a=1&amp;b=2#f">`,
		`<a title="=" href="/after-equals">`,
		`href="/at-start" <a href="/unterminated`,
		`<a href=/unquoted> = "x" src="/last"`,
	} {
		var want []string
		for _, m := range linkAttr.FindAllStringSubmatch(p, -1) {
			want = append(want, m[1])
		}
		if got := linkValues([]byte(p)); !slices.Equal(got, want) {
			t.Errorf("linkValues(%.80q) = %q, want %q", p, got, want)
		}
	}
}
