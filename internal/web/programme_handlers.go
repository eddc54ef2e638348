package web

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strconv"

	"github.com/huanjie/huanjie/internal/account"
	"github.com/huanjie/huanjie/internal/archive"
	"github.com/huanjie/huanjie/internal/audit"
	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/programme"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/xlsx"
)

// A community's five-year programme (5年施政纲领, issue 16 point 6): its
// page (the proposals of 问计于民 with their dispositions, the goals with
// measures and yearly milestones, the adoption, progress over the term),
// the document to print on A4 with its signature and seal block, the
// workbook, and their JSON twins.

const proposalPageSize = 50

// programmeView is the programme's page, and its print.
type programmeView struct {
	Code, Name string
	Exists     bool
	P          programme.Programme
	Proposals  store.ProposalPage
	Pager      pager
	Years      []programme.YearProgress
	Total      programme.YearProgress
	// Blocked is why the programme cannot be adopted yet, "" when it can.
	Blocked string
	// Files are the community's archive, one of which may hold the
	// resolution (the adoption form's choice).
	Files   []archive.File
	Today   civil.Date
	CanEdit bool
	// The term and title a new programme gets by default.
	DefaultStart, DefaultEnd int
	DefaultTitle             string
}

func (v programmeView) Title() string { return v.Name + " · 五年施政纲领" }

// Areas, Outcomes, States: the forms' choices.
func (programmeView) Areas() []programme.Area       { return programme.Areas }
func (programmeView) Outcomes() []programme.Outcome { return programme.Outcomes }
func (programmeView) States() []programme.State     { return programme.States }

// Draft reports whether the programme may still change.
func (v programmeView) Draft() bool { return v.P.Status != programme.Adopted }

// Disposed counts the proposals of the page by outcome.
func (v programmeView) Disposed(o string) int {
	n := 0
	for _, p := range v.Proposals.Proposals {
		if p.Disposition != nil && p.Disposition.Outcome == programme.Outcome(o) {
			n++
		}
	}
	return n
}

// OutcomeOf, GoalOf and NoteOf are a proposal's disposition as its form
// holds it: "" and 0 for one not disposed.
func (programmeView) OutcomeOf(p programme.Proposal) string {
	if p.Disposition == nil {
		return ""
	}
	return string(p.Disposition.Outcome)
}

func (programmeView) GoalOf(p programme.Proposal) int64 {
	if p.Disposition == nil {
		return 0
	}
	return p.Disposition.Goal
}

func (programmeView) NoteOf(p programme.Proposal) string {
	if p.Disposition == nil {
		return ""
	}
	return p.Disposition.Note
}

func programmeURL(code string) string { return "/communities/" + url.PathEscape(code) + "/programme" }

// programmeView reads the programme of community code and proposals limit
// from offset (all with limit 0).
func (s *Server) programmeView(ctx context.Context, db *store.Scoped, code string, limit, offset int) (programmeView, error) {
	v := programmeView{Code: code, Today: s.st.Today(), CanEdit: db.Can(account.EditProgramme)}
	cd, err := db.CommunityDays(ctx, code)
	if err != nil {
		return v, err
	}
	v.Name = cd.Name
	v.DefaultStart, v.DefaultEnd = programme.DefaultTerm(programme.YearOf(cd.Days.Residents))
	v.DefaultTitle = programme.DefaultTitle(cd.Name, v.DefaultStart, v.DefaultEnd)
	if v.P, v.Exists, err = db.Programme(ctx, code); err != nil {
		return v, err
	}
	if v.Proposals, err = db.ProgrammeProposals(ctx, code, limit, offset); err != nil {
		return v, err
	}
	if !v.Exists {
		return v, nil
	}
	v.Years, v.Total = v.P.Progress(v.Today)
	if v.Draft() {
		if err := v.P.Adoptable(v.Proposals.Pending); err != nil {
			v.Blocked = errs.MessageOf(err)
		}
		if v.CanEdit {
			if v.Files, err = db.ArchiveFiles(ctx, code); err != nil {
				return v, err
			}
		}
	}
	return v, nil
}

func (s *Server) programmePage(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	page := pageParam(r)
	v, err := s.programmeView(r.Context(), db, r.PathValue("code"), proposalPageSize, (page-1)*proposalPageSize)
	if err != nil {
		return err
	}
	v.Pager = newPager(page, v.Proposals.Total, proposalPageSize).Of(url.Values{}, "条建议")
	s.render(w, r, "programme", http.StatusOK, v)
	return nil
}

