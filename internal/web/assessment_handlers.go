package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/huanjie/huanjie/internal/account"
	"github.com/huanjie/huanjie/internal/assess"
	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/store"
)

// assessmentView is a community's assessment page: its standing with the
// explanation, the form for a new assessment, the override form and the
// history.
type assessmentView struct {
	Community   store.CommunityClass
	Rubric      assess.Rubric
	Dimensions  []assess.Dimension
	Latest      *assess.Assessment
	Result      assess.Result // of the latest, under today's rules
	History     []assess.Assessment
	Form        assess.Assessment // prefilled from the latest, or what was posted
	Units       []string
	Today       civil.Date
	CanAssess   bool
	CanOverride bool
	Error       string
	ErrorField  string
	Message     string
}

func (v assessmentView) Title() string { return v.Community.Name + " 研判" }

// community returns the current cycle and a community in scope with its standing.
func (s *Server) community(ctx context.Context, db *store.Scoped, code string) (org.Cycle, store.CommunityClass, error) {
	cycle, err := db.Cycle(ctx)
	if err != nil {
		return cycle, store.CommunityClass{}, err
	}
	list, err := db.CommunityClasses(ctx, store.CommunityFilter{Code: code})
	if err != nil {
		return cycle, store.CommunityClass{}, err
	}
	if len(list) == 0 {
		return cycle, store.CommunityClass{}, errs.New(errs.NotFound, "没有找到该社区")
	}
	return cycle, list[0], nil
}

func (s *Server) assessmentView(ctx context.Context, db *store.Scoped, code string) (assessmentView, error) {
	u := db.User()
	_, c, err := s.community(ctx, db, code)
	if err != nil {
		return assessmentView{}, err
	}
	v := assessmentView{Community: c, Dimensions: assess.Dimensions, Units: assess.AssessorUnits,
		Today: s.st.Today(), CanAssess: u.Can(account.Assess), CanOverride: u.Can(account.OverrideClass)}
	if v.Rubric, err = db.AssessRubric(ctx); err != nil {
		return v, err
	}
	rules, err := db.AssessRules(ctx)
	if err != nil {
		return v, err
	}
	if v.History, err = db.Assessments(ctx, code); err != nil {
		return v, err
	}
	ids := make([]int64, len(v.History))
	for i, a := range v.History {
		ids[i] = a.ID
	}
	files, err := db.AttachmentsOf(ctx, ids)
	if err != nil {
		return v, err
	}
	for i := range v.History {
		v.History[i].Attachments = files[v.History[i].ID]
	}
	v.Form = assess.Assessment{OrgCode: code, AssessedOn: v.Today, Scores: assess.Scores{}}
	if len(v.History) > 0 {
		v.Latest = &v.History[0]
		v.Result = assess.Classify(v.Rubric, rules, v.Latest.Scores)
		v.Form.Scores, v.Form.Assessors = v.Latest.Scores, v.Latest.Assessors
	}
	for len(v.Form.Assessors) < 6 {
		v.Form.Assessors = append(v.Form.Assessors, assess.Assessor{})
	}
	return v, nil
}

func (s *Server) assessmentPage(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	v, err := s.assessmentView(r.Context(), db, r.PathValue("code"))
	if err != nil {
		return err
	}
	if r.URL.Query().Get("saved") == "1" {
		v.Message = "研判已保存,类别已按规则重新计算。"
	}
	s.render(w, r, "assessment", http.StatusOK, v)
	return nil
}

// addAssessment records an assessment with its attachments (already in the
// file store) in one transaction.
func (s *Server) addAssessment(ctx context.Context, db *store.Scoped, a assess.Assessment) (assess.Assessment, error) {
	files := a.Attachments
	err := db.Write(ctx, func(tx *store.Tx) error {
		var err error
		if a, err = tx.AddAssessment(ctx, a); err != nil {
			return err
		}
		for _, f := range files {
			f, err := tx.AddAttachment(ctx, a.ID, f)
			if err != nil {
				return err
			}
			a.Attachments = append(a.Attachments, f)
		}
		return nil
	})
	return a, err
}

// assessmentFromForm reads the assessment form: s_<code> per indicator
// (a number, or a checkbox for flags), unit_N and name_N per assessor.
func assessmentFromForm(r *http.Request, rubric assess.Rubric) (assess.Assessment, error) {
	if err := r.ParseForm(); err != nil {
		return assess.Assessment{}, errs.Wrap(err, errs.Invalid, "表单无法解析")
	}
	a := assess.Assessment{OrgCode: r.PathValue("code"), AssessedOn: formDate(r, "assessed_on"),
		Findings: r.PostForm.Get("findings"), Scores: assess.Scores{}}
	for i := 0; i < 12; i++ {
		n := strconv.Itoa(i)
		if unit, name := r.PostForm.Get("unit_"+n), r.PostForm.Get("name_"+n); unit != "" || name != "" {
			a.Assessors = append(a.Assessors, assess.Assessor{Unit: unit, Name: name})
		}
	}
	var bad error
	for _, ind := range rubric {
		raw := strings.TrimSpace(r.PostForm.Get("s_" + ind.Code))
		if ind.Kind == assess.Flag {
			a.Scores[ind.Code] = 0
			if raw == "1" {
				a.Scores[ind.Code] = 1
			}
			continue
		}
		if raw == "" {
			continue // Check reports it
		}
		v, err := strconv.Atoi(raw)
		if err != nil && bad == nil {
			bad = errs.OnField(ind.Code, "“"+ind.Name+"”的得分须是整数")
		}
		a.Scores[ind.Code] = v
	}
	return a, bad
}

