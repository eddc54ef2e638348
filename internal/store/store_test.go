package store_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/huanjie/huanjie/internal/account"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/testdb"
)

var ctx = context.Background()

func TestMigrationFoldersMatch(t *testing.T) {
	versions := func(e store.Engine) []string {
		entries, err := fs.ReadDir(store.Migrations(), "migrations/"+string(e))
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		return names
	}
	lite, pg := versions(store.SQLite), versions(store.Postgres)
	if len(lite) == 0 || !slices.Equal(lite, pg) {
		t.Fatalf("migration folders differ: sqlite %v, postgres %v", lite, pg)
	}
}

// tree adds a zone with two districts of two communities each.
func tree(t *testing.T, st *store.Store) {
	t.Helper()
	units := []org.Unit{
		{Code: "Z", Name: "测试开发区", Kind: org.Zone},
		{Code: "Z-1", Name: "东片区", Kind: org.District, ParentCode: "Z"},
		{Code: "Z-1-1", Name: "辛庄社区", Kind: org.Community, ParentCode: "Z-1", Households: 100, Population: 300},
		{Code: "Z-1-2", Name: "西山社区", Kind: org.Community, ParentCode: "Z-1", Households: 200, Population: 500},
		{Code: "Z-2", Name: "西片区", Kind: org.District, ParentCode: "Z"},
		{Code: "Z-2-1", Name: "长远社区", Kind: org.Community, ParentCode: "Z-2", Households: 50, Population: 120},
		// A code that starts like Z-1 but is not below it must stay out of Z-1's scope.
		{Code: "Z-10", Name: "十片区", Kind: org.District, ParentCode: "Z"},
	}
	err := st.Zone(store.System).Write(ctx, func(tx *store.Tx) error {
		for _, u := range units {
			if _, err := tx.AddOrg(ctx, u, false); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// within is the store as an office account scoped to the unit at path sees it.
func within(st *store.Store, path string) *store.Scoped {
	return st.For(account.User{ID: 1, Username: "scoped", Role: account.Admin, ScopePath: path})
}

// openBench opens a fresh store on engine e for a benchmark, skipping when
// PostgreSQL is not configured. Unlike testdb.Open it does not verify the
// audit log when the benchmark ends (a million entries are verified by the
// benchmark that times it).
func openBench(b *testing.B, e store.Engine) *store.Store {
	b.Helper()
	dsn, ok := testdb.DSN(b, e)
	if !ok {
		b.Skip("PostgreSQL: set " + testdb.EnvPostgres)
	}
	st, err := store.Open(context.Background(), dsn, testdb.Options(b))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	return st
}

func codes(units []org.Unit) []string {
	var out []string
	for _, u := range units {
		out = append(out, u.Code)
	}
	return out
}

func TestOrgTreeAndScope(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, st *store.Store) {
		tree(t, st)
		all, err := st.Zone(store.System).ListOrgs(ctx, store.OrgFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if got := len(all); got != 7 {
			t.Fatalf("whole tree: %d units, want 7", got)
		}
		d1, err := st.Zone(store.System).OrgByCode(ctx, "Z-1")
		if err != nil {
			t.Fatal(err)
		}
		if d1.Path != "/Z/Z-1/" || d1.ParentCode != "Z" {
			t.Fatalf("district: path %q parent %q", d1.Path, d1.ParentCode)
		}
		sub, err := within(st, d1.Path).ListOrgs(ctx, store.OrgFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := codes(sub), []string{"Z-1", "Z-1-1", "Z-1-2"}; !slices.Equal(got, want) {
			t.Fatalf("district scope sees %v, want %v", got, want)
		}
		if _, err := within(st, d1.Path).OrgByCode(ctx, "Z-2-1"); !errs.Is(err, errs.NotFound) {
			t.Fatalf("unit outside scope: %v, want not found", err)
		}
		none, err := st.For(account.User{}).ListOrgs(ctx, store.OrgFilter{})
		if err != nil || len(none) != 0 {
			t.Fatalf("zero scope must see nothing, saw %v (%v)", codes(none), err)
		}
		comms, err := st.Zone(store.System).ListOrgs(ctx, store.OrgFilter{Kind: org.Community, ParentCode: "Z-1"})
		if err != nil || len(comms) != 2 {
			t.Fatalf("filter by kind and parent: %v (%v)", codes(comms), err)
		}
		c, err := st.Zone(store.System).CountOrgs(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if c.Zones != 1 || c.Districts != 3 || c.Communities != 3 || c.Households != 350 || c.Population != 920 {
			t.Fatalf("counts %+v", c)
		}
		kids, total, err := st.Zone(store.System).Children(ctx, all[0].ID, 2, 0)
		if err != nil {
			t.Fatal(err)
		}
		if total != 3 || len(kids) != 2 || kids[0].Tree.Communities != 2 || kids[0].Tree.Households != 300 || kids[1].Code != "Z-10" || kids[1].Tree.Communities != 0 {
			t.Fatalf("children %+v of %d", kids, total)
		}
		if kids, _, _ := st.Zone(store.System).Children(ctx, all[0].ID, 2, 2); len(kids) != 1 || kids[0].Code != "Z-2" {
			t.Fatalf("second page of children %+v", kids)
		}
		if dc, _ := within(st, d1.Path).CountOrgs(ctx); dc.Communities != 2 || dc.Districts != 1 || dc.Zones != 0 || dc.Population != 800 {
			t.Fatalf("district counts %+v", dc)
		}
		page, _ := st.Zone(store.System).ListOrgs(ctx, store.OrgFilter{Limit: 3})
		rest, _ := st.Zone(store.System).ListOrgs(ctx, store.OrgFilter{After: page[2].Code})
		if len(page) != 3 || len(rest) != 4 || rest[0].Path <= page[2].Path {
			t.Fatalf("paging: %v then %v", codes(page), codes(rest))
		}
	})
}

func TestOrgConflictsAndValidation(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, st *store.Store) {
		tree(t, st)
		add := func(u org.Unit, as *store.Scoped) error {
			return as.Write(ctx, func(tx *store.Tx) error {
				_, err := tx.AddOrg(ctx, u, false)
				return err
			})
		}
		zone := st.Zone(store.System)
		if err := add(org.Unit{Code: "Z-1", Name: "重复", Kind: org.District, ParentCode: "Z"}, zone); !errs.Is(err, errs.Conflict) {
			t.Fatalf("duplicate code: %v, want conflict", err)
		}
		if err := add(org.Unit{Code: "坏 编码", Name: "x", Kind: org.District, ParentCode: "Z"}, zone); !errs.Is(err, errs.Unprocessable) {
			t.Fatalf("bad code: %v, want unprocessable", err)
		}
		d1, _ := zone.OrgByCode(ctx, "Z-1")
		if err := add(org.Unit{Code: "Z-2-9", Name: "越权", Kind: org.Community, ParentCode: "Z-2"}, within(st, d1.Path)); !errs.Is(err, errs.NotFound) {
			t.Fatalf("parent outside scope: %v, want not found", err)
		}
		if err := add(org.Unit{Code: "Y", Name: "另一个开发区", Kind: org.Zone}, within(st, d1.Path)); !errs.Is(err, errs.Forbidden) {
			t.Fatalf("a root added by a scoped office: %v, want forbidden", err)
		}
		all, _ := st.Zone(store.System).ListOrgs(ctx, store.OrgFilter{})
		if len(all) != 7 {
			t.Fatalf("failed adds changed the tree: %d units", len(all))
		}
	})
}

// PostgreSQL plans every read with its values: a cached generic plan
// cannot tell a community's scope from the whole zone's. A write and a read
// by key keep their plans (the foreign keys' checks, the triggers'
// statements, the lookups by id).
func TestPostgresPlansEachQuery(t *testing.T) {
	st := testdb.Open(t, store.Postgres)
	onPools(t, st, `SELECT current_setting('plan_cache_mode')`, "force_custom_plan", "auto")
}

// SQLite's reads map the file; its writes and reads by key do not, so that
// a write does not unmap and fault in again the pages of the connection it
// runs on, which it did whenever another connection had written since.
func TestSQLiteMapsOnlyRangeReads(t *testing.T) {
	st := testdb.Open(t, store.SQLite)
	onPools(t, st, `PRAGMA mmap_size`, "268435456", "0")
}

// SQLite's writes run on one connection, whatever the pool has given the
// reads meanwhile, so that the writer keeps its cache of pages; when that
// connection is closed under the store, the next write takes another and
// keeps it.
func TestSQLiteWritesOnOneConnection(t *testing.T) {
	st := testdb.Open(t, store.SQLite)
	ctx := t.Context()
	sameWriter := func(setting string) {
		t.Helper()
		// cache_size is a setting of a connection: only the one that set it has it.
		if err := st.WriteExec(ctx, `PRAGMA cache_size = `+setting); err != nil {
			t.Fatal(err)
		}
		release, err := st.HoldIdleKeyed(ctx) // the connection the write ran on, if the pool has it back
		if err != nil {
			t.Fatal(err)
		}
		defer release()
		// A write that waits for a connection of the pool (none is idle) fails instead.
		wctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		if v, err := st.WriteValue(wctx, `PRAGMA cache_size`); err != nil || v != setting {
			t.Errorf("the next write's connection has cache_size %q (%v), want %s: another connection", v, err, setting)
		}
	}
	// Several times: the checkpointer may hold the connection a write ran
	// on while the idle ones are taken, and give it back to the next write.
	for _, setting := range []string{"-2001", "-2002", "-2003"} {
		sameWriter(setting)
	}
	if err := st.CloseWriter(); err != nil {
		t.Fatal(err)
	}
	if v, err := st.WriteValue(ctx, `SELECT 1`); err != nil || v != "1" {
		t.Fatalf("a write after the writer closed: %q, %v", v, err)
	}
	for _, setting := range []string{"-2004", "-2005", "-2006"} {
		sameWriter(setting)
	}
}

// onPools checks the value q reads on the pool of reads (reads) and on
// the pool of writes and reads by key (keyed).
func onPools(t *testing.T, st *store.Store, q, reads, keyed string) {
	t.Helper()
	for _, c := range []struct {
		what, want string
		value      func(context.Context, string, ...any) (string, error)
	}{{"a read", reads, st.ReadValue}, {"a write", keyed, st.WriteValue}, {"a read by key", keyed, st.KeyedValue}} {
		if v, err := c.value(t.Context(), q); err != nil || v != c.want {
			t.Errorf("%s in %s: %q, %v; want %s", q, c.what, v, err, c.want)
		}
	}
}

// Only modernc binds $N by number; this keeps both engines honest about it.
func TestOutOfOrderPlaceholders(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, st *store.Store) {
		tree(t, st)
		got, err := st.ProbeOutOfOrder(ctx, "Z-2-1", "辛庄社区")
		if err != nil {
			t.Fatal(err)
		}
		if got != 2 {
			t.Fatalf("WHERE name = $2 OR code = $1 found %d rows, want 2", got)
		}
	})
}

func TestWriteWithoutAuditIsRefused(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, st *store.Store) {
		err := st.Zone(store.System).Write(ctx, func(tx *store.Tx) error { return nil })
		if err == nil {
			t.Fatal("a write transaction without an audit entry committed")
		}
	})
}

