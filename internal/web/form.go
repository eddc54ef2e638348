package web

// The one pattern for an action a user takes (docs/architecture.md, "Forms
// and their API twins"):
//
//   - one input struct per action, its fields named by their `json` tags; the
//     same names are the form's fields, and `path:"…"` fields come from the
//     route's path, so the page form and the API fill the same struct;
//   - one handler serves both routes (act): the API answers JSON (the result
//     or the error, with its field); the form redirects with a notice on
//     success, and on a refusal comes back to its page with what was typed
//     kept and the error tied to its field (formState in the templates).

import (
	"context"
	"encoding"
	"errors"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"

	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/store"
)

// An action is one write a user makes from a page and from the API.
type action[In any] struct {
	// run does it; its result is the API's answer.
	run func(ctx context.Context, db *store.Scoped, in In) (any, error)
	// created: the API answers 201 rather than 200.
	created bool
	// next is where the form goes after success (out is run's result: the
	// record made, say), with notice shown there.
	next   func(in In, out any) string
	notice string
	// noticeOf, when set, is the notice for what run did (out), instead of notice.
	noticeOf func(in In, out any) string
	// page is the page a refused form comes back to, built for in.
	page func(ctx context.Context, db *store.Scoped, in In) (name string, view any, err error)
}

// act is the handler of a for both its routes, the page form's and the API's.
func act[In any](s *Server, a action[In]) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
		var in In
		err := decodeInput(r, &in)
		var out any
		if err == nil {
			out, err = a.run(r.Context(), db, in)
		}
		if isAPI(r) {
			if err != nil {
				return err
			}
			st := http.StatusOK
			if a.created {
				st = http.StatusCreated
			}
			writeJSON(w, st, out)
			return nil
		}
		if err == nil {
			notice := a.notice
			if a.noticeOf != nil {
				notice = a.noticeOf(in, out)
			}
			s.redirect(w, r, a.next(in, out), notice)
			return nil
		}
		return s.refused(w, r, db, err, func(ctx context.Context) (string, any, error) { return a.page(ctx, db, in) })
	}
}

// endAction ends an action that act cannot serve (an upload, a form that goes
// on to the record it made) by act's rules: the API answers out with status
// or the error; the form goes to next with notice, or back to its page when
// refused.
func (s *Server) endAction(w http.ResponseWriter, r *http.Request, db *store.Scoped, err error, status int, out any,
	next, notice string, page func(ctx context.Context) (string, any, error)) error {
	switch {
	case err != nil && isAPI(r):
		return err
	case err != nil:
		return s.refused(w, r, db, err, page)
	case isAPI(r):
		writeJSON(w, status, out)
		return nil
	}
	s.redirect(w, r, next, notice)
	return nil
}

// decodeUpload fills in from a request that may carry files in a multipart
// body, left in r.MultipartForm: as decodeInput does, but that the API also
// takes a form (not JSON), whose path fields the caller has set.
func decodeUpload(w http.ResponseWriter, r *http.Request, in any) error {
	if err := parseUpload(w, r); err != nil {
		return err
	}
	if isAPI(r) && !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		return readForm(r.PostForm, in)
	}
	return decodeInput(r, in)
}

// showOnce answers a form whose success shows a secret once (a new token, a
// one-time password): the page itself rather than a redirect, never cached.
func (s *Server) showOnce(w http.ResponseWriter, r *http.Request, db *store.Scoped, outcome error,
	page func(ctx context.Context) (string, any, error)) error {
	w.Header().Set("Cache-Control", "no-store")
	if outcome != nil {
		return s.refused(w, r, db, outcome, page)
	}
	name, v, err := page(r.Context())
	if err != nil {
		return err
	}
	s.render(w, r, name, http.StatusOK, v)
	return nil
}

