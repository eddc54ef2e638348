package web

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/huanjie/huanjie/internal/audit"
	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/idcard"
	"github.com/huanjie/huanjie/internal/reviewxls"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/vetting"
	"github.com/huanjie/huanjie/internal/xlsx"
)

// The joint review (联审): the office's rounds, departments, overdue and
// miss reports, and a department reviewer's queue.

// reviewQueueSize is the rows of one page of a department's queue.
const reviewQueueSize = 100

// reviewInt reads an optional integer query parameter within [0, limit].
func reviewInt(r *http.Request, name string, def, limit int) (int, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 || n > limit {
		return 0, errs.OnField(name, fieldName(name)+"应为 0 至 "+strconv.Itoa(limit)+" 的整数")
	}
	return n, nil
}

// conditionOption is a condition of a checklist, for forms.
type conditionOption struct {
	Code, Label string
	Checked     bool
}

func checklistOptions(d vetting.Department, checked []string) []conditionOption {
	cat := vetting.DefaultCatalogue()
	out := make([]conditionOption, 0, len(d.Checklist))
	for _, code := range d.Checklist {
		label := code
		if c, ok := cat.Find(code); ok {
			label = c.Label()
		}
		out = append(out, conditionOption{code, label, contains(checked, code)})
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// ---- Rounds ----

type roundJSON struct {
	ID        int64             `json:"id"`
	Kind      vetting.RoundKind `json:"kind"`
	KindLabel string            `json:"kind_label"`
	DocNo     string            `json:"doc_no"`
	Date      civil.Date        `json:"date"`
	Deadline  civil.Date        `json:"deadline"`
	Requests  int               `json:"requests"`
	Answered  int               `json:"answered"`
	Aspirants int               `json:"aspirants"`
}

// roundKinds are the kinds of round as choices; with status set, only those
// an aspirant in it can be sent to.
func roundKinds(status vetting.Status) []conditionOption {
	var out []conditionOption
	for _, k := range []vetting.RoundKind{vetting.FirstRound, vetting.SecondRound} {
		if status == "" || status.CanStartRound(k) {
			out = append(out, conditionOption{Code: string(k), Label: k.Label()})
		}
	}
	return out
}

type reviewView struct {
	Rounds  []store.RoundRow
	Kinds   []conditionOption // kind code and label
	Today   civil.Date
	Error   string
	Started *store.RoundStarted
}

func (s *Server) reviewView(ctx context.Context, db *store.Scoped) (reviewView, error) {
	v := reviewView{Today: s.st.Today(), Kinds: roundKinds("")}
	var err error
	v.Rounds, err = db.ReviewRounds(ctx)
	return v, err
}

func (s *Server) reviewPage(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	v, err := s.reviewView(r.Context(), db)
	if err != nil {
		return err
	}
	s.render(w, r, "review", http.StatusOK, v)
	return nil
}

func (s *Server) startRound(ctx context.Context, db *store.Scoped, round vetting.Round) (store.RoundStarted, error) {
	return writeOne(ctx, db, func(tx *store.Tx) (store.RoundStarted, error) { return tx.StartReviewRound(ctx, round) })
}

// startRoundForm starts a round from the review page, or for the aspirants
// named by the form's "aspirant" fields (the aspirant page's form), whose
// page it then returns to when there is one.
func (s *Server) startRoundForm(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	round := vetting.Round{Kind: vetting.RoundKind(r.PostFormValue("kind")),
		DocNo: r.PostFormValue("doc_no"), Date: formDate(r, "date"), Deadline: formDate(r, "deadline")}
	var err error
	for _, raw := range r.PostForm["aspirant"] {
		id, perr := strconv.ParseInt(raw, 10, 64)
		if perr != nil {
			err = errs.OnField("aspirant_ids", "所选参选人编号无效")
		}
		round.Only = append(round.Only, id)
	}
	if err == nil {
		_, err = s.startRound(r.Context(), db, round)
	}
	if err == nil {
		back := "/review"
		if len(round.Only) == 1 {
			back = "/aspirants/" + strconv.FormatInt(round.Only[0], 10)
		}
		http.Redirect(w, r, back, http.StatusSeeOther)
		return nil
	}
	if errs.CodeOf(err) == errs.Internal {
		return err
	}
	if len(round.Only) == 1 { // back to the aspirant's page with the message
		v, verr := s.aspirantView(r.Context(), db, round.Only[0])
		if verr != nil {
			return verr
		}
		v.Error = errs.MessageOf(err)
		s.render(w, r, "aspirant", status(errs.CodeOf(err)), v)
		return nil
	}
	v, verr := s.reviewView(r.Context(), db)
	if verr != nil {
		return verr
	}
	v.Error = errs.MessageOf(err)
	s.render(w, r, "review", status(errs.CodeOf(err)), v)
	return nil
}

func (s *Server) apiReviewRounds(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	v, err := s.reviewView(r.Context(), db)
	if err != nil {
		return err
	}
	items := make([]roundJSON, len(v.Rounds))
	for i, rd := range v.Rounds {
		items[i] = roundJSON{rd.ID, rd.Kind, rd.KindLabel, rd.DocNo, rd.Date, rd.Deadline, rd.Requests, rd.Answered, rd.Aspirants}
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items})
	return nil
}

func (s *Server) apiStartRound(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	var in struct {
		Kind     vetting.RoundKind `json:"kind"`
		DocNo    string            `json:"doc_no"`
		Date     civil.Date        `json:"date"`
		Deadline civil.Date        `json:"deadline"`
		Only     []int64           `json:"aspirant_ids"` // optional: only these aspirants
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	out, err := s.startRound(r.Context(), db, vetting.Round{Kind: in.Kind, DocNo: in.DocNo, Date: in.Date, Deadline: in.Deadline, Only: in.Only})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, map[string]any{"id": out.Round.ID, "requests": out.Requests, "aspirants": out.Aspirants})
	return nil
}

// ---- Departments ----

type departmentRow struct {
	Code, Name string
	Options    []conditionOption // the whole catalogue, the checklist's checked
	Count      int
}

type reviewDepartmentsView struct {
	Departments []departmentRow
	CanEdit     bool // the checklists are the zone's: only an office without a scope edits them
	Error       string
}

func (s *Server) reviewDepartmentsView(ctx context.Context, db *store.Scoped) (reviewDepartmentsView, error) {
	ds, err := db.ReviewDepartments(ctx)
	if err != nil {
		return reviewDepartmentsView{}, err
	}
	v := reviewDepartmentsView{CanEdit: db.ZoneWide()}
	for _, d := range ds {
		row := departmentRow{Code: d.Code, Name: d.Name, Count: len(d.Checklist)}
		for _, c := range vetting.DefaultCatalogue() {
			row.Options = append(row.Options, conditionOption{c.Code, c.Label(), d.Checks(c.Code)})
		}
		v.Departments = append(v.Departments, row)
	}
	return v, nil
}

func (s *Server) reviewDepartmentsPage(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	v, err := s.reviewDepartmentsView(r.Context(), db)
	if err != nil {
		return err
	}
	s.render(w, r, "review_departments", http.StatusOK, v)
	return nil
}

func (s *Server) setChecklist(ctx context.Context, db *store.Scoped, code string, list []string) (vetting.Department, error) {
	return writeOne(ctx, db, func(tx *store.Tx) (vetting.Department, error) { return tx.SetChecklist(ctx, code, list) })
}

func (s *Server) checklistForm(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	if err := r.ParseForm(); err != nil {
		return errs.Wrap(err, errs.Invalid, "表单无法解析")
	}
	_, err := s.setChecklist(r.Context(), db, r.PathValue("code"), r.PostForm["checklist"])
	if err == nil {
		http.Redirect(w, r, "/review/departments", http.StatusSeeOther)
		return nil
	}
	if c := errs.CodeOf(err); c == errs.Internal || c == errs.NotFound || c == errs.Forbidden {
		return err
	}
	v, verr := s.reviewDepartmentsView(r.Context(), db)
	if verr != nil {
		return verr
	}
	v.Error = errs.MessageOf(err)
	s.render(w, r, "review_departments", status(errs.CodeOf(err)), v)
	return nil
}

type departmentJSON struct {
	Code      string   `json:"code"`
	Name      string   `json:"name"`
	Checklist []string `json:"checklist"`
}

func (s *Server) apiReviewDepartments(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	ds, err := db.ReviewDepartments(r.Context())
	if err != nil {
		return err
	}
	items := make([]departmentJSON, len(ds))
	for i, d := range ds {
		items[i] = departmentJSON{d.Code, d.Name, append([]string{}, d.Checklist...)}
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items})
	return nil
}

