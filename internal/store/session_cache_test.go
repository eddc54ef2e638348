package store_test

import (
	"errors"
	"testing"
	"time"

	"github.com/huanjie/huanjie/internal/account"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/testdb"
)

// TestSessionCache: a session read in the last second answers from memory
// (session_cache.go). A change of the account through the platform is seen
// at once; a change outside it (another server, a command, the database by
// hand) within a second; the session's end on the store's clock at once.
func TestSessionCache(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, st *store.Store) {
		tree(t, st)
		zone := st.Zone(store.System)
		if err := zone.Write(ctx, func(tx *store.Tx) error {
			_, err := tx.AddUser(ctx, account.NewUser{Username: "li", DisplayName: "李四", Role: account.District,
				ScopeCode: "Z-1", Password: "correct horse"})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		login := func() string {
			t.Helper()
			_, secret, err := st.Login(ctx, "li", "correct horse", "10.0.0.1", "")
			if err != nil {
				t.Fatal(err)
			}
			return secret
		}
		read := func(secret string) (account.User, error) {
			t.Helper()
			return st.SessionUser(ctx, secret)
		}

		// Through the platform: the scope changed, then the account disabled.
		secret := login()
		if u, err := read(secret); err != nil || u.ScopeCode != "Z-1" {
			t.Fatalf("session: %v %+v", err, u)
		}
		if err := zone.Write(ctx, func(tx *store.Tx) error {
			_, err := tx.UpdateUser(ctx, "li", store.UserChange{Role: account.District, ScopeCode: "Z-2"})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if u, err := read(secret); err != nil || u.ScopeCode != "Z-2" {
			t.Fatalf("the scope changed through the platform, read at once: %v %+v", err, u)
		}
		if err := zone.Write(ctx, func(tx *store.Tx) error { return tx.SetUserDisabled(ctx, "li", true) }); err != nil {
			t.Fatal(err)
		}
		if _, err := read(secret); !errs.Is(err, errs.Unauthorized) {
			t.Fatalf("the account disabled through the platform, read at once: %v", err)
		}
		if err := zone.Write(ctx, func(tx *store.Tx) error { return tx.SetUserDisabled(ctx, "li", false) }); err != nil {
			t.Fatal(err)
		}

		// Outside the platform: kept for at most a second.
		secret = login()
		if _, err := read(secret); err != nil {
			t.Fatal(err)
		}
		if err := st.Tamper(ctx, `DELETE FROM sessions`); err != nil {
			t.Fatal(err)
		}
		if _, err := read(secret); err != nil {
			t.Fatalf("a session ended outside the platform answers from memory for up to a second: %v", err)
		}
		deadline := time.Now().Add(3 * time.Second)
		for {
			_, err := read(secret)
			if errs.Is(err, errs.Unauthorized) {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("a session ended outside the platform still answers after 3 s: %v", err)
			}
			time.Sleep(50 * time.Millisecond)
		}

		// The session's end, on the store's clock, holds in memory too.
		secret = login()
		if _, err := read(secret); err != nil {
			t.Fatal(err)
		}
		later := st.Now().Add(account.SessionLifetime + time.Minute)
		st.SetClock(func() time.Time { return later })
		if _, err := read(secret); !errs.Is(err, errs.Unauthorized) {
			t.Fatalf("an ended session answered from memory: %v", err)
		}
	})
}

func TestChangesAccounts(t *testing.T) {
	for q, want := range map[string]bool{
		`UPDATE users SET disabled = $1 WHERE id = $2`:                              true,
		"DELETE FROM sessions WHERE user_id = $1":                                   true,
		"UPDATE\torgs SET name = $1":                                                true,
		"UPDATE orgs SET name = $1":                                                 true,
		"WITH x AS (SELECT 1) UPDATE departments SET name = $1":                     true,
		"UPDATE users_extra SET x = 1":                                              false,
		"UPDATE ledger_items SET updated_at = $1 WHERE id = $2":                     false,
		"SELECT u.id FROM users u JOIN orgs o ON o.id = u.scope_org_id":             false,
		"INSERT INTO sessions (token_hash) VALUES ($1)":                             false, // a new session is read when it is first used
		"INSERT INTO t (a) VALUES (1) ON CONFLICT (a) DO UPDATE SET a = excluded.a": false,
		"DELETE FROM audit_touched":                                                 false,
		"UPDATE cycles SET current = (id = $1)":                                     true,
		"UPDATE cycles_x SET a = 1":                                                 false,
	} {
		if got := store.ChangesAccounts(q); got != want {
			t.Errorf("%q: %v, want %v", q, got, want)
		}
	}
}

// TestCurrentCycleKept: the current cycle, which every request reads, is
// kept in memory for a second, as a session is (session_cache.go). A change
// through the platform is seen at once, by the write that made it too; one
// rolled back is kept by nobody; one outside the platform (another server,
// a command) is seen within a second.
func TestCurrentCycleKept(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, st *store.Store) {
		tree(t, st)
		code := func() string {
			t.Helper()
			c, err := st.Zone(store.System).Cycle(ctx) // a new request's
			if err != nil {
				t.Fatal(err)
			}
			return c.Code
		}
		first := code()
		if err := st.Zone(store.System).Write(ctx, func(tx *store.Tx) error {
			_, err := tx.AddCycle(ctx, org.Cycle{Code: "2031", Name: "2031年社区两委换届"})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if got := code(); got != first {
			t.Fatalf("a new cycle not yet current: the current is %s, want %s", got, first)
		}

		// Made current in a write that then fails: its own reads see it,
		// no one else's.
		refused := errs.New(errs.Invalid, "不行")
		err := st.Zone(store.System).Write(ctx, func(tx *store.Tx) error {
			if _, err := tx.MakeCurrent(ctx, "2031"); err != nil {
				return err
			}
			if c, err := tx.Cycle(ctx); err != nil || c.Code != "2031" {
				t.Errorf("the write that made 2031 current reads %s (%v)", c.Code, err)
			}
			if c, err := st.Zone(store.System).Cycle(ctx); err != nil || c.Code != first {
				t.Errorf("another request, while that write is open, reads %s (%v)", c.Code, err)
			}
			return refused
		})
		if !errors.Is(err, refused) {
			t.Fatal(err)
		}
		if got := code(); got != first {
			t.Fatalf("after the write that made 2031 current was refused: %s, want %s", got, first)
		}

		// Through the platform: seen at once.
		if err := st.Zone(store.System).Write(ctx, func(tx *store.Tx) error {
			_, err := tx.MakeCurrent(ctx, "2031")
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if got := code(); got != "2031" {
			t.Fatalf("2031 made current through the platform, read at once: %s", got)
		}

		// Outside the platform: kept for at most a second.
		if err := st.Tamper(ctx, `UPDATE cycles SET current = (code = '`+first+`')`); err != nil {
			t.Fatal(err)
		}
		if got := code(); got != "2031" {
			t.Fatalf("a change outside the platform answers from memory for up to a second: %s", got)
		}
		for deadline := time.Now().Add(3 * time.Second); code() != first; time.Sleep(50 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("a change outside the platform not seen after 3 s: %s", code())
			}
		}
	})
}
