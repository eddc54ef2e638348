package store_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/huanjie/huanjie/internal/demo"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/visit"
)

// BenchmarkImportHouseholds1M times the household registers' import (issue
// 16, "Done when": 1,000,000 households at 100k rows/s or more on SQLite,
// within 3× of a bare batch insert measured in the same run): 50
// communities of a demo zone each import a register of 20,000 households
// (an import's largest, visit.MaxImportRows), one write each
// (Tx.ImportHouseholds: every row checked, one address once, the phone
// sealed, the ids read back, the audit entry). Then, in the same run on the
// same database, the bare baseline: the same rows into 50 other
// communities with plain database/sql, 100 rows a statement, one
// transaction each (Store.BareInsertHouseholds). The registers are made
// before the timer, community by community.
//
//	go test ./internal/store -run '^$' -bench ImportHouseholds1M -benchtime 1x
//
// Reports rows/s of the platform and of the bare insert, and their ratio.
func BenchmarkImportHouseholds1M(b *testing.B) {
	const communities, per = 50, visit.MaxImportRows
	for _, e := range []store.Engine{store.SQLite, store.Postgres} {
		b.Run(string(e), func(b *testing.B) {
			st := openBench(b, e)
			z := demo.Generate(demo.DefaultSeed, 2*communities).WithoutGates()
			if err := demo.Load(ctx, st, z, nil); err != nil {
				b.Fatal(err)
			}
			codes := z.CommunityCodes()
			if len(codes) < 2*communities {
				b.Fatalf("%d communities, want %d", len(codes), 2*communities)
			}
			cycleID, err := st.QueryInt(ctx, `SELECT MAX(id) FROM cycles`)
			if err != nil {
				b.Fatal(err)
			}
			office := st.Zone(store.System)
			var took, bare time.Duration
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				for c := range communities {
					b.StopTimer()
					list := households(i, c, per)
					b.StartTimer()
					start := time.Now()
					if err := office.Write(ctx, func(tx *store.Tx) error {
						_, err := tx.ImportHouseholds(ctx, codes[c], list)
						return err
					}); err != nil {
						b.Fatal(err)
					}
					took += time.Since(start)
					if list[per-1].ID == 0 {
						b.Fatal("the import did not give the households their ids")
					}
				}
				b.StopTimer()
				for c := communities; c < 2*communities; c++ {
					list := households(i, c, per)
					orgID, err := st.QueryInt(ctx, `SELECT id FROM orgs WHERE code = '`+codes[c]+`'`)
					if err != nil {
						b.Fatal(err)
					}
					start := time.Now()
					if err := st.BareInsertHouseholds(ctx, int64(cycleID), int64(orgID), list); err != nil {
						b.Fatal(err)
					}
					bare += time.Since(start)
				}
				b.StartTimer()
			}
			b.StopTimer()
			rows := float64(b.N * communities * per)
			b.ReportMetric(rows/took.Seconds(), "rows/s")
			b.ReportMetric(rows/bare.Seconds(), "bare-rows/s")
			b.ReportMetric(took.Seconds()/bare.Seconds(), "x-bare")
		})
	}
}

// households is register c of run i: n households with addresses of their
// own, heads, sizes, phones and groups.
func households(i, c, n int) []visit.Household {
	out := make([]visit.Household, n)
	for k := range out {
		out[k] = visit.Household{Address: fmt.Sprintf("第%d期%d栋%d单元%d室", i+1, k/100+1, k/20%5+1, k%20+101),
			Head: "户主" + fmt.Sprint(k%997), Size: k%6 + 1, Phone: fmt.Sprintf("139%08d", (c*n+k)%100000000),
			Group: fmt.Sprintf("第%d网格", k/500+1)}
	}
	return out
}
