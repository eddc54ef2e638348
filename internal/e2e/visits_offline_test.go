package e2e

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// offlineCommunity is a demo community no other browser test records
// visits in.
const offlineCommunity = "QS-03-002"

// cutProxy stands between the browser and the site. Cut, it closes every
// connection unanswered: Chromium's offline emulation of a tab cuts the
// tab's own requests, but in a tab opened after another was closed it did
// not cut the fetches of the service worker already running (seen with
// Chromium 156 headless), so the wire is cut as well, and the test knows
// that a page shown then came from the worker's cache.
type cutProxy struct {
	cut   atomic.Bool
	hits  atomic.Int64 // requests that came while cut (refused)
	mu    sync.Mutex
	paths []string
	base  string
}

func newCutProxy(t *testing.T, target string) *cutProxy {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	p := &cutProxy{}
	rp := httputil.NewSingleHostReverseProxy(u)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p.cut.Load() {
			p.hits.Add(1)
			p.mu.Lock()
			p.paths = append(p.paths, r.Method+" "+r.URL.Path)
			p.mu.Unlock()
			if hj, ok := w.(http.Hijacker); ok {
				if c, _, err := hj.Hijack(); err == nil {
					c.Close()
					return
				}
			}
			http.Error(w, "", http.StatusBadGateway)
			return
		}
		rp.ServeHTTP(w, r)
	})}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	p.base = "http://" + ln.Addr().String()
	return p
}

// offline cuts (or restores) the network with Chromium's offline
// emulation: every request of the tab and of its service worker, and
// navigator.onLine with its online event.
func (p *cutProxy) offline(tb *tab, off bool) {
	tb.t.Helper()
	if !off {
		// The proxy first: the online event that lifting the emulation fires
		// sends the waiting entries at once, and one that reached the proxy
		// still cut was refused, the entries left waiting for the next page
		// (the test failed so under CI's load, "not within 10 s").
		p.cut.Store(false)
	}
	rules := network.EmulateNetworkConditionsByRuleParams{EmulateOfflineServiceWorker: &off, MatchedNetworkConditions: []*network.Conditions{}}
	if off {
		rules.MatchedNetworkConditions = []*network.Conditions{{Offline: true, DownloadThroughput: -1, UploadThroughput: -1}}
	}
	if _, err := chromedp.Call(tb.ctx, network.Enable, network.EnableParams{}); err != nil {
		tb.t.Fatal(err)
	}
	if _, err := chromedp.Call(tb.ctx, network.EmulateNetworkConditionsByRule, rules); err != nil {
		tb.t.Fatalf("emulate offline %v: %v", off, err)
	}
	if _, err := chromedp.Call(tb.ctx, network.OverrideNetworkState, network.OverrideNetworkStateParams{Offline: off, DownloadThroughput: -1, UploadThroughput: -1}); err != nil {
		tb.t.Fatalf("navigator offline %v: %v", off, err)
	}
	if off {
		p.cut.Store(true)
	}
}

