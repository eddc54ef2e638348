package store_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/huanjie/huanjie/internal/account"
	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/programme"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/testdb"
	"github.com/huanjie/huanjie/internal/visit"
)

// communityUser is the store as a community's staff account sees it.
func communityUser(st *store.Store, path string) *store.Scoped {
	return st.For(account.User{ID: 7, Username: "staff", Role: account.Community, ScopePath: path})
}

// proposalsIn registers a household of community code for each text and
// records a visit of the round after the election to it on day, its
// proposals the text ("" for a visit without any); it returns the visits'
// ids. n numbers the client ids.
func proposalsIn(t *testing.T, st *store.Store, code string, day civil.Date, n int, texts ...string) []int64 {
	t.Helper()
	zone := st.Zone(store.System)
	var ids []int64
	for i, text := range texts {
		var h visit.Household
		if err := zone.Write(ctx, func(tx *store.Tx) error {
			var err error
			h, err = tx.AddHousehold(ctx, code, visit.Household{Address: fmt.Sprintf("问计%d-%d号", n, i), Head: "户主", Size: 2})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		v, err := zone.RecordVisit(ctx, visit.Visit{ClientID: clientID(n*100 + i), Community: code, Round: visit.After, Household: h.ID,
			Visitors: []string{"新任委员甲"}, Day: day, Method: visit.Meeting, Proposals: text})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, v.ID)
	}
	return ids
}

// programmeInDemo makes an adopted programme for the demo's first
// community (QS-01-001) from one proposal, with a goal, a milestone and
// its progress, so that every table of the programmes holds a record.
func programmeInDemo(t *testing.T, st *store.Store) {
	t.Helper()
	clockOn(st, "2027-03-01")
	ids := proposalsIn(t, st, "QS-01-001", "2027-02-20", 90, "建议加装电梯")
	zone := st.Zone(store.System)
	if err := zone.Write(ctx, func(tx *store.Tx) error {
		if _, err := tx.SaveProgramme(ctx, "QS-01-001", programme.Programme{}); err != nil {
			return err
		}
		g, err := tx.AddGoal(ctx, "QS-01-001", programme.Goal{Title: "老旧小区加装电梯", Area: programme.Livelihood, Measures: "摸底意愿"})
		if err != nil {
			return err
		}
		m, err := tx.SetMilestone(ctx, "QS-01-001", g.ID, programme.Milestone{Year: 2027, Text: "完成摸底"})
		if err != nil {
			return err
		}
		if _, err := tx.DisposeProposal(ctx, "QS-01-001", ids[0], programme.Disposition{Outcome: programme.Adopt, Goal: g.ID}); err != nil {
			return err
		}
		if _, err := tx.AdoptProgramme(ctx, "QS-01-001", programme.Adoption{On: "2027-02-28", Meeting: "居民代表会议",
			Document: "关于通过五年施政纲领的决议"}); err != nil {
			return err
		}
		_, err = tx.ReportMilestone(ctx, "QS-01-001", m.ID, programme.Report{State: programme.Underway})
		return err
	}); err != nil {
		t.Fatal(err)
	}
}

// A community's five-year programme through the store, on both engines:
// made with the default term and title; the proposals listed are the
// community's visits of the round after the election with proposals;
// goals in order, milestones within the term, dispositions with their
// rules; adoption refused while a proposal waits or a goal lacks a
// measure, then taken; everything frozen after it but progress; another
// community's staff neither read nor write it; every write audited under
// the community; a milestone changed in the database is found by verify.
func TestProgrammeStore(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, st *store.Store) {
		testdb.Tampers(t) // the last step changes a milestone directly
		tree(t, st)
		const code, other = "Z-1-1", "Z-1-2"
		clockOn(st, "2027-02-10")
		zone := st.Zone(store.System)
		must := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		write := func(fn func(tx *store.Tx) error) error { return zone.Write(ctx, fn) }
		ids := proposalsIn(t, st, code, "2027-02-01", 1, "建议加装电梯", "", "建议建设社区食堂")
		elsewhere := proposalsIn(t, st, other, "2027-02-02", 2, "建议修路")

		page, err := zone.ProgrammeProposals(ctx, code, 0, 0)
		must(err)
		if page.Total != 2 || page.Pending != 2 || len(page.Proposals) != 2 || page.Proposals[0].Visit != ids[0] ||
			page.Proposals[1].Visit != ids[2] || page.Proposals[0].Target != "问计1-0号" || page.Proposals[0].Visitors[0] != "新任委员甲" {
			t.Fatalf("proposals: %+v", page)
		}
		if _, ok, err := zone.Programme(ctx, code); ok || err != nil {
			t.Fatalf("a programme before any: %v %v", ok, err)
		}
		err = write(func(tx *store.Tx) error {
			_, err := tx.DisposeProposal(ctx, code, ids[0], programme.Disposition{Outcome: programme.Decline, Note: "理由"})
			return err
		})
		if errs.CodeOf(err) != errs.NotFound {
			t.Errorf("a disposition without a programme: %v", err)
		}

		// Made with the default term (the election of 2027-01-16) and title.
		var p programme.Programme
		must(write(func(tx *store.Tx) error {
			var err error
			p, err = tx.SaveProgramme(ctx, code, programme.Programme{})
			return err
		}))
		if p.ID == 0 || p.StartYear != 2027 || p.EndYear != 2031 || p.Title != "辛庄社区2027—2031年五年施政纲领" || p.Status != programme.Draft {
			t.Fatalf("made: %+v", p)
		}

		// Another community's staff: not found, whichever way they ask.
		staff := communityUser(st, "/Z/Z-1/Z-1-2/")
		if _, _, err := staff.Programme(ctx, code); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("another community's programme read: %v", err)
		}
		if _, err := staff.ProgrammeProposals(ctx, code, 0, 0); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("another community's proposals read: %v", err)
		}
		err = staff.Write(ctx, func(tx *store.Tx) error {
			_, err := tx.AddGoal(ctx, code, programme.Goal{Title: "越界", Area: programme.Other})
			return err
		})
		if errs.CodeOf(err) != errs.NotFound {
			t.Errorf("a goal added to another community's programme: %v", err)
		}
		must(staff.Write(ctx, func(tx *store.Tx) error {
			_, err := tx.SaveProgramme(ctx, other, programme.Programme{Title: "西山社区施政纲领"})
			return err
		}))
		err = staff.Write(ctx, func(tx *store.Tx) error {
			_, err := tx.DisposeProposal(ctx, other, ids[0], programme.Disposition{Outcome: programme.Decline, Note: "越界"})
			return err
		})
		if errs.CodeOf(err) != errs.NotFound {
			t.Errorf("another community's proposal disposed in one's own programme: %v", err)
		}

		// Goals in order: the second put first.
		var lift, canteen programme.Goal
		must(write(func(tx *store.Tx) error {
			var err error
			if lift, err = tx.AddGoal(ctx, code, programme.Goal{Title: "加装电梯", Area: programme.Livelihood, Measures: "摸底意愿\n争取补贴"}); err != nil {
				return err
			}
			canteen, err = tx.AddGoal(ctx, code, programme.Goal{Title: "社区食堂", Area: programme.Livelihood, Seq: 1})
			return err
		}))
		p, _, err = zone.Programme(ctx, code)
		must(err)
		if len(p.Goals) != 2 || p.Goals[0].ID != canteen.ID || p.Goals[0].Seq != 1 || p.Goals[1].ID != lift.ID || p.Goals[1].Seq != 2 {
			t.Fatalf("goals in order: %+v", p.Goals)
		}
		err = write(func(tx *store.Tx) error {
			_, err := tx.AddGoal(ctx, code, programme.Goal{Title: "无领域", Area: "roads"})
			return err
		})
		if errs.FieldOf(err) != "area" {
			t.Errorf("a goal of no area: %v", err)
		}

		// Milestones: within the term, one a year, an empty text removes.
		setMilestone := func(goal int64, year int, text string) (programme.Milestone, error) {
			var m programme.Milestone
			err := write(func(tx *store.Tx) error {
				var err error
				m, err = tx.SetMilestone(ctx, code, goal, programme.Milestone{Year: year, Text: text})
				return err
			})
			return m, err
		}
		if _, err := setMilestone(lift.ID, 2032, "超出任期"); errs.FieldOf(err) != "year" {
			t.Errorf("a milestone after the term: %v", err)
		}
		first, err := setMilestone(lift.ID, 2027, "完成摸底")
		must(err)
		again, err := setMilestone(lift.ID, 2027, "完成全部摸底")
		must(err)
		if again.ID != first.ID || again.Text != "完成全部摸底" || again.State != programme.NotStarted {
			t.Errorf("the year's milestone replaced: %+v (was %+v)", again, first)
		}
		_, err = setMilestone(lift.ID, 2028, "加装10部")
		must(err)
		_, err = setMilestone(lift.ID, 2028, " ")
		must(err)
		p, _, _ = zone.Programme(ctx, code)
		if ms := p.Goals[1].Milestones; len(ms) != 1 || ms[0].Year != 2027 || ms[0].Text != "完成全部摸底" {
			t.Errorf("milestones after one removed: %+v", ms)
		}
		// A term leaving out 2027, where a milestone is, is refused on its start.
		err = write(func(tx *store.Tx) error {
			_, err := tx.SaveProgramme(ctx, code, programme.Programme{Title: "纲领", StartYear: 2028, EndYear: 2032})
			return err
		})
		if errs.FieldOf(err) != "start_year" {
			t.Errorf("a term without the year of a milestone: %v", err)
		}

		// Dispositions.
		dispose := func(visitID int64, d programme.Disposition) error {
			return write(func(tx *store.Tx) error { _, err := tx.DisposeProposal(ctx, code, visitID, d); return err })
		}
		if err := dispose(ids[1], programme.Disposition{Outcome: programme.Decline, Note: "理由"}); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("a visit without proposals disposed: %v", err)
		}
		if err := dispose(elsewhere[0], programme.Disposition{Outcome: programme.Decline, Note: "理由"}); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("another community's proposal disposed: %v", err)
		}
		if err := dispose(ids[2], programme.Disposition{Outcome: programme.Decline}); errs.FieldOf(err) != "note" {
			t.Errorf("declined without a reason: %v", err)
		}
		otherProgramme, _, err := zone.Programme(ctx, other)
		must(err)
		must(zone.Write(ctx, func(tx *store.Tx) error {
			g, err := tx.AddGoal(ctx, other, programme.Goal{Title: "修路", Area: programme.Environment})
			otherProgramme.Goals = append(otherProgramme.Goals, g)
			return err
		}))
		if err := dispose(ids[2], programme.Disposition{Outcome: programme.Adopt, Goal: otherProgramme.Goals[0].ID}); errs.FieldOf(err) != "goal_id" {
			t.Errorf("adopted into another programme's goal: %v", err)
		}
		must(dispose(ids[0], programme.Disposition{Outcome: programme.Merge, Goal: lift.ID, Note: "与加装电梯的建议合并"}))
		must(dispose(ids[0], programme.Disposition{Outcome: programme.Adopt, Goal: lift.ID}))

		// Adoption: refused while a proposal waits, and changes nothing.
		adopt := func(a programme.Adoption) error {
			return write(func(tx *store.Tx) error { _, err := tx.AdoptProgramme(ctx, code, a); return err })
		}
		good := programme.Adoption{On: "2027-02-09", Meeting: "居民代表会议", Document: "关于通过五年施政纲领的决议"}
		if err := adopt(good); errs.CodeOf(err) != errs.Unprocessable || !strings.Contains(errs.MessageOf(err), "还有 1 条") {
			t.Errorf("adopted with a proposal waiting: %v", err)
		}
		if p, _, _ = zone.Programme(ctx, code); p.Status != programme.Draft || p.Adoption.On != "" {
			t.Fatalf("a refused adoption left %+v", p)
		}
		must(dispose(ids[2], programme.Disposition{Outcome: programme.Decline, Note: "不属于社区职责,已转街道"}))
		// The canteen has no measure nor milestone.
		if err := adopt(good); err == nil || !strings.Contains(errs.MessageOf(err), "社区食堂") {
			t.Errorf("adopted with a goal without measures: %v", err)
		}
		removeGoal := func(id int64) error { return write(func(tx *store.Tx) error { return tx.RemoveGoal(ctx, code, id) }) }
		if err := removeGoal(lift.ID); errs.CodeOf(err) != errs.Conflict {
			t.Errorf("a goal with a proposal adopted into it removed: %v", err)
		}
		must(removeGoal(canteen.ID))
		p, _, _ = zone.Programme(ctx, code)
		if len(p.Goals) != 1 || p.Goals[0].ID != lift.ID || p.Goals[0].Seq != 1 {
			t.Fatalf("after the canteen removed: %+v", p.Goals)
		}
		if err := write(func(tx *store.Tx) error {
			_, err := tx.ReportMilestone(ctx, code, first.ID, programme.Report{State: programme.Done})
			return err
		}); errs.CodeOf(err) != errs.Conflict {
			t.Errorf("progress on a draft: %v", err)
		}
		must(write(func(tx *store.Tx) error {
			_, err := tx.EditGoal(ctx, code, lift.ID, programme.Goal{Title: "老旧小区加装电梯", Area: programme.Livelihood, Measures: "摸底意愿\n争取补贴\n分批实施"})
			return err
		}))
		for field, bad := range map[string]programme.Adoption{
			"adopted_on":      {On: "2027-02-11", Meeting: "居民代表会议", Document: "决议"},
			"meeting":         {On: "2027-02-09", Document: "决议"},
			"archive_file_id": {On: "2027-02-09", Meeting: "居民代表会议", Document: "决议", File: 999},
		} {
			if err := adopt(bad); errs.FieldOf(err) != field {
				t.Errorf("adoption %+v: %v, want a refusal on %s", bad, err, field)
			}
		}
		must(adopt(good))
		p, _, _ = zone.Programme(ctx, code)
		if p.Status != programme.Adopted || p.Adoption.On != "2027-02-09" || p.Adoption.Meeting != "居民代表会议" || p.Adoption.By != "system" ||
			p.Goals[0].Measures != "摸底意愿\n争取补贴\n分批实施" {
			t.Fatalf("adopted: %+v", p)
		}

		// Frozen: every change but progress is refused, and nothing changes.
		for name, fn := range map[string]func(tx *store.Tx) error{
			"adopt again": func(tx *store.Tx) error { _, err := tx.AdoptProgramme(ctx, code, good); return err },
			"term": func(tx *store.Tx) error {
				_, err := tx.SaveProgramme(ctx, code, programme.Programme{Title: "改"})
				return err
			},
			"goal added": func(tx *store.Tx) error {
				_, err := tx.AddGoal(ctx, code, programme.Goal{Title: "新", Area: programme.Other})
				return err
			},
			"goal edited": func(tx *store.Tx) error {
				_, err := tx.EditGoal(ctx, code, lift.ID, programme.Goal{Title: "改", Area: programme.Other})
				return err
			},
			"goal removed": func(tx *store.Tx) error { return tx.RemoveGoal(ctx, code, lift.ID) },
			"milestone": func(tx *store.Tx) error {
				_, err := tx.SetMilestone(ctx, code, lift.ID, programme.Milestone{Year: 2029, Text: "新"})
				return err
			},
			"disposition": func(tx *store.Tx) error {
				_, err := tx.DisposeProposal(ctx, code, ids[2], programme.Disposition{Outcome: programme.Adopt, Goal: lift.ID})
				return err
			},
		} {
			if err := write(fn); errs.CodeOf(err) != errs.Conflict || !strings.Contains(errs.MessageOf(err), "已于2027-02-09经居民代表会议通过") {
				t.Errorf("%s after adoption: %v", name, err)
			}
		}
		if after, _, _ := zone.Programme(ctx, code); after.Goals[0].Title != "老旧小区加装电梯" || len(after.Goals[0].Milestones) != 1 {
			t.Errorf("a frozen programme changed: %+v", after.Goals)
		}
		if page, _ := zone.ProgrammeProposals(ctx, code, 0, 0); page.Pending != 0 || page.Proposals[1].Disposition.Outcome != programme.Decline ||
			page.Proposals[0].Disposition.GoalTitle != "老旧小区加装电梯" || page.Proposals[0].Disposition.DecidedOn != "2027-02-10" {
			t.Errorf("dispositions after adoption: %+v %+v", page.Proposals[0].Disposition, page.Proposals[1].Disposition)
		}

		// Progress over the term, by the community's own staff too.
		clockOn(st, "2028-03-05")
		own := communityUser(st, "/Z/Z-1/Z-1-1/")
		err = own.Write(ctx, func(tx *store.Tx) error {
			_, err := tx.ReportMilestone(ctx, code, first.ID, programme.Report{State: programme.Late})
			return err
		})
		if errs.FieldOf(err) != "note" {
			t.Errorf("late without a reason: %v", err)
		}
		if err := staff.Write(ctx, func(tx *store.Tx) error {
			_, err := tx.ReportMilestone(ctx, code, first.ID, programme.Report{State: programme.Done})
			return err
		}); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("progress reported on another community's programme: %v", err)
		}
		must(own.Write(ctx, func(tx *store.Tx) error {
			_, err := tx.ReportMilestone(ctx, code, first.ID, programme.Report{State: programme.Late, Note: "补贴未到位"})
			return err
		}))
		p, _, _ = zone.Programme(ctx, code)
		if m := p.Goals[0].Milestones[0]; m.State != programme.Late || m.Note != "补贴未到位" || m.ReportedOn != "2028-03-05" || m.ReportedBy != "staff" {
			t.Errorf("progress reported: %+v", m)
		}
		if _, total := p.Progress("2028-03-05"); total.Milestones != 1 || total.Late != 1 || total.Overdue != 1 {
			t.Errorf("progress: %+v", total)
		}

		// Every write is audited under the community.
		entries, err := zone.AuditLog(ctx, store.AuditFilter{Action: "programme", Limit: 200})
		must(err)
		var acts []string
		for _, e := range entries {
			if e.OrgPath == "/Z/Z-1/Z-1-1/" && !slices.Contains(acts, e.Action) {
				acts = append(acts, e.Action)
			}
		}
		slices.Sort(acts)
		want := []string{"programme.adopt", "programme.dispose", "programme.goal.add", "programme.goal.edit", "programme.goal.remove",
			"programme.milestone", "programme.milestone.remove", "programme.progress", "programme.save"}
		if !slices.Equal(acts, want) {
			t.Errorf("audited acts:\n%v\nwant\n%v", acts, want)
		}

		// A milestone's progress changed behind the platform's back is found.
		if rep := verified(t, st); !rep.OK() {
			t.Fatalf("untouched: %s", problems(rep))
		}
		must(st.Tamper(ctx, `UPDATE programme_milestones SET state = 'done' WHERE id = `+itoa(first.ID)))
		if rep := verified(t, st); rep.OK() || !strings.Contains(problems(rep), "施政纲领年度里程碑及进展 第 "+itoa(first.ID)+" 号") {
			t.Errorf("a milestone changed directly:\n%s", problems(rep))
		}
	})
}
