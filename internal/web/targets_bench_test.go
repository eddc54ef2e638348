package web_test

// BenchmarkTargets times the structure targets page and its JSON twin on a
// demo zone of 10,000 communities (the target: p95 under 200 ms)
// and of 100,000 (a province: under 2 s), every community with a full
// predicted slate (a party committee of 5 and a residents' committee of 7,
// two persons on both: 12 persons) and both recommendations of its party
// committee. The slates are written straight into the tables (set-based,
// no audit): the benchmark times the page, not the writes. Only when run:
//
//	go test ./internal/web -run '^$' -bench Targets -benchtime 20x
//
// Figures in docs/performance.md.

import (
	"context"
	"database/sql"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/huanjie/huanjie/internal/demo"
	"github.com/huanjie/huanjie/internal/store"
)

func BenchmarkTargets(b *testing.B) {
	for _, e := range benchEngines() {
		b.Run(string(e), func(b *testing.B) {
			for _, n := range []int{10_000, 100_000} {
				b.Run(itoa(int64(n/1000))+"k", func(b *testing.B) {
					dsn := benchDSN(b, e)
					st := openBench(b, dsn)
					start := time.Now()
					z := demo.Generate(demo.DefaultSeed, n)
					if err := demo.Load(context.Background(), st, z, nil); err != nil {
						b.Fatal(err)
					}
					fillBenchSlates(b, e, dsn)
					b.Logf("%s: %d communities with slates in %s", e, n, time.Since(start).Round(time.Millisecond))
					bs := serveBench(b, st, z, "admin")
					for _, p := range []benchPath{
						{"page", "/targets", "text/html"},
						{"api-100", "/api/v1/targets?limit=100", "application/json"},
						{"district-page", "/targets?district=" + bs.district, "text/html"},
					} {
						b.Run(p.name, func(b *testing.B) { timeGet(b, bs, p.path, p.contentType) })
					}
					b.Run("bare-sql", func(b *testing.B) { bareTargets(b, e, dsn) })
					// Cold: every kept result forgotten first, as after a change of the
					// cycle's targets or days: the page computes the whole zone again.
					b.Run("cold-page", func(b *testing.B) {
						db := benchRawDB(b, e, dsn)
						var times []time.Duration
						for b.Loop() {
							b.StopTimer()
							if _, err := db.Exec(`DELETE FROM target_results`); err != nil {
								b.Fatal(err)
							}
							b.StartTimer()
							start := time.Now()
							bs.get(b, "/targets", "text/html")
							times = append(times, time.Since(start))
						}
						slices.Sort(times)
						reportPercentile(b, times, 50)
						reportPercentile(b, times, 95)
					})
				})
			}
		})
	}
}

// fillBenchSlates gives every community 10 qualified aspirants, a full
// slate and the party committee's two recommendations, behind the
// platform's back.
func fillBenchSlates(b *testing.B, e store.Engine, dsn string) {
	b.Helper()
	ctx := context.Background()
	db := benchRawDB(b, e, dsn)
	nums := "SELECT 0 AS k"
	for k := 1; k < 10; k++ {
		nums += " UNION ALL SELECT " + strconv.Itoa(k)
	}
	for _, stmt := range []string{
		`INSERT INTO aspirants (cycle_id, org_id, name, id_sealed, id_index, phone_sealed, sex, age, party, committee, post,
			education, status, created_by, created_at, updated_at)
		SELECT c.id, o.id, '人选' || n.k, '', o.code || '-b' || n.k, '', CASE WHEN n.k IN (1, 6) THEN '女' ELSE '男' END, 40, 'member',
			CASE WHEN n.k < 5 THEN 'party' ELSE 'residents' END, CASE WHEN n.k IN (0, 5) THEN 'secretary' ELSE 'member' END,
			CASE WHEN n.k < 3 THEN 'bachelor' ELSE 'high_school' END, 'qualified', 'bench', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP
		FROM orgs o, cycles c, (` + nums + `) n WHERE o.kind = 'community' AND c.current = TRUE`,
		`INSERT INTO slates (cycle_id, org_id, dual, set_by, set_at)
		SELECT c.id, o.id, TRUE, 'bench', CURRENT_TIMESTAMP FROM orgs o, cycles c WHERE o.kind = 'community' AND c.current = TRUE`,
		// aspirants 0–4 on the party committee (0 secretary), 3–9 on the residents' (0 director too: 一肩挑).
		`INSERT INTO slate_picks (cycle_id, org_id, committee, post, seat, aspirant_id, birth_date, source, notes)
		SELECT cycle_id, org_id, 'party', CASE WHEN name = '人选0' THEN 'secretary' ELSE 'member' END, id, id,
			CASE WHEN name = '人选2' THEN '1995-06-01' ELSE '1975-06-01' END, 'inside', ''
		FROM aspirants WHERE created_by = 'bench' AND committee = 'party'`,
		`INSERT INTO slate_picks (cycle_id, org_id, committee, post, seat, aspirant_id, birth_date, source, notes)
		SELECT cycle_id, org_id, 'residents', CASE WHEN name = '人选0' THEN 'director' ELSE 'member' END, id, id, '1980-06-01', '', ''
		FROM aspirants WHERE created_by = 'bench' AND (committee = 'residents' OR name IN ('人选0', '人选3', '人选4')) AND name <> '人选5'`,
		`INSERT INTO recommendations (cycle_id, org_id, committee, source, kind, expected, present, day, set_by, set_at)
		SELECT c.id, o.id, 'party', s.source, s.kind, 60, 50, '2026-11-20', 'bench', CURRENT_TIMESTAMP
		FROM orgs o, cycles c, (SELECT 'party' AS source, 'members' AS kind UNION ALL SELECT 'public', 'masses') s
		WHERE o.kind = 'community' AND c.current = TRUE`,
		`INSERT INTO recommendation_votes (cycle_id, org_id, committee, source, aspirant_id, post, votes)
		SELECT r.cycle_id, r.org_id, 'party', r.source, a.id, CASE WHEN a.name = '人选0' THEN 'secretary' ELSE 'member' END, 40
		FROM recommendations r JOIN aspirants a ON a.org_id = r.org_id AND a.cycle_id = r.cycle_id AND a.committee = 'party'
		WHERE a.created_by = 'bench'`,
		`ANALYZE`,
	} {
		if _, err := db.ExecContext(ctx, stmt); err != nil {
			b.Fatalf("%v: %s", err, stmt)
		}
	}
}