func (s *Server) apiSetChecklist(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	var in struct {
		Checklist []string `json:"checklist"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	d, err := s.setChecklist(r.Context(), db, r.PathValue("code"), in.Checklist)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, departmentJSON{d.Code, d.Name, d.Checklist})
	return nil
}

// ---- The department's queue ----

// department is the reviewer's department with its checklist.
func (s *Server) department(ctx context.Context, db *store.Scoped) (vetting.Department, error) {
	if db.Department() == "" {
		return vetting.Department{}, errNoPermission
	}
	ds, err := db.ReviewDepartments(ctx)
	if err != nil {
		return vetting.Department{}, err
	}
	d, ok := ds.Find(db.Department())
	if !ok {
		return vetting.Department{}, errNoPermission
	}
	return d, nil
}

type answerJSON struct {
	Verdict    vetting.Verdict `json:"verdict"`
	Conditions []string        `json:"conditions"`
	Note       string          `json:"note"`
	Attachment string          `json:"attachment,omitempty"`
	By         string          `json:"by"`
	At         *time.Time      `json:"at"`
}

type queueItemJSON struct {
	ID        int64       `json:"id"`
	DocNo     string      `json:"doc_no"`
	Name      string      `json:"name"`
	Sex       string      `json:"sex"`
	IDNumber  string      `json:"id_number"`
	Community string      `json:"community"`
	Deadline  civil.Date  `json:"deadline"`
	Overdue   bool        `json:"overdue"`
	Answer    *answerJSON `json:"answer"`
	// RegionWarning: the ID number's address code is not in the GB/T 2260 list.
	RegionWarning string `json:"region_warning,omitempty"`
}

func toQueueJSON(it store.QueueItem) queueItemJSON {
	out := queueItemJSON{it.ID, it.DocNo, it.Name, it.Sex, it.IDNumber, it.Community, it.Deadline, it.Overdue, nil, idcard.RegionWarning(it.IDNumber)}
	if it.Answer.Verdict != "" {
		at := it.Answer.At
		out.Answer = &answerJSON{it.Answer.Verdict, append([]string{}, it.Answer.Conditions...), it.Answer.Note, it.Answer.Attachment, it.Answer.By, &at}
	}
	return out
}

// queueRow is a request on the queue page with its answer form's options.
type queueRow struct {
	store.QueueItem
	Options      []conditionOption
	VerdictLabel string
}

type reviewQueueView struct {
	Department vetting.Department
	Status     string
	Rows       []queueRow
	Pager      pager
	Back       string
}

func (v reviewQueueView) Title() string { return v.Department.Name + " 联审任务" }

func (s *Server) queuePage(ctx context.Context, db *store.Scoped, status string, limit, offset int) (vetting.Department, []store.QueueItem, int, error) {
	d, err := s.department(ctx, db)
	if err != nil {
		return d, nil, 0, err
	}
	total, err := db.CountQueue(ctx, status)
	if err != nil {
		return d, nil, 0, err
	}
	var items []store.QueueItem
	err = db.Write(ctx, func(tx *store.Tx) error {
		items, err = tx.ReviewQueue(ctx, store.QueueFilter{Status: status, Limit: limit, Offset: offset})
		return err
	})
	return d, items, total, err
}

func (s *Server) reviewQueuePage(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	status := r.URL.Query().Get("status")
	if status == "" {
		status = "open"
	}
	if status == "all" {
		status = ""
	}
	page, err := reviewInt(r, "page", 1, 1_000_000)
	if err != nil {
		return err
	}
	page = max(page, 1)
	ctx := r.Context()
	d, err := s.department(ctx, db)
	if err != nil {
		return err
	}
	total, err := db.CountQueue(ctx, status)
	if err != nil {
		return err
	}
	p := newPager(page, total, reviewQueueSize)
	var items []store.QueueItem
	err = db.Write(ctx, func(tx *store.Tx) error {
		items, err = tx.ReviewQueue(ctx, store.QueueFilter{Status: status, Limit: p.Size, Offset: (p.Page - 1) * p.Size})
		return err
	})
	if err != nil {
		return err
	}
	v := reviewQueueView{Department: d, Status: r.URL.Query().Get("status"), Back: r.URL.RequestURI(),
		Pager: p.Of(url.Values{"status": {r.URL.Query().Get("status")}}, "项")}
	for _, it := range items {
		v.Rows = append(v.Rows, queueRow{it, checklistOptions(d, it.Answer.Conditions), it.Answer.Verdict.Label()})
	}
	s.render(w, r, "review_queue", http.StatusOK, v)
	return nil
}

func (s *Server) apiReviewQueue(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	limit, err := reviewInt(r, "limit", reviewQueueSize, 1000)
	if err != nil {
		return err
	}
	offset, err := reviewInt(r, "offset", 0, 100_000_000)
	if err != nil {
		return err
	}
	_, items, total, err := s.queuePage(r.Context(), db, r.URL.Query().Get("status"), max(limit, 1), offset)
	if err != nil {
		return err
	}
	out := make([]queueItemJSON, len(items))
	for i, it := range items {
		out[i] = toQueueJSON(it)
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": out, "total": total, "limit": max(limit, 1), "offset": offset})
	return nil
}

type reviewRequestView struct {
	Department vetting.Department
	Item       queueRow
	Back       string
	Error      string
}

func (v reviewRequestView) Title() string { return "联审任务 " + v.Item.Name }

func (s *Server) queueRequest(ctx context.Context, db *store.Scoped, id int64) (vetting.Department, store.QueueItem, error) {
	d, err := s.department(ctx, db)
	if err != nil {
		return d, store.QueueItem{}, err
	}
	var it store.QueueItem
	err = db.Write(ctx, func(tx *store.Tx) error {
		it, err = tx.QueueRequest(ctx, id)
		return err
	})
	return d, it, err
}

func (s *Server) renderRequest(w http.ResponseWriter, r *http.Request, db *store.Scoped, id int64, st int, message string, tried *vetting.Answer) error {
	d, it, err := s.queueRequest(r.Context(), db, id)
	if err != nil {
		return err
	}
	if tried != nil {
		it.Answer = *tried
	}
	s.render(w, r, "review_request", st, reviewRequestView{Department: d,
		Item: queueRow{it, checklistOptions(d, it.Answer.Conditions), it.Answer.Verdict.Label()}, Back: safeBack(r.FormValue("back")), Error: message})
	return nil
}

func (s *Server) reviewRequestPage(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	id, err := pathID(r, "没有找到该联审任务")
	if err != nil {
		return err
	}
	return s.renderRequest(w, r, db, id, http.StatusOK, "", nil)
}

func (s *Server) apiReviewRequest(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	id, err := pathID(r, "没有找到该联审任务")
	if err != nil {
		return err
	}
	_, it, err := s.queueRequest(r.Context(), db, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toQueueJSON(it))
	return nil
}

// safeBack keeps a return address inside the queue pages.
func safeBack(back string) string {
	if strings.HasPrefix(back, "/review/queue") && !strings.Contains(back, "//") {
		return back
	}
	return "/review/queue"
}

func (s *Server) answer(ctx context.Context, db *store.Scoped, id int64, a vetting.Answer) (store.QueueItem, error) {
	if db.Department() == "" {
		return store.QueueItem{}, errNoPermission
	}
	return writeOne(ctx, db, func(tx *store.Tx) (store.QueueItem, error) { return tx.AnswerReview(ctx, id, a) })
}

func (s *Server) answerForm(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	id, err := pathID(r, "没有找到该联审任务")
	if err != nil {
		return err
	}
	if err := parseUpload(w, r); err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return errs.Wrap(err, errs.Invalid, "表单无法解析")
	}
	a := vetting.Answer{Verdict: vetting.Verdict(r.FormValue("verdict")), Conditions: r.Form["conditions"], Note: r.FormValue("note")}
	if r.MultipartForm != nil {
		if files := r.MultipartForm.File["attachment"]; len(files) > 0 {
			stored, err := s.storeUploads(files[:1])
			if err != nil {
				return s.renderRequest(w, r, db, id, status(errs.CodeOf(err)), errs.MessageOf(err), &a)
			}
			a.Attachment = stored[0].SHA256
		}
	}
	if _, err = s.answer(r.Context(), db, id, a); err != nil {
		if c := errs.CodeOf(err); c == errs.Internal || c == errs.NotFound {
			return err
		}
		return s.renderRequest(w, r, db, id, status(errs.CodeOf(err)), errs.MessageOf(err), &a)
	}
	http.Redirect(w, r, safeBack(r.FormValue("back")), http.StatusSeeOther)
	return nil
}

func (s *Server) apiAnswer(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	id, err := pathID(r, "没有找到该联审任务")
	if err != nil {
		return err
	}
	var in struct {
		Verdict    vetting.Verdict `json:"verdict"`
		Conditions []string        `json:"conditions"`
		Note       string          `json:"note"`
		Attachment string          `json:"attachment"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	it, err := s.answer(r.Context(), db, id, vetting.Answer{Verdict: in.Verdict, Conditions: in.Conditions, Note: in.Note, Attachment: in.Attachment})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toQueueJSON(it))
	return nil
}