// TestVisitsOffline is issue 16's browser test of offline entry: two visits
// recorded with the network cut, the page closed and opened again without a
// network (from the service worker), the network restored, both synced
// once, coverage moved, and a refused entry shown with its reason.
func TestVisitsOffline(t *testing.T) {
	s := browserSite(t)
	admin := s.account(t, "admin")
	api := gatesLogin(t, s.base, admin.Username, admin.Password)
	px := newCutProxy(t, s.base)
	tb := newTab(t, px.base)
	tb.do("phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateTouch))

	var ids []int64
	run := time.Now().UnixNano() % 1_000_000 // addresses of this run: the site is shared
	for i := range 3 {
		var h struct {
			ID int64 `json:"id"`
		}
		api.call("POST", "/api/v1/communities/"+offlineCommunity+"/households",
			map[string]any{"address": fmt.Sprintf("离线测试楼%d号%d室", i+1, run), "head": fmt.Sprintf("户主%d", i+1), "size": 2}, http.StatusCreated, &h)
		ids = append(ids, h.ID)
	}
	type coverage struct {
		Rows []struct {
			Community string `json:"community"`
			Reached   int    `json:"reached"`
		} `json:"communities"`
	}
	reached := func() int {
		var c coverage
		api.call("GET", "/api/v1/coverage?round=before&limit=500", nil, http.StatusOK, &c)
		for _, r := range c.Rows {
			if r.Community == offlineCommunity {
				return r.Reached
			}
		}
		t.Fatalf("coverage lacks %s", offlineCommunity)
		return 0
	}
	type visits struct {
		Total  int `json:"total"`
		Visits []struct {
			ClientID string `json:"client_id"`
		} `json:"visits"`
	}
	stored := func() visits {
		var v visits
		api.call("GET", "/api/v1/communities/"+offlineCommunity+"/visits?round=before&limit=500", nil, http.StatusOK, &v)
		return v
	}
	before, visitsBefore := reached(), stored().Total

	// Online: sign in, open the visits page and the queue's page once, so
	// that the service worker holds them.
	tb.open("/login")
	tb.login(admin.Username, admin.Password, tap)
	visitsPage := "/communities/" + offlineCommunity + "/visits?round=before"
	tb.open(visitsPage)
	waitFor(t, tb, `navigator.serviceWorker.controller !== null`, "the service worker controls the page")
	tb.open(visitsPage) // fetched through the worker, which keeps it
	tb.open("/visits/outbox")
	tb.open(visitsPage)
	waitFor(t, tb, `caches.open('huanjie-visits-v1').then(c => c.keys()).then(k => k.length >= 4)`, "the worker keeps the pages")
	if p := tb.accessProblems(); len(p) > 0 {
		t.Errorf("the visits page at 390 px: %v", p)
	}

	// Offline: two visits, and a third the server will refuse (a day after today).
	px.offline(tb, true)
	record := func(target int64, day string) {
		t.Helper()
		eval[bool](tb, fmt.Sprintf(`(() => {
			document.querySelector('[data-testid=outbox-status]').textContent = '';
			const f = document.querySelector('form[data-offline]');
			f.elements.target.value = 'h:%d';
			f.elements.visitors.value = '走访员甲、走访员乙';
			if (%q) f.elements.visited_on.value = %q;
			return true; })()`, target, day, day))
		tb.do("save the visit", chromedp.Click(chromedp.CSS(`form[data-offline] button[type=submit]`)))
		waitFor(t, tb, `document.querySelector('[data-testid=outbox-status]').textContent.includes('已保存在本机')`, "saved on the phone")
	}
	record(ids[0], "")
	record(ids[1], "")
	record(ids[2], "2099-01-01")
	if got := tb.text(`[data-testid=outbox-status]`); !strings.Contains(got, "3 条走访记录等待上传") {
		t.Errorf("status after three offline entries: %q", got)
	}
	if n := px.hits.Load(); n != 0 {
		t.Errorf("Chromium's offline emulation let %d requests out of the tab: %q", n, px.paths)
	}

	// Close the page and open it again, still without a network.
	tab2, cancel := chromedp.NewContext(tb.page) // a new tab of the same browser context (its storage)
	t.Cleanup(cancel)
	if err := chromedp.Do(tab2); err != nil {
		t.Fatalf("open a tab: %v", err)
	}
	if _, err := chromedp.Call(tb.ctx, page.Close, cdp.Empty{}); err != nil {
		t.Fatalf("close the page: %v", err)
	}
	ctx2, cancel2 := context.WithTimeout(tab2, testLimit)
	t.Cleanup(cancel2)
	tb = &tab{t: t, ctx: ctx2, page: tab2, base: px.base}
	tb.do("phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateTouch))
	px.offline(tb, true)
	tb.open(visitsPage)
	t.Cleanup(func() {
		if t.Failed() {
			tb.report()
		}
	})
	waitFor(t, tb, `(document.querySelector('[data-testid=outbox-status]') || {textContent: ''}).textContent.includes('3 条走访记录等待上传')`,
		"the reopened page (from the worker) shows the three entries waiting")
	if n := stored().Total - visitsBefore; n != 0 {
		t.Fatalf("with the network cut: %d visits stored", n)
	}

	// The network returns: the page sends what waits.
	px.offline(tb, false)
	waitFor(t, tb, `document.querySelector('[data-testid=outbox-status]').textContent.includes('有 1 条被退回')`, "synced after the network returned")
	v := stored()
	if v.Total != visitsBefore+2 {
		t.Errorf("visits stored: %d, want %d (two, once each)", v.Total, visitsBefore+2)
	}
	seen := map[string]int{}
	for _, x := range v.Visits {
		seen[x.ClientID]++
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("client id %s stored %d times", id, n)
		}
	}
	if got := reached(); got != before+2 {
		t.Errorf("coverage reached: %d, want %d", got, before+2)
	}
	// Another load syncs again: nothing more is stored.
	tb.open(visitsPage)
	waitFor(t, tb, `document.querySelector('[data-testid=outbox-status]').textContent.includes('有 1 条被退回')`, "the page again")
	if got := stored().Total; got != visitsBefore+2 {
		t.Errorf("after another load: %d visits, want %d", got, visitsBefore+2)
	}

	// The refused entry waits on the queue's page with its reason.
	tb.open("/visits/outbox")
	waitFor(t, tb, `document.querySelectorAll('[data-testid=outbox] li').length === 1`, "the queue lists the refused entry")
	if got := tb.text(`[data-testid=outbox] li [data-testid=outbox-state]`); !strings.Contains(got, "被退回") || !strings.Contains(got, "走访日期不能晚于今天") {
		t.Errorf("the refused entry reads %q", got)
	}
	if p := tb.accessProblems(); len(p) > 0 {
		t.Errorf("the queue's page at 390 px: %v", p)
	}
	// Fixed: the form comes back filled, the day corrected, saved online,
	// it is stored and leaves the queue.
	tb.do("fix", chromedp.Click(chromedp.CSS(`[data-testid=outbox] li a`)))
	waitFor(t, tb, fmt.Sprintf(`(() => { const f = document.querySelector('form[data-offline]');
		return !!f && f.elements.visited_on.value === '2099-01-01' && f.elements.target.value === 'h:%d'; })()`, ids[2]), "the refused entry back in the form")
	eval[bool](tb, `(() => { const f = document.querySelector('form[data-offline]'); f.elements.visited_on.value = f.elements.visited_on.defaultValue; return true; })()`)
	tb.do("save the fixed visit", chromedp.Click(chromedp.CSS(`form[data-offline] button[type=submit]`)))
	waitFor(t, tb, `/^\/visits\/\d+$/.test(location.pathname)`, "the fixed visit stored and its page opened")
	if got := stored().Total; got != visitsBefore+3 {
		t.Errorf("after the fix: %d visits, want %d", got, visitsBefore+3)
	}
	if got := reached(); got != before+3 {
		t.Errorf("after the fix: coverage reached %d, want %d", got, before+3)
	}
	tb.open("/visits/outbox")
	waitFor(t, tb, `document.querySelector('[data-testid=outbox-empty]').hidden === false && document.querySelectorAll('[data-testid=outbox] li').length === 0`, "the queue empty after the fix")

	// Refused online (a household typed by its address, a day after today),
	// an entry is shown on the form and kept; discarded, it is gone.
	tb.open(visitsPage)
	eval[bool](tb, fmt.Sprintf(`(() => { const f = document.querySelector('form[data-offline]');
		f.elements.address.value = %q; f.elements.visitors.value = '走访员丙'; f.elements.visited_on.value = '2099-02-01'; return true; })()`,
		fmt.Sprintf("离线测试楼1号%d室", run)))
	tb.do("save a visit dated after today", chromedp.Click(chromedp.CSS(`form[data-offline] button[type=submit]`)))
	waitFor(t, tb, `document.querySelector('[data-testid=outbox-status]').textContent.includes('被退回:走访日期不能晚于今天')`, "the refusal shown on the form")
	tb.open("/visits/outbox")
	waitFor(t, tb, `document.querySelectorAll('[data-testid=outbox] li').length === 1`, "the queue keeps the refused entry")
	eval[bool](tb, `window.confirm = () => true; true`)
	tb.do("discard", chromedp.Click(chromedp.CSS(`[data-testid=outbox] li button`)))
	waitFor(t, tb, `document.querySelectorAll('[data-testid=outbox] li').length === 0`, "the discarded entry leaves the queue")
	if got := stored().Total; got != visitsBefore+3 {
		t.Errorf("after the discard: %d visits, want %d", got, visitsBefore+3)
	}
}

// waitFor polls a JavaScript condition (a boolean or a promise of one)
// until it holds, failing after ten seconds.
func waitFor(t *testing.T, tb *tab, cond, what string) {
	t.Helper()
	end := time.Now().Add(10 * time.Second)
	for {
		ok, err := chromedp.Run(tb.ctx, chromedp.Evaluate[bool](`Promise.resolve(`+cond+`).then(Boolean, () => false)`, chromedp.EvalAwaitPromise))
		if err == nil && ok {
			return
		}
		if time.Now().After(end) {
			t.Fatalf("%s: not within 10 s (%v)", what, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
