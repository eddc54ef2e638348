package e2e

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/huanjie/huanjie/internal/app"
	"github.com/huanjie/huanjie/internal/audit"
	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/demo"
	"github.com/huanjie/huanjie/internal/secret"
	"github.com/huanjie/huanjie/internal/store"
)

// demoSite is the real server on a temporary database holding the demo zone,
// shared by every test of the package and stopped by TestMain.
type demoSite struct {
	base     string                  // http://127.0.0.1:port
	zone     demo.Zone               // what was loaded
	accounts map[string]demo.Account // demo logins by username
	// loaded are the days in China when the load began and ended: the
	// demo's dates count back from the day it ran, which a run that
	// crosses midnight makes two.
	loaded [2]civil.Date
}

var shared struct {
	once sync.Once
	site *demoSite
	err  error
	dir  string
	stop context.CancelFunc
	done chan error // Serve's result
}

func TestMain(m *testing.M) {
	code := m.Run()
	stopBrowser()
	if shared.stop != nil {
		shared.stop()
		select {
		case err := <-shared.done:
			if err != nil {
				fmt.Fprintln(os.Stderr, "e2e: server stopped with error:", err)
				code = max(code, 1)
			}
		case <-time.After(15 * time.Second):
			fmt.Fprintln(os.Stderr, "e2e: server did not stop within 15 s")
			code = max(code, 1)
		}
	}
	if shared.dir != "" {
		os.RemoveAll(shared.dir)
	}
	os.Exit(code)
}

// site starts the shared server on first use and returns it.
func site(t *testing.T) *demoSite {
	t.Helper()
	shared.once.Do(func() { shared.site, shared.err = startSite() })
	if shared.err != nil {
		t.Fatalf("start server: %v", shared.err)
	}
	return shared.site
}

// startSite creates the database, loads the demo zone and starts app.Serve on
// a free port of 127.0.0.1.
func startSite() (*demoSite, error) {
	dir, err := os.MkdirTemp("", "huanjie-e2e-")
	if err != nil {
		return nil, err
	}
	shared.dir = dir
	dsn := "sqlite:" + filepath.Join(dir, "t.db")
	keyPath := filepath.Join(dir, "huanjie.key")

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	box, err := secret.LoadOrCreate(keyPath)
	if err != nil {
		return nil, fmt.Errorf("key: %w", err)
	}
	key, err := audit.CreateKey(filepath.Join(dir, "audit.key"))
	if err != nil {
		return nil, fmt.Errorf("audit key: %w", err)
	}
	st, err := store.Open(ctx, dsn, store.Options{Box: box, AuditKey: key, Checkpoints: filepath.Join(dir, "audit-checkpoints.log")})
	if err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	// The zone as it stood before its elections: the browser tests hold
	// their own (electionCommunity's party committee) and take persons
	// through the third gate's steps the demo's elections have finished.
	z := demo.Generate(demo.DefaultSeed, demo.DefaultCommunities).WithoutElections()
	began := civil.Of(time.Now())
	if err := demo.Load(ctx, st, z, nil); err != nil {
		st.Close()
		return nil, fmt.Errorf("load demo: %w", err)
	}
	loaded := [2]civil.Date{began, civil.Of(time.Now())}
	if err := st.Close(); err != nil {
		return nil, fmt.Errorf("close store: %w", err)
	}

	serveCtx, stop := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- app.Serve(serveCtx, app.Config{DB: dsn, Addr: "127.0.0.1:0", DataDir: dir, KeyFile: keyPath},
			false, app.IO{Out: io.Discard, Err: io.Discard}, func(addr string) { ready <- addr })
	}()
	shared.stop, shared.done = stop, done
	select {
	case addr := <-ready:
		s := &demoSite{base: "http://" + addr, zone: z, accounts: map[string]demo.Account{}, loaded: loaded}
		for _, a := range z.Accounts {
			s.accounts[a.Username] = a
		}
		return s, nil
	case err := <-done:
		shared.stop = nil
		stop()
		if err == nil {
			err = errors.New("Serve returned before it was ready")
		}
		return nil, err
	case <-time.After(30 * time.Second):
		return nil, errors.New("server not ready within 30 s")
	}
}

// account returns the demo login of username.
func (s *demoSite) account(t *testing.T, username string) demo.Account {
	t.Helper()
	a, ok := s.accounts[username]
	if !ok {
		t.Fatalf("demo zone has no account %q", username)
	}
	return a
}

// unitName is the name of the demo unit with code.
func (s *demoSite) unitName(t *testing.T, code string) string {
	t.Helper()
	for _, u := range s.zone.Units {
		if u.Code == code {
			return u.Name
		}
	}
	t.Fatalf("demo zone has no unit %q", code)
	return ""
}
