package web

import (
	"regexp"
	"strings"
	"testing"
)

// TestBlankFormsLeaveNoFieldCall: in every page drawn for a GET, no field
// of a form calls the form (Value, Attrs, Error, Chose): what the rewrite
// is for. That the pages draw the same is checked on every GET of the
// package's tests (main_test.go).
func TestBlankFormsLeaveNoFieldCall(t *testing.T) {
	t.Parallel()
	p, err := parsePages()
	if err != nil {
		t.Fatal(err)
	}
	call := regexp.MustCompile(`\{\{(if )?\$[a-z]+\.(Value|Attrs|Error|Chose) `) // a field's print or choice; not a test of a value
	fields := 0
	for name, written := range p.byName {
		for _, w := range written.Templates() {
			if w.Tree != nil {
				fields += len(call.FindAllString(w.Tree.Root.String(), -1))
			}
		}
		for _, b := range p.blank[name].Templates() {
			if b.Tree == nil {
				continue
			}
			for _, left := range call.FindAllString(b.Tree.Root.String(), -1) {
				t.Errorf("page %s, template %s: %s is still called", name, b.Name(), strings.TrimSpace(left))
			}
		}
	}
	if fields < 800 {
		t.Fatalf("the pages as written call their forms %d times; the test reads them wrong", fields)
	}
}
