package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/huanjie/huanjie/internal/account"
	"github.com/huanjie/huanjie/internal/audit"
	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/vetting"
)

// The joint review (联审): departments and their checklists, rounds, the
// requests of each round and the departments' answers.

// joinCodes and splitCodes store a list of condition codes as "a,b,c".
func joinCodes(codes []string) string { return strings.Join(codes, ",") }

// anyID appends ids to args as one parameter and answers the condition
// that col is one of them: "col IN (SELECT value FROM json_each($4))" on
// SQLite, "col = ANY($4::bigint[])" on PostgreSQL. The statement's text is
// the same whatever the ids, so it is prepared once (stmts.go); with the
// ids written into it, every answer's statements were new ones, each
// prepared and kept until the cache of statements was full, after which
// no statement new to it was kept. (A placeholder per id costs SQLite's
// driver time in the square of their number.)
//
// On PostgreSQL the array is a condition of the index's scan whatever the
// planner knows of the table. Written "col IN (SELECT unnest($4))", as it
// was, it is a join, and the generic plan of a statement first planned on
// a table the same transaction was filling (the demo's third gate, 2,415
// persons in one transaction) walked the whole cycle's rows of the table
// for every call: 0.5 ms a call at the start, 4 ms at the end.
//
// On PostgreSQL one id is "col = $4::bigint". A generic plan takes an
// array parameter to hold 10 elements whatever it holds, and a plan made
// for the array given takes it for what it holds: for the one record of an
// interactive write the generic plan looked ten times as dear, so
// PostgreSQL, which keeps a generic plan only when it looks no dearer
// (plan_cache_mode=auto, Pools.Keyed), planned the statement again on every
// call. A single value's generic plan is its custom one. The seal
// (appendAfter) and the digests' updates (keepDigests) send one entry or
// one record the same way.
func (s *Store) anyID(col string, args *[]any, ids []int64) string {
	if s.engine == Postgres {
		if len(ids) == 1 {
			*args = append(*args, ids[0])
			return col + " = $" + strconv.Itoa(len(*args)) + "::bigint"
		}
		*args = append(*args, ids)
		return col + " = ANY($" + strconv.Itoa(len(*args)) + "::bigint[])"
	}
	list := make([]byte, 0, 1+len(ids)*8)
	list = append(list, '[')
	for i, id := range ids {
		if i > 0 {
			list = append(list, ',')
		}
		list = strconv.AppendInt(list, id, 10)
	}
	*args = append(*args, string(append(list, ']')))
	return col + " IN (SELECT value FROM json_each($" + strconv.Itoa(len(*args)) + "))"
}

// anyText is anyID for strings (codes): "col IN (SELECT value FROM
// json_each($4))" on SQLite, "col = ANY($4::text[])" on PostgreSQL.
func (s *Store) anyText(col string, args *[]any, texts []string) string {
	if s.engine == Postgres {
		*args = append(*args, texts)
		return col + " = ANY($" + strconv.Itoa(len(*args)) + "::text[])"
	}
	list, _ := json.Marshal(texts) // strings only: it cannot fail
	*args = append(*args, string(list))
	return col + " IN (SELECT value FROM json_each($" + strconv.Itoa(len(*args)) + "))"
}

func splitCodes(s string) []string {
	var out []string
	for _, c := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '[' || r == ']' || r == '"' || r == ' ' }) {
		out = append(out, c)
	}
	return out
}

// reviewDepartment is a department with its row id.
type reviewDepartment struct {
	id int64
	vetting.Department
}

