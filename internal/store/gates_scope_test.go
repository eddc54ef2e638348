package store_test

import (
	"testing"

	"github.com/huanjie/huanjie/internal/account"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/vetting"
)

// gatesZone, in the demo zone without its gates (gatelessZone), registers one
// aspirant in a community of each of the first two districts, sent to a
// joint review; it returns their ids (QS-01's, QS-02's).
func gatesZone(t *testing.T, st *store.Store) (int64, int64) {
	t.Helper()
	var ids []int64
	err := st.Zone(store.System).Write(ctx, func(tx *store.Tx) error {
		var err error
		if ids, err = tx.ImportAspirants(ctx, []vetting.Aspirant{reviewAspirant(1, "QS-01-001"), reviewAspirant(2, "QS-02-001")}); err != nil {
			return err
		}
		_, err = tx.StartReviewRound(ctx, vetting.Round{Kind: vetting.FirstRound, DocNo: "范围1号", Date: "2026-11-01", Deadline: "2026-11-10"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return ids[0], ids[1]
}

// account of role bound to the subtree at path ("" the whole tree), as the
// store sees it.
func as(st *store.Store, role account.Role, path, dept string) *store.Scoped {
	return st.For(account.User{ID: 1, Username: "acting", Role: role, ScopePath: path, DepartmentCode: dept})
}

// A reviewer's queue is bounded by its scope as well as its department.
func TestReviewerQueueInScope(t *testing.T) {
	gatelessZone.ForEach(t, func(t *testing.T, st *store.Store) {
		in, out := gatesZone(t, st)
		var all []store.QueueItem
		err := asDept(st, "gaj").Write(ctx, func(tx *store.Tx) error {
			var err error
			all, err = tx.ReviewQueue(ctx, store.QueueFilter{})
			return err
		})
		if err != nil || len(all) != 2 {
			t.Fatalf("the whole queue %d %v", len(all), err)
		}
		request := map[int64]int64{}
		for _, it := range all {
			request[it.AspirantID] = it.ID
		}
		scoped := as(st, account.Reviewer, "/QS/QS-01/", "gaj")
		if n, err := scoped.CountQueue(ctx, "open"); n != 1 || err != nil {
			t.Fatalf("scoped count %d %v, want 1", n, err)
		}
		err = scoped.Write(ctx, func(tx *store.Tx) error {
			items, err := tx.ReviewQueue(ctx, store.QueueFilter{Status: "open"})
			if err != nil || len(items) != 1 || items[0].AspirantID != in {
				t.Errorf("scoped queue %+v %v", items, err)
			}
			if _, err := tx.QueueRequest(ctx, request[out]); !errs.Is(err, errs.NotFound) {
				t.Errorf("request outside the scope: %v", err)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		owners, err := scoped.QueueOwners(ctx, []int64{request[in], request[out]})
		if err != nil || len(owners) != 1 || owners[request[in]] != "gaj" {
			t.Fatalf("owners %v %v", owners, err)
		}
		err = scoped.Write(ctx, func(tx *store.Tx) error {
			_, err := tx.AnswerReview(ctx, request[out], vetting.Answer{Verdict: vetting.Clean})
			return err
		})
		if !errs.Is(err, errs.NotFound) {
			t.Fatalf("answer outside the scope: %v", err)
		}
		err = scoped.Write(ctx, func(tx *store.Tx) error {
			return tx.AnswerReviews(ctx, []store.ReviewAnswer{{RequestID: request[in], Answer: vetting.Answer{Verdict: vetting.Clean}},
				{RequestID: request[out], Answer: vetting.Answer{Verdict: vetting.Clean}}})
		})
		if !errs.Is(err, errs.NotFound) {
			t.Fatalf("a batch naming a request outside the scope: %v", err)
		}
		if n, _ := scoped.CountQueue(ctx, "open"); n != 1 {
			t.Fatalf("a refused batch answered %d", 1-n)
		}
		// Another department's reviewer of the same scope sees none of gaj's.
		if n, err := as(st, account.Reviewer, "/QS/QS-01/", "mzj").CountQueue(ctx, "answered"); n != 0 || err != nil {
			t.Fatalf("mzj answered %d %v", n, err)
		}
		// An account of no department has no queue.
		if _, err := within(st, "/QS/QS-01/").CountQueue(ctx, "open"); !errs.Is(err, errs.NotFound) {
			t.Fatalf("queue of an office: %v", err)
		}
	})
}

// A scoped office may not change the zone's checklists, nor move an
// aspirant of another district; it starts rounds over its own aspirants.
func TestScopedOfficeInTheGates(t *testing.T) {
	gatelessZone.ForEach(t, func(t *testing.T, st *store.Store) {
		in, out := gatesZone(t, st)
		office := within(st, "/QS/QS-01/")
		err := office.Write(ctx, func(tx *store.Tx) error {
			_, err := tx.SetChecklist(ctx, "mzj", []string{"not_voter"})
			return err
		})
		if !errs.Is(err, errs.Forbidden) || errs.MessageOf(err) == "" {
			t.Fatalf("checklist by a scoped office: %v", err)
		}
		err = office.Write(ctx, func(tx *store.Tx) error { return tx.MoveAspirant(ctx, out, vetting.Reviewed, "越权") })
		if !errs.Is(err, errs.NotFound) {
			t.Fatalf("move outside the scope: %v", err)
		}
		if a, _ := st.Zone(store.System).Aspirant(ctx, out); a.Status != vetting.UnderReview {
			t.Fatalf("the other district's aspirant moved to %s", a.Status)
		}
		if err := office.Write(ctx, func(tx *store.Tx) error { return tx.MoveAspirant(ctx, in, vetting.Reviewed, "联审完成") }); err != nil {
			t.Fatalf("move inside the scope: %v", err)
		}
		var late []int64
		err = st.Zone(store.System).Write(ctx, func(tx *store.Tx) error {
			var err error
			late, err = tx.ImportAspirants(ctx, []vetting.Aspirant{reviewAspirant(3, "QS-01-002"), reviewAspirant(4, "QS-02-002")})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		var r store.RoundStarted
		err = office.Write(ctx, func(tx *store.Tx) error {
			var err error
			r, err = tx.StartReviewRound(ctx, vetting.Round{Kind: vetting.FirstRound, DocNo: "片一2号", Date: "2026-11-02", Deadline: "2026-11-12"})
			return err
		})
		if err != nil || r.Aspirants != 1 {
			t.Fatalf("scoped round %+v %v, want the one late aspirant of QS-01", r, err)
		}
		if a, _ := st.Zone(store.System).Aspirant(ctx, late[1]); a.Status != vetting.Registered {
			t.Fatalf("the scoped round sent QS-02's aspirant: %s", a.Status)
		}
		rounds, err := office.ReviewRounds(ctx)
		if err != nil || len(rounds) != 2 || rounds[0].Aspirants != 1 || rounds[1].Aspirants != 1 {
			t.Fatalf("rounds as the scoped office sees them %+v %v", rounds, err)
		}
	})
}

// Those who do not handle cases get the outcomes only; the police get the
// tips routed to them only.
func TestCaseOutcomesAndPoliceTipsInStore(t *testing.T) {
	gatelessZone.ForEach(t, func(t *testing.T, st *store.Store) {
		in, _ := gatesZone(t, st)
		zone := st.Zone(store.System)
		var decided, open store.CaseRow
		var routed, kept vetting.Tip
		err := zone.Write(ctx, func(tx *store.Tx) error {
			var err error
			c := vetting.Case{OrgCode: "QS-01-001", Source: vetting.FromPolice, Summary: "调查中的案情", Parties: []string{"钱某"}, AspirantIDs: []int64{in}}
			if decided, err = tx.AddCase(ctx, c); err != nil {
				return err
			}
			if open, err = tx.AddCase(ctx, c); err != nil {
				return err
			}
			for _, s := range []vetting.CaseStatus{vetting.CaseInvestigating, vetting.CaseHandling} {
				if _, err = tx.MoveCase(ctx, decided.ID, s); err != nil {
					return err
				}
			}
			if decided, err = tx.DecideCase(ctx, decided.ID, vetting.Admonish, "诫勉谈话"); err != nil {
				return err
			}
			tip := vetting.Tip{OrgCode: "QS-01-001", Category: vetting.TipCrime, Description: "有人威胁选民不得投票给他人"}
			if routed, err = tx.AddTip(ctx, tip, nil); err != nil {
				return err
			}
			if kept, err = tx.AddTip(ctx, tip, nil); err != nil {
				return err
			}
			police := vetting.RoutePolice
			_, err = tx.TriageTip(ctx, routed.ID, store.TipTriage{RoutedTo: &police})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if decided.DecidedOn == "" {
			t.Fatal("no day on a decided case")
		}
		for _, role := range []account.Role{account.Admin, account.Leader, account.Committee} {
			q := as(st, role, "", "")
			list, total, err := q.Cases(ctx, store.CaseFilter{Status: vetting.CaseAccepted})
			if err != nil || total != 1 || len(list) != 1 || list[0].ID != decided.ID {
				t.Fatalf("%s cases %+v %d %v, want the decided one, its stage ignored", role, list, total, err)
			}
			c := list[0]
			if !c.OutcomeOnly || c.Summary != "" || len(c.Parties) != 0 || c.Source != "" || c.Status != "" || c.TipID != 0 ||
				len(c.Next) != 0 || c.OutcomeNote != "诫勉谈话" || c.DecidedOn != decided.DecidedOn || len(c.Aspirants) != 1 {
				t.Fatalf("%s sees %+v", role, c)
			}
			if _, err := q.Case(ctx, open.ID); !errs.Is(err, errs.NotFound) {
				t.Fatalf("%s reads an undecided case: %v", role, err)
			}
			a, _ := q.Aspirant(ctx, in)
			ds, err := q.Dossiers(ctx, []store.AspirantRow{a})
			if err != nil || len(ds[0].Cases) != 1 || ds[0].Cases[0].Summary != "" || ds[0].Cases[0].Source != "" {
				t.Fatalf("%s dossier cases %+v %v", role, ds, err)
			}
		}
		err = as(st, account.Admin, "", "").Write(ctx, func(tx *store.Tx) error {
			_, err := tx.MoveCase(ctx, open.ID, vetting.CaseInvestigating)
			return err
		})
		if !errs.Is(err, errs.Forbidden) {
			t.Fatalf("the office moves a case: %v", err)
		}
		for _, role := range []account.Role{account.Discipline, account.Police} {
			list, total, err := as(st, role, "", "").Cases(ctx, store.CaseFilter{})
			if err != nil || total != 2 || list[0].Summary == "" || list[0].OutcomeOnly {
				t.Fatalf("%s cases %+v %v", role, list, err)
			}
		}

		police := as(st, account.Police, "", "")
		tips, total, err := police.Tips(ctx, store.TipFilter{})
		if err != nil || total != 1 || len(tips) != 1 || tips[0].ID != routed.ID || tips[0].RoutedTo != vetting.RoutePolice {
			t.Fatalf("police tips %+v %d %v", tips, total, err)
		}
		if _, err := police.Tip(ctx, kept.ID); !errs.Is(err, errs.NotFound) {
			t.Fatalf("police read a tip not routed to them: %v", err)
		}
		err = police.Write(ctx, func(tx *store.Tx) error {
			none := vetting.NotRouted
			_, err := tx.TriageTip(ctx, routed.ID, store.TipTriage{RoutedTo: &none})
			return err
		})
		if !errs.Is(err, errs.Forbidden) {
			t.Fatalf("police route a tip: %v", err)
		}
		err = police.Write(ctx, func(tx *store.Tx) error {
			_, err := tx.TriageTip(ctx, kept.ID, store.TipTriage{Status: vetting.TipVerifying})
			return err
		})
		if !errs.Is(err, errs.NotFound) {
			t.Fatalf("police triage a tip not routed to them: %v", err)
		}
		if _, total, _ := as(st, account.Discipline, "", "").Tips(ctx, store.TipFilter{}); total != 2 {
			t.Fatalf("discipline sees %d tips, want 2", total)
		}
	})
}
