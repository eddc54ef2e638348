package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/huanjie/huanjie/internal/audit"
	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/errs"
)

// Actor is who does a write: a user, the system, or the public.
type Actor struct {
	ID   int64
	Name string
}

// System and Public are the actors of writes no user makes.
var (
	System = Actor{Name: "system"}
	Public = Actor{Name: "public"}
)

// Tx is a write transaction on behalf of one Scoped view. Each write in it
// records what it did with Audit; the transaction refuses to commit when it
// recorded nothing.
type Tx struct {
	tx      *dbTx
	s       *Store
	q       *Scoped
	entries []audit.Entry
	extra   []audit.Digest       // digests beyond the touched records' (the entry that starts vouching for an old log)
	bulk    map[string]int       // rows it put in each table, which from bulkRows on is analyzed after the commit (filled, Store.Analyze)
	memo    txMemo               // what it read and reads again (tx_memo.go)
	classes map[int64]classTally // the moves of classes in force to add to class_totals, by cycle, last (addClassTotals)
	forget  map[int64]bool       // the communities whose targets' results to forget, last (invalidateTargetsOf)
	after   *audit.Head          // the head the write before it in its group left, not yet committed (group_commit.go); nil for the store's
}

// bulkRows is how many rows a write puts in one table for PostgreSQL's
// statistics of it to be gathered when it commits.
const bulkRows = 1000

// filled notes that the transaction wrote n rows into table. From
// bulkRows in all on, PostgreSQL's statistics of the table are gathered
// once it commits: until autovacuum gets round to it (never, where it is
// off), the planner reads a freshly filled table with the guesses it makes
// for one it knows nothing of, and the 10,000-community demo's lookups of a
// community by code walked every community (2 ms each, 35,000 times). The
// rows are counted over the transaction, not a call: an import of units
// sent in waves of a few rows each left the tree unanalyzed, and the same
// lookups took 14 s. SQLite needs none.
func (t *Tx) filled(table string, n int) {
	if t.s.engine != Postgres {
		return
	}
	if t.bulk == nil {
		t.bulk = map[string]int{}
	}
	t.bulk[table] += n
}

// Subject is what an audited act was done to: a kind of record, its id, and
// the code of the unit it belongs to, whose subtree's accounts may read the
// entry. Without a unit the act concerns the actor's whole scope (the whole
// tree for the office and the platform).
type Subject struct {
	Entity, ID, Unit string
}

// On names the subject of an audited act.
func On(entity string, id any, unit string) Subject {
	return Subject{Entity: entity, ID: fmt.Sprint(id), Unit: unit}
}

// errNoAuditKey refuses writes on a store opened without the audit key.
var errNoAuditKey = errs.New(errs.Internal, "未配置审计密钥,不能写入")

// write runs fn in one transaction for q, appending its audit entries to
// the chain in the same transaction. An error from fn rolls everything back;
// so does a panic, which then goes on up to the caller: a transaction left
// open would hold SQLite's write lock (and PostgreSQL's row locks) for as
// long as the process lives. On SQLite writes that queue together share a
// transaction, each in a savepoint of its own (group_commit.go).
func (s *Store) write(ctx context.Context, q *Scoped, fn func(*Tx) error) (err error) {
	if s.auditKey == nil {
		return errNoAuditKey
	}
	if s.engine == SQLite {
		return s.writeGrouped(ctx, q, fn)
	}
	// The tables filled in bulk, set once committed and analyzed after the
	// write slot is released (deferred before it), so writers do not wait.
	var bulk []string
	defer func() {
		// Not the write's error, which has committed: statistics only
		// speed reads up, and autovacuum gathers them too where it runs.
		if len(bulk) > 0 {
			_ = s.Analyze(ctx, bulk...)
		}
	}()
	sqlTx, release, err := s.beginWrite(ctx)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer release()
	tx := &Tx{tx: sqlTx, s: s, q: q}
	committed := false
	defer func() {
		if !committed {
			sqlTx.Rollback() // on an error and on a panic alike
		}
	}()
	keep, err := tx.run(ctx, fn)
	if err != nil {
		return err
	}
	// This process's writers append to the chain one at a time, each after
	// the head the one before committed (seal).
	if err := take(ctx, s.chain); err != nil {
		return err
	}
	defer func() { <-s.chain }()
	head, err := tx.finish(ctx, keep)
	if err != nil {
		return err
	}
	committed = true // Commit ends the transaction whatever it returns
	if err = sqlTx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	s.head.Store(&head)
	for table, n := range tx.bulk {
		if n >= bulkRows {
			bulk = append(bulk, table)
		}
	}
	slices.Sort(bulk)
	return nil
}

