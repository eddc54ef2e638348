package store

import (
	"context"
	"database/sql"
	"sync"
)

// stmtDB is the store's pool. On SQLite it prepares each statement once
// and reuses it (issue 17): parsing and planning took a third of a page's
// time, every request again. database/sql prepares a cached statement on
// each connection the first time it runs there and keeps it. PostgreSQL's
// driver keeps its own cache of prepared statements (pgx), so there the
// pool is used as it is.
type stmtDB struct {
	*sql.DB
	cache bool
	mu    sync.RWMutex
	stmts map[string]*sql.Stmt
}

// stmtCacheMax bounds the statements kept: a statement whose text varies
// (an IN list of another length) beyond it runs unprepared.
const stmtCacheMax = 2000

func newStmtDB(db *sql.DB, cache bool) *stmtDB {
	return &stmtDB{DB: db, cache: cache, stmts: map[string]*sql.Stmt{}}
}

// stmt is query prepared, nil when not kept (PostgreSQL, the cache full,
// or the statement refused: running it unprepared then reports why).
func (d *stmtDB) stmt(ctx context.Context, query string) *sql.Stmt {
	if !d.cache {
		return nil
	}
	d.mu.RLock()
	st, ok := d.stmts[query]
	full := len(d.stmts) >= stmtCacheMax
	d.mu.RUnlock()
	if ok || full {
		return st
	}
	st, err := d.DB.PrepareContext(context.WithoutCancel(ctx), query)
	if err != nil {
		return nil
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if kept, ok := d.stmts[query]; ok { // prepared meanwhile by another request
		st.Close()
		return kept
	}
	if len(d.stmts) >= stmtCacheMax {
		st.Close()
		return nil
	}
	d.stmts[query] = st
	return st
}

func (d *stmtDB) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := d.stmt(ctx, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return d.DB.QueryContext(ctx, query, args...)
}

func (d *stmtDB) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if st := d.stmt(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return d.DB.QueryRowContext(ctx, query, args...)
}

func (d *stmtDB) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if st := d.stmt(ctx, query); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return d.DB.ExecContext(ctx, query, args...)
}

// inTx is query's prepared statement for tx, nil when not kept: the
// connection's own prepared statement when it has one.
func (d *stmtDB) inTx(ctx context.Context, tx *sql.Tx, query string) *sql.Stmt {
	if st := d.stmt(ctx, query); st != nil {
		return tx.StmtContext(ctx, st)
	}
	return nil
}

// Close closes the kept statements and the pool.
func (d *stmtDB) Close() error {
	d.mu.Lock()
	for _, st := range d.stmts {
		st.Close()
	}
	d.stmts = map[string]*sql.Stmt{}
	d.mu.Unlock()
	return d.DB.Close()
}
