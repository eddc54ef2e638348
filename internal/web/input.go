package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/filestore"
)

// Input at the edge: every request's text is checked here, once, before a
// handler or the store sees it (guard calls checkInput). Each text field of
// a form (urlencoded or multipart), a JSON body and the query must be valid
// UTF-8, free of control characters (a multi-line field may hold line
// breaks and tabs) and no longer than its field's limit; a body must be no
// larger than its kind's limit, which is known before it is read. So
// PostgreSQL never sees a NUL byte or broken UTF-8, SQLite never stores
// them, and no stranger's string of any length reaches the audit log or a
// redirect's Location.

// Body limits: a form or a JSON body; the text fields beside an upload's
// files, over the upload limit.
const (
	maxTextBody    = 1 << 20
	multipartSlack = 1 << 20
)

// streamedBodies are the routes whose handlers stream a multipart body
// themselves (archive_handlers.go): only their size is left to them, since
// reading it here would defeat the streaming. Their text fields are checked
// with checkField as they arrive.
var streamedBodies = map[string]bool{
	"POST /communities/{code}/archive":        true,
	"POST /api/v1/communities/{code}/archive": true,
}

// uploadBodies are the routes whose whole body is an uploaded document (a
// JSON one: it is checked as JSON), limited like any upload.
var uploadBodies = map[string]bool{
	"PUT /api/v1/map/shapes": true,
}

// publicUploads are the public routes that take files: on every other
// public route a stranger's multipart body is held to the text limit.
var publicUploads = map[string]bool{
	"POST /tip":         true,
	"POST /api/v1/tips": true,
}

// fieldRule is what a text field may hold: at most max characters, and
// line breaks and tabs when multiline.
type fieldRule struct {
	max       int
	multiline bool
	label     string // the field's Chinese name in messages; the name itself if ""
}

// defaultRule is that of every single-line field not named in fieldRules.
var defaultRule = fieldRule{max: 1000}

// multilineRule is that of the free-text fields (textareas and their JSON twins).
var multilineRule = fieldRule{max: 20000, multiline: true}

// fieldRules names the fields whose rule is not the default, by lower-case
// name (a JSON key or a form field).
var fieldRules = map[string]fieldRule{
	"username":     {max: 64, label: "用户名"},
	"password":     {max: 256, label: "密码"},
	"old_password": {max: 256, label: "原密码"},
	"new_password": {max: 256, label: "新密码"},
	"next":         {max: 2048, label: "跳转地址"},
	"back":         {max: 2048, label: "返回地址"},
	"name":         {max: 200, label: "名称"},
	"display_name": {max: 200, label: "姓名"},
	"id_number":    {max: 64, label: "身份证号码"},
	"phone":        {max: 64, label: "电话"},
	"contact":      {max: 200, label: "联系方式"},
	"person":       {max: 200, label: "被举报人"},
	"title":        {max: 500, label: "标题"},
	"q":            {max: 200, label: "搜索词"},
	"households":   {max: 1000, label: "户数"},
	"population":   {max: 1000, label: "人口"},
	"aspirant_ids": {max: defaultRule.max, label: "参选人"},
	// Query parameters of lists, named in their errors.
	"page":   {max: defaultRule.max, label: "页码"},
	"offset": {max: defaultRule.max, label: "起始位置"},
	"limit":  {max: defaultRule.max, label: "每次条数"},
	"before": {max: defaultRule.max, label: "起始序号"},
	"by":     {max: defaultRule.max, label: "着色方式"},
	// The five-year programme's numbers (issue 16, point 6).
	"start_year": {max: defaultRule.max, label: "任期起始年份"},
	"end_year":   {max: defaultRule.max, label: "任期结束年份"},
	"year":       {max: defaultRule.max, label: "年度"},
	"seq":        {max: defaultRule.max, label: "序号"},

	"description":     {max: multilineRule.max, multiline: true, label: "内容描述"},
	"note":            {max: multilineRule.max, multiline: true, label: "备注"},
	"reason":          {max: multilineRule.max, multiline: true, label: "理由"},
	"content":         {max: multilineRule.max, multiline: true, label: "内容"},
	"findings":        {max: multilineRule.max, multiline: true, label: "发现的问题"},
	"members":         {max: multilineRule.max, multiline: true, label: "成员"},
	"minutes":         {max: multilineRule.max, multiline: true, label: "会议记录"},
	"parties":         {max: multilineRule.max, multiline: true, label: "当事人"},
	"persuasion_note": {max: multilineRule.max, multiline: true, label: "劝退情况"},
	"result":          {max: multilineRule.max, multiline: true, label: "结果"},
	"summary":         {max: multilineRule.max, multiline: true, label: "摘要"},
	"evidence":        {max: multilineRule.max, multiline: true, label: "证据"},
	"attendance":      {max: multilineRule.max, multiline: true, label: "出席人员"},
	"outcome_note":    {max: multilineRule.max, multiline: true, label: "处理结果说明"},
	"measure":         {max: multilineRule.max, multiline: true, label: "措施"},
	"cause":           {max: multilineRule.max, multiline: true, label: "原因"},
	"measures":        {max: multilineRule.max, multiline: true, label: "措施"},
}

