package web_test

// BenchmarkReviewQueue times a department reviewer's queue (联审任务) when
// the department has 100,000 open requests: a round for 100,000 aspirants
// in a zone of 2,000 communities, 2,000,000 requests in all. Building it is
// not timed (about 15 s on SQLite, a minute on PostgreSQL):
//
//	go test ./internal/web -run '^$' -bench ReviewQueue -benchtime 200x
//
// Every page view of full ID numbers writes an audit entry, inside the timing.

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/huanjie/huanjie/internal/demo"
	"github.com/huanjie/huanjie/internal/idcard"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/vetting"
)

const reviewBenchAspirants = 100_000

func BenchmarkReviewQueue(b *testing.B) {
	for _, e := range benchEngines() {
		b.Run(string(e), func(b *testing.B) {
			bs := newReviewBenchSite(b, e)
			for _, p := range []benchPath{
				{"page-first", "/review/queue", "text/html"},
				{"page-last", "/review/queue?page=1000", "text/html"},
				{"api-first", "/api/v1/review-requests?status=open", "application/json"},
				{"api-deep", "/api/v1/review-requests?status=open&offset=99900", "application/json"},
				{"api-all", "/api/v1/review-requests", "application/json"},
			} {
				b.Run(p.name, func(b *testing.B) { timeGet(b, bs, p.path, p.contentType) })
			}
		})
	}
}

func newReviewBenchSite(b *testing.B, e store.Engine) *benchSite {
	b.Helper()
	ctx := context.Background()
	dsn := benchDSN(b, e)
	st := openBench(b, dsn)
	start := time.Now()
	// Without the demo's own aspirants: the round and the queues hold the
	// benchmark's alone (the zone has filled its districts since 2026-12-05).
	z := demo.Generate(demo.DefaultSeed, 2000).WithoutGates()
	if err := demo.Load(ctx, st, z, nil); err != nil {
		b.Fatal(err)
	}
	communities := z.CommunityCodes()
	for from := 0; from < reviewBenchAspirants; from += 10_000 {
		items := make([]vetting.Aspirant, 0, 10_000)
		for n := from; n < from+10_000; n++ {
			k := n / 1000
			first := fmt.Sprintf("990101%04d%02d%02d%03d", 1970+k/336, 1+k/28%12, 1+k%28, n%1000)
			items = append(items, vetting.Aspirant{OrgCode: communities[n%len(communities)], Name: fmt.Sprintf("参选人%d", n),
				IDNumber: first + string(idcard.CheckDigit(first)), Phone: "13812345678", Party: vetting.Masses,
				Committee: org.ResidentsCommittee, Post: vetting.CommitteeMember, Education: vetting.HighSchool})
		}
		if err := st.Zone(store.System).Write(ctx, func(tx *store.Tx) error {
			_, err := tx.ImportAspirants(ctx, items)
			return err
		}); err != nil {
			b.Fatal(err)
		}
	}
	if err := st.Zone(store.System).Write(ctx, func(tx *store.Tx) error {
		_, err := tx.StartReviewRound(ctx, vetting.Round{Kind: vetting.FirstRound, DocNo: "开发区换届办〔2026〕3号",
			Date: "2026-11-01", Deadline: "2026-12-31"})
		return err
	}); err != nil {
		b.Fatal(err)
	}
	if err := st.Analyze(ctx); err != nil {
		b.Fatal(err)
	}
	if e == store.Postgres && os.Getenv("HUANJIE_BENCH_NO_VACUUM") == "" {
		// Index-only scans of the queue need the visibility map that VACUUM
		// (autovacuum, in production) sets; without it PostgreSQL visits the
		// heap for each of the 100,000 rows counted. Off on this machine.
		db, err := sql.Open("pgx", dsn)
		if err != nil {
			b.Fatal(err)
		}
		_, err = db.ExecContext(ctx, `VACUUM ANALYZE review_requests`)
		db.Close()
		if err != nil {
			b.Fatal(err)
		}
	}
	b.Logf("%s: zone, %d aspirants and a round of %d requests in %s", e, reviewBenchAspirants, reviewBenchAspirants*20,
		time.Since(start).Round(time.Millisecond))
	return serveBench(b, st, z, "reviewer-gaj")
}
