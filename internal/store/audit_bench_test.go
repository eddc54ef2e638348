package store_test

// BenchmarkVerifyAudit times `huanjie audit verify` (Store.VerifyAudit) on a
// log of 1,000,000 entries whose protected records are 100,000 ledger items,
// with the checkpoint file holding one checkpoint of the head, only when the
// benchmark runs:
//
//	go test ./internal/store -run '^$' -bench VerifyAudit -benchtime 3x
//
// Beside each engine's figure, "bare" reads the same rows with plain
// database/sql and computes one HMAC-SHA256 per row: the stack's own cost.
// Target (issue 11): under 10 s on SQLite.

import (
	"context"
	"testing"
	"time"

	"github.com/huanjie/huanjie/internal/store"
)

const (
	benchEntries = 1_000_000
	benchRecords = 100_000
)

func BenchmarkVerifyAudit(b *testing.B) {
	for _, e := range []store.Engine{store.SQLite, store.Postgres} {
		b.Run(string(e), func(b *testing.B) {
			ctx := context.Background()
			st := openBench(b, e)
			start := time.Now()
			if err := st.SeedVerifyBench(ctx, benchRecords, benchEntries); err != nil {
				b.Fatal(err)
			}
			if _, err := st.Checkpoint(ctx); err != nil {
				b.Fatal(err)
			}
			b.Logf("%s: %d entries, %d protected records seeded in %s", e, benchEntries, benchRecords, time.Since(start).Round(time.Second))
			b.Run("verify", func(b *testing.B) {
				for b.Loop() {
					r, err := st.VerifyAudit(ctx, nil)
					if err != nil || !r.OK() || r.Entries != benchEntries || r.Records != benchRecords {
						b.Fatalf("verify: %+v %v", r, err)
					}
				}
				b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N)/1000, "s/verify")
			})
			b.Run("bare", func(b *testing.B) {
				key := make([]byte, 32)
				for b.Loop() {
					if n, err := st.BareVerify(ctx, key); err != nil || n != benchEntries+benchRecords {
						b.Fatalf("bare: %d %v", n, err)
					}
				}
				b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N)/1000, "s/verify")
			})
		})
	}
}
