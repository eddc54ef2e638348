package store

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"io/fs"

	"github.com/huanjie/huanjie/internal/audit"
	"github.com/huanjie/huanjie/internal/org"
)

// Migrations exposes the embedded migrations to tests.
func Migrations() fs.FS { return migrations }

// ProbeOutOfOrder runs a query whose placeholders appear out of order.
func (s *Store) ProbeOutOfOrder(ctx context.Context, code, name string) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM orgs WHERE name = $2 OR code = $1`, code, name).Scan(&n)
	return n, err
}

// ReadValue is the one value q returns as a read of the store runs it.
func (s *Store) ReadValue(ctx context.Context, q string, args ...any) (string, error) {
	var v string
	err := s.db.QueryRowContext(ctx, q, args...).Scan(&v)
	return v, err
}

// KeyedValue is ReadValue as a read by key (byKey).
func (s *Store) KeyedValue(ctx context.Context, q string, args ...any) (string, error) {
	return s.ReadValue(ctx, byKey+q, args...)
}

// WriteValue is ReadValue as a statement of a write transaction.
func (s *Store) WriteValue(ctx context.Context, q string, args ...any) (string, error) {
	tx, release, err := s.beginWrite(ctx)
	if err != nil {
		return "", err
	}
	defer release()
	defer tx.Rollback()
	var v string
	err = tx.QueryRowContext(ctx, q, args...).Scan(&v)
	return v, err
}

// WriteExec runs q as the statement of a write transaction it rolls back.
func (s *Store) WriteExec(ctx context.Context, q string) error {
	tx, release, err := s.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer release()
	defer tx.Rollback()
	_, err = tx.ExecContext(ctx, q)
	return err
}

// HoldIdleKeyed takes every idle connection of the pool of writes and
// reads by key until the function it returns is called.
func (s *Store) HoldIdleKeyed(ctx context.Context) (func(), error) {
	var held []*sql.Conn
	release := func() {
		for _, c := range held {
			c.Close()
		}
	}
	for range s.db.pools.Keyed.Stats().Idle {
		c, err := s.db.pools.Keyed.Conn(ctx)
		if err != nil {
			release()
			return nil, err
		}
		held = append(held, c)
	}
	return release, nil
}

// CloseWriter closes SQLite's writer under the store, as a broken
// connection would be.
func (s *Store) CloseWriter() error { return s.writer.Close() }

// Tamper runs statements on the database directly, as someone holding only
// the database would: no transaction of the platform, no audit entry.
func (s *Store) Tamper(ctx context.Context, statements ...string) error {
	for _, q := range statements {
		if _, err := s.db.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("%s: %w", q, err)
		}
	}
	return nil
}

// QueryInt reads one number from the database directly.
func (s *Store) QueryInt(ctx context.Context, q string) (int64, error) {
	var n int64
	err := s.db.QueryRowContext(ctx, q).Scan(&n)
	return n, err
}

// QueryTexts reads one text column of many rows from the database directly.
func (s *Store) QueryTexts(ctx context.Context, q string) ([]string, error) {
	var out []string
	err := s.each(ctx, q, func(r *sql.Rows) error {
		var v string
		err := r.Scan(&v)
		out = append(out, v)
		return err
	})
	return out, err
}

// ProtectedWithoutTriggers lists the protected tables that have no trigger
// noting their writes.
func (s *Store) ProtectedWithoutTriggers(ctx context.Context) ([]string, error) {
	// On SQLite the writer's temporary triggers (touched.go).
	q := `SELECT COUNT(*) FROM sqlite_temp_master WHERE type = 'trigger' AND tbl_name = $1`
	var db querier = s.writer
	if s.engine == Postgres {
		q = `SELECT COUNT(*) FROM information_schema.triggers WHERE event_object_table = $1 AND event_object_schema = current_schema()`
		db = s.db
	}
	var missing []string
	for _, p := range protectedTables {
		var n int
		if err := db.QueryRowContext(ctx, q, p.table).Scan(&n); err != nil {
			return nil, err
		}
		if n == 0 {
			missing = append(missing, p.table)
		}
	}
	return missing, nil
}

// SeedVerifyBench fills an empty store for the verify benchmark: records
// ledger items of one community written through one audited transaction
// (so one entry vouches for them all), then plain entries appended to the
// chain, sealed with the store's key, until the log holds entries in all.
func (s *Store) SeedVerifyBench(ctx context.Context, records, entries int) error {
	zone := s.Zone(System)
	err := zone.Write(ctx, func(tx *Tx) error {
		for _, u := range []org.Unit{{Code: "B", Name: "基准开发区", Kind: org.Zone},
			{Code: "B-1", Name: "基准片区", Kind: org.District, ParentCode: "B"},
			{Code: "B-1-1", Name: "基准社区", Kind: org.Community, ParentCode: "B-1"}} {
			if _, err := tx.AddOrg(ctx, u, false); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	err = zone.Write(ctx, func(tx *Tx) error {
		cycleID, err := tx.cycleID(ctx)
		if err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $1)
			INSERT INTO ledger_items (cycle_id, org_id, source, content, risk, owner, due_on, status, created_on, created_by, created_at, updated_at)
			SELECT $2, (SELECT id FROM orgs WHERE code = 'B-1-1'), 'manual', '基准台账事项 ' || i, 'low', '责任人', '2026-12-31', 'open',
			'2026-12-01', 'bench', $3, $3 FROM n`, records, cycleID, s.clock()); err != nil {
			return err
		}
		return tx.Audit(ctx, audit.LedgerImport, On("ledger", "", "B-1-1"), nil, audit.Fields{"items": records})
	})
	if err != nil {
		return err
	}
	head, err := s.AuditHead(ctx)
	if err != nil {
		return err
	}
	const batch = 50000
	at := s.clock()
	for head.Seq < int64(entries) {
		tx, err := s.db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		stmt, err := tx.PrepareContext(ctx, `INSERT INTO audit_log (seq, at, actor_id, actor, action, entity, entity_id, before_data,
			after_data, org_path, digests, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`)
		if err != nil {
			tx.Rollback()
			return err
		}
		for i := min(batch, entries-int(head.Seq)); i > 0; i-- {
			e := audit.Entry{At: at, ActorID: 1, Actor: "admin", Action: "ledger.note", Entity: "ledger_item",
				EntityID: strconv.Itoa(int(head.Seq)%records + 1), After: `{"community":"B-1-1","note":"今日进展:已联系当事人"}`,
				OrgPath: "/B/B-1/B-1-1/"}
			e.Seal(s.auditKey, head.Seq, head.Hash)
			head = audit.Head{Seq: e.Seq, Hash: e.Hash}
			if _, err := stmt.ExecContext(ctx, e.Seq, e.At, e.ActorID, e.Actor, e.Action, e.Entity, e.EntityID, e.Before, e.After,
				e.OrgPath, e.Digests, e.PrevHash, e.Hash); err != nil {
				tx.Rollback()
				return err
			}
		}
		stmt.Close()
		if _, err := tx.ExecContext(ctx, `UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1`, head.Seq, head.Hash); err != nil {
			tx.Rollback()
			return err
		}
		if err := tx.Commit(); err != nil {
			return err
		}
	}
	return s.Analyze(ctx)
}

