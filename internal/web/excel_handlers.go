package web

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"

	"github.com/huanjie/huanjie/internal/assess"
	"github.com/huanjie/huanjie/internal/assessxls"
	"github.com/huanjie/huanjie/internal/audit"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/xlsx"
)

// xlsxType is the media type of a workbook. An uploaded one is limited like
// any upload (checkInput, input.go: serve's --max-upload).
const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

func sendXLSX(w http.ResponseWriter, name string, write func(io.Writer) error) error {
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		return err
	}
	w.Header().Set("Content-Type", xlsxType)
	w.Header().Set("Content-Disposition", contentDisposition(name))
	w.Header().Set("Cache-Control", "no-store")
	_, err := w.Write(buf.Bytes())
	return err
}

// auditExport records that a user took data out of the system.
func (s *Server) auditExport(ctx context.Context, db *store.Scoped, act *audit.Action, rows int) error {
	u := db.User()
	return db.Write(ctx, func(tx *store.Tx) error {
		return tx.Audit(ctx, act, store.On("export", act.Code, u.ScopeCode), nil, audit.Fields{"rows": rows, "scope": u.ScopeCode})
	})
}

func (s *Server) assessTemplate(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	ctx := r.Context()
	rubric, err := db.AssessRubric(ctx)
	if err != nil {
		return err
	}
	list, err := db.CommunityClasses(ctx, store.CommunityFilter{})
	if err != nil {
		return err
	}
	rows := make([]assessxls.Community, len(list))
	for i, c := range list {
		rows[i] = assessxls.Community{Code: c.Code, Name: c.Name, District: c.DistrictName}
	}
	return sendXLSX(w, "研判表模板.xlsx", func(out io.Writer) error { return assessxls.WriteTemplate(out, rubric, rows) })
}

func (s *Server) classesExport(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	ctx := r.Context()
	rubric, err := db.AssessRubric(ctx)
	if err != nil {
		return err
	}
	rules, err := db.AssessRules(ctx)
	if err != nil {
		return err
	}
	list, err := db.CommunityClasses(ctx, store.CommunityFilter{WithScores: true})
	if err != nil {
		return err
	}
	assigned, err := db.AssignmentsIn(ctx)
	if err != nil {
		return err
	}
	owners := map[string][]string{}
	for _, a := range assigned {
		if a.Duty == org.CommunityLeader || a.Duty == org.CommunityCadre {
			owners[a.OrgCode] = append(owners[a.OrgCode], a.Name)
		}
	}
	rows := make([]assessxls.ClassRow, len(list))
	for i, c := range list {
		row := assessxls.ClassRow{Code: c.Code, Name: c.Name, District: c.DistrictName, Total: c.Total, Max: c.Max,
			Class: c.Standing.Class(), Computed: c.Standing.Computed, Warning: c.Standing.Class().Warning().Label(),
			Basis: c.Standing.Explanation, Plans: c.Plans, Owners: strings.Join(owners[c.Code], "、")}
		if c.Scores != nil {
			row.Dimensions = assess.Classify(rubric, rules, c.Scores).ByDimension
		}
		if c.Standing.Override != assess.Unassessed {
			row.Basis += " 人工调整为" + string(c.Standing.Override) + "类,理由:" + c.Standing.OverrideReason
		}
		rows[i] = row
	}
	if err := s.auditExport(ctx, db, audit.ExportClasses, len(rows)); err != nil {
		return err
	}
	return sendXLSX(w, "社区分类表.xlsx", func(out io.Writer) error { return assessxls.WriteClassTable(out, rows) })
}

// importOutcome is what an all-or-nothing Excel import tells its page.
type importOutcome struct {
	Applied   int
	Annotated string // token of the workbook annotated with the row errors, "" if none
	Error     string
}

// outcome turns an import's result into its page's message: applied n, or
// refused whole for err or for bad rows (then annotate, when it succeeds,
// gives a workbook marked with them to download), with the page's status.
// An internal or forbidden err is returned for the error page instead.
func (s *Server) outcome(ctx context.Context, db *store.Scoped, n int, err error, bad xlsx.Errors, nothing string, annotate func(io.Writer) error) (importOutcome, int, error) {
	o := importOutcome{Applied: n}
	switch {
	case err != nil && (errs.CodeOf(err) == errs.Internal || errs.CodeOf(err) == errs.Forbidden):
		return o, 0, err
	case err != nil:
		o.Error = errs.MessageOf(err)
	case bad.Total > 0:
		o.Error = "文件中有 " + itoaInt(bad.Total) + " 处错误,未导入任何" + nothing + "。请按下表修改后重新上传。"
		var buf bytes.Buffer
		if annotate(&buf) == nil {
			// Kept in the database, so that any of the office's servers
			// serves the download; without it the page's list still says
			// everything.
			token, err := s.st.KeepAnnotated(ctx, db.User().ID, buf.Bytes())
			if err != nil {
				s.log.Warn("keep annotated workbook", "err", err)
			}
			o.Annotated = token
		}
	}
	if o.Error != "" {
		return o, http.StatusUnprocessableEntity, nil
	}
	return o, http.StatusOK, nil
}

