package testdb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/huanjie/huanjie/internal/account"
	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/store"
)

// A Fixture is a database that its build function writes once per test
// binary, engine and day, of which every test that asks gets a copy of its
// own: the SQLite file written anew, or a PostgreSQL database made with the
// fixture's as its template. Loading the demo zone takes seconds (tens on
// PostgreSQL: thousands of audited writes, an argon2id hash per account);
// a copy takes a fraction of one.
//
// A copy is opened with the keys the fixture was built with, its own copy
// of the fixture's checkpoint file and the fixture's clock (which runs on,
// pinned or not, so no copy's clock goes back behind its data), so that its
// audit log verifies on its own: every copy is checked when its test ends,
// as every store of Open is. A fixture is rebuilt when its clock's day has
// changed since, so data dated "today" stays today's.
type Fixture struct {
	build  func(context.Context, *store.Store) error // nil: the migrations only
	name   string                                    // Shared: what the processes of one run call it
	base   *Fixture                                  // Logins, Then: the fixture this one copies
	logins map[string]string                         // Logins: password by username
	then   func(context.Context, *store.Store) error // Then: what is built on the copy

	mu     sync.Mutex
	images map[store.Engine]*image
}

// image is a fixture as built on one engine.
type image struct {
	day         civil.Date
	opts        store.Options // the keys and clock it was built with; no checkpoint file
	checkpoints []byte        // the checkpoint file as the build left it
	file        []byte        // SQLite: the database file
	template    string        // PostgreSQL: the template database
	err         error
}

// NewFixture returns a fixture that build writes into a fresh, migrated
// store. build must give the same data every time it runs (it runs again
// on another engine, or on another day).
func NewFixture(build func(context.Context, *store.Store) error) *Fixture {
	return &Fixture{build: build, images: map[store.Engine]*image{}}
}

// Shared returns a fixture like NewFixture's that the test processes of
// one `go test` run build once between them (shared.go): the demo zone that
// four packages load is loaded once per engine, not four times. name must
// stand for build alone: every fixture shared under one name must write the
// same data.
func Shared(name string, build func(context.Context, *store.Store) error) *Fixture {
	f := NewFixture(build)
	f.name = name
	return f
}

// Logins returns a fixture that is f with, for each account in passwords
// (by username), a hash of that password in place of the one f's build
// stored: a zone's generated passwords are random, and the tests log in
// with those of their own copy of it. The hashes are the tests' cheap ones
// (account.UseTestingCost, set by this package). The users table is not
// among the records the audit log vouches for, so the copies' logs still
// verify.
func (f *Fixture) Logins(passwords map[string]string) *Fixture {
	return &Fixture{base: f, logins: passwords, images: map[store.Engine]*image{}}
}

// Then returns a fixture that is a copy of f with build run on it: a test
// that needs the demo zone and a little more starts from the zone its run
// loaded once, not from a load of its own. build must give the same data
// every time it runs.
func (f *Fixture) Then(build func(context.Context, *store.Store) error) *Fixture {
	return &Fixture{base: f, then: build, images: map[store.Engine]*image{}}
}

// empty is whether f is the migrations only: its copies get fresh keys.
func (f *Fixture) empty() bool { return f.build == nil && f.base == nil }

// setLogins stores hashes of f.logins' passwords in the database at dsn.
func (f *Fixture) setLogins(ctx context.Context, dsn string) error {
	driver, source := "pgx", dsn
	if path, ok := strings.CutPrefix(dsn, "sqlite:"); ok {
		driver, source = "sqlite", store.SQLiteURI(path)
	}
	db, err := sql.Open(driver, source)
	if err != nil {
		return err
	}
	defer db.Close()
	for username, pw := range f.logins {
		hash, err := account.HashPassword(pw)
		if err != nil {
			return err
		}
		res, err := db.ExecContext(ctx, `UPDATE users SET password_hash = $1 WHERE username = $2`, hash, username)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return fmt.Errorf("Logins: the fixture has no account %q", username)
		}
	}
	return db.Close()
}

// Migrated is an empty, migrated database, which Open and ForEach copy:
// migrating takes a second on PostgreSQL, a copy a fraction of one.
var Migrated = NewFixture(nil)

