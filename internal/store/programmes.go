package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"

	"github.com/huanjie/huanjie/internal/audit"
	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/programme"
	"github.com/huanjie/huanjie/internal/visit"
)

// The five-year programmes (issue 16, point 6; migration 00034). The rules
// are programme's; here a community's programme, its goals, milestones and
// the dispositions of its proposals are read and written in the cycle,
// within scope, audited, and kept as protected records. The proposals are
// the community's visits of the round after the election whose proposals
// are not empty, one proposal a visit. Every write first locks the
// programme's row, so that on PostgreSQL an adoption and an edit of the
// same programme cannot pass each other: the adoption sees every proposal
// and goal as they are when it commits.

// ProposalPage is a page of a community's proposals for its programme,
// those still without a disposition first.
type ProposalPage struct {
	Proposals []programme.Proposal `json:"proposals"`
	Total     int                  `json:"total"`
	Pending   int                  `json:"pending"` // without a disposition
}

var errNoProgramme = errs.New(errs.NotFound, "本社区尚未建立五年施政纲领,请先建立")

// loadProgramme reads the programme of the community orgID (code) in the
// cycle through db, with its goals in order and their milestones by year;
// false when the community has none.
func loadProgramme(ctx context.Context, db querier, cycleID, orgID int64, code string) (programme.Programme, bool, error) {
	p := programme.Programme{Community: code, Goals: []programme.Goal{}}
	err := db.QueryRowContext(ctx, `SELECT p.id, p.title, p.start_year, p.end_year, p.status, p.adopted_on, p.meeting, p.document,
		p.archive_file_id, p.adopted_by, p.created_by, COALESCE(f.name, ''), COALESCE(f.sha256, '')
		FROM programmes p LEFT JOIN archive_files f ON f.id = p.archive_file_id AND p.archive_file_id > 0
		WHERE p.cycle_id = $1 AND p.org_id = $2`, cycleID, orgID).Scan(&p.ID, &p.Title, &p.StartYear, &p.EndYear, &p.Status,
		&p.Adoption.On, &p.Adoption.Meeting, &p.Adoption.Document, &p.Adoption.File, &p.Adoption.By, &p.CreatedBy,
		&p.Adoption.FileName, &p.Adoption.FileSHA256)
	if errors.Is(err, sql.ErrNoRows) {
		return p, false, nil
	}
	if err != nil {
		return p, false, err
	}
	at := map[int64]int{}
	err = eachRow(ctx, db, `SELECT id, seq, title, area, measures FROM programme_goals WHERE programme_id = $1 ORDER BY seq, id`,
		func(r *sql.Rows) error {
			g := programme.Goal{Milestones: []programme.Milestone{}}
			if err := r.Scan(&g.ID, &g.Seq, &g.Title, &g.Area, &g.Measures); err != nil {
				return err
			}
			at[g.ID] = len(p.Goals)
			p.Goals = append(p.Goals, g)
			return nil
		}, p.ID)
	if err != nil {
		return p, true, err
	}
	err = eachRow(ctx, db, `SELECT m.id, m.goal_id, m.year, m.text, m.state, m.note, m.reported_on, m.reported_by
		FROM programme_milestones m JOIN programme_goals g ON g.id = m.goal_id WHERE g.programme_id = $1 ORDER BY m.year, m.id`,
		func(r *sql.Rows) error {
			var m programme.Milestone
			if err := r.Scan(&m.ID, &m.Goal, &m.Year, &m.Text, &m.State, &m.Note, &m.ReportedOn, &m.ReportedBy); err != nil {
				return err
			}
			if i, ok := at[m.Goal]; ok {
				p.Goals[i].Milestones = append(p.Goals[i].Milestones, m)
			}
			return nil
		}, p.ID)
	return p, true, err
}

// Programme returns the five-year programme of the community with code in
// scope, in the cycle, and whether it has one. NotFound for a community
// out of scope.
func (q *Scoped) Programme(ctx context.Context, code string) (programme.Programme, bool, error) {
	cycleID, orgID, err := q.inCommunity(ctx, code)
	if err != nil {
		return programme.Programme{Community: code, Goals: []programme.Goal{}}, false, err
	}
	return loadProgramme(ctx, q.s.db, cycleID, orgID, code)
}

