package demo

import (
	"context"
	"errors"
	"fmt"

	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/progress"
	"github.com/huanjie/huanjie/internal/slate"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/vetting"
)

// loadThirdGate writes each community's third gate (DemoGate) through the
// store's own writes, as the office would enter it, a district's
// communities a transaction, the districts side by side (the demo is
// loaded whole or, marked, started again): the seats of both committees,
// the two recommendations of each, the assessment team, the predicted
// slate, each person's steps of the assessment, the slate's change after
// an objection found true, and the reserve list. ids are the aspirants'
// ids by their index in z.Aspirants. Days count back from the load day,
// or from a week before the community's party election when that comes
// first, so that no step falls after an election day. In a zone that has
// held its elections every formal candidate has passed the notice
// (DemoElection.Steps) and the formal lists are posted FormalLead days
// before each vote, after the gates, in transactions of their own: the
// lists read the persons' steps as committed.
func loadThirdGate(ctx context.Context, st *store.Store, z Zone, ids []int64, progressLine func(string)) error {
	if len(z.Gates) == 0 {
		return nil
	}
	db := st.Zone(store.System)
	calendar, err := db.Calendar(ctx, store.CommunityFilter{})
	if err != nil {
		return err
	}
	days := map[string]progress.Days{}
	for _, r := range calendar {
		days[r.Code] = r.Days
	}
	today := civil.Of(st.Now())
	persons := 0
	elections := electionsOf(z)
	for _, g := range z.Gates {
		if e := elections[g.OrgCode]; e != nil {
			persons += len(e.Steps)
		} else {
			persons += len(g.Steps)
		}
	}
	// A district's communities a transaction, the districts side by side
	// (Store.SideBySide), as the districts' work teams enter them.
	parent := z.Parents()
	districts := inDistricts(parent, z.Gates, func(g DemoGate) string { return g.OrgCode })
	err = st.SideBySide(len(districts), func(k int) error {
		return db.Write(ctx, func(tx *store.Tx) error {
			for _, g := range districts[k] {
				d := days[g.OrgCode]
				anchor := min(today, d.Party.AddDays(-7))
				if err := loadCommunityGate(ctx, tx, z, g, elections[g.OrgCode], ids, d, anchor.AddDays); err != nil {
					return fmt.Errorf("%s: %w", g.OrgCode, err)
				}
			}
			return nil
		})
	})
	if err != nil {
		return fmt.Errorf("demo third gate: %w", err)
	}
	progressLine(fmt.Sprintf("职数、两推、考察与预判人选 %d 个社区 %d 人", len(z.Gates), persons))
	if len(z.Elections) == 0 {
		return nil
	}
	lists := inDistricts(parent, z.Elections, func(e DemoElection) string { return e.OrgCode })
	err = st.SideBySide(len(lists), func(k int) error {
		return db.Write(ctx, func(tx *store.Tx) error {
			for _, e := range lists[k] {
				for _, c := range org.Committees {
					var entries []slate.Entry
					for _, x := range e.Formal {
						if x.Committee == c {
							entries = append(entries, slate.Entry{AspirantID: ids[x.Aspirant], Post: x.Post})
						}
					}
					posted := days[e.OrgCode].For(progress.Election(c)).AddDays(-FormalLead)
					if _, err := tx.SetFormalList(ctx, e.OrgCode, c, posted, entries); err != nil {
						return fmt.Errorf("%s %s: %w", e.OrgCode, c.Label(), err)
					}
				}
			}
			return nil
		})
	})
	if err != nil {
		return fmt.Errorf("demo formal lists: %w", err)
	}
	progressLine(fmt.Sprintf("正式候选人名单 %d 份", len(z.Elections)*len(org.Committees)))
	return nil
}

