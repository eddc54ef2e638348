package store_test

// BenchmarkTally3000 times 唱票 through the store (issue 15, "Done when":
// each mark under 50 ms p95 with live totals): at one station of the party
// committee's first ballot of QS-01-001 (6 candidates, 5 seats), 3,000
// ballots read aloud one by one, each a write (Tx.ReadAloud: the ballot's
// row, the running totals, the audit entry and the digests of both
// protected records) followed by the live totals the projector page polls
// (Scoped.Tally). Each iteration reads 3,000 ballots at a new station; the
// zone and the ballot are set up before the timer starts.
//
//	go test ./internal/store -run '^$' -bench Tally3000 -benchtime 1x
//
// Reports p50 and p95 in ms of the write (ms/mark) and of the totals
// (ms/totals); then, untimed by the benchmark but in the same run on the
// same database, the bare baseline (bare-ms/mark, bare-ms/totals): the same
// statements on the same tables with plain database/sql, 3,000 times at
// another station (Store.BareTallyMark, Store.BareTally).

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/huanjie/huanjie/internal/account"
	"github.com/huanjie/huanjie/internal/election"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/testdb"
	"github.com/huanjie/huanjie/internal/vetting"
)

const tallyBallots = 3000

func BenchmarkTally3000(b *testing.B) {
	for _, e := range []store.Engine{store.SQLite, store.Postgres} {
		b.Run(string(e), func(b *testing.B) {
			st := countZone.Open(b, e)
			st.SetClock(func() time.Time { return countDay })
			office := st.Zone(store.System)
			caller := countAccount(st, 9101, "唱票员", account.Community, "/QS/QS-01/QS-01-001/")
			var ballot store.Ballot
			if err := office.Write(ctx, func(tx *store.Tx) error {
				var err error
				ballot, err = tx.OpenBallot(ctx, countCommunity, election.Opening{Committee: org.PartyCommittee, Round: election.FirstRound,
					ShouldAttend: 4000, Present: 3900})
				return err
			}); err != nil {
				b.Fatal(err)
			}
			rng := rand.New(rand.NewPCG(15, 4))
			choices := []election.Choice{election.Yes, election.Yes, election.No, election.Abstain}
			var marks, totals []time.Duration
			var last election.Count
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				var unit store.CountUnit
				if err := office.Write(ctx, func(tx *store.Tx) error {
					var err error
					unit, err = tx.AddCountUnit(ctx, ballot.ID, fmt.Sprintf("分会场%d", i+1), election.BranchHall, 0)
					return err
				}); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				for n := 0; n < tallyBallots; n++ {
					var ms []election.Mark
					for _, c := range ballot.Candidates {
						ms = append(ms, election.Mark{Key: c.Key, Post: c.Post, Choice: choices[rng.IntN(len(choices))]})
					}
					if n%50 == 0 {
						ms = append(ms, election.Mark{Name: "另选某", Post: vetting.CommitteeMember, Choice: election.Yes})
					}
					start := time.Now()
					if err := caller.Write(ctx, func(tx *store.Tx) error {
						_, err := tx.ReadAloud(ctx, unit.ID, ms, n%200 == 199)
						return err
					}); err != nil {
						b.Fatal(err)
					}
					marks = append(marks, time.Since(start))
					start = time.Now()
					tally, err := office.Tally(ctx, unit.ID)
					if err != nil {
						b.Fatal(err)
					}
					totals = append(totals, time.Since(start))
					last = tally.Count
					if tally.Unit.TallyRead != n+1 {
						b.Fatalf("read %d, want %d", tally.Unit.TallyRead, n+1)
					}
				}
			}
			b.StopTimer()
			report := func(d []time.Duration, unit string) {
				slices.Sort(d)
				at := func(p float64) float64 { return float64(d[int(p*float64(len(d)-1))].Microseconds()) / 1000 }
				b.ReportMetric(at(0.50), "p50-"+unit)
				b.ReportMetric(at(0.95), "p95-"+unit)
			}
			report(marks, "ms/mark")
			report(totals, "ms/totals")

			// The bare baseline at a station of its own. Its rows are written
			// behind the platform's back, so the store's audit log no longer
			// vouches for them.
			testdb.Tampers(b)
			var unit store.CountUnit
			if err := office.Write(ctx, func(tx *store.Tx) error {
				var err error
				unit, err = tx.AddCountUnit(ctx, ballot.ID, "基准", election.BranchHall, 0)
				return err
			}); err != nil {
				b.Fatal(err)
			}
			running, _ := json.Marshal(last)
			var ballotMarks []election.Mark
			for _, c := range ballot.Candidates {
				ballotMarks = append(ballotMarks, election.Mark{Key: c.Key, Name: c.Name, Post: c.Post, Choice: election.Yes})
			}
			raw, _ := json.Marshal(ballotMarks)
			marks, totals = marks[:0], totals[:0]
			for n := 1; n <= tallyBallots; n++ {
				start := time.Now()
				if err := st.BareTallyMark(ctx, unit.ID, n, string(raw), string(running)); err != nil {
					b.Fatal(err)
				}
				marks = append(marks, time.Since(start))
				start = time.Now()
				if _, err := st.BareTally(ctx, unit.ID); err != nil {
					b.Fatal(err)
				}
				totals = append(totals, time.Since(start))
			}
			report(marks, "bare-ms/mark")
			report(totals, "bare-ms/totals")
		})
	}
}
