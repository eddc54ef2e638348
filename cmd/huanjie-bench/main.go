// Command huanjie-bench measures the huanjie server on a big demo zone: it
// creates a fresh database, loads a demo zone of --communities communities,
// starts the real server (app.Serve) on 127.0.0.1, signs in as the zone admin
// and then
//
//  1. times sequential requests to each of --paths (by default the home page,
//     its JSON twin and the whole org tree: GET /, /api/v1/home,
//     /api/v1/orgs), and
//  2. lets --clients concurrent clients request the home page for --duration,
//
// printing percentiles, throughput and errors. When --paths holds / or
// /classes, the summary checks their p95 against --home-p95 and
// --classes-p95. It exits 1 when any request
// failed (a transport error or a status other than 200) or the server logged
// an error, 2 on bad flags, and with --strict 3 when a target was missed.
// Traffic goes to 127.0.0.1 only. See docs/performance.md.
//
//	go run ./cmd/huanjie-bench --communities 10000 --clients 200 --duration 15s
//	go run ./cmd/huanjie-bench --db postgres://postgres@127.0.0.1:5432/test?sslmode=disable
//	go run ./cmd/huanjie-bench --communities 100000 --paths /,/classes,/api/v1/classes,/api/v1/classes/districts --requests 50
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/huanjie/huanjie/internal/termprogress"
)

// config is what the flags say.
type config struct {
	communities int
	clients     int
	duration    time.Duration
	requests    int           // sequential requests per path in the latency phase
	maxRequests int           // bound on the concurrency phase's requests
	db          string        // "sqlite", "sqlite:PATH" or a postgres:// DSN
	paths       []string      // of the latency phase
	homeTarget  time.Duration // the home page's p95 target (sequential)
	classTarget time.Duration // the classes overview's p95 target (sequential)
	strict      bool
	// --vs-bare: the platform against the bare stack
	vsBare     bool
	levels     []int // numbers of clients
	vsDuration time.Duration
	vsRequests int
	vsRepeat   int      // pairs of runs a row, the median reported
	markdown   string   // file the table is written to, "" for none
	vsSQL      bool     // print the replayed statements
	vsOnly     []string // the headlines to time, all when empty
	cpuProfile string   // file the timed part's CPU profile is written to, "" for none
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var c config
	fs := flag.NewFlagSet("huanjie-bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.IntVar(&c.communities, "communities", 10_000, "communities in the demo zone")
	fs.IntVar(&c.clients, "clients", 200, "concurrent clients in the concurrency phase")
	fs.DurationVar(&c.duration, "duration", 15*time.Second, "length of the concurrency phase")
	fs.IntVar(&c.requests, "requests", 300, "sequential requests per path in the latency phase")
	fs.IntVar(&c.maxRequests, "max-requests", 1_000_000, "stop the concurrency phase after this many requests")
	fs.StringVar(&c.db, "db", "sqlite", "database: sqlite (a temporary file), sqlite:PATH (a new file, kept) or postgres://… (a fresh schema, dropped afterwards)")
	paths := fs.String("paths", "/,/api/v1/home,/api/v1/orgs", "comma-separated paths of the latency phase")
	fs.DurationVar(&c.homeTarget, "home-p95", 50*time.Millisecond, "target for the home page's p95 in the latency phase")
	fs.DurationVar(&c.classTarget, "classes-p95", 100*time.Millisecond, "target for the p95 of /classes (the overview) in the latency phase")
	fs.BoolVar(&c.strict, "strict", false, "exit 3 when a target is missed")
	fs.BoolVar(&c.vsBare, "vs-bare", false, "instead of the two phases, time five headline requests (home page, community page, ledger note, assessment, review answer) on the platform and on the bare stack (the same statements, no session, scope, audit or template) at each of --levels clients")
	levels := fs.String("levels", "1,8,64", "with --vs-bare: comma-separated numbers of concurrent clients")
	fs.DurationVar(&c.vsDuration, "vs-duration", 5*time.Second, "with --vs-bare: how long each side runs at each level")
	fs.IntVar(&c.vsRequests, "vs-requests", 5000, "with --vs-bare: at most this many requests per side and level")
	fs.IntVar(&c.vsRepeat, "vs-repeat", 1, "with --vs-bare: run this many turns, each timing the two sides at every level one after the other; report each row's pair whose ratio is the median (the lower middle one of an even number), with the range of the ratios, and a write's scaling as the median of its turns' (8 clients over one)")
	fs.BoolVar(&c.vsSQL, "vs-sql", false, "with --vs-bare: print the statements the bare stack replays, a read's each with its time")
	only := fs.String("vs-only", "", "with --vs-bare: comma-separated headlines to time (home, community, ledger-note, assessment, review-answer), all when empty")
	fs.StringVar(&c.markdown, "markdown", "", "with --vs-bare: also write the table, as Markdown, to this file")
	fs.StringVar(&c.cpuProfile, "cpuprofile", "", "write a CPU profile of the timed part (after the zone is loaded and the server started) to this file, for go tool pprof")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	for _, l := range strings.Split(*levels, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(l))
		if err != nil || n < 1 {
			fmt.Fprintf(stderr, "huanjie-bench: --levels: %q is not a positive number\n", l)
			return 2
		}
		c.levels = append(c.levels, n)
	}
	for _, name := range strings.Split(*only, ",") {
		if name = strings.TrimSpace(name); name == "" {
			continue
		}
		if !slices.Contains(headlineNames, name) {
			fmt.Fprintf(stderr, "huanjie-bench: --vs-only: %q is not one of %s\n", name, strings.Join(headlineNames, ", "))
			return 2
		}
		c.vsOnly = append(c.vsOnly, name)
	}
	if c.vsDuration <= 0 || c.vsRequests < 1 || c.vsRepeat < 1 {
		fmt.Fprintln(stderr, "huanjie-bench: --vs-duration, --vs-requests and --vs-repeat must be positive")
		return 2
	}
	if fs.NArg() > 0 || c.communities < 1 || c.clients < 1 || c.requests < 1 || c.duration <= 0 || c.maxRequests < 1 {
		fmt.Fprintln(stderr, "huanjie-bench: --communities, --clients, --requests, --max-requests and --duration must be positive; no arguments")
		return 2
	}
	for _, p := range strings.Split(*paths, ",") {
		if p = strings.TrimSpace(p); p != "" {
			if !strings.HasPrefix(p, "/") {
				fmt.Fprintf(stderr, "huanjie-bench: --paths: %q does not start with /\n", p)
				return 2
			}
			c.paths = append(c.paths, p)
		}
	}
	if len(c.paths) == 0 {
		fmt.Fprintln(stderr, "huanjie-bench: --paths names no path")
		return 2
	}
	code, err := bench(ctx, c, stdout)
	if err != nil {
		fmt.Fprintln(stderr, "huanjie-bench:", err)
		return 1
	}
	return code
}

