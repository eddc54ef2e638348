package store

import (
	"context"
	"database/sql"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5"
)

// stmtDB is the store's pools: a statement runs on the pool Pools.For
// names. On SQLite it prepares each statement once and reuses it (issue
// 17): parsing and planning took a third of a page's time, every request
// again. database/sql prepares a cached statement on each connection the
// first time it runs there and keeps it. PostgreSQL's driver keeps its own
// cache of prepared statements (pgx), so there the pools are used as they
// are.
type stmtDB struct {
	*sql.DB // pools.Reads
	pools   Pools
	cache   bool
	trace   func(query string, args []any) // Options.Trace
	mu      sync.RWMutex
	stmts   map[onPool]*sql.Stmt
}

// onPool is a statement on a pool, where it is prepared.
type onPool struct {
	pool  *sql.DB
	query string
}

// stmtCacheMax bounds the statements kept: a statement whose text varies
// (an IN list of another length) beyond it runs unprepared.
const stmtCacheMax = 2000

func newStmtDB(p Pools, trace func(string, []any)) *stmtDB {
	return &stmtDB{DB: p.Reads, pools: p, cache: p.Engine == SQLite, trace: trace, stmts: map[onPool]*sql.Stmt{}}
}

// stmt is query prepared on pool, nil when not kept (PostgreSQL, the cache
// full, or the statement refused: running it unprepared then reports why).
func (d *stmtDB) stmt(ctx context.Context, pool *sql.DB, query string, args []any) *sql.Stmt {
	if d.trace != nil {
		d.trace(query, args)
	}
	if !d.cache {
		return nil
	}
	key := onPool{pool, query}
	d.mu.RLock()
	st, ok := d.stmts[key]
	full := len(d.stmts) >= stmtCacheMax
	d.mu.RUnlock()
	if ok || full {
		return st
	}
	st, err := pool.PrepareContext(context.WithoutCancel(ctx), query)
	if err != nil {
		return nil
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if kept, ok := d.stmts[key]; ok { // prepared meanwhile by another request
		st.Close()
		return kept
	}
	if len(d.stmts) >= stmtCacheMax {
		st.Close()
		return nil
	}
	d.stmts[key] = st
	return st
}

func (d *stmtDB) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	pool := d.pools.For(query)
	if st := d.stmt(ctx, pool, query, args); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return pool.QueryContext(ctx, query, args...)
}

func (d *stmtDB) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	pool := d.pools.For(query)
	if st := d.stmt(ctx, pool, query, args); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return pool.QueryRowContext(ctx, query, args...)
}

func (d *stmtDB) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	pool := d.pools.For(query)
	if st := d.stmt(ctx, pool, query, args); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return pool.ExecContext(ctx, query, args...)
}

// dbTx is a write transaction whose statements run prepared on its
// connection, the statement prepared there once for all transactions, where
// the store keeps it (issue 17: a ledger note's transaction spent a fifth
// of its time parsing its statements again). The transaction's handle on a
// statement closes as soon as the statement has run: the rows it returned
// keep the connection's statement, which the pool keeps open.
type dbTx struct {
	*sql.Tx
	db *stmtDB
	// accounts: the transaction changed accounts, sessions, departments or
	// the org tree, and the sessions kept in memory are forgotten (forget)
	// when it commits (session_cache.go).
	accounts bool
	forget   func()
	// detached: the transaction holds a group of writes (group_commit.go),
	// whose statements do not end when their write's context does. SQLite
	// stops a statement whose context ends with sqlite3_interrupt, which
	// rolls back the whole transaction, the group's other writes with it;
	// a write whose context has ended runs no further statement instead.
	detached bool
}

// ctx is the context a statement of the transaction runs on.
func (t *dbTx) ctx(ctx context.Context) context.Context {
	if !t.detached || ctx.Err() != nil { // an ended one fails the statement before it starts
		return ctx
	}
	return context.WithoutCancel(ctx)
}