func TestUsersSessionsTokens(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, st *store.Store) {
		tree(t, st)
		var u account.User
		err := st.Zone(store.System).Write(ctx, func(tx *store.Tx) error {
			var err error
			u, err = tx.AddUser(ctx, account.NewUser{Username: "Zhang", DisplayName: "张三", Role: account.District,
				ScopeCode: "Z-1", Password: "correct horse"})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if u.Username != "zhang" || u.ScopePath != "/Z/Z-1/" || u.Scope() != org.Within("/Z/Z-1/") {
			t.Fatalf("user %+v", u)
		}
		err = st.Zone(store.System).Write(ctx, func(tx *store.Tx) error {
			_, err := tx.AddUser(ctx, account.NewUser{Username: "zhang", Role: account.Admin, Password: "another long password"})
			return err
		})
		if !errs.Is(err, errs.Conflict) {
			t.Fatalf("duplicate username: %v", err)
		}
		err = st.Zone(store.System).Write(ctx, func(tx *store.Tx) error {
			_, err := tx.AddUser(ctx, account.NewUser{Username: "rev", Role: account.Reviewer, DepartmentCode: "nope", Password: "another long password"})
			return err
		})
		if !errs.Is(err, errs.Unprocessable) {
			t.Fatalf("unknown department: %v", err)
		}

		if _, _, err := st.Login(ctx, "zhang", "wrong password", "10.0.0.1", ""); !errs.Is(err, errs.Unauthorized) {
			t.Fatalf("wrong password: %v", err)
		}
		got, secret, err := st.Login(ctx, "zhang", "correct horse", "10.0.0.1", "")
		if err != nil || got.ID != u.ID || secret == "" {
			t.Fatalf("login: %v %+v", err, got)
		}
		if su, err := st.SessionUser(ctx, secret); err != nil || su.ID != u.ID {
			t.Fatalf("session user: %v", err)
		}
		if err := st.Logout(ctx, u, secret); err != nil {
			t.Fatal(err)
		}
		if _, err := st.SessionUser(ctx, secret); !errs.Is(err, errs.Unauthorized) {
			t.Fatalf("session after logout: %v", err)
		}

		var tokenSecret string
		err = st.Zone(store.Actor{ID: u.ID, Name: u.Username}).Write(ctx, func(tx *store.Tx) error {
			var err error
			_, tokenSecret, err = tx.CreateAPIToken(ctx, u, "对接系统")
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if tu, err := st.TokenUser(ctx, tokenSecret); err != nil || tu.ID != u.ID {
			t.Fatalf("token user: %v", err)
		}
		toks, _ := st.APITokens(ctx, u.ID)
		if len(toks) != 1 {
			t.Fatalf("tokens: %v", toks)
		}
		st.Zone(store.System).Write(ctx, func(tx *store.Tx) error { return tx.RevokeAPIToken(ctx, u, toks[0].ID) })
		if _, err := st.TokenUser(ctx, tokenSecret); !errs.Is(err, errs.Unauthorized) {
			t.Fatalf("revoked token still works: %v", err)
		}

		// Changing the password needs the old one, keeps to the policy and
		// ends all sessions and API tokens (issue 12, finding 5).
		_, secret, _ = st.Login(ctx, "zhang", "correct horse", "10.0.0.1", "")
		err = st.Zone(store.Actor{ID: u.ID, Name: u.Username}).Write(ctx, func(tx *store.Tx) error {
			var err error
			_, tokenSecret, err = tx.CreateAPIToken(ctx, u, "对接系统2")
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, weak := range []string{"1234567890", "qwertyuiop", "zhang-is-me-2026"} {
			old := "correct horse"
			err = st.Zone(store.System).Write(ctx, func(tx *store.Tx) error { return tx.SetPassword(ctx, u.ID, &old, weak) })
			if !errs.Is(err, errs.Unprocessable) || errs.FieldOf(err) != "password" {
				t.Fatalf("weak password %q: %v", weak, err)
			}
		}
		old := "not it"
		err = st.Zone(store.System).Write(ctx, func(tx *store.Tx) error { return tx.SetPassword(ctx, u.ID, &old, "new password 1") })
		if !errs.Is(err, errs.Unprocessable) {
			t.Fatalf("wrong old password: %v", err)
		}
		old = "correct horse"
		if err := st.Zone(store.System).Write(ctx, func(tx *store.Tx) error { return tx.SetPassword(ctx, u.ID, &old, "new password 1") }); err != nil {
			t.Fatal(err)
		}
		if _, err := st.SessionUser(ctx, secret); !errs.Is(err, errs.Unauthorized) {
			t.Fatal("session survived a password change")
		}
		if _, err := st.TokenUser(ctx, tokenSecret); !errs.Is(err, errs.Unauthorized) {
			t.Fatalf("API token survived a password change: %v", err)
		}
		if toks, _ := st.APITokens(ctx, u.ID); len(toks) != 0 {
			t.Fatalf("tokens listed after a password change: %v", toks)
		}
		if _, _, err := st.Login(ctx, "zhang", "new password 1", "10.0.0.1", ""); err != nil {
			t.Fatal(err)
		}
	})
}

// Lockout is per account and source: five failures from one address lock
// that address out of the account, not its owner at another; a ceiling on
// the account from all sources together still holds; an IPv6 /64 counts as
// one source; and what is stored of an address is keyed (issue 12, finding 5).
func TestLoginThrottling(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, st *store.Store) {
		st.Zone(store.System).Write(ctx, func(tx *store.Tx) error {
			for _, u := range []string{"li", "wu"} {
				if _, err := tx.AddUser(ctx, account.NewUser{Username: u, Role: account.Admin, Password: "right password"}); err != nil {
					return err
				}
			}
			return nil
		})
		for i := 0; i < account.MaxFailures; i++ {
			if _, _, err := st.Login(ctx, "li", "wrong", "10.0.0.2", ""); !errs.Is(err, errs.Unauthorized) {
				t.Fatalf("failure %d: %v", i, err)
			}
		}
		if _, _, err := st.Login(ctx, "li", "right password", "10.0.0.2", ""); !errs.Is(err, errs.TooMany) {
			t.Fatalf("the failing address with the right password: %v, want too many", err)
		}
		if _, _, err := st.Login(ctx, "li", "right password", "10.0.0.3", ""); err != nil {
			t.Fatalf("a stranger's failures locked the owner out from another address: %v", err)
		}
		if _, _, err := st.Login(ctx, "wu", "right password", "10.0.0.2", ""); err != nil {
			t.Fatalf("the failing address is locked out of another account: %v", err)
		}

		// Nothing stored names the address or the account, nor hashes them without the key.
		unkeyed := func(s string) string { h := sha256.Sum256([]byte(s)); return hex.EncodeToString(h[:]) }
		for _, leak := range []string{"li", "10.0.0.2", unkeyed("huanjie-client:10.0.0.2")[:16], unkeyed("10.0.0.2")[:16]} {
			n, err := st.QueryInt(ctx, `SELECT COUNT(*) FROM login_attempts WHERE attempt_key LIKE '%:`+leak+`%'`)
			if err != nil || n != 0 {
				t.Errorf("login_attempts holds %q: %d %v", leak, n, err)
			}
		}
		if st.ClientHash("login-client", "10.0.0.2") == st.ClientHash("login-client", "10.0.0.3") {
			t.Fatal("client hash ignores the address")
		}

		// One IPv6 /64 is one source.
		for i := 1; i <= account.MaxFailures; i++ {
			st.Login(ctx, "wu", "wrong", "2001:db8:1:2::"+strconv.Itoa(i), "")
		}
		if _, _, err := st.Login(ctx, "wu", "right password", "2001:db8:1:2::99", ""); !errs.Is(err, errs.TooMany) {
			t.Fatalf("another address of the same /64: %v, want too many", err)
		}

		// Guessing spread over many sources meets the account's ceiling.
		for i := 0; i < account.MaxAccountFailures; i++ {
			st.Login(ctx, "li", "wrong", "10.1."+strconv.Itoa(i/account.MaxFailures)+"."+strconv.Itoa(i%account.MaxFailures), "")
		}
		if _, _, err := st.Login(ctx, "li", "right password", "10.0.0.9", ""); !errs.Is(err, errs.TooMany) {
			t.Fatalf("after %d failures from many sources: %v, want too many", account.MaxAccountFailures, err)
		}
		// After the lock has passed the right password works again.
		from, real := st.Now(), time.Now()
		st.SetClock(func() time.Time { return from.Add(account.LockFor + time.Minute + time.Since(real)) })
		if _, _, err := st.Login(ctx, "li", "right password", "10.0.0.9", ""); err != nil {
			t.Fatalf("after the lock: %v", err)
		}
	})
}

// An import of units goes in waves of many rows a statement, each wave
// ending before a unit whose parent is in it; it refuses, whole, a code
// stored already or named twice, and a parent that is neither stored nor
// earlier in the import; the units it adds have their parents' paths.
func TestImportOrgsInWaves(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, st *store.Store) {
		tree(t, st)
		zone := st.Zone(store.System)
		importing := func(units ...org.Unit) error {
			return zone.Write(ctx, func(tx *store.Tx) error { _, err := tx.ImportOrgs(ctx, units, false); return err })
		}
		good := []org.Unit{
			{Code: "Z-4", Name: "北片区", Kind: org.District, ParentCode: "Z"},
			{Code: "Z-5", Name: "中片区", Kind: org.District, ParentCode: "Z"},
			{Code: "Z-4-1", Name: "北一社区", Kind: org.Community, ParentCode: "Z-4", Households: 3, Population: 8},
			{Code: "Z-5-1", Name: "中一社区", Kind: org.Community, ParentCode: "Z-5", Households: 4, Population: 9},
			{Code: "Z-1-9", Name: "东九社区", Kind: org.Community, ParentCode: "Z-1", Households: 5, Population: 6},
		}
		before, _ := zone.CountOrgs(ctx)
		for name, bad := range map[string][]org.Unit{
			"a code stored":  append(slices.Clone(good), org.Unit{Code: "Z-2-1", Name: "又一长远", Kind: org.Community, ParentCode: "Z-2"}),
			"a code twice":   append(slices.Clone(good), good[3]),
			"no such parent": append(slices.Clone(good), org.Unit{Code: "Z-9-1", Name: "无上级", Kind: org.Community, ParentCode: "Z-9"}),
		} {
			err := importing(bad...)
			want := map[string]errs.Code{"a code stored": errs.Conflict, "a code twice": errs.Conflict, "no such parent": errs.Unprocessable}[name]
			if !errs.Is(err, want) {
				t.Errorf("%s: %v, want %s", name, err, want)
			}
			if after, _ := zone.CountOrgs(ctx); after != before {
				t.Errorf("%s: the refused import changed the counts: %+v, were %+v", name, after, before)
			}
		}
		if err := importing(good...); err != nil {
			t.Fatal(err)
		}
		underParents(t, zone, good)
		if after, _ := zone.CountOrgs(ctx); after.Communities != before.Communities+3 || after.Households != before.Households+12 {
			t.Errorf("counts after the import %+v, were %+v", after, before)
		}
	})
}

