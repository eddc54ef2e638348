package main

// The comparison with the bare stack (--vs-bare, issue 17): five requests an
// office makes all day, each timed on the platform and on the bare baseline
// in the same run, at 1, 8 and 64 clients.
//
// The bare baseline runs the same SQL on the same database, with the
// store's own connection settings (store.OpenPool), and nothing else: no
// session, no scope checks in Go, no audit, no template. Its statements are
// the platform's own: one request of each kind is sent to a second,
// in-process platform on the same database whose store records every
// statement it runs (store.Options.Trace). The bare server replays them,
// prepared once, in order, a write's in one transaction (one writer at a
// time on SQLite, which has one write lock), and answers with the rows it
// read. Left out of the replay: the statements on the sessions and the
// audit's (their text names the sessions, the audit log's tables, the
// records' digests, or carries the comment "audit").
//
// The writes of the two sides never touch the same records, and each side
// spreads its writes over many, so that neither waits on one hot row: a
// write is recorded for each of up to 64 records (ledger items,
// communities, review requests of as many aspirants), which the bare
// baseline replays in turn, and the platform writes to the others.

import (
	"bytes"
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"text/tabwriter"
	"time"

	"github.com/huanjie/huanjie/internal/assess"
	"github.com/huanjie/huanjie/internal/audit"
	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/demo"
	"github.com/huanjie/huanjie/internal/secret"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/web"
)

// headline is one of the five requests.
type headline struct {
	name    string
	account string // who sends it: the admin, or a vetting department
	write   bool
	// req is the platform's i-th request of a run (i ≥ 0), or the one
	// recorded for the bare baseline's -i-th record (i < 0).
	req   func(i int) (method, path string, body []byte)
	stmts [][]traced // recorded, a list per record: what the bare baseline replays
	left  int        // statements recorded and left out of the replay
}

// who is the username the headline's requests are sent as.
func (h *headline) who() string {
	if h.account != "" {
		return h.account
	}
	return "admin"
}

type traced struct {
	query string
	args  []any
}

// targets are the records the writes go to: the first k of each list
// for the recorded requests (the bare baseline's), the rest for the
// platform.
type targets struct {
	k           int
	community   string   // the community page's: the one with most ledger items
	items       []int64  // open ledger items of the current cycle
	communities []string // to assess
	requests    []int64  // review requests of one department: the first k of k aspirants, the rest of the others
	deptUser    string   // that department's account
}

