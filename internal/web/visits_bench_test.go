package web_test

// The visits at scale (issue 16, "Done when"):
//
//	go test ./internal/web -run '^$' -bench 'Coverage10k' -benchtime 50x
//	go test ./internal/web -run '^$' -bench 'VisitSync500' -benchtime 3x
//
// Figures in docs/performance.md ("Visits").

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/demo"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/visit"
)

// Per community of the coverage benchmark's zone: households on the
// register, party members and representatives, and visits (4 to a
// household in every third, 3 to the others: one a round, two in the
// round before).
const (
	benchHouseholds = 300
	benchPeople     = 20
	benchMembers    = 7 // persons, one of them holding both posts
	benchTalks      = 5 // of them talked to in the round before
)

// BenchmarkCoverage10k times the coverage pages of a zone of 10,000
// communities with 10,000,000 visits (target: page p95 under 200 ms): the
// round's page (the totals, the districts and a page of communities), the
// communities below the target, and the API's JSON. The registers and the
// visits are written by the database's own INSERT … SELECT (3,000,000
// households, 200,000 people, 10,000,000 visits to households and the
// households each round reached, a community missing from 0 to 40% of its
// visits; 80,000 rows of sitting members, 7 persons a community, 5 of them
// talked to), not through the platform, which would take hours, then the
// counts coverage reads are made from them (Store.RebuildVisitCounts); the
// timer starts after.
// Beside them, in the same run on the same database, the bare stack: a
// plain Go HTTP handler running the page's statements and writing their
// rows as JSON, without session, scope, or template.
func BenchmarkCoverage10k(b *testing.B) {
	for _, e := range benchEngines() {
		b.Run(string(e), func(b *testing.B) {
			ctx := context.Background()
			dsn := benchDSN(b, e)
			st := openBench(b, dsn)
			z := demo.Generate(demo.DefaultSeed, benchCommunities).WithoutGates()
			start := time.Now()
			if err := demo.Load(ctx, st, z, nil); err != nil {
				b.Fatal(err)
			}
			b.Logf("%s: zone of %d communities loaded in %s", e, benchCommunities, time.Since(start).Round(time.Millisecond))
			today := st.Today()
			office := st.Zone(store.System)
			if err := office.Write(ctx, func(tx *store.Tx) error {
				for i, r := range visit.Rounds {
					if _, err := tx.SetCampaign(ctx, visit.Campaign{Round: r, StartsOn: today.AddDays(-90 + 30*i),
						EndsOn: today.AddDays(-61 + 30*i), HouseholdPercent: visit.DefaultHouseholdPercent, TalkAll: r == visit.Before}); err != nil {
						return err
					}
				}
				return nil
			}); err != nil {
				b.Fatal(err)
			}
			raw := benchRawDB(b, e, dsn)
			start = time.Now()
			visits := seedVisits(b, raw, st.Now())
			if err := st.RebuildVisitCounts(ctx); err != nil {
				b.Fatal(err)
			}
			if err := st.Analyze(ctx); err != nil {
				b.Fatal(err)
			}
			b.Logf("%s: %d visits and their registers written in %s", e, visits, time.Since(start).Round(time.Millisecond))
			if visits != 10_000_000 {
				b.Fatalf("%d visits to households, want 10,000,000", visits)
			}
			bs := serveBench(b, st, z, "admin")
			for _, p := range []benchPath{
				{"page", "/visits/coverage?round=before", "text/html"},
				{"page-below", "/visits/coverage?round=before&below=1", "text/html"},
				{"api", "/api/v1/coverage?round=before", "application/json"},
			} {
				b.Run(p.name, func(b *testing.B) { timeGet(b, bs, p.path, p.contentType) })
			}
			bare := bareCoverage(b, raw, e)
			b.Run("bare", func(b *testing.B) { timeGet(b, bare, "/", "application/json") })
		})
	}
}