// ---- Excel ----

func (s *Server) reviewQueueExport(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	ctx := r.Context()
	d, err := s.department(ctx, db)
	if err != nil {
		return err
	}
	var items []store.QueueItem
	err = db.Write(ctx, func(tx *store.Tx) error {
		items, err = tx.ReviewQueue(ctx, store.QueueFilter{Status: "open", Limit: store.MaxQueuePage, Action: audit.ReviewQueueXLSX})
		return err
	})
	if err != nil {
		return err
	}
	rows := make([]reviewxls.Row, len(items))
	for i, it := range items {
		rows[i] = reviewxls.Row{ID: it.ID, Name: it.Name, Sex: it.Sex, IDNumber: it.IDNumber, Community: it.Community,
			Deadline: it.Deadline, Verdict: it.Answer.Verdict, Conditions: it.Answer.Conditions, Note: it.Answer.Note}
	}
	return sendXLSX(w, d.Name+"联审任务.xlsx", func(out io.Writer) error {
		return reviewxls.Write(out, d, vetting.DefaultCatalogue(), rows)
	})
}

type reviewImportView struct {
	importOutcome
	Department vetting.Department
	RowErrors  []reviewxls.RowError // at most xlsx.MaxListed
	Rest       string               // how many rows' errors are not listed, "" if none
}

