package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/huanjie/huanjie/internal/assess"
	"github.com/huanjie/huanjie/internal/audit"
	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/org"
)

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// communityInScope returns the id of a community in scope; NotFound otherwise.
func communityInScope(ctx context.Context, q querier, scope org.Scope, code string) (int64, error) {
	lo, hi := scope.Bounds()
	var id int64
	err := q.QueryRowContext(ctx, `SELECT id FROM orgs WHERE code = $1 AND kind = 'community' AND path >= $2 AND path < $3`,
		code, lo, hi).Scan(&id)
	return id, notFound(err, "没有找到该社区")
}

// AddAssessment records an assessment of the community with code, computes
// its class under the cycle's rubric and rules, and makes it the community's
// standing unless the standing rests on an assessment dated later (the
// newest assessment stays current; one of the same day replaces it). It returns the assessment with its result. NotFound unless the
// community lies in the transaction's scope.
func (t *Tx) AddAssessment(ctx context.Context, a assess.Assessment) (assess.Assessment, error) {
	cycleID, err := t.cycleID(ctx)
	if err != nil {
		return a, err
	}
	orgID, err := t.communityID(ctx, a.OrgCode)
	if err != nil {
		return a, err
	}
	rubric, err := rubricOf(ctx, t.tx, cycleID)
	if err != nil {
		return a, err
	}
	rules, err := rulesOf(ctx, t.tx, cycleID)
	if err != nil {
		return a, err
	}
	now := t.s.clock()
	if err := a.Validate(rubric, civil.Of(now)); err != nil {
		return a, err
	}
	a.Result = assess.Classify(rubric, rules, a.Scores)
	a.CreatedBy, a.CreatedAt = t.q.actor.Name, now
	team, _ := json.Marshal(a.Assessors)
	scores, _ := json.Marshal(a.Scores)
	err = t.queryRow(ctx, `INSERT INTO assessments (org_id, cycle_id, assessed_on, assessors, findings, scores, total, max_total,
		computed_class, explanation, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
		orgID, cycleID, a.AssessedOn, string(team), a.Findings, string(scores), a.Result.Total, a.Result.Max,
		string(a.Result.Class), a.Result.Explanation, a.CreatedBy, now).Scan(&a.ID)
	if err != nil {
		return a, fmt.Errorf("add assessment: %w", err)
	}
	st, err := t.standing(ctx, orgID, cycleID)
	if err != nil {
		return a, err
	}
	currentOn := ""
	if st.AssessmentID != 0 {
		if err := t.queryRow(ctx, `SELECT assessed_on FROM assessments WHERE id = $1`, st.AssessmentID).Scan(&currentOn); err != nil {
			return a, fmt.Errorf("current assessment: %w", err)
		}
	}
	if supersedes(a.AssessedOn, currentOn) {
		next := st
		next.Computed, next.Explanation, next.AssessmentID = a.Result.Class, a.Result.Explanation, a.ID
		if err := t.putStanding(ctx, orgID, cycleID, st, next, "新研判"); err != nil {
			return a, err
		}
	}
	return a, t.Audit(ctx, audit.AssessAdd, On("community", a.OrgCode, a.OrgCode), audit.Fields{"class": string(st.Computed)},
		audit.Fields{"assessment": a.ID, "assessed_on": a.AssessedOn, "total": a.Result.Total, "class": string(a.Result.Class)})
}

// supersedes reports whether an assessment made on day becomes the
// standing over the current one made on current ("" when there is none):
// the newest stays current, and of one day the one recorded last.
func supersedes(day civil.Date, current string) bool {
	return current == "" || string(day) >= current
}

// standing reads a community's standing; the zero Standing if it has none.
func (t *Tx) standing(ctx context.Context, orgID, cycleID int64) (assess.Standing, error) {
	var s assess.Standing
	var at sql.NullTime
	var aid sql.NullInt64
	err := t.queryRow(ctx, `SELECT COALESCE(assessment_id, 0), computed_class, override_class, override_reason, override_by, override_at, explanation
		FROM standings WHERE org_id = $1 AND cycle_id = $2`+t.s.forUpdate(), orgID, cycleID).
		Scan(&aid, &s.Computed, &s.Override, &s.OverrideReason, &s.OverrideBy, &at, &s.Explanation)
	if errors.Is(err, sql.ErrNoRows) {
		return assess.Standing{}, nil
	}
	s.AssessmentID, s.OverrideAt = aid.Int64, at.Time
	return s, err
}

// putStanding writes next as the community's standing and logs a class
// change when the class in force moves.
func (t *Tx) putStanding(ctx context.Context, orgID, cycleID int64, prev, next assess.Standing, cause string) error {
	now := t.s.clock()
	var overrideAt any
	if !next.OverrideAt.IsZero() {
		overrideAt = next.OverrideAt
	}
	var aid any
	if next.AssessmentID != 0 {
		aid = next.AssessmentID
	}
	_, err := t.exec(ctx, `INSERT INTO standings (org_id, cycle_id, assessment_id, computed_class, override_class, override_reason,
		override_by, override_at, explanation, class, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
		ON CONFLICT (org_id, cycle_id) DO UPDATE SET assessment_id = excluded.assessment_id, computed_class = excluded.computed_class,
		override_class = excluded.override_class, override_reason = excluded.override_reason, override_by = excluded.override_by,
		override_at = excluded.override_at, explanation = excluded.explanation, class = excluded.class, updated_at = excluded.updated_at`,
		orgID, cycleID, aid, string(next.Computed), string(next.Override), next.OverrideReason, next.OverrideBy, overrideAt,
		next.Explanation, string(next.Class()), now)
	if err != nil {
		return fmt.Errorf("standing: %w", err)
	}
	if prev.Class() == next.Class() {
		return nil
	}
	if err := t.logClassChanges(ctx, cycleID, now, cause, []classChange{{orgID, prev.Class(), next.Class()}}); err != nil {
		return err
	}
	path, err := t.pathOfID(ctx, orgID)
	if err != nil {
		return err
	}
	moves := classTally{}
	moves.move(path, prev.Class(), next.Class())
	t.addClassTotals(cycleID, moves)
	return nil
}

// SetOverride sets (class A, B or C, with a reason) or lifts (class "") the
// office's override of a community's computed class. NotFound unless the
// community lies in the transaction's scope.
func (t *Tx) SetOverride(ctx context.Context, code string, class assess.Class, reason string) (assess.Standing, error) {
	if err := assess.CheckOverride(class, reason); err != nil {
		return assess.Standing{}, err
	}
	cycleID, err := t.cycleID(ctx)
	if err != nil {
		return assess.Standing{}, err
	}
	orgID, err := t.communityID(ctx, code)
	if err != nil {
		return assess.Standing{}, err
	}
	prev, err := t.standing(ctx, orgID, cycleID)
	if err != nil {
		return assess.Standing{}, err
	}
	if prev.AssessmentID == 0 {
		return assess.Standing{}, errs.New(errs.Unprocessable, "该社区尚未研判,不能调整类别")
	}
	next := prev
	next.Override, next.OverrideReason, next.OverrideBy, next.OverrideAt = class, reason, t.q.actor.Name, t.s.clock()
	cause := "人工调整类别:" + reason
	if class == assess.Unassessed {
		next.OverrideReason, next.OverrideBy, next.OverrideAt, cause = "", "", time.Time{}, "取消人工调整"
	}
	if err := t.putStanding(ctx, orgID, cycleID, prev, next, cause); err != nil {
		return assess.Standing{}, err
	}
	next.OrgCode = code
	return next, t.Audit(ctx, audit.AssessOverride, On("community", code, code),
		audit.Fields{"override": string(prev.Override), "reason": prev.OverrideReason, "class": string(prev.Class())},
		audit.Fields{"override": string(class), "reason": next.OverrideReason, "class": string(next.Class())})
}

// Reclassified counts what a reclassification did.
type Reclassified struct {
	Communities int // with an assessment
	Changed     int // whose class in force moved
}

// Reclassify recomputes the class of every assessed community of the cycle
// from its latest assessment under the current rubric and rules, e.g. after
// either was edited. It moves the whole zone's classes: Forbidden unless
// the transaction may change zone-wide settings.
func (t *Tx) Reclassify(ctx context.Context, cause string) (Reclassified, error) {
	if err := t.needZone(); err != nil {
		return Reclassified{}, err
	}
	cycleID, err := t.cycleID(ctx)
	if err != nil {
		return Reclassified{}, err
	}
	return t.reclassify(ctx, cycleID, cause)
}

// reclassify is Reclassify of the cycle, for the callers that checked the
// right to do it. It reads the scores in one pass and writes only what moved.
func (t *Tx) reclassify(ctx context.Context, cycleID int64, cause string) (Reclassified, error) {
	rubric, err := rubricOf(ctx, t.tx, cycleID)
	if err != nil {
		return Reclassified{}, err
	}
	rules, err := rulesOf(ctx, t.tx, cycleID)
	if err != nil {
		return Reclassified{}, err
	}
	type row struct {
		orgID int64
		path  string
		prev  assess.Standing
		res   assess.Result
	}
	var changed []row
	var n Reclassified
	rows, err := t.tx.QueryContext(ctx, `SELECT s.org_id, o.path, s.computed_class, s.override_class, s.explanation, a.scores
		FROM standings s JOIN assessments a ON a.id = s.assessment_id JOIN orgs o ON o.id = s.org_id WHERE s.cycle_id = $1`, cycleID)
	if err != nil {
		return n, err
	}
	sc := assess.Scores{}
	for rows.Next() {
		var r row
		var scoresJSON sql.RawBytes
		if err := rows.Scan(&r.orgID, &r.path, &r.prev.Computed, &r.prev.Override, &r.prev.Explanation, &scoresJSON); err != nil {
			rows.Close()
			return n, err
		}
		if err := decodeScores(scoresJSON, sc); err != nil {
			rows.Close()
			return n, fmt.Errorf("scores of org %d: %w", r.orgID, err)
		}
		n.Communities++
		r.res = assess.Classify(rubric, rules, sc)
		if r.res.Class != r.prev.Computed || r.res.Explanation != r.prev.Explanation {
			changed = append(changed, r)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return n, err
	}
	now := t.s.clock()
	var ups []standingUpdate
	var logs []classChange
	moves := classTally{}
	for _, r := range changed {
		next := r.prev
		next.Computed = r.res.Class
		ups = append(ups, standingUpdate{r.orgID, next.Computed, r.res.Explanation, next.Class()})
		if next.Class() != r.prev.Class() {
			n.Changed++
			moves.move(r.path, r.prev.Class(), next.Class())
			logs = append(logs, classChange{r.orgID, r.prev.Class(), next.Class()})
		}
	}
	if err := t.updateStandings(ctx, cycleID, now, ups); err != nil {
		return n, err
	}
	if err := t.logClassChanges(ctx, cycleID, now, cause, logs); err != nil {
		return n, err
	}
	t.addClassTotals(cycleID, moves)
	return n, t.Audit(ctx, audit.AssessReclassify, On("cycle", itoa(cycleID), ""), nil,
		audit.Fields{"communities": n.Communities, "changed": n.Changed, "cause": cause})
}