// proposalsWhere selects the proposals of a community (cycle $1, org $2)
// among visits v.
const proposalsWhere = ` WHERE v.cycle_id = $1 AND v.org_id = $2 AND v.round = '` + string(visit.After) + `' AND v.proposals <> ''`

// ProgrammeProposals returns the proposals made to the community with code
// in scope in the round after the election (问计于民), each with what became
// of it, those still without a disposition first, then by day; limit from
// offset (all with limit 0), how many there are and how many still wait.
func (q *Scoped) ProgrammeProposals(ctx context.Context, code string, limit, offset int) (ProposalPage, error) {
	out := ProposalPage{Proposals: []programme.Proposal{}}
	cycleID, orgID, err := q.inCommunity(ctx, code)
	if err != nil {
		return out, err
	}
	if err := q.s.db.QueryRowContext(ctx, `SELECT COUNT(*), COUNT(d.visit_id) FROM visits v
		LEFT JOIN programme_dispositions d ON d.visit_id = v.id`+proposalsWhere, cycleID, orgID).Scan(&out.Total, &out.Pending); err != nil {
		return out, err
	}
	out.Pending = out.Total - out.Pending
	err = q.s.each(ctx, `SELECT v.id, v.visited_on, v.visitors, COALESCE(h.address, pp.name, m.name, ''), v.proposals,
		COALESCE(d.outcome, ''), COALESCE(d.goal_id, 0), COALESCE(d.note, ''), d.decided_at, COALESCE(d.decided_by, ''), COALESCE(g.title, '')
		FROM visits v
		LEFT JOIN visit_households h ON h.id = v.household_id AND v.household_id > 0
		LEFT JOIN visit_people pp ON pp.id = v.person_id AND v.person_id > 0
		LEFT JOIN members m ON m.id = v.member_id AND v.member_id > 0
		LEFT JOIN programme_dispositions d ON d.visit_id = v.id
		LEFT JOIN programme_goals g ON g.id = d.goal_id AND d.goal_id > 0`+proposalsWhere+`
		ORDER BY CASE WHEN d.visit_id IS NULL THEN 0 ELSE 1 END, v.visited_on, v.id`+pageClause(limit, offset), func(r *sql.Rows) error {
		var p programme.Proposal
		var visitors string
		var d programme.Disposition
		var at sql.NullTime
		if err := r.Scan(&p.Visit, &p.Day, &visitors, &p.Target, &p.Text, &d.Outcome, &d.Goal, &d.Note, &at, &d.DecidedBy,
			&d.GoalTitle); err != nil {
			return err
		}
		if err := json.Unmarshal([]byte(visitors), &p.Visitors); err != nil {
			return err
		}
		if d.Outcome != "" {
			if at.Valid {
				d.DecidedOn = civil.Of(at.Time)
			}
			p.Disposition = &d
		}
		out.Proposals = append(out.Proposals, p)
		return nil
	}, cycleID, orgID)
	return out, err
}

// programmeFor locks the programme of the community with code in scope for
// a write and reads it: NotFound without one (or out of scope).
func (t *Tx) programmeFor(ctx context.Context, code string) (p programme.Programme, cycleID, orgID int64, err error) {
	if cycleID, orgID, err = t.community(ctx, code); err != nil {
		return p, 0, 0, err
	}
	var id int64
	err = t.queryRow(ctx, `SELECT id FROM programmes WHERE cycle_id = $1 AND org_id = $2`+t.s.forUpdate(), cycleID, orgID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return p, cycleID, orgID, errNoProgramme
	}
	if err != nil {
		return p, cycleID, orgID, err
	}
	p, _, err = loadProgramme(ctx, t.tx, cycleID, orgID, code)
	return p, cycleID, orgID, err
}

func programmeFields(p programme.Programme) audit.Fields {
	return audit.Fields{"title": p.Title, "start_year": p.StartYear, "end_year": p.EndYear}
}

