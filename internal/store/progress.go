package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/huanjie/huanjie/internal/assess"
	"github.com/huanjie/huanjie/internal/audit"
	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/progress"
)

// ProgressStages returns the cycle's stage templates in order: the office's
// when it saved some (custom true), else progress.Defaults.
func (q *Scoped) ProgressStages(ctx context.Context) (stages []progress.Stage, custom bool, err error) {
	cycleID, err := q.cycleID(ctx)
	if err != nil {
		return nil, false, err
	}
	return progressStages(ctx, q.s.db, cycleID)
}

func progressStages(ctx context.Context, q querier, cycleID int64) ([]progress.Stage, bool, error) {
	rows, err := q.QueryContext(ctx, `SELECT code, election, name, sort, offset_days, depends_on FROM progress_stages
		WHERE cycle_id = $1 ORDER BY sort, code`, cycleID)
	if err != nil {
		return nil, false, err
	}
	defer rows.Close()
	var out []progress.Stage
	for rows.Next() {
		var st progress.Stage
		var deps string
		if err := rows.Scan(&st.Code, &st.Election, &st.Name, &st.Sort, &st.OffsetDays, &deps); err != nil {
			return nil, false, err
		}
		st.DependsOn = splitCodes(deps)
		out = append(out, st)
	}
	if err := rows.Err(); err != nil {
		return nil, false, err
	}
	if len(out) == 0 {
		return progress.Defaults(), false, nil
	}
	return out, true, nil
}

