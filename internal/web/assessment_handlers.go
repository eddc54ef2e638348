package web

import (
	"context"
	"fmt"
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
	Form        assess.Assessment // prefilled from the latest
	Units       []string
	Today       civil.Date
	CanAssess   bool
	CanOverride bool
}

func (v assessmentView) Title() string { return v.Community.Name + " 研判" }

// Classes are the classes a community can be set to by hand.
func (assessmentView) Classes() []string { return []string{"A", "B", "C"} }

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
	s.render(w, r, "assessment", http.StatusOK, v)
	return nil
}

func assessmentURL(code string) string { return "/communities/" + url.PathEscape(code) + "/assessment" }

// assessmentInput is a new assessment as the API gives it.
type assessmentInput struct {
	AssessedOn civil.Date        `json:"assessed_on"`
	Assessors  []assess.Assessor `json:"assessors"`
	Findings   string            `json:"findings"`
	Scores     assess.Scores     `json:"scores"`
}

// readAssessment reads the page's assessment form, a multipart body: a
// field per indicator named by its code (a number, or a checkbox for a
// flag), assessors[N].unit and .name, and files in attachments.
func (s *Server) readAssessment(w http.ResponseWriter, r *http.Request, rubric assess.Rubric, a *assess.Assessment) error {
	if err := parseUpload(w, r); err != nil {
		return err
	}
	a.AssessedOn, a.Findings, a.Scores = formDate(r, "assessed_on"), r.PostForm.Get("findings"), assess.Scores{}
	for i := 0; i < 12; i++ {
		at := func(k string) string { return r.PostForm.Get(fmt.Sprintf("assessors[%d].%s", i, k)) }
		if unit, name := at("unit"), at("name"); unit != "" || name != "" {
			a.Assessors = append(a.Assessors, assess.Assessor{Unit: unit, Name: name})
		}
	}
	for _, ind := range rubric {
		raw := strings.TrimSpace(r.PostForm.Get(ind.Code))
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
		if err != nil {
			return errs.OnField(ind.Code, "“"+ind.Name+"”的得分须是整数")
		}
		a.Scores[ind.Code] = v
	}
	if r.MultipartForm == nil {
		return nil
	}
	var err error
	a.Attachments, err = s.storeUploads(r.MultipartForm.File["attachments"])
	return uploadField(err, "attachments")
}

// addAssessment records an assessment (JSON on the API, the page's form
// with its attachments otherwise) in one transaction, and reclassifies.
func (s *Server) addAssessment(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	ctx, code := r.Context(), r.PathValue("code")
	a := assess.Assessment{OrgCode: code}
	var v assessmentView // the page, read before the form: a community out of scope stores no file
	var err error
	if isAPI(r) {
		var in assessmentInput
		err = decodeJSON(r, &in)
		a.AssessedOn, a.Assessors, a.Findings, a.Scores = in.AssessedOn, in.Assessors, in.Findings, in.Scores
	} else if v, err = s.assessmentView(ctx, db, code); err == nil {
		err = s.readAssessment(w, r, v.Rubric, &a)
	}
	if err == nil {
		a, err = writeOne(ctx, db, func(tx *store.Tx) (assess.Assessment, error) {
			files := a.Attachments
			a, err := tx.AddAssessment(ctx, a)
			for i := 0; err == nil && i < len(files); i++ {
				var f assess.Attachment
				if f, err = tx.AddAttachment(ctx, a.ID, files[i]); err == nil {
					a.Attachments = append(a.Attachments, f)
				}
				err = uploadField(err, "attachments")
			}
			return a, err
		})
	}
	return s.endAction(w, r, db, err, http.StatusCreated, toAssessmentJSON(a), assessmentURL(code), "研判已保存,类别已按规则重新计算。",
		func(context.Context) (string, any, error) { return "assessment", v, nil })
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

// overrideInput sets a community's class by hand, with a reason, or
// (class "") back to the rules.
type overrideInput struct {
	Community string       `json:"-" path:"code"`
	Class     assess.Class `json:"class"`
	Reason    string       `json:"reason"`
}

func (s *Server) setOverride() handlerFunc {
	return act(s, action[overrideInput]{
		run: func(ctx context.Context, db *store.Scoped, in overrideInput) (any, error) {
			st, err := writeOne(ctx, db, func(tx *store.Tx) (assess.Standing, error) {
				return tx.SetOverride(ctx, in.Community, in.Class, in.Reason)
			})
			return map[string]any{"code": st.OrgCode, "class": st.Class(), "computed_class": st.Computed,
				"override": st.Override, "reason": st.OverrideReason, "warning": st.Class().Warning()}, err
		},
		next:   func(in overrideInput, _ any) string { return assessmentURL(in.Community) },
		notice: "类别已调整。",
		page: func(ctx context.Context, db *store.Scoped, in overrideInput) (string, any, error) {
			v, err := s.assessmentView(ctx, db, in.Community)
			return "assessment", v, err
		},
	})
}
