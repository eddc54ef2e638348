package store_test

import (
	"errors"
	"strconv"
	"testing"

	"github.com/huanjie/huanjie/internal/account"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/slate"
	"github.com/huanjie/huanjie/internal/store"
)

// The steps of the assessment taken as one batch (Tx.CandidateSteps, as
// the demo zone takes a community's) read and write the persons a
// statement for all of them, and must leave what taking them one after
// another leaves, on both engines: the records, the objections with their
// ids, and the audit entries with each step's record before, in the same
// order. Among them: a person taken from no record to the notice and an
// objection, a person assessed twice (the second changing the first) and
// turned down, and a person already recommended whose record is stored
// and who gets the committee's and the higher level's approval.
func TestCandidateStepsAsOneAtATime(t *testing.T) {
	preElectionZone.ForEach(t, func(t *testing.T, batch *store.Store) {
		single := preElectionZone.Open(t, batch.Engine())
		ids := func(q string, n int) []int64 {
			t.Helper()
			rows, err := batch.QueryTexts(ctx, q)
			if err != nil || len(rows) < n {
				t.Fatalf("%d persons of %q: %v", len(rows), q, err)
			}
			out := make([]int64, n)
			for i := range out {
				if out[i], err = strconv.ParseInt(rows[i], 10, 64); err != nil {
					t.Fatal(err)
				}
			}
			return out
		}
		fresh := ids(`SELECT CAST(a.id AS TEXT) FROM aspirants a JOIN cycles c ON c.id = a.cycle_id AND c.current
			WHERE a.status = 'qualified' AND NOT EXISTS (SELECT 1 FROM candidate_assessments x WHERE x.aspirant_id = a.id) ORDER BY a.id`, 2)
		recommended := ids(`SELECT CAST(a.id AS TEXT) FROM aspirants a JOIN candidate_assessments x ON x.aspirant_id = a.id
			WHERE a.status = 'qualified' AND x.conclusion = 'recommend' AND x.decision = '' ORDER BY a.id`, 1)[0]
		day := batch.Today().AddDays
		assessment := func(c slate.Conclusion, opinion string) *slate.Assessment {
			a := slate.Assessment{Talks: 9, Talked: "  社区两委成员、居民代表 ", Opinion: opinion + "  ", Conclusion: c}
			a.Appraisal.Excellent, a.Appraisal.Competent, a.Appraisal.Basic = 30, 8, 2
			return &a
		}
		a, b := fresh[0], fresh[1]
		steps := []store.CandidateStep{
			{AspirantID: a, Assessment: assessment(slate.Recommend, "建议作为预备人选。")},
			{AspirantID: b, Assessment: assessment(slate.ConclusionPending, "尚需听取包社区领导意见。")},
			{AspirantID: recommended, Decision: &slate.Decision{Approved: true, Day: day(-31), Note: " 同意 "}},
			{AspirantID: a, Decision: &slate.Decision{Approved: true, Day: day(-30), Note: "党工委会议研究同意"}},
			{AspirantID: b, Assessment: assessment(slate.Recommend, "听取意见后,建议作为预备人选。")},
			{AspirantID: a, Higher: &slate.Higher{Day: day(-25), Document: "区委组织部〔2026〕51号"}},
			{AspirantID: b, Decision: &slate.Decision{Approved: false, Day: day(-30), Note: "党工委会议研究未同意"}},
			{AspirantID: recommended, Higher: &slate.Higher{Day: day(-26), Document: "区委组织部〔2026〕50号"}},
			{AspirantID: a, Notice: &slate.Notice{Start: day(-20), End: day(-14)}},
			{AspirantID: a, Objection: &slate.Objection{Day: day(-18), Content: " 反映其违规建房 ", Result: slate.ResultPending}},
			{AspirantID: a, Objection: &slate.Objection{Day: day(-17), Content: "反映其拖欠物业费", Handling: "已核实", Result: slate.Unfounded}},
		}
		// An account of another community cannot take a step of these
		// persons: NotFound, and nothing written.
		others, err := batch.QueryTexts(ctx, `SELECT o.path FROM orgs o WHERE o.kind = 'community'
			AND o.id <> (SELECT org_id FROM aspirants WHERE id = `+strconv.FormatInt(a, 10)+`) ORDER BY o.path`)
		if err != nil || len(others) == 0 {
			t.Fatalf("another community: %v %v", others, err)
		}
		elsewhere := batch.For(account.User{ID: 1, Username: "elsewhere", Role: account.Admin, ScopePath: others[0]})
		err = elsewhere.Write(ctx, func(tx *store.Tx) error { return tx.CandidateSteps(ctx, steps[:1]) })
		if !errs.Is(err, errs.NotFound) {
			t.Fatalf("a step of a person outside the account's scope: %v, want not found", err)
		}
		if n, err := batch.QueryInt(ctx, `SELECT COUNT(*) FROM candidate_assessments WHERE aspirant_id = `+strconv.FormatInt(a, 10)); err != nil || n != 0 {
			t.Fatalf("the refused step wrote %d rows (%v)", n, err)
		}
		err = batch.Zone(store.System).Write(ctx, func(tx *store.Tx) error { return tx.CandidateSteps(ctx, steps) })
		if err != nil {
			t.Fatal(err)
		}
		if o := steps[9].Objection; o.ID == 0 || o.Content != "反映其违规建房" || steps[10].Objection.ID <= o.ID {
			t.Fatalf("the objections given back as %+v and %+v, want with their ids, trimmed", *o, *steps[10].Objection)
		}
		err = single.Zone(store.System).Write(ctx, func(tx *store.Tx) error {
			for _, s := range steps {
				var err error
				switch {
				case s.Assessment != nil:
					_, err = tx.AssessCandidate(ctx, s.AspirantID, *s.Assessment)
				case s.Decision != nil:
					_, err = tx.DecideCandidate(ctx, s.AspirantID, *s.Decision)
				case s.Higher != nil:
					_, err = tx.ApproveCandidateHigher(ctx, s.AspirantID, *s.Higher)
				case s.Notice != nil:
					_, err = tx.NoticeCandidate(ctx, s.AspirantID, *s.Notice)
				default:
					o := *s.Objection
					o.ID = 0
					_, err = tx.RecordObjection(ctx, s.AspirantID, o)
				}
				if err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		sameRows(t, batch, single,
			`SELECT CAST(x.aspirant_id AS TEXT) || ' ' || CAST(x.org_id AS TEXT) || ' ' || CAST(x.talks AS TEXT) || ' ' || x.talked || ' ' ||
				CAST(x.excellent AS TEXT) || ' ' || CAST(x.competent AS TEXT) || ' ' || CAST(x.basic AS TEXT) || ' ' || CAST(x.incompetent AS TEXT) ||
				' ' || x.opinion || ' ' || x.conclusion || ' ' || x.assessed_by || ' ' || x.decision || ' ' || x.decision_day || ' ' ||
				x.decision_note || ' ' || x.higher_day || ' ' || x.higher_doc || ' ' || x.notice_start || ' ' || x.notice_end
				FROM candidate_assessments x ORDER BY x.aspirant_id`,
			`SELECT CAST(o.id AS TEXT) || ' ' || CAST(o.aspirant_id AS TEXT) || ' ' || o.day || ' ' || o.content || ' ' || o.handling || ' ' ||
				o.result || ' ' || o.recorded_by FROM candidate_objections o ORDER BY o.id`,
			`SELECT a.action || ' ' || a.entity || ' ' || a.entity_id || ' ' || a.org_path || ' ' || COALESCE(a.before_data, '') || ' ' ||
				COALESCE(a.after_data, '') FROM audit_log a WHERE a.action IN ('slate.assess', 'slate.decide', 'slate.higher', 'slate.notice',
				'slate.objection') ORDER BY a.seq`,
		)
		// A batch with a step refused takes none of its steps, even in a
		// write that goes on and commits: a notice of a person turned down.
		more := ids(`SELECT CAST(a.id AS TEXT) FROM aspirants a JOIN cycles c ON c.id = a.cycle_id AND c.current
			WHERE a.status = 'qualified' AND NOT EXISTS (SELECT 1 FROM candidate_assessments x WHERE x.aspirant_id = a.id) ORDER BY a.id`, 2)
		before, err := batch.QueryInt(ctx, `SELECT COUNT(*) FROM audit_log`)
		if err != nil {
			t.Fatal(err)
		}
		err = batch.Zone(store.System).Write(ctx, func(tx *store.Tx) error {
			err := tx.CandidateSteps(ctx, []store.CandidateStep{
				{AspirantID: more[0], Assessment: assessment(slate.Recommend, "建议作为预备人选。")},
				{AspirantID: b, Notice: &slate.Notice{Start: day(-20), End: day(-14)}},
			})
			if !errs.Is(err, errs.Conflict) {
				t.Errorf("a notice of a person turned down: %v, want a conflict", err)
			}
			// The batch names the step refused (the second), and says
			// the step's own error as it is.
			var refused *store.CandidateStepError
			if !errors.As(err, &refused) || refused.Step != 1 || err.Error() != refused.Err.Error() {
				t.Errorf("the refused batch's error %#v, want step 1 with the step's own message", err)
			}
			return tx.CandidateSteps(ctx, []store.CandidateStep{{AspirantID: more[1], Assessment: assessment(slate.Recommend, "建议。")}})
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			q    string
			want int64
		}{
			{`SELECT COUNT(*) FROM candidate_assessments WHERE aspirant_id = ` + strconv.FormatInt(more[0], 10), 0},
			{`SELECT COUNT(*) FROM candidate_assessments WHERE aspirant_id = ` + strconv.FormatInt(more[1], 10), 1},
			{`SELECT COUNT(*) - ` + strconv.FormatInt(before, 10) + ` FROM audit_log`, 1},
		} {
			if n, err := batch.QueryInt(ctx, c.q); err != nil || n != c.want {
				t.Errorf("after a refused batch and a batch taken, %s: %d (%v), want %d", c.q, n, err, c.want)
			}
		}
	})
}
