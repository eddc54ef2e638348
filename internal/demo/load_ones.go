package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/ledger"
	"github.com/huanjie/huanjie/internal/meeting"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/progress"
	"github.com/huanjie/huanjie/internal/store"
)

// loadOnes writes the three ones of a demo zone: a work team per district,
// the stages done in varied states (some late), three ledger items per
// community (open, overdue, closed), and a week of past daily meetings.
// Archived files need the file store and are left to the office.
func loadOnes(ctx context.Context, st *store.Store, z Zone, cycle org.Cycle, progressLine func(string)) error {
	if len(z.Aspirants) == 0 {
		return nil // the same zones as the gates: up to GatesUpTo communities
	}
	now := st.Now()
	day := func(offset int) civil.Date { return civil.Of(now.AddDate(0, 0, offset)) }
	leaders := map[string]string{}
	for _, a := range z.Assignments {
		if a.Duty == org.DistrictLeader && leaders[a.OrgCode] == "" {
			leaders[a.OrgCode] = a.Name
		}
	}
	zone := st.Zone(store.System)
	var codes []string
	err := zone.Write(ctx, func(tx *store.Tx) error {
		for _, u := range z.Units {
			switch u.Kind {
			case org.Community:
				codes = append(codes, u.Code)
			case org.District:
				in := store.WorkTeamInput{District: u.Code, Name: u.Name + "换届工作专班", Leader: leaders[u.Code],
					Note: "负责本片区社区换届的调度、包保和问题处置"}
				for _, a := range z.Accounts {
					if a.Scope == u.Code {
						in.Members = append(in.Members, store.TeamMember{Username: a.Username, Duty: "专班联络员"})
					}
				}
				if _, err := tx.SaveWorkTeam(ctx, in); err != nil {
					return fmt.Errorf("team of %s: %w", u.Code, err)
				}
			}
		}
		return tx.ImportProgressMarks(ctx, ProgressMarks(codes, now))
	})
	if err != nil {
		return fmt.Errorf("demo teams and progress: %w", err)
	}
	progressLine("专班与进度")

	var items []store.LedgerImport
	for i, code := range codes {
		open := ledger.Item{OrgCode: code, Source: ledger.FromVisit, Content: "入户走访中居民反映小区停车矛盾,需在换届前协调化解",
			Risk: ledger.Medium, Owner: "社区书记", Leader: "包社区领导", Due: day(3 + i%5), Status: ledger.Open, CreatedOn: day(-6)}
		late := ledger.Item{OrgCode: code, Source: ledger.FromTip, Content: "群众反映集体资产出租收入未公开,需核实并公开",
			Risk: ledger.High, Owner: "社区监委会主任", Leader: "包社区领导", Due: day(-1 - i%4), Status: ledger.InProgress,
			CreatedOn: day(-10), Notes: []ledger.Note{{Day: day(-2), Note: "已调取近三年账目,正在核对", By: "社区监委会主任"}}}
		closed := ledger.Item{OrgCode: code, Source: ledger.FromManual, Content: "完善社区选民登记底册",
			Risk: ledger.Low, Owner: "社区主任", Leader: "包社区领导", Due: day(-3), Status: ledger.Closed, CreatedOn: day(-12),
			ClosedOn: day(-i % 4), ClosingNote: "选民登记底册已核对完毕并张榜公布"}
		items = append(items, store.LedgerImport{Item: open}, store.LedgerImport{Item: late, StartedOn: day(-8)},
			store.LedgerImport{Item: closed, StartedOn: day(-11)})
	}
	if err := zone.ImportLedgerItems(ctx, items, nil); err != nil {
		return fmt.Errorf("demo ledgers: %w", err)
	}
	progressLine(fmt.Sprintf("台账 %d", len(items)))

	// A week of meetings, each with a decision for one community.
	for d := 7; d >= 1; d-- {
		err := zone.Write(ctx, func(tx *store.Tx) error {
			m, err := tx.OpenMeeting(ctx, day(-d))
			if err != nil {
				return err
			}
			if err := tx.RecordMeeting(ctx, m.ID, []string{"换届办主任", "各片区专班负责人", "纪委联络员"},
				"通报各社区换届进度和台账落实情况,研究逾期事项的处置。"); err != nil {
				return err
			}
			_, err = tx.AddMeetingDecision(ctx, m.ID, meeting.Decision{Community: codes[d%len(codes)],
				Content: "督促落实逾期台账事项,明日例会前报告进展", Owner: "片区专班负责人", Due: day(2)})
			return err
		})
		if err != nil {
			return fmt.Errorf("demo meeting of %s: %w", day(-d), err)
		}
	}
	progressLine("工作例会 7")
	return nil
}

// ProgressMarks marks each community's stages done in order, more in some
// communities than others, so that the zone shows done, due and late
// cells; the progress and agenda benchmarks load the same pattern.
func ProgressMarks(codes []string, now time.Time) []store.ProgressMark {
	var out []store.ProgressMark
	for i, code := range codes {
		for _, e := range []progress.Election{progress.Party, progress.Residents} {
			n := (i * 7) % 10
			if e == progress.Residents {
				n = (i * 3) % 5
			}
			k := 0
			for _, s := range progress.Defaults() {
				if s.Election != e || k >= n {
					continue
				}
				k++
				out = append(out, store.ProgressMark{OrgCode: code, Stage: s.Code,
					DoneOn: civil.Of(now.AddDate(0, 0, -30+k)), Evidence: "会议纪要及签到表"})
			}
		}
	}
	return out
}
