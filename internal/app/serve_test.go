package app_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/huanjie/huanjie/internal/app"
	"github.com/huanjie/huanjie/internal/progress"
	"github.com/huanjie/huanjie/internal/store"
)

// lockedBuffer is a bytes.Buffer safe to read while the server writes to it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// startServe runs Serve in the background until ctx ends; it returns the
// address it listens on and the channel of its result.
func startServe(t *testing.T, ctx context.Context, cfg app.Config, demo bool, out io.Writer) (string, <-chan error) {
	t.Helper()
	addrc := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- app.Serve(ctx, cfg, demo, app.IO{Out: out, Err: io.Discard}, func(a string) { addrc <- a })
	}()
	select {
	case addr := <-addrc:
		return addr, done
	case err := <-done:
		t.Fatalf("serve ended: %v", err)
	case <-time.After(120 * time.Second): // a hang guard: loading the demo on a loaded CI machine took over 30 s
		t.Fatal("serve did not start")
	}
	return "", done
}

// serve --demo on a fresh database fills it, prints the accounts once, and
// answers /healthz; a second start on the same database does not refill it.
func TestServeDemo(t *testing.T) {
	dir := t.TempDir()
	cfg := app.Config{DB: "sqlite:" + filepath.Join(dir, "huanjie.db"), Addr: "127.0.0.1:0", DataDir: dir}
	for round := 0; round < 2; round++ {
		ctx, cancel := context.WithCancel(context.Background())
		out := &lockedBuffer{}
		addr, done := startServe(t, ctx, cfg, true, out)
		res, err := http.Get("http://" + addr + "/healthz")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 200 || string(body) != "ok" {
			t.Fatalf("healthz: %d %q", res.StatusCode, body)
		}
		printed := strings.Contains(out.String(), "密码只显示这一次")
		if round == 0 && !printed {
			t.Fatalf("first start did not print the demo accounts:\n%s", out)
		}
		if round == 1 && (printed || !strings.Contains(out.String(), "未重新生成")) {
			t.Fatalf("second start refilled the demo:\n%s", out)
		}
		cancel()
		if err := <-done; err != nil {
			t.Fatalf("serve returned %v after shutdown", err)
		}
	}
}

// The server computes the structure targets' results off the request
// path: when it starts on the demo zone, and within seconds of another
// writer on the same database forgetting a district's (new election days),
// with no page asked for them.
func TestServeKeepsTargets(t *testing.T) {
	dir := t.TempDir()
	dsn := "sqlite:" + filepath.Join(dir, "huanjie.db")
	cfg := app.Config{DB: dsn, Addr: "127.0.0.1:0", DataDir: dir}
	db := rawDB(t, dsn)
	kept := func() (n, communities int) {
		t.Helper()
		err := db.QueryRow(`SELECT (SELECT COUNT(*) FROM target_results r JOIN cycles c ON c.id = r.cycle_id WHERE c.current),
			(SELECT COUNT(*) FROM orgs WHERE kind = 'community')`).Scan(&n, &communities)
		if err != nil {
			t.Fatal(err)
		}
		return n, communities
	}
	wait := func(when string) {
		t.Helper()
		for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(100 * time.Millisecond) {
			n, communities := kept()
			if n == communities && n > 0 {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: the results of %d communities of %d kept", when, n, communities)
			}
		}
	}
	// newDays gives district QS-01 new election days through a store of
	// its own, which forgets its communities' results; with forgot, it
	// checks that it did (not while a server keeps them again at once).
	newDays := func(days progress.Days, forgot bool) {
		t.Helper()
		st := openStore(t, dsn, dir)
		err := st.Zone(store.System).Write(context.Background(), func(tx *store.Tx) error {
			_, _, err := tx.SetElectionDays(context.Background(), "QS-01", days)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := st.Close(); err != nil {
			t.Fatal(err)
		}
		if n, communities := kept(); forgot && n >= communities {
			t.Fatalf("new days for a district forgot no results: %d of %d kept", n, communities)
		}
	}
	// serve runs a server until the returned function stops it.
	serve := func() (stop func()) {
		ctx, cancel := context.WithCancel(context.Background())
		_, done := startServe(t, ctx, cfg, true, io.Discard)
		return func() {
			t.Helper()
			cancel()
			if err := <-done; err != nil {
				t.Fatalf("serve returned %v after shutdown", err)
			}
		}
	}
	// The demo keeps every result as it loads.
	stop := serve()
	wait("after the demo")
	stop()
	// Results forgotten while no server runs are kept by the next one as
	// it starts: with its look every hour, only its start pass can.
	newDays(progress.Days{Party: "2027-03-01", Residents: "2027-03-29"}, true)
	restore := app.SetTargetsEvery(time.Hour)
	stop = serve()
	wait("after the start")
	stop()
	restore()
	// Results forgotten while a server runs, by a write of another (the
	// server may keep them again before the write's store has closed).
	defer app.SetTargetsEvery(100 * time.Millisecond)()
	stop = serve()
	newDays(progress.Days{Party: "2027-03-08", Residents: "2027-04-05"}, false)
	wait("after a district's new days")
	stop()
}
