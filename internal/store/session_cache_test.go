package store_test

import (
	"testing"
	"time"

	"github.com/huanjie/huanjie/internal/account"
	"github.com/huanjie/huanjie/internal/errs"
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
	} {
		if got := store.ChangesAccounts(q); got != want {
			t.Errorf("%q: %v, want %v", q, got, want)
		}
	}
}
