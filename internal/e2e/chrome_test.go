package e2e

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// chromiumPath is Debian's chromium package.
const chromiumPath = "/usr/bin/chromium"

// Limits that make a hang fail the test instead of stalling CI.
const (
	browserLimit = 240 * time.Second // starting the browser; the whole life of one tab (a walk of one account's pages at two widths)
	testLimit    = 90 * time.Second  // the actions of one test (a hang guard: a loaded CI machine took over 30 s)
)

// tab is one page in a fresh browser context of the package's browser: its
// own cookies, storage and cache.
type tab struct {
	t    *testing.T
	ctx  context.Context // the actions of the test; ends after testLimit
	page context.Context // the tab itself, for the report on failure
	base string
}

// start skips t without chromium (fails it instead where CI sets
// HUANJIE_REQUIRE_BROWSER); otherwise it returns the shared demo site and a
// fresh tab of t's own.
func start(t *testing.T) (*demoSite, *tab) {
	t.Helper()
	s := browserSite(t)
	return s, newTab(t, s.base)
}

// browserSite is start without the tab, for tests that open their own.
func browserSite(t *testing.T) *demoSite {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("HUANJIE_REQUIRE_BROWSER") != "" {
			t.Fatal("chromium not installed but HUANJIE_REQUIRE_BROWSER is set: apt-get install -y chromium")
		}
		t.Skip("chromium not installed: apt-get install -y chromium")
	}
	// Without a Chinese font Chromium draws Chinese a third as wide, and the
	// width checks (phone, A4) pass pages that overflow on a real phone.
	if out, err := exec.Command("fc-list", ":lang=zh").Output(); err != nil || len(bytes.TrimSpace(out)) == 0 {
		if os.Getenv("HUANJIE_REQUIRE_BROWSER") != "" {
			t.Fatal("no Chinese font but HUANJIE_REQUIRE_BROWSER is set: apt-get install -y fonts-wqy-microhei")
		}
		t.Log("no Chinese font (apt-get install -y fonts-wqy-microhei): the width checks measure Chinese too narrow")
	}
	return site(t)
}

// browser is one headless Chromium for the whole package, started on first
// use and stopped by TestMain: starting one takes a second or more, a new
// browser context a fraction of one, and a browser context shares no
// cookies, storage or cache with another.
var browser struct {
	once sync.Once
	ctx  context.Context // the browser's first tab
	out  syncBuffer      // its output, for the report when it fails to start
	dir  string          // its profile
	stop context.CancelFunc
	err  error
}

// startBrowser starts the package's browser.
func startBrowser() error {
	dir, err := os.MkdirTemp("", "huanjie-chromium-")
	if err != nil {
		return err
	}
	browser.dir = dir
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath),
		chromedp.Headless,
		chromedp.NoSandbox, // the tests may run as root
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(dir),
		chromedp.WindowSize(1280, 900),
		chromedp.CombinedOutput(&browser.out),
	)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(alloc)
	browser.ctx = ctx
	browser.stop = func() { cancelCtx(); cancelAlloc() } // the second waits for the process to end
	started := make(chan error, 1)
	go func() { started <- chromedp.Do(ctx) }() // the first run starts it; a deadline on it would end it
	select {
	case err = <-started:
	case <-time.After(browserLimit):
		err = fmt.Errorf("not started within %s", browserLimit)
	}
	if err != nil {
		return fmt.Errorf("start chromium: %w\nbrowser output:\n%s", err, browser.out.String())
	}
	return nil
}

// stopBrowser stops the package's browser, if it was started.
func stopBrowser() {
	if browser.stop != nil {
		browser.stop()
	}
	if browser.dir != "" {
		os.RemoveAll(browser.dir)
	}
}

// newTab opens a tab for t in a fresh browser context of the package's
// browser. On failure the tab's address and HTML are logged.
func newTab(t *testing.T, base string) *tab {
	t.Helper()
	browser.once.Do(func() { browser.err = startBrowser() })
	if browser.err != nil {
		t.Fatal(browser.err)
	}
	limit, cancelLimit := context.WithTimeout(browser.ctx, browserLimit)
	page, cancelPage := chromedp.NewContext(limit, chromedp.WithNewBrowserContext())
	// Cleanups run last first: the report, then the tab and its context.
	t.Cleanup(cancelLimit)
	t.Cleanup(cancelPage)
	if err := chromedp.Do(page); err != nil { // opens the tab
		t.Fatalf("open a tab: %v", err)
	}
	ctx, cancel := context.WithTimeout(page, testLimit)
	t.Cleanup(cancel)
	tb := &tab{t: t, ctx: ctx, page: page, base: base}
	t.Cleanup(func() {
		if t.Failed() {
			tb.report()
		}
	})
	return tb
}