// seedVisits writes the registers and visits of every community in the
// current cycle and returns how many visits to households there are.
func seedVisits(b *testing.B, db *sql.DB, now time.Time) int {
	b.Helper()
	stmts := []string{
		`CREATE TABLE bench_seq (n INTEGER PRIMARY KEY)`,
		`INSERT INTO bench_seq (n) VALUES ` + seqValues(benchHouseholds),
		`INSERT INTO visit_households (cycle_id, org_id, address, head, size, phone_enc, group_name, created_by, created_at)
			SELECT (SELECT MAX(id) FROM cycles), o.id, '幸福里' || s.n || '号', '户主' || s.n, 1 + s.n % 5, '',
				'第' || (1 + s.n / 50) || '网格', 'bench', $1
			FROM orgs o CROSS JOIN bench_seq s WHERE o.kind = 'community'`,
		`INSERT INTO visit_people (cycle_id, org_id, kind, name, group_name, phone_enc, created_by, created_at)
			SELECT (SELECT MAX(id) FROM cycles), o.id, CASE WHEN s.n % 2 = 0 THEN 'party_member' ELSE 'representative' END,
				'居民' || s.n, '', '', 'bench', $1
			FROM orgs o CROSS JOIN bench_seq s WHERE o.kind = 'community' AND s.n <= ` + fmt.Sprint(benchPeople),
		`INSERT INTO visits (client_id, cycle_id, org_id, round, household_id, visitors, visited_on, method, missed, recorded_by, recorded_at)
			SELECT 'bench-' || h.id || '-' || r.n, h.cycle_id, h.org_id,
				CASE r.n WHEN 2 THEN 'during' WHEN 3 THEN 'after' ELSE 'before' END, h.id, '["走访员"]', '2026-10-0' || r.n, 'door',
				(h.id * 7 + r.n) % 10 < h.org_id % 5, 'bench', $1
			FROM visit_households h CROSS JOIN bench_seq r WHERE r.n <= 4 AND (r.n < 4 OR h.id % 3 = 0)`,
		`INSERT INTO visit_reached (cycle_id, round, kind, target_id, org_id, visit_id)
			SELECT cycle_id, round, 'h', household_id, org_id, MIN(id) FROM visits WHERE NOT missed
			GROUP BY cycle_id, round, household_id, org_id`,
		// Seven sitting members a community, the first holding both posts
		// (一肩挑: a second row, written after the others), and a talk in the
		// round before to each of the first five.
		`INSERT INTO members (org_id, cycle_id, name, sex, birth_date, committee, post, party_member)
			SELECT o.id, (SELECT MAX(id) FROM cycles), '委员' || s.n, '男', '1970-01-0' || s.n,
				CASE WHEN s.n <= 3 THEN 'party' ELSE 'residents' END, CASE WHEN s.n = 1 THEN '书记' ELSE '委员' END, TRUE
			FROM orgs o CROSS JOIN bench_seq s WHERE o.kind = 'community' AND s.n <= ` + fmt.Sprint(benchMembers),
		`INSERT INTO members (org_id, cycle_id, name, sex, birth_date, committee, post, party_member)
			SELECT o.id, (SELECT MAX(id) FROM cycles), '委员1', '男', '1970-01-01', 'residents', '主任', TRUE
			FROM orgs o WHERE o.kind = 'community'`,
		`INSERT INTO visits (client_id, cycle_id, org_id, round, member_id, visitors, visited_on, method, missed, recorded_by, recorded_at)
			SELECT 'bench-m-' || m.id, m.cycle_id, m.org_id, 'before', m.id, '["调研员"]', '2026-10-05', 'meeting', FALSE, 'bench', $1
			FROM members m WHERE m.post <> '主任' AND m.birth_date <= '1970-01-0` + fmt.Sprint(benchTalks) + `'`,
		`INSERT INTO visit_reached (cycle_id, round, kind, target_id, org_id, visit_id)
			SELECT cycle_id, round, 'm', member_id, org_id, id FROM visits WHERE member_id > 0`,
		`DROP TABLE bench_seq`,
	}
	for _, q := range stmts {
		var args []any
		if strings.Contains(q, "$1") {
			args = append(args, now)
		}
		if _, err := db.Exec(q, args...); err != nil {
			b.Fatalf("%s: %v", q, err)
		}
	}
	var n int
	if err := db.QueryRow(`SELECT COUNT(*) FROM visits WHERE household_id > 0`).Scan(&n); err != nil {
		b.Fatal(err)
	}
	return n
}

func seqValues(n int) string {
	var v strings.Builder
	for i := 1; i <= n; i++ {
		if i > 1 {
			v.WriteString(", ")
		}
		fmt.Fprintf(&v, "(%d)", i)
	}
	return v.String()
}

