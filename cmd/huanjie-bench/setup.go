package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/huanjie/huanjie/internal/app"
	"github.com/huanjie/huanjie/internal/audit"
	"github.com/huanjie/huanjie/internal/demo"
	"github.com/huanjie/huanjie/internal/secret"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/termprogress"
)

// prepareDB turns the --db flag into a DSN of an empty database and a
// function that removes what was made for the run.
func prepareDB(ctx context.Context, db, dir string) (dsn string, drop func(), err error) {
	switch {
	case db == "sqlite":
		return "sqlite:" + filepath.Join(dir, "bench.db"), func() {}, nil
	case strings.HasPrefix(db, "sqlite:"):
		// Never an office's database: the demo zone goes into an empty one,
		// and --vs-bare writes to it behind the platform's back.
		if _, err := os.Stat(strings.TrimPrefix(db, "sqlite:")); !errors.Is(err, fs.ErrNotExist) {
			return "", nil, fmt.Errorf("--db %s: the file exists (or cannot be checked); huanjie-bench writes a new one", db)
		}
		return db, func() {}, nil
	case strings.HasPrefix(db, "postgres://"), strings.HasPrefix(db, "postgresql://"):
		return postgresSchema(ctx, db)
	}
	return "", nil, fmt.Errorf("--db %q: use sqlite, sqlite:PATH or postgres://…", db)
}

// postgresSchema creates a fresh schema in the database named by base, so
// that the demo zone loads into an empty one, and returns a DSN whose
// search_path points at it; drop removes the schema.
func postgresSchema(ctx context.Context, base string) (string, func(), error) {
	u, err := url.Parse(base)
	if err != nil {
		return "", nil, fmt.Errorf("--db: %w", err)
	}
	db, err := sql.Open("pgx", base)
	if err != nil {
		return "", nil, err
	}
	b := make([]byte, 6)
	rand.Read(b)
	schema := "bench_" + hex.EncodeToString(b)
	if _, err := db.ExecContext(ctx, `CREATE SCHEMA `+schema); err != nil {
		db.Close()
		return "", nil, fmt.Errorf("postgres: %w", err)
	}
	drop := func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		db.ExecContext(ctx, `DROP SCHEMA `+schema+` CASCADE`)
		db.Close()
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), drop, nil
}

// engineOf names the engine of a DSN without its credentials.
func engineOf(dsn string) string {
	if strings.HasPrefix(dsn, "sqlite:") {
		return "SQLite"
	}
	return "PostgreSQL"
}

// loadZone writes a demo zone of n communities into the empty database and
// returns its accounts with their passwords.
func loadZone(ctx context.Context, dsn, keyFile string, n int, out io.Writer) ([]demo.Account, error) {
	box, err := secret.LoadOrCreate(keyFile)
	if err != nil {
		return nil, err
	}
	// The server started next finds the audit key beside the data key (app.Config's default).
	key, err := audit.CreateKey(filepath.Join(filepath.Dir(keyFile), "audit.key"))
	if err != nil {
		return nil, err
	}
	st, err := store.Open(ctx, dsn, store.Options{Box: box, AuditKey: key})
	if err != nil {
		return nil, err
	}
	defer st.Close()
	start := time.Now()
	z := demo.Generate(demo.DefaultSeed, n)
	fmt.Fprintf(out, "generated %d units in %s\n", len(z.Units), time.Since(start).Round(time.Millisecond))
	start = time.Now()
	p := termprogress.New(out) // on a terminal, one line per stage instead of one per batch
	err = demo.Load(ctx, st, z, func(line string) {
		if !p.Counts(line) {
			fmt.Fprintln(out, "  loaded", line)
		}
	})
	p.Done()
	if err != nil {
		return nil, fmt.Errorf("load demo zone: %w", err)
	}
	fmt.Fprintf(out, "loaded in %s\n", time.Since(start).Round(time.Millisecond))
	for _, a := range z.Accounts {
		if a.Username == "admin" {
			return z.Accounts, nil
		}
	}
	return nil, fmt.Errorf("the demo zone has no admin account")
}

// server is the real huanjie server running in this process.
type server struct {
	addr    string
	logPath string
	cancel  context.CancelFunc
	done    chan error

	once   sync.Once
	errors int // lines the server logged at level ERROR
	err    error
}

// startServer runs app.Serve on a free port of 127.0.0.1, its log going to a
// file in dir, and waits until it listens.
func startServer(ctx context.Context, dsn, dir, keyFile string) (*server, error) {
	logPath := filepath.Join(dir, "server.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	s := &server{logPath: logPath, cancel: cancel, done: make(chan error, 1)}
	ready := make(chan string, 1)
	go func() {
		cfg := app.Config{DB: dsn, Addr: "127.0.0.1:0", DataDir: dir, KeyFile: keyFile}
		err := app.Serve(ctx, cfg, false, app.IO{In: strings.NewReader(""), Out: io.Discard, Err: logFile},
			func(addr string) { ready <- addr })
		logFile.Close()
		s.done <- err
	}()
	select {
	case s.addr = <-ready:
		return s, nil
	case err := <-s.done:
		cancel()
		if err == nil {
			err = fmt.Errorf("server stopped before it was ready")
		}
		return nil, err
	case <-time.After(60 * time.Second):
		cancel()
		return nil, errNotReady
	}
}

// stop shuts the server down (once) and reports how many errors it logged.
func (s *server) stop() (int, error) {
	s.once.Do(func() {
		s.cancel()
		select {
		case s.err = <-s.done:
		case <-time.After(20 * time.Second):
			s.err = fmt.Errorf("server did not stop within 20 s")
			return
		}
		f, err := os.Open(s.logPath)
		if err != nil {
			s.err = err
			return
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			if strings.Contains(sc.Text(), "level=ERROR") {
				if s.errors < 5 {
					fmt.Fprintln(os.Stderr, "server log:", sc.Text())
				}
				s.errors++
			}
		}
		if s.err == nil {
			s.err = sc.Err()
		}
	})
	return s.errors, s.err
}
