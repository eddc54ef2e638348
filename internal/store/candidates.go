package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/huanjie/huanjie/internal/audit"
	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/progress"
	"github.com/huanjie/huanjie/internal/slate"
	"github.com/huanjie/huanjie/internal/vetting"
)

// Candidate assessment (考察) and the 预备人选 (issue 14, point 4): each
// community's assessment team, and for each of its aspirants the steps of
// slate.Record. The rules are slate's (internal/slate/assess.go); here they
// are read and written in the cycle, within scope, and audited.

// CandidateTeamMember is a member of an assessment team with the name of
// their department.
type CandidateTeamMember struct {
	Name           string `json:"name"`
	Department     string `json:"department"` // the department's code
	DepartmentName string `json:"department_name"`
}

// CandidateTeam is a community's assessment team (考察组) in the cycle; a
// team not set yet has no members.
type CandidateTeam struct {
	Leader  string                `json:"leader"`
	Members []CandidateTeamMember `json:"members"`
}

// Candidate is an aspirant of a community with the steps of the assessment
// so far and the stage they stand at (slate.StageOf on today). Reason says
// why a failed person failed, or what a notice waits for.
type Candidate struct {
	AspirantRow
	Record slate.Record
	Stage  slate.Stage
	Reason string
}

// CandidateTeam returns the assessment team of the community with code in
// scope.
func (q *Scoped) CandidateTeam(ctx context.Context, code string) (CandidateTeam, error) {
	cycleID, err := q.cycleID(ctx)
	if err != nil {
		return CandidateTeam{}, err
	}
	orgID, err := communityInScope(ctx, q.s.db, q.scope, code)
	if err != nil {
		return CandidateTeam{}, err
	}
	return candidateTeam(ctx, q.s.db, cycleID, orgID)
}

func candidateTeam(ctx context.Context, q querier, cycleID, orgID int64) (CandidateTeam, error) {
	out := CandidateTeam{Members: []CandidateTeamMember{}}
	err := q.QueryRowContext(ctx, `SELECT leader FROM candidate_teams WHERE cycle_id = $1 AND org_id = $2`, cycleID, orgID).Scan(&out.Leader)
	if errors.Is(err, sql.ErrNoRows) {
		return out, nil
	}
	if err != nil {
		return out, err
	}
	rows, err := q.QueryContext(ctx, `SELECT m.name, d.code, d.name FROM candidate_team_members m
		JOIN departments d ON d.id = m.department_id WHERE m.cycle_id = $1 AND m.org_id = $2 ORDER BY m.seq`, cycleID, orgID)
	if err != nil {
		return out, err
	}
	defer rows.Close()
	for rows.Next() {
		var m CandidateTeamMember
		if err := rows.Scan(&m.Name, &m.Department, &m.DepartmentName); err != nil {
			return out, err
		}
		out.Members = append(out.Members, m)
	}
	return out, rows.Err()
}

// SetCandidateTeam sets the assessment team of the community with code in
// the transaction's scope, its members replaced; each member's department
// must be one of the vetting departments. Audited with the team before.
func (t *Tx) SetCandidateTeam(ctx context.Context, code string, team slate.Team) (slate.Team, error) {
	team = team.Clean()
	if err := team.Validate(); err != nil {
		return team, err
	}
	cycleID, err := t.cycleID(ctx)
	if err != nil {
		return team, err
	}
	orgID, err := t.communityID(ctx, code)
	if err != nil {
		return team, err
	}
	depts, err := reviewDepartments(ctx, t.tx, "")
	if err != nil {
		return team, err
	}
	ids := map[string]int64{}
	for _, d := range depts {
		ids[d.Code] = d.id
	}
	for i, m := range team.Members {
		if ids[m.Department] == 0 {
			return team, errs.OnField("members["+strconv.Itoa(i)+"].department", "第"+strconv.Itoa(i+1)+"行:没有这个部门")
		}
	}
	before, err := candidateTeam(ctx, t.tx, cycleID, orgID)
	if err != nil {
		return team, err
	}
	var beforeFields audit.Fields
	if before.Leader != "" {
		beforeFields = teamFields(before.Leader, before.Members)
	}
	if _, err := t.exec(ctx, `DELETE FROM candidate_team_members WHERE cycle_id = $1 AND org_id = $2`, cycleID, orgID); err != nil {
		return team, err
	}
	if _, err := t.exec(ctx, `INSERT INTO candidate_teams (cycle_id, org_id, leader, set_by, set_at) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (cycle_id, org_id) DO UPDATE SET leader = excluded.leader, set_by = excluded.set_by, set_at = excluded.set_at`,
		cycleID, orgID, team.Leader, t.q.actor.Name, t.s.clock()); err != nil {
		return team, err
	}
	members := make([]CandidateTeamMember, len(team.Members))
	for i, m := range team.Members {
		if _, err := t.exec(ctx, `INSERT INTO candidate_team_members (cycle_id, org_id, seq, name, department_id) VALUES ($1, $2, $3, $4, $5)`,
			cycleID, orgID, i, m.Name, ids[m.Department]); err != nil {
			return team, err
		}
		members[i] = CandidateTeamMember{Name: m.Name, Department: m.Department}
	}
	return team, t.Audit(ctx, audit.CandidateTeam, On("community", code, code), beforeFields, teamFields(team.Leader, members))
}