// vsBare runs the comparison against the platform already serving at addr.
func vsBare(ctx context.Context, c config, dsn, dir, keyFile, addr string, accounts []demo.Account, out io.Writer) (int, error) {
	pools, err := store.OpenPool(dsn)
	if err != nil {
		return 0, err
	}
	defer pools.Close()
	var dept demo.Account
	for _, a := range accounts {
		if a.Department != "" {
			dept = a
			break
		}
	}
	if dept.Username == "" {
		return 0, fmt.Errorf("the demo zone has no vetting department's account")
	}
	t, err := pickTargets(ctx, pools.Reads, dept.Department)
	if err != nil {
		return 0, err
	}
	t.deptUser = dept.Username
	hs := headlines(t)
	if len(c.vsOnly) > 0 {
		hs = slices.DeleteFunc(hs, func(h *headline) bool { return !slices.Contains(c.vsOnly, h.name) })
	}
	if err := record(ctx, dsn, dir, keyFile, accounts, hs, t.k); err != nil {
		return 0, fmt.Errorf("record the statements: %w", err)
	}
	bare, err := startBare(ctx, pools, hs)
	if err != nil {
		return 0, err
	}
	defer bare.Close()

	maxClients := slices.Max(c.levels)
	app := map[string]*client{}
	for _, a := range accounts {
		if a.Username == "admin" || a.Username == dept.Username {
			cl := newClient(addr, maxClients)
			defer cl.transport.CloseIdleConnections()
			if err := cl.login(ctx, a.Username, a.Password); err != nil {
				return 0, err
			}
			app[a.Username] = cl
		}
	}
	bareClient := newClient(strings.TrimPrefix(bare.URL, "http://"), maxClients)
	defer bareClient.transport.CloseIdleConnections()
	// The server checks its whole audit log once when it starts (about a
	// second of CPU on a zone of 10,000 communities): no row is timed
	// while that check takes a core from it.
	took, err := app["admin"].firstCheck(ctx)
	if err != nil {
		return 0, err
	}
	fmt.Fprintf(out, "the server's first check of its audit log ended %s after it was asked; the comparison runs after it\n",
		took.Round(100*time.Millisecond))

	if c.vsSQL {
		showStatements(ctx, pools, hs, out)
	}
	fmt.Fprintf(out, "\nthe platform against the bare stack: each request for %s (at most %d requests) per side and number of clients\n",
		c.vsDuration, c.vsRequests)
	var rows []vsRow
	failed := 0
	for _, h := range hs {
		fmt.Fprintf(out, "  %s: %d statements replayed by the bare stack, %d left out (session, audit), recorded on %d records\n",
			h.name, len(h.stmts[0]), h.left, len(h.stmts))
		acct := h.who()
		next := 0 // each run's platform writes go on where the last one's stopped
		// Each turn runs every level, one after another: a write's rates at
		// one and at 8 clients are compared turn by turn (scaling), a few
		// seconds apart, not a whole level's runs apart, over which this
		// machine's speed was seen to drift by a fifth.
		pairs := make([][]vsRow, len(c.levels))
		for range c.vsRepeat {
			for j, n := range c.levels {
				a := timed(ctx, n, c.vsDuration, c.vsRequests, func(ctx context.Context, i int) error {
					m, p, b := h.req(next + i)
					return app[acct].send(ctx, m, p, b)
				})
				next += a.n + 10
				b := timed(ctx, n, c.vsDuration, c.vsRequests, func(ctx context.Context, i int) error {
					return bareClient.send(ctx, http.MethodPost, "/"+h.name, nil)
				})
				failed += a.errors + b.errors
				for _, r := range []result{a, b} {
					for _, e := range r.firstErrors {
						fmt.Fprintf(out, "error: %s, %d clients: %s\n", h.name, n, e)
					}
				}
				pairs[j] = append(pairs[j], vsRow{h: h, clients: n, app: a, bare: b})
			}
		}
		for j := range c.levels {
			rows = append(rows, median(pairs[j]))
		}
	}
	printVs(out, rows)
	if c.markdown != "" {
		if err := writeMarkdown(c, pools.Engine, rows); err != nil {
			return 0, err
		}
		fmt.Fprintf(out, "table written to %s\n", c.markdown)
	}
	if failed > 0 {
		return 1, nil
	}
	if c.strict && !vsMet(rows) {
		return 3, nil
	}
	return 0, nil
}