// ruleOf is the rule of a field by its name.
func ruleOf(field string) fieldRule {
	name := strings.ToLower(field)
	if r, ok := fieldRules[name]; ok {
		return r
	}
	if strings.HasPrefix(name, "section_") { // the assessment form's free text per section
		return multilineRule
	}
	return defaultRule
}

// fieldName is a field's Chinese name in messages: its label, else the
// name itself, which the crawl of every role finds where it shows.
func fieldName(field string) string {
	if label := ruleOf(field).label; label != "" {
		return label
	}
	return field
}

// invalidField is the 400 of a bad text field, naming it.
func invalidField(field, format string, args ...any) error {
	return &errs.Error{Code: errs.Invalid, Field: field, Message: "“" + fieldName(field) + "”" + fmt.Sprintf(format, args...)}
}

// checkField checks one value of a text field against its rule.
func checkField(field, v string) error {
	rule := ruleOf(field)
	if len(v) > 4*rule.max+4 || utf8.RuneCountInString(v) > rule.max { // bytes first: no counting of megabytes
		return invalidField(field, "过长:最多%d个字", rule.max)
	}
	if !utf8.ValidString(v) {
		return invalidField(field, "含有无效的字符编码")
	}
	for _, c := range v {
		if !unicode.IsControl(c) || rule.multiline && (c == '\n' || c == '\r' || c == '\t') {
			continue
		}
		if rule.multiline {
			return invalidField(field, "含有不允许的控制字符(只允许换行和制表符)")
		}
		return invalidField(field, "含有不允许的控制字符或换行")
	}
	return nil
}

