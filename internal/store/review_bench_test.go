package store_test

// BenchmarkStartRound100k starts a round of joint review for 100,000
// aspirants spread over a zone of 2,000 communities: 2,000,000 requests to
// the 20 default departments. Loading the zone and registering the
// aspirants is not timed:
//
//	go test ./internal/store -run '^$' -bench StartRound100k -benchtime 1x
//
// It runs on SQLite and, when HUANJIE_TEST_POSTGRES is set, on PostgreSQL.

import (
	"os"
	"testing"
	"time"

	"github.com/huanjie/huanjie/internal/demo"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/testdb"
	"github.com/huanjie/huanjie/internal/vetting"
)

const benchAspirants = 100_000

func BenchmarkStartRound100k(b *testing.B) {
	engines := []store.Engine{store.SQLite}
	if os.Getenv(testdb.EnvPostgres) != "" {
		engines = append(engines, store.Postgres)
	}
	for _, e := range engines {
		b.Run(string(e), func(b *testing.B) {
			st := testdb.Open(b, e)
			start := time.Now()
			// Without the demo's own aspirants, whose ID numbers the benchmark's could
			// repeat (the zone has filled its districts since 2026-12-05).
			z := demo.Generate(demo.DefaultSeed, 2000).WithoutGates()
			if err := demo.Load(ctx, st, z, nil); err != nil {
				b.Fatal(err)
			}
			communities := z.CommunityCodes()
			for from := 0; from < benchAspirants; from += 10_000 {
				items := make([]vetting.Aspirant, 0, 10_000)
				for n := from; n < from+10_000; n++ {
					items = append(items, reviewAspirant(n, communities[n%len(communities)]))
				}
				err := st.Zone(store.System).Write(ctx, func(tx *store.Tx) error {
					_, err := tx.ImportAspirants(ctx, items)
					return err
				})
				if err != nil {
					b.Fatal(err)
				}
			}
			if err := st.Analyze(ctx); err != nil {
				b.Fatal(err)
			}
			b.Logf("%s: zone and %d aspirants loaded in %s", e, benchAspirants, time.Since(start).Round(time.Millisecond))
			// The zone's load is not the round's time: b.Elapsed, reported
			// below, counted it.
			b.ResetTimer()
			var requests int
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				if err := st.ResetReview(ctx); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				err := st.Zone(store.System).Write(ctx, func(tx *store.Tx) error {
					r, err := tx.StartReviewRound(ctx, vetting.Round{Kind: vetting.FirstRound,
						DocNo: "开发区换届办〔2026〕3号", Date: "2026-11-01", Deadline: "2026-11-10"})
					requests = r.Requests
					return err
				})
				if err != nil {
					b.Fatal(err)
				}
			}
			if requests != benchAspirants*20 {
				b.Fatalf("requests %d, want %d", requests, benchAspirants*20)
			}
			b.ReportMetric(float64(b.Elapsed().Seconds())/float64(b.N), "s/op")
			b.ReportMetric(float64(requests), "requests")
		})
	}
}
