package store_test

import (
	"errors"
	"testing"

	"github.com/huanjie/huanjie/internal/account"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/vetting"
)

// A meeting's decisions recorded as one batch (Tx.DecideAll, as the demo
// zone records its second review) read the aspirants and write the
// decisions a statement for all of them, and must leave what recording
// them one after another leaves, on both engines: the decisions, each
// aspirant's status, and the audit entries of the decisions and their
// moves in the same order. Among them: a person found unsuitable and
// persuaded to withdraw in one decision (two moves), and one found
// unsuitable whose persuasion is recorded by a later decision of the batch
// (no move for the step already made).
func TestDecideAllAsOneAtATime(t *testing.T) {
	gatelessZone.ForEach(t, func(t *testing.T, batch *store.Store) {
		single := gatelessZone.Open(t, batch.Engine())
		reviewed := func(st *store.Store) ([]int64, int64) {
			t.Helper()
			items := make([]vetting.Aspirant, 5)
			for i := range items {
				items[i] = reviewAspirant(i, "QS-01-001")
			}
			var ids []int64
			var meeting int64
			err := st.Zone(store.System).Write(ctx, func(tx *store.Tx) (err error) {
				ids, err = tx.ImportAspirants(ctx, items)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			cycle, err := st.CurrentCycle(ctx)
			if err != nil {
				t.Fatal(err)
			}
			startRound(t, st, cycle, vetting.FirstRound, "开发区换届办〔2026〕3号", "2026-11-01")
			depts, err := st.Zone(store.System).ReviewDepartments(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range depts {
				err := asDept(st, d.Code).Write(ctx, func(tx *store.Tx) error {
					queue, err := tx.ReviewQueue(ctx, store.QueueFilter{Status: "open", Limit: 100})
					if err != nil {
						return err
					}
					var answers []store.ReviewAnswer
					for _, q := range queue {
						answers = append(answers, store.ReviewAnswer{RequestID: q.ID, Answer: vetting.Answer{Verdict: vetting.Clean}})
					}
					return tx.AnswerReviews(ctx, answers)
				})
				if err != nil {
					t.Fatal(err)
				}
			}
			err = st.Zone(store.System).Write(ctx, func(tx *store.Tx) error {
				m, err := tx.AddMeeting(ctx, vetting.Meeting{HeldOn: st.Today().AddDays(-3), Title: "党工委会议", DocNo: "纪要〔2026〕9号"})
				meeting = m.ID
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			return ids, meeting
		}
		ids, meeting := reviewed(batch)
		if again, m := reviewed(single); len(again) != len(ids) || again[0] != ids[0] || m != meeting {
			t.Fatalf("the two stores gave different ids: %v %d, %v %d", ids, meeting, again, m)
		}
		// A case of aspirant 2, in both stores: a decision to disqualify
		// may name it on aspirant 2, not on another (the batch refused
		// whole, naming the field).
		caseOf := func(st *store.Store) int64 {
			var id int64
			err := st.Zone(store.System).Write(ctx, func(tx *store.Tx) error {
				c, err := tx.AddCase(ctx, vetting.Case{OrgCode: "QS-01-001", Source: vetting.FromPolice, Summary: "公安机关移送的违法线索",
					Parties: []string{"参选人2"}, AspirantIDs: []int64{ids[2]}})
				id = c.ID
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			return id
		}
		caseID := caseOf(batch)
		if again := caseOf(single); again != caseID {
			t.Fatalf("the two stores gave the case different ids: %d, %d", caseID, again)
		}
		err := batch.Zone(store.System).Write(ctx, func(tx *store.Tx) error {
			return tx.DecideAll(ctx, []vetting.Decision{
				{MeetingID: meeting, AspirantID: ids[2], Outcome: vetting.Disqualified, CaseID: caseID},
				{MeetingID: meeting, AspirantID: ids[0], Outcome: vetting.Disqualified, CaseID: caseID},
			})
		})
		var e *errs.Error
		if !errors.As(err, &e) || e.Field != "case_id" || e.Message != "该案件未涉及此参选人" {
			t.Fatalf("a decision on aspirant 0 naming aspirant 2's case: %v, want refused on case_id", err)
		}
		talk := func(withdrawn bool) *vetting.Persuasion {
			return &vetting.Persuasion{By: "刘建华", On: batch.Today().AddDays(-2), Withdrawn: withdrawn, Note: "谈话"}
		}
		ds := []vetting.Decision{
			{MeetingID: meeting, AspirantID: ids[0], Outcome: vetting.Qualified, Note: " 资格审查通过 "},
			{MeetingID: meeting, AspirantID: ids[1], Outcome: vetting.Unsuitable, Condition: "detention"},
			{MeetingID: meeting, AspirantID: ids[2], Outcome: vetting.Disqualified, Note: "取消资格", CaseID: caseID},
			{MeetingID: meeting, AspirantID: ids[3], Outcome: vetting.Unsuitable, Condition: "detention", Persuasion: talk(true)},
			{MeetingID: meeting, AspirantID: ids[1], Outcome: vetting.Unsuitable, Condition: "detention", Persuasion: talk(true)},
		}
		// An account of another district cannot decide on them: NotFound,
		// and nothing recorded.
		elsewhere := batch.For(account.User{ID: 1, Username: "elsewhere", Role: account.Admin, ScopePath: "/QS/QS-02/"})
		err = elsewhere.Write(ctx, func(tx *store.Tx) error { return tx.DecideAll(ctx, ds[:1]) })
		if !errs.Is(err, errs.NotFound) {
			t.Fatalf("a decision on an aspirant outside the account's scope: %v, want not found", err)
		}
		if a, err := batch.Zone(store.System).Aspirant(ctx, ids[0]); err != nil || a.Status != vetting.Reviewed {
			t.Fatalf("the refused decision left aspirant %d %v (%v), want still reviewed", ids[0], a.Status, err)
		}
		err = batch.Zone(store.System).Write(ctx, func(tx *store.Tx) error { return tx.DecideAll(ctx, ds) })
		if err != nil {
			t.Fatal(err)
		}
		if ds[0].ID == 0 || ds[4].ID <= ds[0].ID || ds[0].Note != "资格审查通过" || ds[0].By == "" {
			t.Fatalf("the decisions given back as %+v … %+v, want with their ids, trimmed, by whom", ds[0], ds[4])
		}
		err = single.Zone(store.System).Write(ctx, func(tx *store.Tx) error {
			for _, d := range ds {
				d.ID = 0
				if _, err := tx.Decide(ctx, d); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		sameRows(t, batch, single,
			`SELECT CAST(d.id AS TEXT) || ' ' || CAST(d.meeting_id AS TEXT) || ' ' || CAST(d.aspirant_id AS TEXT) || ' ' || d.outcome || ' ' ||
				d.condition || ' ' || d.persuaded_by || ' ' || d.persuaded_on || ' ' || CAST(d.withdrawn AS TEXT) || ' ' || d.persuasion_note ||
				' ' || d.note || ' ' || d.decided_by FROM review_decisions d ORDER BY d.id`,
			`SELECT CAST(a.id AS TEXT) || ' ' || a.status FROM aspirants a ORDER BY a.id`,
			`SELECT a.action || ' ' || a.entity_id || ' ' || a.org_path || ' ' || COALESCE(a.before_data, '') || ' ' || COALESCE(a.after_data, '')
				FROM audit_log a WHERE a.action IN ('aspirant.status', 'review.decide') ORDER BY a.seq`,
		)
		// A batch with a decision refused records none of them, even in a
		// write that goes on and commits: a second decision on one
		// already qualified.
		before, err := batch.QueryInt(ctx, `SELECT COUNT(*) FROM review_decisions`)
		if err != nil {
			t.Fatal(err)
		}
		err = batch.Zone(store.System).Write(ctx, func(tx *store.Tx) error {
			err := tx.DecideAll(ctx, []vetting.Decision{
				{MeetingID: meeting, AspirantID: ids[4], Outcome: vetting.Qualified},
				{MeetingID: meeting, AspirantID: ids[0], Outcome: vetting.Barred, Condition: "criminal"},
			})
			if !errs.Is(err, errs.Conflict) {
				t.Errorf("barring one already qualified: %v, want a conflict", err)
			}
			return tx.DecideAll(ctx, []vetting.Decision{{MeetingID: meeting, AspirantID: ids[4], Outcome: vetting.Barred, Condition: "criminal"}})
		})
		if err != nil {
			t.Fatal(err)
		}
		if n, err := batch.QueryInt(ctx, `SELECT COUNT(*) FROM review_decisions`); err != nil || n != before+1 {
			t.Fatalf("after a refused batch and a batch taken: %d decisions (%v), want %d", n, err, before+1)
		}
		if a, err := batch.Zone(store.System).Aspirant(ctx, ids[4]); err != nil || a.Status != vetting.Barred {
			t.Fatalf("the last aspirant is %v (%v), want barred by the batch taken", a.Status, err)
		}
	})
}