// bench prepares the database and the server, runs both phases and reports.
func bench(ctx context.Context, c config, out io.Writer) (int, error) {
	dir, err := os.MkdirTemp("", "huanjie-bench-")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(dir)
	dsn, dropDB, err := prepareDB(ctx, c.db, dir)
	if err != nil {
		return 0, err
	}
	defer dropDB()
	keyFile := filepath.Join(dir, "huanjie.key")

	fmt.Fprintf(out, "huanjie-bench: %d communities, database %s\n", c.communities, engineOf(dsn))
	accounts, err := loadZone(ctx, dsn, keyFile, c.communities, out)
	if err != nil {
		return 0, err
	}
	password := ""
	for _, a := range accounts {
		if a.Username == "admin" {
			password = a.Password
		}
	}

	srv, err := startServer(ctx, dsn, dir, keyFile)
	if err != nil {
		return 0, err
	}
	defer srv.stop()
	fmt.Fprintf(out, "server: http://%s\n", srv.addr)
	if c.cpuProfile != "" {
		stop, err := startCPUProfile(c.cpuProfile)
		if err != nil {
			return 0, err
		}
		defer stop()
	}
	if c.vsBare {
		code, err := vsBare(ctx, c, dsn, dir, keyFile, srv.addr, accounts, out)
		if err != nil {
			return 0, err
		}
		if n, err := srv.stop(); err != nil || n > 0 {
			return 1, err
		}
		return code, nil
	}

	cl := newClient(srv.addr, c.clients)
	defer cl.transport.CloseIdleConnections()
	if err := cl.login(ctx, "admin", password); err != nil {
		return 0, err
	}

	fmt.Fprintf(out, "\nlatency phase: %d sequential requests per path, after 5 warm-up requests\n", c.requests)
	lat := latencyPhase(ctx, cl, c.paths, c.requests, termprogress.New(out))
	printTable(out, lat)

	fmt.Fprintf(out, "\nconcurrency phase: %d clients request / for %s\n", c.clients, c.duration)
	conc := concurrencyPhase(ctx, cl, "/", c.clients, c.duration, c.maxRequests, termprogress.New(out))
	printTable(out, []result{conc})
	fmt.Fprintf(out, "throughput: %.1f req/s (%d requests in %s)\n", float64(conc.n)/conc.elapsed.Seconds(), conc.n, conc.elapsed.Round(time.Millisecond))

	srvErrors, err := srv.stop()
	if err != nil {
		return 0, err
	}
	failed := conc.errors + srvErrors
	for _, r := range lat {
		failed += r.errors
	}
	for _, r := range append(lat, conc) {
		for _, e := range r.firstErrors {
			fmt.Fprintf(out, "error: %s: %s\n", r.path, e)
		}
	}

	concOK := conc.errors == 0 && conc.n > 0
	targetsOK := concOK
	fmt.Fprintf(out, "\nsummary\n")
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	for _, t := range []struct {
		path, name string
		target     time.Duration
	}{{"/", "home page", c.homeTarget}, {"/classes", "classes overview", c.classTarget}} {
		for _, r := range lat {
			if r.path == t.path {
				ok := r.errors == 0 && r.percentile(95) < t.target
				targetsOK = targetsOK && ok
				fmt.Fprintf(tw, "  %s p95, sequential\t%.1f ms\ttarget < %s\t%s\n", t.name, ms(r.percentile(95)), t.target, verdict(ok))
			}
		}
	}
	fmt.Fprintf(tw, "  errors with %d concurrent clients\t%d\ttarget 0\t%s\n", c.clients, conc.errors, verdict(concOK))
	fmt.Fprintf(tw, "  errors logged by the server\t%d\t\t\n", srvErrors)
	tw.Flush()
	switch {
	case failed > 0:
		return 1, nil
	case c.strict && !targetsOK:
		return 3, nil
	}
	return 0, nil
}

func verdict(ok bool) string {
	if ok {
		return "met"
	}
	return "NOT MET"
}

// errNotReady is returned when the server does not come up.
var errNotReady = errors.New("server not ready within 60 s")

// startCPUProfile starts a CPU profile into a new file at path; the returned
// func stops it and closes the file.
func startCPUProfile(path string) (func(), error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return nil, fmt.Errorf("--cpuprofile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("--cpuprofile: %w", err)
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}