// annotatedDownload serves a workbook annotated by outcome under name, to
// the account that made the import only, and records the download: the
// workbook holds the rows it was given (for a department, ID numbers).
func (s *Server) annotatedDownload(name string) func(http.ResponseWriter, *http.Request, *store.Scoped) error {
	return func(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
		ctx := r.Context()
		b, ok, err := s.st.Annotated(ctx, db.User().ID, r.PathValue("token"))
		if err != nil {
			return err
		}
		if !ok {
			return errs.New(errs.NotFound, "标注文件已过期,请重新上传")
		}
		err = db.Write(ctx, func(tx *store.Tx) error {
			return tx.Audit(ctx, audit.ImportRefusal, store.On("import", name, db.User().ScopeCode), nil,
				audit.Fields{"file": name, "size": len(b)})
		})
		if err != nil {
			return err
		}
		return sendXLSX(w, name, func(out io.Writer) error { _, err := out.Write(b); return err })
	}
}

// importView is the assessment import page and its outcome.
type importView struct {
	importOutcome
	RowErrors []assessxls.RowError // at most xlsx.MaxListed
	Rest      string               // how many rows' errors are not listed, "" if none
}

// writeRowErrors answers an import refused for bad cells: the first
// xlsx.MaxListed of them, their total and how many rows' errors are not
// listed.
// apiImport answers an all-or-nothing register import's API twin: the
// rows applied, or every bad row (nothing applied); what names the rows.
func apiImport(read func(*http.Request, *store.Scoped) (int, xlsx.Errors, []byte, error), what func(*http.Request) string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
		n, rowErrs, _, err := read(r, db)
		if err != nil {
			return err
		}
		if rowErrs.Total > 0 {
			writeRowErrors(w, rowErrs, what(r))
			return nil
		}
		writeJSON(w, http.StatusOK, map[string]int{"applied": n})
		return nil
	}
}

func writeRowErrors(w http.ResponseWriter, e xlsx.Errors, nothing string) {
	rows := make([]map[string]any, len(e.List))
	for i, x := range e.List {
		rows[i] = map[string]any{"row": x.Row, "column": x.Column, "reason": x.Reason}
	}
	msg := "文件中有 " + itoaInt(e.Total) + " 处错误,未导入任何" + nothing
	if rest := e.Rest(); rest != "" {
		msg += ";下列为前 " + itoaInt(len(e.List)) + " 处," + rest
	}
	writeJSON(w, http.StatusUnprocessableEntity, map[string]any{
		"error":     apiError{Code: errs.Unprocessable, Message: msg},
		"rows":      rows,
		"total":     e.Total,
		"more_rows": e.MoreRows})
}

// importAssessments reads an uploaded workbook and, when every row is good,
// applies all of it in one transaction. With any bad cell it applies
// nothing and returns every bad cell.
func (s *Server) importAssessments(r *http.Request, db *store.Scoped) (int, xlsx.Errors, []byte, error) {
	ctx := r.Context()
	file, _, err := r.FormFile("file") // within the upload limit: checkInput (input.go)
	if err != nil {
		return 0, xlsx.Errors{}, nil, errs.Wrap(err, errs.Unprocessable, "请选择 Excel 文件(.xlsx)")
	}
	defer file.Close()
	raw, err := io.ReadAll(file)
	if err != nil {
		return 0, xlsx.Errors{}, nil, errs.Wrap(err, errs.Unprocessable, "文件读取失败")
	}
	rubric, err := db.AssessRubric(ctx)
	if err != nil {
		return 0, xlsx.Errors{}, nil, err
	}
	list, err := db.CommunityClasses(ctx, store.CommunityFilter{})
	if err != nil {
		return 0, xlsx.Errors{}, nil, err
	}
	known := make(map[string]bool, len(list))
	for _, c := range list {
		known[c.Code] = true
	}
	items, rowErrs, err := assessxls.Read(bytes.NewReader(raw), rubric, known, s.st.Today())
	if err != nil || rowErrs.Total > 0 {
		return 0, rowErrs, raw, err
	}
	if len(items) == 0 {
		return 0, xlsx.Errors{}, nil, errs.New(errs.Unprocessable, "文件中没有填写任何研判数据")
	}
	err = db.Write(ctx, func(tx *store.Tx) error {
		return tx.ImportAssessments(ctx, items, nil)
	})
	return len(items), xlsx.Errors{}, nil, err
}

func (s *Server) importPage(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	s.render(w, r, "import", http.StatusOK, importView{})
	return nil
}

func (s *Server) importForm(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	n, rowErrs, raw, err := s.importAssessments(r, db)
	o, st, err := s.outcome(r.Context(), db, n, err, rowErrs, "数据", func(w io.Writer) error { return assessxls.Annotate(w, raw, rowErrs) })
	if err != nil {
		return err
	}
	s.render(w, r, "import", st, importView{importOutcome: o, RowErrors: rowErrs.List, Rest: rowErrs.Rest()})
	return nil
}

func (s *Server) apiImport(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	n, rowErrs, _, err := s.importAssessments(r, db)
	if err != nil {
		return err
	}
	if rowErrs.Total > 0 {
		writeRowErrors(w, rowErrs, "数据")
		return nil
	}
	writeJSON(w, http.StatusOK, map[string]int{"applied": n})
	return nil
}
