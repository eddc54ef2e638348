package web

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/huanjie/huanjie/internal/assess"
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
		out = append(out, conditionOption{code, label, slices.Contains(checked, code)})
	}
	return out
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
	Rounds     []store.RoundRow
	RoundKinds []conditionOption // kind code and label
	Today      civil.Date
}

func (s *Server) reviewView(ctx context.Context, db *store.Scoped) (reviewView, error) {
	v := reviewView{Today: s.st.Today(), RoundKinds: roundKinds("")}
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

// roundInput starts a round of the joint review over every aspirant it may
// take, or over aspirant_ids only (the aspirant page's form sends one).
type roundInput struct {
	Kind        vetting.RoundKind `json:"kind"`
	DocNo       string            `json:"doc_no"`
	Date        civil.Date        `json:"date"`
	Deadline    civil.Date        `json:"deadline"`
	AspirantIDs []int64           `json:"aspirant_ids"`
}

// alone is the aspirant the round is for alone, whose page the form is on; 0 if none.
func (in roundInput) alone() int64 {
	if len(in.AspirantIDs) == 1 {
		return in.AspirantIDs[0]
	}
	return 0
}

func (s *Server) startRound() handlerFunc {
	return act(s, action[roundInput]{
		run: func(ctx context.Context, db *store.Scoped, in roundInput) (any, error) {
			out, err := writeOne(ctx, db, func(tx *store.Tx) (store.RoundStarted, error) {
				return tx.StartReviewRound(ctx, vetting.Round{Kind: in.Kind, DocNo: in.DocNo, Date: in.Date, Deadline: in.Deadline,
					Only: in.AspirantIDs})
			})
			return map[string]any{"id": out.Round.ID, "requests": out.Requests, "aspirants": out.Aspirants}, err
		},
		created: true,
		next: func(in roundInput, _ any) string {
			if id := in.alone(); id != 0 {
				return aspirantURL(id)
			}
			return "/review"
		},
		notice: "联审已发起。",
		page: func(ctx context.Context, db *store.Scoped, in roundInput) (string, any, error) {
			if id := in.alone(); id != 0 {
				v, err := s.aspirantView(ctx, db, id)
				return "aspirant", v, err
			}
			v, err := s.reviewView(ctx, db)
			return "review", v, err
		},
	})
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

// ---- Departments ----

type departmentRow struct {
	Code, Name string
	Options    []conditionOption // the whole catalogue, the checklist's checked
	Count      int
}

type reviewDepartmentsView struct {
	Departments []departmentRow
	CanEdit     bool // the checklists are the zone's: only an office without a scope edits them
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

// checklistInput is a department's checklist: the codes of its conditions.
type checklistInput struct {
	Department string   `json:"-" path:"code"`
	Checklist  []string `json:"checklist"`
}

func (s *Server) setChecklist() handlerFunc {
	return act(s, action[checklistInput]{
		run: func(ctx context.Context, db *store.Scoped, in checklistInput) (any, error) {
			d, err := writeOne(ctx, db, func(tx *store.Tx) (vetting.Department, error) {
				return tx.SetChecklist(ctx, in.Department, in.Checklist)
			})
			return departmentJSON{d.Code, d.Name, d.Checklist}, err
		},
		next:   func(_ checklistInput, _ any) string { return "/review/departments" },
		notice: "审查清单已保存。",
		page: func(ctx context.Context, db *store.Scoped, _ checklistInput) (string, any, error) {
			v, err := s.reviewDepartmentsView(ctx, db)
			return "review_departments", v, err
		},
	})
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
	v, err := s.queueView(r.Context(), db, r.URL.RequestURI())
	if err != nil {
		return err
	}
	s.render(w, r, "review_queue", http.StatusOK, v)
	return nil
}

// queueView is the queue's page at address at (/review/queue with its
// filter and page): the page itself, and the page a row's refused answer
// comes back to.
func (s *Server) queueView(ctx context.Context, db *store.Scoped, at string) (reviewQueueView, error) {
	var v reviewQueueView
	u, err := url.Parse(safeBack(at))
	if err != nil {
		return v, errs.Wrap(err, errs.Invalid, "联审任务页的地址无法读取")
	}
	q := u.Query()
	status := q.Get("status")
	if status == "" {
		status = "open"
	}
	if status == "all" {
		status = ""
	}
	page, err := queryIntOf(q, "page", 1, 1_000_000)
	if err != nil {
		return v, err
	}
	page = max(page, 1)
	d, err := s.department(ctx, db)
	if err != nil {
		return v, err
	}
	total, err := db.CountQueue(ctx, status)
	if err != nil {
		return v, err
	}
	p := newPager(page, total, reviewQueueSize)
	var items []store.QueueItem
	err = db.Write(ctx, func(tx *store.Tx) error {
		items, err = tx.ReviewQueue(ctx, store.QueueFilter{Status: status, Limit: p.Size, Offset: (p.Page - 1) * p.Size})
		return err
	})
	if err != nil {
		return v, err
	}
	v = reviewQueueView{Department: d, Status: q.Get("status"), Back: u.RequestURI(),
		Pager: p.Of(url.Values{"status": {q.Get("status")}}, "项")}
	v.Pager.Path = "/review/queue"
	for _, it := range items {
		v.Rows = append(v.Rows, queueRow{it, checklistOptions(d, it.Answer.Conditions), it.Answer.Verdict.Label()})
	}
	return v, nil
}

func (s *Server) apiReviewQueue(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	limit, err := queryInt(r, "limit", reviewQueueSize, 1000)
	if err != nil {
		return err
	}
	offset, err := queryInt(r, "offset", 0, 100_000_000)
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

// requestView is request id's page, which links back to the queue's page back.
func (s *Server) requestView(ctx context.Context, db *store.Scoped, id int64, back string) (reviewRequestView, error) {
	d, it, err := s.queueRequest(ctx, db, id)
	return reviewRequestView{Department: d, Item: queueRow{it, checklistOptions(d, it.Answer.Conditions), it.Answer.Verdict.Label()},
		Back: safeBack(back)}, err
}

func (s *Server) reviewRequestPage(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	id, err := pathID(r, "没有找到该联审任务")
	if err != nil {
		return err
	}
	v, err := s.requestView(r.Context(), db, id, r.URL.Query().Get("back"))
	if err != nil {
		return err
	}
	s.render(w, r, "review_request", http.StatusOK, v)
	return nil
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

// answerInput is a department's answer to one request. The page's form
// uploads its attachment and names the queue's page to go back to; the API
// names a stored file. A row's form on the queue's page says so (from=queue):
// refused, it comes back to that page rather than to the request's.
type answerInput struct {
	Request    int64           `json:"-" path:"id"`
	Verdict    vetting.Verdict `json:"verdict"`
	Conditions []string        `json:"conditions"`
	Note       string          `json:"note"`
	Attachment string          `json:"attachment"`
	Back       string          `json:"-"`
	FromQueue  bool            `json:"-"`
}

func (in *answerInput) readForm(v url.Values) error {
	in.Back, in.Attachment, in.FromQueue = safeBack(v.Get("back")), "", v.Get("from") == "queue"
	return nil
}

// answerRequest answers a request from the page's form, multipart with
// its attachment, or from the API.
func (s *Server) answerRequest(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	ctx := r.Context()
	var in answerInput
	err := decodeInput(r, &in)
	if files := formFiles(r, "attachment"); err == nil && !isAPI(r) && len(files) > 0 {
		var stored []assess.Attachment
		if stored, err = s.storeUploads(files[:1]); err == nil {
			in.Attachment = stored[0].SHA256
		}
	}
	var it store.QueueItem
	if err == nil && db.Department() == "" {
		err = errNoPermission
	}
	if err == nil {
		it, err = writeOne(ctx, db, func(tx *store.Tx) (store.QueueItem, error) {
			return tx.AnswerReview(ctx, in.Request, vetting.Answer{Verdict: in.Verdict, Conditions: in.Conditions, Note: in.Note,
				Attachment: in.Attachment})
		})
	}
	switch {
	case isAPI(r) && err == nil:
		writeJSON(w, http.StatusOK, toQueueJSON(it))
	case isAPI(r):
		return err
	case err != nil:
		return s.refused(w, r, db, err, func(ctx context.Context) (string, any, error) {
			if in.FromQueue { // the queue's page as it was, that row's form marked
				v, err := s.queueView(ctx, db, in.Back)
				return "review_queue", v, err
			}
			v, err := s.requestView(ctx, db, in.Request, in.Back)
			return "review_request", v, err
		})
	default:
		s.redirect(w, r, in.Back, "答复已提交。")
	}
	return nil
}

// formFiles are the files of a multipart form's field name.
func formFiles(r *http.Request, name string) []*multipart.FileHeader {
	if r.MultipartForm == nil {
		return nil
	}
	return r.MultipartForm.File[name]
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
	items, rowErrs, err := reviewxls.Read(bytes.NewReader(raw), d, vetting.DefaultCatalogue(), func(ids []int64) (map[int64]string, error) {
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
	o, st, err := s.outcome(r.Context(), db, n, err, rowErrs, "答复", func(w io.Writer) error { return reviewxls.Annotate(w, raw, rowErrs) })
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
