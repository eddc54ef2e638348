package store_test

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/demo"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/idcard"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/testdb"
	"github.com/huanjie/huanjie/internal/vetting"
)

// reviewID makes a valid ID number for the n-th test aspirant (born 1980,
// region 990101, which no province has).
func reviewID(n int) string {
	k := n / 1000
	first := fmt.Sprintf("990101%04d%02d%02d%03d", 1970+k/336, 1+k/28%12, 1+k%28, n%1000)
	return first + string(idcard.CheckDigit(first))
}

func reviewAspirant(n int, community string) vetting.Aspirant {
	return vetting.Aspirant{OrgCode: community, Name: fmt.Sprintf("参选人%d", n), IDNumber: reviewID(n), Phone: "13812345678",
		Party: vetting.Masses, Committee: org.ResidentsCommittee, Post: vetting.CommitteeMember, Education: vetting.HighSchool}
}

// reviewZone loads the demo zone and registers n aspirants in its first
// community; it returns the cycle and the aspirants' ids.
func reviewZone(t testing.TB, st *store.Store, n int) (org.Cycle, []int64) {
	t.Helper()
	z := demo.Generate(demo.DefaultSeed, demo.DefaultCommunities).WithoutGates()
	if err := demo.Load(ctx, st, z, nil); err != nil {
		t.Fatal(err)
	}
	cycle, err := st.CurrentCycle(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var community string
	for _, u := range z.Units {
		if u.Kind == org.Community {
			community = u.Code
			break
		}
	}
	items := make([]vetting.Aspirant, n)
	for i := range items {
		items[i] = reviewAspirant(i, community)
	}
	var ids []int64
	err = st.Zone(store.System).Write(ctx, func(tx *store.Tx) error {
		ids, err = tx.ImportAspirants(ctx, items)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return cycle, ids
}

// asDept is the platform answering for department code.
func asDept(st *store.Store, code string) *store.Scoped {
	return st.Zone(store.System).AsDepartment(code)
}

func startRound(t testing.TB, st *store.Store, cycle org.Cycle, kind vetting.RoundKind, doc, date string) store.RoundStarted {
	t.Helper()
	var out store.RoundStarted
	err := st.Zone(store.System).Write(ctx, func(tx *store.Tx) error {
		var err error
		out, err = tx.StartReviewRound(ctx, vetting.Round{Kind: kind, DocNo: doc, Date: civil.Date(date), Deadline: civil.Date(date)})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestJointReviewStore(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, st *store.Store) {
		st.SetClock(func() time.Time { return time.Date(2026, 11, 27, 4, 0, 0, 0, time.UTC) })
		cycle, ids := reviewZone(t, st, 2)
		ds, err := st.Zone(store.System).ReviewDepartments(ctx)
		if err != nil || len(ds) != 20 {
			t.Fatalf("departments %d %v", len(ds), err)
		}
		if d, _ := ds.Find("gaj"); !d.Checks("criminal") {
			t.Fatalf("gaj's default checklist %v", d.Checklist)
		}
		// A checklist naming an unknown condition is refused.
		err = st.Zone(store.System).Write(ctx, func(tx *store.Tx) error {
			_, err := tx.SetChecklist(ctx, "mzj", []string{"not_voter", "no_such"})
			return err
		})
		if !errs.Is(err, errs.Unprocessable) {
			t.Fatalf("bad checklist: %v", err)
		}

		// A second round before any first one is refused.
		err = st.Zone(store.System).Write(ctx, func(tx *store.Tx) error {
			_, err := tx.StartReviewRound(ctx, vetting.Round{Kind: vetting.SecondRound, DocNo: "文1", Date: "2026-11-01", Deadline: "2026-11-10"})
			return err
		})
		if !errs.Is(err, errs.Unprocessable) {
			t.Fatalf("second round first: %v", err)
		}
		r1 := startRound(t, st, cycle, vetting.FirstRound, "开发区换届办〔2026〕3号", "2026-11-01")
		if r1.Requests != 40 || r1.Aspirants != 2 {
			t.Fatalf("round: %+v", r1)
		}
		a, err := st.Zone(store.System).Aspirant(ctx, ids[0])
		if err != nil || a.Status != vetting.UnderReview {
			t.Fatalf("aspirant after start: %v %v", a.Status, err)
		}
		// Nobody left to send: under review cannot start again.
		err = st.Zone(store.System).Write(ctx, func(tx *store.Tx) error {
			_, err := tx.StartReviewRound(ctx, vetting.Round{Kind: vetting.SecondRound, DocNo: "文2", Date: "2026-11-02", Deadline: "2026-11-10"})
			return err
		})
		if !errs.Is(err, errs.Unprocessable) {
			t.Fatalf("round with nobody to send: %v", err)
		}

		n, err := asDept(st, "gaj").CountQueue(ctx, "open")
		if err != nil || n != 2 {
			t.Fatalf("gaj open %d %v", n, err)
		}
		var queue []store.QueueItem
		err = asDept(st, "gaj").Write(ctx, func(tx *store.Tx) error {
			queue, err = tx.ReviewQueue(ctx, store.QueueFilter{})
			return err
		})
		if err != nil || len(queue) != 2 || queue[0].IDNumber != reviewID(0) || !queue[0].Overdue {
			t.Fatalf("queue %+v %v", queue, err)
		}
		// Another department's request is not found.
		err = asDept(st, "mzj").Write(ctx, func(tx *store.Tx) error {
			_, err := tx.AnswerReview(ctx, queue[0].ID, vetting.Answer{Verdict: vetting.Clean})
			return err
		})
		if !errs.Is(err, errs.NotFound) {
			t.Fatalf("answer for another department: %v", err)
		}

		// Answer every request of aspirant 0: gaj clean, the rest clean.
		answerAll := func(aspirant int64, round int64, verdicts map[string]vetting.Answer) {
			t.Helper()
			for _, d := range ds {
				err := asDept(st, d.Code).Write(ctx, func(tx *store.Tx) error {
					items, err := tx.ReviewQueue(ctx, store.QueueFilter{Status: "open", Limit: 1000})
					if err != nil {
						return err
					}
					for _, it := range items {
						if it.AspirantID != aspirant || it.RoundID != round {
							continue
						}
						a, ok := verdicts[d.Code]
						if !ok {
							a = vetting.Answer{Verdict: vetting.Clean}
						}
						if _, err := tx.AnswerReview(ctx, it.ID, a); err != nil {
							return err
						}
					}
					return nil
				})
				if err != nil {
					t.Fatal(err)
				}
			}
		}
		answerAll(ids[0], r1.Round.ID, nil)
		a, _ = st.Zone(store.System).Aspirant(ctx, ids[0])
		if a.Status != vetting.Reviewed || !a.Reviewed || a.Findings {
			t.Fatalf("after all answered: %v reviewed %v findings %v", a.Status, a.Reviewed, a.Findings)
		}
		a, _ = st.Zone(store.System).Aspirant(ctx, ids[1])
		if a.Status != vetting.UnderReview {
			t.Fatalf("aspirant 1 should still be under review: %v", a.Status)
		}
		per, list, err := st.Zone(store.System).ReviewOverdue(ctx, 0)
		if err != nil || len(per) != 20 || per[slices.IndexFunc(per, func(d store.OverdueDepartment) bool { return d.Code == "gaj" })].Overdue != 1 || len(list) != 20 {
			t.Fatalf("overdue %+v %d %v", per, len(list), err)
		}
		// The home page's counts (ReviewOpen) agree with the overdue list,
		// a statement of its own, and keep to the scope of the aspirants'
		// communities: their district counts them all, another none.
		open, err := st.Zone(store.System).ReviewOpen(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range open {
			listed := 0
			for _, o := range list {
				if o.Department == d.Code {
					listed++
				}
			}
			if d.Overdue != listed || d.Open != 1 {
				t.Errorf("%s: %d open, %d overdue; the list holds %d of its requests overdue, of one aspirant's open", d.Code, d.Open, d.Overdue, listed)
			}
		}
		units, err := st.Zone(store.System).ListOrgs(ctx, store.OrgFilter{Codes: []string{a.OrgCode}})
		if err != nil || len(units) != 1 {
			t.Fatalf("the aspirants' community: %v %v", units, err)
		}
		districts, err := st.Zone(store.System).ListOrgs(ctx, store.OrgFilter{Kind: org.District})
		if err != nil || len(districts) < 2 {
			t.Fatalf("districts %d %v", len(districts), err)
		}
		for _, d := range districts {
			theirs := strings.HasPrefix(units[0].Path, d.Path)
			in, err := within(st, d.Path).ReviewOpen(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for i, c := range in {
				if want := map[bool]int{true: open[i].Open, false: 0}[theirs]; c.Open != want {
					t.Fatalf("%s in %s: %d open, want %d", c.Code, d.Code, c.Open, want)
				}
			}
		}

		// The second round: gaj now names criminal for aspirant 0.
		r2 := startRound(t, st, cycle, vetting.SecondRound, "开发区换届办〔2026〕9号", "2026-11-20")
		if r2.Aspirants != 1 || r2.Requests != 20 {
			t.Fatalf("second round %+v", r2)
		}
		answerAll(ids[0], r2.Round.ID, map[string]vetting.Answer{"gaj": {Verdict: vetting.Findings, Conditions: []string{"criminal"}, Note: "2019年判刑"}})
		a, _ = st.Zone(store.System).Aspirant(ctx, ids[0])
		if a.Status != vetting.Reviewed || !a.Findings {
			t.Fatalf("after second round: %v findings %v", a.Status, a.Findings)
		}
		misses, err := st.Zone(store.System).ReviewMisses(ctx, true)
		if err != nil || len(misses) != 1 || misses[0].Department != "gaj" || misses[0].Condition != "criminal" ||
			misses[0].Missed.ID != r1.Round.ID || misses[0].Found.ID != r2.Round.ID || misses[0].Aspirant != "参选人0" {
			t.Fatalf("misses %+v %v", misses, err)
		}
		rounds, err := st.Zone(store.System).ReviewRounds(ctx)
		if err != nil || len(rounds) != 2 || rounds[0].Requests != 40 || rounds[0].Answered != 20 || rounds[1].Answered != 20 {
			t.Fatalf("rounds %+v %v", rounds, err)
		}

		// Late registrations: a joint review takes only those not reviewed
		// yet, all of them or the chosen ones; the reviewed stay as they are.
		var late []int64
		err = st.Zone(store.System).Write(ctx, func(tx *store.Tx) error {
			late, err = tx.ImportAspirants(ctx, []vetting.Aspirant{reviewAspirant(100, a.OrgCode), reviewAspirant(101, a.OrgCode)})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		only := func(doc string, ids ...int64) (store.RoundStarted, error) {
			var out store.RoundStarted
			err := st.Zone(store.System).Write(ctx, func(tx *store.Tx) error {
				var err error
				out, err = tx.StartReviewRound(ctx, vetting.Round{Kind: vetting.FirstRound, DocNo: doc,
					Date: "2026-11-21", Deadline: "2026-11-28", Only: ids})
				return err
			})
			return out, err
		}
		if _, err := only("补1", late[0], ids[0]); !errs.Is(err, errs.Unprocessable) || !strings.Contains(errs.MessageOf(err), "有 1 名不能送联审") {
			t.Fatalf("a reviewed aspirant chosen for a joint review: %v", err)
		}
		if a, _ := st.Zone(store.System).Aspirant(ctx, late[0]); a.Status != vetting.Registered {
			t.Fatalf("refused round changed the late aspirant: %v", a.Status)
		}
		if r, err := only("补2", late[0], late[0]); err != nil || r.Aspirants != 1 || r.Requests != 20 {
			t.Fatalf("round for one chosen aspirant: %+v %v", r, err)
		}
		if a, _ := st.Zone(store.System).Aspirant(ctx, late[1]); a.Status != vetting.Registered {
			t.Fatalf("the aspirant not chosen was sent: %v", a.Status)
		}
		if r := startRound(t, st, cycle, vetting.FirstRound, "补3", "2026-11-22"); r.Aspirants != 1 || r.Requests != 20 {
			t.Fatalf("joint review of the late ones: %+v", r)
		}
		for id, want := range map[int64]vetting.Status{ids[0]: vetting.Reviewed, late[0]: vetting.UnderReview, late[1]: vetting.UnderReview} {
			if a, _ := st.Zone(store.System).Aspirant(ctx, id); a.Status != want {
				t.Errorf("aspirant %d after the late rounds: %v, want %v", id, a.Status, want)
			}
		}
	})
}

// A department's batch of answers is written whole or not at all: the first
// bad item in order names its request and nothing is stored; a request
// answered twice in the batch keeps its last answer; the flags of the
// aspirants it settles are those the answers give.
// firstRoundOf registers n aspirants in QS-01-001 of a zone without gates
// and starts a first round of the joint review for them.
func firstRoundOf(t *testing.T, st *store.Store, n int) {
	t.Helper()
	items := make([]vetting.Aspirant, n)
	for i := range items {
		items[i] = reviewAspirant(i, "QS-01-001")
	}
	if err := st.Zone(store.System).Write(ctx, func(tx *store.Tx) error {
		_, err := tx.ImportAspirants(ctx, items)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	cycle, err := st.CurrentCycle(ctx)
	if err != nil {
		t.Fatal(err)
	}
	startRound(t, st, cycle, vetting.FirstRound, "开发区换届办〔2026〕3号", "2026-11-01")
}

// An import of aspirants goes in whole or not at all and names its first
// bad row as registering each on its own would: an ID number registered
// already (typed with spaces) or earlier in the batch, before a row that
// fails its checks; a row that fails its checks, before a later conflict.
func TestImportAspirantsRefusals(t *testing.T) {
	gatelessZone.ForEach(t, func(t *testing.T, st *store.Store) {
		imp := func(items ...vetting.Aspirant) ([]int64, error) {
			var ids []int64
			err := st.Zone(store.System).Write(ctx, func(tx *store.Tx) (err error) {
				ids, err = tx.ImportAspirants(ctx, items)
				return err
			})
			return ids, err
		}
		if _, err := imp(reviewAspirant(1, "QS-01-001"), reviewAspirant(2, "QS-01-002")); err != nil {
			t.Fatal(err)
		}
		count := func() int64 { return rowCount(t, st, "aspirants") }
		before := count()
		spaced := reviewAspirant(1, "QS-01-003")
		spaced.IDNumber = spaced.IDNumber[:6] + " " + spaced.IDNumber[6:]
		bad := reviewAspirant(5, "QS-01-001")
		bad.Phone = "12"
		for _, c := range []struct {
			what  string
			items []vetting.Aspirant
			code  errs.Code
			field string
			row   string
		}{
			{"registered already, before a bad row", []vetting.Aspirant{reviewAspirant(3, "QS-01-001"), spaced, bad}, errs.Conflict, "", "第2人"},
			{"a bad row, before one registered", []vetting.Aspirant{reviewAspirant(3, "QS-01-001"), bad, spaced}, errs.Unprocessable, "phone", "第2人"},
			{"twice in the batch", []vetting.Aspirant{reviewAspirant(3, "QS-01-001"), reviewAspirant(4, "QS-01-001"),
				reviewAspirant(3, "QS-01-002")}, errs.Conflict, "", "第3人"},
			{"no such community", []vetting.Aspirant{reviewAspirant(3, "QS-01-001"), reviewAspirant(4, "QS-99-999")},
				errs.Unprocessable, "community", "第2人"},
		} {
			_, err := imp(c.items...)
			if !errs.Is(err, c.code) || errs.FieldOf(err) != c.field || err == nil || !strings.Contains(err.Error(), c.row+" ") {
				t.Errorf("%s: %v (field %q), want %s on %q naming %s", c.what, err, errs.FieldOf(err), c.code, c.field, c.row)
			}
			if c.code == errs.Conflict && !strings.Contains(errs.MessageOf(err), "已在本届登记") {
				t.Errorf("%s: %q", c.what, errs.MessageOf(err))
			}
			if n := count(); n != before {
				t.Fatalf("%s: the refused import left %d aspirants, were %d", c.what, n, before)
			}
		}
		ids, err := imp(reviewAspirant(3, "QS-01-001"), reviewAspirant(4, "QS-01-002"))
		if err != nil || len(ids) != 2 || count() != before+2 {
			t.Fatalf("the good import: %v %v", ids, err)
		}
		for i, id := range ids {
			a, err := st.Zone(store.System).Aspirant(ctx, id)
			if err != nil || a.Name != reviewAspirant(3+i, "").Name {
				t.Errorf("id %d of row %d: %+v %v", id, i+1, a, err)
			}
		}
	})
}

func TestAnswerReviewsBatch(t *testing.T) {
	gatelessZone.ForEach(t, func(t *testing.T, st *store.Store) {
		firstRoundOf(t, st, 2)
		queue := func(dept string) []store.QueueItem {
			var q []store.QueueItem
			if err := asDept(st, dept).Write(ctx, func(tx *store.Tx) (err error) {
				q, err = tx.ReviewQueue(ctx, store.QueueFilter{Limit: 100})
				return err
			}); err != nil || len(q) != 2 {
				t.Fatalf("%s's queue %d %v", dept, len(q), err)
			}
			return q
		}
		gaj, mzj := queue("gaj"), queue("mzj")
		batch := func(items ...store.ReviewAnswer) error {
			return asDept(st, "gaj").Write(ctx, func(tx *store.Tx) error { return tx.AnswerReviews(ctx, items) })
		}
		clean := vetting.Answer{Verdict: vetting.Clean}
		criminal := vetting.Answer{Verdict: vetting.Findings, Conditions: []string{"criminal"}, Note: "2019年判刑"}
		for _, c := range []struct {
			name  string
			items []store.ReviewAnswer
			code  errs.Code
			names int64
		}{
			{"another department's request", []store.ReviewAnswer{{gaj[0].ID, clean}, {mzj[1].ID, clean}}, errs.NotFound, mzj[1].ID},
			{"no such request", []store.ReviewAnswer{{gaj[0].ID, clean}, {999999, clean}, {gaj[1].ID, clean}}, errs.NotFound, 999999},
			{"a condition not on the checklist", []store.ReviewAnswer{{gaj[0].ID, clean},
				{gaj[1].ID, vetting.Answer{Verdict: vetting.Findings, Conditions: []string{"no_such"}}}}, errs.Unprocessable, gaj[1].ID},
		} {
			err := batch(c.items...)
			if !errs.Is(err, c.code) || !strings.Contains(err.Error(), fmt.Sprintf("编号 %d:", c.names)) {
				t.Fatalf("%s: %v, want %v naming %d", c.name, err, c.code, c.names)
			}
			if n, _ := asDept(st, "gaj").CountQueue(ctx, "open"); n != 2 {
				t.Fatalf("%s: the refused batch answered %d", c.name, 2-n)
			}
		}
		// Aspirant 0's request answered clean, then with findings: the last stands.
		if err := batch(store.ReviewAnswer{gaj[0].ID, clean}, store.ReviewAnswer{gaj[1].ID, clean}, store.ReviewAnswer{gaj[0].ID, criminal}); err != nil {
			t.Fatal(err)
		}
		for _, it := range queue("gaj") {
			want := clean
			if it.ID == gaj[0].ID {
				want = criminal
			}
			if it.Answer.Verdict != want.Verdict || strings.Join(it.Answer.Conditions, ",") != strings.Join(want.Conditions, ",") || it.Answer.Note != want.Note {
				t.Fatalf("request %d stored %+v, want %+v", it.ID, it.Answer, want)
			}
		}
		for i, findings := range []bool{true, false} {
			a, err := st.Zone(store.System).Aspirant(ctx, gaj[i].AspirantID)
			if err != nil || a.Findings != findings || a.Reviewed || a.Status != vetting.UnderReview {
				t.Fatalf("aspirant %d: findings %v reviewed %v %v (%v), want findings %v, still under review", i, a.Findings, a.Reviewed, a.Status, err, findings)
			}
		}
		// Every other department answers both in one batch: the last
		// answer moves both to reviewed at once, each move recorded.
		depts, err := st.Zone(store.System).ReviewDepartments(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range depts {
			if d.Code == "gaj" {
				continue
			}
			var answers []store.ReviewAnswer
			for _, it := range queue(d.Code) {
				answers = append(answers, store.ReviewAnswer{RequestID: it.ID, Answer: clean})
			}
			if err := asDept(st, d.Code).Write(ctx, func(tx *store.Tx) error { return tx.AnswerReviews(ctx, answers) }); err != nil {
				t.Fatal(err)
			}
		}
		moves, err := st.Zone(store.System).AuditLog(ctx, store.AuditFilter{Action: "aspirant.status", Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		moved := map[string]bool{}
		for _, m := range moves {
			if strings.Contains(m.Before, string(vetting.UnderReview)) && strings.Contains(m.After, "联审全部答复") &&
				strings.Contains(m.After, string(vetting.Reviewed)) {
				moved[m.EntityID] = true
			}
		}
		for i := range 2 {
			a, err := st.Zone(store.System).Aspirant(ctx, gaj[i].AspirantID)
			if err != nil || !a.Reviewed || a.Status != vetting.Reviewed {
				t.Fatalf("aspirant %d after every answer: reviewed %v %v (%v)", i, a.Reviewed, a.Status, err)
			}
			if !moved[strconv.FormatInt(a.ID, 10)] {
				t.Fatalf("aspirant %d's move to reviewed is not in the audit log: %+v", i, moves)
			}
		}
		if len(moves) != 2 {
			t.Fatalf("%d moves recorded, want 2: %+v", len(moves), moves)
		}
	})
}

// The joint review's progress of the whole zone, read from the requests
// alone, is the sum of its districts', read through the aspirants, and what
// counting the requests answered before each day's end gives, on both
// engines.
func TestReviewProgressSums(t *testing.T) {
	demoZone.ForEach(t, func(t *testing.T, st *store.Store) {
		zone := st.Zone(store.System)
		total, days, err := zone.ReviewProgress(ctx, 7)
		if err != nil {
			t.Fatal(err)
		}
		districts, err := zone.ListOrgs(ctx, store.OrgFilter{Kind: org.District})
		if err != nil {
			t.Fatal(err)
		}
		sum, answered := 0, make([]int, len(days))
		for _, d := range districts {
			n, ds, err := within(st, d.Path).ReviewProgress(ctx, 7)
			if err != nil {
				t.Fatal(err)
			}
			sum += n
			for i := range ds {
				answered[i] += ds[i].Answered
			}
		}
		if total == 0 || days[len(days)-1].Answered == 0 || sum != total {
			t.Fatalf("the zone: %d requests, %+v; its districts: %d", total, days, sum)
		}
		ends := make([]time.Time, len(days))
		for i, d := range days {
			ends[i] = d.Day.AddDays(1).Start()
		}
		all, want, err := st.AnsweredBy(ctx, ends)
		if err != nil {
			t.Fatal(err)
		}
		changed := false
		for i := range days {
			if days[i].Answered != answered[i] || days[i].Answered != want[i] {
				t.Errorf("%s: the zone %d answered, its districts %d, the requests counted one by one %d", days[i].Day, days[i].Answered, answered[i], want[i])
			}
			changed = changed || i > 0 && want[i] != want[i-1]
		}
		if all != total || !changed {
			t.Errorf("%d requests, counted one by one %d; answered by day %v (the week should move)", total, all, want)
		}
	})
}

// A department's answers, one at a time, run the same statements whatever
// the aspirant: the store keeps no statement per answer (SQLite, where it
// keeps them). With the aspirants' ids written into the statements, each
// answer added three, until the cache was full and no statement new to it
// was kept any more.
func TestAnswersKeepNoStatementEach(t *testing.T) {
	st := testdb.Open(t, store.SQLite)
	st.StopAuditCopy() // its statement would be kept when it runs, whenever that is
	st.SetClock(func() time.Time { return time.Date(2026, 11, 27, 4, 0, 0, 0, time.UTC) })
	cycle, _ := reviewZone(t, st, 12)
	startRound(t, st, cycle, vetting.FirstRound, "文1", "2026-11-01")
	var queue []store.QueueItem
	err := asDept(st, "gaj").Write(ctx, func(tx *store.Tx) error {
		var err error
		queue, err = tx.ReviewQueue(ctx, store.QueueFilter{})
		return err
	})
	if err != nil || len(queue) != 12 {
		t.Fatalf("queue of %d: %v", len(queue), err)
	}
	kept := 0
	for i, it := range queue {
		err := asDept(st, "gaj").Write(ctx, func(tx *store.Tx) error {
			_, err := tx.AnswerReview(ctx, it.ID, vetting.Answer{Verdict: vetting.Clean})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		switch n := st.CachedStatements(); {
		case i == 1:
			kept = n
		case i > 1 && n != kept:
			t.Fatalf("after answer %d the store keeps %d statements, after the second %d", i+1, n, kept)
		}
	}
	if n, err := asDept(st, "gaj").CountQueue(ctx, "open"); err != nil || n != 0 {
		t.Fatalf("open after the answers: %d %v", n, err)
	}
}
