// Package store is huanjie's database: one code base for the embedded SQLite
// default and for PostgreSQL. SQL is written in the subset both engines
// accept; what differs lives in dialect.go. Every write runs in Write, which
// appends to the audit chain in the same transaction.
package store

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite" // registers "sqlite"

	"github.com/huanjie/huanjie/internal/audit"
	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/secret"
)

// Engine names the database engine behind a Store.
type Engine string

// The supported engines.
const (
	SQLite   Engine = "sqlite"
	Postgres Engine = "postgres"
)

// Store is the database. It is safe for concurrent use.
type Store struct {
	db          *stmtDB // prepares and keeps statements on SQLite (stmts.go)
	engine      Engine
	dsn         string
	box         *secret.Box
	auditKey    *audit.Key
	checkpoints string                     // the append-only checkpoint file, "" for none
	head        atomic.Pointer[audit.Head] // the chain's head after this process's last write
	chain       chan struct{}              // PostgreSQL: held from a write's append to the chain until it commits (Tx.seal)
	verified    atomic.Pointer[VerifyStatus]
	paths       sync.Map // unit paths by code, for audit entries (neither ever changes)
	now         func() time.Time
	writeSlot   chan struct{}    // the write slots, taken in Go before a write transaction begins (beginWrite)
	wal         *walCheckpointer // SQLite: checkpoints the WAL off the request path; nil on PostgreSQL
}

// Options are what a Store keeps outside the database.
type Options struct {
	// Box seals personal data; nil only for tools that touch none. A key
	// other than the one the database records is refused (AttachDataKey).
	Box *secret.Box
	// AuditKey seals the audit log; nil opens the store for reading only
	// (writes fail), as for `migrate` or a check of the key itself. Open
	// attaches it with AttachAuditKey.
	AuditKey *audit.Key
	// Checkpoints is the append-only file the chain's head is checkpointed
	// to, "" for none.
	Checkpoints string
	// Clock is the store's clock, which every stamp and every "today" is
	// read from; nil is the system's. Tests pin it.
	Clock func() time.Time
	// Trace, when set, is told every statement the store runs, with its
	// arguments, before it runs: huanjie-bench records a request's
	// statements with it to replay them as the bare baseline.
	Trace func(query string, args []any)
}

// DefaultDSN is where the embedded database lives when nothing else is said.
const DefaultDSN = "sqlite:data/huanjie.db"

// SQLiteURI is the URI that opens the SQLite file at path: "file:" and the
// path with the characters a URI reads otherwise escaped ('%' escapes, '?'
// starts the parameters, '#' a fragment that SQLite drops), so that a
// folder named "x#01" (Go's name of a repeated subtest) or "100%" is the
// one opened. Parameters may follow it after a '?'.
func SQLiteURI(path string) string {
	return "file:" + sqlitePathEscaper.Replace(path)
}

var sqlitePathEscaper = strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23")

// Open connects to the database named by dsn ("sqlite:PATH" or
// "postgres://…"), brings its schema up to date and returns the Store.
func Open(ctx context.Context, dsn string, o Options) (*Store, error) {
	s := &Store{dsn: dsn, checkpoints: o.Checkpoints, now: o.Clock}
	if s.now == nil {
		s.now = time.Now
	}
	db, engine, err := OpenPool(dsn)
	if err != nil {
		return nil, err
	}
	s.db, s.engine = newStmtDB(db, engine == SQLite, o.Trace), engine
	slots := 1 // SQLite's one write lock (beginWrite)
	if engine == Postgres {
		slots = pgWriters
	}
	s.writeSlot = make(chan struct{}, slots)
	s.chain = make(chan struct{}, 1)
	if err := s.db.PingContext(ctx); err != nil {
		s.db.Close()
		return nil, fmt.Errorf("connect %s: %w", s.engine, err)
	}
	if err := s.migrate(ctx); err != nil {
		s.db.Close()
		return nil, err
	}
	if err := s.backfillSearchKeys(ctx); err != nil { // search.go
		s.db.Close()
		return nil, err
	}
	if o.Box != nil {
		if err := s.AttachDataKey(ctx, o.Box); err != nil {
			s.db.Close()
			return nil, err
		}
	}
	if o.AuditKey != nil {
		if err := s.AttachAuditKey(ctx, o.AuditKey); err != nil {
			s.db.Close()
			return nil, err
		}
	}
	if s.engine == SQLite {
		s.wal = startWALCheckpointer(s.db.DB)
	}
	return s, nil
}

// Close closes the connection pool, after the WAL's last checkpoint.
func (s *Store) Close() error {
	s.wal.stop()
	return s.db.Close()
}

// Engine reports which engine the Store runs on.
func (s *Store) Engine() Engine { return s.engine }

// Ping reports whether the database answers.
func (s *Store) Ping(ctx context.Context) error { return s.db.PingContext(ctx) }

// SetClock replaces the clock, for tests.
func (s *Store) SetClock(now func() time.Time) { s.now = now }

// sideBySide is how many of a bulk job's writes SideBySide runs at once
// where the store lets that many write at a time (PostgreSQL).
const sideBySide = 4