func reviewDepartments(ctx context.Context, q querier, where string, args ...any) ([]reviewDepartment, error) {
	rows, err := q.QueryContext(ctx, `SELECT d.id, d.code, d.name, COALESCE(c.conditions, ''), c.department_id IS NOT NULL
		FROM departments d LEFT JOIN department_checklists c ON c.department_id = d.id`+where+` ORDER BY d.sort, d.id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []reviewDepartment
	for rows.Next() {
		var d reviewDepartment
		var conds string
		var set bool
		if err := rows.Scan(&d.id, &d.Code, &d.Name, &conds, &set); err != nil {
			return nil, err
		}
		if set {
			d.Checklist = splitCodes(conds)
		} else {
			d.Checklist = vetting.DefaultChecklist(d.Code)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// ReviewDepartments lists the vetting departments in their order, each with
// its checklist: the one the office set, else the default of its code
// (vetting.DefaultDepartments), else none. They are the zone's settings,
// the same for every account.
func (q *Scoped) ReviewDepartments(ctx context.Context) (vetting.Departments, error) {
	return q.s.reviewDepartmentList(ctx)
}

func (s *Store) reviewDepartmentList(ctx context.Context) (vetting.Departments, error) {
	ds, err := reviewDepartments(ctx, s.db, "")
	if err != nil {
		return nil, err
	}
	out := make(vetting.Departments, len(ds))
	for i, d := range ds {
		out[i] = d.Department
	}
	return out, nil
}

// SetChecklist sets the conditions department code checks, a setting of the
// whole zone. Codes must be in the catalogue; an empty list is refused.
// Forbidden unless the transaction may change zone-wide settings, NotFound
// for an unknown department, Unprocessable for a bad checklist.
func (t *Tx) SetChecklist(ctx context.Context, code string, checklist []string) (vetting.Department, error) {
	if err := t.needZone(); err != nil {
		return vetting.Department{}, err
	}
	ds, err := reviewDepartments(ctx, t.tx, "")
	if err != nil {
		return vetting.Department{}, err
	}
	i := slices.IndexFunc(ds, func(d reviewDepartment) bool { return d.Code == code })
	if i < 0 {
		return vetting.Department{}, errs.New(errs.NotFound, "没有找到该联审部门")
	}
	d := ds[i]
	before := d.Checklist
	// Keep the catalogue's order, so the form and the stored list agree.
	var list []string
	for _, c := range vetting.DefaultCatalogue() {
		if slices.Contains(checklist, c.Code) {
			list = append(list, c.Code)
		}
	}
	for _, c := range checklist {
		if !slices.Contains(list, c) {
			if _, ok := vetting.DefaultCatalogue().Find(c); !ok {
				return d.Department, errs.OnField("checklist", "审查清单引用了未知情形 "+c)
			}
		}
	}
	d.Checklist = list
	if err := (vetting.Departments{d.Department}).Validate(vetting.DefaultCatalogue()); err != nil {
		return d.Department, err
	}
	_, err = t.exec(ctx, `INSERT INTO department_checklists (department_id, conditions) VALUES ($1, $2)
		ON CONFLICT (department_id) DO UPDATE SET conditions = excluded.conditions`, d.id, joinCodes(list))
	if err != nil {
		return d.Department, err
	}
	return d.Department, t.Audit(ctx, audit.ReviewChecklist, On("department", code, ""),
		audit.Fields{"checklist": joinCodes(before)}, audit.Fields{"checklist": joinCodes(list)})
}

// RoundRow is a round with its progress.
type RoundRow struct {
	vetting.Round
	KindLabel string
	Requests  int // requests sent
	Answered  int // requests answered
	Aspirants int // aspirants sent
}

func cycleRounds(ctx context.Context, q querier, cycleID int64) ([]vetting.Round, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, cycle_id, kind, doc_no, started_on, deadline, created_by, created_at
		FROM review_rounds WHERE cycle_id = $1 ORDER BY started_on, id`, cycleID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []vetting.Round
	for rows.Next() {
		var r vetting.Round
		if err := rows.Scan(&r.ID, &r.CycleID, &r.Kind, &r.DocNo, &r.Date, &r.Deadline, &r.CreatedBy, &r.CreatedAt); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// ReviewRounds lists the cycle's rounds in order of date, with how many
// requests each sent and how many are answered. A scoped account sees the
// rounds that sent requests about aspirants in its scope, counted there.
func (q *Scoped) ReviewRounds(ctx context.Context) ([]RoundRow, error) {
	cycleID, err := q.cycleID(ctx)
	if err != nil {
		return nil, err
	}
	rounds, err := cycleRounds(ctx, q.s.db, cycleID)
	if err != nil {
		return nil, err
	}
	out := make([]RoundRow, 0, len(rounds))
	for _, r := range rounds {
		row := RoundRow{Round: r, KindLabel: r.Kind.Label()}
		var open int
		if q.scope == org.All {
			err := q.s.db.QueryRowContext(ctx, `SELECT COUNT(*), COUNT(DISTINCT aspirant_id) FROM review_requests WHERE round_id = $1`, r.ID).
				Scan(&row.Requests, &row.Aspirants)
			if err != nil {
				return nil, err
			}
			// Open requests are few once a round is under way and the queue
			// index finds them; answered = sent − open.
			if err := q.s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM review_requests WHERE verdict = '' AND round_id = $1`, r.ID).Scan(&open); err != nil {
				return nil, err
			}
		} else {
			args := []any{r.ID}
			err := q.s.db.QueryRowContext(ctx, `SELECT COUNT(*), COUNT(DISTINCT q.aspirant_id), COALESCE(SUM(CASE WHEN q.verdict = '' THEN 1 ELSE 0 END), 0)
				FROM review_requests q WHERE q.round_id = $1`+requestsWithin(q.scope, &args), args...).Scan(&row.Requests, &row.Aspirants, &open)
			if err != nil {
				return nil, err
			}
			if row.Requests == 0 {
				continue // a round of other units
			}
		}
		row.Answered = row.Requests - open
		out = append(out, row)
	}
	return out, nil
}

// requestsWithin is the condition that keeps review requests (as q) to
// aspirants of the communities in scope, its bounds appended to args; none
// for the whole tree, so that the queue index answers alone.
func requestsWithin(scope org.Scope, args *[]any) string {
	if scope == org.All {
		return ""
	}
	lo, hi := scope.Bounds()
	*args = append(*args, lo, hi)
	n := len(*args)
	return ` AND q.aspirant_id IN (SELECT a.id FROM aspirants a JOIN orgs o ON o.id = a.org_id WHERE o.path >= $` +
		strconv.Itoa(n-1) + ` AND o.path < $` + strconv.Itoa(n) + `)`
}

// RoundStarted is what StartReviewRound did.
type RoundStarted struct {
	Round     vetting.Round
	Requests  int
	Aspirants int
}

// startable are the statuses an aspirant can be sent to a round of kind k
// from (vetting.Status.CanStartRound).
func startable(k vetting.RoundKind) []string {
	var out []string
	for _, st := range vetting.Statuses {
		if st.CanStartRound(k) {
			out = append(out, string(st))
		}
	}
	return out
}

// sendableText says who a round of kind k takes, for messages.
func sendableText(k vetting.RoundKind) string {
	if k == vetting.FirstRound {
		return "联审只送尚未联审的已登记参选人"
	}
	return "二次联审送已登记、联审完成、资格通过或不宜的参选人"
}

// StartReviewRound starts a round of joint review for every aspirant of the
// cycle in the transaction's scope whose status allows it (vetting.Status.CanStartRound), or
// for the chosen ones (r.Only, each of whom must be sendable): one
// request per aspirant and department with a checklist, due on the round's
// deadline; the aspirants move to under review. The requests are written by
// one INSERT … SELECT and the statuses by one UPDATE, with one audit entry
// for the round (counts included), so 100,000 aspirants stay well inside
// a minute. Unprocessable for a bad round or when no aspirant can be sent.
func (t *Tx) StartReviewRound(ctx context.Context, r vetting.Round) (RoundStarted, error) {
	cycleID, err := t.cycleID(ctx)
	if err != nil {
		return RoundStarted{}, err
	}
	earlier, err := cycleRounds(ctx, t.tx, cycleID)
	if err != nil {
		return RoundStarted{}, err
	}
	if err := r.Validate(earlier); err != nil {
		return RoundStarted{}, err
	}
	ds, err := reviewDepartments(ctx, t.tx, "")
	if err != nil {
		return RoundStarted{}, err
	}
	var deptIDs []string
	for _, d := range ds {
		if len(d.Checklist) > 0 {
			deptIDs = append(deptIDs, itoa(d.id))
		}
	}
	if len(deptIDs) == 0 {
		return RoundStarted{}, errs.New(errs.Unprocessable, "尚未配置任何联审部门的审查清单")
	}
	from := startable(r.Kind)
	for _, st := range from {
		if err := vetting.Transition(vetting.Status(st), vetting.UnderReview); err != nil {
			return RoundStarted{}, err // the machine and startable disagree: a bug
		}
	}
	statusIn := `('` + strings.Join(from, `','`) + `')` // codes of our own state machine
	now := t.s.clock()
	r.CycleID, r.CreatedBy, r.CreatedAt = cycleID, t.q.actor.Name, now
	err = t.queryRow(ctx, `INSERT INTO review_rounds (cycle_id, kind, doc_no, started_on, deadline, created_by, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, cycleID, string(r.Kind), r.DocNo, r.Date, r.Deadline, r.CreatedBy, now).Scan(&r.ID)
	if err != nil {
		return RoundStarted{}, fmt.Errorf("add round: %w", err)
	}
	lo, hi := t.q.scope.Bounds()
	only := ""
	if len(r.Only) > 0 {
		ids := make([]string, len(r.Only))
		for i, id := range r.Only {
			ids[i] = itoa(id)
		}
		only = ` AND a.id IN (` + strings.Join(ids, ",") + `)`
	}
	res, err := t.exec(ctx, `INSERT INTO review_requests (round_id, aspirant_id, department_id, deadline)
		SELECT $1, a.id, d.id, $2 FROM aspirants a JOIN orgs o ON o.id = a.org_id CROSS JOIN departments d
		WHERE a.cycle_id = $3 AND o.path >= $4 AND o.path < $5 AND a.status IN `+statusIn+only+`
		AND d.id IN (`+strings.Join(deptIDs, ",")+`) ORDER BY a.id, d.sort, d.id`, r.ID, r.Deadline, cycleID, lo, hi)
	if err != nil {
		return RoundStarted{}, fmt.Errorf("add requests: %w", err)
	}
	requests, err := res.RowsAffected()
	if err != nil {
		return RoundStarted{}, err
	}
	if sent := requests / int64(len(deptIDs)); len(r.Only) > 0 && sent != int64(len(r.Only)) {
		return RoundStarted{}, errs.Newf(errs.Unprocessable, "所选的 %d 名参选人中有 %d 名不能送%s(不在管辖范围内,或其状态不允许:%s)",
			len(r.Only), int64(len(r.Only))-sent, r.Kind.Label(), sendableText(r.Kind))
	}
	if requests == 0 {
		return RoundStarted{}, errs.Newf(errs.Unprocessable, "管辖范围内没有可送%s的参选人(%s)", r.Kind.Label(), sendableText(r.Kind))
	}
	res, err = t.exec(ctx, `UPDATE aspirants SET status = $1, updated_at = $2
		WHERE id IN (SELECT DISTINCT aspirant_id FROM review_requests WHERE round_id = $3) AND status IN `+statusIn,
		string(vetting.UnderReview), now, r.ID)
	if err != nil {
		return RoundStarted{}, fmt.Errorf("move aspirants: %w", err)
	}
	aspirants, err := res.RowsAffected()
	if err != nil {
		return RoundStarted{}, err
	}
	if want := requests / int64(len(deptIDs)); aspirants != want || requests%int64(len(deptIDs)) != 0 {
		return RoundStarted{}, errs.New(errs.Conflict, "参选人状态在发起联审时发生变化,请重试")
	}
	out := RoundStarted{Round: r, Requests: int(requests), Aspirants: int(aspirants)}
	t.filled("review_requests", out.Requests)
	return out, t.Audit(ctx, audit.ReviewRound, On("review_round", itoa(r.ID), ""), nil, audit.Fields{
		"kind": string(r.Kind), "doc_no": r.DocNo, "date": r.Date, "deadline": r.Deadline,
		"requests": out.Requests, "aspirants": out.Aspirants, "departments": len(deptIDs), "scope": lo})
}

// QueueItem is one request as its department sees it: only what it needs to
// check the person, with the full ID number.
type QueueItem struct {
	ID         int64
	RoundID    int64
	DocNo      string
	AspirantID int64
	Name, Sex  string
	IDNumber   string // in full for the department's reviewer; masked elsewhere
	Community  string
	Department string // code
	Deadline   civil.Date
	Overdue    bool
	Answer     vetting.Answer
}

// MaxQueuePage is the most requests one ReviewQueue call returns (an Excel
// export of a whole queue).
const MaxQueuePage = 200_000

// QueueFilter narrows a department's queue.
type QueueFilter struct {
	Status        string        // "", "open" or "answered"
	Limit, Offset int           // Limit 0: 100
	AfterID       int64         // keyset paging: only requests after this id (with Status open or answered)
	Action        *audit.Action // the audit action; nil is review.queue.view (a page), e.g. audit.ReviewQueueXLSX
}

// queueScope is the condition that keeps a queue to the cycle's rounds. A
// database holding only this cycle's rounds needs none, so the queue index
// (department, verdict, id) answers alone; otherwise the round is checked
// per row.
func queueScope(ctx context.Context, q querier, cycleID int64) (string, error) {
	var other bool
	err := q.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM review_rounds WHERE cycle_id <> $1)`, cycleID).Scan(&other)
	if err != nil || !other {
		return "", err
	}
	return ` AND q.round_id IN (SELECT id FROM review_rounds WHERE cycle_id = ` + itoa(cycleID) + `)`, nil
}

func queueStatus(status string) (string, error) {
	switch status {
	case "":
		return "", nil
	case "open":
		return ` AND q.verdict = ''`, nil
	case "answered":
		return ` AND q.verdict IN ('clean', 'findings')`, nil
	}
	return "", errs.OnField("status", "状态只能是待答复或已答复")
}

const queueColumns = `q.id, q.round_id, r.doc_no, a.id, a.name, a.sex, a.id_sealed, o.name, dp.code, q.deadline,
	q.verdict, q.conditions, q.note, q.attachment, q.answered_by, q.answered_at`

const queueFrom = ` JOIN review_rounds r ON r.id = q.round_id JOIN aspirants a ON a.id = q.aspirant_id
	JOIN orgs o ON o.id = a.org_id JOIN departments dp ON dp.id = q.department_id `

func (s *Store) scanQueueItem(row interface{ Scan(...any) error }, full bool) (QueueItem, error) {
	var it QueueItem
	var sealed, conds string
	var at sql.NullTime
	err := row.Scan(&it.ID, &it.RoundID, &it.DocNo, &it.AspirantID, &it.Name, &it.Sex, &sealed, &it.Community, &it.Department,
		&it.Deadline, &it.Answer.Verdict, &conds, &it.Answer.Note, &it.Answer.Attachment, &it.Answer.By, &at)
	if err != nil {
		return it, err
	}
	it.Answer.Conditions = splitCodes(conds)
	if at.Valid {
		it.Answer.At = at.Time
	}
	if full {
		if s.box == nil {
			return it, errors.New("store opened without a data key")
		}
		it.IDNumber, err = s.box.Open(sealed)
	} else {
		it.IDNumber, err = s.openMasked(sealed, vetting.MaskID)
	}
	if err != nil {
		return it, err
	}
	it.Overdue = vetting.Request{Deadline: it.Deadline, Answer: it.Answer}.Overdue(s.clock())
	return it, nil
}

func departmentID(ctx context.Context, q querier, code string) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, `SELECT id FROM departments WHERE code = $1`, code).Scan(&id)
	return id, notFound(err, "没有找到该联审部门")
}

// errNoDepartment answers the queue of an account bound to no department.
var errNoDepartment = errs.New(errs.NotFound, "没有找到该联审部门")

// queueDepartment is the id and code of the department whose queue q works
// on: a reviewer's own. NotFound for an account of no department.
func (q *Scoped) queueDepartment(ctx context.Context, db querier) (int64, string, error) {
	code := q.Department()
	if code == "" {
		return 0, "", errNoDepartment
	}
	id, err := departmentID(ctx, db, code)
	return id, code, err
}

// AsDepartment is q answering for the vetting department code, for the
// platform's own acts (the demo loader answers every department's queue).
// An account answers for its own department only: for a signed-in user q is
// returned as it is.
func (q *Scoped) AsDepartment(code string) *Scoped {
	if q.user.ID != 0 {
		return q
	}
	return &Scoped{s: q.s, user: account.User{Role: account.Reviewer, DepartmentCode: code}, actor: q.actor,
		scope: q.scope, zone: q.zone, dayOnly: q.dayOnly}
}

// CountQueue counts the requests of the cycle sent to q's department about
// aspirants in q's scope, with status ("", "open", "answered"). NotFound for
// an account of no department.
func (q *Scoped) CountQueue(ctx context.Context, status string) (int, error) {
	cycleID, err := q.cycleID(ctx)
	if err != nil {
		return 0, err
	}
	deptID, _, err := q.queueDepartment(ctx, q.s.db)
	if err != nil {
		return 0, err
	}
	cyc, err := queueScope(ctx, q.s.db, cycleID)
	if err != nil {
		return 0, err
	}
	st, err := queueStatus(status)
	if err != nil {
		return 0, err
	}
	args := []any{deptID}
	var n int
	err = q.s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM review_requests q WHERE q.department_id = $1`+st+cyc+
		requestsWithin(q.scope, &args), args...).Scan(&n)
	return n, err
}

// ReviewQueue returns a page of the requests of the cycle sent to the
// transaction's department about aspirants in its scope, open ones first,
// with the full ID numbers its reviewer checks records with; it records one
// audit entry for the page ("review.queue.view": the department, how many
// and the first and last id), as every sight of full numbers is. NotFound
// for an account of no department.
func (t *Tx) ReviewQueue(ctx context.Context, f QueueFilter) ([]QueueItem, error) {
	cycleID, err := t.cycleID(ctx)
	if err != nil {
		return nil, err
	}
	deptID, dept, err := t.q.queueDepartment(ctx, t.tx)
	if err != nil {
		return nil, err
	}
	cyc, err := queueScope(ctx, t.tx, cycleID)
	if err != nil {
		return nil, err
	}
	st, err := queueStatus(f.Status)
	if err != nil {
		return nil, err
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	limit = min(limit, MaxQueuePage)
	args := []any{deptID}
	after := ""
	if f.AfterID > 0 && f.Status != "" {
		args = append(args, f.AfterID)
		after = ` AND q.id > $` + strconv.Itoa(len(args))
	}
	within := requestsWithin(t.q.scope, &args)
	order := ` ORDER BY q.id`
	if f.Status == "" {
		// '' (open) sorts before 'clean' and 'findings': open first, on the queue index.
		order = ` ORDER BY q.verdict, q.id`
	}
	// Page the ids on the queue index alone, then join the page's rows.
	q := `SELECT ` + queueColumns + ` FROM (SELECT q.id FROM review_requests q WHERE q.department_id = $1` + st + cyc + after + within +
		order + ` LIMIT ` + strconv.Itoa(limit) + ` OFFSET ` + strconv.Itoa(max(f.Offset, 0)) + `) p
		JOIN review_requests q ON q.id = p.id` + queueFrom + order
	rows, err := t.tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	var out []QueueItem
	for rows.Next() {
		it, err := t.s.scanQueueItem(rows, true)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, it)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	fields := audit.Fields{"department": dept, "count": len(out)}
	if len(out) > 0 {
		fields["first_id"], fields["last_id"] = out[0].ID, out[len(out)-1].ID
	}
	act := f.Action
	if act == nil {
		act = audit.ReviewQueueView
	}
	return out, t.Audit(ctx, act, On("department", dept, ""), nil, fields)
}

// QueueRequest returns one request of the transaction's department about an
// aspirant in its scope with the full ID number, recording the sight in the
// audit log. A request of another department or outside the scope is
// NotFound, like a missing one.
func (t *Tx) QueueRequest(ctx context.Context, id int64) (QueueItem, error) {
	dept := t.q.Department()
	if dept == "" {
		return QueueItem{}, errNoDepartment
	}
	args := []any{id, dept}
	it, err := t.s.scanQueueItem(t.queryRow(ctx, `SELECT `+queueColumns+` FROM review_requests q`+queueFrom+
		`WHERE q.id = $1 AND dp.code = $2`+requestsWithin(t.q.scope, &args), args...), true)
	if err != nil {
		return it, notFound(err, "没有找到该联审任务")
	}
	return it, t.Audit(ctx, audit.ReviewQueueView, On("department", dept, ""), nil,
		audit.Fields{"department": dept, "count": 1, "first_id": id, "last_id": id})
}

// QueueOwners tells, for the given request ids, which department each
// belongs to; ids that do not exist, or are about aspirants outside q's
// scope, are absent.
func (q *Scoped) QueueOwners(ctx context.Context, ids []int64) (map[int64]string, error) {
	out := map[int64]string{}
	for start := 0; start < len(ids); start += 500 {
		var args []any
		in := q.s.anyID("q.id", &args, ids[start:min(start+500, len(ids))])
		within := requestsWithin(q.scope, &args)
		rows, err := q.s.db.QueryContext(ctx, `SELECT q.id, d.code FROM review_requests q JOIN departments d ON d.id = q.department_id
			WHERE `+in+within, args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id int64
			var code string
			if err := rows.Scan(&id, &code); err != nil {
				rows.Close()
				return nil, err
			}
			out[id] = code
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// ReviewAnswer is a department's answer to one request, for AnswerReviews.
type ReviewAnswer struct {
	RequestID int64
	Answer    vetting.Answer
}

// AnswerReview records the answer of the transaction's department to
// request id, validated against the department's checklist; answering again
// replaces the answer, audited with before and after. Findings mark the
// aspirant as having findings; once every request of the aspirant's latest
// round is answered the aspirant is marked reviewed and moves from under
// review to reviewed. NotFound for a request of another department or about
// an aspirant outside the scope, Unprocessable for a bad answer.
func (t *Tx) AnswerReview(ctx context.Context, id int64, a vetting.Answer) (QueueItem, error) {
	d, err := t.department(ctx)
	if err != nil {
		return QueueItem{}, err
	}
	aspirantID, err := t.answer(ctx, d, id, a)
	if err != nil {
		return QueueItem{}, err
	}
	if err := t.settleAspirants(ctx, []int64{aspirantID}); err != nil {
		return QueueItem{}, err
	}
	it, err := t.s.scanQueueItem(t.queryRow(ctx, `SELECT `+queueColumns+` FROM review_requests q`+queueFrom+`WHERE q.id = $1`, id), false)
	return it, err
}

// AnswerReviews records many answers of the transaction's department in one
// transaction with one audit entry for the batch, as AnswerReview does each:
// any bad answer, or request of another department or outside the scope,
// fails the whole batch, naming the first in order. A request answered
// twice in the batch keeps its last answer. The requests are read a
// thousand a statement, and on PostgreSQL written a thousand a statement
// (before, two round trips an answer); SQLite, whose statements cost no
// round trip, writes them one by one. The aspirants' flags and statuses
// are settled once, after all answers.
func (t *Tx) AnswerReviews(ctx context.Context, items []ReviewAnswer) error {
	d, err := t.department(ctx)
	if err != nil {
		return err
	}
	last := make(map[int64]int, len(items)) // request id: its last item
	ids := make([]int64, 0, len(items))
	for i, it := range items {
		if _, seen := last[it.RequestID]; !seen {
			ids = append(ids, it.RequestID)
		}
		last[it.RequestID] = i
	}
	aspirantOf := make(map[int64]int64, len(ids))
	for start := 0; start < len(ids); start += 1000 {
		args := []any{d.Code}
		in := t.s.anyID("q.id", &args, ids[start:min(start+1000, len(ids))])
		rows, err := t.tx.QueryContext(ctx, `SELECT q.id, q.aspirant_id FROM review_requests q JOIN departments dp ON dp.id = q.department_id
			WHERE `+in+` AND dp.code = $1`+requestsWithin(t.q.scope, &args)+t.s.forUpdateOf("q"), args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id, aspirant int64
			if err := rows.Scan(&id, &aspirant); err != nil {
				rows.Close()
				return err
			}
			aspirantOf[id] = aspirant
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	findings := 0
	seen := map[int64]bool{}
	var aspirants []int64
	for _, it := range items {
		aspirantID, ok := aspirantOf[it.RequestID]
		if !ok {
			return fmt.Errorf("编号 %d:%w", it.RequestID, errs.New(errs.NotFound, "没有找到该联审任务"))
		}
		if err := it.Answer.Validate(d); err != nil {
			return fmt.Errorf("编号 %d:%w", it.RequestID, err)
		}
		if !seen[aspirantID] {
			seen[aspirantID] = true
			aspirants = append(aspirants, aspirantID)
		}
		if it.Answer.Verdict == vetting.Findings {
			findings++
		}
	}
	if err := t.writeAnswers(ctx, ids, func(id int64) vetting.Answer { return items[last[id]].Answer }); err != nil {
		return err
	}
	if err := t.settleAspirants(ctx, aspirants); err != nil {
		return err
	}
	return t.Audit(ctx, audit.ReviewImport, On("department", d.Code, ""), nil,
		audit.Fields{"department": d.Code, "answers": len(items), "findings": findings})
}

// writeAnswers writes answer(id) to each request of ids, answered by the
// transaction's actor now.
func (t *Tx) writeAnswers(ctx context.Context, ids []int64, answer func(int64) vetting.Answer) error {
	by, now := t.q.actor.Name, t.s.clock()
	if t.s.engine == Postgres {
		for start := 0; start < len(ids); start += 1000 {
			part := ids[start:min(start+1000, len(ids))]
			verdict, conds, note, file := make([]string, len(part)), make([]string, len(part)), make([]string, len(part)), make([]string, len(part))
			for i, id := range part {
				a := answer(id)
				verdict[i], conds[i], note[i], file[i] = string(a.Verdict), joinCodes(a.Conditions), a.Note, a.Attachment
			}
			if _, err := t.exec(ctx, `UPDATE review_requests q SET verdict = v.verdict, conditions = v.conditions, note = v.note,
				attachment = v.attachment, answered_by = $6, answered_at = $7
				FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[]) AS v(id, verdict, conditions, note, attachment)
				WHERE q.id = v.id`, part, verdict, conds, note, file, by, now); err != nil {
				return err
			}
		}
		return nil
	}
	const q = `UPDATE review_requests SET verdict = $1, conditions = $2, note = $3, attachment = $4,
		answered_by = $5, answered_at = $6 WHERE id = $7`
	for _, id := range ids { // the store's kept statement (stmts.go), for one answer or a batch
		a := answer(id)
		if _, err := t.exec(ctx, q, string(a.Verdict), joinCodes(a.Conditions), a.Note, a.Attachment, by, now, id); err != nil {
			return err
		}
	}
	return nil
}

// department is the transaction's department with its checklist: the one
// row of it a write reads, not the list.
func (t *Tx) department(ctx context.Context) (vetting.Department, error) {
	code := t.q.Department()
	if code == "" {
		return vetting.Department{}, errNoDepartment
	}
	ds, err := reviewDepartments(ctx, t.tx, ` WHERE d.code = $1`, code)
	if err != nil {
		return vetting.Department{}, err
	}
	if len(ds) == 0 {
		return vetting.Department{}, errNoDepartment
	}
	return ds[0].Department, nil
}

// answer writes one answer, audited with before and after, and returns the
// request's aspirant.
func (t *Tx) answer(ctx context.Context, d vetting.Department, id int64, a vetting.Answer) (int64, error) {
	var aspirantID int64
	var old vetting.Answer
	var oldConds, unit string
	args := []any{id, d.Code}
	err := t.queryRow(ctx, `SELECT q.aspirant_id, q.verdict, q.conditions, q.note, q.attachment,
		(SELECT o.code FROM aspirants a JOIN orgs o ON o.id = a.org_id WHERE a.id = q.aspirant_id)
		FROM review_requests q JOIN departments dp ON dp.id = q.department_id WHERE q.id = $1 AND dp.code = $2`+
		requestsWithin(t.q.scope, &args)+t.s.forUpdateOf("q"), args...).Scan(&aspirantID, &old.Verdict, &oldConds, &old.Note, &old.Attachment, &unit)
	if err != nil {
		return 0, notFound(err, "没有找到该联审任务")
	}
	old.Conditions = splitCodes(oldConds)
	if err := a.Validate(d); err != nil {
		return 0, err // a 422 on its field
	}
	if err := t.writeAnswers(ctx, []int64{id}, func(int64) vetting.Answer { return a }); err != nil {
		return 0, err
	}
	var before audit.Fields
	if old.Verdict != "" {
		before = audit.Fields{"verdict": string(old.Verdict), "conditions": joinCodes(old.Conditions), "note": old.Note, "attachment": old.Attachment}
	}
	return aspirantID, t.Audit(ctx, audit.ReviewAnswer, On("review_request", itoa(id), unit), before, audit.Fields{"department": d.Code,
		"aspirant": aspirantID, "verdict": string(a.Verdict), "conditions": joinCodes(a.Conditions), "note": a.Note,
		"attachment": a.Attachment})
}

// settleAspirants brings the flags of aspirants whose requests were just
// answered up to date, a thousand at a time: findings when any answer of
// any round has findings; reviewed, and the move from under review to
// reviewed, once their latest round has no open request.
//
// On PostgreSQL, where writers run side by side, the aspirants are locked
// first, in the order of their ids (so two departments' batches cannot
// wait on each other in a circle): otherwise the last two departments to
// answer one aspirant, answering at once, each saw the other's request
// still open, and neither moved the aspirant, left under review with every
// request answered (TestLastAnswersTogether). Locked, the second waits for
// the first to commit, and its reads then see the first's answer.
func (t *Tx) settleAspirants(ctx context.Context, ids []int64) error {
	now := t.s.clock()
	ids = slices.Sorted(slices.Values(ids))
	for start := 0; start < len(ids); start += 1000 {
		batch := ids[start:min(start+1000, len(ids))]
		if t.s.engine == Postgres {
			args := []any{}
			if _, err := t.exec(ctx, `SELECT id FROM aspirants WHERE `+t.s.anyID("id", &args, batch)+` ORDER BY id FOR UPDATE`, args...); err != nil {
				return err
			}
		}
		// Only the aspirants whose flag changes are written: each write of
		// a protected record is digested again, and a round's twenty
		// departments each answer for every aspirant.
		findings := `EXISTS (SELECT 1 FROM review_requests r WHERE r.aspirant_id = aspirants.id AND r.verdict = 'findings')`
		args := []any{now}
		if _, err := t.exec(ctx, `UPDATE aspirants SET findings = `+findings+`, updated_at = $1
			WHERE `+t.s.anyID("id", &args, batch)+` AND findings <> `+findings, args...); err != nil {
			return err
		}
		args = nil
		rows, err := t.tx.QueryContext(ctx, settledAmong(t.s.anyID("a.id", &args, batch)), args...)
		if err != nil {
			return err
		}
		var done, moving []int64
		for rows.Next() {
			var id int64
			var status vetting.Status
			if err := rows.Scan(&id, &status); err != nil {
				rows.Close()
				return err
			}
			done = append(done, id)
			if status == vetting.UnderReview {
				moving = append(moving, id)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if len(done) > 0 {
			var args []any
			if _, err := t.exec(ctx, `UPDATE aspirants SET reviewed = TRUE WHERE `+t.s.anyID("id", &args, done)+` AND NOT reviewed`, args...); err != nil {
				return err
			}
		}
		if err := t.moveAspirants(ctx, moving, vetting.Reviewed, "联审全部答复"); err != nil {
			return err
		}
	}
	return nil
}

// settledAmong reads the aspirants among in (a condition on a.id, anyID)
// whose latest round has no open request, with their status. The latest
// round is found on the index of an aspirant's requests by round.
func settledAmong(in string) string {
	return `SELECT a.id, a.status FROM aspirants a WHERE ` + in + ` AND NOT EXISTS (
		SELECT 1 FROM review_requests r WHERE r.aspirant_id = a.id AND r.verdict = ''
		AND r.round_id = (SELECT MAX(x.round_id) FROM review_requests x WHERE x.aspirant_id = a.id))`
}

// OverdueDepartment is one department's open and overdue requests.
type OverdueDepartment struct {
	Code, Name    string
	Open, Overdue int
}

// OverdueRequest is an unanswered request past its deadline, for the office
// (ID numbers are not shown).
type OverdueRequest struct {
	ID                   int64
	DocNo                string
	Department, DeptName string
	Aspirant, Community  string
	Deadline             civil.Date
}

// ReviewOpen counts the open and overdue requests of the cycle per
// department (every department, in order) in scope of the aspirants'
// communities. Overdue: unanswered after the deadline day ended, China time.
func (q *Scoped) ReviewOpen(ctx context.Context) ([]OverdueDepartment, error) {
	per, _, err := q.reviewOpen(ctx, 0)
	return per, err
}

// ReviewOverdue counts as ReviewOpen does and lists up to limit (500 when
// it is 0 or less) overdue requests in scope, by department, deadline and
// number.
func (q *Scoped) ReviewOverdue(ctx context.Context, limit int) ([]OverdueDepartment, []OverdueRequest, error) {
	if limit <= 0 {
		limit = 500
	}
	return q.reviewOpen(ctx, limit)
}

// The open requests are found department by department on the index of
// their queues (department, verdict), not among every request of the
// cycle: on the home page of the 10,000-community demo, 147 open of
// 97,340, 16 ms a page and then 1 ms on SQLite (CROSS JOIN keeps SQLite's
// order of the tables; PostgreSQL plans it as any join). The departments
// are not aliased, so that the query-plan test knows their small table.
const (
	openRequests = ` FROM departments CROSS JOIN review_requests q JOIN review_rounds r ON r.id = q.round_id
		JOIN aspirants a ON a.id = q.aspirant_id JOIN orgs o ON o.id = a.org_id
		WHERE q.department_id = departments.id AND q.verdict = '' AND r.cycle_id = $1 AND o.path >= $3 AND o.path < $4`
	// reviewOpenByDepartment is each department's open requests of cycle
	// $1 in the bounds $3 and $4, and of them those due before day $2.
	reviewOpenByDepartment = `SELECT departments.code, COUNT(*), SUM(CASE WHEN q.deadline < $2 THEN 1 ELSE 0 END)` + openRequests +
		` GROUP BY departments.id, departments.code`
)

// reviewOpen counts the open requests per department and lists up to limit
// of those overdue, none for 0, both as of one day.
func (q *Scoped) reviewOpen(ctx context.Context, limit int) ([]OverdueDepartment, []OverdueRequest, error) {
	cycleID, err := q.cycleID(ctx)
	if err != nil {
		return nil, nil, err
	}
	today := civil.Of(q.s.clock())
	lo, hi := q.scope.Bounds()
	counts := map[string][2]int{}
	err = q.s.each(ctx, reviewOpenByDepartment, func(rows *sql.Rows) error {
		var code string
		var open, overdue int
		if err := rows.Scan(&code, &open, &overdue); err != nil {
			return err
		}
		counts[code] = [2]int{open, overdue}
		return nil
	}, cycleID, today, lo, hi)
	if err != nil {
		return nil, nil, err
	}
	ds, err := q.s.reviewDepartmentList(ctx)
	if err != nil {
		return nil, nil, err
	}
	per := make([]OverdueDepartment, len(ds))
	for i, d := range ds {
		c := counts[d.Code]
		per[i] = OverdueDepartment{Code: d.Code, Name: d.Name, Open: c[0], Overdue: c[1]}
	}
	if limit == 0 {
		return per, nil, nil
	}
	var list []OverdueRequest
	err = q.s.each(ctx, `SELECT q.id, r.doc_no, departments.code, departments.name, a.name, o.name, q.deadline`+openRequests+` AND q.deadline < $2
		ORDER BY departments.sort, q.deadline, q.id LIMIT `+strconv.Itoa(limit), func(rows *sql.Rows) error {
		var o OverdueRequest
		if err := rows.Scan(&o.ID, &o.DocNo, &o.Department, &o.DeptName, &o.Aspirant, &o.Community, &o.Deadline); err != nil {
			return err
		}
		list = append(list, o)
		return nil
	}, cycleID, today, lo, hi)
	return per, list, err
}

// MissRow is a miss of the joint review as the report shows it.
type MissRow struct {
	vetting.Miss
	Aspirant, Community string
	DepartmentName      string
	ConditionText       string
	VerdictLabel        string
}

// ReviewMisses reports the conditions a department named in a later round
// of the cycle about an aspirant in scope that it had answered in an earlier
// round without naming (vetting.Misses); cleanOnly keeps those answered as
// clean then.
func (q *Scoped) ReviewMisses(ctx context.Context, cleanOnly bool) ([]MissRow, error) {
	cycleID, err := q.cycleID(ctx)
	if err != nil {
		return nil, err
	}
	s := q.s
	rounds, err := cycleRounds(ctx, s.db, cycleID)
	if err != nil {
		return nil, err
	}
	byID := map[int64]*vetting.RoundAnswers{}
	all := make([]vetting.RoundAnswers, len(rounds))
	for i, r := range rounds {
		all[i].Round = r
		byID[r.ID] = &all[i]
	}
	type who struct{ name, community string }
	names := map[int64]who{}
	lo, hi := q.scope.Bounds()
	// Only the pairs (aspirant, department) with findings somewhere can hold a
	// miss; their answers in every round are what Misses needs.
	err = s.each(ctx, `SELECT q.id, q.round_id, q.aspirant_id, d.code, q.verdict, q.conditions, a.name, o.name
		FROM review_requests q JOIN review_rounds r ON r.id = q.round_id JOIN departments d ON d.id = q.department_id
		JOIN aspirants a ON a.id = q.aspirant_id JOIN orgs o ON o.id = a.org_id
		WHERE r.cycle_id = $1 AND q.verdict <> '' AND o.path >= $2 AND o.path < $3 AND EXISTS (SELECT 1 FROM review_requests f
			WHERE f.aspirant_id = q.aspirant_id AND f.department_id = q.department_id AND f.verdict = 'findings')
		ORDER BY q.id`, func(rows *sql.Rows) error {
		var rq vetting.Request
		var conds string
		var w who
		if err := rows.Scan(&rq.ID, &rq.RoundID, &rq.AspirantID, &rq.Department, &rq.Answer.Verdict, &conds, &w.name, &w.community); err != nil {
			return err
		}
		rq.Answer.Conditions = splitCodes(conds)
		names[rq.AspirantID] = w
		if ra := byID[rq.RoundID]; ra != nil {
			ra.Requests = append(ra.Requests, rq)
		}
		return nil
	}, cycleID, lo, hi)
	if err != nil {
		return nil, err
	}
	ds, err := s.reviewDepartmentList(ctx)
	if err != nil {
		return nil, err
	}
	cat := vetting.DefaultCatalogue()
	var out []MissRow
	for _, m := range vetting.Misses(all) {
		if cleanOnly && m.Verdict != vetting.Clean {
			continue
		}
		row := MissRow{Miss: m, Aspirant: names[m.AspirantID].name, Community: names[m.AspirantID].community,
			DepartmentName: m.Department, ConditionText: m.Condition, VerdictLabel: m.Verdict.Label()}
		if d, ok := ds.Find(m.Department); ok {
			row.DepartmentName = d.Name
		}
		if c, ok := cat.Find(m.Condition); ok {
			row.ConditionText = c.Label()
		}
		out = append(out, row)
	}
	return out, nil
}

// ReviewDay is the joint review's progress at the end of one day.
type ReviewDay struct {
	Day      civil.Date
	Answered int // requests of the cycle answered by the end of Day
}

// ReviewProgress is the joint review of the cycle in scope (by the aspirants'
// communities) day by day for the last days days up to today: how many
// requests there are and how many were answered by the end of each day.
// It counts the requests, and those answered before each day's end.
func (q *Scoped) ReviewProgress(ctx context.Context, days int) (total int, out []ReviewDay, err error) {
	cycleID, err := q.cycleID(ctx)
	if err != nil {
		return 0, nil, err
	}
	lo, hi := q.scope.Bounds()
	today := civil.Of(q.s.clock())
	for i := range days {
		out = append(out, ReviewDay{Day: today.AddDays(i - days + 1)})
	}
	// The whole tree's from the rounds' requests alone (on the index
	// review_requests_answered); a subtree's through their aspirants.
	from := ` FROM review_requests q JOIN review_rounds r ON r.id = q.round_id
		JOIN aspirants a ON a.id = q.aspirant_id JOIN orgs o ON o.id = a.org_id
		WHERE r.cycle_id = $1 AND o.path >= $2 AND o.path < $3`
	if q.scope == org.All {
		from = ` FROM review_requests q WHERE q.round_id IN (SELECT id FROM review_rounds WHERE cycle_id = $1)
			AND CAST($2 AS TEXT) < CAST($3 AS TEXT)`
	}
	// A count a day, each of the requests answered before the day's end.
	// On SQLite each a range of the index on the whole tree, not an
	// expression a day over every request (nor every answer's time read,
	// most of the review being answered within the week): with the
	// filters SQLite took 62 ms for the 97,340 requests of the
	// 10,000-community demo, against 14 ms. On PostgreSQL one pass with a
	// filter a day: 17 ms there, against 33 ms for the counts (46 ms before
	// a vacuum).
	counts := []string{`(SELECT COUNT(*)` + from + `)`}
	before := func(cond string) string { return `(SELECT COUNT(*)` + from + ` AND ` + cond + `)` }
	after := ""
	if q.s.engine == Postgres {
		counts = []string{`COUNT(*)`}
		before = func(cond string) string { return `COUNT(*) FILTER (WHERE ` + cond + `)` }
		after = from
	}
	args := []any{cycleID, lo, hi}
	dest := []any{&total}
	for i := range out {
		args = append(args, out[i].Day.AddDays(1).Start().UTC())
		counts = append(counts, before(`q.answered_at < $`+strconv.Itoa(len(args))))
		dest = append(dest, &out[i].Answered)
	}
	err = q.s.db.QueryRowContext(ctx, `SELECT `+strings.Join(counts, ", ")+after, args...).Scan(dest...)
	return total, out, err
}
