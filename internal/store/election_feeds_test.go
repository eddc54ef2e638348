package store_test

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/huanjie/huanjie/internal/account"
	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/election"
	"github.com/huanjie/huanjie/internal/meeting"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/progress"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/vetting"
)

// feedA and feedB are two communities of district QS-01 whose party
// committees vote on 2027-03-01 (formalParty: 5 seats, 6 candidates).
const feedA, feedB = "QS-01-001", "QS-01-002"

var feedZone = gatelessZone.Then(func(ctx context.Context, st *store.Store) error {
	for _, code := range []string{feedA, feedB} {
		if _, err := formalParty(ctx, st, code); err != nil {
			return err
		}
	}
	return nil
})

// sheet is a party count sheet of valid ballots, all returned and valid,
// the candidates' yes in the ballot's order, the rest no.
func sheet(b store.Ballot, valid int, yes ...int) election.Count {
	c := b.Blank()
	n := func(v int) *int { return &v }
	c.Issued, c.Returned, c.Valid, c.Invalid = n(valid), n(valid), n(valid), n(0)
	for i := range c.Lines {
		c.Lines[i].Yes, c.Lines[i].No, c.Lines[i].Abstain = n(yes[i]), n(valid-yes[i]), n(0)
	}
	return c
}

// feedClerks are the two clerks and the coordinator of district QS-01.
func feedClerks(st *store.Store) [3]*store.Scoped {
	path := "/QS/QS-01/"
	return [3]*store.Scoped{countAccount(st, 9301, "动态录入甲", account.District, path), countAccount(st, 9302, "动态录入乙", account.District, path),
		countAccount(st, 9303, "动态协调员", account.District, path)}
}