// checkValues checks every value of a form.
func checkValues(form map[string][]string) error {
	for field, vs := range form {
		if err := checkName(field); err != nil {
			return err
		}
		for _, v := range vs {
			if err := checkField(field, v); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkName checks a form field's or a file's name, which handlers may echo.
func checkName(name string) error {
	if len(name) > 256 || !utf8.ValidString(name) || strings.IndexFunc(name, unicode.IsControl) >= 0 {
		return &errs.Error{Code: errs.Invalid, Message: "提交内容中有无效的字段名或文件名"}
	}
	return nil
}

// errTooLarge is the 413 of a body over limit bytes.
func errTooLarge(limit int64) error {
	return errs.Newf(errs.TooLarge, "提交的内容超过%s的上限", humanBytes(limit))
}

func humanBytes(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return fmt.Sprintf("%dMB", n>>20)
	}
	if n >= 1<<20 {
		return fmt.Sprintf("%.1fMB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%dKB", max(n>>10, 1))
}

// uploadLimit is the largest file an upload may carry: the file store's
// limit (serve's --max-upload), or its default without a file store.
func (s *Server) uploadLimit() int64 {
	if s.files != nil {
		return s.files.MaxSize
	}
	return filestore.DefaultMaxSize
}

// checkInput checks the query, path and body of a request to the route of
// pattern (public: open to strangers) before its handler runs. The body is limited, parsed (a form) or
// read and put back (JSON), and every text value checked.
func (s *Server) checkInput(w http.ResponseWriter, r *http.Request, pattern string, public bool) error {
	if !utf8.ValidString(r.URL.Path) || strings.IndexFunc(r.URL.Path, unicode.IsControl) >= 0 {
		return &errs.Error{Code: errs.Invalid, Message: "网址中含有无效的字符"}
	}
	if err := checkValues(r.URL.Query()); err != nil {
		return err
	}
	if r.Body == nil || r.Body == http.NoBody || r.Method == http.MethodGet || r.Method == http.MethodHead {
		return nil
	}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	limit := int64(maxTextBody)
	switch {
	case streamedBodies[pattern]:
		limit = s.uploadLimit()*maxArchiveFiles + multipartSlack
	case uploadBodies[pattern]:
		limit = s.uploadLimit()
	case mt == "multipart/form-data" && (!public || publicUploads[pattern]):
		limit = s.uploadLimit() + multipartSlack
	}
	if r.ContentLength > limit {
		return errTooLarge(limit)
	}
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	tooBig := func(err error) bool {
		var e *http.MaxBytesError
		return errors.As(err, &e)
	}
	switch {
	case streamedBodies[pattern]:
		return nil
	case mt == "multipart/form-data" && !uploadBodies[pattern]:
		err := r.ParseMultipartForm(8 << 20)
		if tooBig(err) {
			return errTooLarge(limit)
		}
		if err != nil {
			return errs.Wrap(err, errs.Invalid, "上传内容无法解析")
		}
		for _, hs := range r.MultipartForm.File {
			for _, h := range hs {
				if err := checkName(h.Filename); err != nil {
					return err
				}
				if h.Size > s.uploadLimit() { // one file over the limit: 413 before any handler stores it
					return errs.Newf(errs.TooLarge, "文件“%s”超过%s的上限", h.Filename, humanBytes(s.uploadLimit()))
				}
			}
		}
		return checkValues(r.MultipartForm.Value)
	case mt == "application/x-www-form-urlencoded" && !uploadBodies[pattern]:
		err := r.ParseForm()
		if tooBig(err) {
			return errTooLarge(limit)
		}
		if err != nil {
			return errs.Wrap(err, errs.Invalid, "提交内容无法解析")
		}
		return checkValues(r.PostForm)
	case isAPI(r) || mt == "application/json":
		// The API's handlers decode any body as JSON whatever its type.
		raw, err := io.ReadAll(r.Body)
		if tooBig(err) {
			return errTooLarge(limit)
		}
		if err != nil {
			return errs.Wrap(err, errs.Invalid, "提交内容读取失败")
		}
		r.Body = io.NopCloser(bytes.NewReader(raw))
		return checkJSON(raw)
	}
	return nil
}

// checkJSON checks every string of a JSON document under the rule of the
// nearest key it is a value of. A document that is not JSON passes: its
// handler refuses it as such.
func checkJSON(raw []byte) error {
	type frame struct {
		object, wantKey bool
		key             string
	}
	var stack []frame
	field := func() string {
		for i := len(stack) - 1; i >= 0; i-- {
			if stack[i].object {
				return stack[i].key
			}
		}
		return ""
	}
	valueDone := func() {
		if n := len(stack); n > 0 && stack[n-1].object {
			stack[n-1].wantKey = true
		}
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	for {
		from := dec.InputOffset()
		tok, err := dec.Token()
		if err != nil {
			return nil // io.EOF, or not JSON: the handler's decoder says so
		}
		span := raw[from:dec.InputOffset()]
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{', '[':
				valueDone() // the parent's next token is a key again once this closes
				stack = append(stack, frame{object: t == '{', wantKey: t == '{'})
			default:
				stack = stack[:len(stack)-1]
			}
		case string:
			if n := len(stack); n > 0 && stack[n-1].object && stack[n-1].wantKey {
				if !utf8.Valid(span) {
					return checkName(string(span))
				}
				if err := checkName(t); err != nil {
					return err
				}
				stack[n-1].key, stack[n-1].wantKey = t, false
				continue
			}
			f := field()
			if f == "" {
				f = "body"
			}
			if !utf8.Valid(span) { // the decoder replaced the bad bytes with U+FFFD
				return invalidField(f, "含有无效的字符编码")
			}
			if err := checkField(f, t); err != nil {
				return err
			}
			valueDone()
		default:
			valueDone()
		}
	}
}