// SaveProgramme makes or changes the five-year programme of the community
// with code in scope, as a draft: its title and term. A term left at zero
// is the default one (the year of the community's election of its
// residents' committee and the four after it), a title left empty the
// default title. A change is refused once the programme is adopted
// (Conflict), and a new term that leaves out a year a milestone is set
// for is refused on the year that leaves it out.
func (t *Tx) SaveProgramme(ctx context.Context, code string, p programme.Programme) (programme.Programme, error) {
	cycleID, orgID, err := t.community(ctx, code)
	if err != nil {
		return p, err
	}
	if p.StartYear == 0 && p.EndYear == 0 {
		days, err := t.daysOf(ctx, orgID)
		if err != nil {
			return p, err
		}
		p.StartYear, p.EndYear = programme.DefaultTerm(programme.YearOf(days.Residents))
	}
	if strings.TrimSpace(p.Title) == "" {
		var name string
		if err := t.queryRow(ctx, `SELECT name FROM orgs WHERE id = $1`, orgID).Scan(&name); err != nil {
			return p, err
		}
		p.Title = programme.DefaultTitle(name, p.StartYear, p.EndYear)
	}
	if err := p.Validate(); err != nil {
		return p, err
	}
	now := t.s.clock()
	old, err := func() (programme.Programme, error) {
		old, _, _, err := t.programmeFor(ctx, code)
		return old, err
	}()
	switch {
	case errors.Is(err, errNoProgramme):
		if err := t.queryRow(ctx, `INSERT INTO programmes (cycle_id, org_id, title, start_year, end_year, status, created_by, created_at,
			updated_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $7, $8) RETURNING id`, cycleID, orgID, p.Title, p.StartYear,
			p.EndYear, string(programme.Draft), t.q.actor.Name, now).Scan(&p.ID); err != nil {
			return p, err
		}
		if err := t.Audit(ctx, audit.ProgrammeSave, On("programme", p.ID, code), nil, programmeFields(p)); err != nil {
			return p, err
		}
	case err != nil:
		return p, err
	default:
		if err := old.Editable(); err != nil {
			return p, err
		}
		for _, g := range old.Goals {
			for _, m := range g.Milestones {
				if !p.Covers(m.Year) {
					field := "end_year"
					if m.Year < p.StartYear {
						field = "start_year"
					}
					return p, errs.OnField(field, "目标“"+g.Title+"”有"+itoa(int64(m.Year))+"年的里程碑,不在新的任期内,请先删除或修改该里程碑")
				}
			}
		}
		if _, err := t.exec(ctx, `UPDATE programmes SET title = $1, start_year = $2, end_year = $3, updated_by = $4, updated_at = $5
			WHERE id = $6`, p.Title, p.StartYear, p.EndYear, t.q.actor.Name, now, old.ID); err != nil {
			return p, err
		}
		p.ID = old.ID
		if err := t.Audit(ctx, audit.ProgrammeSave, On("programme", p.ID, code), programmeFields(old), programmeFields(p)); err != nil {
			return p, err
		}
	}
	out, _, err := loadProgramme(ctx, t.tx, cycleID, orgID, code)
	return out, err
}

// renumber gives the goals ids their places 1, 2, … in that order.
func (t *Tx) renumber(ctx context.Context, ids []int64) error {
	for i, id := range ids {
		if _, err := t.exec(ctx, `UPDATE programme_goals SET seq = $1 WHERE id = $2 AND seq <> $1`, i+1, id); err != nil {
			return err
		}
	}
	return nil
}

func goalIDs(p programme.Programme) []int64 {
	ids := make([]int64, len(p.Goals))
	for i, g := range p.Goals {
		ids[i] = g.ID
	}
	return ids
}

func goalFields(g programme.Goal) audit.Fields {
	return audit.Fields{"seq": g.Seq, "title": g.Title, "area": string(g.Area), "measures": g.Measures}
}

func goalOf(p programme.Programme, id int64) (programme.Goal, error) {
	for _, g := range p.Goals {
		if g.ID == id {
			return g, nil
		}
	}
	return programme.Goal{}, errs.New(errs.NotFound, "没有找到该目标")
}

// draftGoal is goal id of the programme of the community with code in
// scope, with the programme, for a change of the draft: not found before
// frozen, as each change of a goal checks them.
func (t *Tx) draftGoal(ctx context.Context, code string, id int64) (programme.Programme, programme.Goal, error) {
	p, _, _, err := t.programmeFor(ctx, code)
	if err != nil {
		return p, programme.Goal{}, err
	}
	g, err := goalOf(p, id)
	if err != nil {
		return p, g, err
	}
	return p, g, p.Editable()
}