// BareVerify reads what VerifyAudit reads, the whole log and every ledger
// item as raw column bytes, and computes one HMAC-SHA256 per row over them,
// without any of its logic: the benchmark's baseline of the stack itself.
func (s *Store) BareVerify(ctx context.Context, key []byte) (int, error) {
	n := 0
	m := hmac.New(sha256.New, key)
	p, _ := protectedByName("ledger_items")
	for _, q := range []string{`SELECT ` + auditColumns + ` FROM audit_log ORDER BY seq`,
		`SELECT t.id, ` + s.contentOf(p) + ` FROM ledger_items t`} {
		rows, err := s.db.QueryContext(ctx, q)
		if err != nil {
			return n, err
		}
		cols, _ := rows.Columns()
		vals := make([]sql.RawBytes, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				rows.Close()
				return n, err
			}
			m.Reset()
			for _, v := range vals {
				m.Write(v)
			}
			m.Sum(nil)
			n++
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return n, err
		}
	}
	return n, nil
}

// TriggersMatchContent lists the protected tables whose update trigger notes
// a record's content before the write (and on SQLite after it) differently
// from contentOf: the migration's column lists must be the ones
// protected.go declares.
func (s *Store) TriggersMatchContent(ctx context.Context) ([]string, error) {
	var bad []string
	for _, p := range protectedTables {
		problem, err := s.triggerMatches(ctx, p)
		if err != nil {
			return nil, err
		}
		if problem != "" {
			bad = append(bad, problem)
		}
	}
	return bad, nil
}

