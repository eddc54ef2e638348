package store_test

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/huanjie/huanjie/internal/account"
	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/election"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/progress"
	"github.com/huanjie/huanjie/internal/slate"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/testdb"
	"github.com/huanjie/huanjie/internal/vetting"
)

// countCommunity is the community whose party committee votes in the
// counting tests, on countDay.
const countCommunity = "QS-01-001"

var countDay = time.Date(2027, 3, 1, 9, 0, 0, 0, civil.Zone)

// countZone is the demo zone without its gates where QS-01-001's party
// committee has 5 seats (书记, 副书记, 3 委员) and a formal list of 6
// persons who passed the third gate (1 书记, 5 委员), posted 2027-02-20
// for the vote of 2027-03-01.
var countZone = gatelessZone.Then(func(ctx context.Context, st *store.Store) error {
	_, err := formalParty(ctx, st, countCommunity)
	return err
})

// formalParty gives community code's party committee its seats and a
// formal list of six (store clock moved to 2027-01-20) and returns the
// persons' ids, the 书记 first. Their ID numbers differ by community
// (QS-01-00n), so that several communities may have one.
func formalParty(ctx context.Context, st *store.Store, code string) ([]int64, error) {
	zone := st.Zone(store.System)
	n, _ := strconv.Atoi(code[len(code)-3:])
	clock := time.Date(2027, 1, 10, 9, 0, 0, 0, civil.Zone)
	st.SetClock(func() time.Time { return clock })
	var ids []int64
	err := zone.Write(ctx, func(tx *store.Tx) error {
		if _, _, err := tx.SetElectionDays(ctx, code, progress.Days{Party: "2027-03-01", Residents: "2027-03-29"}); err != nil {
			return err
		}
		for i, name := range []string{"计甲", "计乙", "计丙", "计丁", "计戊", "计己"} {
			a, err := tx.AddAspirant(ctx, vetting.Aspirant{OrgCode: code, Name: name, IDNumber: idBornOn("19800101", 500+10*(n-1)+i),
				Phone: "13800000000", Party: vetting.PartyMember, Committee: org.PartyCommittee,
				Post: vetting.CommitteeMember, Education: vetting.Bachelor})
			if err != nil {
				return err
			}
			ids = append(ids, a.ID)
			for _, to := range []vetting.Status{vetting.UnderReview, vetting.Reviewed, vetting.Qualified} {
				if err := tx.MoveAspirant(ctx, a.ID, to, "测试"); err != nil {
					return err
				}
			}
			if _, err := tx.AssessCandidate(ctx, a.ID, slate.Assessment{Talks: 5, Talked: "党员", Appraisal: slate.Appraisal{Excellent: 8, Competent: 2},
				Opinion: "好", Conclusion: slate.Recommend}); err != nil {
				return err
			}
			if _, err := tx.DecideCandidate(ctx, a.ID, slate.Decision{Approved: true, Day: "2027-01-12"}); err != nil {
				return err
			}
			if _, err := tx.ApproveCandidateHigher(ctx, a.ID, slate.Higher{Day: "2027-01-14", Document: "清组字〔2027〕3号"}); err != nil {
				return err
			}
			if _, err := tx.NoticeCandidate(ctx, a.ID, slate.Notice{Start: "2027-01-15", End: "2027-01-19"}); err != nil {
				return err
			}
		}
		_, err := tx.SetSeats(ctx, code, slate.Seats{Committee: org.PartyCommittee, FullMembers: 40, Chief: 1, Deputies: 1, Members: 3})
		return err
	})
	if err != nil {
		return nil, err
	}
	clock = time.Date(2027, 1, 20, 9, 0, 0, 0, civil.Zone)
	err = zone.Write(ctx, func(tx *store.Tx) error {
		var entries []slate.Entry
		for i, id := range ids {
			post := vetting.CommitteeMember
			if i == 0 {
				post = vetting.Secretary
			}
			entries = append(entries, slate.Entry{AspirantID: id, Post: post})
		}
		_, err := tx.SetFormalList(ctx, code, org.PartyCommittee, "2027-02-20", entries)
		return err
	})
	return ids, err
}

// countAccount is a user of role r whose scope is the unit at path.
func countAccount(st *store.Store, id int64, name string, r account.Role, path string) *store.Scoped {
	return st.For(account.User{ID: id, Username: name, Role: r, ScopePath: path})
}

// filled is a party count sheet of valid and invalid ballots, as many
// issued as returned, every field filled and every check passed: the 书记
// candidate yes on every valid ballot, the members fewer by turns, each
// line adding up to the valid ballots.
func filled(b store.Ballot, valid, invalid int) election.Count {
	c := b.Blank()
	n := func(v int) *int { return &v }
	c.Issued, c.Returned, c.Valid, c.Invalid = n(valid+invalid), n(valid+invalid), n(valid), n(invalid)
	for i := range c.Lines {
		yes := valid
		if i > 0 {
			yes = max(0, valid*3/5-i)
		}
		abstain := min(1, valid-yes)
		c.Lines[i].Yes, c.Lines[i].No, c.Lines[i].Abstain = n(yes), n(valid-yes-abstain), n(abstain)
	}
	return c
}

func write[T any](t *testing.T, db *store.Scoped, fn func(tx *store.Tx) (T, error)) (T, error) {
	t.Helper()
	var out T
	err := db.Write(ctx, func(tx *store.Tx) error {
		var err error
		out, err = fn(tx)
		return err
	})
	return out, err
}