// openFeed opens a ballot of code's party committee: 40 should attend.
func openFeed(t *testing.T, st *store.Store, code string, o election.Opening) store.Ballot {
	t.Helper()
	o.Committee, o.ShouldAttend = org.PartyCommittee, 40
	b, err := write(t, st.Zone(store.System), func(tx *store.Tx) (store.Ballot, error) { return tx.OpenBallot(ctx, code, o) })
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// enter has a clerk (0 or 1) enter count c of the ballot's main hall as final.
func enter(t *testing.T, st *store.Store, b store.Ballot, clerk int, c election.Count) {
	t.Helper()
	if _, err := write(t, feedClerks(st)[clerk], func(tx *store.Tx) (int, error) { return tx.SaveEntry(ctx, b.Units[0].ID, c, true, false) }); err != nil {
		t.Fatal(err)
	}
}

// confirmFeed has the coordinator confirm the main hall's agreed count and the ballot.
func confirmFeed(t *testing.T, st *store.Store, b store.Ballot) store.Ballot {
	t.Helper()
	coord := feedClerks(st)[2]
	if _, err := write(t, coord, func(tx *store.Tx) (int, error) { return 0, tx.ConfirmCount(ctx, b.Units[0].ID) }); err != nil {
		t.Fatal(err)
	}
	b, err := write(t, coord, func(tx *store.Tx) (store.Ballot, error) { return tx.ConfirmBallot(ctx, b.ID) })
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// countFeed enters count c twice and confirms it.
func countFeed(t *testing.T, st *store.Store, b store.Ballot, c election.Count) store.Ballot {
	t.Helper()
	enter(t, st, b, 0, c)
	enter(t, st, b, 1, c)
	return confirmFeed(t, st, b)
}

// The feeds of the elections on both engines, each with data that makes
// it appear and data that does not, and none of it outside the scope: the
// standings (the map), the progress table's vote stage (marked by a ballot
// electing the committee, waiting for a re-run after a void one), votes
// today, counts waiting, void elections with their re-run day, handovers
// past due, the daily agenda and the figures of the counts.
func TestElectionFeeds(t *testing.T) {
	feedZone.ForEach(t, func(t *testing.T, st *store.Store) {
		st.SetClock(func() time.Time { return countDay })
		const day civil.Date = "2027-03-01"
		office, district, other := st.Zone(store.System), within(st, "/QS/QS-01/"), within(st, "/QS/QS-02/")
		standing := func(db *store.Scoped, code string) store.ElectionStanding {
			t.Helper()
			all, err := db.ElectionStandings(ctx, store.CommunityFilter{})
			if err != nil {
				t.Fatal(err)
			}
			return all[code]
		}
		row := func(code string) store.ProgressRow {
			t.Helper()
			rows, err := office.ProgressRows(ctx, store.CommunityFilter{Code: code})
			if err != nil || len(rows) != 1 {
				t.Fatalf("progress row of %s: %v %v", code, rows, err)
			}
			return rows[0]
		}
		pending := func(db *store.Scoped) []store.PendingCount {
			t.Helper()
			p, err := db.PendingCounts(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return p
		}
		voids := func(db *store.Scoped, today civil.Date, near bool) []store.VoidElection {
			t.Helper()
			v, n, err := db.VoidElections(ctx, today, near, store.Page{})
			if err != nil {
				t.Fatal(err)
			}
			// A page of one counts them all and is the list's first.
			first, total, err := db.VoidElections(ctx, today, near, store.Page{Limit: 1})
			if err != nil || n != len(v) || total != len(v) || len(v) > 0 && (len(first) != 1 || first[0] != v[0]) {
				t.Fatalf("void elections: %d listed, counted %d and %d on a page of one (%v)", len(v), n, total, err)
			}
			return v
		}
		votes := func(db *store.Scoped, d civil.Date) []store.BallotLine {
			t.Helper()
			v, err := db.VotesOn(ctx, d)
			if err != nil {
				t.Fatal(err)
			}
			return v
		}
		agenda := func(db *store.Scoped) meeting.Agenda {
			t.Helper()
			a, err := db.Agenda(ctx, day)
			if err != nil {
				t.Fatal(err)
			}
			return a
		}
		stage := func(code string) election.Stage { return standing(office, code).Party.Stage() }

		// Nothing held yet: nothing to tell.
		if s := standing(office, feedA); s.Stage() != election.StageNone || len(votes(office, day)) != 0 || len(pending(office)) != 0 ||
			len(voids(office, day, false)) != 0 {
			t.Fatalf("before any ballot: %+v", s)
		}
		if a := agenda(office); len(a.Votes)+len(a.Counts)+len(a.Voids)+len(a.Handovers)+len(a.Reports) != 0 {
			t.Fatalf("the agenda before any ballot: %+v", a)
		}
		// A's party stages before its vote are done, so that its vote can be marked; B's are not.
		stages, _, err := office.ProgressStages(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := write(t, office, func(tx *store.Tx) (int, error) {
			for _, s := range stages {
				if s.Code == "party_congress" {
					break
				}
				if _, done := row(feedA).Done[s.Code]; s.Election == progress.Party && !done {
					if _, err := tx.MarkStage(ctx, store.ProgressMark{OrgCode: feedA, Stage: s.Code, DoneOn: "2027-02-20"}); err != nil {
						return 0, err
					}
				}
			}
			return 0, nil
		}); err != nil {
			t.Fatal(err)
		}

		// A's first ballot: a vote today, being voted; its count waits for the second entry, then the coordinator.
		first := openFeed(t, st, feedA, election.Opening{Round: election.FirstRound, Present: 32})
		if v := votes(district, day); len(v) != 1 || v[0].BallotID != first.ID || v[0].State != election.BallotOpen || len(votes(office, "2027-03-02")) != 0 ||
			len(votes(other, day)) != 0 || stage(feedA) != election.StageVoting {
			t.Fatalf("votes today %+v, A %s", v, stage(feedA))
		}
		if len(pending(office)) != 0 {
			t.Errorf("a count nobody entered waits: %+v", pending(office))
		}
		enter(t, st, first, 0, filled(first, 32, 0))
		if p := pending(district); len(p) != 1 || p[0].Second != 1 || p[0].Agreed != 0 || p[0].Total || !strings.Contains(p[0].Waiting(), "待第二次录入1个") ||
			len(pending(other)) != 0 {
			t.Fatalf("awaiting the second entry: %+v", p)
		}
		if a := agenda(office); len(a.Counts) != 1 || a.Counts[0].Code != feedA || len(a.Votes) != 1 || len(agenda(other).Counts) != 0 {
			t.Errorf("the agenda's counts: %+v", a.Counts)
		}
		enter(t, st, first, 1, filled(first, 32, 0))
		if p := pending(office); len(p) != 1 || p[0].Agreed != 1 || p[0].Second != 0 {
			t.Fatalf("agreed, awaiting the coordinator: %+v", p)
		}
		// 32 of 40 present is no quorum: the outcome voids it, to be held again by 03-31.
		first = confirmFeed(t, st, first)
		if first.State != election.BallotVoid || first.RerunBy != "2027-03-31" || first.Progress != "" {
			t.Fatalf("the first ballot: %s %s %q", first.State, first.RerunBy, first.Progress)
		}
		if len(pending(office)) != 0 || stage(feedA) != election.StageVoid || !strings.Contains(standing(office, feedA).Note(), "2027-03-31") {
			t.Errorf("after the void: pending %+v, A %s", pending(office), standing(office, feedA).Note())
		}
		v := voids(district, day, false)
		if len(v) != 1 || v[0].Code != feedA || v[0].RerunBy != "2027-03-31" || v[0].Late || !strings.Contains(v[0].Reason, election.CodeQuorum) ||
			len(voids(other, day, false)) != 0 {
			t.Fatalf("void elections: %+v", v)
		}
		// Near its re-run day (7 days) it is warned of; after it, late.
		if len(voids(office, "2027-03-23", true)) != 0 || len(voids(office, "2027-03-24", true)) != 1 {
			t.Error("a void election is near from 7 days before its re-run day")
		}
		if v := voids(office, "2027-04-01", true); len(v) != 1 || !v[0].Late {
			t.Errorf("past its re-run day: %+v", v)
		}
		if r := row(feedA); r.Reruns["party_congress"].By != "2027-03-31" || len(r.Reruns) != 1 || len(row(feedB).Reruns) != 0 {
			t.Errorf("the progress row's re-runs: %+v / %+v", r.Reruns, row(feedB).Reruns)
		}
		if a := agenda(district); len(a.Voids) != 1 || a.Voids[0].RerunBy != "2027-03-31" || !strings.Contains(a.Voids[0].Ballot, "第一次投票") ||
			len(agenda(other).Voids) != 0 {
			t.Errorf("the agenda's void elections: %+v", a.Voids)
		}

		// Repeated with 38 present: two elected, three seats left to a further ballot.
		repeat := countFeed(t, st, openFeed(t, st, feedA, election.Opening{Round: election.RepeatRound, Present: 38}), filled(first, 38, 0))
		if repeat.State != election.BallotConfirmed || !election.Unfilled(repeat.Outcome) || repeat.Progress != "" {
			t.Fatalf("the repeat: %s %+v %q", repeat.State, repeat.Outcome, repeat.Progress)
		}
		if stage(feedA) != election.StageFurther || len(voids(office, day, false)) != 0 || len(row(feedA).Reruns) != 0 {
			t.Errorf("after the repeat: A %s, voids %+v", stage(feedA), voids(office, day, false))
		}
		if _, done := row(feedA).Done["party_congress"]; done {
			t.Error("a ballot leaving seats marked the vote stage")
		}
		// The further ballot among the next four for the three seats: they are elected, the vote stage is marked.
		var keys []string
		for _, c := range repeat.Candidates[2:] {
			keys = append(keys, c.Key)
		}
		further := openFeed(t, st, feedA, election.Opening{Round: election.FurtherRound, Present: 38, Candidates: keys,
			Seats: map[vetting.Post]int{vetting.CommitteeMember: 3}})
		if stage(feedA) != election.StageVoting || len(votes(office, day)) != 3 {
			t.Errorf("the further ballot open: A %s, votes %+v", stage(feedA), votes(office, day))
		}
		further = countFeed(t, st, further, sheet(further, 38, 30, 29, 28, 5))
		if further.State != election.BallotConfirmed || election.Unfilled(further.Outcome) || !strings.Contains(further.Progress, "已标记完成") {
			t.Fatalf("the further ballot: %s %+v %q", further.State, further.Outcome, further.Progress)
		}
		if stage(feedA) != election.StageElected || row(feedA).Done["party_congress"] != day || standing(office, feedA).Stage() != election.StageElected {
			t.Errorf("A elected: %s, marks %v", stage(feedA), row(feedA).Done)
		}
		log, err := st.QueryInt(ctx, `SELECT COUNT(*) FROM audit_log WHERE action = 'progress.mark' AND after_data LIKE '%party_congress%' AND actor = '动态协调员'`)
		if err != nil || log != 1 {
			t.Errorf("the vote stage's mark audited %d times: %v", log, err)
		}

		// B elects its whole committee on its first ballot; its vote stage waits for the stages before it.
		b := openFeed(t, st, feedB, election.Opening{Round: election.FirstRound, Present: 38})
		b = countFeed(t, st, b, sheet(b, 38, 38, 29, 28, 27, 26, 4))
		if b.State != election.BallotConfirmed || election.Unfilled(b.Outcome) || !strings.Contains(b.Progress, "未标记") {
			t.Fatalf("B's first ballot: %s %+v %q", b.State, b.Outcome, b.Progress)
		}
		if _, done := row(feedB).Done["party_congress"]; done || stage(feedB) != election.StageElected {
			t.Errorf("B: %s, marks %v", stage(feedB), row(feedB).Done)
		}

		// The figures of the counts: A's first void, repeated, one further ballot; B at the first. Turnout on the
		// first valid ballots (A's repeat, B's first): 76 of 80 present.
		want := store.CountFigures{Turnout: 2, Base: 80, Attended: 76, FirstHeld: 2, FirstElected: 1, Further: 1, FurtherIn: 1, Void: 1,
			Repeated: 1}
		for _, db := range []*store.Scoped{office, district} {
			s, err := db.ResultStatistics(ctx, "", 0, 0)
			if err != nil || s.Ballots.Party != want || s.Ballots.Residents != (store.CountFigures{}) {
				t.Errorf("the counts' figures: %+v %v\n want %+v", s.Ballots, err, want)
			}
		}
		if s, err := office.ResultStatistics(ctx, "QS-02", 0, 0); err != nil || s.Ballots != (store.BallotFigures{}) {
			t.Errorf("district QS-02's figures: %+v %v", s.Ballots, err)
		}
		if s, err := other.ResultStatistics(ctx, "", 0, 0); err != nil || s.Ballots != (store.BallotFigures{}) {
			t.Errorf("QS-02's office sees figures: %+v %v", s.Ballots, err)
		}

		// Handovers: due 10 days after the election (03-11), past due from 03-12 until handed over.
		overdue := func(db *store.Scoped, today civil.Date) []store.LateHandover {
			t.Helper()
			l, n, err := db.HandoversOverdue(ctx, today, store.Page{})
			if err != nil {
				t.Fatal(err)
			}
			first, total, err := db.HandoversOverdue(ctx, today, store.Page{Limit: 1})
			if err != nil || n != len(l) || total != len(l) || len(l) > 0 && (len(first) != 1 || first[0] != l[0]) {
				t.Fatalf("handovers overdue: %d listed, counted %d and %d on a page of one (%v)", len(l), n, total, err)
			}
			return l
		}
		if len(overdue(office, "2027-03-11")) != 0 {
			t.Errorf("overdue on the due day: %+v", overdue(office, "2027-03-11"))
		}
		l := overdue(district, "2027-03-12")
		if len(l) != 2 || l[0].Code != feedA || l[0].Due != "2027-03-11" || l[0].Committee != org.PartyCommittee || len(overdue(other, "2027-03-12")) != 0 {
			t.Fatalf("overdue handovers: %+v", l)
		}
		clockOn(st, "2027-03-12")
		if a, err := district.Agenda(ctx, "2027-03-12"); err != nil || len(a.Handovers) != 2 || a.Handovers[0].Due != "2027-03-11" || len(a.Votes) != 0 {
			t.Errorf("the agenda's handovers: %+v %v", a.Handovers, err)
		}
		// The reports not filed (UnfiledReports): the four counts confirmed, A's void first among them.
		if a, err := district.Agenda(ctx, "2027-03-12"); err != nil || len(a.Reports) != 4 || a.Reports[0].Code != feedA ||
			!strings.Contains(a.Reports[2].Ballot, "另行选举") || len(agenda(other).Reports) != 0 {
			t.Errorf("the agenda's reports not filed: %+v %v", a.Reports, err)
		}
		if _, err := write(t, office, func(tx *store.Tx) (store.HandoverRecord, error) {
			return tx.SetHandover(ctx, feedA, org.PartyCommittee, election.Handover{Day: "2027-03-12"})
		}); err != nil {
			t.Fatal(err)
		}
		if l := overdue(office, "2027-03-12"); len(l) != 1 || l[0].Code != feedB || stage(feedA) != election.StageHandedOver {
			t.Errorf("after A's handover: %+v, A %s", l, stage(feedA))
		}
		// The ballots' figures as kept when decided, and as migration 00030 reads them back from the ballots and
		// outcomes kept before it: who voted, and seats left to fill by the repeat only.
		figures := `SELECT SUM(unfilled * ballot_id) + 1000 * SUM(unfilled) + 100000 * SUM(voted) + 10000000 * COUNT(*) FROM ballot_figures`
		kept := repeat.ID + 1000 + 100000*(32+38+38+38) + 10000000*4
		if n, err := st.QueryInt(ctx, figures); err != nil || n != kept {
			t.Errorf("the ballots' figures: %d %v, want %d", n, err, kept)
		}
		raw, err := os.ReadFile("migrations/" + string(st.Engine()) + "/00030_ballot_figures.sql")
		if err != nil {
			t.Fatal(err)
		}
		up := string(raw)
		up = up[strings.Index(up, "INSERT"):strings.Index(up, "-- +goose Down")]
		if err := st.Tamper(ctx, `DELETE FROM ballot_figures`, up); err != nil {
			t.Fatal(err)
		}
		if n, err := st.QueryInt(ctx, figures); err != nil || n != kept {
			t.Errorf("the migration's figures: %d %v, want %d", n, err, kept)
		}
		// The map of QS-02 shows none of them.
		if all, err := office.ElectionStandings(ctx, store.CommunityFilter{District: "QS-02"}); err != nil || len(all) != 0 {
			t.Errorf("QS-02's standings: %+v %v", all, err)
		}
		if all, err := other.ElectionStandings(ctx, store.CommunityFilter{}); err != nil || len(all) != 0 {
			t.Errorf("QS-02's office reads standings: %+v %v", all, err)
		}
		if got := slices.Sorted(func(yield func(string) bool) {
			all, _ := district.ElectionStandings(ctx, store.CommunityFilter{})
			for c := range all {
				if !yield(c) {
					return
				}
			}
		}); !slices.Equal(got, []string{feedA, feedB}) {
			t.Errorf("district QS-01's standings: %v", got)
		}
	})
}
