package e2e

import (
	"encoding/json"
	"os"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"
)

// EnvAxe names the file of axe-core's script (axe.min.js), which CI installs
// from npm (.ci/run); the accessibility checks fail without it where
// HUANJIE_REQUIRE_BROWSER is set and are skipped otherwise.
const EnvAxe = "HUANJIE_AXE"

var axeOnce = sync.OnceValues(func() (string, error) {
	raw, err := os.ReadFile(os.Getenv(EnvAxe))
	return string(raw), err
})

// axeScript is axe-core's source, "" when it is not installed here.
func axeScript(t *testing.T) string {
	t.Helper()
	src, err := axeOnce()
	if err != nil || len(src) < 100_000 {
		if os.Getenv("HUANJIE_REQUIRE_BROWSER") != "" {
			t.Fatalf("axe-core not found at %s=%q (npm install axe-core; .ci/run): %v", EnvAxe, os.Getenv(EnvAxe), err)
		}
		return ""
	}
	return src
}

// The page's problems for users with poor sight, motor or hearing: axe-core's
// critical and serious violations of the WCAG 2.1 A and AA rules, text under
// 16 px (14 px for the secondary text of small and figure captions), and on
// a phone controls under 44 px to tap (links inside running text aside, as
// WCAG's target rule allows).
const accessProblems = `(async () => {
  const out = [];
  const r = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}, resultTypes: ['violations']});
  for (const v of r.violations) {
    if (v.impact === 'critical' || v.impact === 'serious') {
      out.push('axe ' + v.id + ' (' + v.impact + '): ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '));
    }
  }
  const seen = el => { const s = getComputedStyle(el); const b = el.getBoundingClientRect(); return s.visibility !== 'hidden' && s.display !== 'none' && b.width > 0 && b.height > 0; };
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const small = new Set();
  for (let n; (n = walk.nextNode());) {
    const el = n.parentElement;
    if (!n.textContent.trim() || el.closest('svg, script, style, .printonly') || !seen(el)) continue;
    const px = parseFloat(getComputedStyle(el).fontSize);
    const floor = el.closest('small, figcaption, .hint') ? 14 : 16;
    if (px < floor - 0.01) small.add(el.tagName.toLowerCase() + (el.className ? '.' + el.className : '') + ' ' + px + 'px "' + n.textContent.trim().slice(0, 16) + '"');
  }
  if (small.size) out.push('text under 16 px: ' + Array.from(small).slice(0, 60).join('; ') + (small.size > 4 ? ' … (' + small.size + ')' : ''));
  if (window.innerWidth <= 500) {
    const tiny = [];
    for (const el of document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary')) {
      if (!seen(el) || el.closest('svg')) continue;
      const b = el.getBoundingClientRect();
      const inText = el.tagName === 'A' && el.parentElement && el.parentElement.textContent.trim().length > el.textContent.trim().length + 1 && getComputedStyle(el).display === 'inline';
      const box = el.type === 'checkbox' || el.type === 'radio' ? el.closest('label') ?? el : el;
      const bb = box.getBoundingClientRect();
      if (!inText && (bb.height < 44 - 0.5 || bb.width < 44 - 0.5)) tiny.push(el.tagName.toLowerCase() + ' "' + (el.textContent || el.name || '').trim().slice(0, 12) + '" ' + Math.round(bb.width) + '×' + Math.round(bb.height));
    }
    if (tiny.length) out.push('targets under 44 px: ' + tiny.slice(0, 60).join('; ') + (tiny.length > 4 ? ' … (' + tiny.length + ')' : ''));
  }
  return JSON.stringify(out);
})()`

// accessProblems lists the open page's problems (accessProblems), injecting
// axe-core first; nil when axe is not installed here.
func (tb *tab) accessProblems() []string { return tb.accessChecks(true) }

// accessChecks is accessProblems with axe-core's rules only when withAxe:
// its rules (names, contrast, ARIA) do not change with the window's width,
// so a walk at two widths runs them at one and the size checks at both.
func (tb *tab) accessChecks(withAxe bool) []string {
	tb.t.Helper()
	src := axeScript(tb.t)
	if src == "" {
		return nil
	}
	inject := "window.axe = {run: async () => ({violations: []})};true"
	if withAxe {
		inject = src + ";true"
	}
	if _, err := chromedp.Run(tb.ctx, chromedp.Evaluate[bool](inject)); err != nil {
		tb.t.Fatalf("inject axe-core: %v", err)
	}
	raw, err := chromedp.Run(tb.ctx, chromedp.Evaluate[string](accessProblems, chromedp.EvalAwaitPromise))
	if err != nil {
		tb.t.Fatalf("accessibility check: %v", err)
	}
	var out []string
	if err := json.Unmarshal([]byte(raw), &out); err != nil {
		tb.t.Fatalf("accessibility check answered %q: %v", raw, err)
	}
	return out
}