// run runs fn in the transaction and digests the records it touched: a
// write up to its place in the audit chain (finish).
func (t *Tx) run(ctx context.Context, fn func(*Tx) error) (digestUpdates, error) {
	if t.s.engine == SQLite {
		// The writer's notes (touched.go) are taken by each audited write
		// before it commits: notes left now were left by a write of the
		// store that is not audited, or by one that failed, and must not
		// be vouched for.
		t.s.notes.reset()
	}
	if err := fn(t); err != nil {
		return digestUpdates{}, err
	}
	if err := t.forgetTargets(ctx); err != nil {
		return digestUpdates{}, err
	}
	if len(t.entries) == 0 {
		return digestUpdates{}, errors.New("store: a write transaction recorded no audit entry")
	}
	if err := t.s.keyNames(ctx, t.tx); err != nil { // search.go: pinyin of the names it wrote
		return digestUpdates{}, err
	}
	return t.digest(ctx)
}

// finish seals the transaction's entries after the chain's head and adds
// its moves of classes to their totals: what is left before its commit.
func (t *Tx) finish(ctx context.Context, keep digestUpdates) (audit.Head, error) {
	head, err := t.seal(ctx, keep)
	if err != nil {
		return head, err
	}
	return head, t.writeClassTotals(ctx)
}

// auditLogColumns are the columns of an entry of the audit log.
var auditLogColumns = strings.Fields(`seq at actor_id actor action entity entity_id before_data after_data org_path digests prev_hash hash`)

// digest gives the transaction's last entry the digests of the protected
// records it touched, and returns the statement that keeps them on the
// records on PostgreSQL (sent with the entries, seal).
func (t *Tx) digest(ctx context.Context) (digestUpdates, error) {
	digests, alarms, keep, err := t.touchedDigests(ctx)
	if err != nil {
		return keep, err
	}
	t.entries[len(t.entries)-1].Digests = audit.EncodeDigests(append(digests, t.extra...), alarms...)
	return keep, nil
}

// seal gives the transaction's entries their places in the chain after the
// head and writes them, the new head and, on PostgreSQL, the digests kept
// (keep). It first seals them after the head this process last committed:
// one statement moves the head on only if it is still there and inserts
// the entries only if it moved. When another process or server has
// written since, nothing is written, and the head is read and locked and
// the entries sealed after it (two statements, as every write took before).
func (t *Tx) seal(ctx context.Context, keep digestUpdates) (audit.Head, error) {
	last := t.after
	if last == nil {
		last = t.s.head.Load()
	}
	if last != nil {
		head, ok, err := t.appendAfter(ctx, *last, keep)
		if err != nil || ok {
			return head, err
		}
		keep = digestUpdates{} // they ran with the attempt
	}
	var head audit.Head
	row := t.tx.QueryRowContext(ctx, keep.before(`SELECT seq, hash FROM audit_head WHERE id = 1`+t.s.forUpdate()), keep.args...)
	if err := row.Scan(&head.Seq, &head.Hash); err != nil {
		return head, fmt.Errorf("audit head: %w", err)
	}
	head = t.chainAfter(head)
	// One statement for up to a hundred entries (a community's visits of a
	// day are recorded in one write), the new head with the last of them:
	// each statement is a round trip to PostgreSQL.
	err := t.insertRowsThen(ctx, "audit_log", auditLogColumns, len(t.entries), t.entryRow, func(first int) (string, []any) {
		return fmt.Sprintf(`UPDATE audit_head SET seq = $%d, hash = $%d WHERE id = 1`, first, first+1), []any{head.Seq, head.Hash}
	})
	if err != nil {
		return head, fmt.Errorf("audit append: %w", err)
	}
	return head, nil
}

// chainAfter seals the entries in order after head and returns the new head.
func (t *Tx) chainAfter(head audit.Head) audit.Head {
	for i := range t.entries {
		e := &t.entries[i]
		e.Seal(t.s.auditKey, head.Seq, head.Hash)
		head = audit.Head{Seq: e.Seq, Hash: e.Hash}
	}
	return head
}