// AddGoal adds goal g to the draft programme of the community with code in
// scope, last, or at place g.Seq when it names one; at most 30 goals.
func (t *Tx) AddGoal(ctx context.Context, code string, g programme.Goal) (programme.Goal, error) {
	p, _, _, err := t.programmeFor(ctx, code)
	if err != nil {
		return g, err
	}
	if err := p.Editable(); err != nil {
		return g, err
	}
	if err := g.Validate(); err != nil {
		return g, err
	}
	if len(p.Goals) >= programme.MaxGoals {
		return g, errs.OnField("title", "一个纲领最多30个目标")
	}
	now := t.s.clock()
	place := g.Seq
	g.Seq = len(p.Goals) + 1
	if err := t.queryRow(ctx, `INSERT INTO programme_goals (programme_id, seq, title, area, measures, created_by, created_at, updated_by,
		updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $6, $7) RETURNING id`, p.ID, g.Seq, g.Title, string(g.Area), g.Measures,
		t.q.actor.Name, now).Scan(&g.ID); err != nil {
		return g, err
	}
	if place > 0 && place < g.Seq {
		if err := t.renumber(ctx, programme.Reorder(append(goalIDs(p), g.ID), g.ID, place)); err != nil {
			return g, err
		}
		g.Seq = place
	}
	g.Milestones = []programme.Milestone{}
	return g, t.Audit(ctx, audit.ProgrammeGoalAdd, On("programme_goal", g.ID, code), nil, goalFields(g))
}

// EditGoal changes goal id of the draft programme of the community with
// code in scope: its title, area and measures, and its place when g.Seq
// names one (0 keeps it).
func (t *Tx) EditGoal(ctx context.Context, code string, id int64, g programme.Goal) (programme.Goal, error) {
	p, old, err := t.draftGoal(ctx, code, id)
	if err != nil {
		return g, err
	}
	if err := g.Validate(); err != nil {
		return g, err
	}
	if _, err := t.exec(ctx, `UPDATE programme_goals SET title = $1, area = $2, measures = $3, updated_by = $4, updated_at = $5
		WHERE id = $6`, g.Title, string(g.Area), g.Measures, t.q.actor.Name, t.s.clock(), id); err != nil {
		return g, err
	}
	g.ID, g.Milestones = id, old.Milestones
	if g.Seq == 0 || g.Seq == old.Seq {
		g.Seq = old.Seq
	} else {
		order := programme.Reorder(goalIDs(p), id, g.Seq)
		if err := t.renumber(ctx, order); err != nil {
			return g, err
		}
		for i, x := range order {
			if x == id {
				g.Seq = i + 1
			}
		}
	}
	return g, t.Audit(ctx, audit.ProgrammeGoalEdit, On("programme_goal", id, code), goalFields(old), goalFields(g))
}

// RemoveGoal deletes goal id of the draft programme of the community with
// code in scope, with its milestones; refused (Conflict) while a proposal
// is adopted or merged into it.
func (t *Tx) RemoveGoal(ctx context.Context, code string, id int64) error {
	p, old, err := t.draftGoal(ctx, code, id)
	if err != nil {
		return err
	}
	var n int
	if err := t.queryRow(ctx, `SELECT COUNT(*) FROM programme_dispositions WHERE goal_id = $1`, id).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return errs.Newf(errs.Conflict, "有 %d 条建议纳入了目标“%s”,请先改变这些建议的处理,再删除该目标", n, old.Title)
	}
	if _, err := t.exec(ctx, `DELETE FROM programme_milestones WHERE goal_id = $1`, id); err != nil {
		return err
	}
	if _, err := t.exec(ctx, `DELETE FROM programme_goals WHERE id = $1`, id); err != nil {
		return err
	}
	rest := goalIDs(p)
	for i, x := range rest {
		if x == id {
			rest = append(rest[:i:i], rest[i+1:]...)
			break
		}
	}
	if err := t.renumber(ctx, rest); err != nil {
		return err
	}
	before := goalFields(old)
	before["milestones"] = len(old.Milestones)
	return t.Audit(ctx, audit.ProgrammeGoalRemove, On("programme_goal", id, code), before, nil)
}

