package web_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// The one form pattern (form.go), seen through the plan editor: a refused
// form comes back with what was typed, the error tied to its field and the
// cursor there; a form that succeeded redirects and says so once; the API
// twin answers the same refusal as JSON, naming the field.
func TestFormPattern(t *testing.T) {
	t.Parallel()
	plainDemo.each(t, func(t *testing.T, s *site) {
		admin := s.login("admin")
		var short struct{ Items []struct{ Code string } }
		s.getJSON(admin, "/api/v1/plans/shortfall", &short)
		code := short.Items[0].Code
		var plans struct{ Items []struct{ Kind string } }
		s.getJSON(admin, "/api/v1/communities/"+code+"/plans", &plans)
		kind := []string{"main", "fallback", "contingency"}[len(plans.Items)]
		action := "/communities/" + code + "/plans"

		// Refused: no title. The page comes back with the section text kept.
		typed := "逐户走访化解矛盾<第一批>"
		form := url.Values{"kind": {kind}, "title": {""}, "section_conflicts": {typed}}
		page := s.refusedForm(admin, action, form, http.StatusUnprocessableEntity, "title")
		if !strings.Contains(page, "逐户走访化解矛盾&lt;第一批&gt;</textarea>") {
			t.Error("the refused form lost the section text the user typed")
		}
		if !regexp.MustCompile(`方案名称<span class="req">\(必填\)</span><input name="title" required`).MatchString(page) {
			t.Error("the required title is not marked 必填")
		}
		// The other forms of the page stay as they were: nothing typed there, nothing marked.
		if n := strings.Count(page, `aria-invalid`); n != 1 {
			t.Errorf("%d fields marked invalid, want 1", n)
		}

		// The API twin: the same refusal, as JSON, on the same field.
		res, raw := s.call(admin, "POST", "/api/v1"+action, map[string]any{"kind": kind, "title": ""}, nil)
		if e := wantError(t, res, raw, http.StatusUnprocessableEntity, "unprocessable"); e.Error.Field != "title" {
			t.Errorf("API refusal names field %q, want title", e.Error.Field)
		}

		// Success: a redirect to the editor, which says so once.
		form.Set("title", "补充方案")
		res, _ = s.call(admin, "POST", action, form.Encode(), nil)
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != action {
			t.Fatalf("plan form: %d to %q", res.StatusCode, res.Header.Get("Location"))
		}
		_, raw = s.call(admin, "GET", action, nil, nil)
		if !strings.Contains(string(raw), `data-testid="notice">方案已保存。`) {
			t.Error("the editor does not say the plan was saved")
		}
		_, raw = s.call(admin, "GET", action, nil, nil)
		if strings.Contains(string(raw), `data-testid="notice"`) {
			t.Error("the notice shows again on the next visit")
		}

		// A path id that is not a number finds nothing.
		res, _ = s.call(admin, "POST", "/plans/x/measures", url.Values{"community": {code}}.Encode(), nil)
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("a plan id that is not a number: %d, want 404", res.StatusCode)
		}
	})
}

// refusedForm posts form to action as c, wants it refused with status on
// field, and checks the pattern: every value typed is back in the page, the
// field is marked, tied to its message and takes the cursor, the summary
// leads to it. It returns the page.
func (s *site) refusedForm(c *http.Client, action string, form url.Values, status int, field string) string {
	s.t.Helper()
	res, raw := s.call(c, "POST", action, form.Encode(), nil)
	page := string(raw)
	if res.StatusCode != status {
		s.t.Fatalf("POST %s: %d, want %d", action, res.StatusCode, status)
	}
	for name, vs := range form {
		for _, v := range vs {
			if v != "" && !strings.Contains(page, html.EscapeString(v)) {
				s.t.Errorf("POST %s refused: %s=%q typed is lost", action, name, v)
			}
		}
	}
	ctl := regexp.MustCompile(`<(?:input|select|textarea)[^>]*\sname="` + regexp.QuoteMeta(field) + `"[^>]*>`).FindString(page)
	id := "f-" + regexp.MustCompile(`[^A-Za-z0-9_-]`).ReplaceAllString(field, "-") // as fieldID: stages[1].name is f-stages-1--name
	for _, want := range []string{`id="` + id + `"`, `aria-invalid="true"`, `aria-describedby="` + id + `-error"`, "autofocus"} {
		if !strings.Contains(ctl, want) {
			s.t.Errorf("POST %s refused: field %s lacks %s: %s", action, field, want, ctl)
		}
	}
	if !strings.Contains(page, `<p class="field-error" id="`+id+`-error">`) {
		s.t.Errorf("POST %s refused: no message beside field %s", action, field)
	}
	if !strings.Contains(page, `<a href="#`+id+`">`) {
		s.t.Errorf("POST %s refused: the error summary does not lead to %s", action, field)
	}
	if n := strings.Count(page, "autofocus"); n != 1 {
		s.t.Errorf("POST %s refused: %d fields take the cursor, want 1", action, n)
	}
	return page
}
