package web

import (
	"bytes"
	"fmt"
	"html/template"
	"os"
	"testing"
)

// TestMain draws every page the package's tests ask for with no form
// posted both ways, blanked and as written, and fails the request when the
// two differ (blank_forms.go): the whole suite is the corpus of the rewrite.
// A page that prints something that changes between two drawings (the
// clock, the audit log's head) must read it once, before drawing.
func TestMain(m *testing.M) {
	checkBlankForms = func(written *template.Template, data any, drawn []byte) error {
		var want bytes.Buffer
		if err := written.Execute(&want, data); err != nil {
			return err
		}
		if bytes.Equal(want.Bytes(), drawn) {
			return nil
		}
		i := 0
		for i < len(drawn) && i < want.Len() && drawn[i] == want.Bytes()[i] {
			i++
		}
		from := max(0, i-80)
		err := fmt.Errorf("the blanked page differs from the page as written at byte %d: %q, written %q",
			i, drawn[from:min(len(drawn), i+80)], want.Bytes()[from:min(want.Len(), i+80)])
		fmt.Fprintln(os.Stderr, err) // the server's log is discarded in tests; the request answers 500
		return err
	}
	os.Exit(m.Run())
}