// entryRow is entry i's values in the order of auditLogColumns.
func (t *Tx) entryRow(i int) ([]any, error) {
	e := &t.entries[i]
	return []any{e.Seq, e.At, e.ActorID, e.Actor, e.Action, e.Entity, e.EntityID, e.Before, e.After, e.OrgPath, e.Digests,
		e.PrevHash, e.Hash}, nil
}

// appendAfter seals the entries after last and writes them and the new
// head if the chain's head is still last; ok false, with nothing of the
// chain written, if it is not. On PostgreSQL it is one statement, the
// digests' updates (keep) at its head and the entries as one array a
// column; a head another transaction has locked is waited for and
// compared as that one left it. On SQLite, where the write lock is held,
// it is two: the head moved, then the entries.
func (t *Tx) appendAfter(ctx context.Context, last audit.Head, keep digestUpdates) (audit.Head, bool, error) {
	head := t.chainAfter(last)
	if t.s.engine == SQLite {
		res, err := t.exec(ctx, `UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1 AND seq = $3 AND hash = $4`,
			head.Seq, head.Hash, last.Seq, last.Hash)
		if err != nil {
			return head, false, fmt.Errorf("audit head: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return head, false, err
		}
		if err := t.insertMany(ctx, manyRows{table: "audit_log", cols: auditLogColumns, n: len(t.entries), row: t.entryRow}); err != nil {
			return head, false, fmt.Errorf("audit append: %w", err)
		}
		return head, true, nil
	}
	// The entries a column each, as entryRow gives them, for unnest.
	rows := make([][]any, len(t.entries))
	for i := range rows {
		rows[i], _ = t.entryRow(i)
	}
	args := append(slices.Clip(keep.args), head.Seq, head.Hash, last.Seq, last.Hash)
	one := len(rows) == 1 // one entry: a value a column, not arrays (anyID)
	columns := make([]string, len(auditLogColumns))
	for c := range auditLogColumns {
		column, typ := rows[0][c], "text"
		switch column.(type) {
		case int64:
			typ = "bigint"
		case time.Time:
			typ = "timestamptz"
		}
		if !one {
			switch column.(type) {
			case int64:
				column = columnOf[int64](rows, c)
			case time.Time:
				column = columnOf[time.Time](rows, c)
			default:
				column = columnOf[string](rows, c)
			}
			typ += "[]"
		}
		args = append(args, column)
		columns[c] = "$" + strconv.Itoa(len(args)) + "::" + typ
	}
	entries := `SELECT * FROM unnest(` + strings.Join(columns, ", ") + `)`
	if one {
		entries = `SELECT ` + strings.Join(columns, ", ")
	}
	k := len(keep.args)
	keep.updates = append(slices.Clip(keep.updates), fmt.Sprintf(`UPDATE audit_head SET seq = $%d, hash = $%d WHERE id = 1 AND seq = $%d AND hash = $%d
		RETURNING 1`, k+1, k+2, k+3, k+4))
	res, err := t.exec(ctx, keep.before(`INSERT INTO audit_log (`+strings.Join(auditLogColumns, ", ")+`)
		`+entries+` WHERE EXISTS (SELECT 1 FROM k`+strconv.Itoa(len(keep.updates)-1)+`)`), args...)
	if err != nil {
		return head, false, fmt.Errorf("audit append: %w", err)
	}
	inserted, err := res.RowsAffected()
	if err != nil || inserted == 0 {
		return head, false, err
	}
	if inserted != int64(len(t.entries)) {
		return head, false, fmt.Errorf("audit append: %d entries written of %d", inserted, len(t.entries))
	}
	t.filled("audit_log", len(t.entries))
	return head, true, nil
}

// columnOf is column c of rows, each value a T.
func columnOf[T any](rows [][]any, c int) []T {
	out := make([]T, len(rows))
	for i, r := range rows {
		out[i] = r[c].(T)
	}
	return out
}

// Audit records one act of the transaction. act must be declared in
// package audit; before and after hold the changed fields, masked as the
// action and the defaults say. Entries are sealed into the chain when the
// transaction commits.
func (t *Tx) Audit(ctx context.Context, act *audit.Action, on Subject, before, after audit.Fields) error {
	if act == nil {
		return errors.New("store: audit of an undeclared action")
	}
	if declared, ok := audit.Lookup(act.Code); !ok || declared != act {
		return fmt.Errorf("store: audit of an undeclared action %q", act.Code)
	}
	path := t.q.scope.Path
	if on.Unit != "" {
		var err error
		if path, err = t.pathOf(ctx, on.Unit); err != nil {
			return err
		}
	}
	at := t.s.clock()
	if t.q.dayOnly {
		at = civil.DayStart(at).UTC()
	}
	t.entries = append(t.entries, audit.Entry{
		At: at, ActorID: t.q.actor.ID, Actor: t.q.actor.Name,
		Action: act.Code, Entity: on.Entity, EntityID: on.ID, OrgPath: path,
		Before: audit.Encode(before, act.Masks...), After: audit.Encode(after, act.Masks...),
	})
	return nil
}

// pathOf is the path of the unit with code, for audit entries; "/" when the
// code names no unit. Codes and paths never change, so the store keeps them
// once read.
func (t *Tx) pathOf(ctx context.Context, code string) (string, error) {
	if p, ok := t.s.paths.Load(code); ok {
		return p.(string), nil
	}
	var p string
	err := t.queryRow(ctx, `SELECT path FROM orgs WHERE code = $1`, code).Scan(&p)
	if errors.Is(err, sql.ErrNoRows) {
		return "/", nil // not kept: the unit may be added later
	}
	if err != nil {
		return "", err
	}
	t.s.paths.Store(code, p)
	return p, nil
}

// beginWrite begins a write transaction; release ends the store's hold on
// its write slot, after the transaction ended. Writers take a slot first,
// so they queue in Go, in order (issue 17).
//
// On SQLite, which has one write lock, there is one slot, and each writer
// starts the moment the one before ends; without it each waited in
// SQLite's busy handler, which sleeps 1, 2, 5, 10 ms and more and is not
// woken when the lock frees, leaving the lock idle while writers slept,
// and with 8 clients writing at once BEGIN failed with "database is
// locked" (TestWritersQueue).
//
// On PostgreSQL there are pgWriters slots, fewer than half the pool's
// connections: a write transaction holds one connection and may read
// through the pool too (the settings, for one), so with as many writers
// as connections each held one and waited for a second that never freed
// (64 clients writing at once stopped the server until their requests
// timed out; TestWritersShareThePool). Every write also waits for the audit
// chain's head, one at a time, so more slots would not write faster.
func (s *Store) beginWrite(ctx context.Context) (tx *dbTx, release func(), err error) {
	release = func() {}
	if s.writeSlot != nil {
		if err := take(ctx, s.writeSlot); err != nil {
			return nil, release, err
		}
		release = func() { <-s.writeSlot; s.wal.wrote(); s.search.wrote() } // s.wal is nil on PostgreSQL
	}
	sqlTx, err := s.begin(ctx)
	if err != nil {
		release()
		return nil, func() {}, err
	}
	return &dbTx{Tx: sqlTx, db: s.db, forget: s.sessions.empty}, release, nil
}

// unaudited runs fn in a write transaction of the store that records no
// audit entry (derived data and housekeeping) and commits it; an error
// from fn rolls it back.
func (s *Store) unaudited(ctx context.Context, fn func(tx *dbTx) error) error {
	tx, release, err := s.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer release()
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// begin begins a write transaction: on SQLite on the store's writer, a
// new one taken from the pool when it was closed under it; on PostgreSQL
// on any connection of Keyed. Only the holder of the write slot calls it.
func (s *Store) begin(ctx context.Context) (*sql.Tx, error) {
	if s.writer == nil {
		return s.db.pools.Keyed.BeginTx(ctx, nil)
	}
	tx, err := s.writer.BeginTx(ctx, nil)
	if !errors.Is(err, sql.ErrConnDone) && !errors.Is(err, driver.ErrBadConn) {
		return tx, err
	}
	s.writer.Close()
	w, err := takeWriter(ctx, s.db.pools.Keyed, &s.notes)
	if err != nil {
		return nil, err // the closed writer stays, to be taken again by the next write
	}
	s.writer = w
	return w.BeginTx(ctx, nil)
}

// take waits for a place in slot, in order, or gives up with ctx.
func take(ctx context.Context, slot chan struct{}) error {
	select {
	case slot <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// exec and queryRow run a statement in the transaction.
func (t *Tx) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return t.tx.ExecContext(ctx, query, args...)
}

func (t *Tx) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	return t.tx.QueryRowContext(ctx, query, args...)
}