// bareTargets is the stack's limit for the page, measured in the same run:
// the page's two statements over the kept results (the zone's aggregate
// and the first 100 rows, all communities listed), run with database/sql
// on the same database, rows scanned and dropped, no HTTP, no template.
func bareTargets(b *testing.B, e store.Engine, dsn string) {
	db := benchRawDB(b, e, dsn)
	ctx := context.Background()
	const where = ` WHERE r.cycle_id = (SELECT id FROM cycles WHERE current = TRUE) AND o.kind = 'community' AND o.path >= '/' AND o.path < '0'`
	sums := `COUNT(*), SUM(r.united), SUM(r.posts), SUM(CASE WHEN r.hard_failed > 0 THEN 1 ELSE 0 END), SUM(CASE WHEN r.people > 0 THEN 1 ELSE 0 END),
		SUM(CASE WHEN r.people > 0 AND r.one_shoulder THEN 1 ELSE 0 END), SUM(CASE WHEN r.secretary_age >= 0 THEN 1 ELSE 0 END),
		SUM(CASE WHEN r.secretary_age >= 0 THEN r.secretary_age ELSE 0 END), SUM(r.people), SUM(r.women), SUM(r.young), SUM(r.college),
		SUM(r.high), SUM(r.cross_people), SUM(r.age_sum)`
	for i := range 5 {
		sums += `, SUM((r.met_bits / ` + strconv.Itoa(1<<i) + `) % 2)`
	}
	var times []time.Duration
	b.ResetTimer()
	for b.Loop() {
		start := time.Now()
		out := make([]any, 20)
		vals := make([]sql.NullInt64, 20)
		for i := range out {
			out[i] = &vals[i]
		}
		if err := db.QueryRowContext(ctx, `SELECT `+sums+` FROM target_results r JOIN orgs o ON o.id = r.org_id`+where).Scan(out...); err != nil {
			b.Fatal(err)
		}
		rows, err := db.QueryContext(ctx, `SELECT o.code, o.name, COALESCE(d.name, ''), r.united, r.posts, r.hard_failed, r.results
			FROM target_results r JOIN orgs o ON o.id = r.org_id LEFT JOIN orgs d ON d.id = o.parent_id`+where+` ORDER BY o.path LIMIT 100`)
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for rows.Next() {
			var code, name, district, results string
			var united, posts, failed int
			if err := rows.Scan(&code, &name, &district, &united, &posts, &failed, &results); err != nil {
				b.Fatal(err)
			}
			n++
		}
		rows.Close()
		if n != 100 {
			b.Fatalf("bare page read %d rows", n)
		}
		times = append(times, time.Since(start))
	}
	slices.Sort(times)
	reportPercentile(b, times, 50)
	reportPercentile(b, times, 95)
}

// benchRawDB opens the benchmark's database behind the platform's back,
// closed when b ends.
func benchRawDB(b *testing.B, e store.Engine, dsn string) *sql.DB {
	driver, source := "pgx", dsn
	if e == store.SQLite {
		driver, source = "sqlite", store.SQLiteURI(strings.TrimPrefix(dsn, "sqlite:"))
	}
	db, err := sql.Open(driver, source)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return db
}