// fresh gives the tab's next actions testLimit again, for a test that walks
// many pages in one tab (which still ends after browserLimit).
func (tb *tab) fresh() {
	ctx, cancel := context.WithTimeout(tb.page, testLimit)
	tb.t.Cleanup(cancel)
	tb.ctx = ctx
}

// report logs where the tab is and the start of its HTML.
func (tb *tab) report() {
	ctx, cancel := context.WithTimeout(tb.page, 5*time.Second)
	defer cancel()
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		tb.t.Logf("page: cannot read the location: %v", err)
		return
	}
	html, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.outerHTML`))
	if err != nil {
		tb.t.Logf("page %s: cannot read the HTML: %v", loc, err)
		return
	}
	if r := []rune(html); len(r) > 2000 {
		html = string(r[:2000]) + "…"
	}
	tb.t.Logf("page %s:\n%s", loc, html)
}

// open loads path and returns the response of its document (after redirects).
func (tb *tab) open(path string) *network.Response {
	tb.t.Helper()
	resp, err := chromedp.Run(tb.ctx, chromedp.NavigateResponse(tb.base+path))
	if err != nil {
		tb.t.Fatalf("open %s: %v", path, err)
	}
	return resp
}

// do runs actions that return nothing.
func (tb *tab) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	if err := chromedp.Do(tb.ctx, actions...); err != nil {
		tb.t.Fatalf("%s: %v", what, err)
	}
}

// follow runs actions that cause a navigation, such as a click on a submit
// button or a link, and returns the response of the new document.
func (tb *tab) follow(what string, actions ...chromedp.Action[chromedp.Void]) *network.Response {
	tb.t.Helper()
	resp, err := chromedp.RunResponse(tb.ctx, actions...)
	if err != nil {
		tb.t.Fatalf("%s: %v", what, err)
	}
	return resp
}

// text is the visible text of the first element matching css, trimmed.
func (tb *tab) text(css string) string {
	tb.t.Helper()
	s, err := chromedp.Run(tb.ctx, chromedp.Text(chromedp.CSS(css)))
	if err != nil {
		tb.t.Fatalf("text of %s: %v", css, err)
	}
	return strings.TrimSpace(s)
}

// eval evaluates a JavaScript expression in the page.
func eval[T any](tb *tab, expr string) T {
	tb.t.Helper()
	v, err := chromedp.Run(tb.ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		tb.t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// path is the path of the page the tab shows now.
func (tb *tab) path() string {
	tb.t.Helper()
	loc, err := chromedp.Run(tb.ctx, chromedp.Location())
	if err != nil {
		tb.t.Fatalf("location: %v", err)
	}
	u, err := url.Parse(loc)
	if err != nil {
		tb.t.Fatalf("location %q: %v", loc, err)
	}
	return u.Path
}

// login fills the login form the tab shows and submits it with submit (a
// click, or a tap on a phone), returning the response of the next page.
func (tb *tab) login(username, password string, submit func(chromedp.CSS) chromedp.Action[chromedp.Void]) *network.Response {
	tb.t.Helper()
	tb.do("fill the login form",
		chromedp.WaitVisible(chromedp.CSS(`form[action="/login"] input[name=username]`)),
		chromedp.SendKeys(chromedp.CSS(`form[action="/login"] input[name=username]`), username),
		chromedp.SendKeys(chromedp.CSS(`form[action="/login"] input[name=password]`), password),
	)
	return tb.follow("submit the login form", submit(chromedp.CSS(`form[action="/login"] button[type=submit]`)))
}

func click(sel chromedp.CSS) chromedp.Action[chromedp.Void] { return chromedp.Click(sel) }
func tap(sel chromedp.CSS) chromedp.Action[chromedp.Void]   { return chromedp.Tap(sel) }

// syncBuffer collects the browser's output, written from another goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}
