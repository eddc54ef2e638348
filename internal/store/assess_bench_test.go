package store_test

// BenchmarkReclassify100k times the classification of a whole zone of
// 100,000 communities, the "Three classes" target (under 5 s on
// SQLite). The zone is the demo one (demo.Generate(DefaultSeed, 100000)),
// loaded once per engine outside the timing, and only when the benchmark
// runs, so a plain `go test ./...` never pays for it:
//
//	go test ./internal/store -run '^$' -bench Reclassify100k -benchtime 3x
//
// Sub-benchmarks, on SQLite and, when HUANJIE_TEST_POSTGRES is set, on
// PostgreSQL too:
//
//	unchanged  tx.Reclassify with nothing to change: reads and reclassifies
//	           every community, writes nothing but the audit entry.
//	rules90    tx.SaveRules moving the A line between 80 (the default) and
//	rules95    90 or 95 on each iteration: every A or B community's
//	           explanation (which quotes the lines) is rewritten, about
//	           87,500 rows, and 2,451 (90) or 37,512 (95) classes change.
//	           The realistic worst case, with writes.
//
// Each reports s/op (mean) and max-s, the communities classified, the
// classes changed and the standings rewritten per iteration. Run with -v to
// see how long loading the zone took. The figures are in docs/performance.md.

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/huanjie/huanjie/internal/assess"
	"github.com/huanjie/huanjie/internal/demo"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/testdb"
)

// reclassifyCommunities is the size of the zone the issue names.
const reclassifyCommunities = 100_000

// BenchmarkReclassify100k times classifying the whole 100,000-community
// zone; see the comment at the top of the file.
func BenchmarkReclassify100k(b *testing.B) {
	engines := []store.Engine{store.SQLite}
	if os.Getenv(testdb.EnvPostgres) != "" {
		engines = append(engines, store.Postgres)
	}
	for _, e := range engines {
		// This function runs once: it holds sub-benchmarks, so the zone
		// below is loaded once per engine and shared by all of them.
		b.Run(string(e), func(b *testing.B) {
			st, z := loadBenchZone(b, e, reclassifyCommunities)
			b.Run("unchanged", func(b *testing.B) {
				benchReclassify(b, st, 0, func(ctx context.Context, tx *store.Tx) (store.Reclassified, error) {
					return tx.Reclassify(ctx, "基准测试")
				})
			})
			for _, aMin := range []int{90, 95} {
				b.Run("rules"+strconv.Itoa(aMin), func(b *testing.B) {
					benchRules(b, st, z, aMin)
				})
			}
		})
	}
}

// benchRules moves the A line between the default 80 and aMin with
// SaveRules on each iteration, and puts it back to 80 afterwards.
func benchRules(b *testing.B, st *store.Store, z demo.Zone, aMin int) {
	ctx := context.Background()
	rules, err := st.Zone(store.System).AssessRules(ctx)
	if err != nil {
		b.Fatal(err)
	}
	if rules.AMin != assess.DefaultRules().AMin {
		b.Fatalf("A line at %d, want the default", rules.AMin)
	}
	// Rows a move rewrites: the class or the explanation (which quotes the
	// lines) changes. The same both ways.
	moved := rules
	moved.AMin = aMin
	written := 0
	rubric := assess.DefaultRubric()
	for _, a := range z.Assessments {
		x, y := assess.Classify(rubric, rules, a.Scores), assess.Classify(rubric, moved, a.Scores)
		if x.Class != y.Class || x.Explanation != y.Explanation {
			written++
		}
	}
	save := func(ctx context.Context, tx *store.Tx) (store.Reclassified, error) {
		if rules.AMin == aMin {
			rules.AMin = assess.DefaultRules().AMin
		} else {
			rules.AMin = aMin
		}
		return tx.SaveRules(ctx, rules)
	}
	benchReclassify(b, st, written, save)
	if rules.AMin != assess.DefaultRules().AMin {
		// Untimed: b.Loop has stopped the timer.
		if err := st.Zone(store.System).Write(ctx, func(tx *store.Tx) error { _, err := save(ctx, tx); return err }); err != nil {
			b.Fatal(err)
		}
	}
}

// benchReclassify runs step in its own write transaction per iteration and
// reports seconds per iteration, communities classified and classes changed.
func benchReclassify(b *testing.B, st *store.Store, written int, step func(context.Context, *store.Tx) (store.Reclassified, error)) {
	ctx := context.Background()
	var n, communities, changed int
	var total, worst time.Duration
	for b.Loop() {
		var got store.Reclassified
		start := time.Now()
		err := st.Zone(store.System).Write(ctx, func(tx *store.Tx) error {
			var err error
			got, err = step(ctx, tx)
			return err
		})
		d := time.Since(start)
		if err != nil {
			b.Fatal(err)
		}
		n++
		total += d
		worst = max(worst, d)
		communities = got.Communities
		changed += got.Changed
	}
	if communities != reclassifyCommunities {
		b.Fatalf("classified %d communities, want %d", communities, reclassifyCommunities)
	}
	b.ReportMetric(total.Seconds()/float64(n), "s/op")
	b.ReportMetric(worst.Seconds(), "max-s")
	b.ReportMetric(float64(communities), "communities")
	b.ReportMetric(float64(changed)/float64(n), "changed/op")
	b.ReportMetric(float64(written), "written/op")
}

// loadBenchZone opens a fresh database of engine e, loads the demo zone of n
// communities into it, logging how long each part took, and returns it.
func loadBenchZone(b *testing.B, e store.Engine, n int) (*store.Store, demo.Zone) {
	b.Helper()
	ctx := context.Background()
	var dsn string
	if e == store.Postgres {
		dsn = testdb.PostgresSchema(b, os.Getenv(testdb.EnvPostgres))
	} else {
		dsn = "sqlite:" + filepath.Join(b.TempDir(), "bench.db")
	}
	st, err := store.Open(ctx, dsn, testdb.Options(b))
	if err != nil {
		b.Fatalf("open %s: %v", e, err)
	}
	b.Cleanup(func() { st.Close() })
	start := time.Now()
	z := demo.Generate(demo.DefaultSeed, n)
	b.Logf("%s: generated %d units, %d assessments in %s", e, len(z.Units), len(z.Assessments), time.Since(start).Round(time.Millisecond))
	start = time.Now()
	// Load reports one line per batch, "组织 …" for units and "研判 …" for
	// assessments (classified as they are written); keep when each part ended.
	var unitsAt, assessAt time.Duration
	err = demo.Load(ctx, st, z, func(line string) {
		switch {
		case strings.HasPrefix(line, "组织"):
			unitsAt = time.Since(start)
		case strings.HasPrefix(line, "研判"):
			assessAt = time.Since(start)
		}
	})
	if err != nil {
		b.Fatalf("load demo zone: %v", err)
	}
	b.Logf("%s: loaded in %s: units %s, assessments with their classes %s", e, time.Since(start).Round(time.Millisecond),
		unitsAt.Round(time.Millisecond), (assessAt - unitsAt).Round(time.Millisecond))
	counts, err := st.Zone(store.System).ClassCounts(ctx)
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("%s: classes A %d, B %d, C %d, unassessed %d", e, counts[assess.A], counts[assess.B], counts[assess.C], counts[assess.Unassessed])
	return st, z
}
