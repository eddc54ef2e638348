package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/huanjie/huanjie/internal/account"
	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/slate"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/vetting"
)

// Candidate assessment (考察) and the 预备人选 (issue 14, point 4): per
// community its assessment team and its 初步人选 with the stage of each;
// per person the steps (assessment, the party committee's decision, the
// higher level's approval, the notice and its objections) with a form for
// each step that may be taken now. The rules are slate's (assess.go).

// candidatesView is a community's page: its team and its persons.
type candidatesView struct {
	NoticeDays  int // the cycle's shortest notice, for the page's explanation
	Code, Name  string
	Team        store.CandidateTeam
	TeamRows    []store.CandidateTeamMember // the team's members and empty rows to add more
	Departments vetting.Departments
	Candidates  []store.Candidate
	CanEdit     bool
}

func (v candidatesView) Title() string { return v.Name + " · 人选考察" }

func candidatesURL(code string) string { return "/communities/" + url.PathEscape(code) + "/candidates" }
func candidateURL(id int64) string     { return "/candidates/" + strconv.FormatInt(id, 10) }

func (s *Server) candidatesView(ctx context.Context, db *store.Scoped, code string) (string, any, error) {
	cs, err := db.Seats(ctx, code) // the community's name, and NotFound outside the scope
	if err != nil {
		return "", nil, err
	}
	v := candidatesView{Code: cs.Code, Name: cs.Name, CanEdit: db.Can(account.EditSlate)}
	m, err := db.Margins(ctx)
	if err != nil {
		return "", nil, err
	}
	v.NoticeDays = m.NoticeDays
	if v.Team, err = db.CandidateTeam(ctx, code); err != nil {
		return "", nil, err
	}
	if v.Candidates, err = db.Candidates(ctx, code); err != nil {
		return "", nil, err
	}
	if v.CanEdit {
		if v.Departments, err = db.ReviewDepartments(ctx); err != nil {
			return "", nil, err
		}
		v.TeamRows = append(append(v.TeamRows, v.Team.Members...), make([]store.CandidateTeamMember, 3)...)
	}
	return "candidates", v, nil
}

func (s *Server) candidatesPage(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	name, v, err := s.candidatesView(r.Context(), db, r.PathValue("code"))
	if err != nil {
		return err
	}
	s.render(w, r, name, http.StatusOK, v)
	return nil
}

// candidateJSON is a person with their steps, as the API answers it.
type candidateJSON struct {
	ID         int64                    `json:"id"`
	Name       string                   `json:"name"`
	Community  string                   `json:"community"`
	Committee  string                   `json:"committee"`
	Post       string                   `json:"post"`
	Sex        string                   `json:"sex"`
	Age        int                      `json:"age"`
	Status     vetting.Status           `json:"status"`
	Eligible   bool                     `json:"eligible"`
	Stage      slate.Stage              `json:"stage"`
	StageLabel string                   `json:"stage_label"`
	Reason     string                   `json:"reason"`
	Assessment *candidateAssessmentJSON `json:"assessment"`
	Decision   *slate.Decision          `json:"decision"`
	Higher     *slate.Higher            `json:"higher"`
	Notice     *noticeJSON              `json:"notice"`
	Objections []slate.Objection        `json:"objections"`
}

type candidateAssessmentJSON struct {
	slate.Assessment
	GoodShare float64 `json:"good_share"` // of 优秀+称职, 0 to 1
}

type noticeJSON struct {
	slate.Notice
	Days int `json:"days"`
}

func toCandidateJSON(c store.Candidate) candidateJSON {
	j := candidateJSON{ID: c.ID, Name: c.Name, Community: c.OrgCode, Committee: string(c.Committee), Post: string(c.Post),
		Sex: c.Sex, Age: c.Age, Status: c.Status, Eligible: c.Record.Reason == "", Stage: c.Stage, StageLabel: c.Stage.Label(),
		Reason: c.Reason, Decision: c.Record.Decision, Higher: c.Record.Higher, Objections: c.Record.Objections}
	if a := c.Record.Assessment; a != nil {
		j.Assessment = &candidateAssessmentJSON{*a, a.Appraisal.GoodShare()}
	}
	if n := c.Record.Notice; n != nil {
		j.Notice = &noticeJSON{*n, n.Days()}
	}
	if j.Objections == nil {
		j.Objections = []slate.Objection{}
	}
	return j
}