// importReview reads an uploaded queue and, when every row is good, applies
// all of it in one transaction; with any bad cell it applies nothing.
func (s *Server) importReview(r *http.Request, db *store.Scoped) (vetting.Department, int, xlsx.Errors, []byte, error) {
	ctx := r.Context()
	none := xlsx.Errors{}
	d, err := s.department(ctx, db)
	if err != nil {
		return d, 0, none, nil, err
	}
	file, _, err := r.FormFile("file") // within the upload limit: checkInput (input.go)
	if err != nil {
		return d, 0, none, nil, errs.Wrap(err, errs.Unprocessable, "请选择 Excel 文件(.xlsx)")
	}
	defer file.Close()
	raw, err := io.ReadAll(file)
	if err != nil {
		return d, 0, none, nil, errs.Wrap(err, errs.Unprocessable, "文件读取失败")
	}
	items, rowErrs, err := reviewxls.Read(bytes.NewReader(raw), d, func(ids []int64) (map[int64]string, error) {
		return db.QueueOwners(ctx, ids)
	})
	if err != nil || rowErrs.Total > 0 {
		return d, 0, rowErrs, raw, err
	}
	if len(items) == 0 {
		return d, 0, none, nil, errs.New(errs.Unprocessable, "文件中没有填写任何结论")
	}
	answers := make([]store.ReviewAnswer, len(items))
	for i, it := range items {
		answers[i] = store.ReviewAnswer{RequestID: it.RequestID, Answer: it.Answer}
	}
	err = db.Write(ctx, func(tx *store.Tx) error { return tx.AnswerReviews(ctx, answers) })
	return d, len(items), none, nil, err
}

