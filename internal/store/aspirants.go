package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/huanjie/huanjie/internal/audit"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/progress"
	"github.com/huanjie/huanjie/internal/vetting"
)

// AspirantRow is an aspirant as the pages show it: ID and phone numbers
// masked, with what the ID number told at registration (sex, age on
// election day) and the community's names.
type AspirantRow struct {
	vetting.Aspirant
	Sex                   string
	Age                   int
	OrgName, DistrictName string
	Reviewed, Findings    bool // a round was completed; some department found something
	StatusLabel           string
}

// AddAspirant registers an aspirant of a community in the transaction's
// scope for the cycle. ID and phone numbers are sealed; a second
// registration of the same ID number in the cycle is refused naming the
// first.
func (t *Tx) AddAspirant(ctx context.Context, a vetting.Aspirant) (AspirantRow, error) {
	if t.s.box == nil {
		return AspirantRow{}, errors.New("store opened without a data key cannot hold personal data")
	}
	cycle, err := t.q.Cycle(ctx)
	if err != nil {
		return AspirantRow{}, err
	}
	orgID, err := t.communityID(ctx, strings.TrimSpace(a.OrgCode))
	if err != nil {
		return AspirantRow{}, errs.OnField("community", "社区不存在或不在管辖范围内")
	}
	day, err := t.electionDayOf(ctx, orgID, a.Committee)
	if err != nil {
		return AspirantRow{}, err
	}
	if err := a.Validate(day); err != nil {
		return AspirantRow{}, err
	}
	index := t.s.box.Index(a.IDNumber)
	var existing int64
	err = t.queryRow(ctx, `SELECT id FROM aspirants WHERE cycle_id = $1 AND id_index = $2`, cycle.ID, index).Scan(&existing)
	if err == nil {
		prev, err := t.s.aspirant(ctx, t.tx, org.All, existing)
		if err != nil {
			return AspirantRow{}, err
		}
		return AspirantRow{}, vetting.Duplicate(prev.Aspirant)
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return AspirantRow{}, err
	}
	now := t.s.clock()
	a.CycleID, a.Status, a.CreatedAt, a.UpdatedAt = cycle.ID, vetting.Registered, now, now
	err = t.queryRow(ctx, `INSERT INTO aspirants (cycle_id, org_id, name, id_sealed, id_index, phone_sealed, sex, age, ethnicity,
		party, committee, post, cross_post, education, current_post, photo, status, created_by, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20) RETURNING id`,
		cycle.ID, orgID, a.Name, t.s.box.Seal(a.IDNumber), index, t.s.box.Seal(a.Phone), a.Sex(), a.Age(day), a.Ethnicity,
		string(a.Party), string(a.Committee), string(a.Post), string(a.CrossPost), string(a.Education), a.CurrentPost, a.Photo,
		string(a.Status), t.q.actor.Name, now, now).Scan(&a.ID)
	if isUnique(err) {
		return AspirantRow{}, errs.New(errs.Conflict, "该身份证号码已在本届登记")
	}
	if err != nil {
		return AspirantRow{}, fmt.Errorf("add aspirant: %w", err)
	}
	if err := t.Audit(ctx, audit.AspirantAdd, On("aspirant", itoa(a.ID), a.OrgCode), nil, audit.Fields{"name": a.Name, "community": a.OrgCode,
		"id_number": a.IDNumber, "phone": a.Phone, "committee": a.Committee, "post": a.Post}); err != nil {
		return AspirantRow{}, err
	}
	return t.s.aspirant(ctx, t.tx, t.q.scope, a.ID)
}

// AspirantFilter narrows Aspirants.
type AspirantFilter struct {
	OrgCode       string // one community
	Status        vetting.Status
	Findings      bool // only those a department found something about
	Undecided     bool // only those the second review may still decide on (status not final)
	Limit, Offset int  // Limit 0: all
}

const aspirantColumns = `a.id, a.cycle_id, o.code, o.name, COALESCE(p.name, ''), a.name, a.id_sealed, a.phone_sealed, a.sex, a.age,
	a.ethnicity, a.party, a.committee, a.post, a.cross_post, a.education, a.current_post, a.photo, a.status, a.reviewed,
	a.findings, a.created_at, a.updated_at`

const aspirantFrom = ` FROM aspirants a JOIN orgs o ON o.id = a.org_id LEFT JOIN orgs p ON p.id = o.parent_id `