// programmeAgain is the page a refused form of it comes back to.
func (s *Server) programmeAgain(ctx context.Context, db *store.Scoped, code string) (string, any, error) {
	v, err := s.programmeView(ctx, db, code, proposalPageSize, 0)
	v.Pager = newPager(1, v.Proposals.Total, proposalPageSize).Of(url.Values{}, "条建议")
	v.Pager.Path = programmeURL(code)
	return "programme", v, err
}

// programmePrint is the programme as a document on A4, every proposal
// listed, with its signature and seal block.
func (s *Server) programmePrint(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	v, err := s.programmeView(r.Context(), db, r.PathValue("code"), 0, 0)
	if err != nil {
		return err
	}
	if !v.Exists {
		return errs.New(errs.NotFound, "本社区尚未建立五年施政纲领")
	}
	s.render(w, r, "programme_print", http.StatusOK, v)
	return nil
}

// programmeJSON is the page's JSON twin.
type programmeJSON struct {
	Exists    bool                     `json:"exists"`
	Programme programme.Programme      `json:"programme"`
	Progress  []programme.YearProgress `json:"progress"`
	Total     programme.YearProgress   `json:"progress_total"`
	Blocked   string                   `json:"adoption_blocked"` // why it cannot be adopted yet, "" when it can or is
	Proposals store.ProposalPage       `json:"proposals"`
}