// inDistricts splits items, in order, into runs of those whose
// communities (code) are in the same district (parent, Zone.Parents).
func inDistricts[T any](parent map[string]string, items []T, code func(T) string) [][]T {
	var out [][]T
	for i, x := range items {
		if i == 0 || parent[code(x)] != parent[code(items[i-1])] {
			out = append(out, nil)
		}
		out[len(out)-1] = append(out[len(out)-1], x)
	}
	return out
}

// loadCommunityGate writes the third gate of one community; e, when not
// nil, is its elections, whose steps replace the gate's own.
func loadCommunityGate(ctx context.Context, tx *store.Tx, z Zone, g DemoGate, e *DemoElection, ids []int64, days progress.Days,
	day func(int) civil.Date) error {
	for _, s := range g.Seats {
		if _, err := tx.SetSeats(ctx, g.OrgCode, s); err != nil {
			return fmt.Errorf("seats: %w", err)
		}
	}
	for _, r := range g.Recs {
		rec := slate.Recommendation{Committee: r.Committee, Kind: r.Kind, Expected: r.Expected, Present: r.Present, Day: day(-r.DaysAgo)}
		for _, v := range r.Votes {
			rec.Votes = append(rec.Votes, slate.Vote{AspirantID: ids[v.Aspirant], Post: v.Post, Votes: v.Votes})
		}
		if _, err := tx.SetRecommendation(ctx, g.OrgCode, rec); err != nil {
			return fmt.Errorf("%s %s: %w", r.Committee.Label(), r.Kind.Label(), err)
		}
	}
	if _, err := tx.SetCandidateTeam(ctx, g.OrgCode, g.Team); err != nil {
		return fmt.Errorf("team: %w", err)
	}
	// The slate as first predicted: with the person later replaced.
	picks := make([]slate.Pick, len(g.Picks))
	post := map[int]vetting.Post{}
	// origin is where the person who is on p came from: a young one (35岁以下
	// on the committee's election day) not drawn otherwise is 内选.
	origin := func(who int, p DemoPick) slate.Origin {
		age := slate.AgeOn(civil.Date(z.Aspirants[who].BirthDate()), days.For(progress.Election(p.Committee)))
		if p.Source == "" && slate.Young(age) {
			return slate.Inside
		}
		return p.Source
	}
	for i, p := range g.Picks {
		who := p.Aspirant
		if r := g.Replaced; r != nil && r.To == who && r.Committee == p.Committee && r.Post == p.Post {
			who = r.From
		}
		picks[i] = slate.Pick{Committee: p.Committee, Post: p.Post, AspirantID: ids[who], Source: origin(who, p), Notes: p.Notes}
		if _, ok := post[who]; !ok {
			post[who] = p.Post
		}
	}
	if _, err := tx.SetSlate(ctx, g.OrgCode, slate.Prediction{Dual: g.Dual, Picks: picks}, ""); err != nil {
		return fmt.Errorf("slate: %w", err)
	}
	steps := g.Steps
	if e != nil {
		steps = e.Steps
		for _, x := range e.Formal { // the candidates added for the margins
			if _, ok := post[x.Aspirant]; !ok {
				post[x.Aspirant] = x.Post
			}
		}
	}
	var taken []store.CandidateStep
	var whose []int // the index in z.Aspirants of each step's person
	for _, s := range steps {
		more := stepsOf(s, ids[s.Aspirant], post[s.Aspirant], day)
		taken = append(taken, more...)
		for range more {
			whose = append(whose, s.Aspirant)
		}
	}
	if err := tx.CandidateSteps(ctx, taken); err != nil {
		var refused *store.CandidateStepError
		if errors.As(err, &refused) {
			return fmt.Errorf("assessment steps: %s's step %d: %w", z.Aspirants[whose[refused.Step]].Name, refused.Step+1, err)
		}
		return fmt.Errorf("assessment steps: %w", err)
	}
	if r := g.Replaced; r != nil {
		for i, p := range g.Picks {
			if p.Aspirant == r.To && p.Committee == r.Committee && p.Post == r.Post {
				picks[i].AspirantID, picks[i].Source = ids[r.To], origin(r.To, p)
			}
		}
		if _, err := tx.SetSlate(ctx, g.OrgCode, slate.Prediction{Dual: g.Dual, Picks: picks}, r.Reason); err != nil {
			return fmt.Errorf("slate changed: %w", err)
		}
	}
	for _, p := range g.Reserve {
		if _, err := tx.AddReserve(ctx, g.OrgCode, p); err != nil {
			return fmt.Errorf("reserve %s: %w", p.Name, err)
		}
	}
	return nil
}

