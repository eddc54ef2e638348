package web_test

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

// The pages are served with a CSP of style-src 'self': a browser drops
// every inline style="" silently (a tip's receipt code lost its size, line
// breaks in descriptions were lost). No template may rely on one.
func TestTemplatesHaveNoInlineStyle(t *testing.T) {
	t.Parallel()
	inline := regexp.MustCompile(`(?i)<[a-z][^>]*\sstyle\s*=`)
	files, err := filepath.Glob(filepath.Join("templates", "*.html"))
	if err != nil || len(files) < 20 {
		t.Fatalf("templates: %d files, %v", len(files), err)
	}
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, loc := range inline.FindAllIndex(raw, -1) {
			t.Errorf("%s: inline style, which the CSP drops: %.80s", f, raw[loc[0]:])
		}
	}
}

// A table that scrolls sideways inside its box must be reachable from the
// keyboard (WCAG 2.1.1): every scroll box takes focus and is named.
func TestScrollBoxesTakeKeyboardFocus(t *testing.T) {
	t.Parallel()
	box := regexp.MustCompile(`<[a-z]+[^>]*class="scroll[" ][^>]*>`)
	files, _ := filepath.Glob(filepath.Join("templates", "*.html"))
	n := 0
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, tag := range box.FindAll(raw, -1) {
			n++
			if !regexp.MustCompile(`tabindex="0"`).Match(tag) || !regexp.MustCompile(`aria-label="[^"]+"`).Match(tag) {
				t.Errorf("%s: %s takes no keyboard focus or has no name", f, tag)
			}
		}
	}
	if n < 20 {
		t.Fatalf("only %d scroll boxes found: the pattern is wrong", n)
	}
}