// PrepareContext prepares a statement the transaction runs many times (a
// bulk import's rows): like its other statements, it marks a change of
// accounts (stmt) and runs on the transaction's contexts (ctx).
func (t *dbTx) PrepareContext(ctx context.Context, query string) (*txStmt, error) {
	if !t.accounts && changesAccounts(query) {
		t.accounts = true
	}
	st, err := t.Tx.PrepareContext(t.ctx(ctx), query)
	if err != nil {
		return nil, err
	}
	return &txStmt{Stmt: st, t: t}, nil
}

// txStmt is a statement prepared in a transaction (dbTx.PrepareContext).
type txStmt struct {
	*sql.Stmt
	t *dbTx
}

func (s *txStmt) ExecContext(ctx context.Context, args ...any) (sql.Result, error) {
	return s.Stmt.ExecContext(s.t.ctx(ctx), args...)
}

func (s *txStmt) QueryRowContext(ctx context.Context, args ...any) *sql.Row {
	return s.Stmt.QueryRowContext(s.t.ctx(ctx), args...)
}

// Commit commits the transaction and, when it changed accounts, forgets
// the sessions kept in memory.
func (t *dbTx) Commit() error {
	err := t.Tx.Commit()
	if t.accounts && t.forget != nil {
		t.forget() // after a failed commit too: what it changed is unknown
	}
	return err
}

func (t *dbTx) stmt(ctx context.Context, query string, args []any) *sql.Stmt {
	if !t.accounts && changesAccounts(query) {
		t.accounts = true
	}
	if st := t.db.stmt(ctx, t.db.pools.Keyed, query, args); st != nil { // the pool of writes
		return t.StmtContext(ctx, st)
	}
	return nil
}

func (t *dbTx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	ctx = t.ctx(ctx)
	if st := t.stmt(ctx, query, args); st != nil {
		defer st.Close()
		return st.ExecContext(ctx, args...)
	}
	return t.Tx.ExecContext(ctx, query, t.planned(query, args)...)
}

func (t *dbTx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	ctx = t.ctx(ctx)
	if st := t.stmt(ctx, query, args); st != nil {
		defer st.Close()
		return st.QueryContext(ctx, args...)
	}
	return t.Tx.QueryContext(ctx, query, t.planned(query, args)...)
}

func (t *dbTx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	ctx = t.ctx(ctx)
	if st := t.stmt(ctx, query, args); st != nil {
		defer st.Close()
		return st.QueryRowContext(ctx, args...)
	}
	return t.Tx.QueryRowContext(ctx, query, t.planned(query, args)...)
}

// planned is the arguments of a statement of a write, led on PostgreSQL
// by pgx's mode that
// plans it for its values when it matches a column against a list
// (anyID, anyText): the writes' pool keeps a statement's generic plan
// (plan_cache_mode=auto, Pools.Keyed), which guesses a list of ten and a
// range of the tree small. The third gate's read of 12 persons by id in
// the transaction's scope hashed the whole zone's 11,251 units for it
// (8.5 ms, and 2.2 s of the demo's 200 imports); planned with its values,
// it looks up each person's unit. The audit's read of the records a write
// touched is such a list too; the lists of unnest (the digests kept, many
// rows written) keep their generic plans, a join on their keys, and a
// write of one record sends no list (TestOneRecordWritesSendNoArrays).
func (t *dbTx) planned(query string, args []any) []any {
	if t.db.pools.Engine != Postgres || !strings.Contains(query, "= ANY($") {
		return args
	}
	return append([]any{pgx.QueryExecModeCacheDescribe}, args...)
}

// Close closes the kept statements and the pools.
func (d *stmtDB) Close() error {
	d.mu.Lock()
	for _, st := range d.stmts {
		st.Close()
	}
	d.stmts = map[onPool]*sql.Stmt{}
	d.mu.Unlock()
	return d.pools.Close()
}