// ForEach runs fn as a subtest on every available engine with a Store on a
// fresh copy of f.
func (f *Fixture) ForEach(t *testing.T, fn func(t *testing.T, st *store.Store)) {
	for _, e := range []store.Engine{store.SQLite, store.Postgres} {
		t.Run(string(e), func(t *testing.T) {
			if e == store.Postgres && os.Getenv(EnvPostgres) == "" {
				t.Skip("PostgreSQL: set " + EnvPostgres + " to run these tests on PostgreSQL")
			}
			fn(t, f.Open(t, e))
		})
	}
}

// Open returns a Store on a fresh copy of f on engine e. Its audit log is
// checked when the test ends, unless the test Tampers.
func (f *Fixture) Open(t testing.TB, e store.Engine) *store.Store {
	t.Helper()
	st, _ := f.OpenDSN(t, e)
	return st
}

// OpenDSN is Open that also returns the copy's DSN, for tests that reach the
// database behind the platform's back.
func (f *Fixture) OpenDSN(t testing.TB, e store.Engine) (*store.Store, string) {
	t.Helper()
	if e == store.Postgres && os.Getenv(EnvPostgres) == "" {
		t.Skip("PostgreSQL: set " + EnvPostgres + " to run these tests on PostgreSQL")
	}
	im, err := f.image(e)
	if err != nil {
		t.Fatalf("fixture on %s: %v", e, err)
	}
	opts := im.opts
	if f.empty() {
		opts = Options(t) // nothing is sealed yet: fresh keys, as for a new database
	} else {
		opts.Checkpoints = filepath.Join(t.TempDir(), "audit-checkpoints.log")
		if err := os.WriteFile(opts.Checkpoints, im.checkpoints, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	var dsn string
	if e == store.SQLite {
		path := filepath.Join(t.TempDir(), "test.db")
		if err := os.WriteFile(path, im.file, 0o600); err != nil {
			t.Fatal(err)
		}
		dsn = "sqlite:" + path
	} else {
		dsn = pgCopy(t, im.template)
	}
	st, err := store.Open(context.Background(), dsn, opts)
	if err != nil {
		t.Fatalf("open %s: %v", e, err)
	}
	t.Cleanup(func() {
		defer st.Close()
		if _, skip := tampered.Load(t.Name()); !t.Failed() && !skip {
			CheckAudit(t, st)
		}
	})
	return st, dsn
}

// image returns f as built on e, building it on first use or when its day
// has passed.
func (f *Fixture) image(e store.Engine) (*image, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	im := f.images[e]
	if im != nil && (f.empty() || im.day == civil.Of(now(im.opts.Clock))) {
		return im, im.err
	}
	im = &image{}
	im.err = f.make(e, im)
	f.images[e] = im
	return im, im.err
}

func now(clock func() time.Time) time.Time {
	if clock == nil {
		return time.Now()
	}
	return clock()
}

// make builds f on e into im: a copy of its base with known passwords
// or built on, the image another process of the run built (Shared), or its own.
func (f *Fixture) make(e store.Engine, im *image) error {
	if f.base != nil {
		return f.copyBase(e, im)
	}
	if f.name != "" {
		if done, err := f.makeShared(e, im); done || err != nil {
			return err
		}
	}
	k, err := newKeys()
	if err != nil {
		return err
	}
	template := ""
	if e == store.Postgres {
		if err := pgAdmin(); err != nil {
			return err
		}
		template = pgName()
	}
	return f.buildImage(e, im, k, template)
}

// buildImage builds f on e with keys k (unused for the migrations only)
// into im: on PostgreSQL into a new database named template.
func (f *Fixture) buildImage(e store.Engine, im *image, k keys, template string) error {
	dir, err := os.MkdirTemp("", "huanjie-fixture-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if f.build != nil {
		if im.opts, err = k.options(); err != nil {
			return err
		}
	}
	opts := im.opts
	if f.build != nil {
		opts.Checkpoints = filepath.Join(dir, "audit-checkpoints.log")
	}
	path := filepath.Join(dir, "fixture.db")
	dsn := "sqlite:" + path
	if e == store.Postgres {
		if _, err := pg.db.Exec(`CREATE DATABASE ` + template); err != nil {
			return err
		}
		im.template, dsn = template, pgDSN(template)
	}
	im.day = civil.Of(now(im.opts.Clock))
	if err := runOn(dsn, opts, f.build); err != nil {
		return err
	}
	if f.build != nil {
		if im.checkpoints, err = readCheckpoints(opts.Checkpoints); err != nil {
			return err
		}
	}
	if e == store.SQLite {
		return im.readFile(path)
	}
	return nil
}

// readFile reads the SQLite database at path, closed, into im.
func (im *image) readFile(path string) (err error) {
	if _, err := os.Stat(path + "-wal"); err == nil {
		return fmt.Errorf("fixture %s: the write-ahead log is still there after closing", path)
	}
	im.file, err = os.ReadFile(path)
	return err
}

// copyBase makes im a copy of f's base changed by f: its passwords set
// (Logins) or its build run on it (Then).
func (f *Fixture) copyBase(e store.Engine, im *image) error {
	b, err := f.base.image(e)
	if err != nil {
		return err
	}
	im.opts, im.day, im.checkpoints = b.opts, b.day, b.checkpoints
	dir, err := os.MkdirTemp("", "huanjie-fixture-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "fixture.db")
	dsn := "sqlite:" + path
	if e == store.Postgres {
		if err := pgAdmin(); err != nil {
			return err
		}
		im.template = pgName()
		if err := pgCreateFrom(im.template, b.template); err != nil {
			return err
		}
		dsn = pgDSN(im.template)
	} else if err := os.WriteFile(path, b.file, 0o600); err != nil {
		return err
	}
	if f.then != nil {
		err = f.runThen(dir, dsn, im)
	} else {
		err = f.setLogins(context.Background(), dsn)
	}
	if err != nil || e == store.Postgres {
		return err
	}
	return im.readFile(path)
}

// runThen opens the copy at dsn as its tests will, with its keys and its
// own checkpoint file in dir, runs f.then on it and keeps the checkpoints.
func (f *Fixture) runThen(dir, dsn string, im *image) error {
	opts := im.opts
	opts.Checkpoints = filepath.Join(dir, "audit-checkpoints.log")
	if err := os.WriteFile(opts.Checkpoints, im.checkpoints, 0o600); err != nil {
		return err
	}
	if err := runOn(dsn, opts, f.then); err != nil {
		return err
	}
	var err error
	im.checkpoints, err = readCheckpoints(opts.Checkpoints)
	return err
}

// runOn opens the store at dsn with opts, runs build on it (nil: nothing
// but the migrations Open runs) and closes it.
func runOn(dsn string, opts store.Options, build func(context.Context, *store.Store) error) error {
	ctx := context.Background()
	st, err := store.Open(ctx, dsn, opts)
	if err != nil {
		return err
	}
	if build != nil {
		err = build(ctx, st)
	}
	if cerr := st.Close(); err == nil {
		err = cerr
	}
	return err
}

// readCheckpoints reads the checkpoint file a build left, none if it wrote
// none.
func readCheckpoints(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	return b, err
}

// PostgreSQL fixtures are databases named hjt_<process key>_<n>: the
// process holds an advisory lock on its key for as long as it lives, so a
// later process drops the databases of one that ended without dropping
// them (a test binary has no hook at its end; a killed one has none at
// all).
var pg struct {
	once    sync.Once
	err     error
	base    *url.URL
	db      *sql.DB   // on the DSN of EnvPostgres, for creating and dropping databases
	lock    *sql.Conn // holds the advisory lock on key
	key     int64
	n       atomic.Int64
	drops   chan string // databases to drop (pgDrop)
	version int         // the server's server_version_num
}

const pgPrefix = "hjt_"

// pgAdmin connects to the server of EnvPostgres once per process, takes the
// process's key and drops what ended processes left.
func pgAdmin() error {
	pg.once.Do(func() {
		pg.err = func() error {
			base := os.Getenv(EnvPostgres)
			u, err := url.Parse(base)
			if err != nil {
				return fmt.Errorf("%s: %w", EnvPostgres, err)
			}
			pg.base = u
			if pg.db, err = sql.Open("pgx", base); err != nil {
				return err
			}
			ctx := context.Background()
			if pg.lock, err = pg.db.Conn(ctx); err != nil {
				return fmt.Errorf("postgres at %s does not answer (%s is set, so PostgreSQL tests must run): %w", base, EnvPostgres, err)
			}
			for {
				pg.key = int64(randUint64() >> 1)
				var got bool
				if err := pg.lock.QueryRowContext(ctx, `SELECT pg_try_advisory_lock($1)`, pg.key).Scan(&got); err != nil {
					return fmt.Errorf("postgres at %s does not answer (%s is set, so PostgreSQL tests must run): %w", base, EnvPostgres, err)
				}
				if got {
					break
				}
			}
			if err := pg.lock.QueryRowContext(ctx, `SELECT current_setting('server_version_num')::int`).Scan(&pg.version); err != nil {
				return err
			}
			if err := pgSweep(ctx); err != nil {
				return err
			}
			pg.drops = make(chan string, 1<<16)
			go pgDrop()
			return nil
		}()
	})
	return pg.err
}

// pgSweep drops the databases of processes that hold their lock no longer
// and the shared fixtures of runs that ended (shared.go).
func pgSweep(ctx context.Context) error {
	rows, err := pg.db.QueryContext(ctx, `SELECT datname FROM pg_database WHERE datname LIKE 'hjt\_%' OR datname LIKE 'hjc\_%'`)
	if err != nil {
		return err
	}
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return err
		}
		names = append(names, n)
	}
	rows.Close()
	for _, name := range names {
		if run, ok := strings.CutPrefix(name, pgSharedPrefix); ok {
			if i := strings.LastIndexByte(run, '_'); i > 0 && runEnded(run[:i]) {
				if _, err := pg.db.ExecContext(ctx, `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`); err != nil {
					return fmt.Errorf("drop %s, left by an ended test run: %w", name, err)
				}
			}
			continue
		}
		hex, _, _ := strings.Cut(strings.TrimPrefix(name, pgPrefix), "_")
		key, err := strconv.ParseInt(hex, 16, 64)
		if err != nil || key == pg.key {
			continue
		}
		var free bool
		if err := pg.lock.QueryRowContext(ctx, `SELECT pg_try_advisory_lock($1)`, key).Scan(&free); err != nil {
			return err
		}
		if !free {
			continue // its process is alive
		}
		_, err = pg.db.ExecContext(ctx, `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`)
		if _, uerr := pg.lock.ExecContext(ctx, `SELECT pg_advisory_unlock($1)`, key); err == nil {
			err = uerr
		}
		if err != nil {
			return fmt.Errorf("drop %s, left by an ended test process: %w", name, err)
		}
	}
	return nil
}

// pgName is a new database name of this process.
func pgName() string { return fmt.Sprintf("%s%x_%d", pgPrefix, pg.key, pg.n.Add(1)) }

// pgDSN is the DSN of EnvPostgres pointing at database name.
func pgDSN(name string) string {
	u := *pg.base
	u.Path = "/" + name
	q := u.Query()
	q.Del("search_path")
	// A test database need not outlast a crash of the server: its commits
	// do not wait for the disk (a demo load commits thousands of times).
	if !q.Has("synchronous_commit") {
		q.Set("synchronous_commit", "off")
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// pgCopy creates a database from template for t, dropped when t ends, and
// returns its DSN.
func pgCopy(t testing.TB, template string) string {
	t.Helper()
	if err := pgAdmin(); err != nil {
		t.Fatal(err)
	}
	name := pgName()
	if err := pgCreateFrom(name, template); err != nil {
		t.Fatalf("copy fixture %s: %v", template, err)
	}
	t.Cleanup(func() { pg.drops <- name })
	mark(t)
	return pgDSN(name)
}

// pgCreateFrom creates database name as a copy of template. From
// PostgreSQL 15 on it copies the files (STRATEGY FILE_COPY) rather than
// writing every block of them into the write-ahead log, the default: half
// the time and the server's CPU for a copy of the demo zone, which the
// tests make hundreds of.
func pgCreateFrom(name, template string) error {
	strategy := ""
	if pg.version >= 150000 {
		strategy = ` STRATEGY FILE_COPY`
	}
	_, err := pg.db.Exec(`CREATE DATABASE ` + name + ` TEMPLATE ` + template + strategy)
	return err
}

// pgDrop drops the databases of ended tests, one at a time, while the next
// tests run: dropping a database waits for a checkpoint. What is left when
// the process ends, the next one drops (pgSweep).
func pgDrop() {
	for name := range pg.drops {
		pg.db.Exec(`DROP DATABASE IF EXISTS ` + name + ` WITH (FORCE)`)
	}
}