// SaveProgressStages replaces the cycle's stage templates after checking
// them. Marks of a stage that is no longer in the templates stay in the
// database but are no longer shown. The templates are the whole zone's:
// Forbidden unless the transaction may change zone-wide settings.
func (t *Tx) SaveProgressStages(ctx context.Context, stages []progress.Stage) ([]progress.Stage, error) {
	if err := t.needZone(); err != nil {
		return nil, err
	}
	cycleID, err := t.cycleID(ctx)
	if err != nil {
		return nil, err
	}
	stages = append([]progress.Stage(nil), stages...)
	if err := progress.Validate(stages); err != nil {
		return nil, err
	}
	before, _, err := progressStages(ctx, t.tx, cycleID)
	if err != nil {
		return nil, err
	}
	if _, err := t.exec(ctx, `DELETE FROM progress_stages WHERE cycle_id = $1`, cycleID); err != nil {
		return nil, err
	}
	for _, st := range stages {
		_, err := t.exec(ctx, `INSERT INTO progress_stages (cycle_id, code, election, name, sort, offset_days, depends_on)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, cycleID, st.Code, string(st.Election), st.Name, st.Sort, st.OffsetDays,
			joinCodes(st.DependsOn))
		if err != nil {
			return nil, fmt.Errorf("save stage %s: %w", st.Code, err)
		}
	}
	t.memo.stages = nil // read again after this change
	return stages, t.Audit(ctx, audit.ProgressStages, On("cycle", itoa(cycleID), ""), audit.Fields{"stages": stageSummary(before)},
		audit.Fields{"stages": stageSummary(stages)})
}

func stageSummary(stages []progress.Stage) string {
	parts := make([]string, len(stages))
	for i, s := range stages {
		parts[i] = s.Code + "(" + strconv.Itoa(s.OffsetDays) + ")"
	}
	return strings.Join(parts, ",")
}

// ProgressMark is a community's stage marked done, with its evidence.
type ProgressMark struct {
	OrgCode    string     `json:"code"`
	Stage      string     `json:"stage"`
	DoneOn     civil.Date `json:"done_on"`
	Evidence   string     `json:"evidence"`
	Attachment string     `json:"attachment,omitempty"` // SHA-256 of a file in the file store
	MarkedBy   string     `json:"marked_by"`
	MarkedAt   time.Time  `json:"marked_at"`
}

// ProgressRow is a community of the progress table with the days its
// stages were done (stage code → YYYY-MM-DD).
type ProgressRow struct {
	ID                                     int64
	Code, Name, DistrictCode, DistrictName string
	Class                                  assess.Class  // in force; "" unassessed
	Days                                   progress.Days // the days its deadlines count from
	Done                                   map[string]civil.Date
	// Reruns are its vote stages waiting for the re-run of a void
	// election, by stage code (election_feeds.go).
	Reruns map[string]Rerun
}

// ProgressRows lists the communities in scope that f selects (class,
// district, page), in tree order, with their marks in the cycle and the
// vote stages waiting for a re-run: two queries whatever the page size.
func (q *Scoped) ProgressRows(ctx context.Context, f CommunityFilter) ([]ProgressRow, error) {
	cycle, err := q.Cycle(ctx)
	if err != nil {
		return nil, err
	}
	cycleID := cycle.ID
	s := q.s
	from, args, err := s.communityFrom(ctx, q.scope, cycleID, f)
	if err != nil {
		return nil, err
	}
	page := `SELECT o.id` + from + ` ORDER BY o.path`
	if f.Limit > 0 {
		page += ` LIMIT ` + strconv.Itoa(f.Limit) + ` OFFSET ` + strconv.Itoa(f.Offset)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT o.id, o.code, o.name, COALESCE(p.code, ''), COALESCE(p.name, ''),
		COALESCE(st.class, ''), COALESCE(ep.day, ''), COALESCE(er.day, ''), `+rerunCols+`
		FROM (`+page+`) pg JOIN orgs o ON o.id = pg.id LEFT JOIN orgs p ON p.id = o.parent_id
		LEFT JOIN standings st ON st.org_id = o.id AND st.cycle_id = $1`+daysJoin+rerunJoins+` ORDER BY o.path`, args...)
	if err != nil {
		return nil, err
	}
	var out []ProgressRow
	index := map[int64]int{}
	for rows.Next() {
		r := ProgressRow{Done: map[string]civil.Date{}}
		var own progress.Days
		var party, partyReason, residents, residentsReason string
		if err := rows.Scan(&r.ID, &r.Code, &r.Name, &r.DistrictCode, &r.DistrictName, &r.Class, &own.Party, &own.Residents,
			&party, &partyReason, &residents, &residentsReason); err != nil {
			rows.Close()
			return nil, err
		}
		r.Days, r.Reruns = progress.Resolve(own, cycleDays(cycle)), reruns(party, partyReason, residents, residentsReason)
		index[r.ID] = len(out)
		out = append(out, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, err
	}
	marks, err := s.db.QueryContext(ctx, `SELECT m.org_id, m.stage_code, m.done_on FROM (`+page+`) pg
		JOIN progress_marks m ON m.org_id = pg.id AND m.cycle_id = $1`, args...)
	if err != nil {
		return nil, err
	}
	defer marks.Close()
	for marks.Next() {
		var id int64
		var code string
		var day civil.Date
		if err := marks.Scan(&id, &code, &day); err != nil {
			return nil, err
		}
		if i, ok := index[id]; ok {
			out[i].Done[code] = day
		}
	}
	return out, marks.Err()
}

// CommunityProgress returns a community's marks in the cycle by stage code.
func (q *Scoped) CommunityProgress(ctx context.Context, code string) (map[string]ProgressMark, error) {
	cycleID, err := q.cycleID(ctx)
	if err != nil {
		return nil, err
	}
	orgID, err := communityInScope(ctx, q.s.db, q.scope, code)
	if err != nil {
		return nil, err
	}
	return marksOf(ctx, q.s.db, orgID, cycleID, code)
}

func marksOf(ctx context.Context, q querier, orgID, cycleID int64, code string) (map[string]ProgressMark, error) {
	rows, err := q.QueryContext(ctx, `SELECT stage_code, done_on, evidence, attachment, marked_by, marked_at
		FROM progress_marks WHERE org_id = $1 AND cycle_id = $2`, orgID, cycleID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]ProgressMark{}
	for rows.Next() {
		m := ProgressMark{OrgCode: code}
		if err := rows.Scan(&m.Stage, &m.DoneOn, &m.Evidence, &m.Attachment, &m.MarkedBy, &m.MarkedAt); err != nil {
			return nil, err
		}
		out[m.Stage] = m
	}
	return out, rows.Err()
}

func doneDays(marks map[string]ProgressMark) map[string]civil.Date {
	done := make(map[string]civil.Date, len(marks))
	for k, m := range marks {
		done[k] = m.DoneOn
	}
	return done
}

// MarkStage records that a community in scope completed a stage on
// m.DoneOn, with its evidence. It is refused (422, in Chinese) when a stage
// it depends on is not done, or done later, or the day is after today;
// marking a done stage again replaces its day and evidence.
func (t *Tx) MarkStage(ctx context.Context, m ProgressMark) (ProgressMark, error) {
	cycleID, err := t.cycleID(ctx)
	if err != nil {
		return m, err
	}
	orgID, err := t.communityID(ctx, m.OrgCode)
	if err != nil {
		return m, err
	}
	m.Evidence = strings.TrimSpace(m.Evidence)
	if len([]rune(m.Evidence)) > 2000 {
		return m, errs.OnField("evidence", "完成依据不能超过2000字")
	}
	stages, err := t.stages(ctx, cycleID)
	if err != nil {
		return m, err
	}
	marks, err := marksOf(ctx, t.tx, orgID, cycleID, m.OrgCode)
	if err != nil {
		return m, err
	}
	done := doneDays(marks)
	today := t.s.Today()
	if err := progress.CheckMark(stages, done, m.Stage, m.DoneOn, today); err != nil {
		return m, err
	}
	// Stages already done that depend on this one must not predate it.
	for _, st := range stages {
		if day, ok := done[st.Code]; ok && day < m.DoneOn && containsCode(st.DependsOn, m.Stage) {
			return m, errs.OnField("done_on", "完成日期不能晚于依赖它的“"+st.Name+"”的完成日期("+day.String()+")")
		}
	}
	prev, existed := marks[m.Stage]
	m.MarkedBy, m.MarkedAt = t.q.actor.Name, t.s.clock()
	if existed {
		_, err = t.exec(ctx, `UPDATE progress_marks SET done_on = $1, evidence = $2, attachment = $3, marked_by = $4, marked_at = $5
			WHERE org_id = $6 AND cycle_id = $7 AND stage_code = $8`,
			m.DoneOn, m.Evidence, m.Attachment, m.MarkedBy, m.MarkedAt, orgID, cycleID, m.Stage)
	} else {
		_, err = t.exec(ctx, `INSERT INTO progress_marks (org_id, cycle_id, stage_code, done_on, evidence, attachment, marked_by, marked_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, orgID, cycleID, m.Stage, m.DoneOn, m.Evidence, m.Attachment, m.MarkedBy, m.MarkedAt)
	}
	if err != nil {
		return m, fmt.Errorf("mark stage: %w", err)
	}
	var before audit.Fields
	if existed {
		before = audit.Fields{"done_on": prev.DoneOn, "evidence": prev.Evidence, "attachment": prev.Attachment}
	}
	return m, t.Audit(ctx, audit.ProgressMark, On("community", m.OrgCode, m.OrgCode), before,
		audit.Fields{"stage": m.Stage, "done_on": m.DoneOn, "evidence": m.Evidence, "attachment": m.Attachment})
}

func containsCode(list []string, code string) bool {
	for _, c := range list {
		if c == code {
			return true
		}
	}
	return false
}

// UnmarkStage takes back a community's mark of a stage, audited with what it
// said; refused while a stage that depends on it is done.
func (t *Tx) UnmarkStage(ctx context.Context, code, stage string) error {
	cycleID, err := t.cycleID(ctx)
	if err != nil {
		return err
	}
	orgID, err := t.communityID(ctx, code)
	if err != nil {
		return err
	}
	stages, err := t.stages(ctx, cycleID)
	if err != nil {
		return err
	}
	marks, err := marksOf(ctx, t.tx, orgID, cycleID, code)
	if err != nil {
		return err
	}
	if err := progress.CheckUnmark(stages, doneDays(marks), stage); err != nil {
		return err
	}
	if _, err := t.exec(ctx, `DELETE FROM progress_marks WHERE org_id = $1 AND cycle_id = $2 AND stage_code = $3`,
		orgID, cycleID, stage); err != nil {
		return err
	}
	prev := marks[stage]
	return t.Audit(ctx, audit.ProgressUnmark, On("community", code, code),
		audit.Fields{"stage": stage, "done_on": prev.DoneOn, "evidence": prev.Evidence, "attachment": prev.Attachment}, nil)
}

// ImportProgressMarks bulk-inserts marks (demo data, benchmarks, migration
// from spreadsheets) by community code, in statements of 500 rows, with one
// audit entry. Each community's marks are checked against the dependency
// rule among themselves and today; a community that already has a mark of
// the same stage fails the whole import. Codes outside scope are refused.
func (t *Tx) ImportProgressMarks(ctx context.Context, marks []ProgressMark) error {
	if len(marks) == 0 {
		return nil
	}
	cycleID, err := t.cycleID(ctx)
	if err != nil {
		return err
	}
	scope := t.q.scope
	stages, err := t.stages(ctx, cycleID)
	if err != nil {
		return err
	}
	lo, hi := scope.Bounds()
	rows, err := t.tx.QueryContext(ctx, `SELECT code, id FROM orgs WHERE kind = 'community' AND path >= $1 AND path < $2`, lo, hi)
	if err != nil {
		return err
	}
	ids := map[string]int64{}
	for rows.Next() {
		var code string
		var id int64
		if err := rows.Scan(&code, &id); err != nil {
			rows.Close()
			return err
		}
		ids[code] = id
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	byOrg := map[string]map[string]civil.Date{}
	for _, m := range marks {
		if _, ok := ids[m.OrgCode]; !ok {
			return errs.Newf(errs.Unprocessable, "社区“%s”不存在或不在管辖范围内", m.OrgCode)
		}
		if byOrg[m.OrgCode] == nil {
			byOrg[m.OrgCode] = map[string]civil.Date{}
		}
		byOrg[m.OrgCode][m.Stage] = m.DoneOn
	}
	today := t.s.Today()
	for _, m := range marks {
		if err := progress.CheckMark(stages, byOrg[m.OrgCode], m.Stage, m.DoneOn, today); err != nil {
			return errs.Wrap(err, errs.CodeOf(err), "社区“"+m.OrgCode+"”:"+errs.MessageOf(err))
		}
	}
	by, at := t.q.actor.Name, t.s.clock()
	if err := t.insertRows(ctx, "progress_marks", []string{"org_id", "cycle_id", "stage_code", "done_on", "evidence", "attachment",
		"marked_by", "marked_at"}, len(marks), func(i int) ([]any, error) {
		m := marks[i]
		return []any{ids[m.OrgCode], cycleID, m.Stage, m.DoneOn, m.Evidence, m.Attachment, by, at}, nil
	}); err != nil {
		if isUnique(err) {
			return errs.Wrap(err, errs.Conflict, "导入的环节中有已经标记完成的")
		}
		return fmt.Errorf("import progress marks: %w", err)
	}
	return t.Audit(ctx, audit.ProgressImport, On("cycle", itoa(cycleID), ""), nil,
		audit.Fields{"marks": len(marks), "communities": len(byOrg), "scope": scope.Path})
}

// LateStage is a community's stage past its deadline and not done.
type LateStage struct {
	Code, Name, DistrictName string // the community
	Stage, StageName         string
	Election                 progress.Election
	Deadline                 civil.Date // YYYY-MM-DD
}

// LateStages lists every (community, stage) of the communities in scope that
// is late on today (YYYY-MM-DD): the deadline (the community's day of the
// stage's election + offset) is before today and the stage has no mark.
// One query: a stage is late in a community when that day is before today
// minus the offset, and each community × stage is a lookup on the marks'
// primary key. In tree order, then stage order.
func (q *Scoped) LateStages(ctx context.Context, today civil.Date, limit int) ([]LateStage, error) {
	if !today.Valid() {
		return nil, errs.OnField("today", "日期格式应为 2026-03-01")
	}
	cycle, err := q.Cycle(ctx)
	if err != nil {
		return nil, err
	}
	s, scope := q.s, q.scope
	stages, _, err := progressStages(ctx, s.db, cycle.ID)
	if err != nil || len(stages) == 0 {
		return nil, err
	}
	// A community without its own days uses the cycle's (both or none: SetElectionDays).
	fallback := progress.Resolve(progress.Days{}, cycleDays(cycle))
	lo, hi := scope.Bounds()
	args := []any{cycle.ID, lo, hi}
	sel := make([]string, len(stages))
	for i, st := range stages {
		args = append(args, st.Code, string(st.Election), string(fallback.For(st.Election)), string(today.AddDays(-st.OffsetDays)))
		n := len(args)
		sel[i] = `SELECT CAST($` + strconv.Itoa(n-3) + ` AS TEXT) AS code, CAST($` + strconv.Itoa(n-2) + ` AS TEXT) AS election, CAST($` +
			strconv.Itoa(n-1) + ` AS TEXT) AS fallback, CAST($` + strconv.Itoa(n) + ` AS TEXT) AS before_day, ` + strconv.Itoa(i) + ` AS ord`
	}
	rows, err := s.db.QueryContext(ctx, `SELECT o.code, o.name, COALESCE(p.name, ''), ls.ord, COALESCE(ed.day, ls.fallback)
		FROM orgs o CROSS JOIN (`+strings.Join(sel, ` UNION ALL `)+`) ls LEFT JOIN orgs p ON p.id = o.parent_id
		LEFT JOIN election_days ed ON ed.cycle_id = $1 AND ed.org_id = o.id AND ed.committee = ls.election
		WHERE o.kind = 'community' AND o.path >= $2 AND o.path < $3 AND COALESCE(ed.day, ls.fallback) < ls.before_day
		AND NOT EXISTS (SELECT 1 FROM progress_marks m WHERE m.org_id = o.id AND m.cycle_id = $1 AND m.stage_code = ls.code)
		ORDER BY o.path, ls.ord`+Page{Limit: limit}.sql(), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []LateStage
	for rows.Next() {
		var l LateStage
		var ord int
		var day civil.Date
		if err := rows.Scan(&l.Code, &l.Name, &l.DistrictName, &ord, &day); err != nil {
			return nil, err
		}
		st := stages[ord]
		l.Stage, l.StageName, l.Election, l.Deadline = st.Code, st.Name, st.Election, day.AddDays(st.OffsetDays)
		out = append(out, l)
	}
	return out, rows.Err()
}

// ProgressDays are the days the deadlines of a community without its own
// days count from: the cycle's, or the defaults while it has none
// (progress.Resolve).
func (q *Scoped) ProgressDays(ctx context.Context) (progress.Days, error) {
	cycle, err := q.Cycle(ctx)
	return progress.Resolve(progress.Days{}, cycleDays(cycle)), err
}