// firstCheck waits until the server's first check of its whole audit log
// has ended (`last_check` in /api/v1/audit) and says how long it waited.
func (c *client) firstCheck(ctx context.Context) (time.Duration, error) {
	start := time.Now()
	for {
		res, err := c.do(ctx, "/api/v1/audit?limit=1")
		if err != nil {
			return 0, err
		}
		var got struct {
			LastCheck *struct{} `json:"last_check"`
		}
		err = json.NewDecoder(res.Body).Decode(&got)
		res.Body.Close()
		if res.StatusCode != http.StatusOK || err != nil {
			return 0, fmt.Errorf("the audit log's last check: %s %v", res.Status, err)
		}
		if got.LastCheck != nil {
			return time.Since(start), nil
		}
		select {
		case <-ctx.Done():
			return 0, ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// headlineNames are the names of headlines' requests, in their order.
var headlineNames = []string{"home", "community", "ledger-note", "assessment", "review-answer"}

func headlines(t targets) []*headline {
	today := civil.Of(time.Now()).String()
	scores := assess.Scores{}
	for _, ind := range assess.DefaultRubric() {
		if ind.Kind == assess.Score {
			scores[ind.Code] = ind.Max / 2
		} else {
			scores[ind.Code] = 0
		}
	}
	pick := func(n, i int) int {
		if i < 0 {
			return (-1 - i) % t.k
		}
		return t.k + i%(n-t.k)
	}
	return []*headline{
		{name: "home", req: func(int) (string, string, []byte) { return http.MethodGet, "/", nil }},
		{name: "community", req: func(int) (string, string, []byte) { return http.MethodGet, "/orgs/" + t.community, nil }},
		{name: "ledger-note", write: true, req: func(i int) (string, string, []byte) {
			body, _ := json.Marshal(map[string]string{"note": fmt.Sprintf("今日进展:已入户核实第%d项", i)})
			return http.MethodPost, fmt.Sprintf("/api/v1/ledger-items/%d/notes", t.items[pick(len(t.items), i)]), body
		}},
		{name: "assessment", write: true, req: func(i int) (string, string, []byte) {
			body, _ := json.Marshal(map[string]any{"assessed_on": today, "findings": "研判:社区班子团结,未见明显风险",
				"assessors": []assess.Assessor{{Unit: "包片领导", Name: "张伟"}}, "scores": scores})
			return http.MethodPost, "/api/v1/communities/" + t.communities[pick(len(t.communities), i)] + "/assessments", body
		}},
		{name: "review-answer", write: true, account: t.deptUser, req: func(i int) (string, string, []byte) {
			return http.MethodPost, fmt.Sprintf("/api/v1/review-requests/%d/answer", t.requests[pick(len(t.requests), i)]),
				[]byte(`{"verdict":"clean","note":"经核查未发现问题"}`)
		}},
	}
}

// pickTargets reads, on the bare pool, the records the requests go to.
func pickTargets(ctx context.Context, db *sql.DB, dept string) (targets, error) {
	var t targets
	err := db.QueryRowContext(ctx, `SELECT o.code FROM ledger_items i JOIN orgs o ON o.id = i.org_id
		GROUP BY o.code ORDER BY COUNT(*) DESC, o.code LIMIT 1`).Scan(&t.community)
	if err != nil {
		return t, fmt.Errorf("a community with ledger items: %w", err)
	}
	if t.items, err = column[int64](ctx, db, `SELECT i.id FROM ledger_items i JOIN cycles c ON c.id = i.cycle_id AND c.current
		WHERE i.status <> 'closed' ORDER BY i.id`); err != nil {
		return t, err
	}
	if t.communities, err = column[string](ctx, db, `SELECT code FROM orgs WHERE kind = 'community' ORDER BY path LIMIT 10000`); err != nil {
		return t, err
	}
	type request struct{ id, aspirant int64 }
	var requests []request
	err = eachOf(ctx, db, `SELECT q.id, q.aspirant_id FROM review_requests q JOIN departments d ON d.id = q.department_id
		WHERE d.code = $1 ORDER BY q.id`, func(r *sql.Rows) error {
		var q request
		requests = append(requests, q)
		return r.Scan(&requests[len(requests)-1].id, &requests[len(requests)-1].aspirant)
	}, dept)
	if err != nil {
		return t, err
	}
	aspirants := map[int64]bool{}
	for _, q := range requests {
		aspirants[q.aspirant] = true
	}
	t.k = min(64, len(t.items)/2, len(t.communities)/2, len(aspirants)/2)
	if t.k < 1 {
		return t, fmt.Errorf("the zone holds too few records to write to: %d open ledger items, %d communities, review requests of %d aspirants for %s",
			len(t.items), len(t.communities), len(aspirants), dept)
	}
	// The bare baseline's requests: one for each of the first k aspirants;
	// the platform's: those of the other aspirants.
	bare := map[int64]bool{}
	for _, q := range requests {
		if len(bare) < t.k && !bare[q.aspirant] {
			bare[q.aspirant] = true
			t.requests = append(t.requests, q.id)
		}
	}
	for _, q := range requests {
		if !bare[q.aspirant] {
			t.requests = append(t.requests, q.id)
		}
	}
	return t, nil
}

func column[T any](ctx context.Context, db *sql.DB, q string) ([]T, error) {
	var out []T
	err := eachOf(ctx, db, q, func(r *sql.Rows) error {
		var v T
		err := r.Scan(&v)
		out = append(out, v)
		return err
	})
	return out, err
}

func eachOf(ctx context.Context, db *sql.DB, q string, fn func(*sql.Rows) error, args ...any) error {
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// record sends each headline's recorded requests (a page's once, a
// write's for each of the bare baseline's k records, after one request
// unrecorded) to a platform in this process whose store traces its
// statements.
func record(ctx context.Context, dsn, dir, keyFile string, accounts []demo.Account, hs []*headline, k int) error {
	box, err := secret.LoadOrCreate(keyFile)
	if err != nil {
		return err
	}
	key, err := audit.LoadKey(filepath.Join(dir, "audit.key"))
	if err != nil {
		return err
	}
	var mu sync.Mutex
	var stmts []traced
	st, err := store.Open(ctx, dsn, store.Options{Box: box, AuditKey: key, Trace: func(q string, args []any) {
		mu.Lock()
		stmts = append(stmts, traced{q, slices.Clone(args)})
		mu.Unlock()
	}})
	if err != nil {
		return err
	}
	defer st.Close()
	srv, err := web.New(st, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		return err
	}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	cls := map[string]*client{}
	for _, a := range accounts {
		if a.Username == "admin" || slices.ContainsFunc(hs, func(h *headline) bool { return h.account == a.Username }) {
			cl := newClient(strings.TrimPrefix(ts.URL, "http://"), 1)
			defer cl.transport.CloseIdleConnections()
			if err := cl.login(ctx, a.Username, a.Password); err != nil {
				return err
			}
			cls[a.Username] = cl
		}
	}
	for _, h := range hs {
		cl := cls[h.who()]
		m, p, b := h.req(-1) // once unrecorded: the platform's first request fills its caches
		if err := cl.send(ctx, m, p, b); err != nil {
			return fmt.Errorf("%s: %w", h.name, err)
		}
		records := 1 // a page is read the same way each time
		if h.write {
			records = k
		}
		for i := range records {
			mu.Lock()
			stmts = nil
			mu.Unlock()
			m, p, b := h.req(-1 - i)
			if err := cl.send(ctx, m, p, b); err != nil {
				return fmt.Errorf("%s: %w", h.name, err)
			}
			mu.Lock()
			var kept []traced
			h.left = 0
			for _, s := range stmts {
				if strings.Contains(s.query, "sessions") || strings.Contains(s.query, "audit") || strings.Contains(s.query, "digest") {
					h.left++
					continue
				}
				kept = append(kept, s)
			}
			mu.Unlock()
			if len(kept) == 0 {
				return fmt.Errorf("%s: no statement recorded", h.name)
			}
			h.stmts = append(h.stmts, kept)
		}
	}
	return nil
}

// startBare serves each headline at POST /NAME: one of its recorded
// requests' statements, the records in turn, replayed on the store's pools
// as the store runs them: a write's in one transaction on Keyed, a read on
// the pool the store reads it from (Pools.For). On SQLite its writes' log
// is checkpointed off the request path as the platform's is (the pool,
// like the store's, has SQLite's own checkpoints off): before, nothing
// checkpointed it during the bare stack's runs, and the platform's next
// checkpoints took in the bare stack's log.
func startBare(ctx context.Context, pools store.Pools, hs []*headline) (*httptest.Server, error) {
	var writer sync.Mutex // one writer at a time on SQLite
	wrote := func() {}
	begin := func(ctx context.Context) (*sql.Tx, error) { return pools.Keyed.BeginTx(ctx, nil) }
	if pools.Engine == store.SQLite {
		var stop func()
		wrote, stop = store.StartWALCheckpoints(pools.Keyed)
		context.AfterFunc(ctx, stop)
		// The writes on one connection of their own, as the store's (Store.writer).
		conn, err := pools.Keyed.Conn(ctx)
		if err != nil {
			return nil, err
		}
		context.AfterFunc(ctx, func() { conn.Close() })
		begin = func(ctx context.Context) (*sql.Tx, error) { return conn.BeginTx(ctx, nil) }
	}
	type onPool struct {
		pool  *sql.DB
		query string
	}
	prepared := map[onPool]*sql.Stmt{}
	mux := http.NewServeMux()
	for _, h := range hs {
		on := func(query string) onPool {
			if h.write {
				return onPool{pools.Keyed, query}
			}
			return onPool{pools.For(query), query}
		}
		for _, rec := range h.stmts {
			for _, s := range rec {
				if prepared[on(s.query)] != nil {
					continue
				}
				st, err := on(s.query).pool.PrepareContext(ctx, s.query)
				if err != nil {
					return nil, fmt.Errorf("bare %s: prepare %q: %w", h.name, s.query, err)
				}
				prepared[on(s.query)] = st
			}
		}
		var next atomic.Int64
		mux.HandleFunc("POST /"+h.name, func(w http.ResponseWriter, r *http.Request) {
			rec := h.stmts[int(next.Add(1)-1)%len(h.stmts)]
			var buf bytes.Buffer
			err := func() error {
				run := func(st *sql.Stmt, args []any) error {
					rows, err := st.QueryContext(r.Context(), args...)
					if err != nil {
						return err
					}
					defer rows.Close()
					cols, _ := rows.Columns()
					vals := make([]sql.RawBytes, len(cols))
					ptrs := make([]any, len(cols))
					for i := range vals {
						ptrs[i] = &vals[i]
					}
					for rows.Next() {
						if err := rows.Scan(ptrs...); err != nil {
							return err
						}
						for _, v := range vals {
							buf.Write(v)
							buf.WriteByte('\t')
						}
						buf.WriteByte('\n')
					}
					return rows.Err()
				}
				if !h.write {
					for _, s := range rec {
						if err := run(prepared[on(s.query)], s.args); err != nil {
							return err
						}
					}
					return nil
				}
				if pools.Engine == store.SQLite {
					writer.Lock()
					defer writer.Unlock()
				}
				tx, err := begin(r.Context())
				if err != nil {
					return err
				}
				defer tx.Rollback()
				for _, s := range rec {
					if err := run(tx.StmtContext(r.Context(), prepared[on(s.query)]), s.args); err != nil {
						return err
					}
				}
				if err := tx.Commit(); err != nil {
					return err
				}
				wrote()
				return nil
			}()
			if err != nil {
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return
			}
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.Write(buf.Bytes())
		})
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	ts := &httptest.Server{Listener: ln, Config: &http.Server{Handler: mux}}
	ts.Start()
	return ts, nil
}

// send sends one request and reads the whole answer; an error for a status
// other than 200 or 201.
func (c *client) send(ctx context.Context, method, path string, body []byte) error {
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Cookie", c.cookie)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json")
	}
	res, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK && res.StatusCode != http.StatusCreated {
		msg, _ := io.ReadAll(io.LimitReader(res.Body, 200))
		return fmt.Errorf("%s %s: %s %s", method, path, res.Status, msg)
	}
	// Read through and dropped, as a browser on another machine would
	// take it. Kept in buffers grown to each answer's size, the answers
	// were a seventh of what the one process allocated (most of it the
	// platform's larger pages), garbage whose collection both sides paid.
	_, err = io.Copy(io.Discard, res.Body)
	return err
}

// timed sends requests from clients goroutines for d or until n were sent,
// after ten untimed ones, and returns their times; do is told the
// request's number in the run, from 0.
func timed(ctx context.Context, clients int, d time.Duration, n int, do func(context.Context, int) error) result {
	for i := range 10 {
		if err := do(ctx, i); err != nil {
			return result{n: 1, errors: 1, firstErrors: []string{"warm-up: " + err.Error()}}
		}
	}
	var next atomic.Int64
	var mu sync.Mutex
	var r result
	var wg sync.WaitGroup
	start := time.Now()
	deadline := start.Add(d)
	for range clients {
		wg.Go(func() {
			var mine []time.Duration
			var errs []error
			for {
				i := int(next.Add(1)) - 1
				if i >= n || time.Now().After(deadline) || ctx.Err() != nil {
					break
				}
				t0 := time.Now()
				if err := do(ctx, 10+i); err != nil {
					errs = append(errs, err)
					continue
				}
				mine = append(mine, time.Since(t0))
			}
			mu.Lock()
			defer mu.Unlock()
			for _, e := range errs {
				r.record(0, 0, e)
			}
			for _, t := range mine {
				r.record(t, 0, nil)
			}
		})
	}
	wg.Wait()
	r.elapsed = time.Since(start)
	slices.Sort(r.times)
	return r
}

type vsRow struct {
	h         *headline
	clients   int
	app, bare result
	pairs     []vsRow // every pair of the row's level, in the order run (one a turn)
}

// median is the pair of runs whose ratio is the median, the lower of the
// two middle ones of an even number (never the better), with every pair.
func median(pairs []vsRow) vsRow {
	byRatio := slices.Clone(pairs)
	slices.SortStableFunc(byRatio, func(a, b vsRow) int { return cmp.Compare(a.ratio(), b.ratio()) })
	m := byRatio[(len(byRatio)-1)/2]
	m.pairs = pairs
	return m
}

// ratios are the ratios of the row's pairs, in the order run.
func (r vsRow) ratios() []float64 {
	var out []float64
	for _, p := range r.pairs {
		out = append(out, p.ratio())
	}
	return out
}

// lowerMedian is the median of xs, the lower of the two middle ones of an
// even number (never the better).
func lowerMedian(xs []float64) float64 {
	xs = slices.Sorted(slices.Values(xs))
	return xs[(len(xs)-1)/2]
}

// spread is the range of a row's ratios, "" for one pair.
func (r vsRow) spread() string {
	if s := spreadOf(r.ratios(), 100, 1); s != "" {
		return s + "%"
	}
	return ""
}

// spreadOf is the range of xs, each times scale and rounded down to places
// decimals, "" for fewer than two.
func spreadOf(xs []float64, scale float64, places int) string {
	if len(xs) < 2 {
		return ""
	}
	return fmt.Sprintf("%.*f–%.*f", places, down(scale*slices.Min(xs), places), places, down(scale*slices.Max(xs), places))
}

func (r vsRow) rate(x result) float64 { return float64(len(x.times)) / x.elapsed.Seconds() }
func (r vsRow) ratio() float64        { return r.rate(r.app) / r.rate(r.bare) }

// down is x rounded down to places decimals: a figure printed never reads
// better than it is (49.99% is not "50%").
func down(x float64, places int) float64 {
	p := math.Pow(10, float64(places))
	return math.Floor(x*p) / p
}

// vsMet says whether every row is at least half the bare stack, and every
// write at 8 clients at least 1.5 times its one client.
func vsMet(rows []vsRow) bool {
	for _, r := range rows {
		if r.ratio() < 0.5 {
			return false
		}
		if s, ok := scaling(rows, r, false); ok && s.median < 1.5 {
			return false
		}
	}
	return true
}

// scaled is a write's rate at 8 clients over its rate at one: the median
// of the turns' (the lower middle one of an even number), with every turn's
// in the order run.
type scaled struct {
	median float64
	turns  []float64
}

// scaling is how a write scales, when row is its 8 clients' and its one
// client's was run too: each turn's rate at 8 clients over the same turn's
// at one, the platform's, or with bare the bare stack's.
func scaling(rows []vsRow, row vsRow, bare bool) (scaled, bool) {
	if !row.h.write || row.clients != 8 {
		return scaled{}, false
	}
	for _, r := range rows {
		if r.h != row.h || r.clients != 1 {
			continue
		}
		var s scaled
		for k := range min(len(r.pairs), len(row.pairs)) {
			one, eight := r.pairs[k], row.pairs[k]
			if bare {
				s.turns = append(s.turns, eight.rate(eight.bare)/one.rate(one.bare))
			} else {
				s.turns = append(s.turns, eight.rate(eight.app)/one.rate(one.app))
			}
		}
		s.median = lowerMedian(s.turns)
		return s, true
	}
	return scaled{}, false
}

// scalingLine says how a write scales, the platform's turns' range and the
// bare stack's scaling measured in the same turns beside it, and the
// verdict, for the row of its 8 clients; "" for any other row.
func scalingLine(rows []vsRow, r vsRow, missed string) string {
	s, ok := scaling(rows, r, false)
	if !ok {
		return ""
	}
	bare, _ := scaling(rows, r, true)
	turns := ""
	if t := spreadOf(s.turns, 1, 2); t != "" {
		turns = fmt.Sprintf(", the median of %d turns, %s×", len(s.turns), t)
	}
	v := "met"
	if s.median < 1.5 {
		v = missed
	}
	return fmt.Sprintf("%s: 8 clients write %.2f× what one client does%s; the bare stack %.2f× (target ≥ 1.5×: %s)",
		r.h.name, down(s.median, 2), turns, down(bare.median, 2), v)
}

func printVs(out io.Writer, rows []vsRow) {
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "request\tclients\tplatform req/s\tp50 ms\tp95 ms\tbare req/s\tp50 ms\tp95 ms\tplatform ÷ bare\trange\ttarget ≥ 50%\t")
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%d\t%.1f\t%.2f\t%.2f\t%.1f\t%.2f\t%.2f\t%.1f%%\t%s\t%s\t\n", r.h.name, r.clients,
			r.rate(r.app), ms(r.app.percentile(50)), ms(r.app.percentile(95)),
			r.rate(r.bare), ms(r.bare.percentile(50)), ms(r.bare.percentile(95)), down(100*r.ratio(), 1), cmp.Or(r.spread(), "-"),
			verdict(r.ratio() >= 0.5))
	}
	tw.Flush()
	for _, r := range rows {
		if line := scalingLine(rows, r, verdict(false)); line != "" {
			fmt.Fprintln(out, line)
		}
	}
}