func (s *Server) apiCandidates(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	_, v, err := s.candidatesView(r.Context(), db, r.PathValue("code"))
	if err != nil {
		return err
	}
	cv := v.(candidatesView)
	items := make([]candidateJSON, len(cv.Candidates))
	for i, c := range cv.Candidates {
		items[i] = toCandidateJSON(c)
	}
	writeJSON(w, http.StatusOK, map[string]any{"code": cv.Code, "name": cv.Name, "team": cv.Team, "items": items})
	return nil
}

// candidateView is one person's page: their steps and the forms of the
// steps that may be taken now.
type candidateView struct {
	NoticeDays int // the cycle's shortest notice
	store.Candidate
	Code, CommunityName string
	CanEdit, CanDecide  bool
	// The steps that may be taken now, each with why not when it may not.
	AssessOpen, DecideOpen, HigherOpen, NoticeOpen, ObjectOpen bool
	Blocked                                                    string
	// What the forms hold: the steps taken, zero for those not taken.
	A slate.Assessment
	D slate.Decision
	H slate.Higher
	N slate.Notice
}

func (v candidateView) Title() string { return v.Name + " · 人选考察" }

// Choices of the forms.
func (candidateView) Conclusions() []slate.Conclusion { return slate.Conclusions }
func (candidateView) Results() []slate.Result         { return slate.Results }

// Rejected reports whether the party committee decided against the person.
func (v candidateView) Rejected() bool {
	return v.Record.Decision != nil && !v.Record.Decision.Approved
}

func (s *Server) candidateView(ctx context.Context, db *store.Scoped, id int64) (string, any, error) {
	a, err := db.Aspirant(ctx, id)
	if err != nil {
		return "", nil, err
	}
	all, err := db.Candidates(ctx, a.OrgCode)
	if err != nil {
		return "", nil, err
	}
	v := candidateView{Code: a.OrgCode, CommunityName: a.OrgName, CanEdit: db.Can(account.EditSlate), CanDecide: db.Can(account.DecideSlate)}
	m, err := db.Margins(ctx)
	if err != nil {
		return "", nil, err
	}
	v.NoticeDays = m.NoticeDays
	found := false
	for _, c := range all {
		if c.ID == id {
			v.Candidate, found = c, true
		}
	}
	if !found {
		return "", nil, errs.New(errs.NotFound, "没有找到该参选人")
	}
	r := v.Record
	if r.Assessment != nil {
		v.A = *r.Assessment
	}
	if r.Decision != nil {
		v.D = *r.Decision
	}
	if r.Higher != nil {
		v.H = *r.Higher
	}
	if r.Notice != nil {
		v.N = *r.Notice
	}
	v.AssessOpen = v.CanEdit && r.CanAssess() == nil
	v.DecideOpen = v.CanDecide && r.CanDecide() == nil
	v.HigherOpen = v.CanEdit && r.CanApproveHigher(slate.Higher{Day: "9999-12-31"}) == nil
	v.NoticeOpen = v.CanEdit && r.Higher != nil && r.CanNotice(slate.Notice{Start: "9999-12-31"}) == nil
	v.ObjectOpen = v.CanEdit && r.CanObject() == nil && r.Reason == ""
	if r.Reason != "" {
		v.Blocked = r.Reason
	}
	return "candidate", v, nil
}

func (s *Server) candidatePage(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return errs.New(errs.NotFound, "没有找到该参选人")
	}
	name, v, err := s.candidateView(r.Context(), db, id)
	if err != nil {
		return err
	}
	s.render(w, r, name, http.StatusOK, v)
	return nil
}

func (s *Server) apiCandidate(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return errs.New(errs.NotFound, "没有找到该参选人")
	}
	_, v, err := s.candidateView(r.Context(), db, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toCandidateJSON(v.(candidateView).Candidate))
	return nil
}

// candidateTeamInput is a community's assessment team: the API's JSON; the
// page's rows members[N].name and members[N].department.
type candidateTeamInput struct {
	Community string             `json:"-" path:"code"`
	Leader    string             `json:"leader"`
	Members   []slate.TeamMember `json:"members"`
}