func (s *Server) reviewImportPage(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	d, err := s.department(r.Context(), db)
	if err != nil {
		return err
	}
	s.render(w, r, "review_import", http.StatusOK, reviewImportView{Department: d})
	return nil
}

func (s *Server) reviewImportForm(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	d, n, rowErrs, raw, err := s.importReview(r, db)
	o, st, err := s.outcome(db, n, err, rowErrs, "答复", func(w io.Writer) error { return reviewxls.Annotate(w, raw, rowErrs) })
	if err != nil {
		return err
	}
	s.render(w, r, "review_import", st, reviewImportView{importOutcome: o, Department: d, RowErrors: rowErrs.List, Rest: rowErrs.Rest()})
	return nil
}

func (s *Server) apiReviewImport(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	_, n, rowErrs, _, err := s.importReview(r, db)
	if err != nil {
		return err
	}
	if rowErrs.Total > 0 {
		writeRowErrors(w, rowErrs, "答复")
		return nil
	}
	writeJSON(w, http.StatusOK, map[string]int{"applied": n})
	return nil
}

// ---- Overdue and misses ----

type reviewOverdueView struct {
	Departments []store.OverdueDepartment
	Items       []store.OverdueRequest
	Today       civil.Date
}

func (s *Server) reviewOverdue(ctx context.Context, db *store.Scoped) (reviewOverdueView, error) {
	v := reviewOverdueView{Today: s.st.Today()}
	var err error
	v.Departments, v.Items, err = db.ReviewOverdue(ctx, 1000)
	return v, err
}