// bareCoverage serves, at /, the statements of the coverage page (the
// store's Coverage written out, for the round before over the whole zone:
// the roots' counts, the districts counted and the first 100 with their
// counts, a page of 100 communities with theirs) with plain database/sql,
// the rows written as JSON: the bare stack.
func bareCoverage(b *testing.B, db *sql.DB, e store.Engine) *benchSite {
	count := func(round, kind string) string {
		return `COALESCE((SELECT c.n FROM visit_counts c WHERE c.cycle_id = $1 AND c.org_id = o.id AND c.round = ` + round +
			` AND c.kind = '` + kind + `'), 0)`
	}
	counts := count(`''`, "h") + `, ` + count("$2", "h") + `, ` + count(`''`, "p") + ` - ` + count("$2", "p") + ` + ` +
		count(`''`, "m") + ` - ` + count("$2", "m")
	districts := ` FROM orgs o WHERE o.kind <> 'community' AND o.path >= $3 AND o.path < $4
		AND EXISTS (SELECT 1 FROM orgs k WHERE k.parent_id = o.id AND k.kind = 'community')`
	statements := []string{
		`SELECT o.code, o.name, '', ` + counts + ` FROM orgs o WHERE o.parent_id IS NULL AND $3 < $4`,
		`SELECT '', '', '', COUNT(*), 0, 0` + districts,
		`SELECT o.code, o.name, '', ` + counts + districts + ` ORDER BY o.path LIMIT 100`,
		`SELECT o.code, o.name, COALESCE(d.name, ''), ` + counts + ` FROM (SELECT o.id FROM orgs o WHERE o.kind = 'community'
			AND o.path >= $3 AND o.path < $4 ORDER BY o.path LIMIT 100) pg JOIN orgs o ON o.id = pg.id LEFT JOIN orgs d ON d.id = o.parent_id`,
	}
	var cycle int64
	if err := db.QueryRow(`SELECT MAX(id) FROM cycles`).Scan(&cycle); err != nil {
		b.Fatal(err)
	}
	type row struct {
		Code, Name, District           string
		Households, Reached, TalksOwed int
	}
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		out := [][]row{}
		for _, q := range statements {
			rows, err := db.QueryContext(r.Context(), q, cycle, string(visit.Before), "/", "0")
			if err != nil {
				http.Error(w, err.Error(), 500)
				return
			}
			part := []row{}
			for rows.Next() {
				var x row
				if err := rows.Scan(&x.Code, &x.Name, &x.District, &x.Households, &x.Reached, &x.TalksOwed); err != nil {
					rows.Close()
					http.Error(w, err.Error(), 500)
					return
				}
				part = append(part, x)
			}
			rows.Close()
			out = append(out, part)
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(out)
	}))
	b.Cleanup(ts.Close)
	return &benchSite{url: ts.URL, client: ts.Client(), cookie: "x=y"}
}

// BenchmarkVisitSync500 times a phone's sync (target: 500 queued visits in
// under 5 s): community1 of the demo zone posts 500 visits to its
// households to POST /api/v1/visits one after another, as
// static/visits-offline.js sends its queue (each with its client id; every
// tenth with a problem that becomes a ledger item). An iteration is one
// sync of 500; it reports seconds a sync and the p50/p95 of one post.
// Beside it, in the same run on the same database, the bare stack: a plain
// Go HTTP handler that decodes the same JSON and inserts the visit and the
// household reached in one transaction, without session, scope, checks,
// ledger or audit.
func BenchmarkVisitSync500(b *testing.B) {
	for _, e := range benchEngines() {
		b.Run(string(e), func(b *testing.B) {
			ctx := context.Background()
			z := demo.Generate(demo.DefaultSeed, demo.DefaultCommunities)
			st, dsn := loadBench(b, e, z)
			code := z.Units[2].Code // community1's
			if z.Units[2].Kind != org.Community {
				b.Fatalf("%s is not a community", code)
			}
			zone := st.Zone(store.System)
			page, err := zone.Households(ctx, code, 0, 0)
			if err != nil || len(page.Households) == 0 {
				b.Fatalf("households of %s: %d %v", code, len(page.Households), err)
			}
			campaigns, err := zone.Campaigns(ctx)
			if err != nil {
				b.Fatal(err)
			}
			today := st.Today()
			round := visit.Round("")
			for _, c := range campaigns {
				if c.StartsOn != "" && c.StartsOn <= today && (c.EndsOn == "" || today <= c.EndsOn) {
					round = c.Round
				}
			}
			if round == "" {
				b.Fatalf("no round under way on %s: %+v", today, campaigns)
			}
			bodies := func(it int) [][]byte {
				out := make([][]byte, 500)
				for i := range out {
					v := map[string]any{"community": code, "client_id": fmt.Sprintf("%08d-0000-4000-8000-%012d", it, i),
						"round": round, "household_id": page.Households[i%len(page.Households)].ID, "visitors": []string{"李秀英"},
						"visited_on": today, "method": "door"}
					if round == visit.During {
						v["topics"] = "学习党史,宣讲惠民政策"
					}
					if i%10 == 0 {
						v["problems"] = []map[string]any{{"category": "facilities", "urgency": "normal", "text": "楼道灯不亮",
							"follow_up": true, "owner": "网格员", "due": today.AddDays(7)}}
					}
					out[i], _ = json.Marshal(v)
				}
				return out
			}
			bs := serveBench(b, st, z, "community1")
			b.Run("app", func(b *testing.B) {
				times := syncTimes(b, bs, bodies)
				reportPercentile(b, times, 50)
				reportPercentile(b, times, 95)
			})

			raw := benchRawDB(b, e, dsn)
			bare := bareVisits(b, raw, e)
			b.Run("bare", func(b *testing.B) {
				times := syncTimes(b, bare, func(it int) [][]byte { return bodies(it + 1_000_000) })
				reportPercentile(b, times, 50)
				reportPercentile(b, times, 95)
			})
		})
	}
}