func (in *candidateTeamInput) readForm(v url.Values) error {
	in.Members = nil
	for i := 0; v.Has(fmt.Sprintf("members[%d].name", i)); i++ {
		in.Members = append(in.Members, slate.TeamMember{Name: v.Get(fmt.Sprintf("members[%d].name", i)),
			Department: v.Get(fmt.Sprintf("members[%d].department", i))})
	}
	return nil
}

func (s *Server) setCandidateTeam() handlerFunc {
	return act(s, action[candidateTeamInput]{
		run: func(ctx context.Context, db *store.Scoped, in candidateTeamInput) (any, error) {
			return writeOne(ctx, db, func(tx *store.Tx) (slate.Team, error) {
				return tx.SetCandidateTeam(ctx, in.Community, slate.Team{Leader: in.Leader, Members: in.Members})
			})
		},
		next:   func(in candidateTeamInput, _ any) string { return candidatesURL(in.Community) },
		notice: "考察组已保存。",
		page: func(ctx context.Context, db *store.Scoped, in candidateTeamInput) (string, any, error) {
			return s.candidatesView(ctx, db, in.Community)
		},
	})
}

// candidateStep is how the steps' handlers answer: the person as the API
// shows them after the step.
func (s *Server) candidateStep(ctx context.Context, db *store.Scoped, id int64, err error) (any, error) {
	if err != nil {
		return nil, err
	}
	_, v, err := s.candidateView(ctx, db, id)
	if err != nil {
		return nil, err
	}
	return toCandidateJSON(v.(candidateView).Candidate), nil
}

func candidatePageOf[In any](s *Server, id func(In) int64) func(ctx context.Context, db *store.Scoped, in In) (string, any, error) {
	return func(ctx context.Context, db *store.Scoped, in In) (string, any, error) {
		return s.candidateView(ctx, db, id(in))
	}
}

type candidateAssessmentInput struct {
	ID          int64            `json:"-" path:"id"`
	Talks       int              `json:"talks"`
	Talked      string           `json:"talked"`
	Excellent   int              `json:"excellent"`
	Competent   int              `json:"competent"`
	Basic       int              `json:"basic"`
	Incompetent int              `json:"incompetent"`
	Opinion     string           `json:"opinion"`
	Conclusion  slate.Conclusion `json:"conclusion"`
}

func (s *Server) assessCandidate() handlerFunc {
	return act(s, action[candidateAssessmentInput]{
		run: func(ctx context.Context, db *store.Scoped, in candidateAssessmentInput) (any, error) {
			a := slate.Assessment{Talks: in.Talks, Talked: in.Talked, Opinion: in.Opinion, Conclusion: in.Conclusion,
				Appraisal: slate.Appraisal{Excellent: in.Excellent, Competent: in.Competent, Basic: in.Basic, Incompetent: in.Incompetent}}
			_, err := writeOne(ctx, db, func(tx *store.Tx) (slate.Assessment, error) { return tx.AssessCandidate(ctx, in.ID, a) })
			return s.candidateStep(ctx, db, in.ID, err)
		},
		next:   func(in candidateAssessmentInput, _ any) string { return candidateURL(in.ID) },
		notice: "考察情况已保存。",
		page:   candidatePageOf(s, func(in candidateAssessmentInput) int64 { return in.ID }),
	})
}

type candidateDecisionInput struct {
	ID       int64      `json:"-" path:"id"`
	Approved *bool      `json:"approved"`
	Day      civil.Date `json:"day"`
	Note     string     `json:"note"`
}

func (s *Server) decideCandidate() handlerFunc {
	return act(s, action[candidateDecisionInput]{
		run: func(ctx context.Context, db *store.Scoped, in candidateDecisionInput) (any, error) {
			if in.Approved == nil {
				return nil, errs.OnField("approved", "请选择是否同意作为预备人选")
			}
			d := slate.Decision{Approved: *in.Approved, Day: in.Day, Note: in.Note}
			_, err := writeOne(ctx, db, func(tx *store.Tx) (slate.Decision, error) { return tx.DecideCandidate(ctx, in.ID, d) })
			return s.candidateStep(ctx, db, in.ID, err)
		},
		next:   func(in candidateDecisionInput, _ any) string { return candidateURL(in.ID) },
		notice: "党委研究意见已保存。",
		page:   candidatePageOf(s, func(in candidateDecisionInput) int64 { return in.ID }),
	})
}