// rowCount is how many rows table holds.
func rowCount(t *testing.T, st *store.Store, table string) int64 {
	t.Helper()
	n, err := st.QueryInt(ctx, `SELECT COUNT(*) FROM `+table)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// underParents checks that each of units is stored under its parent, at
// its path, with its name.
func underParents(t *testing.T, zone *store.Scoped, units []org.Unit) {
	t.Helper()
	for _, u := range units {
		got, err := zone.OrgByCode(ctx, u.Code)
		if err != nil {
			t.Fatal(err)
		}
		parent, err := zone.OrgByCode(ctx, u.ParentCode)
		if err != nil {
			t.Fatal(err)
		}
		if got.ParentID != parent.ID || got.Path != org.PathOf(parent.Path, u.Code) || got.Name != u.Name {
			t.Errorf("%s: parent %d at %s, want %d at %s", u.Code, got.ParentID, got.Path, parent.ID, org.PathOf(parent.Path, u.Code))
		}
	}
}

// Sitting members go in only within the importer's scope, all of them or
// none: one unit outside it refuses the batch.
func TestImportMembersWithinScope(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, st *store.Store) {
		tree(t, st)
		zone := st.Zone(store.System)
		id := func(code string) int64 {
			u, err := zone.OrgByCode(ctx, code)
			if err != nil {
				t.Fatal(err)
			}
			return u.ID
		}
		member := func(code, name string) org.Member {
			return org.Member{OrgID: id(code), Name: name, Sex: "男", BirthDate: "1970-01-01", Committee: org.PartyCommittee, Post: "委员",
				PartyMember: true}
		}
		east := within(st, "/Z/Z-1/")
		importing := func(ms ...org.Member) error {
			return east.Write(ctx, func(tx *store.Tx) error { return tx.ImportMembers(ctx, ms) })
		}
		count := func() int64 { return rowCount(t, st, "members") }
		before := count()
		if err := importing(member("Z-1-1", "甲"), member("Z-2-1", "乙")); !errs.Is(err, errs.NotFound) || count() != before {
			t.Errorf("a member of a unit outside the scope: %v, %d members (were %d)", err, count(), before)
		}
		if err := importing(member("Z-1-1", "甲"), member("Z-1-2", "丙"), member("Z-1-1", "丁")); err != nil || count() != before+3 {
			t.Errorf("members of two units in the scope: %v, %d members (were %d)", err, count(), before)
		}
	})
}

