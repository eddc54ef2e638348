package store_test

// BenchmarkAgenda times the daily meeting's generated agenda
// (Scoped.Agenda, the whole zone, today 2026-11-27) end to end on the zone of
// BenchmarkLedger1M (10,000 communities, 1,000,000 ledger items of
// ledgerSeed) plus progress marks (agendaMarks), yesterday's meeting with
// 20 decisions and 30 tips received yesterday and today, only when the
// benchmark runs:
//
//	go test ./internal/store -run '^$' -bench Agenda -benchtime 20x -v -timeout 30m
//
// It reports p50 and p95 in ms and the agenda's lines.

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/demo"
	"github.com/huanjie/huanjie/internal/meeting"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/vetting"
)

func BenchmarkAgenda(b *testing.B) {
	for _, e := range []store.Engine{store.SQLite, store.Postgres} {
		b.Run(string(e), func(b *testing.B) {
			ctx := context.Background()
			st, codes, now := ledgerZone(b, e)
			today, yesterday := civil.Of(now), civil.Of(now.AddDate(0, 0, -1))
			start := time.Now()
			marks := demo.ProgressMarks(codes, now)
			zone := st.Zone(store.System)
			if err := zone.Write(ctx, func(tx *store.Tx) error {
				return tx.ImportProgressMarks(ctx, marks)
			}); err != nil {
				b.Fatal(err)
			}
			// Yesterday's meeting with its decisions, and the tips of
			// yesterday and today.
			if err := zone.Write(ctx, func(tx *store.Tx) error {
				m, err := tx.OpenMeeting(ctx, yesterday)
				if err != nil {
					return err
				}
				for i := range 20 {
					_, err := tx.AddMeetingDecision(ctx, m.ID, meeting.Decision{Community: codes[(i*4099)%len(codes)],
						Content: fmt.Sprintf("例会决定 %d:约谈相关人员并报告", i), Owner: "责任人" + fmt.Sprint(i), Due: civil.Of(now.AddDate(0, 0, 3))})
					if err != nil {
						return err
					}
				}
				cats := []vetting.TipCategory{vetting.TipBribery, vetting.TipEligibility, vetting.TipInterference, vetting.TipOther}
				for i := range 30 {
					at := now
					if i%2 == 0 {
						at = now.AddDate(0, 0, -1)
					}
					_, err := tx.AddTip(ctx, vetting.Tip{OrgCode: codes[(i*7151)%len(codes)], Category: cats[i%len(cats)],
						Description: fmt.Sprintf("群众反映第 %d 号问题,请核实处理", i), CreatedAt: at}, nil)
					if err != nil {
						return err
					}
				}
				return nil
			}); err != nil {
				b.Fatal(err)
			}
			if err := st.Analyze(ctx); err != nil {
				b.Fatal(err)
			}
			b.Logf("%s: %d progress marks, a meeting and tips in %s", e, len(marks), time.Since(start).Round(time.Millisecond))
			a, err := zone.Agenda(ctx, today)
			if err != nil {
				b.Fatal(err)
			}
			overdue := 0
			for _, l := range a.Due {
				if l.Overdue {
					overdue++
				}
			}
			b.Logf("agenda of %s: %d lines: %d decisions, %d due (%d overdue), %d warnings, %d tips, %d late stages",
				today, a.Size(), len(a.Decisions), len(a.Due), overdue, len(a.Warnings), len(a.Tips), len(a.LateStages))
			lines := a.Size()
			b.Run("agenda", func(b *testing.B) {
				timeRunsIn(b, func() error {
					a, err := zone.Agenda(ctx, today)
					if err == nil && a.Size() != lines {
						err = fmt.Errorf("agenda has %d lines, want %d", a.Size(), lines)
					}
					return err
				})
				b.ReportMetric(float64(lines), "lines")
			})
		})
	}
}
