package web_test

// A write under concurrency (issue 17):
//
//	go test ./internal/web -run '^$' -bench LedgerNote -benchtime 2000x
//
// Figures in docs/performance.md ("Writes under concurrency").

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/demo"
	"github.com/huanjie/huanjie/internal/ledger"
	"github.com/huanjie/huanjie/internal/store"
)

// benchClients are the numbers of clients writing at once.
var benchClients = []int{1, 8, 64}

// BenchmarkLedgerNote times a day's progress note on a ledger item
// (每日进展: POST /api/v1/ledger-items/{id}/notes) posted by 1, 8 and 64
// clients at once, the office's account, over the demo zone's open items:
// b.N notes in all per run, shared among the clients. It reports notes a
// second and each post's p50, p95 and p99. Beside it, in the same run on the
// same database, the bare stack: a plain Go HTTP handler that decodes the
// same JSON and, in one transaction, inserts the note and stamps the item,
// one writer at a time (a mutex: SQLite has one write lock), without
// session, scope, checks or audit, answering the note.
func BenchmarkLedgerNote(b *testing.B) {
	for _, e := range benchEngines() {
		b.Run(string(e), func(b *testing.B) {
			ctx := context.Background()
			z := demo.Generate(demo.DefaultSeed, demo.DefaultCommunities)
			st, dsn := loadBench(b, e, z)
			var ids []int64
			for _, code := range z.CommunityCodes() {
				items, err := st.Zone(store.System).CommunityLedger(ctx, code)
				if err != nil {
					b.Fatal(err)
				}
				for _, it := range items {
					if it.Status != ledger.Closed {
						ids = append(ids, it.ID)
					}
				}
			}
			if len(ids) < 20 {
				b.Fatalf("%d open items in the demo zone", len(ids))
			}
			app := serveBench(b, st, z, "admin")
			bare := bareNotes(b, benchRawDB(b, e, dsn))
			for _, c := range benchClients {
				b.Run(fmt.Sprintf("app-c%d", c), func(b *testing.B) { postNotes(b, app, ids, c) })
				b.Run(fmt.Sprintf("bare-c%d", c), func(b *testing.B) { postNotes(b, bare, ids, c) })
			}
		})
	}
}

// postNotes posts b.N notes to the items ids from clients goroutines at
// once and reports notes a second and the p50 and p95 of one post.
func postNotes(b *testing.B, bs *benchSite, ids []int64, clients int) {
	var next atomic.Int64
	times := make([]time.Duration, b.N)
	var failed atomic.Value
	var wg sync.WaitGroup
	b.ResetTimer()
	start := time.Now()
	for range clients {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= b.N || failed.Load() != nil {
					return
				}
				body := fmt.Sprintf(`{"note":"今日进展:已入户核实第%d项"}`, i)
				t0 := time.Now()
				req, _ := http.NewRequest(http.MethodPost, fmt.Sprintf("%s/api/v1/ledger-items/%d/notes", bs.url, ids[i%len(ids)]),
					strings.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Accept", "application/json")
				req.Header.Set("Cookie", bs.cookie)
				res, err := bs.client.Do(req)
				if err != nil {
					failed.Store(err.Error())
					return
				}
				var sink json.RawMessage
				json.NewDecoder(res.Body).Decode(&sink)
				res.Body.Close()
				if res.StatusCode != http.StatusOK && res.StatusCode != http.StatusCreated {
					failed.Store(fmt.Sprintf("POST note: %s %s", res.Status, sink))
					return
				}
				times[i] = time.Since(t0)
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	if f := failed.Load(); f != nil {
		b.Fatal(f)
	}
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "notes/s")
	slices.Sort(times)
	reportPercentile(b, times, 50)
	reportPercentile(b, times, 95)
	reportPercentile(b, times, 99)
}

// bareNotes serves, at /api/v1/ledger-items/{id}/notes, the bare stack of
// a note.
func bareNotes(b *testing.B, db *sql.DB) *benchSite {
	var mu sync.Mutex
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/v1/ledger-items/{id}/notes", func(w http.ResponseWriter, r *http.Request) {
		var in struct {
			Note string `json:"note"`
		}
		if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
			http.Error(w, err.Error(), 400)
			return
		}
		now := time.Now().UTC()
		var id int64
		err := func() error {
			mu.Lock()
			defer mu.Unlock()
			tx, err := db.BeginTx(r.Context(), nil)
			if err != nil {
				return err
			}
			defer tx.Rollback()
			if err := tx.QueryRow(`INSERT INTO ledger_notes (item_id, day, note, by_name, at) VALUES ($1, $2, $3, 'bare', $4) RETURNING id`,
				r.PathValue("id"), civil.Of(now), in.Note, now).Scan(&id); err != nil {
				return err
			}
			if _, err := tx.Exec(`UPDATE ledger_items SET updated_at = $1 WHERE id = $2`, now, r.PathValue("id")); err != nil {
				return err
			}
			return tx.Commit()
		}()
		if err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"id": id, "note": in.Note, "day": civil.Of(now)})
	})
	ts := httptest.NewServer(mux)
	b.Cleanup(ts.Close)
	return &benchSite{url: ts.URL, client: ts.Client(), cookie: "x=y"}
}
