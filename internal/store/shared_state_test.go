package store_test

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/huanjie/huanjie/internal/account"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/testdb"
)

// Requests charged at once to one bucket, as servers sharing a database
// charge it, let exactly the bucket's burst through: none is lost to
// another's write. A request refused for a bucket it only peeks at costs
// its own bucket nothing, and a charge takes every bucket or none.
func TestThrottleShared(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, st *store.Store) {
		all := account.Bucket{Key: "t:*", Burst: 5, Every: time.Hour}
		const clients = 24
		var mu sync.Mutex
		allowed := 0
		var wg sync.WaitGroup
		for i := range clients {
			wg.Go(func() {
				client := account.Bucket{Key: "t:" + strings.Repeat("c", i+1), Burst: 3, Every: time.Hour}
				wait, err := st.Throttle(ctx, []account.Bucket{client, all}, nil)
				if err != nil {
					t.Error(err)
					return
				}
				if wait == 0 {
					mu.Lock()
					allowed++
					mu.Unlock()
				} else if wait < 11*time.Minute || wait > 12*time.Minute {
					t.Errorf("refused with a wait of %v, want 12 minutes less the time since", wait)
				}
			})
		}
		wg.Wait()
		if allowed != all.Burst {
			t.Fatalf("%d of %d requests at once went through a bucket of %d", allowed, clients, all.Burst)
		}

		// all is empty: a request that peeks at it is refused and keeps its
		// own three tokens; one that may take from its own bucket alone is not.
		mine := account.Bucket{Key: "t:mine", Burst: 3, Every: time.Hour}
		if wait, err := st.Throttle(ctx, []account.Bucket{mine}, []account.Bucket{all}); err != nil || wait == 0 {
			t.Fatalf("peek at an empty bucket: wait %v, %v; want refused", wait, err)
		}
		for i := range 3 {
			if wait, err := st.Throttle(ctx, []account.Bucket{mine}, nil); err != nil || wait != 0 {
				t.Fatalf("own request %d after a refusal: wait %v, %v", i+1, wait, err)
			}
		}
		// A charge refused by one bucket takes nothing from the other.
		other := account.Bucket{Key: "t:other", Burst: 1, Every: time.Hour}
		if wait, _ := st.Throttle(ctx, []account.Bucket{other, all}, nil); wait == 0 {
			t.Fatal("a charge to an empty bucket went through")
		}
		if wait, _ := st.Throttle(ctx, []account.Bucket{other}, nil); wait != 0 {
			t.Fatal("a refused charge took a token from its other bucket")
		}
	})
}

// Failed logins for one source at once, as on two servers, each count:
// MaxClientFailures of them on as many accounts lock the source out.
func TestLoginFailuresAtOnce(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, st *store.Store) {
		var wg sync.WaitGroup
		for i := range account.MaxClientFailures {
			wg.Go(func() {
				_, _, err := st.Login(ctx, "nobody"+strings.Repeat("x", i), "wrong password", "192.0.2.9", "")
				if !errs.Is(err, errs.Unauthorized) {
					t.Errorf("failure %d: %v", i+1, err)
				}
			})
		}
		wg.Wait()
		if _, _, err := st.Login(ctx, "someone", "wrong password", "192.0.2.9", ""); !errs.Is(err, errs.TooMany) {
			t.Fatalf("after %d failures at once from one source: %v, want too many", account.MaxClientFailures, err)
		}
	})
}

// An annotated workbook is kept sealed, for its owner only, until it
// expires; at most MaxAnnotated are kept, the oldest dropped first; a row
// moved to another account in the database does not open for it.
func TestAnnotatedKept(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, st *store.Store) {
		body := []byte("PK\x03\x04 110101199003074512 workbook")
		token, err := st.KeepAnnotated(ctx, 7, body)
		if err != nil {
			t.Fatal(err)
		}
		if got, ok, err := st.Annotated(ctx, 7, token); err != nil || !ok || !bytes.Equal(got, body) {
			t.Fatalf("owner's workbook: %q %v %v", got, ok, err)
		}
		if _, ok, err := st.Annotated(ctx, 8, token); err != nil || ok {
			t.Fatalf("another account's read: ok %v, %v", ok, err)
		}
		if _, ok, _ := st.Annotated(ctx, 7, token+"0"); ok {
			t.Fatal("a wrong token opened a workbook")
		}
		if n, err := st.QueryInt(ctx, `SELECT COUNT(*) FROM annotated_files WHERE body LIKE '%110101199003074512%' OR token_hash = '`+token+`'`); err != nil || n != 0 {
			t.Fatalf("the workbook or its token stored in clear: %d %v", n, err)
		}
		// Moved to account 8 behind the platform's back: it does not open.
		if err := st.Tamper(ctx, `UPDATE annotated_files SET owner_id = 8`); err != nil {
			t.Fatal(err)
		}
		if _, ok, err := st.Annotated(ctx, 8, token); ok || err == nil {
			t.Fatalf("a workbook moved to another account: ok %v, err %v; want an error", ok, err)
		}
		// Expired: gone.
		if err := st.Tamper(ctx, `UPDATE annotated_files SET owner_id = 7, expires_at = '2020-01-01 00:00:00+00'`); err != nil {
			t.Fatal(err)
		}
		if _, ok, err := st.Annotated(ctx, 7, token); ok || err != nil {
			t.Fatalf("an expired workbook: ok %v, %v", ok, err)
		}
		var tokens []string
		for range store.MaxAnnotated + 2 {
			tok, err := st.KeepAnnotated(ctx, 7, body)
			if err != nil {
				t.Fatal(err)
			}
			tokens = append(tokens, tok)
		}
		if n, _ := st.QueryInt(ctx, `SELECT COUNT(*) FROM annotated_files`); n != store.MaxAnnotated {
			t.Fatalf("%d workbooks kept, want %d", n, store.MaxAnnotated)
		}
		if _, ok, _ := st.Annotated(ctx, 7, tokens[len(tokens)-1]); !ok {
			t.Fatal("the newest workbook was dropped")
		}
	})
}