// An import's units go in waves by depth, whatever their order: two
// districts each followed by its community go into orgs in two statements
// (a wave ending before each district's community took three), and on
// PostgreSQL the totals of every ancestor are added in one statement.
func TestImportOrgsByDepth(t *testing.T) {
	for e, dsn := range testdb.DSNs(t) {
		t.Run(string(e), func(t *testing.T) {
			var inserts, totals atomic.Int64
			opts := testdb.Options(t)
			opts.Trace = func(q string, _ []any) {
				switch {
				case strings.HasPrefix(q, "INSERT INTO orgs"):
					inserts.Add(1)
				case strings.HasPrefix(q, "UPDATE orgs") && strings.Contains(q, "tree_zones"):
					totals.Add(1)
				}
			}
			st, err := store.Open(ctx, dsn, opts)
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			tree(t, st)
			zone := st.Zone(store.System)
			before, _ := zone.CountOrgs(ctx)
			inserts.Store(0)
			totals.Store(0)
			units := []org.Unit{
				{Code: "Z-6", Name: "六片区", Kind: org.District, ParentCode: "Z"},
				{Code: "Z-6-1", Name: "六一社区", Kind: org.Community, ParentCode: "Z-6", Households: 3, Population: 8},
				{Code: "Z-7", Name: "七片区", Kind: org.District, ParentCode: "Z"},
				{Code: "Z-7-1", Name: "七一社区", Kind: org.Community, ParentCode: "Z-7", Households: 4, Population: 9},
				{Code: "Z-1-8", Name: "东八社区", Kind: org.Community, ParentCode: "Z-1", Households: 5, Population: 6},
			}
			if err := zone.Write(ctx, func(tx *store.Tx) error { _, err := tx.ImportOrgs(ctx, units, false); return err }); err != nil {
				t.Fatal(err)
			}
			wantTotals := int64(1)
			if e == store.SQLite {
				wantTotals = 4 // Z, Z-1, Z-6 and Z-7, one by one
			}
			if inserts.Load() != 2 || totals.Load() != wantTotals {
				t.Errorf("%d statements into orgs and %d adding totals, want 2 and %d", inserts.Load(), totals.Load(), wantTotals)
			}
			underParents(t, zone, units)
			six, _ := zone.OrgByCode(ctx, "Z-6")
			east, _ := zone.OrgByCode(ctx, "Z-1")
			after, _ := zone.CountOrgs(ctx)
			if six.Tree.Communities != 1 || six.Tree.Households != 3 || after.Districts != before.Districts+2 ||
				after.Communities != before.Communities+3 || after.Households != before.Households+12 || east.Tree.Communities != 3 {
				t.Errorf("totals: Z-6 %+v, Z-1 %+v, zone %+v (were %+v)", six.Tree, east.Tree, after, before)
			}
		})
	}
}

