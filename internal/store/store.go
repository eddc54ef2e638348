// Package store is huanjie's database: one code base for the embedded SQLite
// default and for PostgreSQL. SQL is written in the subset both engines
// accept; what differs lives in dialect.go. Every write runs in Write, which
// appends to the audit chain in the same transaction.
package store

import (
	"context"
	"database/sql"
	"errors"
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
	sessions    sessionCache               // the users of sessions read in the last second (session_cache.go)
	groups      writeGroups                // SQLite: the writes queued to be written together (group_commit.go)
	chain       chan struct{}              // PostgreSQL: held from a write's append to the chain until it commits (Tx.seal)
	verified    atomic.Pointer[VerifyStatus]
	paths       sync.Map // unit paths by code, for audit entries (neither ever changes)
	now         func() time.Time
	writeSlot   chan struct{} // the write slots, taken in Go before a write transaction begins (beginWrite)
	wal         *offPath      // SQLite: checkpoints the WAL off the request path; nil on PostgreSQL
	search      *offPath      // copies the audit log's entries to the table its filters read (audit_search.go)
	searched    atomic.Int64  // the copy holds the log up to this entry, as far as this process knows
	// writer is SQLite's one connection for writes, a connection of Keyed
	// used by the holder of the write slot alone (begin); nil on
	// PostgreSQL. SQLite drops a connection's whole page cache when another
	// connection has written since its last transaction: writes that took
	// any connection of the pool read their pages from the file again,
	// inside the write lock, whenever the one before had run on another
	// (the ledger note at 8 clients 1,076–1,157 a second; on one connection
	// 1,201–1,392). The bare stack of huanjie-bench writes the same way.
	// Its triggers hand notes of what a write touches to notes (touched.go).
	writer *sql.Conn
	notes  writerNotes
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
	pools, err := OpenPool(dsn)
	if err != nil {
		return nil, err
	}
	s.db, s.engine = newStmtDB(pools, o.Trace), pools.Engine
	slots := 1 // SQLite's one write lock (beginWrite)
	if s.engine == Postgres {
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
	if s.engine == SQLite { // before the writes below: the notes of what they touch are the writer's (touched.go)
		if s.writer, err = takeWriter(ctx, pools.Keyed, &s.notes); err != nil {
			s.db.Close()
			return nil, err
		}
		s.startDrainer()
	}
	if err := s.backfillSearchKeys(ctx); err != nil { // search.go
		s.Close() // and the writer
		return nil, err
	}
	if o.Box != nil {
		if err := s.AttachDataKey(ctx, o.Box); err != nil {
			s.Close() // and the writer
			return nil, err
		}
	}
	if o.AuditKey != nil {
		if err := s.AttachAuditKey(ctx, o.AuditKey); err != nil {
			s.Close() // and the writer
			return nil, err
		}
	}
	if s.engine == SQLite {
		s.wal = startWALCheckpointer(pools.Keyed) // a checkpoint unmaps a mapped connection's file
	}
	s.search = startOffPath(searchGap, s.copyAuditSearch)
	return s, nil
}

// Close closes the connection pool, after the WAL's last checkpoint.
func (s *Store) Close() error {
	s.search.stop()
	s.stopDrainer()
	s.wal.stop()
	if s.writer != nil {
		s.writer.Close()
		noteSinks.Delete(s.notes.sink)
	}
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

// setOf reads the one column of q's rows into a set.
func setOf[K comparable](ctx context.Context, db querier, q string, args ...any) (map[K]bool, error) {
	out := map[K]bool{}
	err := eachRow(ctx, db, q, func(rows *sql.Rows) error {
		var k K
		err := rows.Scan(&k)
		out[k] = true
		return err
	}, args...)
	return out, err
}

// addPairs adds to set the pairs of ids q reads, two columns a row.
func addPairs(ctx context.Context, db querier, set map[[2]int64]bool, q string, args ...any) error {
	return eachRow(ctx, db, q, func(rows *sql.Rows) error {
		var k [2]int64
		err := rows.Scan(&k[0], &k[1])
		set[k] = true
		return err
	}, args...)
}

// pgConns is the size of PostgreSQL's pool of reads, pgWriters how many
// write transactions hold a connection at once (beginWrite) and pgKeyed the
// size of the pool they hold it from, which reads by key share: a writer
// that reads by key while it holds a connection finds another free.
const pgConns, pgWriters, pgKeyed = 25, 8, 16

// Pools are the connections a store runs its statements on.
type Pools struct {
	Engine Engine
	// Reads run the reads. On PostgreSQL its connections plan each
	// execution with its values (plan_cache_mode=force_custom_plan): the
	// same query serves a community and the whole zone, and a cached
	// generic plan guesses the scope's range small and, for the whole zone,
	// walked 10,000 communities' items one by one (2.2 s instead of 0.2 s
	// for the day's closings).
	Reads *sql.DB
	// Keyed runs the writes and the reads by key (byKey). On PostgreSQL
	// its connections keep a statement's plan once it is as good as
	// planning each time (plan_cache_mode=auto): a lookup by key does not
	// depend on the scope's range, and each row a write inserts or updates
	// runs its foreign keys' checks and its triggers' statements, which
	// force_custom_plan planned again every time (the 10,000-community
	// demo planned 715,000 statements for the 88,000 it sent). On SQLite
	// its connections do not map the file, where those of Reads do: a
	// connection that maps it unmaps the whole map at its next transaction
	// after any other connection wrote and faults its pages in again, one
	// by one. Under a stream of writes every connection did so every time,
	// the writer too, inside the write lock (a ledger note at 8 clients
	// held it 1.2 ms instead of 0.4 ms); a write and a read by key touch a
	// few pages, which such a connection reads into its own cache.
	// On SQLite the writes keep one of its connections (Store.writer).
	Keyed *sql.DB
}

// byKey begins a read that finds its rows by one value of a unique key
// (an id, a code, a session's token), whose plan does not depend on the
// scope's range: it runs on Pools.Keyed (Pools.For). A read over a range of
// the tree must not carry it, nor one by a list of keys: a generic plan
// guesses the range small, and for the ancestors of a community, two codes
// in a list, it read the whole zone's units in path order instead (6.3 ms
// instead of 0.05). TestKeyedReadsGenericPlans checks each read that
// carries it.
const byKey = "/* by key */ "

// For is the pool a statement outside a write runs on: Keyed for a read
// by key (byKey), Reads for the others.
func (p Pools) For(query string) *sql.DB {
	if strings.HasPrefix(query, byKey) {
		return p.Keyed
	}
	return p.Reads
}

// Close closes the pools.
func (p Pools) Close() error {
	err := p.Reads.Close()
	if p.Keyed != p.Reads {
		err = errors.Join(err, p.Keyed.Close())
	}
	return err
}

// OpenPool opens dsn's connection pools with the settings the store uses
// (SQLite's pragmas, PostgreSQL's parameters), without migrating or
// checking it: huanjie-bench's bare baseline runs the store's statements
// on them.
func OpenPool(dsn string) (Pools, error) {
	switch {
	case strings.HasPrefix(dsn, "sqlite:"):
		path := strings.TrimPrefix(dsn, "sqlite:")
		if path == "" {
			return Pools{}, fmt.Errorf("sqlite DSN names no file: %q", dsn)
		}
		if dir := filepath.Dir(path); dir != "." {
			if err := os.MkdirAll(dir, 0o750); err != nil {
				return Pools{}, err
			}
		}
		// Reads map the file (up to 256 MB) instead of copying each page
		// into every connection's 2 MB cache: a page of 100,000
		// communities read the same orgs pages through the cache again on
		// every request (the battle map 347 → 126 ms, the classes 98 →
		// 25 ms). The pages are the OS's, shared by the connections.
		reads, err := openSQLite(path, 256<<20)
		if err != nil {
			return Pools{}, err
		}
		keyed, err := openSQLite(path, 0)
		if err != nil {
			reads.Close()
			return Pools{}, err
		}
		return Pools{Engine: SQLite, Reads: reads, Keyed: keyed}, nil
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		reads, err := openPostgres(dsn, "force_custom_plan", pgConns)
		if err != nil {
			return Pools{}, err
		}
		keyed, err := openPostgres(dsn, "auto", pgKeyed)
		if err != nil {
			reads.Close()
			return Pools{}, err
		}
		return Pools{Engine: Postgres, Reads: reads, Keyed: keyed}, nil
	default:
		return Pools{}, fmt.Errorf("unknown database %q: use sqlite:PATH or postgres://…", dsn)
	}
}

// sqliteConns is the size of each of SQLite's pools.
const sqliteConns = 8

// openSQLite opens a pool of connections to the SQLite file at path, which
// map up to mmap bytes of it (mmap_size).
func openSQLite(path string, mmap int) (*sql.DB, error) {
	// busy_timeout first, so the pragmas after it wait instead of failing.
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(NORMAL)")
	// No checkpoint inside a write: the store's own goroutine runs them
	// (startWALCheckpointer).
	q.Add("_pragma", "wal_autocheckpoint(0)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", fmt.Sprintf("mmap_size(%d)", mmap))
	q.Set("_txlock", "immediate")
	q.Set("_time_format", "sqlite")
	db, err := sql.Open(sqliteDriver, SQLiteURI(path)+"?"+q.Encode())
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(sqliteConns)
	db.SetMaxIdleConns(sqliteConns)
	db.SetConnMaxIdleTime(0)
	return db, nil
}

// openPostgres opens a pool of at most conns connections to dsn, which
// plan with plans (plan_cache_mode, Pools) unless the DSN says otherwise.
func openPostgres(dsn, plans string, conns int) (*sql.DB, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, err
	}
	if _, set := cfg.RuntimeParams["plan_cache_mode"]; !set {
		cfg.RuntimeParams["plan_cache_mode"] = plans
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
	db.SetMaxOpenConns(conns)
	db.SetMaxIdleConns(conns)
	db.SetConnMaxIdleTime(5 * time.Minute)
	return db, nil
}
