// Package testdb gives tests real databases: a fresh SQLite file always and,
// when HUANJIE_TEST_POSTGRES holds a DSN, a fresh PostgreSQL database (Open,
// ForEach, a Fixture's copies) or schema (DSN), dropped when the test ends.
// With HUANJIE_TEST_POSTGRES set, a PostgreSQL that does not answer fails
// the test instead of skipping it.
package testdb

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/huanjie/huanjie/internal/account"
	"github.com/huanjie/huanjie/internal/audit"
	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/secret"
	"github.com/huanjie/huanjie/internal/store"
)

// The tests that use real databases hash the passwords they set with
// argon2id's least cost (account.UseTestingCost): their fixtures' demo
// accounts, the accounts they create, the passwords they reset. The
// platform's own cost is checked by package account's tests.
func init() { account.UseTestingCost() }

// EnvPostgres names the variable holding the PostgreSQL test DSN.
const EnvPostgres = "HUANJIE_TEST_POSTGRES"

// EnvMark names a folder where every test package that ran against
// PostgreSQL leaves a file, so CI can tell that PostgreSQL tests ran.
const EnvMark = "HUANJIE_TEST_POSTGRES_MARK"

// Box returns a fresh data key for a test.
func Box(t testing.TB) *secret.Box {
	b, err := newBox()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func newBox() (*secret.Box, error) {
	key := make([]byte, 64)
	rand.Read(key)
	return secret.New(key)
}

// AuditKey returns a fresh audit key for a test.
func AuditKey(t testing.TB) *audit.Key {
	k, err := newAuditKey()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func newAuditKey() (*audit.Key, error) {
	k, _, err := audit.GenerateKey()
	return k, err
}

func randUint64() uint64 {
	var b [8]byte
	rand.Read(b[:])
	return binary.BigEndian.Uint64(b[:])
}

// EnvClock names the variable that pins every test store's clock to a time
// of day in China, HH:MM, on today's date: the suite run at 00:30 and at
// 23:30 finds every "today" counted in China time, not UTC or the machine's
// zone. "YYYY-MM-DD HH:MM" pins another day too: the suite run on a day to
// come finds what would break then. The pinned clock then runs on, so that
// waits still end.
const EnvClock = "HUANJIE_TEST_CLOCK"

// Options are fresh keys, a checkpoint file in the test's own folder and
// the clock EnvClock asks for (the system's when it is not set).
func Options(t testing.TB) store.Options {
	return store.Options{Box: Box(t), AuditKey: AuditKey(t), Checkpoints: filepath.Join(t.TempDir(), "audit-checkpoints.log"),
		Clock: Clock(t)}
}

// Clock is the clock EnvClock pins, nil when it is not set.
func Clock(t testing.TB) func() time.Time {
	c, err := clockAt(os.Getenv(EnvClock))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// clockAt is a clock that starts at HH:MM today in China, or at
// "YYYY-MM-DD HH:MM" China time, and runs on; nil for "".
func clockAt(at string) (func() time.Time, error) {
	if at == "" {
		return nil, nil
	}
	real := time.Now()
	day, hhmm, dated := strings.Cut(at, " ")
	if !dated {
		day, hhmm = string(civil.Of(real)), at
	}
	d := civil.Date(day)
	hm, err := time.ParseInLocation("15:04", hhmm, civil.Zone)
	if err != nil || !d.Valid() {
		return nil, fmt.Errorf("%s=%q: want HH:MM or YYYY-MM-DD HH:MM, China time", EnvClock, at)
	}
	pinned := d.Start().Add(time.Duration(hm.Hour())*time.Hour + time.Duration(hm.Minute())*time.Minute)
	return func() time.Time { return pinned.Add(time.Since(real)) }, nil
}

// DSN returns a fresh database on engine e, false when PostgreSQL is asked
// for and HUANJIE_TEST_POSTGRES is not set.
func DSN(t testing.TB, e store.Engine) (string, bool) {
	if e == store.SQLite {
		return "sqlite:" + filepath.Join(t.TempDir(), "test.db"), true
	}
	base := os.Getenv(EnvPostgres)
	if base == "" {
		return "", false
	}
	return PostgresSchema(t, base), true
}

// DSNs returns a fresh database DSN per available engine, by engine name.
func DSNs(t testing.TB) map[store.Engine]string {
	out := map[store.Engine]string{}
	for _, e := range []store.Engine{store.SQLite, store.Postgres} {
		if dsn, ok := DSN(t, e); ok {
			out[e] = dsn
		}
	}
	return out
}

// ForEach runs fn as a subtest on every available engine with a fresh Store.
func ForEach(t *testing.T, fn func(t *testing.T, st *store.Store)) { Migrated.ForEach(t, fn) }

// Open returns a fresh, migrated Store on engine e: a copy of a database
// migrated once per test binary. Its audit log is checked when the test
// ends, unless the test Tampers.
func Open(t testing.TB, e store.Engine) *store.Store {
	t.Helper()
	return Migrated.Open(t, e)
}

// tampered names the tests that change the database behind the platform's
// back on purpose, whose log is not expected to verify.
var tampered sync.Map

// Tampers marks the test as one that changes the database directly on
// purpose: its log is not checked when it ends.
func Tampers(t testing.TB) { tampered.Store(t.Name(), true) }

// CheckAudit fails the test unless the store's audit log verifies: the chain,
// its checkpoints and every protected record. Every test store is checked
// when its test ends, so a write path that left a record its log does not
// vouch for fails the suite.
func CheckAudit(t testing.TB, st *store.Store) {
	t.Helper()
	r, err := st.VerifyAudit(context.Background(), nil)
	if err != nil {
		t.Fatalf("audit verify: %v", err)
	}
	if !r.OK() {
		t.Fatalf("audit log does not verify: chain %v, checkpoints %v, records %v", r.Chain, r.Rollbacks, r.RecordProblems)
	}
}

// PostgresSchema creates an empty schema for one test in the database named
// by base and returns a DSN whose search_path points at it.
func PostgresSchema(t testing.TB, base string) string {
	t.Helper()
	db, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("postgres: %v", err)
	}
	b := make([]byte, 6)
	rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	if _, err := db.Exec(`CREATE SCHEMA ` + schema); err != nil {
		db.Close()
		t.Fatalf("postgres at %s does not answer (%s is set, so PostgreSQL tests must run): %v", base, EnvPostgres, err)
	}
	t.Cleanup(func() {
		db.Exec(`DROP SCHEMA ` + schema + ` CASCADE`)
		db.Close()
	})
	mark(t)
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("postgres DSN: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

func mark(t testing.TB) {
	dir := os.Getenv(EnvMark)
	if dir == "" {
		return
	}
	os.MkdirAll(dir, 0o755)
	name := strings.NewReplacer("/", "_", " ", "_").Replace(strings.SplitN(t.Name(), "/", 2)[0])
	os.WriteFile(filepath.Join(dir, name), []byte("ran\n"), 0o644)
}