// triggerMatches updates a record of p in a transaction it rolls back and
// compares the note of its content before with contentOf's; on SQLite on
// the writer, whose temporary triggers note (touched.go).
func (s *Store) triggerMatches(ctx context.Context, p protectedTable) (string, error) {
	tx, release, err := s.beginWrite(ctx)
	if err != nil {
		return "", err
	}
	defer release()
	defer tx.Rollback()
	var k1, k2 int64
	err = tx.QueryRowContext(ctx, `SELECT `+p.keySelect()+` FROM `+p.table+` t LIMIT 1`).Scan(&k1, &k2)
	if err == sql.ErrNoRows {
		return p.table + " (no record to try)", nil
	}
	if err != nil {
		return "", err
	}
	where := p.keys[0] + ` = $1`
	args := []any{k1}
	if p.twoKeys() {
		where += ` AND ` + p.keys[1] + ` = $2`
		args = append(args, k2)
	}
	var content, old string
	if err := tx.QueryRowContext(ctx, `SELECT `+s.contentOf(p)+` FROM `+p.table+` t WHERE `+where, args...).Scan(&content); err != nil {
		return "", err
	}
	col := p.columns[len(p.columns)-1]
	if _, err := tx.ExecContext(ctx, `UPDATE `+p.table+` SET `+col+` = `+col+` WHERE `+where, args...); err != nil {
		return "", err
	}
	after := content // on PostgreSQL, whose notes hold no content after
	if s.engine == SQLite {
		notes := s.notes.take()
		if len(notes) == 0 {
			return p.table + ": no note", nil
		}
		last := notes[len(notes)-1]
		old, after = last.old.String, last.new.String
	} else if err := tx.QueryRowContext(ctx, `SELECT old FROM audit_touched ORDER BY n DESC LIMIT 1`).Scan(&old); err != nil {
		return "", err
	}
	if old != content || after != content {
		return fmt.Sprintf("%s: trigger %s and %s, select %s", p.table, old, after, content), nil
	}
	return "", nil
}