// The totals kept on each unit always equal what counting the subtree gives.
func TestTreeTotalsStayTrue(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, st *store.Store) {
		tree(t, st)
		err := st.Zone(store.System).Write(ctx, func(tx *store.Tx) error {
			if _, err := tx.UpdateOrg(ctx, "Z-1-1", "辛庄社区", 150, 420); err != nil {
				return err
			}
			_, err := tx.ImportOrgs(ctx, []org.Unit{
				{Code: "Z-3", Name: "南片区", Kind: org.District, ParentCode: "Z"},
				{Code: "Z-3-1", Name: "南一社区", Kind: org.Community, ParentCode: "Z-3", Households: 10, Population: 30},
				{Code: "Z-1-3", Name: "东三社区", Kind: org.Community, ParentCode: "Z-1", Households: 7, Population: 9},
			}, false)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		all, _ := st.Zone(store.System).ListOrgs(ctx, store.OrgFilter{})
		for _, u := range all {
			var want org.Totals
			for _, v := range all {
				if org.Within(u.Path).Contains(v.Path) {
					want = want.Plus(v.Own())
				}
			}
			if u.Tree != want {
				t.Errorf("%s keeps %+v, its subtree sums to %+v", u.Code, u.Tree, want)
			}
		}
		c, _ := st.Zone(store.System).CountOrgs(ctx)
		if c.Communities != 5 || c.Households != 150+200+50+10+7 {
			t.Fatalf("zone counts %+v", c)
		}
	})
}