type candidateHigherInput struct {
	ID       int64      `json:"-" path:"id"`
	Day      civil.Date `json:"day"`
	Document string     `json:"document"`
}

func (s *Server) approveCandidateHigher() handlerFunc {
	return act(s, action[candidateHigherInput]{
		run: func(ctx context.Context, db *store.Scoped, in candidateHigherInput) (any, error) {
			h := slate.Higher{Day: in.Day, Document: in.Document}
			_, err := writeOne(ctx, db, func(tx *store.Tx) (slate.Higher, error) { return tx.ApproveCandidateHigher(ctx, in.ID, h) })
			return s.candidateStep(ctx, db, in.ID, err)
		},
		next:   func(in candidateHigherInput, _ any) string { return candidateURL(in.ID) },
		notice: "上级审查意见已保存。",
		page:   candidatePageOf(s, func(in candidateHigherInput) int64 { return in.ID }),
	})
}

type candidateNoticeInput struct {
	ID    int64      `json:"-" path:"id"`
	Start civil.Date `json:"start"`
	End   civil.Date `json:"end"`
}

func (s *Server) noticeCandidate() handlerFunc {
	return act(s, action[candidateNoticeInput]{
		run: func(ctx context.Context, db *store.Scoped, in candidateNoticeInput) (any, error) {
			n := slate.Notice{Start: in.Start, End: in.End}
			_, err := writeOne(ctx, db, func(tx *store.Tx) (slate.Notice, error) { return tx.NoticeCandidate(ctx, in.ID, n) })
			return s.candidateStep(ctx, db, in.ID, err)
		},
		next:   func(in candidateNoticeInput, _ any) string { return candidateURL(in.ID) },
		notice: "公示期已保存。",
		page:   candidatePageOf(s, func(in candidateNoticeInput) int64 { return in.ID }),
	})
}

// objectionInput is a new objection; objectionEditInput one already
// recorded (its id in the path), with its handling and result.
type objectionInput struct {
	ID       int64        `json:"-" path:"id"`
	Day      civil.Date   `json:"day"`
	Content  string       `json:"content"`
	Handling string       `json:"handling"`
	Result   slate.Result `json:"result"`
}

type objectionEditInput struct {
	ID        int64        `json:"-" path:"id"`
	Objection int64        `json:"-" path:"objection"`
	Day       civil.Date   `json:"day"`
	Content   string       `json:"content"`
	Handling  string       `json:"handling"`
	Result    slate.Result `json:"result"`
}

func (s *Server) recordObjection(ctx context.Context, db *store.Scoped, id int64, o slate.Objection) (any, error) {
	if o.Result == "" {
		o.Result = slate.ResultPending
	}
	_, err := writeOne(ctx, db, func(tx *store.Tx) (slate.Objection, error) { return tx.RecordObjection(ctx, id, o) })
	return s.candidateStep(ctx, db, id, err)
}

func (s *Server) addObjection() handlerFunc {
	return act(s, action[objectionInput]{
		run: func(ctx context.Context, db *store.Scoped, in objectionInput) (any, error) {
			return s.recordObjection(ctx, db, in.ID, slate.Objection{Day: in.Day, Content: in.Content, Handling: in.Handling, Result: in.Result})
		},
		created: true,
		next:    func(in objectionInput, _ any) string { return candidateURL(in.ID) },
		notice:  "异议已登记。",
		page:    candidatePageOf(s, func(in objectionInput) int64 { return in.ID }),
	})
}

func (s *Server) editObjection() handlerFunc {
	return act(s, action[objectionEditInput]{
		run: func(ctx context.Context, db *store.Scoped, in objectionEditInput) (any, error) {
			return s.recordObjection(ctx, db, in.ID, slate.Objection{ID: in.Objection, Day: in.Day, Content: in.Content,
				Handling: in.Handling, Result: in.Result})
		},
		next:   func(in objectionEditInput, _ any) string { return candidateURL(in.ID) },
		notice: "异议处理情况已保存。",
		page:   candidatePageOf(s, func(in objectionEditInput) int64 { return in.ID }),
	})
}