func (s *Server) reviewOverduePage(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	v, err := s.reviewOverdue(r.Context(), db)
	if err != nil {
		return err
	}
	s.render(w, r, "review_overdue", http.StatusOK, v)
	return nil
}

func (s *Server) apiReviewOverdue(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	v, err := s.reviewOverdue(r.Context(), db)
	if err != nil {
		return err
	}
	type dept struct {
		Code    string `json:"code"`
		Name    string `json:"name"`
		Overdue int    `json:"overdue"`
		Open    int    `json:"open"`
	}
	type item struct {
		ID             int64      `json:"id"`
		DocNo          string     `json:"doc_no"`
		Department     string     `json:"department"`
		DepartmentName string     `json:"department_name"`
		Aspirant       string     `json:"aspirant"`
		Community      string     `json:"community"`
		Deadline       civil.Date `json:"deadline"`
	}
	ds := make([]dept, len(v.Departments))
	for i, d := range v.Departments {
		ds[i] = dept{d.Code, d.Name, d.Overdue, d.Open}
	}
	items := make([]item, len(v.Items))
	for i, o := range v.Items {
		items[i] = item{o.ID, o.DocNo, o.Department, o.DeptName, o.Aspirant, o.Community, o.Deadline}
	}
	writeJSON(w, http.StatusOK, map[string]any{"departments": ds, "items": items})
	return nil
}

type reviewMissesView struct {
	Items []store.MissRow
	All   bool
}

func (s *Server) reviewMisses(r *http.Request, db *store.Scoped) (reviewMissesView, error) {
	v := reviewMissesView{All: r.URL.Query().Get("all") == "1"}
	var err error
	v.Items, err = db.ReviewMisses(r.Context(), !v.All)
	return v, err
}

func (s *Server) reviewMissesPage(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	v, err := s.reviewMisses(r, db)
	if err != nil {
		return err
	}
	s.render(w, r, "review_misses", http.StatusOK, v)
	return nil
}

func (s *Server) apiReviewMisses(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	v, err := s.reviewMisses(r, db)
	if err != nil {
		return err
	}
	type item struct {
		AspirantID     int64           `json:"aspirant_id"`
		Aspirant       string          `json:"aspirant"`
		Community      string          `json:"community"`
		Department     string          `json:"department"`
		DepartmentName string          `json:"department_name"`
		Condition      string          `json:"condition"`
		ConditionText  string          `json:"condition_text"`
		MissedDocNo    string          `json:"missed_doc_no"`
		MissedVerdict  vetting.Verdict `json:"missed_verdict"`
		FoundDocNo     string          `json:"found_doc_no"`
	}
	items := make([]item, len(v.Items))
	for i, m := range v.Items {
		items[i] = item{m.AspirantID, m.Aspirant, m.Community, m.Department, m.DepartmentName, m.Condition, m.ConditionText,
			m.Missed.DocNo, m.Verdict, m.Found.DocNo}
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items})
	return nil
}