// apiProgramme answers GET /api/v1/communities/{code}/programme?limit=&offset=
// (the offset and limit of its proposals).
func (s *Server) apiProgramme(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	limit, offset, err := apiPage(r.URL.Query())
	if err != nil {
		return err
	}
	v, err := s.programmeView(r.Context(), db, r.PathValue("code"), limit, offset)
	if err != nil {
		return err
	}
	out := programmeJSON{Exists: v.Exists, Programme: v.P, Progress: v.Years, Total: v.Total, Blocked: v.Blocked, Proposals: v.Proposals}
	if out.Progress == nil {
		out.Progress = []programme.YearProgress{}
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// programmeAction is an action of the programme's page, answered by the
// programme's page (at anchor) when it succeeds and when it is refused.
func programmeAction[In any](s *Server, code func(In) string, anchor func(In, any) string, notice string, created bool,
	run func(ctx context.Context, tx *store.Tx, in In) (any, error)) handlerFunc {
	return act(s, action[In]{
		run: func(ctx context.Context, db *store.Scoped, in In) (any, error) {
			return writeOne(ctx, db, func(tx *store.Tx) (any, error) { return run(ctx, tx, in) })
		},
		created: created,
		next:    func(in In, out any) string { return programmeURL(code(in)) + anchor(in, out) },
		notice:  notice,
		page: func(ctx context.Context, db *store.Scoped, in In) (string, any, error) {
			return s.programmeAgain(ctx, db, code(in))
		},
	})
}

type programmeInput struct {
	Community string `json:"-" path:"code"`
	Title     string `json:"title"`
	StartYear int    `json:"start_year"`
	EndYear   int    `json:"end_year"`
}

func (s *Server) saveProgramme() handlerFunc {
	return programmeAction(s, func(in programmeInput) string { return in.Community }, func(programmeInput, any) string { return "" },
		"施政纲领已保存。", false, func(ctx context.Context, tx *store.Tx, in programmeInput) (any, error) {
			return tx.SaveProgramme(ctx, in.Community, programme.Programme{Title: in.Title, StartYear: in.StartYear, EndYear: in.EndYear})
		})
}

// addGoalInput is a new goal; Seq, when given, its place.
type addGoalInput struct {
	Community string         `json:"-" path:"code"`
	Seq       int            `json:"seq"`
	Title     string         `json:"title"`
	Area      programme.Area `json:"area"`
	Measures  string         `json:"measures"`
}

func goalAnchor(out any) string {
	if g, ok := out.(programme.Goal); ok {
		return "#goal-" + strconv.FormatInt(g.ID, 10)
	}
	return "#goals"
}

func (s *Server) addGoal() handlerFunc {
	return programmeAction(s, func(in addGoalInput) string { return in.Community }, func(_ addGoalInput, out any) string { return goalAnchor(out) },
		"目标已增加。", true, func(ctx context.Context, tx *store.Tx, in addGoalInput) (any, error) {
			return tx.AddGoal(ctx, in.Community, programme.Goal{Seq: in.Seq, Title: in.Title, Area: in.Area, Measures: in.Measures})
		})
}

// goalInput is a goal changed; Seq 0 keeps its place.
type goalInput struct {
	Community string         `json:"-" path:"code"`
	ID        int64          `json:"-" path:"id"`
	Seq       int            `json:"seq"`
	Title     string         `json:"title"`
	Area      programme.Area `json:"area"`
	Measures  string         `json:"measures"`
}

func (s *Server) editGoal() handlerFunc {
	return programmeAction(s, func(in goalInput) string { return in.Community }, func(_ goalInput, out any) string { return goalAnchor(out) },
		"目标已修改。", false, func(ctx context.Context, tx *store.Tx, in goalInput) (any, error) {
			return tx.EditGoal(ctx, in.Community, in.ID, programme.Goal{Seq: in.Seq, Title: in.Title, Area: in.Area, Measures: in.Measures})
		})
}

// goalRef names a goal of the path.
type goalRef struct {
	Community string `json:"-" path:"code"`
	ID        int64  `json:"-" path:"id"`
}

func (s *Server) removeGoal() handlerFunc {
	return programmeAction(s, func(in goalRef) string { return in.Community }, func(goalRef, any) string { return "#goals" },
		"目标已删除。", false, func(ctx context.Context, tx *store.Tx, in goalRef) (any, error) {
			return map[string]int64{"removed": in.ID}, tx.RemoveGoal(ctx, in.Community, in.ID)
		})
}

// milestoneInput is a goal's milestone of a year; an empty text removes it.
type milestoneInput struct {
	Community string `json:"-" path:"code"`
	Goal      int64  `json:"-" path:"id"`
	Year      int    `json:"year"`
	Text      string `json:"text"`
}

func (s *Server) setMilestone() handlerFunc {
	return programmeAction(s, func(in milestoneInput) string { return in.Community },
		func(in milestoneInput, _ any) string { return "#goal-" + strconv.FormatInt(in.Goal, 10) },
		"里程碑已保存。", false, func(ctx context.Context, tx *store.Tx, in milestoneInput) (any, error) {
			return tx.SetMilestone(ctx, in.Community, in.Goal, programme.Milestone{Year: in.Year, Text: in.Text})
		})
}

// dispositionInput is what became of the proposal of visit ID.
type dispositionInput struct {
	Community string            `json:"-" path:"code"`
	Visit     int64             `json:"-" path:"id"`
	Outcome   programme.Outcome `json:"outcome"`
	Goal      int64             `json:"goal_id"`
	Note      string            `json:"note"`
}

func (s *Server) disposeProposal() handlerFunc {
	return programmeAction(s, func(in dispositionInput) string { return in.Community },
		func(in dispositionInput, _ any) string { return "#proposals" },
		"建议的处理已保存。", false, func(ctx context.Context, tx *store.Tx, in dispositionInput) (any, error) {
			return tx.DisposeProposal(ctx, in.Community, in.Visit, programme.Disposition{Outcome: in.Outcome, Goal: in.Goal, Note: in.Note})
		})
}

type adoptionInput struct {
	Community string     `json:"-" path:"code"`
	On        civil.Date `json:"adopted_on"`
	Meeting   string     `json:"meeting"`
	Document  string     `json:"document"`
	File      int64      `json:"archive_file_id"`
}

func (s *Server) adoptProgramme() handlerFunc {
	return programmeAction(s, func(in adoptionInput) string { return in.Community }, func(adoptionInput, any) string { return "#adoption" },
		"已登记居民代表会议通过本纲领。", false, func(ctx context.Context, tx *store.Tx, in adoptionInput) (any, error) {
			return tx.AdoptProgramme(ctx, in.Community, programme.Adoption{On: in.On, Meeting: in.Meeting, Document: in.Document, File: in.File})
		})
}

// progressInput is a milestone's progress reported.
type progressInput struct {
	Community string          `json:"-" path:"code"`
	Milestone int64           `json:"-" path:"id"`
	State     programme.State `json:"state"`
	Note      string          `json:"note"`
}

func (s *Server) reportProgress() handlerFunc {
	return programmeAction(s, func(in progressInput) string { return in.Community },
		func(in progressInput, _ any) string { return "#milestone-" + strconv.FormatInt(in.Milestone, 10) },
		"进展已报告。", false, func(ctx context.Context, tx *store.Tx, in progressInput) (any, error) {
			return tx.ReportMilestone(ctx, in.Community, in.Milestone, programme.Report{State: in.State, Note: in.Note})
		})
}

// The programme's workbook: goals with their measures and milestones (one
// row a milestone, a goal without any on a row of its own), every proposal
// with what became of it, and progress by year.

var (
	programmeGoalColumns = []xlsx.Column{{Head: "序号", Width: 6}, {Head: "领域", Width: 10}, {Head: "目标", Width: 24, Wrap: true},
		{Head: "措施", Width: 40, Wrap: true}, {Head: "年度", Width: 8}, {Head: "里程碑", Width: 36, Wrap: true}, {Head: "进展", Width: 10},
		{Head: "进展说明", Width: 30, Wrap: true}, {Head: "报告日期", Width: 12}}
	programmeProposalColumns = []xlsx.Column{{Head: "走访日期", Width: 12}, {Head: "走访对象", Width: 18}, {Head: "走访人", Width: 16},
		{Head: "建议", Width: 40, Wrap: true}, {Head: "处理", Width: 10}, {Head: "纳入目标", Width: 24, Wrap: true},
		{Head: "说明或理由", Width: 36, Wrap: true}, {Head: "处理日期", Width: 12}}
	programmeProgressColumns = []xlsx.Column{{Head: "年度", Width: 10}, {Head: "里程碑", Width: 10}, {Head: "已完成", Width: 10},
		{Head: "推进中", Width: 10}, {Head: "未开始", Width: 10}, {Head: "滞后", Width: 10}, {Head: "逾期未完成", Width: 12}}
)

type goalRow struct {
	g programme.Goal
	m *programme.Milestone
}

func writeProgramme(out io.Writer, v programmeView) error {
	var rows []goalRow
	for _, g := range v.P.Goals {
		if len(g.Milestones) == 0 {
			rows = append(rows, goalRow{g: g})
		}
		for i := range g.Milestones {
			rows = append(rows, goalRow{g: g, m: &g.Milestones[i]})
		}
	}
	proposals := v.Proposals.Proposals
	progress := append(append([]programme.YearProgress{}, v.Years...), v.Total)
	return xlsx.Tables(out,
		xlsx.TableSheet{Name: "目标与里程碑", Cols: programmeGoalColumns, N: len(rows), Row: func(i int) []any {
			r := rows[i]
			cells := []any{r.g.Seq, r.g.Area.Label(), r.g.Title, r.g.Measures}
			if r.m != nil {
				cells = append(cells, r.m.Year, r.m.Text, r.m.State.Label(), r.m.Note)
				if r.m.ReportedOn != "" {
					cells = append(cells, r.m.ReportedOn)
				}
			}
			return cells
		}},
		xlsx.TableSheet{Name: "建议处理情况", Cols: programmeProposalColumns, N: len(proposals), Row: func(i int) []any {
			p := proposals[i]
			visitors := ""
			for j, n := range p.Visitors {
				if j > 0 {
					visitors += "、"
				}
				visitors += n
			}
			cells := []any{p.Day, p.Target, visitors, p.Text}
			if d := p.Disposition; d != nil {
				cells = append(cells, d.Outcome.Label(), d.GoalTitle, d.Note, d.DecidedOn)
			} else {
				cells = append(cells, "未处理")
			}
			return cells
		}},
		xlsx.TableSheet{Name: "年度进展", Cols: programmeProgressColumns, N: len(progress), Row: func(i int) []any {
			y := progress[i]
			year := any(y.Year)
			if i == len(progress)-1 {
				year = "合计"
			}
			return []any{year, y.Milestones, y.Done, y.Underway, y.NotStarted, y.Late, y.Overdue}
		}},
	)
}

// programmeExport is the programme's workbook. Audited.
func (s *Server) programmeExport(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	ctx := r.Context()
	v, err := s.programmeView(ctx, db, r.PathValue("code"), 0, 0)
	if err != nil {
		return err
	}
	if !v.Exists {
		return errs.New(errs.NotFound, "本社区尚未建立五年施政纲领")
	}
	if err := s.auditExport(ctx, db, audit.ExportProgramme, len(v.P.Goals)); err != nil {
		return err
	}
	return sendXLSX(w, v.Name+"五年施政纲领.xlsx", func(out io.Writer) error { return writeProgramme(out, v) })
}
