package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/huanjie/huanjie/internal/account"
	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/ledger"
	"github.com/huanjie/huanjie/internal/meeting"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/progress"
	"github.com/huanjie/huanjie/internal/store"
)

// loadOnes writes the three ones of a demo zone: a work team per district,
// the stages done in varied states (some late; in a zone that has held its
// elections, every stage before each vote, electionMarks), three ledger
// items per community (open, overdue, closed), and a week of past daily
// meetings. Between the stages and the ledgers it runs between (the
// elections, whose votes mark their own stages), so that the meetings'
// agendas read the zone as it then stands.
// Archived files need the file store and are left to the office.
func loadOnes(ctx context.Context, st *store.Store, z Zone, cycle org.Cycle, progressLine func(string), between func() error) error {
	if len(z.Aspirants) == 0 {
		return nil // the same zones as the gates: up to GatesUpTo communities
	}
	now := st.Now()
	day := civil.Of(now).AddDays
	leaders, patrons := map[string]string{}, map[string]string{}
	for _, a := range z.Assignments {
		if a.Duty == org.DistrictLeader && leaders[a.OrgCode] == "" {
			leaders[a.OrgCode] = a.Name
		}
		if a.Duty == org.CommunityLeader && patrons[a.OrgCode] == "" {
			patrons[a.OrgCode] = a.Name // 包社区领导
		}
	}
	// Who carries a community's item: the committee member holding the
	// item's post, else its 包社区领导.
	holders := map[[2]string]string{}
	for _, m := range z.Members {
		if k := [2]string{m.OrgCode, m.Post}; holders[k] == "" {
			holders[k] = m.Name
		}
	}
	owner := func(code, post string) string {
		if name := holders[[2]string{code, post}]; name != "" {
			return name
		}
		return patrons[code]
	}
	// Who attends the daily meetings: the office, the leader and discipline,
	// and each district team's leader, by name.
	var attendance []string
	for _, a := range z.Accounts {
		if a.Role == account.Admin || a.Role == account.Leader || a.Role == account.Discipline {
			attendance = append(attendance, a.DisplayName+"("+a.Role.Label()+")")
		}
	}
	district := map[string]string{} // of each community
	for _, u := range z.Units {
		district[u.Code] = u.ParentCode
		if u.Kind == org.District && z.Filled[u.Code] {
			attendance = append(attendance, leaders[u.Code]+"("+u.Name+"专班)")
		}
	}
	zone := st.Zone(store.System)
	var codes []string
	err := zone.Write(ctx, func(tx *store.Tx) error {
		for _, u := range z.Units {
			if !z.Fills(u.Code, u.ParentCode) {
				continue
			}
			switch u.Kind {
			case org.Community:
				codes = append(codes, u.Code)
			case org.District:
				in := store.WorkTeamInput{District: u.Code, Name: u.Name + "换届工作专班", Leader: leaders[u.Code],
					Note: "负责本片区社区换届的调度、包保和问题处置"}
				for _, a := range z.Accounts {
					if a.Scope == u.Code {
						duty := a.Duty
						if duty == "" {
							duty = "专班联络员"
						}
						in.Members = append(in.Members, store.TeamMember{Username: a.Username, Duty: duty})
					}
				}
				if _, err := tx.SaveWorkTeam(ctx, in); err != nil {
					return fmt.Errorf("team of %s: %w", u.Code, err)
				}
			}
		}
		marks := ProgressMarks(codes, now)
		if len(z.Elections) > 0 {
			marks = electionMarks(z, now)
		}
		return tx.ImportProgressMarks(ctx, marks)
	})
	if err != nil {
		return fmt.Errorf("demo teams and progress: %w", err)
	}
	progressLine("专班与进度")
	if err := between(); err != nil {
		return err
	}

	var items []store.LedgerImport
	for i, code := range codes {
		o, l, c := openItems[i%len(openItems)], lateItems[i%len(lateItems)], closedItems[i%len(closedItems)]
		open := ledger.Item{OrgCode: code, Source: o.source, Content: o.content,
			Risk: ledger.Medium, Owner: owner(code, o.post), Leader: patrons[code], Due: day(3 + i%5), Status: ledger.Open, CreatedOn: day(-6)}
		late := ledger.Item{OrgCode: code, Source: l.source, Content: l.content,
			Risk: ledger.High, Owner: owner(code, l.post), Leader: patrons[code], Due: day(-1 - i%4), Status: ledger.InProgress,
			CreatedOn: day(-10), Notes: []ledger.Note{{Day: day(-2), Note: l.note, By: owner(code, l.post)}}}
		closed := ledger.Item{OrgCode: code, Source: c.source, Content: c.content,
			Risk: ledger.Low, Owner: owner(code, c.post), Leader: patrons[code], Due: day(-3), Status: ledger.Closed, CreatedOn: day(-12),
			ClosedOn: day(-i % 4), ClosingNote: c.note}
		items = append(items, store.LedgerImport{Item: open}, store.LedgerImport{Item: late, StartedOn: day(-8)},
			store.LedgerImport{Item: closed, StartedOn: day(-11)})
	}
	if err := zone.ImportLedgerItems(ctx, items, nil); err != nil {
		return fmt.Errorf("demo ledgers: %w", err)
	}
	progressLine(fmt.Sprintf("台账 %d", len(items)))

	// The targets' results kept first, as a running server keeps them
	// within seconds of a change (app's keeper): without them each
	// meeting's agenda evaluated every slate again, inside its write.
	if err := zone.KeepAllTargetResults(ctx); err != nil {
		return fmt.Errorf("demo targets: %w", err)
	}
	// A week of meetings, each with a decision for one community.
	for d := 7; d >= 1; d-- {
		err := zone.Write(ctx, func(tx *store.Tx) error {
			m, err := tx.OpenMeeting(ctx, day(-d))
			if err != nil {
				return err
			}
			if err := tx.RecordMeeting(ctx, m.ID, attendance,
				"通报各社区换届进度和台账落实情况,研究逾期事项的处置。"); err != nil {
				return err
			}
			code := codes[d%len(codes)]
			_, err = tx.AddMeetingDecision(ctx, m.ID, meeting.Decision{Community: code,
				Content: "督促落实逾期台账事项,明日例会前报告进展", Owner: leaders[district[code]], Due: day(2)})
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
					DoneOn: civil.Of(now).AddDays(-30 + k), Evidence: "会议纪要及签到表"})
			}
		}
	}
	return out
}

