package demo

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/huanjie/huanjie/internal/audit"
	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/vetting"
)

// loadGates writes the gates as the seed tells them: the aspirants; a first
// joint review of every aspirant by every department, answered, with the
// seven 不宜 findings; the tips and the two cases that disqualify five
// aspirants; a second joint review in which the police find the one 不得
// condition they had answered clean and the health bureau is late for two
// aspirants; the late registrations, sent alone to three later rounds (one
// past its deadline, one due today, one due later) and partly answered, so
// that every department's queue holds overdue, today's and later work; the
// party committee's meeting deciding the rest; the publicity log. The
// platform writes it (store.System) in the current cycle. Its days count
// back from the load day or, in a zone that has held its elections, from
// gatesLead days before its first party election (gatesShift): the late
// registrations' rounds are then all past their deadlines. It returns the
// id each of z.Aspirants was registered with.
func loadGates(ctx context.Context, st *store.Store, z Zone, _ org.Cycle, progress func(string)) ([]int64, error) {
	if len(z.Aspirants) == 0 {
		return nil, nil
	}
	byIndex := make([]int64, len(z.Aspirants))
	db := st.Zone(store.System)
	now := st.Now().AddDate(0, 0, -gatesShift(z)) // the moment the days count back from
	day := civil.Of(now).AddDays
	fate := map[int64]DemoAspirant{}
	// register registers the aspirants registered late, or the others.
	register := func(tx *store.Tx, late bool) ([]int64, error) {
		var items []vetting.Aspirant
		var demo []DemoAspirant
		var index []int
		for i, a := range z.Aspirants {
			if (a.Fate == Late) == late {
				items, demo, index = append(items, a.Aspirant), append(demo, a), append(index, i)
			}
		}
		ids, err := tx.ImportAspirants(ctx, items)
		for i, id := range ids {
			fate[id] = demo[i]
			byIndex[index[i]] = id
		}
		return ids, err
	}
	var ids []int64
	if err := db.Write(ctx, func(tx *store.Tx) error {
		var err error
		ids, err = register(tx, false)
		return err
	}); err != nil {
		return nil, fmt.Errorf("demo aspirants: %w", err)
	}
	progress(fmt.Sprintf("参选人 %d", len(ids)))

	// Round 1: everyone answers; the seven 不宜 findings.
	round1 := vetting.Round{Kind: vetting.FirstRound, DocNo: "青石开发区换届办〔2026〕3号", Date: day(-40), Deadline: day(-30)}
	err := review(ctx, st, db, func(tx *store.Tx) error {
		_, err := tx.StartReviewRound(ctx, round1)
		return err
	}, func(dept string, a DemoAspirant) (vetting.Answer, bool) {
		if a.Fate == Withdrawn && a.Department == dept {
			return vetting.Answer{Verdict: vetting.Findings, Conditions: []string{a.Condition}, Note: "经核查存在该情形,详见反馈函"}, true
		}
		return vetting.Answer{Verdict: vetting.Clean}, true
	}, fate)
	if err != nil {
		return nil, fmt.Errorf("demo first round: %w", err)
	}
	progress("首轮联审")

	if err := loadDiscipline(ctx, db, z, fate, now, day); err != nil {
		return nil, err
	}

	// Round 2 (二次联审): the police find what they missed; the health
	// bureau has not answered for two aspirants, past the deadline. The
	// late registrations, registered after it started, are each sent alone
	// to a later round and answered by some departments only.
	round2 := vetting.Round{Kind: vetting.SecondRound, DocNo: "青石开发区换届办〔2026〕7号", Date: day(-12), Deadline: day(-5)}
	var late []int64
	err = review(ctx, st, db, func(tx *store.Tx) error {
		if _, err := tx.StartReviewRound(ctx, round2); err != nil {
			return err
		}
		var err error
		if late, err = register(tx, true); err != nil {
			return err
		}
		rounds := lateRounds(day)
		for _, id := range late {
			r := &rounds[fate[id].Batch-1]
			r.Only = append(r.Only, id)
		}
		for _, r := range rounds {
			if _, err := tx.StartReviewRound(ctx, r); err != nil {
				return err
			}
		}
		return nil
	}, func(dept string, a DemoAspirant) (vetting.Answer, bool) {
		switch {
		case a.Fate == Late:
			return vetting.Answer{Verdict: vetting.Clean}, slices.Contains(a.Answered, dept)
		case a.Fate == BarredLate && a.Department == dept:
			return vetting.Answer{Verdict: vetting.Findings, Conditions: []string{a.Condition}, Note: "复核发现该人曾受刑事处罚,首轮漏报"}, true
		case a.Fate == PendingReview && a.Department == dept:
			return vetting.Answer{}, false
		}
		return vetting.Answer{Verdict: vetting.Clean}, true
	}, fate)
	if err != nil {
		return nil, fmt.Errorf("demo second and later rounds: %w", err)
	}
	progress(fmt.Sprintf("二次联审与补充联审 %d 人", len(late)))

	// The party committee's second review of everyone whose review is done.
	err = db.Write(ctx, func(tx *store.Tx) error {
		m, err := tx.AddMeeting(ctx, vetting.Meeting{HeldOn: day(-3), Title: "党工委会议(换届人选二次审核)",
			DocNo: "青石党工委纪要〔2026〕9号", Note: "听取二次联审情况汇报,逐人审核自荐参选人资格。"})
		if err != nil {
			return err
		}
		var decisions []vetting.Decision
		for _, id := range ids {
			a := fate[id]
			d := vetting.Decision{MeetingID: m.ID, AspirantID: id}
			switch a.Fate {
			case Qualified:
				d.Outcome, d.Note = vetting.Qualified, "各部门联审无异常,资格审查通过"
			case Withdrawn:
				d.Outcome, d.Condition = vetting.Unsuitable, a.Condition
				d.Persuasion = &vetting.Persuasion{By: "刘建华(党工委副书记)", On: day(-2), Withdrawn: true, Note: "谈话后本人表示理解,自愿退出"}
			case BarredLate:
				d.Outcome, d.Condition, d.Note = vetting.Barred, a.Condition, "二次联审发现,取消其参选人资格"
			default:
				continue // disqualified by a case, or still under review
			}
			decisions = append(decisions, d)
		}
		return tx.DecideAll(ctx, decisions)
	})
	if err != nil {
		return nil, fmt.Errorf("demo second review: %w", err)
	}
	return byIndex, nil
}