func wantCode(t *testing.T, what string, err error, code errs.Code) {
	t.Helper()
	if errs.CodeOf(err) != code {
		t.Fatalf("%s: %v, want %s", what, err, code)
	}
}

// The double entry of a party committee's count through the store on both
// engines (issue 15, "Done when"): the same clerk cannot enter twice; a
// clerk reads only their own entry, an empty field stays empty (and fails
// the check) until 其余填0; a count whose two entries differ cannot be
// confirmed, and after the coordinator (who entered neither) resolves it,
// it can; the ballot's total is confirmed and kept; every step audited;
// nothing outside the scope.
func TestCounts(t *testing.T) {
	countZone.ForEach(t, func(t *testing.T, st *store.Store) {
		st.SetClock(func() time.Time { return countDay })
		office := st.Zone(store.System)
		clerkA := countAccount(st, 9101, "录入员甲", account.Community, "/QS/QS-01/QS-01-001/")
		clerkB := countAccount(st, 9102, "录入员乙", account.District, "/QS/QS-01/")
		coord := countAccount(st, 9103, "协调员", account.District, "/QS/QS-01/")
		other := countAccount(st, 9104, "外片区", account.District, "/QS/QS-02/")

		// Opened from the formal list: seats from the community's seats.
		_, err := write(t, office, func(tx *store.Tx) (store.Ballot, error) {
			return tx.OpenBallot(ctx, countCommunity, election.Opening{Committee: org.ResidentsCommittee, Round: election.FirstRound, Registered: 900})
		})
		if errs.FieldOf(err) != "seats" {
			t.Errorf("the residents' committee has neither seats nor a list: %v", err)
		}
		b, err := write(t, office, func(tx *store.Tx) (store.Ballot, error) {
			return tx.OpenBallot(ctx, countCommunity, election.Opening{Committee: org.PartyCommittee, Round: election.FirstRound,
				ShouldAttend: 40, Present: 38})
		})
		if err != nil {
			t.Fatal(err)
		}
		if b.Day != "2027-03-01" || len(b.Candidates) != 6 || b.Seats[vetting.CommitteeMember] != 3 || b.Seats[vetting.Secretary] != 1 ||
			len(b.Units) != 1 || b.Units[0].Kind != election.MainHall || b.State != election.BallotOpen {
			t.Fatalf("opened %+v", b)
		}
		_, err = write(t, office, func(tx *store.Tx) (store.Ballot, error) {
			return tx.OpenBallot(ctx, countCommunity, election.Opening{Committee: org.PartyCommittee, Round: election.FirstRound, ShouldAttend: 40})
		})
		if errs.FieldOf(err) != "round" {
			t.Errorf("a second first ballot: %v", err)
		}
		unit := b.Units[0].ID
		save := func(db *store.Scoped, c election.Count, final, zero bool) error {
			_, err := write(t, db, func(tx *store.Tx) (int, error) { return tx.SaveEntry(ctx, unit, c, final, zero) })
			return err
		}

		// The first clerk's draft leaves 无效票数 empty: it stays empty, and the check fails on it.
		draft := filled(b, 38, 0)
		draft.Invalid = nil
		if err := save(clerkA, draft, false, false); err != nil {
			t.Fatal(err)
		}
		mine, err := clerkA.MyEntry(ctx, unit)
		if err != nil || mine.N != 1 || mine.Sheet == nil || mine.Sheet.Count.Invalid != nil || mine.Sheet.Final {
			t.Fatalf("the first clerk's draft: %+v %v", mine, err)
		}
		if !slices.ContainsFunc(mine.Findings, func(f election.Finding) bool { return f.Error }) {
			t.Errorf("an empty field passes the checks: %+v", mine.Findings)
		}
		// The second clerk waits for the first, and never reads it.
		wantCode(t, "the second before the first is final", save(clerkB, filled(b, 38, 0), true, false), errs.Conflict)
		theirs, err := clerkB.MyEntry(ctx, unit)
		if err != nil || theirs.Sheet != nil || theirs.CanEnter || theirs.Why == "" {
			t.Fatalf("the second clerk before the first is final: %+v %v", theirs, err)
		}
		// 其余填0 fills the empty field with 0, audited; zero is not empty.
		before := auditCount(t, st)
		if err := save(clerkA, draft, true, true); err != nil {
			t.Fatal(err)
		}
		if n := auditCount(t, st) - before; n != 2 {
			t.Errorf("finalising with 其余填0 left %d audit entries, want 2", n)
		}
		mine, _ = clerkA.MyEntry(ctx, unit)
		if mine.Sheet.Count.Invalid == nil || *mine.Sheet.Count.Invalid != 0 || !mine.Sheet.Final ||
			slices.ContainsFunc(mine.Findings, func(f election.Finding) bool { return f.Error }) {
			t.Errorf("the first entry after 其余填0: %+v %+v", mine.Sheet.Count.Invalid, mine.Findings)
		}
		// The same clerk cannot enter twice.
		wantCode(t, "the first clerk again", save(clerkA, filled(b, 38, 0), true, false), errs.Conflict)
		if mine.CanEnter {
			t.Error("the first clerk may enter again")
		}
		// The second clerk sees no figures of the first, and enters 38 for the 书记 as 37.
		theirs, err = clerkB.MyEntry(ctx, unit)
		if err != nil || theirs.Sheet != nil || !theirs.CanEnter || theirs.N != 2 {
			t.Fatalf("the second clerk: %+v %v", theirs, err)
		}
		second := filled(b, 38, 0)
		*second.Lines[0].Yes, *second.Lines[0].Abstain = 37, 1
		if err := save(clerkB, second, true, false); err != nil {
			t.Fatal(err)
		}
		if bb, _ := office.Ballot(ctx, b.ID); bb.Units[0].Status != election.EntryDifferent || bb.State != election.BallotCounting ||
			bb.Units[0].Clerks != [2]string{"录入员甲", "录入员乙"} || bb.Units[0].Count != nil {
			t.Fatalf("after two different entries: %+v", bb.Units[0])
		}
		// A clerk does not coordinate; the coordinator cannot confirm while they differ.
		if _, err := clerkA.CountDesk(ctx, unit); !errs.Is(err, errs.Forbidden) {
			t.Errorf("a clerk reads both entries: %v", err)
		}
		_, err = write(t, clerkB, func(tx *store.Tx) (int, error) { return 0, tx.ResolveCount(ctx, unit, election.KeepSecond) })
		wantCode(t, "a clerk resolves", err, errs.Forbidden)
		_, err = write(t, coord, func(tx *store.Tx) (int, error) { return 0, tx.ConfirmCount(ctx, unit) })
		wantCode(t, "confirming two different entries", err, errs.Conflict)
		desk, err := coord.CountDesk(ctx, unit)
		if err != nil || len(desk.Differences) != 2 || desk.Sheets[0] == nil || desk.Sheets[1].Count.Lines == nil || desk.Result != nil {
			t.Fatalf("the coordinator's desk: %+v %v", desk, err)
		}
		if d := desk.Differences[0]; !strings.Contains(d.Label, "计甲") || d.First != "38" || d.Second != "37" {
			t.Errorf("the first difference: %+v", d)
		}
		// Resolved: kept the first; now it can be confirmed, and the ballot too.
		if _, err := write(t, coord, func(tx *store.Tx) (int, error) { return 0, tx.ResolveCount(ctx, unit, election.KeepFirst) }); err != nil {
			t.Fatal(err)
		}
		desk, _ = coord.CountDesk(ctx, unit)
		if desk.Unit.Status != election.EntryAgreed || desk.Result == nil || *desk.Result.Lines[0].Yes != 38 ||
			desk.Differences[0].Resolution != election.KeepFirst || desk.Differences[0].ResolvedBy != "协调员" {
			t.Fatalf("resolved: %+v", desk)
		}
		if _, err := write(t, coord, func(tx *store.Tx) (int, error) { return 0, tx.ConfirmCount(ctx, unit) }); err != nil {
			t.Fatalf("confirming the resolved count: %v", err)
		}
		wantCode(t, "entering a confirmed count", save(clerkB, second, false, false), errs.Conflict)
		_, err = write(t, clerkA, func(tx *store.Tx) (store.Ballot, error) { return tx.ConfirmBallot(ctx, b.ID) })
		wantCode(t, "a clerk confirms the ballot", err, errs.Forbidden)
		confirmed, err := write(t, coord, func(tx *store.Tx) (store.Ballot, error) { return tx.ConfirmBallot(ctx, b.ID) })
		if err != nil || confirmed.State != election.BallotConfirmed || confirmed.Total == nil || *confirmed.Total.Lines[0].Yes != 38 {
			t.Fatalf("the ballot confirmed: %+v %v", confirmed, err)
		}
		if all, err := office.Ballots(ctx, ""); err != nil || len(all) != 1 || all[0].Total == nil || all[0].Units[0].Count == nil {
			t.Errorf("Ballots of the zone: %+v %v", all, err)
		}
		// Outside the scope: not found.
		if _, err := other.Ballot(ctx, b.ID); !errs.Is(err, errs.NotFound) {
			t.Errorf("another district reads the ballot: %v", err)
		}
		if _, err := other.MyEntry(ctx, unit); !errs.Is(err, errs.NotFound) {
			t.Errorf("another district reads an entry: %v", err)
		}
		if list, err := other.Ballots(ctx, ""); err != nil || len(list) != 0 {
			t.Errorf("another district lists %d ballots: %v", len(list), err)
		}
		log := auditActions(t, st)
		for _, a := range []string{"ballot.open", "count.unit", "count.save", "count.fill_zero", "count.finalise", "count.differ",
			"count.resolve", "count.confirm", "ballot.confirm"} {
			if log[a] == 0 {
				t.Errorf("no %s in the audit log: %v", a, log)
			}
		}
	})
}