// electionMarks mark, in a zone that has held its elections, every stage
// before each community's votes done by its deadline (some a day or two
// earlier), those of a residents' vote still ahead as far as today; the
// votes, results, approvals and handovers are marked by their own writes
// (loadElections).
func electionMarks(z Zone, now time.Time) []store.ProgressMark {
	today := civil.Of(now)
	var out []store.ProgressMark
	for i, e := range z.Elections {
		days := progress.Days{Party: today.AddDays(-e.PartyAgo), Residents: today.AddDays(e.ResidentsIn)}
		for _, s := range progress.Defaults() {
			if s.OffsetDays >= 0 {
				continue
			}
			done := s.Deadline(days).AddDays(-(i + s.Sort/10) % 3)
			if done > today {
				continue
			}
			out = append(out, store.ProgressMark{OrgCode: e.OrgCode, Stage: s.Code, DoneOn: done, Evidence: "会议纪要及签到表"})
		}
	}
	return out
}

// demoItem is a ledger item the demo gives a community: what, from where,
// the post of the committee member who carries it, and its latest note (or
// closing note).
type demoItem struct {
	source              ledger.Source
	content, post, note string
}

// The demo's open, overdue and closed items, handed out in turn so that
// neighbouring communities do not all carry the same matter.
var (
	openItems = []demoItem{
		{ledger.FromVisit, "入户走访中居民反映小区停车矛盾,需在换届前协调化解", "书记", ""},
		{ledger.FromVisit, "老旧小区加装电梯意见分歧,需召开居民议事会协商", "主任", ""},
		{ledger.FromMeeting, "流动人口较多,选民登记需逐户核对在住情况", "副主任", ""},
		{ledger.FromManual, "社区办公用房修缮未完工,影响选举大会会场布置", "主任", ""},
	}
	lateItems = []demoItem{
		{ledger.FromTip, "群众反映集体资产出租收入未公开,需核实并公开", "主任", "已调取近三年账目,正在核对"},
		{ledger.FromVisit, "两户居民因宅基地边界纠纷多次上访,需化解后再进入选举程序", "书记", "已请司法所介入调解,双方同意再谈一次"},
		{ledger.FromTip, "反映有人以宴请方式拉票,需核查并开展警示谈话", "书记", "已走访三户知情群众,正在整理材料"},
		{ledger.FromMeeting, "上届遗留的物业费收支账目未审计,需审计后公示", "主任", "已联系第三方审计机构,本周进场"},
		{ledger.FromVisit, "部分居民对低保评定有意见,需复核并公开评定结果", "副主任", "已完成复核名单初稿"},
	}
	closedItems = []demoItem{
		{ledger.FromManual, "完善社区选民登记底册", "主任", "选民登记底册已核对完毕并张榜公布"},
		{ledger.FromMeeting, "补齐社区党组织换届请示材料", "书记", "请示已报街道党工委并获批复"},
		{ledger.FromVisit, "化解楼道堆物引发的邻里纠纷", "副主任", "堆物已清理,双方签订调解协议"},
	}
)