// redirect ends a form that succeeded: to the page at to, which shows notice once.
func (s *Server) redirect(w http.ResponseWriter, r *http.Request, to, notice string) {
	if notice != "" {
		http.SetCookie(w, &http.Cookie{Name: noticeCookie, Value: url.QueryEscape(notice), Path: "/", MaxAge: 60,
			HttpOnly: true, Secure: s.overHTTPS(r), SameSite: http.SameSiteLaxMode})
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// refused ends a form the platform refused: its page again, with what was
// typed and the error tied to its field. An error that is not about the
// input (not found, not signed in, ours) is answered by fail instead.
func (s *Server) refused(w http.ResponseWriter, r *http.Request, db *store.Scoped, refusal error,
	page func(ctx context.Context) (string, any, error)) error {
	switch errs.CodeOf(refusal) {
	case errs.Internal, errs.NotFound, errs.Unauthorized:
		return refusal
	}
	name, view, err := page(r.Context())
	if err != nil {
		return err
	}
	posted := &formState{Action: r.URL.Path, Values: r.PostForm, Message: errs.MessageOf(refusal), Field: errs.FieldOf(refusal)}
	s.renderPage(w, r, name, status(errs.CodeOf(refusal)), view, posted)
	return nil
}

const noticeCookie = "hj_notice"

// notice is the message a redirect left for this page, cleared as it is shown.
func notice(w http.ResponseWriter, r *http.Request) string {
	c, err := r.Cookie(noticeCookie)
	if err != nil {
		return ""
	}
	http.SetCookie(w, &http.Cookie{Name: noticeCookie, Path: "/", MaxAge: -1})
	msg, err := url.QueryUnescape(c.Value)
	if err != nil || len(msg) > 300 {
		return ""
	}
	return msg
}

// formState is what a page knows of one of its forms: after a refused POST
// to it, what was typed and the error; after a POST whose answer is shown
// on the same page (a calculation that stores nothing), what was typed
// (Kept); otherwise nothing. A template takes it with
// {{$f := $.Form "/the/action"}} and marks its fields with it.
type formState struct {
	Action  string
	Values  url.Values
	Message string
	Field   string
	Kept    bool
}

// Failed reports whether this form was posted and refused.
func (f formState) Failed() bool { return f.Message != "" }

// typed reports whether the fields show what was typed.
func (f formState) typed() bool { return f.Failed() || f.Kept }

// Value is what the user typed in field name, else the value the page holds.
func (f formState) Value(name string, held ...any) string {
	if f.typed() {
		return f.Values.Get(name)
	}
	if len(held) > 0 && held[0] != nil {
		return fmt.Sprint(held[0])
	}
	return ""
}

// Chose reports whether value was chosen in field name (a select's option,
// a checkbox, a radio button): as typed after a refusal, else held.
func (f formState) Chose(name, value string, held bool) bool {
	if f.typed() {
		for _, v := range f.Values[name] {
			if v == value {
				return true
			}
		}
		return false
	}
	return held
}

// Attrs are field name's id and, when the refusal is about it, the marks
// that tie the error to it and put the cursor there.
func (f formState) Attrs(name string) template.HTMLAttr {
	if !f.Failed() {
		return ""
	}
	id := fieldID(name)
	if f.Field != name {
		return template.HTMLAttr(` id="` + id + `"`)
	}
	return template.HTMLAttr(` id="` + id + `" aria-invalid="true" aria-describedby="` + id + `-error" autofocus`)
}

// Error is the refusal's message beside field name, when it is about it.
func (f formState) Error(name string) template.HTML {
	if !f.Failed() || f.Field != name {
		return ""
	}
	return template.HTML(`<p class="field-error" id="` + fieldID(name) + `-error">` + template.HTMLEscapeString(f.Message) + `</p>`)
}

// fieldID is the element id of a form field, from its name.
func fieldID(name string) string {
	return "f-" + strings.Map(func(c rune) rune {
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' {
			return c
		}
		return '-'
	}, name)
}

// formReader is an input with fields that the form names differently from
// the JSON (the assessment's scores, one field per rubric item, say).
type formReader interface{ readForm(v url.Values) error }

var textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()

// decodeInput fills in, a pointer to an input struct, from the request: the
// JSON body on the API, the form otherwise; then its path fields.
func decodeInput(r *http.Request, in any) error {
	if isAPI(r) {
		// An empty body is an empty object: the rules then name what is missing.
		if err := decodeJSON(r, in); err != nil && !errors.Is(err, io.EOF) {
			return err
		}
	} else {
		if err := r.ParseForm(); err != nil {
			return errs.Wrap(err, errs.Invalid, "提交的表单无法读取")
		}
		if err := readForm(r.PostForm, in); err != nil {
			return err
		}
		if fr, ok := in.(formReader); ok {
			if err := fr.readForm(r.PostForm); err != nil {
				return err
			}
		}
	}
	v := reflect.ValueOf(in).Elem()
	for i := range v.NumField() {
		if name := v.Type().Field(i).Tag.Get("path"); name != "" {
			if err := setField(v.Field(i), name, r.PathValue(name), true); err != nil {
				return errs.New(errs.NotFound, "没有找到要处理的记录")
			}
		}
	}
	return nil
}

// readForm fills the struct in points at from form values by json names.
func readForm(form url.Values, in any) error {
	v := reflect.ValueOf(in).Elem()
	t := v.Type()
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name == "" || name == "-" || !t.Field(i).IsExported() {
			continue
		}
		f := v.Field(i)
		if !formReadable(f.Type()) {
			continue // a record or a map: the input's readForm fills it, or only the JSON does
		}
		if f.Kind() == reflect.Slice && !reflect.PointerTo(f.Type()).Implements(textUnmarshaler) {
			vals := form[name]
			list := reflect.MakeSlice(f.Type(), len(vals), len(vals))
			for j, x := range vals {
				if err := setField(list.Index(j), name, x, false); err != nil {
					return err
				}
			}
			f.Set(list)
			continue
		}
		if _, sent := form[name]; !sent && f.Kind() != reflect.Bool {
			continue
		}
		if err := setField(f, name, form.Get(name), false); err != nil {
			return err
		}
	}
	return nil
}