// auditActions counts the log's entries of the counting actions.
func auditActions(t *testing.T, st *store.Store) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, a := range []string{"ballot.open", "ballot.void", "ballot.confirm", "count.unit", "count.save", "count.fill_zero", "count.finalise",
		"count.differ", "count.resolve", "count.ack", "count.confirm", "tally.read", "tally.undo", "tally.finish"} {
		n, err := st.QueryInt(ctx, `SELECT COUNT(*) FROM audit_log WHERE action = '`+a+`'`)
		if err != nil {
			t.Fatal(err)
		}
		out[a] = int(n)
	}
	return out
}

// The coordinator's other ways: an entry returned to its clerk is theirs to
// correct (knowing which fields differed, not the other's values) and is
// compared again; both discarded begin again; warnings are acknowledged by
// code before the count is confirmed; a station added; a ballot declared
// void must be held again within the cycle's days and takes no more counts.
func TestCountsReturnedAndVoid(t *testing.T) {
	countZone.ForEach(t, func(t *testing.T, st *store.Store) {
		st.SetClock(func() time.Time { return countDay })
		office := st.Zone(store.System)
		clerkA := countAccount(st, 9101, "录入员甲", account.Community, "/QS/QS-01/QS-01-001/")
		clerkB := countAccount(st, 9102, "录入员乙", account.District, "/QS/QS-01/")
		coord := countAccount(st, 9103, "协调员", account.District, "/QS/QS-01/")
		b, err := write(t, office, func(tx *store.Tx) (store.Ballot, error) {
			return tx.OpenBallot(ctx, countCommunity, election.Opening{Committee: org.PartyCommittee, Round: election.FirstRound,
				ShouldAttend: 40, Present: 40})
		})
		if err != nil {
			t.Fatal(err)
		}
		box, err := write(t, office, func(tx *store.Tx) (store.CountUnit, error) {
			return tx.AddCountUnit(ctx, b.ID, "流动票箱一", election.MobileBox, 0)
		})
		if err != nil || box.Seq != 2 {
			t.Fatalf("a mobile box: %+v %v", box, err)
		}
		if _, err := write(t, office, func(tx *store.Tx) (store.CountUnit, error) {
			return tx.AddCountUnit(ctx, b.ID, "流动票箱一", election.MobileBox, 0)
		}); errs.FieldOf(err) != "name" {
			t.Errorf("a box of the same name: %v", err)
		}
		unit := box.ID
		save := func(db *store.Scoped, c election.Count) {
			t.Helper()
			if _, err := write(t, db, func(tx *store.Tx) (int, error) { return tx.SaveEntry(ctx, unit, c, true, false) }); err != nil {
				t.Fatal(err)
			}
		}
		resolve := func(r election.Resolution) {
			t.Helper()
			if _, err := write(t, coord, func(tx *store.Tx) (int, error) { return 0, tx.ResolveCount(ctx, unit, r) }); err != nil {
				t.Fatal(err)
			}
		}
		// 10 returned, 1 invalid: 10% invalid, a warning (W201).
		first := filled(b, 9, 1)
		wrong := filled(b, 9, 1)
		*wrong.Issued = 11
		save(clerkA, first)
		save(clerkB, wrong)
		resolve(election.ReturnSecond)
		theirs, err := clerkB.MyEntry(ctx, unit)
		if err != nil || theirs.Sheet == nil || theirs.Sheet.Final || !theirs.Sheet.Returned || !theirs.CanEnter ||
			!slices.Contains(theirs.Differed, "发出选票数") || *theirs.Sheet.Count.Issued != 11 {
			t.Fatalf("the returned entry: %+v %v", theirs, err)
		}
		if d, _ := coord.CountDesk(ctx, unit); d.Unit.Status != election.EntryReturned || d.Sheets[0].Count.Lines != nil {
			t.Errorf("while returned the coordinator sees figures: %+v", d.Sheets[0])
		}
		// Nothing to discard while an entry is being corrected.
		if _, err := write(t, coord, func(tx *store.Tx) (int, error) { return 0, tx.ResolveCount(ctx, unit, election.DiscardBoth) }); err == nil {
			t.Error("discarded while an entry is returned")
		}
		save(clerkB, first) // corrected: equal now
		desk, err := coord.CountDesk(ctx, unit)
		if err != nil || desk.Unit.Status != election.EntryAgreed || len(desk.Findings) == 0 {
			t.Fatalf("agreed after correction: %+v %v", desk, err)
		}
		var warning string
		for _, f := range desk.Findings {
			if f.Error {
				t.Fatalf("an error on a consistent count: %+v", f)
			}
			warning = f.Code
		}
		_, err = write(t, coord, func(tx *store.Tx) (int, error) { return 0, tx.ConfirmCount(ctx, unit) })
		wantCode(t, "confirming with a warning not acknowledged", err, errs.Unprocessable)
		_, err = write(t, clerkA, func(tx *store.Tx) (int, error) { return 0, tx.AcknowledgeCount(ctx, b.ID, unit, warning) })
		wantCode(t, "a clerk acknowledges", err, errs.Forbidden)
		if _, err := write(t, coord, func(tx *store.Tx) (int, error) { return 0, tx.AcknowledgeCount(ctx, b.ID, unit, "W999") }); errs.FieldOf(err) != "code" {
			t.Errorf("acknowledging a warning the count has not: %v", err)
		}
		// Discarding both drops the acknowledgements with the entries.
		for _, f := range desk.Findings {
			if _, err := write(t, coord, func(tx *store.Tx) (int, error) { return 0, tx.AcknowledgeCount(ctx, b.ID, unit, f.Code) }); err != nil {
				t.Fatal(err)
			}
		}
		resolve(election.DiscardBoth)
		if d, _ := coord.CountDesk(ctx, unit); d.Unit.Status != election.EntryNone || len(d.Acks) != 0 {
			t.Errorf("after discarding both: %+v", d)
		}
		if mine, _ := clerkA.MyEntry(ctx, unit); mine.Sheet != nil || !mine.CanEnter {
			t.Errorf("the first clerk after discarding: %+v", mine)
		}
		if mine, _ := coord.MyEntry(ctx, unit); mine.CanEnter {
			t.Error("the coordinator who saw both entries may enter one")
		}
		_, err = write(t, coord, func(tx *store.Tx) (int, error) { return tx.SaveEntry(ctx, unit, first, true, false) })
		wantCode(t, "the coordinator who saw both entries enters one", err, errs.Forbidden)
		save(clerkB, first)
		save(clerkA, first)
		for _, f := range desk.Findings {
			if _, err := write(t, coord, func(tx *store.Tx) (int, error) { return 0, tx.AcknowledgeCount(ctx, b.ID, unit, f.Code) }); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := write(t, coord, func(tx *store.Tx) (int, error) { return 0, tx.ConfirmCount(ctx, unit) }); err != nil {
			t.Fatalf("confirming with every warning acknowledged: %v", err)
		}
		// The main hall is not counted: the ballot cannot be confirmed.
		_, err = write(t, coord, func(tx *store.Tx) (store.Ballot, error) { return tx.ConfirmBallot(ctx, b.ID) })
		wantCode(t, "a ballot with a station not counted", err, errs.Conflict)
		rows, total, err := coord.CountsAwaiting(ctx, nil, 10, 0)
		if err != nil || total != 0 || len(rows) != 0 {
			t.Errorf("the overview with nothing awaiting: %d %+v %v", total, rows, err)
		}
		// Void: a reason, the re-run deadline 30 days after its day; no more counts.
		if _, err := write(t, office, func(tx *store.Tx) (store.Ballot, error) { return tx.VoidBallot(ctx, b.ID, " ") }); errs.FieldOf(err) != "reason" {
			t.Errorf("void without a reason: %v", err)
		}
		void, err := write(t, office, func(tx *store.Tx) (store.Ballot, error) {
			return tx.VoidBallot(ctx, b.ID, "实到会党员未超过应到会的五分之四")
		})
		if err != nil || void.State != election.BallotVoid || void.RerunBy != "2027-03-31" {
			t.Fatalf("void: %+v %v", void, err)
		}
		_, err = write(t, clerkA, func(tx *store.Tx) (int, error) { return tx.SaveEntry(ctx, b.Units[0].ID, first, false, false) })
		wantCode(t, "entering a void ballot", err, errs.Conflict)
		_, err = write(t, office, func(tx *store.Tx) (store.Ballot, error) {
			return tx.OpenBallot(ctx, countCommunity, election.Opening{Committee: org.PartyCommittee, Round: election.FirstRound, ShouldAttend: 40})
		})
		if errs.FieldOf(err) != "round" {
			t.Errorf("a first ballot after a void one: %v", err)
		}
		again, err := write(t, office, func(tx *store.Tx) (store.Ballot, error) {
			return tx.OpenBallot(ctx, countCommunity, election.Opening{Committee: org.PartyCommittee, Round: election.RepeatRound,
				Day: "2027-03-20", ShouldAttend: 40, Present: 39})
		})
		if err != nil || again.Round != election.RepeatRound || again.Seq != 1 || again.Day != "2027-03-20" {
			t.Errorf("the repeat: %+v %v", again, err)
		}
	})
}

// 唱票: ballots read aloud one by one; marks = seats + 1 makes a ballot
// invalid, marks = seats does not; a spoiled ballot is invalid; the last
// one undone; nobody enters the sheet while the reading goes on; when it
// ends its totals are the station's first entry, finalised.
func TestTally(t *testing.T) {
	countZone.ForEach(t, func(t *testing.T, st *store.Store) {
		st.SetClock(func() time.Time { return countDay })
		office := st.Zone(store.System)
		caller := countAccount(st, 9101, "唱票员", account.Community, "/QS/QS-01/QS-01-001/")
		clerk := countAccount(st, 9102, "录入员乙", account.District, "/QS/QS-01/")
		listed, err := office.FormalLists(ctx, countCommunity)
		if err != nil || len(listed) != 1 {
			t.Fatal(listed, err)
		}
		// A further ballot: 2 members' seats among 3 candidates.
		var keys []string
		for _, c := range listed[0].Candidates[1:4] {
			keys = append(keys, fmt.Sprint(c.AspirantID))
		}
		b, err := write(t, office, func(tx *store.Tx) (store.Ballot, error) {
			return tx.OpenBallot(ctx, countCommunity, election.Opening{Committee: org.PartyCommittee, Round: election.FurtherRound,
				ShouldAttend: 40, Present: 38, Seats: map[vetting.Post]int{vetting.CommitteeMember: 2}, Candidates: keys})
		})
		if err != nil || len(b.Candidates) != 3 {
			t.Fatalf("the further ballot: %+v %v", b, err)
		}
		unit := b.Units[0].ID
		read := func(spoiled bool, choices ...election.Choice) store.TallyBallot {
			t.Helper()
			var marks []election.Mark
			for i, ch := range choices {
				marks = append(marks, election.Mark{Key: keys[i], Post: vetting.CommitteeMember, Choice: ch})
			}
			tb, err := write(t, caller, func(tx *store.Tx) (store.TallyBallot, error) { return tx.ReadAloud(ctx, unit, marks, spoiled) })
			if err != nil {
				t.Fatal(err)
			}
			return tb
		}
		if tb := read(false, election.Yes, election.Yes, election.Yes); tb.Valid || tb.Reason == "" {
			t.Errorf("marks = seats + 1 read as valid: %+v", tb)
		}
		if tb := read(false, election.Yes, election.Yes, election.No); !tb.Valid || tb.Seq != 2 {
			t.Errorf("marks = seats read as invalid: %+v", tb)
		}
		if tb := read(false, election.Yes); !tb.Valid || len(tb.Marks) != 3 || tb.Marks[2].Choice != election.Abstain {
			t.Errorf("a ballot marking one: %+v", tb)
		}
		if tb := read(true, election.Yes); tb.Valid {
			t.Errorf("a spoiled ballot is valid: %+v", tb)
		}
		_, err = write(t, caller, func(tx *store.Tx) (store.TallyBallot, error) {
			return tx.ReadAloud(ctx, unit, []election.Mark{{Name: "计甲", Post: vetting.Secretary, Choice: election.Yes}}, false)
		})
		if errs.FieldOf(err) != "marks[0].post" && errs.FieldOf(err) != "marks[0].name" {
			t.Errorf("a write-in of the 书记 candidate for a post this ballot lacks: %v", err)
		}
		tally, err := office.Tally(ctx, unit)
		if err != nil || tally.Unit.TallyRead != 4 || *tally.Count.Valid != 2 || *tally.Count.Invalid != 2 || *tally.Count.Returned != 4 ||
			*tally.Count.Lines[0].Yes != 2 || *tally.Count.Lines[2].No != 1 || *tally.Count.Lines[2].Abstain != 1 || tally.Last.Seq != 4 {
			t.Fatalf("the totals: %+v %v", tally.Count, err)
		}
		// Undo the spoiled one.
		if tb, err := write(t, caller, func(tx *store.Tx) (store.TallyBallot, error) { return tx.UndoTally(ctx, unit) }); err != nil || tb.Seq != 4 {
			t.Fatalf("undo: %+v %v", tb, err)
		}
		tally, _ = office.Tally(ctx, unit)
		if tally.Unit.TallyRead != 3 || *tally.Count.Invalid != 1 || *tally.Count.Returned != 3 || tally.Last.Seq != 3 {
			t.Errorf("after undo: %+v", tally.Count)
		}
		// No entry while the reading goes on.
		_, err = write(t, clerk, func(tx *store.Tx) (int, error) { return tx.SaveEntry(ctx, unit, b.Blank(), false, false) })
		wantCode(t, "an entry during the reading", err, errs.Conflict)
		if _, err := write(t, caller, func(tx *store.Tx) (int, error) { return 0, tx.FinishTally(ctx, unit, nil, nil) }); errs.FieldOf(err) != "ballots_issued" {
			t.Errorf("finished without the ballots issued: %v", err)
		}
		issued := 3
		if _, err := write(t, caller, func(tx *store.Tx) (int, error) { return 0, tx.FinishTally(ctx, unit, &issued, nil) }); err != nil {
			t.Fatal(err)
		}
		mine, err := caller.MyEntry(ctx, unit)
		if err != nil || mine.N != 1 || !mine.Sheet.Final || *mine.Sheet.Count.Issued != 3 || *mine.Sheet.Count.Valid != 2 {
			t.Fatalf("the reading as the first entry: %+v %v", mine, err)
		}
		if bb, _ := office.Ballot(ctx, b.ID); bb.Units[0].Status != election.EntrySecond || !bb.Units[0].TallyDone {
			t.Errorf("after the reading: %+v", bb.Units[0])
		}
		_, err = write(t, caller, func(tx *store.Tx) (store.TallyBallot, error) { return tx.ReadAloud(ctx, unit, nil, true) })
		wantCode(t, "reading after the end", err, errs.Conflict)
		if theirs, _ := clerk.MyEntry(ctx, unit); !theirs.CanEnter || theirs.N != 2 || theirs.Sheet != nil {
			t.Errorf("the second clerk after the reading: %+v", theirs)
		}
		log := auditActions(t, st)
		if log["tally.read"] != 4 || log["tally.undo"] != 1 || log["tally.finish"] != 1 {
			t.Errorf("audit %v", log)
		}
	})
}

// A count entry, a difference or a ballot read aloud changed in the
// database behind the platform's back is named by audit verify.
func TestCountsProtected(t *testing.T) {
	countZone.ForEach(t, func(t *testing.T, st *store.Store) {
		testdb.Tampers(t)
		st.SetClock(func() time.Time { return countDay })
		countRecords(t, st)
		for _, c := range []struct{ tamper, want string }{
			{`UPDATE count_entries SET count = replace(count, '"ballots_issued":38', '"ballots_issued":39') WHERE n = 1`, "计票录入 第 "},
			{`UPDATE count_differences SET second_value = '36'`, "两次录入的不一致 第 "},
			{`UPDATE tally_ballots SET valid = 1 - valid`, "唱票记录 第 "},
			{`UPDATE ballots SET present = present + 1`, "投票 第 "},
			{`UPDATE unit_stations SET station_id = (SELECT MAX(id) FROM polling_stations)`, "计票点所属投票站 第 "},
		} {
			if err := st.Tamper(ctx, c.tamper); err != nil {
				t.Fatal(err)
			}
			if r := verified(t, st); r.OK() || !strings.Contains(problems(r), c.want) {
				t.Errorf("after %s, verify found:\n%s", c.tamper, problems(r))
			}
		}
	})
}

// countsOnDemo writes a record into each protected table of counting on a
// loaded demo zone.
func countsOnDemo(t *testing.T, st *store.Store) {
	t.Helper()
	if _, err := formalParty(ctx, st, countCommunity); err != nil {
		t.Fatal(err)
	}
	st.SetClock(func() time.Time { return countDay })
	countRecords(t, st)
	// The first ballot declared void and repeated, its outcome decided.
	bs, err := st.Zone(store.System).Ballots(ctx, countCommunity)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := write(t, st.Zone(store.System), func(tx *store.Tx) (store.Ballot, error) { return tx.VoidBallot(ctx, bs[0].ID, "测试宣布无效") }); err != nil {
		t.Fatal(err)
	}
	repeat := decidedBallot(t, st, election.RepeatRound, 38)
	// A further ballot elects a person written in, whose details are entered.
	further := furtherWithWriteIn(t, st, countCommunity, repeat)
	if _, err := write(t, st.Zone(store.System), func(tx *store.Tx) (store.WrittenInAnswer, error) {
		return tx.SetWrittenIn(ctx, further.ID, election.WrittenIn{Name: writtenIn, Sex: "男", BirthDate: "1985-05-05",
			Education: vetting.HighSchool, Party: vetting.PartyMember})
	}); err != nil {
		t.Fatal(err)
	}
	// Its members elect their secretary (the ballot replaced the members,
	// and with them any officers recorded before).
	r, err := st.Zone(store.System).Results(ctx, countCommunity)
	if err != nil || len(r.Committees) == 0 || len(r.Committees[0].Members) == 0 {
		t.Fatalf("no members elected: %+v %v", r, err)
	}
	if _, err := write(t, st.Zone(store.System), func(tx *store.Tx) (int, error) {
		return 0, tx.SetOfficers(ctx, countCommunity, election.Officers{Day: "2027-03-01", Secretary: r.Committees[0].Members[0].ID})
	}); err != nil {
		t.Fatal(err)
	}
}

// countRecords writes a record into each protected table of counting: a
// ballot with two stations, two different entries of one, a warning of
// the other acknowledged, a ballot read aloud.
func countRecords(t *testing.T, st *store.Store) {
	t.Helper()
	office := st.Zone(store.System)
	b, err := write(t, office, func(tx *store.Tx) (store.Ballot, error) {
		return tx.OpenBallot(ctx, countCommunity, election.Opening{Committee: org.PartyCommittee, Round: election.FirstRound,
			ShouldAttend: 40, Present: 40})
	})
	if err != nil {
		t.Fatal(err)
	}
	box, err := write(t, office, func(tx *store.Tx) (store.CountUnit, error) {
		return tx.AddCountUnit(ctx, b.ID, "流动票箱", election.MobileBox, 0)
	})
	if err != nil {
		t.Fatal(err)
	}
	a := countAccount(st, 9101, "录入员甲", account.Community, "/QS/QS-01/QS-01-001/")
	c := countAccount(st, 9102, "录入员乙", account.District, "/QS/QS-01/")
	second := filled(b, 38, 0)
	*second.Lines[0].Yes = 37
	for i, x := range []struct {
		db *store.Scoped
		c  election.Count
	}{{a, filled(b, 38, 0)}, {c, second}} {
		if _, err := write(t, x.db, func(tx *store.Tx) (int, error) { return tx.SaveEntry(ctx, b.Units[0].ID, x.c, true, false) }); err != nil {
			t.Fatal(i, err)
		}
	}
	if _, err := write(t, a, func(tx *store.Tx) (store.TallyBallot, error) { return tx.ReadAloud(ctx, box.ID, nil, false) }); err != nil {
		t.Fatal(err)
	}
	// A third station, registered with its scrutineers (and a mobile box
	// registered beside it), its equal entries, 1 invalid in 10: its
	// warning acknowledged.
	third, err := write(t, office, func(tx *store.Tx) (store.CountUnit, error) {
		var hall election.Station
		for _, name := range []string{"分会场", "流动票箱乙"} {
			s, err := tx.AddStation(ctx, countCommunity, election.Station{Committee: org.PartyCommittee, Name: name,
				Kind: election.BranchHall, Place: "党群服务中心", Opens: "08:00", Closes: "12:00"})
			if err != nil {
				return store.CountUnit{}, err
			}
			for _, n := range []string{"监甲", "监乙", "监丙"} {
				if _, err := tx.AddStaff(ctx, countCommunity, s.ID, election.Staff{Role: election.Scrutineer, Name: n}); err != nil {
					return store.CountUnit{}, err
				}
			}
			if hall.ID == 0 {
				hall = s
			}
		}
		return tx.AddCountUnit(ctx, b.ID, "", "", hall.ID)
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, db := range []*store.Scoped{a, c} {
		if _, err := write(t, db, func(tx *store.Tx) (int, error) { return tx.SaveEntry(ctx, third.ID, filled(b, 9, 1), true, false) }); err != nil {
			t.Fatal(err)
		}
	}
	coord := countAccount(st, 9103, "协调员", account.District, "/QS/QS-01/")
	desk, err := coord.CountDesk(ctx, third.ID)
	if err != nil || len(desk.Findings) == 0 {
		t.Fatalf("no warning on 10%% invalid ballots: %+v %v", desk.Findings, err)
	}
	if _, err := write(t, coord, func(tx *store.Tx) (int, error) {
		return 0, tx.AcknowledgeCount(ctx, b.ID, third.ID, desk.Findings[0].Code)
	}); err != nil {
		t.Fatal(err)
	}
}

// A ballot of a committee with registered polling stations is counted at
// those stations (issue 15, point 2): a station short of scrutineers, or
// with a candidate among its staff, is refused the count sheet and the
// reading aloud until it is set right; a station is a unit of a ballot
// once; a station of the other committee is not one of this ballot's.
func TestCountAtRegisteredStations(t *testing.T) {
	countZone.ForEach(t, func(t *testing.T, st *store.Store) {
		st.SetClock(func() time.Time { return countDay })
		office := st.Zone(store.System)
		clerk := countAccount(st, 9101, "录入员甲", account.Community, "/QS/QS-01/QS-01-001/")
		station := func(c org.Committee, name string, kind election.StationKind, staff ...string) election.Station {
			t.Helper()
			s, err := write(t, office, func(tx *store.Tx) (election.Station, error) {
				s := election.Station{Committee: c, Name: name, Kind: kind, Place: "党群服务中心", Opens: "08:00", Closes: "12:00"}
				if kind == election.MobileBox {
					s.Route, s.Serves = "一组至三组行动不便的党员家中", 6
				}
				s, err := tx.AddStation(ctx, countCommunity, s)
				for _, n := range staff {
					if err == nil {
						_, err = tx.AddStaff(ctx, countCommunity, s.ID, election.Staff{Role: election.Scrutineer, Name: n})
					}
				}
				return s, err
			})
			if err != nil {
				t.Fatal(err)
			}
			return s
		}
		hall := station(org.PartyCommittee, "党员大会会场", election.MainHall, "监甲", "监乙")
		box := station(org.PartyCommittee, "流动票箱甲", election.MobileBox, "监丙", "监丁", "监己")
		other := station(org.ResidentsCommittee, "居民投票站", election.BranchHall)

		b, err := write(t, office, func(tx *store.Tx) (store.Ballot, error) {
			return tx.OpenBallot(ctx, countCommunity, election.Opening{Committee: org.PartyCommittee, Round: election.FirstRound,
				ShouldAttend: 40, Present: 40})
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(b.Units) != 2 || b.Units[0].Station != hall.ID || b.Units[0].Name != hall.Name || b.Units[1].Station != box.ID ||
			b.Units[1].Kind != election.MobileBox {
			t.Fatalf("the ballot's units are not its committee's stations: %+v", b.Units)
		}
		read, err := office.Ballot(ctx, b.ID)
		if err != nil || read.Units[0].Station != hall.ID {
			t.Fatalf("the link is not read back: %+v %v", read.Units, err)
		}

		// Two scrutineers at the hall: no count sheet, no reading aloud.
		_, err = write(t, clerk, func(tx *store.Tx) (int, error) {
			return tx.SaveEntry(ctx, b.Units[0].ID, filled(b, 30, 0), false, false)
		})
		wantCode(t, "an entry at a station with 2 scrutineers", err, errs.Conflict)
		if !strings.Contains(err.Error(), "党员大会会场") || !strings.Contains(err.Error(), "监票人应不少于3名") {
			t.Errorf("the refusal does not say why: %v", err)
		}
		_, err = write(t, clerk, func(tx *store.Tx) (store.TallyBallot, error) { return tx.ReadAloud(ctx, b.Units[0].ID, nil, false) })
		wantCode(t, "reading aloud at a station with 2 scrutineers", err, errs.Conflict)
		// The box has three, but one of them is a candidate.
		if _, err := write(t, office, func(tx *store.Tx) (election.Staff, error) {
			return tx.AddStaff(ctx, countCommunity, box.ID, election.Staff{Role: election.Counter, Name: "计甲"})
		}); err == nil {
			t.Fatal("a candidate was made a counter")
		}
		if _, err := write(t, clerk, func(tx *store.Tx) (int, error) {
			return tx.SaveEntry(ctx, b.Units[1].ID, filled(b, 10, 0), false, false)
		}); err != nil {
			t.Errorf("an entry at a ready box: %v", err)
		}
		// A third scrutineer: the hall's count may be entered.
		if _, err := write(t, office, func(tx *store.Tx) (election.Staff, error) {
			return tx.AddStaff(ctx, countCommunity, hall.ID, election.Staff{Role: election.Scrutineer, Name: "监戊"})
		}); err != nil {
			t.Fatal(err)
		}
		if _, err := write(t, clerk, func(tx *store.Tx) (int, error) {
			return tx.SaveEntry(ctx, b.Units[0].ID, filled(b, 30, 0), false, false)
		}); err != nil {
			t.Errorf("an entry once the hall has 3 scrutineers: %v", err)
		}

		// A station is a unit once; the residents' station is not the party's.
		for _, id := range []int64{box.ID, other.ID, 1 << 40} {
			_, err := write(t, office, func(tx *store.Tx) (store.CountUnit, error) { return tx.AddCountUnit(ctx, b.ID, "", "", id) })
			if errs.FieldOf(err) != "station_id" {
				t.Errorf("station %d added again or from elsewhere: %v", id, err)
			}
		}
		// A unit named here is not a registered station and is not checked.
		u, err := write(t, office, func(tx *store.Tx) (store.CountUnit, error) {
			return tx.AddCountUnit(ctx, b.ID, "临时票箱", election.MobileBox, 0)
		})
		if err != nil || u.Station != 0 {
			t.Fatalf("a unit named here: %+v %v", u, err)
		}
	})
}