// stepsOf are the steps of the assessment that take aspirant id up to
// s.Stage: the team's assessment, the party committee's decision, the
// higher level's approval and the notice, with its objection.
func stepsOf(s DemoSteps, id int64, post vetting.Post, day func(int) civil.Date) []store.CandidateStep {
	if s.Stage == slate.StagePending {
		return nil
	}
	n := s.Aspirant // varies the counts from person to person, deterministically
	total := 36 + n%25
	a := slate.Assessment{Talks: 8 + n%9, Talked: "社区两委成员、党员代表、居民代表、辖区单位负责人",
		Conclusion: slate.Recommend}
	a.Appraisal.Basic, a.Appraisal.Incompetent = n%3, btoi(n%7 == 0)
	a.Appraisal.Excellent = total * (55 + n%30) / 100
	a.Appraisal.Competent = total - a.Appraisal.Excellent - a.Appraisal.Basic - a.Appraisal.Incompetent
	what := "委员"
	if post != "" {
		what = post.Label()
	}
	a.Opinion = "该同志政治立场坚定,熟悉社区情况,办事公道,群众基础较好,民主测评优秀、称职率较高,个别谈话中未发现影响参选的问题,符合" +
		what + "人选条件,建议作为预备人选。"
	switch {
	case s.Stage == slate.StageAssessed:
		a.Conclusion, a.Opinion = slate.ConclusionPending, "已完成个别谈话和民主测评,尚需听取包社区领导意见后形成结论。"
	case s.Stage == slate.StageFailed && !s.Objection:
		a.Conclusion = slate.NotRecommend
		a.Appraisal.Excellent, a.Appraisal.Competent, a.Appraisal.Basic = total/6, total/3, total-total/6-total/3
		a.Opinion = "该同志民主测评认可度不高,个别谈话中多名群众反映其服务意识不强、处事不够公道,考察组不建议作为预备人选。"
	}
	steps := []store.CandidateStep{{AspirantID: id, Assessment: &a}}
	var decided, higher, start int // days from the anchor
	switch s.Stage {
	case slate.StageApproved:
		decided = -2
	case slate.StageNoticing:
		decided, higher, start = -7, -5, -3
	case slate.StagePassed:
		decided, higher, start = -13, -11, -10
	case slate.StageFailed:
		if !s.Objection {
			return steps
		}
		decided, higher, start = -13, -11, -10
	default:
		return steps
	}
	steps = append(steps, store.CandidateStep{AspirantID: id, Decision: &slate.Decision{Approved: true, Day: day(decided),
		Note: "党工委会议研究,同意作为候选人预备人选"}})
	if higher == 0 {
		return steps
	}
	steps = append(steps,
		store.CandidateStep{AspirantID: id, Higher: &slate.Higher{Day: day(higher), Document: fmt.Sprintf("区委组织部〔2026〕%d号", 40+(-higher))}},
		store.CandidateStep{AspirantID: id, Notice: &slate.Notice{Start: day(start), End: day(start + slate.MinNoticeDays - 1)}})
	if s.Objection {
		steps = append(steps, store.CandidateStep{AspirantID: id, Objection: &slate.Objection{Day: day(start + 2),
			Content: "群众来信反映该同志违规占用集体土地建房", Handling: "考察组会同自然资源部门实地核查,情况属实,已向本人反馈并报党工委",
			Result: slate.Founded}})
	}
	return steps
}
