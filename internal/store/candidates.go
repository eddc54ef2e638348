package store

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"

	"github.com/huanjie/huanjie/internal/audit"
	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/progress"
	"github.com/huanjie/huanjie/internal/slate"
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
	depts, err := reviewDepartments(ctx, t.tx)
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
		if err := scanRecord(recs, &id, &r); err != nil {
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

// scanRecord reads a row of assessmentColumns (after a first column, the
// aspirant's id or a count, into id when it is not nil) into r, each step
// present when taken.
func scanRecord(row interface{ Scan(...any) error }, id *int64, r *slate.Record) error {
	var a slate.Assessment
	var decision, note, doc string
	var dday, hday, start, end civil.Date
	dest := []any{&a.Talks, &a.Talked, &a.Appraisal.Excellent, &a.Appraisal.Competent, &a.Appraisal.Basic, &a.Appraisal.Incompetent,
		&a.Opinion, &a.Conclusion, &decision, &dday, &note, &hday, &doc, &start, &end}
	if id != nil {
		dest = append([]any{id}, dest...)
	}
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
	cycleID, orgID int64
	code, name     string
	electionDay    civil.Date
	record         slate.Record
	assessed       bool
}

// candidate reads, for a step, aspirant id of the cycle in the
// transaction's scope with their community, locking their assessment.
// NotFound for an aspirant outside the scope or of another cycle.
func (t *Tx) candidate(ctx context.Context, id int64) (candidate, error) {
	var c candidate
	var err error
	if c.cycleID, err = t.cycleID(ctx); err != nil {
		return c, err
	}
	a, err := t.s.aspirant(ctx, t.tx, t.q.scope, id)
	if err != nil {
		return c, err
	}
	if a.CycleID != c.cycleID {
		return c, errs.New(errs.NotFound, "没有找到该参选人")
	}
	c.code = a.OrgCode
	if c.orgID, err = t.communityID(ctx, c.code); err != nil {
		return c, err
	}
	c.name = a.Name
	_, c.record.Reason = slate.Eligible(a.Status)
	days, err := t.daysOf(ctx, c.orgID)
	if err != nil {
		return c, err
	}
	c.electionDay = days.For(progress.Election(a.Committee))
	reason := c.record.Reason
	// With the assessment, how many objections it drew: most draw none,
	// and a step reads them only when there are (a statement for each of
	// the 10,000-community demo's 9,592 steps).
	var objections int64
	err = scanRecord(t.queryRow(ctx, `SELECT (SELECT COUNT(*) FROM candidate_objections o WHERE o.cycle_id = x.cycle_id
		AND o.aspirant_id = x.aspirant_id), `+assessmentColumns+` FROM candidate_assessments x WHERE x.cycle_id = $1 AND x.aspirant_id = $2`+
		t.s.forUpdate(), c.cycleID, id), &objections, &c.record)
	switch {
	case err == nil:
		c.assessed = true
		c.record.Reason = reason
		if objections == 0 {
			return c, nil
		}
	case !errors.Is(err, sql.ErrNoRows):
		return c, err
	}
	rows, err := t.tx.QueryContext(ctx, `SELECT id, day, content, handling, result FROM candidate_objections
		WHERE cycle_id = $1 AND aspirant_id = $2 ORDER BY day, id`, c.cycleID, id)
	if err != nil {
		return c, err
	}
	defer rows.Close()
	for rows.Next() {
		var o slate.Objection
		if err := rows.Scan(&o.ID, &o.Day, &o.Content, &o.Handling, &o.Result); err != nil {
			return c, err
		}
		c.record.Objections = append(c.record.Objections, o)
	}
	return c, rows.Err()
}

func assessmentFields(a slate.Assessment) audit.Fields {
	return audit.Fields{"talks": a.Talks, "talked": a.Talked, "excellent": a.Appraisal.Excellent, "competent": a.Appraisal.Competent,
		"basic": a.Appraisal.Basic, "incompetent": a.Appraisal.Incompetent, "opinion": a.Opinion, "conclusion": string(a.Conclusion)}
}

// AssessCandidate records (or changes, until the party committee decides)
// the team's assessment of aspirant id, who
// must be eligible (slate.Eligible). Audited with the record before.
func (t *Tx) AssessCandidate(ctx context.Context, id int64, a slate.Assessment) (slate.Assessment, error) {
	a.Talked, a.Opinion = strings.TrimSpace(a.Talked), strings.TrimSpace(a.Opinion)
	if err := a.Validate(); err != nil {
		return a, err
	}
	c, err := t.candidate(ctx, id)
	if err != nil {
		return a, err
	}
	if err := c.record.CanAssess(); err != nil {
		return a, err
	}
	var before audit.Fields
	if c.assessed {
		before = assessmentFields(*c.record.Assessment)
	}
	if _, err := t.exec(ctx, `INSERT INTO candidate_assessments (cycle_id, org_id, aspirant_id, talks, talked, excellent, competent, basic,
		incompetent, opinion, conclusion, assessed_by, assessed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
		ON CONFLICT (cycle_id, aspirant_id) DO UPDATE SET talks = excluded.talks, talked = excluded.talked, excellent = excluded.excellent,
		competent = excluded.competent, basic = excluded.basic, incompetent = excluded.incompetent, opinion = excluded.opinion,
		conclusion = excluded.conclusion, assessed_by = excluded.assessed_by, assessed_at = excluded.assessed_at`,
		c.cycleID, c.orgID, id, a.Talks, a.Talked, a.Appraisal.Excellent, a.Appraisal.Competent, a.Appraisal.Basic, a.Appraisal.Incompetent,
		a.Opinion, string(a.Conclusion), t.q.actor.Name, t.s.clock()); err != nil {
		return a, err
	}
	return a, t.Audit(ctx, audit.CandidateAssess, On("aspirant", itoa(id), c.code), before, assessmentFields(a))
}

// DecideCandidate records the party committee's decision on aspirant id: only on one the team recommended, still
// eligible, and changeable until the higher level approved.
func (t *Tx) DecideCandidate(ctx context.Context, id int64, d slate.Decision) (slate.Decision, error) {
	d.Note = strings.TrimSpace(d.Note)
	if err := d.Validate(); err != nil {
		return d, err
	}
	c, err := t.candidate(ctx, id)
	if err != nil {
		return d, err
	}
	if err := c.record.CanDecide(); err != nil {
		return d, err
	}
	var before audit.Fields
	if old := c.record.Decision; old != nil {
		before = audit.Fields{"approved": old.Approved, "day": string(old.Day), "note": old.Note}
	}
	decision := "rejected"
	if d.Approved {
		decision = "approved"
	}
	if _, err := t.exec(ctx, `UPDATE candidate_assessments SET decision = $1, decision_day = $2, decision_note = $3
		WHERE cycle_id = $4 AND aspirant_id = $5`, decision, string(d.Day), d.Note, c.cycleID, id); err != nil {
		return d, err
	}
	return d, t.Audit(ctx, audit.CandidateDecide, On("aspirant", itoa(id), c.code), before,
		audit.Fields{"approved": d.Approved, "day": string(d.Day), "note": d.Note})
}

// ApproveCandidateHigher records the higher level's approval (上级审查同意)
// of aspirant id, whom the committee approved.
func (t *Tx) ApproveCandidateHigher(ctx context.Context, id int64, h slate.Higher) (slate.Higher, error) {
	h.Document = strings.TrimSpace(h.Document)
	if err := h.Validate(); err != nil {
		return h, err
	}
	c, err := t.candidate(ctx, id)
	if err != nil {
		return h, err
	}
	if err := c.record.CanApproveHigher(h); err != nil {
		return h, err
	}
	var before audit.Fields
	if old := c.record.Higher; old != nil {
		before = audit.Fields{"day": string(old.Day), "doc_no": old.Document}
	}
	if _, err := t.exec(ctx, `UPDATE candidate_assessments SET higher_day = $1, higher_doc = $2 WHERE cycle_id = $3 AND aspirant_id = $4`,
		string(h.Day), h.Document, c.cycleID, id); err != nil {
		return h, err
	}
	return h, t.Audit(ctx, audit.CandidateHigher, On("aspirant", itoa(id), c.code), before,
		audit.Fields{"day": string(h.Day), "doc_no": h.Document})
}

// NoticeCandidate sets the public notice of aspirant id, after the higher
// level's approval: at least the cycle's Margins.NoticeDays (by default
// slate.MinNoticeDays), ended before the election day of their committee.
func (t *Tx) NoticeCandidate(ctx context.Context, id int64, n slate.Notice) (slate.Notice, error) {
	margins, err := t.margins(ctx)
	if err != nil {
		return n, err
	}
	if err := n.Validate(margins.NoticeDays); err != nil {
		return n, err
	}
	c, err := t.candidate(ctx, id)
	if err != nil {
		return n, err
	}
	if err := c.record.CanNotice(n); err != nil {
		return n, err
	}
	if c.electionDay != "" && n.End >= c.electionDay {
		return n, errs.OnField("end", "公示须在选举日("+string(c.electionDay)+")之前结束")
	}
	var before audit.Fields
	if old := c.record.Notice; old != nil {
		before = audit.Fields{"start": string(old.Start), "end": string(old.End)}
	}
	if _, err := t.exec(ctx, `UPDATE candidate_assessments SET notice_start = $1, notice_end = $2 WHERE cycle_id = $3 AND aspirant_id = $4`,
		string(n.Start), string(n.End), c.cycleID, id); err != nil {
		return n, err
	}
	return n, t.Audit(ctx, audit.CandidateNotice, On("aspirant", itoa(id), c.code), before,
		audit.Fields{"start": string(n.Start), "end": string(n.End)})
}

// RecordObjection records an objection received during the notice of
// aspirant id (o.ID 0), or updates one with its
// handling and what checking it found (o.ID of the person's objection).
func (t *Tx) RecordObjection(ctx context.Context, id int64, o slate.Objection) (slate.Objection, error) {
	o.Content, o.Handling = strings.TrimSpace(o.Content), strings.TrimSpace(o.Handling)
	c, err := t.candidate(ctx, id)
	if err != nil {
		return o, err
	}
	if err := c.record.CanObject(); err != nil {
		return o, err
	}
	if err := o.Validate(*c.record.Notice); err != nil {
		return o, err
	}
	after := audit.Fields{"day": string(o.Day), "content": o.Content, "handling": o.Handling, "objection_result": string(o.Result)}
	if o.ID == 0 {
		err := t.queryRow(ctx, `INSERT INTO candidate_objections (cycle_id, aspirant_id, day, content, handling, result, recorded_by, recorded_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`, c.cycleID, id, string(o.Day), o.Content, o.Handling, string(o.Result),
			t.q.actor.Name, t.s.clock()).Scan(&o.ID)
		if err != nil {
			return o, err
		}
		after["objection"] = o.ID
		return o, t.Audit(ctx, audit.CandidateObjection, On("aspirant", itoa(id), c.code), nil, after)
	}
	var old *slate.Objection
	for i := range c.record.Objections {
		if c.record.Objections[i].ID == o.ID {
			old = &c.record.Objections[i]
		}
	}
	if old == nil {
		return o, errs.New(errs.NotFound, "没有找到该异议")
	}
	if _, err := t.exec(ctx, `UPDATE candidate_objections SET day = $1, content = $2, handling = $3, result = $4, recorded_by = $5,
		recorded_at = $6 WHERE id = $7`, string(o.Day), o.Content, o.Handling, string(o.Result), t.q.actor.Name, t.s.clock(), o.ID); err != nil {
		return o, err
	}
	after["objection"] = o.ID
	return o, t.Audit(ctx, audit.CandidateObjection, On("aspirant", itoa(id), c.code),
		audit.Fields{"day": string(old.Day), "content": old.Content, "handling": old.Handling, "objection_result": string(old.Result)}, after)
}