func teamFields(leader string, members []CandidateTeamMember) audit.Fields {
	list := make([]any, len(members))
	for i, m := range members {
		list[i] = map[string]any{"name": m.Name, "department": m.Department}
	}
	return audit.Fields{"team_leader": leader, "members": list}
}

// Candidates lists the cycle's aspirants of the community with code in
// scope (every community in scope when code is ""), by community and
// registration, each with the steps of their assessment and the stage
// they stand at today: slate.StagePassed is a 预备人选 who passed the
// notice, the one the formal candidate list takes; slate.StageFailed
// carries its reason (not eligible, not recommended, not approved, an
// objection found true). The board and the formal lists read it.
func (q *Scoped) Candidates(ctx context.Context, code string) ([]Candidate, error) {
	if code != "" {
		if _, err := communityInScope(ctx, q.s.db, q.scope, code); err != nil {
			return nil, err
		}
	}
	cycleID, err := q.cycleID(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := q.Aspirants(ctx, AspirantFilter{OrgCode: code})
	if err != nil {
		return nil, err
	}
	out := make([]Candidate, len(rows))
	byID := make(map[int64]int, len(rows))
	for i, r := range rows {
		out[i].AspirantRow = r
		_, out[i].Record.Reason = slate.Eligible(r.Status)
		byID[r.ID] = i
	}
	lo, hi := q.scope.Bounds()
	where, args := ` WHERE x.cycle_id = $1 AND o.path >= $2 AND o.path < $3`, []any{cycleID, lo, hi}
	if code != "" {
		where += ` AND o.code = $4`
		args = append(args, code)
	}
	recs, err := q.s.db.QueryContext(ctx, `SELECT x.aspirant_id, `+assessmentColumns+` FROM candidate_assessments x
		JOIN orgs o ON o.id = x.org_id`+where, args...)
	if err != nil {
		return nil, err
	}
	for recs.Next() {
		var id int64
		var r slate.Record
		if err := scanRecord(recs, &r, &id); err != nil {
			recs.Close()
			return nil, err
		}
		if i, ok := byID[id]; ok {
			r.Reason = out[i].Record.Reason
			out[i].Record = r
		}
	}
	recs.Close()
	if err := recs.Err(); err != nil {
		return nil, err
	}
	objs, err := q.s.db.QueryContext(ctx, `SELECT x.aspirant_id, x.id, x.day, x.content, x.handling, x.result FROM candidate_objections x
		JOIN aspirants a ON a.id = x.aspirant_id JOIN orgs o ON o.id = a.org_id`+where+` ORDER BY x.day, x.id`, args...)
	if err != nil {
		return nil, err
	}
	defer objs.Close()
	for objs.Next() {
		var id int64
		var o slate.Objection
		if err := objs.Scan(&id, &o.ID, &o.Day, &o.Content, &o.Handling, &o.Result); err != nil {
			return nil, err
		}
		if i, ok := byID[id]; ok {
			out[i].Record.Objections = append(out[i].Record.Objections, o)
		}
	}
	if err := objs.Err(); err != nil {
		return nil, err
	}
	today := civil.Of(q.s.clock())
	for i := range out {
		out[i].Stage, out[i].Reason = slate.StageOf(out[i].Record, today)
	}
	return out, nil
}

const assessmentColumns = `x.talks, x.talked, x.excellent, x.competent, x.basic, x.incompetent, x.opinion, x.conclusion,
	x.decision, x.decision_day, x.decision_note, x.higher_day, x.higher_doc, x.notice_start, x.notice_end`

// scanRecord reads a row of assessmentColumns, after the columns lead
// (the aspirant's id, a count) scan into, into r, each step present when
// taken.
func scanRecord(row interface{ Scan(...any) error }, r *slate.Record, lead ...any) error {
	var a slate.Assessment
	var decision, note, doc string
	var dday, hday, start, end civil.Date
	dest := append(lead, &a.Talks, &a.Talked, &a.Appraisal.Excellent, &a.Appraisal.Competent, &a.Appraisal.Basic, &a.Appraisal.Incompetent,
		&a.Opinion, &a.Conclusion, &decision, &dday, &note, &hday, &doc, &start, &end)
	if err := row.Scan(dest...); err != nil {
		return err
	}
	r.Assessment = &a
	if decision != "" {
		r.Decision = &slate.Decision{Approved: decision == "approved", Day: dday, Note: note}
	}
	if hday != "" {
		r.Higher = &slate.Higher{Day: hday, Document: doc}
	}
	if start != "" {
		r.Notice = &slate.Notice{Start: start, End: end}
	}
	return nil
}

// candidate is a person the transaction found for a step: their community,
// their committee's election day, and their record with its objections.
type candidate struct {
	orgID       int64
	code        string
	electionDay civil.Date
	record      slate.Record
	assessed    bool // a row of candidate_assessments is stored
}

// candidates reads, for steps, the aspirants ids (distinct) of the cycle in
// the transaction's scope with their communities and records, locking their
// assessments: a thousand to a statement. NotFound for an aspirant outside
// the scope or of another cycle.
func (t *Tx) candidates(ctx context.Context, cycleID int64, ids []int64) (map[int64]*candidate, error) {
	out := make(map[int64]*candidate, len(ids))
	lo, hi := t.q.scope.Bounds()
	for chunk := range slices.Chunk(ids, 1000) {
		// What a step needs of each person: their community, status and
		// committee (not their sealed numbers, which the full row opens).
		type person struct {
			id, orgID int64
			code      string
			status    vetting.Status
			committee org.Committee
		}
		args := []any{cycleID, lo, hi}
		var found []person
		err := eachRow(ctx, t.tx, `SELECT a.id, a.org_id, o.code, a.status, a.committee FROM aspirants a JOIN orgs o ON o.id = a.org_id
			WHERE `+t.s.anyID("a.id", &args, chunk)+` AND a.cycle_id = $1 AND o.path >= $2 AND o.path < $3`, func(rows *sql.Rows) error {
			var p person
			err := rows.Scan(&p.id, &p.orgID, &p.code, &p.status, &p.committee)
			found = append(found, p)
			return err
		}, args...)
		if err != nil {
			return nil, err
		}
		// Their days, once the rows are read: a transaction reads one
		// statement's rows at a time. Their communities, in the scope,
		// came with them; the transaction keeps them (communityID).
		for _, p := range found {
			c := &candidate{code: p.code, orgID: p.orgID}
			kept(&t.memo.communities, p.code, func() (int64, error) { return p.orgID, nil })
			_, c.record.Reason = slate.Eligible(p.status)
			days, err := t.daysOf(ctx, c.orgID)
			if err != nil {
				return nil, err
			}
			c.electionDay = days.For(progress.Election(p.committee))
			out[p.id] = c
		}
		for _, id := range chunk {
			if out[id] == nil {
				return nil, errs.New(errs.NotFound, "没有找到该参选人")
			}
		}
		// With each assessment, how many objections it drew: most draw
		// none, and only those that drew some are read.
		var objected []int64
		args = []any{cycleID}
		err = eachRow(ctx, t.tx, `SELECT x.aspirant_id, (SELECT COUNT(*) FROM candidate_objections o WHERE o.cycle_id = x.cycle_id
			AND o.aspirant_id = x.aspirant_id), `+assessmentColumns+` FROM candidate_assessments x
			WHERE x.cycle_id = $1 AND `+t.s.anyID("x.aspirant_id", &args, chunk)+t.s.forUpdate(), func(rows *sql.Rows) error {
			var id, objections int64
			var r slate.Record
			if err := scanRecord(rows, &r, &id, &objections); err != nil {
				return err
			}
			c := out[id]
			c.assessed, c.record.Assessment, c.record.Decision, c.record.Higher, c.record.Notice = true, r.Assessment, r.Decision, r.Higher, r.Notice
			if objections > 0 {
				objected = append(objected, id)
			}
			return nil
		}, args...)
		if err != nil {
			return nil, err
		}
		if len(objected) == 0 {
			continue
		}
		args = []any{cycleID}
		err = eachRow(ctx, t.tx, `SELECT aspirant_id, id, day, content, handling, result FROM candidate_objections
			WHERE cycle_id = $1 AND `+t.s.anyID("aspirant_id", &args, objected)+` ORDER BY aspirant_id, day, id`, func(rows *sql.Rows) error {
			var id int64
			var o slate.Objection
			if err := rows.Scan(&id, &o.ID, &o.Day, &o.Content, &o.Handling, &o.Result); err != nil {
				return err
			}
			out[id].record.Objections = append(out[id].record.Objections, o)
			return nil
		}, args...)
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

func assessmentFields(a slate.Assessment) audit.Fields {
	return audit.Fields{"talks": a.Talks, "talked": a.Talked, "excellent": a.Appraisal.Excellent, "competent": a.Appraisal.Competent,
		"basic": a.Appraisal.Basic, "incompetent": a.Appraisal.Incompetent, "opinion": a.Opinion, "conclusion": string(a.Conclusion)}
}

// A CandidateStep is one step of a person's assessment for CandidateSteps,
// exactly one of its parts set: the team's assessment (recorded or
// changed), the party committee's decision, the higher level's approval,
// the notice, or an objection (new with ID 0, or one of the person's
// updated). The step is given back as stored: its text trimmed, a new
// objection with its id.
type CandidateStep struct {
	AspirantID int64
	Assessment *slate.Assessment
	Decision   *slate.Decision
	Higher     *slate.Higher
	Notice     *slate.Notice
	Objection  *slate.Objection
}

// CandidateStepError is a batch of steps refused for its step Step
// (counted from 0): the step's own error, which it says as it is, so that
// one step alone reads as before and a batch's caller can name the person.
type CandidateStepError struct {
	Step int
	Err  error
}

func (e *CandidateStepError) Error() string { return e.Err.Error() }
func (e *CandidateStepError) Unwrap() error { return e.Err }

// parts is how many of the step's parts are set.
func (s CandidateStep) parts() int {
	n := 0
	for _, set := range []bool{s.Assessment != nil, s.Decision != nil, s.Higher != nil, s.Notice != nil, s.Objection != nil} {
		if set {
			n++
		}
	}
	return n
}

// CandidateSteps takes steps in order, each checked against the person's
// record as the steps before it left it and audited with that record
// before, as if each were written alone (AssessCandidate and the others
// are batches of one). The persons are read, and their records written, a
// thousand to a statement: the 10,000-community demo's 9,592 persons take
// four steps each, which one at a time were three statements a step. At a
// step refused it returns that step's error, and none is written or
// audited.
func (t *Tx) CandidateSteps(ctx context.Context, steps []CandidateStep) error {
	cycleID, err := t.cycleID(ctx)
	if err != nil {
		return err
	}
	var ids []int64
	seen := map[int64]bool{}
	for _, s := range steps {
		if !seen[s.AspirantID] {
			seen[s.AspirantID], ids = true, append(ids, s.AspirantID)
		}
	}
	people, err := t.candidates(ctx, cycleID, ids)
	if err != nil {
		return err
	}
	var margins slate.Margins
	if slices.ContainsFunc(steps, func(s CandidateStep) bool { return s.Notice != nil }) {
		if margins, err = t.margins(ctx); err != nil {
			return err
		}
	}
	type entry struct {
		act           *audit.Action
		id            int64
		before, after audit.Fields
		objection     *slate.Objection // its id, once written, goes into after
	}
	var entries []entry
	reassessed, changed := map[int64]bool{}, map[int64]bool{}
	var added, updated []*slate.Objection
	var objector []int64 // the person of each added objection
	for i := range steps {
		s := &steps[i]
		c := people[s.AspirantID]
		e := entry{id: s.AspirantID}
		var err error
		if s.parts() != 1 {
			return fmt.Errorf("store: candidate step %d of %d takes not exactly one step", i+1, len(steps))
		}
		switch {
		case s.Assessment != nil:
			e.act, e.before, e.after, err = assessStep(c, s.Assessment)
			reassessed[s.AspirantID] = true
		case s.Decision != nil:
			e.act, e.before, e.after, err = decideStep(c, s.Decision)
		case s.Higher != nil:
			e.act, e.before, e.after, err = higherStep(c, s.Higher)
		case s.Notice != nil:
			e.act, e.before, e.after, err = noticeStep(c, s.Notice, margins)
		default:
			e.act, e.before, e.after, err = objectionStep(c, s.Objection)
			e.objection = s.Objection
			if s.Objection.ID == 0 {
				added, objector = append(added, s.Objection), append(objector, s.AspirantID)
			} else {
				updated = append(updated, s.Objection)
			}
		}
		if err != nil {
			return &CandidateStepError{Step: i, Err: err}
		}
		if s.Objection == nil {
			changed[s.AspirantID] = true
		}
		entries = append(entries, e)
	}
	if err := t.writeCandidates(ctx, cycleID, ids, people, reassessed, changed); err != nil {
		return err
	}
	if err := t.writeObjections(ctx, cycleID, added, objector, updated); err != nil {
		return err
	}
	for _, e := range entries {
		if e.objection != nil {
			e.after["objection"] = e.objection.ID
		}
		if err := t.Audit(ctx, e.act, On("aspirant", itoa(e.id), people[e.id].code), e.before, e.after); err != nil {
			return err
		}
	}
	return nil
}

// assessStep checks the team's assessment a against c's record and takes
// it there.
func assessStep(c *candidate, a *slate.Assessment) (*audit.Action, audit.Fields, audit.Fields, error) {
	a.Talked, a.Opinion = strings.TrimSpace(a.Talked), strings.TrimSpace(a.Opinion)
	if err := a.Validate(); err != nil {
		return nil, nil, nil, err
	}
	if err := c.record.CanAssess(); err != nil {
		return nil, nil, nil, err
	}
	var before audit.Fields
	if c.record.Assessment != nil {
		before = assessmentFields(*c.record.Assessment)
	}
	x := *a
	c.record.Assessment = &x
	return audit.CandidateAssess, before, assessmentFields(x), nil
}

// decideStep checks the party committee's decision d on c (only on one
// the team recommended, still eligible, changeable until the higher level
// approved) and takes it.
func decideStep(c *candidate, d *slate.Decision) (*audit.Action, audit.Fields, audit.Fields, error) {
	d.Note = strings.TrimSpace(d.Note)
	if err := d.Validate(); err != nil {
		return nil, nil, nil, err
	}
	if err := c.record.CanDecide(); err != nil {
		return nil, nil, nil, err
	}
	var before audit.Fields
	if old := c.record.Decision; old != nil {
		before = audit.Fields{"approved": old.Approved, "day": string(old.Day), "note": old.Note}
	}
	x := *d
	c.record.Decision = &x
	return audit.CandidateDecide, before, audit.Fields{"approved": d.Approved, "day": string(d.Day), "note": d.Note}, nil
}

// higherStep checks the higher level's approval (上级审查同意) h of c,
// whom the committee approved, and takes it.
func higherStep(c *candidate, h *slate.Higher) (*audit.Action, audit.Fields, audit.Fields, error) {
	h.Document = strings.TrimSpace(h.Document)
	if err := h.Validate(); err != nil {
		return nil, nil, nil, err
	}
	if err := c.record.CanApproveHigher(*h); err != nil {
		return nil, nil, nil, err
	}
	var before audit.Fields
	if old := c.record.Higher; old != nil {
		before = audit.Fields{"day": string(old.Day), "doc_no": old.Document}
	}
	x := *h
	c.record.Higher = &x
	return audit.CandidateHigher, before, audit.Fields{"day": string(h.Day), "doc_no": h.Document}, nil
}

// noticeStep checks the public notice n of c, after the higher level's
// approval: at least margins.NoticeDays (by default slate.MinNoticeDays),
// ended before the election day of their committee; and takes it.
func noticeStep(c *candidate, n *slate.Notice, margins slate.Margins) (*audit.Action, audit.Fields, audit.Fields, error) {
	if err := n.Validate(margins.NoticeDays); err != nil {
		return nil, nil, nil, err
	}
	if err := c.record.CanNotice(*n); err != nil {
		return nil, nil, nil, err
	}
	if c.electionDay != "" && n.End >= c.electionDay {
		return nil, nil, nil, errs.OnField("end", "公示须在选举日("+string(c.electionDay)+")之前结束")
	}
	var before audit.Fields
	if old := c.record.Notice; old != nil {
		before = audit.Fields{"start": string(old.Start), "end": string(old.End)}
	}
	x := *n
	c.record.Notice = &x
	return audit.CandidateNotice, before, audit.Fields{"start": string(n.Start), "end": string(n.End)}, nil
}

// objectionStep checks an objection o received during c's notice (o.ID
// 0), or an update of one of c's objections with its handling and what
// checking it found, and takes it.
func objectionStep(c *candidate, o *slate.Objection) (*audit.Action, audit.Fields, audit.Fields, error) {
	o.Content, o.Handling = strings.TrimSpace(o.Content), strings.TrimSpace(o.Handling)
	if err := c.record.CanObject(); err != nil {
		return nil, nil, nil, err
	}
	if err := o.Validate(*c.record.Notice); err != nil {
		return nil, nil, nil, err
	}
	after := audit.Fields{"day": string(o.Day), "content": o.Content, "handling": o.Handling, "objection_result": string(o.Result)}
	if o.ID == 0 {
		c.record.Objections = append(c.record.Objections, *o)
		return audit.CandidateObjection, nil, after, nil
	}
	i := slices.IndexFunc(c.record.Objections, func(x slate.Objection) bool { return x.ID == o.ID })
	if i < 0 {
		return nil, nil, nil, errs.New(errs.NotFound, "没有找到该异议")
	}
	old := c.record.Objections[i]
	c.record.Objections[i] = *o
	return audit.CandidateObjection, audit.Fields{"day": string(old.Day), "content": old.Content, "handling": old.Handling,
		"objection_result": string(old.Result)}, after, nil
}

// The columns of candidate_assessments a step writes: the person's, the
// assessment's, and the later steps' (the decision, the higher level's
// approval, the notice), in the order writeCandidates gives the values.
var (
	assessmentCols  = strings.Fields(`talks talked excellent competent basic incompetent opinion conclusion assessed_by assessed_at`)
	laterStepCols   = strings.Fields(`decision decision_day decision_note higher_day higher_doc notice_start notice_end`)
	assessmentWrite = slices.Concat([]string{"cycle_id", "org_id", "aspirant_id"}, assessmentCols, laterStepCols)
)

// writeCandidates writes the records of the persons of ids that steps
// changed: whole for those reassessed (by the transaction's actor, now),
// their later steps for the others.
func (t *Tx) writeCandidates(ctx context.Context, cycleID int64, ids []int64, people map[int64]*candidate, reassessed, changed map[int64]bool) error {
	var whole, later []int64
	for _, id := range ids {
		switch {
		case reassessed[id]:
			whole = append(whole, id)
		case changed[id] && !people[id].assessed:
			return errors.New("store: a step on a person not assessed")
		case changed[id]:
			later = append(later, id)
		}
	}
	by, now := t.q.actor.Name, t.s.clock()
	row := func(list []int64) func(i int) ([]any, error) {
		return func(i int) ([]any, error) {
			c := people[list[i]]
			r, a := c.record, c.record.Assessment
			var decision, note string
			var dday, hday, start, end civil.Date
			var doc string
			if d := r.Decision; d != nil {
				decision, dday, note = "rejected", d.Day, d.Note
				if d.Approved {
					decision = "approved"
				}
			}
			if h := r.Higher; h != nil {
				hday, doc = h.Day, h.Document
			}
			if n := r.Notice; n != nil {
				start, end = n.Start, n.End
			}
			return []any{cycleID, c.orgID, list[i], a.Talks, a.Talked, a.Appraisal.Excellent, a.Appraisal.Competent, a.Appraisal.Basic,
				a.Appraisal.Incompetent, a.Opinion, string(a.Conclusion), by, now, decision, string(dday), note, string(hday), doc,
				string(start), string(end)}, nil
		}
	}
	set := func(cols ...string) string {
		s := make([]string, len(cols))
		for i, c := range cols {
			s[i] = c + " = excluded." + c
		}
		return "ON CONFLICT (cycle_id, aspirant_id) DO UPDATE SET " + strings.Join(s, ", ")
	}
	if err := t.insertMany(ctx, manyRows{table: "candidate_assessments", cols: assessmentWrite, n: len(whole), row: row(whole),
		suffix: set(slices.Concat(assessmentCols, laterStepCols)...)}); err != nil {
		return err
	}
	// The others' rows are stored: only their later steps are set.
	return t.insertMany(ctx, manyRows{table: "candidate_assessments", cols: assessmentWrite, n: len(later), row: row(later),
		suffix: set(laterStepCols...)})
}

// writeObjections inserts the objections added (of the persons objector)
// and gives each its id, and writes those updated, by the transaction's
// actor, now.
func (t *Tx) writeObjections(ctx context.Context, cycleID int64, added []*slate.Objection, objector []int64, updated []*slate.Objection) error {
	by, now := t.q.actor.Name, t.s.clock()
	err := t.insertMany(ctx, manyRows{table: "candidate_objections",
		cols: []string{"cycle_id", "aspirant_id", "day", "content", "handling", "result", "recorded_by", "recorded_at"}, n: len(added),
		row: func(i int) ([]any, error) {
			o := added[i]
			return []any{cycleID, objector[i], string(o.Day), o.Content, o.Handling, string(o.Result), by, now}, nil
		},
		suffix: "RETURNING id, aspirant_id", all: true,
		scan: func(i int, r *sql.Rows) error {
			var aspirant int64
			if err := r.Scan(&added[i].ID, &aspirant); err != nil {
				return err
			}
			if aspirant != objector[i] { // rows answered in another order than sent: nothing is kept
				return fmt.Errorf("objection %d of aspirant %d answered as %d's", i, objector[i], aspirant)
			}
			return nil
		}})
	if err != nil {
		return err
	}
	for _, o := range updated {
		if _, err := t.exec(ctx, `UPDATE candidate_objections SET day = $1, content = $2, handling = $3, result = $4, recorded_by = $5,
			recorded_at = $6 WHERE id = $7`, string(o.Day), o.Content, o.Handling, string(o.Result), by, now, o.ID); err != nil {
			return err
		}
	}
	return nil
}

// AssessCandidate records (or changes, until the party committee decides)
// the team's assessment of aspirant id, who must be eligible
// (slate.Eligible). Audited with the record before.
func (t *Tx) AssessCandidate(ctx context.Context, id int64, a slate.Assessment) (slate.Assessment, error) {
	err := t.CandidateSteps(ctx, []CandidateStep{{AspirantID: id, Assessment: &a}})
	return a, err
}

// DecideCandidate records the party committee's decision on aspirant id.
func (t *Tx) DecideCandidate(ctx context.Context, id int64, d slate.Decision) (slate.Decision, error) {
	err := t.CandidateSteps(ctx, []CandidateStep{{AspirantID: id, Decision: &d}})
	return d, err
}

// ApproveCandidateHigher records the higher level's approval of aspirant id.
func (t *Tx) ApproveCandidateHigher(ctx context.Context, id int64, h slate.Higher) (slate.Higher, error) {
	err := t.CandidateSteps(ctx, []CandidateStep{{AspirantID: id, Higher: &h}})
	return h, err
}

// NoticeCandidate sets the public notice of aspirant id.
func (t *Tx) NoticeCandidate(ctx context.Context, id int64, n slate.Notice) (slate.Notice, error) {
	err := t.CandidateSteps(ctx, []CandidateStep{{AspirantID: id, Notice: &n}})
	return n, err
}

// RecordObjection records an objection received during the notice of
// aspirant id (o.ID 0), or updates one of theirs.
func (t *Tx) RecordObjection(ctx context.Context, id int64, o slate.Objection) (slate.Objection, error) {
	err := t.CandidateSteps(ctx, []CandidateStep{{AspirantID: id, Objection: &o}})
	return o, err
}