func (s *Store) scanAspirant(row interface{ Scan(...any) error }) (AspirantRow, error) {
	var r AspirantRow
	var idSealed, phoneSealed string
	err := row.Scan(&r.ID, &r.CycleID, &r.OrgCode, &r.OrgName, &r.DistrictName, &r.Name, &idSealed, &phoneSealed, &r.Sex, &r.Age,
		&r.Ethnicity, &r.Party, &r.Committee, &r.Post, &r.CrossPost, &r.Education, &r.CurrentPost, &r.Photo, &r.Status,
		&r.Reviewed, &r.Findings, &r.CreatedAt, &r.UpdatedAt)
	if err != nil {
		return r, err
	}
	if r.IDNumber, err = s.openMasked(idSealed, vetting.MaskID); err != nil {
		return r, err
	}
	if r.Phone, err = s.openMasked(phoneSealed, vetting.MaskPhone); err != nil {
		return r, err
	}
	r.StatusLabel = r.Status.Label()
	return r, nil
}

// Aspirants lists the cycle's aspirants of the communities in scope, by
// community and registration, with ID and phone numbers masked.
func (q *Scoped) Aspirants(ctx context.Context, f AspirantFilter) ([]AspirantRow, error) {
	cycleID, err := q.cycleID(ctx)
	if err != nil {
		return nil, err
	}
	where, args := aspirantWhere(q.scope, cycleID, f)
	query := `SELECT ` + aspirantColumns + aspirantFrom + where + ` ORDER BY o.path, a.id`
	if f.Limit > 0 {
		query += ` LIMIT ` + strconv.Itoa(f.Limit) + ` OFFSET ` + strconv.Itoa(f.Offset)
	}
	rows, err := q.s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []AspirantRow
	for rows.Next() {
		r, err := q.s.scanAspirant(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// CountAspirants counts what Aspirants lists (its paging aside).
func (q *Scoped) CountAspirants(ctx context.Context, f AspirantFilter) (int, error) {
	cycleID, err := q.cycleID(ctx)
	if err != nil {
		return 0, err
	}
	where, args := aspirantWhere(q.scope, cycleID, f)
	var n int
	err = q.s.db.QueryRowContext(ctx, `SELECT COUNT(*)`+aspirantFrom+where, args...).Scan(&n)
	return n, err
}

func aspirantWhere(scope org.Scope, cycleID int64, f AspirantFilter) (string, []any) {
	lo, hi := scope.Bounds()
	q := `WHERE a.cycle_id = $1 AND o.path >= $2 AND o.path < $3`
	args := []any{cycleID, lo, hi}
	if f.OrgCode != "" {
		args = append(args, f.OrgCode)
		q += ` AND o.code = $` + strconv.Itoa(len(args))
	}
	if f.Status != "" {
		args = append(args, string(f.Status))
		q += ` AND a.status = $` + strconv.Itoa(len(args))
	}
	if f.Findings {
		q += ` AND a.findings = TRUE`
	}
	if f.Undecided {
		var final []string
		for _, s := range vetting.Statuses {
			if s.Final() {
				args = append(args, string(s))
				final = append(final, `$`+strconv.Itoa(len(args)))
			}
		}
		if len(final) > 0 {
			q += ` AND a.status NOT IN (` + strings.Join(final, `, `) + `)`
		}
	}
	return q, args
}

// Aspirant returns one aspirant of a community in scope, masked; NotFound
// otherwise.
func (q *Scoped) Aspirant(ctx context.Context, id int64) (AspirantRow, error) {
	return q.s.aspirant(ctx, q.s.db, q.scope, id)
}

func (s *Store) aspirant(ctx context.Context, q querier, scope org.Scope, id int64) (AspirantRow, error) {
	lo, hi := scope.Bounds()
	r, err := s.scanAspirant(q.QueryRowContext(ctx, `SELECT `+aspirantColumns+aspirantFrom+
		`WHERE a.id = $1 AND o.path >= $2 AND o.path < $3`, id, lo, hi))
	return r, notFound(err, "没有找到该参选人")
}

// RevealAspirant returns the full ID and phone numbers of an aspirant in the
// transaction's scope and records in the audit log who saw them: the only
// way they leave the store. NotFound outside the scope.
func (t *Tx) RevealAspirant(ctx context.Context, id int64, why string) (idNumber, phone string, err error) {
	lo, hi := t.q.scope.Bounds()
	var idSealed, phoneSealed, unit string
	err = t.queryRow(ctx, `SELECT a.id_sealed, a.phone_sealed, o.code`+aspirantFrom+`WHERE a.id = $1 AND o.path >= $2 AND o.path < $3`,
		id, lo, hi).Scan(&idSealed, &phoneSealed, &unit)
	if err != nil {
		return "", "", notFound(err, "没有找到该参选人")
	}
	if t.s.box == nil {
		return "", "", errors.New("store opened without a data key")
	}
	if idNumber, err = t.s.box.Open(idSealed); err != nil {
		return "", "", err
	}
	if phone, err = t.s.box.Open(phoneSealed); err != nil {
		return "", "", err
	}
	return idNumber, phone, t.Audit(ctx, audit.PersonalReveal, On("aspirant", itoa(id), unit), nil, audit.Fields{"why": why})
}

// MoveAspirant moves the status of an aspirant in the transaction's scope
// along the state machine, refusing skipped steps, and records the move.
// NotFound for an aspirant outside the scope, Conflict for a refused step.
func (t *Tx) MoveAspirant(ctx context.Context, id int64, to vetting.Status, cause string) error {
	if _, err := t.s.aspirant(ctx, t.tx, t.q.scope, id); err != nil {
		return err
	}
	return t.moveAspirant(ctx, id, to, cause)
}

// moveAspirant moves an aspirant the transaction already found in its scope
// (or one a case or an answer in scope names).
func (t *Tx) moveAspirant(ctx context.Context, id int64, to vetting.Status, cause string) error {
	return t.moveAspirants(ctx, []int64{id}, to, cause)
}

// moveAspirants moves aspirants ids (distinct, found as for moveAspirant)
// to status to, each along the state machine, and records each move, in
// the order of ids: read and written a thousand to a statement (a round's
// answers move hundreds at once). Nothing moves when one of them cannot.
func (t *Tx) moveAspirants(ctx context.Context, ids []int64, to vetting.Status, cause string) error {
	for chunk := range slices.Chunk(ids, 1000) {
		var args []any
		type found struct {
			from vetting.Status
			unit string
		}
		byID := make(map[int64]found, len(chunk))
		err := eachRow(ctx, t.tx, `SELECT a.id, a.status, (SELECT o.code FROM orgs o WHERE o.id = a.org_id) FROM aspirants a
			WHERE `+t.s.anyID("a.id", &args, chunk)+t.s.forUpdateOf("a"), func(rows *sql.Rows) error {
			var id int64
			var f found
			if err := rows.Scan(&id, &f.from, &f.unit); err != nil {
				return err
			}
			byID[id] = f
			return nil
		}, args...)
		if err != nil {
			return err
		}
		for _, id := range chunk {
			f, ok := byID[id]
			if !ok {
				return errs.New(errs.NotFound, "没有找到该参选人")
			}
			if err := vetting.Transition(f.from, to); err != nil {
				return err
			}
		}
		args = []any{string(to), t.s.clock()}
		if _, err := t.exec(ctx, `UPDATE aspirants SET status = $1, updated_at = $2 WHERE `+t.s.anyID("id", &args, chunk), args...); err != nil {
			return err
		}
		for _, id := range chunk {
			f := byID[id]
			if err := t.Audit(ctx, audit.AspirantStatus, On("aspirant", itoa(id), f.unit), audit.Fields{"status": string(f.from)},
				audit.Fields{"status": string(to), "cause": cause}); err != nil {
				return err
			}
		}
	}
	return nil
}

// VettingStats counts the cycle's aspirants in scope per community and in
// all: registered, reviewed, with findings, barred, unsuitable, withdrawn,
// disqualified, qualified.
func (q *Scoped) VettingStats(ctx context.Context) (vetting.Stats, error) {
	cycleID, err := q.cycleID(ctx)
	if err != nil {
		return vetting.Stats{}, err
	}
	lo, hi := q.scope.Bounds()
	rows, err := q.s.db.QueryContext(ctx, `SELECT o.code, o.name, a.status, a.reviewed, a.findings`+aspirantFrom+
		`WHERE a.cycle_id = $1 AND o.path >= $2 AND o.path < $3 ORDER BY o.path`, cycleID, lo, hi)
	if err != nil {
		return vetting.Stats{}, err
	}
	defer rows.Close()
	var all []vetting.Summary
	for rows.Next() {
		var s vetting.Summary
		if err := rows.Scan(&s.OrgCode, &s.OrgName, &s.Status, &s.Reviewed, &s.Findings); err != nil {
			return vetting.Stats{}, err
		}
		all = append(all, s)
	}
	return vetting.Tally(all), rows.Err()
}

// ImportAspirants registers many aspirants of communities in the
// transaction's scope for the cycle in one transaction with one audit entry,
// as AddAspirant does one: each must pass Validate, and an ID number already
// registered in the cycle, or twice in the batch, fails the whole batch. It
// returns the new ids in order.
func (t *Tx) ImportAspirants(ctx context.Context, items []vetting.Aspirant) ([]int64, error) {
	if t.s.box == nil {
		return nil, errors.New("store opened without a data key cannot hold personal data")
	}
	cycle, err := t.q.Cycle(ctx)
	if err != nil {
		return nil, err
	}
	now, box := t.s.clock(), t.s.box
	// Each aspirant checked in order up to the first that fails; then
	// the ID numbers of those before it registered already, read a
	// thousand a statement before any row goes in: the first conflict
	// before the failing row is named, as the insert of each on its own
	// named it, else the failing row. A community and its days are read
	// once (txMemo).
	var rows [][]any
	var index, masked []string // each checked aspirant's ID number's index, and the number as the error names it
	var failed error
	for i, a := range items {
		if failed = func() error {
			code := strings.TrimSpace(a.OrgCode)
			orgID, err := t.communityID(ctx, code)
			if errs.CodeOf(err) == errs.NotFound {
				return fmt.Errorf("第%d人 %s:%w", i+1, a.Name, errs.OnField("community", "社区不存在或不在管辖范围内:"+code))
			}
			if err != nil {
				return err
			}
			days, err := t.daysOf(ctx, orgID)
			if err != nil {
				return err
			}
			day := days.For(progress.Election(a.Committee)).Start()
			if err := a.Validate(day); err != nil {
				return fmt.Errorf("第%d人 %s:%w", i+1, a.Name, err)
			}
			index, masked = append(index, box.Index(a.IDNumber)), append(masked, vetting.MaskID(a.IDNumber))
			rows = append(rows, []any{cycle.ID, orgID, a.Name, box.Seal(a.IDNumber), index[i], box.Seal(a.Phone),
				a.Sex(), a.Age(day), a.Ethnicity, string(a.Party), string(a.Committee), string(a.Post), string(a.CrossPost),
				string(a.Education), a.CurrentPost, a.Photo, string(vetting.Registered), t.q.actor.Name, now, now})
			return nil
		}(); failed != nil {
			break
		}
	}
	taken := map[string]bool{}
	for chunk := range slices.Chunk(index, 1000) {
		args := []any{cycle.ID}
		found, err := setOf[string](ctx, t.tx, `SELECT id_index FROM aspirants WHERE cycle_id = $1 AND `+t.s.anyText("id_index", &args, chunk), args...)
		if err != nil {
			return nil, err
		}
		maps.Copy(taken, found)
	}
	for i, x := range index {
		if taken[x] {
			return nil, errs.Newf(errs.Conflict, "第%d人 %s:身份证号码 %s 已在本届登记", i+1, items[i].Name, masked[i])
		}
		taken[x] = true
	}
	if failed != nil {
		return nil, failed
	}
	ids := make([]int64, len(items))
	err = t.insertMany(ctx, manyRows{table: "aspirants", cols: strings.Fields(`cycle_id org_id name id_sealed id_index phone_sealed
		sex age ethnicity party committee post cross_post education current_post photo status created_by created_at updated_at`),
		n: len(rows), row: func(i int) ([]any, error) { return rows[i], nil }, suffix: `RETURNING id`, all: true,
		scan: func(i int, r *sql.Rows) error { return r.Scan(&ids[i]) }})
	if isUnique(err) { // registered meanwhile by another write, after the check above
		return nil, errs.New(errs.Conflict, "有参选人的身份证号码刚由另一次登记写入本届,请重新导入")
	}
	if err != nil {
		return nil, fmt.Errorf("aspirants: %w", err)
	}
	return ids, t.Audit(ctx, audit.AspirantImport, On("cycle", itoa(cycle.ID), ""), nil, audit.Fields{"count": len(items)})
}
