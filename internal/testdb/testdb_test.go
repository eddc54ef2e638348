package testdb_test

import (
	"context"
	"strings"
	"testing"

	"github.com/huanjie/huanjie/internal/account"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/testdb"
)

// marked is a fixture that holds a mark an empty database does not: a
// store on another file than its copy does not see it.
var marked = testdb.NewFixture(func(ctx context.Context, st *store.Store) error { return st.BeginDemo(ctx) })

// A subtest's database lives in a folder named after it. Go names a
// repeated subtest "same#01", and a name may hold a % (both kept in the
// folder's name): each subtest still opens its own copy, writes to it and
// reads back what it wrote, and the next one starts from the fixture again.
func TestSubtestNamesOpenTheirOwnFile(t *testing.T) {
	for _, name := range []string{"same", "same", "100%41", "a#b%23c"} {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			st := marked.Open(t, store.SQLite)
			if on, err := st.DemoInterrupted(ctx); err != nil || !on {
				t.Fatalf("%s: the fixture's mark is %v (%v): the store opened another file than its copy", t.Name(), on, err)
			}
			if err := st.EndDemo(ctx); err != nil {
				t.Fatal(err)
			}
			if on, err := st.DemoInterrupted(ctx); err != nil || on {
				t.Fatalf("%s: the mark cleared reads back as %v (%v)", t.Name(), on, err)
			}
			// A fresh database of DSN, opened by the store.
			dsn, _ := testdb.DSN(t, store.SQLite)
			fresh, err := store.Open(ctx, dsn, testdb.Options(t))
			if err != nil {
				t.Fatalf("%s: open %s: %v", t.Name(), dsn, err)
			}
			defer fresh.Close()
			if err := fresh.BeginDemo(ctx); err != nil {
				t.Fatalf("%s: %s is not a new database: %v", t.Name(), dsn, err)
			}
			if on, err := fresh.DemoInterrupted(ctx); err != nil || !on {
				t.Fatalf("%s: the mark set reads back as %v (%v)", t.Name(), on, err)
			}
		})
	}
}

// A fixture built on a copy of another (Then) holds the other's data and
// its own, on every engine; the other's copies stay without it; and the
// copies' audit logs verify when their tests end (Open), so the keys and
// checkpoints carried from the base seal the additions too.
func TestThenBuildsOnACopy(t *testing.T) {
	add := func(u org.Unit) func(context.Context, *store.Store) error {
		return func(ctx context.Context, st *store.Store) error {
			return st.Zone(store.System).Write(ctx, func(tx *store.Tx) error {
				_, err := tx.AddOrg(ctx, u, false)
				return err
			})
		}
	}
	base := testdb.NewFixture(add(org.Unit{Code: "Z", Name: "开发区", Kind: org.Zone}))
	more := base.Then(add(org.Unit{Code: "Z-1", Name: "一片区", Kind: org.District, ParentCode: "Z"}))
	for _, c := range []struct {
		f         *testdb.Fixture
		districts int
	}{{more, 1}, {base, 0}, {more, 1}} {
		c.f.ForEach(t, func(t *testing.T, st *store.Store) {
			n, err := st.Zone(store.System).CountOrgs(context.Background())
			if err != nil || n.Zones != 1 || n.Districts != c.districts {
				t.Fatalf("copy holds %+v (%v), want the zone and %d district", n, err, c.districts)
			}
		})
	}
}

// TestPasswordsHashCheaply checks that a test binary importing testdb
// hashes at argon2id's least cost, and that such a hash still verifies on
// the platform's path.
func TestPasswordsHashCheaply(t *testing.T) {
	h, err := account.HashPassword("正确的密码 horse")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=8,t=1,p=1$") {
		t.Fatalf("hash %q, want argon2id's least cost", h)
	}
	if !account.VerifyPassword(h, "正确的密码 horse") || account.VerifyPassword(h, "正确的密码 horsE") {
		t.Fatal("the cheap hash does not verify as a hash should")
	}
}