// BareWrite updates a community's override in a plain transaction: no
// scope, no audit, no digest; the benchmark's baseline.
func (s *Store) BareWrite(ctx context.Context, code, class string) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE standings SET override_class = $1, override_reason = $2, class = $1
		WHERE org_id = (SELECT id FROM orgs WHERE code = $3)`, class, "包片领导研判认为选情复杂", code); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// BareTallyMark records ballot seq of the unit read aloud in a plain
// transaction, with the statements Tx.ReadAloud runs on its tables (read
// the running totals, add the ballot's row, write the totals back): no
// scope, no checks, no audit entry, no digest; the benchmark's baseline.
func (s *Store) BareTallyMark(ctx context.Context, unitID int64, seq int, marks, totals string) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var running string
	if err := tx.QueryRowContext(ctx, `SELECT tally FROM count_units WHERE id = $1`, unitID).Scan(&running); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO tally_ballots (unit_id, seq, marks, valid, reason, read_by, read_at)
		VALUES ($1, $2, $3, 1, '', 'bare', $4)`, unitID, seq, marks, time.Now()); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE count_units SET tally = $1, tally_read = $2 WHERE id = $3`, totals, seq, unitID); err != nil {
		return err
	}
	return tx.Commit()
}

// BareTally reads the unit's running totals and its last ballot read, as
// Scoped.Tally's rows, with plain database/sql.
func (s *Store) BareTally(ctx context.Context, unitID int64) (string, error) {
	var totals, marks string
	var read int
	if err := s.db.QueryRowContext(ctx, `SELECT tally, tally_read FROM count_units WHERE id = $1`, unitID).Scan(&totals, &read); err != nil {
		return "", err
	}
	err := s.db.QueryRowContext(ctx, `SELECT marks FROM tally_ballots WHERE unit_id = $1 AND seq = $2`, unitID, read).Scan(&marks)
	return totals, err
}

// RedoMigration takes the database down to just before migration version
// and up again to the latest, as a database made before it is migrated.
func (s *Store) RedoMigration(ctx context.Context, version int64) error {
	p, err := s.migrations()
	if err != nil {
		return err
	}
	if _, err := p.DownTo(ctx, version-1); err != nil {
		return err
	}
	_, err = p.Up(ctx)
	return err
}

// HotStatement is a statement of a request every user makes many times a
// day, with arguments of the shape the platform binds.
type HotStatement struct {
	Name string
	SQL  string
	Args []any
}

// HotStatements are the statements of the hottest requests, as the store
// runs them on engine e: the home page (the scope's totals, its roots, a page of a
// unit's children and their count), a community's ancestors, every request's session, the round's
// coverage over the scope, a ledger item read for a change, the
// aspirants settled after a department's answers, a visit's client id
// and target, and the audit log's whole list, an actor's entries and a
// record's history.
func HotStatements(e Engine) []HotStatement {
	hot := func(name string, f AuditFilter) HotStatement {
		q, args := auditListQuery(e, org.All, f)
		return HotStatement{name, q, args}
	}
	const lo, hi = "/", "0" // the whole tree's bounds (org.All.Bounds)
	var settledArgs []any
	settled := settledAmong((&Store{engine: e}).anyID("a.id", &settledArgs, []int64{1, 2, 3}))
	var storedArgs []any
	householdArgs, memberArgs := []any{int64(1)}, []any{int64(1)} // the cycle, then the ids
	st := &Store{engine: e}
	stored := visitsStored(st.anyText("client_id", &storedArgs, []string{"00000000-0000-4000-8000-000000000001"}))
	households := reachedKinds[0].read + st.anyID(reachedKinds[0].id, &householdArgs, []int64{1, 2})
	members := reachedKinds[2].read + st.anyID(reachedKinds[2].id, &memberArgs, []int64{1, 2})
	return []HotStatement{
		{"home: scope roots", scopeRoots, nil},
		{"home: a district's scope", scopeRoot, []any{"/1/2/"}},
		{"home: children counted", childrenCount, []any{int64(1), lo, hi}},
		{"home: a page of children", childrenPage + ` LIMIT 100 OFFSET 0`, []any{int64(1), lo, hi}},
		{"community page: its ancestors", orgsAmong("$3, $4"), []any{lo, hi, "QS", "QS-01"}},
		{"every request: the session's user", sessionUser, []any{"hash", time.Now().UTC()}},
		{"home: the open review requests by department", reviewOpenByDepartment, []any{int64(1), "2026-12-08", lo, hi}},
		{"coverage: the first districts", coverageDistricts, []any{int64(1), "before", lo, hi}},
		{"coverage: a page of communities", coverageRows(coverageCommunities + ` LIMIT 100 OFFSET 0`), []any{int64(1), "before", lo, hi}},
		{"ledger: an item in scope, read for a change", ledgerItemForChange, []any{int64(1), int64(1), lo, hi}},
		{"review answers: the aspirants settled", settled, settledArgs},
		{"visits: a client id stored already", stored, storedArgs},
		{"visits: the households visited", households, householdArgs},
		{"visits: the members talked to", members, memberArgs},
		{"targets: the zone's sums", targetSumStatements(`o.parent_id IS NULL`)[0], []any{int64(1)}},
		{"targets: the zone's own results", targetSumStatements(`o.parent_id IS NULL`)[1], []any{int64(1)}},
		{"targets: the zone's met counts", targetSumStatements(`o.parent_id IS NULL`)[2], []any{int64(1)}},
		{"targets: a district's sums", targetSumStatements(`o.path = $2`)[0], []any{int64(1), "/1/2/"}},
		{"targets: a community's met counts", targetSumStatements(`o.path = $2`)[3], []any{int64(1), "/1/2/3/"}},
		{"targets: a page of those failing", targetRowsFailing + ` LIMIT 100 OFFSET 0`, []any{int64(1), lo, hi}},
		{"targets: a page of all", targetRowsAll + ` LIMIT 100 OFFSET 0`, []any{int64(1), lo, hi}},
		hot("audit: an actor's entries", AuditFilter{Actor: "admin", Limit: 100}),
		hot("audit: a record's history", AuditFilter{Entity: "aspirant", EntityID: "12", Limit: 100}),
	}
}

// KeyedReads are the reads by key (byKey), with arguments for GenericPlan.
func KeyedReads() []HotStatement {
	return []HotStatement{
		{"the session's user", sessionUser, []any{"hash", time.Now().UTC()}},
		{"a unit by its code", orgByCode, []any{"QS-01-001"}},
		{"a ledger item", ledgerItemRead, []any{int64(1), int64(1)}},
		{"a ledger item's notes", ledgerNotes(0), []any{int64(1)}},
		{"a ledger item's latest notes", ledgerNotes(20), []any{int64(1)}},
		{"a ledger item's notes counted", ledgerNotesCount, []any{int64(1)}},
		{"a ledger item's events", ledgerEvents, []any{int64(1)}},
	}
}

// GenericPlan is PostgreSQL's generic plan of query, the plan a connection
// of Pools.Keyed keeps, for args written in as literals; made, as
// ExplainPlan's, with sequential scans disabled, so that a scan left is one
// no index could avoid on the test's small tables.
func (s *Store) GenericPlan(ctx context.Context, query string, args ...any) ([]string, error) {
	literals := make([]string, len(args))
	for i, a := range args {
		switch v := a.(type) {
		case string:
			literals[i] = "'" + strings.ReplaceAll(v, "'", "''") + "'"
		case time.Time:
			literals[i] = "'" + v.Format(time.RFC3339Nano) + "'"
		default:
			literals[i] = fmt.Sprint(v)
		}
	}
	name := fmt.Sprintf("generic_plan_%d", time.Now().UnixNano())
	return s.pgPlan(ctx, `SET LOCAL plan_cache_mode = force_generic_plan; SET LOCAL enable_seqscan = off; PREPARE `+name+` AS `+query,
		`EXPLAIN EXECUTE `+name+`(`+strings.Join(literals, ", ")+`)`, `DEALLOCATE `+name)
}

// ExplainPlan returns the engine's plan of query with args, one line a
// node: SQLite's EXPLAIN QUERY PLAN details; PostgreSQL's EXPLAIN, planned
// with sequential scans and sorts disabled, so that one left in the plan
// is one no index could avoid, whatever the size of the test's tables.
func (s *Store) ExplainPlan(ctx context.Context, query string, args ...any) ([]string, error) {
	if s.engine == SQLite {
		var out []string
		err := s.each(ctx, `EXPLAIN QUERY PLAN `+query, func(r *sql.Rows) error {
			var id, parent, unused int
			var detail string
			err := r.Scan(&id, &parent, &unused, &detail)
			out = append(out, detail)
			return err
		}, args...)
		return out, err
	}
	return s.pgPlan(ctx, `SET LOCAL enable_seqscan = off; SET LOCAL enable_sort = off`, `EXPLAIN `+query, "", args...)
}

// pgPlan runs explain with args in a transaction after before, one line a
// node, and then after (a prepared statement outlives its transaction).
func (s *Store) pgPlan(ctx context.Context, before, explain, after string, args ...any) ([]string, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, before); err != nil {
		return nil, err
	}
	if after != "" {
		defer tx.ExecContext(ctx, after)
	}
	var out []string
	err = eachRow(ctx, tx, explain, func(r *sql.Rows) error {
		var line string
		err := r.Scan(&line)
		out = append(out, line)
		return err
	}, args...)
	return out, err
}

// BareThrottle is the least a shared limit's charge asks of the database:
// one transaction moving two buckets on, by plain database/sql.
func (s *Store) BareThrottle(ctx context.Context, keys ...string) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	now := time.Now().UnixNano()
	for _, k := range keys {
		if _, err := tx.ExecContext(ctx, `UPDATE rate_limits SET tat = $1 WHERE bucket = $2`, now, k); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// WALCheckpoints is how many checkpoints the store's own goroutine has run
// (SQLite), and the automatic checkpoint's setting of a pool connection.
func (s *Store) WALCheckpoints(ctx context.Context) (runs, auto int64, err error) {
	if s.wal == nil {
		return 0, 0, nil
	}
	err = s.db.QueryRowContext(ctx, `PRAGMA wal_autocheckpoint`).Scan(&auto)
	return s.wal.runs.Load(), auto, err
}

// CheckTargetTotals compares, for the whole tree and every unit, the
// targets' sums kept above the communities (targetSumsWithin) with the
// same sums counted from the kept results of the unit's communities, and
// names the first unit where they differ.
func (s *Store) CheckTargetTotals(ctx context.Context) error {
	cycleID, err := s.Zone(System).cycleID(ctx)
	if err != nil {
		return err
	}
	paths := []string{"/"}
	if err := s.each(ctx, `SELECT path FROM orgs ORDER BY path`, func(r *sql.Rows) error {
		var p string
		err := r.Scan(&p)
		paths = append(paths, p)
		return err
	}); err != nil {
		return err
	}
	for _, p := range paths {
		lo, hi := org.Within(p).Bounds()
		kept, err := targetSumsWithin(ctx, s.db, cycleID, lo, hi)
		if err != nil {
			return err
		}
		var counted targetSums
		const within = ` FROM target_results r JOIN orgs o ON o.id = r.org_id WHERE r.cycle_id = $1 AND o.path >= $2 AND o.path < $3`
		if err := s.db.QueryRowContext(ctx, `SELECT `+targetRowSums+within, cycleID, lo, hi).Scan(counted.dest()...); err != nil {
			return err
		}
		if err := s.each(ctx, `SELECT r.met_bits`+within, func(r *sql.Rows) error {
			var bits int64
			err := r.Scan(&bits)
			counted.Met.count(bits)
			return err
		}, cycleID, lo, hi); err != nil {
			return err
		}
		if kept != counted {
			return fmt.Errorf("unit %s: kept %+v, counted from the results %+v", p, kept, counted)
		}
	}
	return nil
}

// AuditEntries are the whole log's entries, digests and all, oldest first.
func (s *Store) AuditEntries(ctx context.Context) ([]audit.Entry, error) {
	var out []audit.Entry
	for e, err := range entries(ctx, s.db) {
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}

// AnsweredBy counts the current cycle's review requests and those answered
// before each of times, over every request, as a check of ReviewProgress.
func (s *Store) AnsweredBy(ctx context.Context, times []time.Time) (total int, answered []int, err error) {
	cycleID, err := s.Zone(System).cycleID(ctx)
	if err != nil {
		return 0, nil, err
	}
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM review_requests q JOIN review_rounds r ON r.id = q.round_id
		WHERE r.cycle_id = $1`, cycleID).Scan(&total); err != nil {
		return 0, nil, err
	}
	for _, at := range times {
		var n int
		if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM review_requests q JOIN review_rounds r ON r.id = q.round_id
			WHERE r.cycle_id = $1 AND q.answered_at < $2`, cycleID, at.UTC()).Scan(&n); err != nil {
			return 0, nil, err
		}
		answered = append(answered, n)
	}
	return total, answered, nil
}

// CachedStatements counts the statements the store keeps prepared.
func (s *Store) CachedStatements() int {
	s.db.mu.RLock()
	defer s.db.mu.RUnlock()
	return len(s.db.stmts)
}

// StmtCacheMax is the most statements the store keeps prepared.
const StmtCacheMax = stmtCacheMax

// SumDistinct runs n statements that differ in their text, each adding
// its number to x, and returns the sum of their answers.
func (s *Store) SumDistinct(ctx context.Context, n int, x int64) (int64, error) {
	var sum int64
	for i := range n {
		var v int64
		if err := s.db.QueryRowContext(ctx, `SELECT `+strconv.Itoa(i)+` + $1`, x).Scan(&v); err != nil {
			return 0, err
		}
		sum += v
	}
	return sum, nil
}

// Keeps reports whether the store keeps query prepared (stmts.go).
func (s *Store) Keeps(query string) bool {
	s.db.mu.RLock()
	defer s.db.mu.RUnlock()
	for k := range s.db.stmts {
		if k.query == query {
			return true
		}
	}
	return false
}

// ChangesAccounts is changesAccounts (session_cache.go).
var ChangesAccounts = changesAccounts

// QueuedWrites is how many writes wait in SQLite's queue (group_commit.go).
func (s *Store) QueuedWrites() int {
	s.groups.mu.Lock()
	defer s.groups.mu.Unlock()
	return len(s.groups.queue)
}

// OnGroup has fn told the size of each group of writes, before it is
// written; set it before any write.
func (s *Store) OnGroup(fn func(int)) { s.groups.sizes = fn }

// Exec runs q in the transaction, for tests.
func (t *Tx) Exec(ctx context.Context, q string) error {
	_, err := t.exec(ctx, q)
	return err
}

// ExecPrepared runs q in the transaction as a statement prepared there.
func (t *Tx) ExecPrepared(ctx context.Context, q string) error {
	st, err := t.tx.PrepareContext(ctx, q)
	if err != nil {
		return err
	}
	defer st.Close()
	_, err = st.ExecContext(ctx)
	return err
}

// PlansOfList runs eight times, in a write it rolls back, a count of the
// units among ids (anyID) in the whole tree's range, and answers how many
// times PostgreSQL's session planned that statement generically and with
// its values, as its prepared statements count them (a statement planned
// with its values every time is not kept there).
func (s *Store) PlansOfList(ctx context.Context, ids []int64) (generic, custom int64, err error) {
	tx, release, err := s.beginWrite(ctx)
	if err != nil {
		return 0, 0, err
	}
	defer release()
	defer tx.Rollback()
	args := []any{"/", "0"}
	q := `SELECT COUNT(*) FROM orgs WHERE ` + s.anyID("id", &args, ids) + ` AND path >= $1 AND path < $2`
	for range 8 {
		var n int64
		if err := tx.QueryRowContext(ctx, q, args...).Scan(&n); err != nil {
			return 0, 0, err
		}
	}
	err = tx.QueryRowContext(ctx, `SELECT COALESCE(SUM(generic_plans), 0), COALESCE(SUM(custom_plans), 0) FROM pg_prepared_statements
		WHERE statement = $1`, q).Scan(&generic, &custom)
	return generic, custom, err
}

// StopAuditCopy stops the copying of the audit log for its filters off
// the request path, so that a test copies it when it says (CopyAuditSearch).
func (s *Store) StopAuditCopy() { s.search.stop() }

// CopyAuditSearch copies the log's entries the copy lacks into it now.
func (s *Store) CopyAuditSearch(ctx context.Context) {
	s.searched.Store(0)
	s.copyAuditSearch(ctx)
}

// WALFrames stops the store's checkpoints and its audit log's copy, then
// tells how many frames SQLite's write-ahead log holds: with nothing taking
// them in, each commit adds one frame for each page it wrote.
func (s *Store) WALFrames(ctx context.Context) (func() int64, error) {
	s.wal.stop()
	s.search.stop()
	if _, err := s.db.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		return nil, err
	}
	path, _, _ := strings.Cut(strings.TrimPrefix(s.dsn, "sqlite:"), "?")
	wal := path + "-wal"
	return func() int64 {
		fi, err := os.Stat(wal)
		if err != nil {
			return -1
		}
		return (fi.Size() - 32) / (4096 + 24) // the log's header, then a header and a page a frame
	}, nil
}

// UnauditedWrite runs q in a write transaction of the store that records
// no audit entry, as the rate limits' and the audit log's copy's do, and
// commits it.
func (s *Store) UnauditedWrite(ctx context.Context, q string) error {
	return s.unaudited(ctx, func(tx *dbTx) error {
		_, err := tx.ExecContext(ctx, q)
		return err
	})
}

// WritesRefused reports whether the store refuses new writes, as it does
// from the moment Close begins (group_commit.go).
func (s *Store) WritesRefused() bool {
	s.groups.mu.Lock()
	defer s.groups.mu.Unlock()
	return s.groups.closed
}