func (s *Server) assessmentForm(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	ctx := r.Context()
	code := r.PathValue("code")
	v, err := s.assessmentView(ctx, db, code)
	if err != nil {
		return err
	}
	var a assess.Assessment
	err = parseUpload(w, r)
	if err == nil {
		a, err = assessmentFromForm(r, v.Rubric)
	}
	if err == nil && r.MultipartForm != nil {
		a.Attachments, err = s.storeUploads(r.MultipartForm.File["attachments"])
	}
	if err == nil {
		a, err = s.addAssessment(ctx, db, a)
	}
	if err != nil {
		if errs.CodeOf(err) == errs.Internal {
			return err
		}
		v.Form, v.Error, v.ErrorField = a, errs.MessageOf(err), errs.FieldOf(err)
		for len(v.Form.Assessors) < 6 {
			v.Form.Assessors = append(v.Form.Assessors, assess.Assessor{})
		}
		s.render(w, r, "assessment", status(errs.CodeOf(err)), v)
		return nil
	}
	http.Redirect(w, r, "/communities/"+url.PathEscape(code)+"/assessment?saved=1", http.StatusSeeOther)
	return nil
}

type assessmentJSON struct {
	ID          int64             `json:"id"`
	AssessedOn  civil.Date        `json:"assessed_on"`
	Assessors   []assess.Assessor `json:"assessors"`
	Findings    string            `json:"findings"`
	Scores      assess.Scores     `json:"scores"`
	Total       int               `json:"total"`
	Max         int               `json:"max"`
	Class       assess.Class      `json:"class"`
	Explanation string            `json:"explanation"`
	CreatedBy   string            `json:"created_by"`
}

func toAssessmentJSON(a assess.Assessment) assessmentJSON {
	return assessmentJSON{a.ID, a.AssessedOn, a.Assessors, a.Findings, a.Scores, a.Result.Total, a.Result.Max,
		a.Result.Class, a.Result.Explanation, a.CreatedBy}
}

func (s *Server) apiAssessment(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	v, err := s.assessmentView(r.Context(), db, r.PathValue("code"))
	if err != nil {
		return err
	}
	history := make([]assessmentJSON, len(v.History))
	for i, a := range v.History {
		history[i] = toAssessmentJSON(a)
	}
	writeJSON(w, http.StatusOK, map[string]any{"community": toCommunityJSON(v.Community), "history": history})
	return nil
}

func (s *Server) apiAddAssessment(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	var in struct {
		AssessedOn civil.Date        `json:"assessed_on"`
		Assessors  []assess.Assessor `json:"assessors"`
		Findings   string            `json:"findings"`
		Scores     assess.Scores     `json:"scores"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	a, err := s.addAssessment(r.Context(), db, assess.Assessment{OrgCode: r.PathValue("code"), AssessedOn: in.AssessedOn,
		Assessors: in.Assessors, Findings: in.Findings, Scores: in.Scores})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, toAssessmentJSON(a))
	return nil
}

func (s *Server) setOverride(ctx context.Context, db *store.Scoped, code string, class assess.Class, reason string) (assess.Standing, error) {
	return writeOne(ctx, db, func(tx *store.Tx) (assess.Standing, error) { return tx.SetOverride(ctx, code, class, reason) })
}

func (s *Server) overrideForm(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	code := r.PathValue("code")
	_, err := s.setOverride(r.Context(), db, code, assess.Class(r.PostFormValue("class")), r.PostFormValue("reason"))
	if err != nil {
		if errs.CodeOf(err) == errs.Internal {
			return err
		}
		v, verr := s.assessmentView(r.Context(), db, code)
		if verr != nil {
			return verr
		}
		v.Error, v.ErrorField = errs.MessageOf(err), errs.FieldOf(err)
		s.render(w, r, "assessment", status(errs.CodeOf(err)), v)
		return nil
	}
	http.Redirect(w, r, "/communities/"+url.PathEscape(code)+"/assessment", http.StatusSeeOther)
	return nil
}

func (s *Server) apiOverride(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	var in struct {
		Class  assess.Class `json:"class"`
		Reason string       `json:"reason"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	st, err := s.setOverride(r.Context(), db, r.PathValue("code"), in.Class, in.Reason)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"code": st.OrgCode, "class": st.Class(), "computed_class": st.Computed,
		"override": st.Override, "reason": st.OverrideReason, "warning": st.Class().Warning()})
	return nil
}
