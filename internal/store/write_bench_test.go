package store_test

// BenchmarkAuditedWrite times what the audit log costs a write (issue 11):
// one write through the platform of a protected record (a community's class
// override: the record's content noted by the triggers, checked against its
// digest, digested anew and the digest kept on it, one sealed entry),
// one write of a record that is not protected (a ledger note), and beside
// them "bare": the same UPDATE of the same record in a plain transaction,
// the stack's own cost.
//
//	go test ./internal/store -run '^$' -bench AuditedWrite -benchtime 2000x

import (
	"context"
	"testing"

	"github.com/huanjie/huanjie/internal/assess"
	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/demo"
	"github.com/huanjie/huanjie/internal/ledger"
	"github.com/huanjie/huanjie/internal/store"
)

func BenchmarkAuditedWrite(b *testing.B) {
	for _, e := range []store.Engine{store.SQLite, store.Postgres} {
		b.Run(string(e), func(b *testing.B) {
			ctx := context.Background()
			st := openBench(b, e)
			if err := demo.Load(ctx, st, demo.Generate(demo.DefaultSeed, demo.DefaultCommunities).WithoutGates(), nil); err != nil {
				b.Fatal(err)
			}
			zone := st.Zone(store.System)
			code := "QS-01-003"
			var item ledger.Item
			err := zone.Write(ctx, func(tx *store.Tx) error {
				var err error
				item, err = tx.AddLedgerItem(ctx, ledger.Item{OrgCode: code, Source: ledger.FromManual, Content: "基准台账事项",
					Risk: ledger.Risks[0], Owner: "责任人", Due: civil.Of(st.Now().AddDate(0, 0, 3))})
				return err
			})
			if err != nil {
				b.Fatal(err)
			}
			classes := []assess.Class{assess.B, assess.C}
			b.Run("protected", func(b *testing.B) {
				i := 0
				for b.Loop() {
					i++
					if err := zone.Write(ctx, func(tx *store.Tx) error {
						_, err := tx.SetOverride(ctx, code, classes[i%2], "包片领导研判认为选情复杂")
						return err
					}); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("note", func(b *testing.B) {
				for b.Loop() {
					if err := zone.Write(ctx, func(tx *store.Tx) error {
						_, err := tx.AddLedgerNote(ctx, item.ID, "今日进展:已联系当事人")
						return err
					}); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("bare", func(b *testing.B) {
				i := 0
				for b.Loop() {
					i++
					if err := st.BareWrite(ctx, code, string(classes[i%2])); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}