// lateRounds are the later rounds of the late registrations, in the order
// of DemoAspirant.Batch: past the deadline, due today, due in four days.
func lateRounds(day func(int) civil.Date) []vetting.Round {
	return []vetting.Round{
		{Kind: vetting.FirstRound, DocNo: "青石开发区换届办〔2026〕10号", Date: day(-9), Deadline: day(-2)},
		{Kind: vetting.FirstRound, DocNo: "青石开发区换届办〔2026〕11号", Date: day(-6), Deadline: day(0)},
		{Kind: vetting.FirstRound, DocNo: "青石开发区换届办〔2026〕12号", Date: day(-2), Deadline: day(4)},
	}
}

// review starts rounds in one transaction and lets each department answer
// its open queue as answer says (false: leave it open), one transaction per
// department, the departments side by side (Store.SideBySide) as the
// twenty answer in a real round.
func review(ctx context.Context, st *store.Store, db *store.Scoped, start func(*store.Tx) error,
	answer func(dept string, a DemoAspirant) (vetting.Answer, bool), fate map[int64]DemoAspirant) error {
	err := db.Write(ctx, start)
	if err != nil {
		return err
	}
	depts, err := db.ReviewDepartments(ctx)
	if err != nil {
		return err
	}
	return st.SideBySide(len(depts), func(i int) error {
		d := depts[i]
		err := db.AsDepartment(d.Code).Write(ctx, func(tx *store.Tx) error {
			queue, err := tx.ReviewQueue(ctx, store.QueueFilter{Status: "open", Limit: 100000, Action: audit.DemoLoad})
			if err != nil {
				return err
			}
			var answers []store.ReviewAnswer
			for _, q := range queue {
				if a, ok := answer(d.Code, fate[q.AspirantID]); ok {
					answers = append(answers, store.ReviewAnswer{RequestID: q.ID, Answer: a})
				}
			}
			if len(answers) == 0 {
				return nil // the queue's view is audited
			}
			return tx.AnswerReviews(ctx, answers)
		})
		if err != nil {
			return fmt.Errorf("%s: %w", d.Name, err)
		}
		return nil
	})
}

// loadDiscipline writes the tips, the two cases with their
// disqualifications, and the publicity log.
func loadDiscipline(ctx context.Context, db *store.Scoped, z Zone, fate map[int64]DemoAspirant, now time.Time, day func(int) civil.Date) error {
	return db.Write(ctx, func(tx *store.Tx) error {
		tipIDs := make([]int64, len(z.Tips))
		for i, dt := range z.Tips {
			t := dt.Tip
			t.CreatedAt = now.AddDate(0, 0, -dt.DaysAgo)
			got, err := tx.AddTip(ctx, t, nil)
			if err != nil {
				return fmt.Errorf("demo tip %d: %w", i+1, err)
			}
			tipIDs[i] = got.ID
			if dt.Status != vetting.TipReceived {
				if _, err := tx.TriageTip(ctx, got.ID, store.TipTriage{Status: vetting.TipVerifying}); err != nil {
					return err
				}
			}
		}
		for _, c := range z.Cases {
			vc := vetting.Case{OrgCode: c.OrgCode, Source: c.Source, Summary: c.Summary}
			for _, id := range slices.Sorted(maps.Keys(fate)) { // in the order of registration
				if a := fate[id]; a.Case == c.Number {
					vc.AspirantIDs, vc.Parties = append(vc.AspirantIDs, id), append(vc.Parties, a.Name)
				}
			}
			if c.FromTip {
				vc.TipID = tipIDs[0] // AddCase links the tip to the case
			}
			row, err := tx.AddCase(ctx, vc)
			if err != nil {
				return fmt.Errorf("demo case %d: %w", c.Number, err)
			}
			for _, s := range []vetting.CaseStatus{vetting.CaseInvestigating, vetting.CaseHandling} {
				if _, err := tx.MoveCase(ctx, row.ID, s); err != nil {
					return err
				}
			}
			if _, err := tx.DecideCase(ctx, row.ID, vetting.Disqualify, "经纪委、公安联合调查属实,取消参选资格"); err != nil {
				return err
			}
			if _, err := tx.MoveCase(ctx, row.ID, vetting.CaseClosed); err != nil {
				return err
			}
		}
		for i, dt := range z.Tips {
			if dt.Status == vetting.TipClosed {
				if _, err := tx.TriageTip(ctx, tipIDs[i], store.TipTriage{Status: vetting.TipClosed, Result: dt.Result}); err != nil {
					return err
				}
			}
		}
		for _, a := range z.Activities {
			act := a.Activity
			act.Date = day(-a.DaysAgo)
			if _, err := tx.AddActivity(ctx, act); err != nil {
				return fmt.Errorf("demo activity: %w", err)
			}
		}
		return nil
	})
}