// SetMilestone sets the milestone of year m.Year of goal goalID of the
// draft programme of the community with code in scope: added, or its text
// replaced; an empty text removes the milestone of that year. Returns the
// milestone as stored (the zero Milestone once removed).
func (t *Tx) SetMilestone(ctx context.Context, code string, goalID int64, m programme.Milestone) (programme.Milestone, error) {
	p, g, err := t.draftGoal(ctx, code, goalID)
	if err != nil {
		return m, err
	}
	old, had := g.Milestone(m.Year)
	if had && strings.TrimSpace(m.Text) == "" {
		if _, err := t.exec(ctx, `DELETE FROM programme_milestones WHERE id = $1`, old.ID); err != nil {
			return m, err
		}
		return programme.Milestone{}, t.Audit(ctx, audit.ProgrammeMilestoneRemove, On("programme_milestone", old.ID, code),
			audit.Fields{"goal": g.Title, "year": old.Year, "text": old.Text}, nil)
	}
	if err := m.Validate(p); err != nil {
		return m, err
	}
	now := t.s.clock()
	if had {
		if _, err := t.exec(ctx, `UPDATE programme_milestones SET text = $1, set_by = $2, set_at = $3 WHERE id = $4`, m.Text,
			t.q.actor.Name, now, old.ID); err != nil {
			return m, err
		}
		old.Text = m.Text
		m = old
	} else {
		m.Goal, m.State = goalID, programme.NotStarted
		if err := t.queryRow(ctx, `INSERT INTO programme_milestones (goal_id, year, text, state, set_by, set_at)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, goalID, m.Year, m.Text, string(m.State), t.q.actor.Name, now).Scan(&m.ID); err != nil {
			return m, err
		}
	}
	var before audit.Fields
	if had {
		before = audit.Fields{"goal": g.Title, "year": old.Year, "text": old.Text}
	}
	return m, t.Audit(ctx, audit.ProgrammeMilestone, On("programme_milestone", m.ID, code), before,
		audit.Fields{"goal": g.Title, "year": m.Year, "text": m.Text})
}

func dispositionFields(d programme.Disposition) audit.Fields {
	return audit.Fields{"disposition": string(d.Outcome), "goal": d.GoalTitle, "note": d.Note}
}

// DisposeProposal records what became of the proposal of visit visitID (a
// visit of the round after the election to the community with code in
// scope, with proposals) in the draft programme: adopted or merged into
// one of its goals, or declined; a later disposition replaces it.
func (t *Tx) DisposeProposal(ctx context.Context, code string, visitID int64, d programme.Disposition) (programme.Disposition, error) {
	p, cycleID, orgID, err := t.programmeFor(ctx, code)
	if err != nil {
		return d, err
	}
	var text string
	if err := t.queryRow(ctx, `SELECT v.proposals FROM visits v`+proposalsWhere+` AND v.id = $3`, cycleID, orgID, visitID).
		Scan(&text); err != nil {
		return d, notFound(err, "没有找到该条建议")
	}
	if err := p.Editable(); err != nil {
		return d, err
	}
	if err := d.Validate(); err != nil {
		return d, err
	}
	if d.Goal > 0 {
		g, err := goalOf(p, d.Goal)
		if err != nil {
			return d, errs.OnField("goal_id", "本纲领没有这个目标")
		}
		d.GoalTitle = g.Title
	}
	var before audit.Fields
	var old programme.Disposition
	switch err := t.queryRow(ctx, `SELECT d.outcome, d.note, COALESCE(g.title, '') FROM programme_dispositions d
		LEFT JOIN programme_goals g ON g.id = d.goal_id AND d.goal_id > 0 WHERE d.visit_id = $1`, visitID).
		Scan(&old.Outcome, &old.Note, &old.GoalTitle); {
	case err == nil:
		before = dispositionFields(old)
	case !errors.Is(err, sql.ErrNoRows):
		return d, err
	}
	now := t.s.clock()
	if _, err := t.exec(ctx, `INSERT INTO programme_dispositions (visit_id, programme_id, outcome, goal_id, note, decided_by, decided_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (visit_id) DO UPDATE SET programme_id = excluded.programme_id,
		outcome = excluded.outcome, goal_id = excluded.goal_id, note = excluded.note, decided_by = excluded.decided_by,
		decided_at = excluded.decided_at`, visitID, p.ID, string(d.Outcome), d.Goal, d.Note, t.q.actor.Name, now); err != nil {
		return d, err
	}
	d.DecidedOn, d.DecidedBy = civil.Of(now), t.q.actor.Name
	after := dispositionFields(d)
	after["proposal"] = text
	return d, t.Audit(ctx, audit.ProgrammeDispose, On("proposal", visitID, code), before, after)
}

// AdoptProgramme records that the residents' representatives adopted the
// programme of the community with code in scope: refused on a field of a
// (its day not after today nor the term; the meeting; the document; a file
// of the community's archive in the cycle, or none), refused (422) while
// a proposal has no disposition or the programme has no goal, or a goal
// without a measure or a milestone, and (Conflict) when adopted already.
func (t *Tx) AdoptProgramme(ctx context.Context, code string, a programme.Adoption) (programme.Programme, error) {
	p, cycleID, orgID, err := t.programmeFor(ctx, code)
	if err != nil {
		return p, err
	}
	if err := p.Editable(); err != nil {
		return p, err
	}
	if err := a.Validate(p, civil.Of(t.s.clock())); err != nil {
		return p, err
	}
	var pending, total int
	if err := t.queryRow(ctx, `SELECT COUNT(*), COUNT(d.visit_id) FROM visits v LEFT JOIN programme_dispositions d ON d.visit_id = v.id`+
		proposalsWhere, cycleID, orgID).Scan(&total, &pending); err != nil {
		return p, err
	}
	pending = total - pending
	if err := p.Adoptable(pending); err != nil {
		return p, err
	}
	if a.File > 0 {
		if err := t.queryRow(ctx, `SELECT name, sha256 FROM archive_files WHERE id = $1 AND org_id = $2 AND cycle_id = $3`,
			a.File, orgID, cycleID).Scan(&a.FileName, &a.FileSHA256); err != nil {
			return p, notFoundAs(err, errs.OnField("archive_file_id", "本社区本届的档案中没有这个文件"))
		}
	}
	if _, err := t.exec(ctx, `UPDATE programmes SET status = $1, adopted_on = $2, meeting = $3, document = $4, archive_file_id = $5,
		adopted_by = $6, updated_by = $6, updated_at = $7 WHERE id = $8`, string(programme.Adopted), string(a.On), a.Meeting, a.Document,
		a.File, t.q.actor.Name, t.s.clock(), p.ID); err != nil {
		return p, err
	}
	milestones := 0
	for _, g := range p.Goals {
		milestones += len(g.Milestones)
	}
	if err := t.Audit(ctx, audit.ProgrammeAdopt, On("programme", p.ID, code), audit.Fields{"status": string(programme.Draft)},
		audit.Fields{"status": string(programme.Adopted), "adopted_on": string(a.On), "meeting": a.Meeting, "document": a.Document,
			"archive_file": a.FileName, "goals": len(p.Goals), "milestones": milestones, "proposals": total}); err != nil {
		return p, err
	}
	out, _, err := loadProgramme(ctx, t.tx, cycleID, orgID, code)
	return out, err
}

func reportFields(m programme.Milestone) audit.Fields {
	return audit.Fields{"year": m.Year, "progress_state": string(m.State), "note": m.Note, "reported_on": string(m.ReportedOn)}
}

// ReportMilestone records how far milestone id of the adopted programme of
// the community with code in scope has got, today; refused (Conflict) on
// a programme not adopted yet.
func (t *Tx) ReportMilestone(ctx context.Context, code string, id int64, r programme.Report) (programme.Milestone, error) {
	p, _, _, err := t.programmeFor(ctx, code)
	if err != nil {
		return programme.Milestone{}, err
	}
	var m programme.Milestone
	var goal string
	for _, g := range p.Goals {
		for _, x := range g.Milestones {
			if x.ID == id {
				m, goal = x, g.Title
			}
		}
	}
	if m.ID == 0 {
		return m, errs.New(errs.NotFound, "没有找到该里程碑")
	}
	if err := p.CanReport(); err != nil {
		return m, err
	}
	if err := r.Validate(); err != nil {
		return m, err
	}
	before := reportFields(m)
	m.State, m.Note, m.ReportedOn, m.ReportedBy = r.State, r.Note, civil.Of(t.s.clock()), t.q.actor.Name
	if _, err := t.exec(ctx, `UPDATE programme_milestones SET state = $1, note = $2, reported_on = $3, reported_by = $4 WHERE id = $5`,
		string(m.State), m.Note, string(m.ReportedOn), m.ReportedBy, id); err != nil {
		return m, err
	}
	after := reportFields(m)
	after["goal"] = goal
	return m, t.Audit(ctx, audit.ProgrammeProgress, On("programme_milestone", id, code), before, after)
}
