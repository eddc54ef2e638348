package web_test

// The progress table on a zone of 10,000 communities with marks in varied
// states for every community (issue 5):
//
//	go test ./internal/web -run '^$' -bench 'Progress' -benchtime 50x
//
// Figures in docs/performance.md ("Three ones: progress and battle map").

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/demo"
	"github.com/huanjie/huanjie/internal/store"
)

func BenchmarkProgress(b *testing.B) {
	for _, e := range benchEngines() {
		b.Run(string(e), func(b *testing.B) {
			ctx := context.Background()
			st := openBench(b, benchDSN(b, e))
			z := demo.Generate(demo.DefaultSeed, benchCommunities).WithoutGates()
			if err := demo.Load(ctx, st, z, nil); err != nil {
				b.Fatal(err)
			}
			codes := z.CommunityCodes()
			start := time.Now()
			marks := demo.ProgressMarks(codes, st.Now().In(civil.Zone))
			err := st.Zone(store.System).Write(ctx, func(tx *store.Tx) error { return tx.ImportProgressMarks(ctx, marks) })
			if err != nil {
				b.Fatal(err)
			}
			if err := st.Analyze(ctx); err != nil {
				b.Fatal(err)
			}
			b.Logf("%s: %d marks imported in %s", e, len(marks), time.Since(start).Round(time.Millisecond))
			bs := serveBench(b, st, z, "admin")
			for _, p := range []benchPath{
				{"page-first", "/progress", "text/html"},
				{"page-last", "/progress?page=999999", "text/html"},
				{"page-class-C", "/progress?class=C", "text/html"},
				{"page-district", "/progress?district=" + bs.district, "text/html"},
				{"api-1000", "/api/v1/progress", "application/json"},
				{"api-district", "/api/v1/progress?district=" + bs.district, "application/json"},
				{"map-svg", "/api/v1/battle-map.svg", "image/svg+xml"},
				{"map-svg-district", "/api/v1/battle-map.svg?district=" + bs.district, "image/svg+xml"},
				{"map-svg-election", "/api/v1/battle-map.svg?by=election", "image/svg+xml"},
				{"map-page", "/map", "text/html"},
			} {
				b.Run(p.name, func(b *testing.B) { timeGet(b, bs, p.path, p.contentType) })
			}
			b.Run("LateStages", func(b *testing.B) {
				today := st.Today()
				times := make([]time.Duration, 0, 256)
				n := 0
				for b.Loop() {
					t0 := time.Now()
					late, err := st.Zone(store.System).LateStages(ctx, today, 0)
					if err != nil {
						b.Fatal(err)
					}
					times = append(times, time.Since(t0))
					n = len(late)
				}
				slices.Sort(times)
				reportPercentile(b, times, 50)
				reportPercentile(b, times, 95)
				b.ReportMetric(float64(n), "late")
			})
		})
	}
}