// syncTimes posts the 500 bodies of each iteration one after another and
// returns each post's time; a post answered otherwise than 201 fails.
func syncTimes(b *testing.B, bs *benchSite, bodies func(it int) [][]byte) []time.Duration {
	var times []time.Duration
	var syncs time.Duration
	b.ResetTimer()
	for it := 0; b.Loop(); it++ {
		b.StopTimer()
		list := bodies(it)
		b.StartTimer()
		start := time.Now()
		for _, body := range list {
			t0 := time.Now()
			req, err := http.NewRequest(http.MethodPost, bs.url+"/api/v1/visits", strings.NewReader(string(body)))
			if err != nil {
				b.Fatal(err)
			}
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Accept", "application/json")
			req.Header.Set("Cookie", bs.cookie)
			res, err := bs.client.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			var answer struct {
				Error *struct{ Message, Field string } `json:"error"`
			}
			json.NewDecoder(res.Body).Decode(&answer)
			res.Body.Close()
			if res.StatusCode != http.StatusCreated {
				b.Fatalf("POST /api/v1/visits: %s %+v", res.Status, answer.Error)
			}
			times = append(times, time.Since(t0))
		}
		syncs += time.Since(start)
	}
	b.ReportMetric(syncs.Seconds()/float64(b.N), "s/sync")
	slices.Sort(times)
	return times
}

// bareVisits serves, at /api/v1/visits, a plain handler that stores a
// visit's row and its household reached: the bare stack of a sync.
func bareVisits(b *testing.B, db *sql.DB, e store.Engine) *benchSite {
	var cycle int64
	if err := db.QueryRow(`SELECT MAX(id) FROM cycles`).Scan(&cycle); err != nil {
		b.Fatal(err)
	}
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var v struct {
			Community string     `json:"community"`
			ClientID  string     `json:"client_id"`
			Round     string     `json:"round"`
			Household int64      `json:"household_id"`
			Visitors  []string   `json:"visitors"`
			Day       civil.Date `json:"visited_on"`
			Method    string     `json:"method"`
			Topics    string     `json:"topics"`
		}
		if err := json.NewDecoder(r.Body).Decode(&v); err != nil {
			http.Error(w, err.Error(), 400)
			return
		}
		visitors, _ := json.Marshal(v.Visitors)
		err := func() error {
			tx, err := db.BeginTx(r.Context(), nil)
			if err != nil {
				return err
			}
			defer tx.Rollback()
			var id int64
			if err := tx.QueryRow(`INSERT INTO visits (client_id, cycle_id, org_id, round, household_id, visitors, visited_on, method, topics,
				recorded_by, recorded_at) VALUES ($1, $2, (SELECT id FROM orgs WHERE code = $3), $4, $5, $6, $7, $8, $9, 'bare', $10) RETURNING id`,
				v.ClientID, cycle, v.Community, v.Round, v.Household, string(visitors), v.Day, v.Method, v.Topics, time.Now()).Scan(&id); err != nil {
				return err
			}
			if _, err := tx.Exec(`INSERT INTO visit_reached (cycle_id, round, kind, target_id, org_id, visit_id)
				VALUES ($1, $2, 'h', $3, (SELECT org_id FROM visits WHERE id = $4), $4) ON CONFLICT DO NOTHING`, cycle, v.Round, v.Household, id); err != nil {
				return err
			}
			return tx.Commit()
		}()
		if err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		w.Write([]byte(`{}`))
	}))
	b.Cleanup(ts.Close)
	return &benchSite{url: ts.URL, client: ts.Client(), cookie: "x=y"}
}