// writeMarkdown writes the table for docs/performance.md, with the run's
// machine, engine and zone.
func writeMarkdown(c config, engine store.Engine, rows []vsRow) error {
	var b strings.Builder
	host, _ := os.Hostname()
	fmt.Fprintf(&b, "<!-- huanjie-bench --vs-bare%s, %s -->\n", buildRevision(), time.Now().Format(time.RFC3339))
	fmt.Fprintf(&b, "%s, %d communities; %d CPUs (%s/%s, %s), host %s; each side for %s or %d requests a row",
		engine, c.communities, runtime.NumCPU(), runtime.GOOS, runtime.GOARCH, runtime.Version(), host, c.vsDuration, c.vsRequests)
	repeated := c.vsRepeat > 1
	if repeated {
		fmt.Fprintf(&b, ", in %d turns, each running every number of clients' two sides one after the other: a row is the pair whose ratio is the median (the lower middle one of an even number), with the range of the %d ratios; a write's scaling the median of its turns'", c.vsRepeat, c.vsRepeat)
	}
	head := []string{"request", "clients", "platform req/s (p50 / p95 ms)", "bare req/s (p50 / p95 ms)", "platform ÷ bare"}
	if repeated {
		head = append(head, "range")
	}
	head = append(head, "target ≥ 50%")
	b.WriteString(".\n\n| " + strings.Join(head, " | ") + " |\n|" + strings.Repeat(" --- |", len(head)) + "\n")
	for _, r := range rows {
		v := verdict(r.ratio() >= 0.5)
		if v != "met" {
			v = "**missed**"
		}
		cells := []string{r.h.name, strconv.Itoa(r.clients),
			fmt.Sprintf("%.1f (%.2f / %.2f)", r.rate(r.app), ms(r.app.percentile(50)), ms(r.app.percentile(95))),
			fmt.Sprintf("%.1f (%.2f / %.2f)", r.rate(r.bare), ms(r.bare.percentile(50)), ms(r.bare.percentile(95))),
			fmt.Sprintf("%.1f%%", down(100*r.ratio(), 1))}
		if repeated {
			cells = append(cells, r.spread())
		}
		b.WriteString("| " + strings.Join(append(cells, v), " | ") + " |\n")
	}
	b.WriteString("\n")
	for _, r := range rows {
		if line := scalingLine(rows, r, "**missed**"); line != "" {
			b.WriteString("- " + line + "\n")
		}
	}
	return os.WriteFile(c.markdown, []byte(b.String()), 0o644)
}

