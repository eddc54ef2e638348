package web_test

import (
	"bytes"
	"fmt"
	"html"
	"io"
	"mime/multipart"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// postTipForm posts the public tip form as a browser does: multipart, with
// the fields and, if data is not nil, one photo.
func (s *site) postTipForm(fields map[string]string, data []byte) (*http.Response, string) {
	s.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	if data != nil {
		part, _ := mw.CreateFormFile("files", "IMG_20261127_143210.png")
		part.Write(data)
	}
	mw.Close()
	req, _ := http.NewRequest("POST", s.ts.URL+"/tip", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	res, err := s.client().Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	return res, string(raw)
}

// tipFormFields is a whole submission as a citizen types it.
func tipFormFields() map[string]string {
	return map[string]string{"community": "QS-01-001", "person": "王某某", "category": "bribery",
		"description": tipDescription, "contact": "13912345678"}
}

// wantTipKept checks that the re-rendered form holds every value of fields,
// and says that attachments must be chosen again.
func wantTipKept(t *testing.T, page string, fields map[string]string) {
	t.Helper()
	for _, want := range []string{
		`<option value="` + fields["community"] + `" selected>`,
		`name="person"[^>]*value="` + fields["person"] + `"`,
		`<option value="` + fields["category"] + `" selected>`,
		`name="description"[^>]*>` + html.EscapeString(fields["description"]) + `</textarea>`,
		`name="contact"[^>]*value="` + fields["contact"] + `"`,
		`请重新选择`,
	} {
		if want == `<option value="" selected>` {
			continue // no community was chosen
		}
		if !regexp.MustCompile(want).MatchString(page) {
			t.Errorf("the form lost %q:\n%s", want, formOf(page))
		}
	}
}

func formOf(page string) string {
	if i := strings.Index(page, "<h1>"); i >= 0 {
		page = page[i:]
	}
	if i := strings.Index(page, "</form>"); i >= 0 {
		page = page[:i]
	}
	return page
}

// wantInvalid checks that the control named field, and no other, is marked
// invalid, described by its message and focused (the form pattern's marks).
func wantInvalid(t *testing.T, page, tag, field, message string) {
	t.Helper()
	control := regexp.MustCompile(`<` + tag + ` name="` + field + `"[^>]*>`).FindString(page)
	for _, attr := range []string{`aria-invalid="true"`, `aria-describedby="f-` + field + `-error"`, `autofocus`} {
		if !strings.Contains(control, attr) {
			t.Errorf("the control %s lacks %s: %s", field, attr, control)
		}
	}
	if n := strings.Count(page, "autofocus"); n != 1 {
		t.Errorf("%d controls focused, want 1", n)
	}
	if n := strings.Count(page, `aria-invalid="true"`); n != 1 {
		t.Errorf("%d controls marked invalid, want 1", n)
	}
	if !strings.Contains(page, `id="f-`+field+`-error">`+message+`<`) {
		t.Errorf("no message %q tied to %s:\n%s", message, field, formOf(page))
	}
}

// TestTipFormKeepsInputAfterError: a field error re-renders the form with
// every value kept, the error tied to its field, and a line saying the
// attachments must be chosen again; the API answers the same message for
// the same field.
func TestTipFormKeepsInputAfterError(t *testing.T) {
	t.Parallel()
	plainDemo.each(t, func(t *testing.T, s *site) {
		photo := photo(t, "png")

		short := tipFormFields()
		short["description"] = "送了米面油"
		res, page := s.postTipForm(short, photo)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("short description: %d", res.StatusCode)
		}
		wantTipKept(t, page, short)
		wantInvalid(t, page, "textarea", "description", "问题描述至少10个字")

		none := tipFormFields()
		none["community"] = ""
		res, page = s.postTipForm(none, photo)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("no community: %d", res.StatusCode)
		}
		wantTipKept(t, page, none)
		wantInvalid(t, page, "select", "community", "请填写所在社区")

		// The JSON twin: the same message, about the same field.
		body := map[string]any{}
		for k, v := range short {
			body[k] = v
		}
		res, raw := s.postTip(body, nil)
		e := wantError(t, res, raw, http.StatusUnprocessableEntity, "unprocessable")
		if e.Error.Field != "description" || e.Error.Message != "问题描述至少10个字" {
			t.Errorf("API error %+v", e.Error)
		}
		body["description"], body["community"] = tipDescription, ""
		res, raw = s.postTip(body, nil)
		e = wantError(t, res, raw, http.StatusUnprocessableEntity, "unprocessable")
		if e.Error.Field != "community" || e.Error.Message != "请填写所在社区" {
			t.Errorf("API error %+v, want the field community as the API names it", e.Error)
		}
	})
}

// TestTipFormKeepsInputOverLimit: a submission over the client's limit comes
// back with every value kept, says how many minutes to wait as Retry-After
// does, and the API says the same.
func TestTipFormKeepsInputOverLimit(t *testing.T) {
	t.Parallel()
	plainDemo.each(t, func(t *testing.T, s *site) {
		for i := range 5 {
			res, body := s.postTip(map[string]any{"community": "QS-01-001", "category": "other", "description": tipDescription}, nil)
			if res.StatusCode != http.StatusCreated {
				t.Fatalf("tip %d: %d %s", i+1, res.StatusCode, body)
			}
		}
		fields := tipFormFields()
		res, page := s.postTipForm(fields, photo(t, "png"))
		if res.StatusCode != http.StatusTooManyRequests {
			t.Fatalf("over the limit: %d", res.StatusCode)
		}
		wantTipKept(t, page, fields)
		minutes := retryMinutes(t, res)
		if want := fmt.Sprintf("请在 %d 分钟后再提交", minutes); !strings.Contains(page, want) {
			t.Errorf("the page does not say %q:\n%s", want, formOf(page))
		}

		res, raw := s.postTip(map[string]any{"community": "QS-01-001", "category": "other", "description": tipDescription}, nil)
		e := wantError(t, res, raw, http.StatusTooManyRequests, "too_many")
		if want := fmt.Sprintf("提交过于频繁,请在 %d 分钟后再提交", retryMinutes(t, res)); e.Error.Message != want {
			t.Errorf("API message %q, want %q", e.Error.Message, want)
		}
	})
}

// retryMinutes is the Retry-After of res in whole minutes, rounded up.
func retryMinutes(t *testing.T, res *http.Response) int {
	t.Helper()
	secs, err := strconv.Atoi(res.Header.Get("Retry-After"))
	if err != nil || secs <= 0 {
		t.Fatalf("Retry-After %q", res.Header.Get("Retry-After"))
	}
	return (secs + 59) / 60
}
