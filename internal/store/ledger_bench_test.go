package store_test

// BenchmarkLedger1M times the ledger's part of the daily agenda and the
// ledger pages on a zone of 10,000 communities (demo.Generate(DefaultSeed,
// 10000).WithoutGates()) with 1,000,000 ledger items bulk-loaded by
// ImportLedgerItems with their events and notes, only when the benchmark
// runs:
//
//	go test ./internal/store -run '^$' -bench Ledger1M -benchtime 20x
//
// Sub-benchmarks (admin scope, today 2026-11-27): due (DueAndOverdue),
// closings (Closings), community (CommunityLedger of one community), daily
// (what /ledger/today reads: a page of DueAndOverduePage with its count,
// and DueMeasures, NotesOn and Closings cut at 300 with their totals).
// Each reports p50 and p95 in ms.

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/demo"
	"github.com/huanjie/huanjie/internal/ledger"
	"github.com/huanjie/huanjie/internal/store"
)

// ledgerSeed makes n items over the communities codes, created over the 60
// days before today, most of the past ones closed.
func ledgerSeed(codes []string, n int, today time.Time) []store.LedgerImport {
	rng := rand.New(rand.NewPCG(1, 2))
	day := func(d int) civil.Date { return civil.Of(today.AddDate(0, 0, d)) }
	risks := ledger.Risks
	sources := []ledger.Source{ledger.FromVisit, ledger.FromTip, ledger.FromMeeting, ledger.FromManual}
	out := make([]store.LedgerImport, n)
	for i := range out {
		created := -rng.IntN(60)
		due := created + 3 + rng.IntN(18)
		it := ledger.Item{OrgCode: codes[i%len(codes)], Source: sources[rng.IntN(len(sources))], Content: fmt.Sprintf("台账事项 %d:走访发现的问题及整改", i),
			Risk: risks[rng.IntN(3)], Owner: "责任人" + fmt.Sprint(i%97), Leader: "包社区领导" + fmt.Sprint(i%31), Due: day(due),
			Status: ledger.Open, CreatedOn: day(created)}
		var started civil.Date
		if rng.IntN(2) == 0 {
			started, it.Status = day(min(0, created+1)), ledger.InProgress
		}
		closeP := 50
		if due < 0 {
			closeP = 95 // most past-due items are closed; the rest are overdue
		}
		if rng.IntN(100) < closeP {
			c := min(0, created+rng.IntN(max(1, due-created+3)))
			it.Status, it.ClosedOn, it.ClosingNote = ledger.Closed, day(c), "已办结"
		}
		if i%3 == 0 {
			it.Notes = []ledger.Note{{Day: day(min(0, created+1)), Note: "今日进展:已联系当事人"}}
		}
		out[i] = store.LedgerImport{Item: it, StartedOn: started}
	}
	return out
}

// ledgerZone opens a fresh store on engine e (skipping when PostgreSQL is
// not configured) with the clock at 2026-11-27 09:00, loads the zone of
// 10,000 communities and 1,000,000 ledger items of ledgerSeed, and returns
// the store, the community codes and now.
func ledgerZone(b *testing.B, e store.Engine) (*store.Store, []string, time.Time) {
	b.Helper()
	ctx := context.Background()
	st := openBench(b, e)
	now := time.Date(2026, 11, 27, 9, 0, 0, 0, civil.Zone)
	st.SetClock(func() time.Time { return now })
	z := demo.Generate(demo.DefaultSeed, 10000).WithoutGates()
	start := time.Now()
	if err := demo.Load(ctx, st, z, nil); err != nil {
		b.Fatal(err)
	}
	codes := z.CommunityCodes()
	zoneTook := time.Since(start)
	start = time.Now()
	if err := st.Zone(store.System).ImportLedgerItems(ctx, ledgerSeed(codes, 1_000_000, now), nil); err != nil {
		b.Fatal(err)
	}
	if err := st.Analyze(ctx); err != nil {
		b.Fatal(err)
	}
	b.Logf("%s: zone of %d communities loaded in %s, 1,000,000 ledger items in %s", e, len(codes), zoneTook, time.Since(start))
	return st, codes, now
}

// timeRuns runs fn as sub-benchmark name and reports its p50 and p95 in ms.
func timeRuns(b *testing.B, name string, fn func() error) {
	b.Run(name, func(b *testing.B) { timeRunsIn(b, fn) })
}

// timeRunsIn runs fn b.N times and reports its p50 and p95 in ms.
func timeRunsIn(b *testing.B, fn func() error) {
	var ds []time.Duration
	for b.Loop() {
		t0 := time.Now()
		if err := fn(); err != nil {
			b.Fatal(err)
		}
		ds = append(ds, time.Since(t0))
	}
	slices.Sort(ds)
	b.ReportMetric(float64(ds[len(ds)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(ds[(len(ds)*95)/100].Microseconds())/1000, "p95-ms")
}

func BenchmarkLedger1M(b *testing.B) {
	for _, e := range []store.Engine{store.SQLite, store.Postgres} {
		b.Run(string(e), func(b *testing.B) {
			ctx := context.Background()
			st, codes, now := ledgerZone(b, e)
			zone := st.Zone(store.System)
			today := civil.Of(now)
			due, _ := zone.DueAndOverdue(ctx, today)
			closings, _, _ := zone.Closings(ctx, today, 0)
			b.Logf("due or overdue today: %d, closed today: %d", len(due), len(closings))
			time1 := func(name string, fn func() error) { timeRuns(b, name, fn) }
			time1("due", func() error { _, err := zone.DueAndOverdue(ctx, today); return err })
			time1("closings", func() error { _, _, err := zone.Closings(ctx, today, 0); return err })
			i := 0
			time1("community", func() error {
				i++
				_, err := zone.CommunityLedger(ctx, codes[(i*7919)%len(codes)])
				return err
			})
			time1("daily", func() error {
				if _, _, err := zone.DueAndOverduePage(ctx, today, 0, 100); err != nil {
					return err
				}
				if _, err := zone.DueMeasures(ctx, today, 300); err != nil {
					return err
				}
				if _, _, err := zone.NotesOn(ctx, today, 300); err != nil {
					return err
				}
				_, _, err := zone.Closings(ctx, today, 300)
				return err
			})
		})
	}
}