// showStatements prints each headline's replayed statements (a write's
// of its first record), each with the time one run of it took on the bare
// pool (a read's; a write's are not run).
func showStatements(ctx context.Context, pools store.Pools, hs []*headline, out io.Writer) {
	for _, h := range hs {
		fmt.Fprintf(out, "\n%s:\n", h.name)
		for _, s := range h.stmts[0] {
			took := "-"
			if !h.write {
				t0 := time.Now()
				if err := eachOf(ctx, pools.For(s.query), s.query, func(*sql.Rows) error { return nil }, s.args...); err != nil {
					took = err.Error()
				} else {
					took = fmt.Sprintf("%.2f ms", ms(time.Since(t0)))
				}
			}
			fmt.Fprintf(out, "  [%s] %s %v\n", took, strings.Join(strings.Fields(s.query), " "), s.args)
		}
	}
}

// buildRevision is " on REV" (" on REV+changes" when the tree had
// uncommitted changes), the commit the binary was built from as Go recorded
// it. When Go did not (GOFLAGS=-buildvcs=false, go run), it is the commit
// of the checkout the harness runs in as git tells it, named as such:
// " in checkout REV"; "" when neither is known.
func buildRevision() string {
	if info, ok := debug.ReadBuildInfo(); ok {
		rev, modified := "", ""
		for _, s := range info.Settings {
			switch {
			case s.Key == "vcs.revision" && len(s.Value) >= 7:
				rev = s.Value[:7]
			case s.Key == "vcs.modified" && s.Value == "true":
				modified = "+changes"
			}
		}
		if rev != "" {
			return " on " + rev + modified
		}
	}
	out, err := exec.Command("git", "describe", "--always", "--dirty=+changes", "--abbrev=7", "--exclude", "*").Output()
	if rev := strings.TrimSpace(string(out)); err == nil && rev != "" {
		return " in checkout " + rev
	}
	return ""
}