// SideBySide runs fn(i) for every i below n, as many at once as the store
// lets write transactions be open, up to sideBySide: a bulk job's parts
// (the demo's districts, the reports of many ballots) as a zone's desks
// work side by side. On PostgreSQL a write spends most of its time waiting
// on round trips, which the others' fill; on SQLite, with one writer, the
// parts run one after another. It returns the error of the lowest i that
// failed; after a failure no further i is started.
func (s *Store) SideBySide(n int, fn func(i int) error) error {
	errs := make([]error, n)
	var next atomic.Int64
	var failed atomic.Bool
	var wg sync.WaitGroup
	for range min(cap(s.writeSlot), sideBySide, n) {
		wg.Go(func() {
			for !failed.Load() {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				if errs[i] = fn(i); errs[i] != nil {
					failed.Store(true)
				}
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) clock() time.Time { return s.now().UTC().Truncate(time.Microsecond) }

// Now is the store's clock: the time writes are stamped with.
func (s *Store) Now() time.Time { return s.clock() }

// Today is the day in China by the store's clock: the one "today" that
// pages, checks and deadlines count from.
func (s *Store) Today() civil.Date { return civil.Of(s.clock()) }

// each runs a query and calls fn on every row.
func (s *Store) each(ctx context.Context, q string, fn func(*sql.Rows) error, args ...any) error {
	return eachRow(ctx, s.db, q, fn, args...)
}

// eachRow is each on db, the store or a transaction.
func eachRow(ctx context.Context, db querier, q string, fn func(*sql.Rows) error, args ...any) error {
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// pgConns is the size of PostgreSQL's pool, pgWriters how many write
// transactions hold a connection of it at once (beginWrite).
const pgConns, pgWriters = 25, 8

// OpenPool opens dsn's connection pool with the settings the store uses
// (SQLite's pragmas, PostgreSQL's parameters), without migrating or
// checking it: huanjie-bench's bare baseline runs the store's statements
// on it.
func OpenPool(dsn string) (*sql.DB, Engine, error) {
	switch {
	case strings.HasPrefix(dsn, "sqlite:"):
		path := strings.TrimPrefix(dsn, "sqlite:")
		if path == "" {
			return nil, "", fmt.Errorf("sqlite DSN names no file: %q", dsn)
		}
		if dir := filepath.Dir(path); dir != "." {
			if err := os.MkdirAll(dir, 0o750); err != nil {
				return nil, "", err
			}
		}
		// busy_timeout first, so the pragmas after it wait instead of failing.
		q := url.Values{}
		q.Add("_pragma", "busy_timeout(10000)")
		q.Add("_pragma", "journal_mode(WAL)")
		q.Add("_pragma", "synchronous(NORMAL)")
		// No checkpoint inside a write: the store's own goroutine runs them
		// (walCheckpointer).
		q.Add("_pragma", "wal_autocheckpoint(0)")
		q.Add("_pragma", "foreign_keys(1)")
		// Reads map the file (up to 256 MB) instead of copying each page
		// into every connection's 2 MB cache: a page of 100,000
		// communities read the same orgs pages through the cache again on
		// every request (the battle map 347 → 126 ms, the classes 98 →
		// 25 ms). The pages are the OS's, shared by the connections.
		q.Add("_pragma", "mmap_size(268435456)")
		q.Set("_txlock", "immediate")
		q.Set("_time_format", "sqlite")
		db, err := sql.Open("sqlite", SQLiteURI(path)+"?"+q.Encode())
		if err != nil {
			return nil, "", err
		}
		db.SetMaxOpenConns(8)
		db.SetMaxIdleConns(8)
		db.SetConnMaxIdleTime(0)
		return db, SQLite, nil
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		cfg, err := pgx.ParseConfig(dsn)
		if err != nil {
			return nil, "", err
		}
		// Every query is bounded by the caller's scope, from one community to
		// the whole zone: a cached generic plan guesses the range's size and,
		// guessing small, walks 10,000 communities' items one by one (2.2 s
		// instead of 0.2 s for the day's closings). Plan each execution with
		// its own values, unless the DSN says otherwise.
		if _, set := cfg.RuntimeParams["plan_cache_mode"]; !set {
			cfg.RuntimeParams["plan_cache_mode"] = "force_custom_plan"
		}
		// The platform's statements read many rows by index, one lookup
		// each: the planner's cost of a whole zone's passes crosses the JIT
		// threshold, and compiling takes longer than running (coverage of
		// 10,000 communities: 100 ms run, 450–580 ms compiled first). No JIT,
		// unless the DSN says otherwise.
		if _, set := cfg.RuntimeParams["jit"]; !set {
			cfg.RuntimeParams["jit"] = "off"
		}
		// Protected records' content is written as JSON by the engine, whose
		// timestamps follow the session's zone: one zone for every session
		// keeps the same content the same text (protected.go).
		cfg.RuntimeParams["timezone"] = "UTC"
		db := stdlib.OpenDB(*cfg)
		db.SetMaxOpenConns(pgConns)
		db.SetMaxIdleConns(pgConns)
		db.SetConnMaxIdleTime(5 * time.Minute)
		return db, Postgres, nil
	default:
		return nil, "", fmt.Errorf("unknown database %q: use sqlite:PATH or postgres://…", dsn)
	}
}