// formReadable reports whether a form's text can fill a field of type t:
// text, codes, numbers, checkboxes, a pointer to one (left nil when empty),
// or a list of them (a repeated field).
func formReadable(t reflect.Type) bool {
	if reflect.PointerTo(t).Implements(textUnmarshaler) {
		return true
	}
	switch t.Kind() {
	case reflect.String, reflect.Bool, reflect.Int, reflect.Int64, reflect.Int32:
		return true
	case reflect.Pointer:
		return t.Elem().Kind() != reflect.Pointer && t.Elem().Kind() != reflect.Slice && formReadable(t.Elem())
	case reflect.Slice:
		return t.Elem().Kind() != reflect.Slice && t.Elem().Kind() != reflect.Pointer && formReadable(t.Elem())
	}
	return false
}

// setField sets one field from its text.
func setField(f reflect.Value, name, text string, strict bool) error {
	if f.CanAddr() && f.Addr().Type().Implements(textUnmarshaler) {
		if err := f.Addr().Interface().(encoding.TextUnmarshaler).UnmarshalText([]byte(text)); err != nil {
			return fieldProblem(name, "填写有误")
		}
		return nil
	}
	switch f.Kind() {
	case reflect.String:
		if f.Type() == reflect.TypeFor[civil.Date]() {
			text = strings.TrimSpace(text) // the domain checks it is a real day and names the field
		}
		f.SetString(text)
	case reflect.Bool:
		f.SetBool(text == "on" || text == "1" || text == "true")
	case reflect.Int, reflect.Int64, reflect.Int32:
		text = strings.TrimSpace(text)
		if text == "" && !strict {
			f.SetInt(0)
			return nil
		}
		n, err := strconv.ParseInt(text, 10, 64)
		if err != nil || f.OverflowInt(n) {
			return fieldProblem(name, "须为整数")
		}
		f.SetInt(n)
	case reflect.Pointer:
		if strings.TrimSpace(text) == "" && !strict {
			f.SetZero() // an empty field is not a zero
			return nil
		}
		p := reflect.New(f.Type().Elem())
		if err := setField(p.Elem(), name, text, strict); err != nil {
			return err
		}
		f.Set(p)
	default: // formReadable keeps other kinds away; a path field of one finds nothing
		return errs.New(errs.NotFound, "没有找到要处理的记录")
	}
	return nil
}

// fieldProblem is a 422 about one field, named by its label.
func fieldProblem(field, what string) error {
	if label := ruleOf(field).label; label != "" {
		return errs.OnField(field, "“"+label+"”"+what)
	}
	return errs.OnField(field, "此项"+what)
}
