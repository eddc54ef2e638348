package store_test

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/huanjie/huanjie/internal/account"
	"github.com/huanjie/huanjie/internal/archive"
	"github.com/huanjie/huanjie/internal/election"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/progress"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/vetting"
)

// writtenIn is the name written in (另选他人) and elected in these tests.
const writtenIn = "王另选"

// furtherWithWriteIn opens the further ballot the repeat of decidedBallot
// calls for (3 seats among its next four) and has it counted and
// confirmed: 38 valid, the name written in 30 votes, the four candidates
// 29, 28, 5 and 4: the name written in and the next two are elected.
func furtherWithWriteIn(t *testing.T, st *store.Store, code string, repeat store.Ballot) store.Ballot {
	t.Helper()
	var keys []string
	for _, c := range repeat.Candidates[2:] {
		keys = append(keys, c.Key)
	}
	b, err := write(t, st.Zone(store.System), func(tx *store.Tx) (store.Ballot, error) {
		return tx.OpenBallot(ctx, code, election.Opening{Committee: org.PartyCommittee, Round: election.FurtherRound, ShouldAttend: 40,
			Present: 38, Candidates: keys, Seats: map[vetting.Post]int{vetting.CommitteeMember: 3}})
	})
	if err != nil {
		t.Fatal(err)
	}
	c := sheet(b, 38, 29, 28, 5, 4)
	thirty := 30
	c.WriteIns = []election.Line{{Name: writtenIn, Post: vetting.CommitteeMember, Yes: &thirty}}
	path := "/QS/QS-01/"
	coord := countAccount(st, 9213, "另选协调员", account.District, path)
	// Every vote at the first station (the community's registered
	// stations, when a test registered some, count none).
	for n, u := range b.Units {
		if n > 0 {
			c = filled(b, 0, 0)
		}
		for i, db := range []*store.Scoped{countAccount(st, 9211, "另选录入甲", account.District, path),
			countAccount(st, 9212, "另选录入乙", account.District, path)} {
			if _, err := write(t, db, func(tx *store.Tx) (int, error) { return tx.SaveEntry(ctx, u.ID, c, true, false) }); err != nil {
				t.Fatal(i, err)
			}
		}
		if _, err := write(t, coord, func(tx *store.Tx) (int, error) { return 0, tx.ConfirmCount(ctx, u.ID) }); err != nil {
			t.Fatal(err)
		}
	}
	b, err = write(t, coord, func(tx *store.Tx) (store.Ballot, error) { return tx.ConfirmBallot(ctx, b.ID) })
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// committeeOf is committee c's result of the community with code.
func committeeOf(t *testing.T, db *store.Scoped, code string, c org.Committee) store.CommitteeResult {
	t.Helper()
	r, err := db.Results(ctx, code)
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range r.Committees {
		if x.Committee == c {
			return x
		}
	}
	t.Fatalf("no %s in the results", c)
	return store.CommitteeResult{}
}

func memberNames(ms []store.ElectedMember) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.Name)
	}
	slices.Sort(out)
	return out
}

// A person written in and elected (另选他人) on both engines: the
// confirmation keeps the outcome but cannot set the members without the
// person's details, and says so (the ballot's answer, the results, the
// audit log) instead of saying nothing; the details are refused on their
// field when they could not make the person a member (not elected here,
// under 18 on the ballot's day, not a full party member, no sex, no
// education), with nothing written; entered, the
// committee's members are set with the person among them (no aspirant,
// age on the day), corrected they follow; out of scope nothing is found.
// A candidate whose aspirant record on the ballot is broken is named as
// the reason rather than silently skipped. The details are a protected
// record: changed behind the platform's back, verify names them.
func TestWrittenInElected(t *testing.T) {
	countZone.ForEach(t, func(t *testing.T, st *store.Store) {
		office := st.Zone(store.System)
		coord := countAccount(st, 9213, "另选协调员", account.District, "/QS/QS-01/")
		other := countAccount(st, 9214, "外片区协调员", account.District, "/QS/QS-02/")
		repeatVoid := decidedBallot(t, st, election.FirstRound, 32) // no quorum: void
		if repeatVoid.State != election.BallotVoid {
			t.Fatalf("the first ballot: %s", repeatVoid.State)
		}
		repeat := decidedBallot(t, st, election.RepeatRound, 38)
		if got := memberNames(committeeOf(t, office, countCommunity, org.PartyCommittee).Members); !slices.Equal(got, []string{"计乙", "计甲"}) {
			t.Fatalf("the repeat's members: %v", got)
		}
		further := furtherWithWriteIn(t, st, countCommunity, repeat)
		o := further.Outcome[vetting.CommitteeMember]
		if further.State != election.BallotConfirmed || !slices.Contains(o.Elected, writtenIn) || len(o.Elected) != 3 {
			t.Fatalf("the further ballot: %s %+v", further.State, o)
		}
		if !strings.Contains(further.Results, "另选他人"+writtenIn) || !strings.Contains(further.Results, "出生日期") {
			t.Errorf("the confirmation does not say why the members are not set: %q", further.Results)
		}
		party := committeeOf(t, office, countCommunity, org.PartyCommittee)
		if got := memberNames(party.Members); !slices.Equal(got, []string{"计乙", "计甲"}) || party.Pending != further.Results ||
			len(party.WrittenIn) != 1 || party.WrittenIn[0].Name != writtenIn || party.WrittenIn[0].Details != nil ||
			party.WrittenIn[0].BallotID != further.ID || party.WrittenIn[0].Votes != 30 {
			t.Fatalf("the results while the details are missing: members %v, pending %q, written in %+v", got, party.Pending, party.WrittenIn)
		}
		if n, err := st.QueryInt(ctx, `SELECT COUNT(*) FROM audit_log WHERE action = 'results.pending' AND after_data LIKE '%`+writtenIn+`%'`); err != nil || n != 1 {
			t.Errorf("the reason audited %d times: %v", n, err)
		}
		if w, err := coord.WrittenInElected(ctx, countCommunity); err != nil || len(w) != 1 || w[0].Name != writtenIn {
			t.Errorf("the written-in elected: %+v %v", w, err)
		}
		if _, err := other.WrittenInElected(ctx, countCommunity); !errs.Is(err, errs.NotFound) {
			t.Errorf("another district reads the written-in elected: %v", err)
		}

		// Refused details: on their field, nothing written.
		good := election.WrittenIn{Name: writtenIn, Sex: "女", BirthDate: "1990-04-02", Education: vetting.College, Party: vetting.PartyMember}
		entries := func() int64 {
			n, err := st.QueryInt(ctx, `SELECT COUNT(*) FROM audit_log`)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		before := entries()
		for _, c := range []struct {
			what  string
			w     func(election.WrittenIn) election.WrittenIn
			field string
		}{
			{"a name not elected", func(w election.WrittenIn) election.WrittenIn { w.Name = "计丙"; return w }, "name"},
			{"17 on the ballot's day", func(w election.WrittenIn) election.WrittenIn { w.BirthDate = "2009-03-02"; return w }, "birth_date"},
			{"not a day", func(w election.WrittenIn) election.WrittenIn { w.BirthDate = "1990-02-30"; return w }, "birth_date"},
			{"a probationary member", func(w election.WrittenIn) election.WrittenIn { w.Party = vetting.Probationary; return w }, "party"},
			{"no sex", func(w election.WrittenIn) election.WrittenIn { w.Sex = ""; return w }, "sex"},
			{"no education", func(w election.WrittenIn) election.WrittenIn { w.Education = ""; return w }, "education"},
		} {
			_, err := write(t, coord, func(tx *store.Tx) (store.WrittenInAnswer, error) { return tx.SetWrittenIn(ctx, further.ID, c.w(good)) })
			if errs.CodeOf(err) != errs.Unprocessable || errs.FieldOf(err) != c.field || !hanIn(errs.MessageOf(err)) {
				t.Errorf("%s: %v (field %q), want 422 on %s", c.what, err, errs.FieldOf(err), c.field)
			}
		}
		if _, err := write(t, coord, func(tx *store.Tx) (store.WrittenInAnswer, error) { return tx.SetWrittenIn(ctx, repeatVoid.ID, good) }); !errs.Is(err, errs.Conflict) {
			t.Errorf("details on a void ballot: %v", err)
		}
		if _, err := write(t, other, func(tx *store.Tx) (store.WrittenInAnswer, error) { return tx.SetWrittenIn(ctx, further.ID, good) }); !errs.Is(err, errs.NotFound) {
			t.Errorf("another district enters the details: %v", err)
		}
		if n, _ := st.QueryInt(ctx, `SELECT COUNT(*) FROM written_in_details`); n != 0 || entries() != before {
			t.Fatalf("refused details wrote %d rows and %d audit entries", n, entries()-before)
		}

		// Entered: the members are set, the person among them.
		answer, err := write(t, coord, func(tx *store.Tx) (store.WrittenInAnswer, error) { return tx.SetWrittenIn(ctx, further.ID, good) })
		if err != nil || answer.Pending != "" || answer.Person.Details == nil || answer.Person.RecordedBy != "另选协调员" {
			t.Fatalf("entering the details: %+v %v", answer, err)
		}
		party = committeeOf(t, office, countCommunity, org.PartyCommittee)
		if got := memberNames(party.Members); len(got) != 5 || !slices.Contains(got, writtenIn) || party.Pending != "" ||
			party.WrittenIn[0].Details == nil {
			t.Fatalf("the members with the details: %v, pending %q", got, party.Pending)
		}
		for _, m := range party.Members {
			if m.Name == writtenIn && (m.AspirantID != 0 || m.Age != 36 || m.Votes != 30 || m.Base != 40 || m.Round != election.FurtherRound ||
				m.Education != vetting.College || m.Sex != "女") {
				t.Errorf("the written-in member: %+v", m)
			}
		}
		if n, _ := st.QueryInt(ctx, `SELECT COUNT(*) FROM results_pending`); n != 0 {
			t.Errorf("%d reasons pending once the members are set", n)
		}
		// Corrected: the members follow, the log keeps what it said before.
		good.Education = vetting.Bachelor
		if _, err := write(t, coord, func(tx *store.Tx) (store.WrittenInAnswer, error) { return tx.SetWrittenIn(ctx, further.ID, good) }); err != nil {
			t.Fatal(err)
		}
		for _, m := range committeeOf(t, office, countCommunity, org.PartyCommittee).Members {
			if m.Name == writtenIn && m.Education != vetting.Bachelor {
				t.Errorf("the correction did not reach the member: %+v", m)
			}
		}
		if n, _ := st.QueryInt(ctx, `SELECT COUNT(*) FROM audit_log WHERE action = 'results.written_in' AND before_data LIKE '%college%'`); n != 1 {
			t.Errorf("the correction's entry keeps the details before %d times", n)
		}

		// Declared void afterwards, the repeat: the members are those the further ballot elected.
		voided, err := write(t, coord, func(tx *store.Tx) (store.Ballot, error) {
			return tx.VoidBallot(ctx, repeat.ID, "上级党组织认定本次选举无效")
		})
		if err != nil || !voided.VoidedAfterConfirm() {
			t.Fatalf("voiding the repeat: %+v %v", voided, err)
		}
		if got := memberNames(committeeOf(t, office, countCommunity, org.PartyCommittee).Members); !slices.Equal(got, []string{"王另选", "计丁", "计丙"}) {
			t.Errorf("the members after the repeat is void: %v", got)
		}

		// A candidate's aspirant record broken on a ballot is the reason given, not a silence.
		if err := st.Tamper(ctx, `UPDATE ballots SET total = replace(total, '"key":"', '"key":"x') WHERE id = `+itoa(further.ID)); err != nil {
			t.Fatal(err)
		}
		answer, err = write(t, coord, func(tx *store.Tx) (store.WrittenInAnswer, error) { return tx.SetWrittenIn(ctx, further.ID, good) })
		if err != nil || !strings.Contains(answer.Pending, "参选人记录无效") || !strings.Contains(answer.Pending, "计丙") {
			t.Errorf("a broken aspirant record: %q %v", answer.Pending, err)
		}
		if err := st.Tamper(ctx, `UPDATE ballots SET total = replace(total, '"key":"x', '"key":"') WHERE id = `+itoa(further.ID)); err != nil {
			t.Fatal(err)
		}
		if _, err := write(t, coord, func(tx *store.Tx) (store.WrittenInAnswer, error) { return tx.SetWrittenIn(ctx, further.ID, good) }); err != nil {
			t.Fatal(err)
		}

		// The details are protected: changed behind the platform's back, verify names them.
		if r := verified(t, st); len(r.RecordProblems) != 0 {
			t.Fatalf("before tampering:\n%s", problems(r))
		}
		if err := st.Tamper(ctx, `UPDATE written_in_details SET birth_date = '2010-01-01'`); err != nil {
			t.Fatal(err)
		}
		if r := verified(t, st); len(r.RecordProblems) != 1 || !strings.Contains(problems(r), "另选他人当选人员信息") {
			t.Errorf("a changed birth date: %s", problems(r))
		}
		if err := st.Tamper(ctx, `UPDATE written_in_details SET birth_date = '1990-04-02'`); err != nil {
			t.Fatal(err)
		}
	})
}

// hanIn reports Chinese in s.
func hanIn(s string) bool {
	for _, r := range s {
		if r >= 0x4e00 && r <= 0x9fff {
			return true
		}
	}
	return false
}

// markBefore marks done, on 2027-02-20, the party stages of code before
// the party's vote (so that the vote's stage can be marked).
func markBefore(t *testing.T, st *store.Store, code string) {
	t.Helper()
	office := st.Zone(store.System)
	stages, _, err := office.ProgressStages(ctx)
	if err != nil {
		t.Fatal(err)
	}
	marks, err := office.CommunityProgress(ctx, code)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := write(t, office, func(tx *store.Tx) (int, error) {
		for _, s := range stages {
			if s.Code == "party_congress" {
				break
			}
			if _, done := marks[s.Code]; s.Election == progress.Party && !done {
				if _, err := tx.MarkStage(ctx, store.ProgressMark{OrgCode: code, Stage: s.Code, DoneOn: "2027-02-20"}); err != nil {
					return 0, err
				}
			}
		}
		return 0, nil
	}); err != nil {
		t.Fatal(err)
	}
}

// A confirmed ballot declared void afterwards (the higher level finds the
// vote void), on both engines: only an account that may confirm counts may
// do it, with a reason; then nothing its confirmation set stays as it was:
// the committee has no members (none are left), its officers and their
// approval are gone, the tallies, the statistics, the map, the progress
// table (the mark its confirmation made taken back, audited), the void
// elections and the reports not filed (its void decision) follow; the
// void decision is filed once. A mark a person made since is not taken
// back, and a committee with a valid ballot left keeps that ballot's members.
func TestVoidAfterConfirm(t *testing.T) {
	feedZone.ForEach(t, func(t *testing.T, st *store.Store) {
		st.SetClock(func() time.Time { return countDay })
		office, coord := st.Zone(store.System), feedClerks(st)[2]
		clerk := countAccount(st, 9401, "社区录入员", account.Community, "/QS/QS-01/"+feedA+"/")
		markBefore(t, st, feedA)
		b := openFeed(t, st, feedA, election.Opening{Round: election.FirstRound, Present: 38})
		b = countFeed(t, st, b, sheet(b, 38, 38, 29, 28, 27, 26, 4))
		if b.State != election.BallotConfirmed || !strings.Contains(b.Progress, "已标记完成") {
			t.Fatalf("the first ballot: %s %q", b.State, b.Progress)
		}
		members := committeeOf(t, office, feedA, org.PartyCommittee).Members
		if _, err := write(t, coord, func(tx *store.Tx) (int, error) {
			if err := tx.SetOfficers(ctx, feedA, election.Officers{Day: "2027-03-01", Secretary: members[0].ID}); err != nil {
				return 0, err
			}
			return 0, tx.ApproveOfficers(ctx, feedA, election.Approval{Day: "2027-03-01", Document: "清组字〔2027〕9号"})
		}); err != nil {
			t.Fatal(err)
		}
		figures := func() store.CountFigures {
			t.Helper()
			s, err := office.ResultStatistics(ctx, "", 0, 0)
			if err != nil {
				t.Fatal(err)
			}
			return s.Ballots.Party
		}
		if f := figures(); f.FirstHeld != 1 || f.FirstElected != 1 || f.Turnout != 1 || f.Void != 0 {
			t.Fatalf("the figures before: %+v", f)
		}

		// Refused: by a clerk who may not confirm, without a reason; nothing changes.
		_, err := write(t, clerk, func(tx *store.Tx) (store.Ballot, error) { return tx.VoidBallot(ctx, b.ID, "社区认为无效") })
		wantCode(t, "a community's clerk voids a confirmed ballot", err, errs.Forbidden)
		_, err = write(t, coord, func(tx *store.Tx) (store.Ballot, error) { return tx.VoidBallot(ctx, b.ID, " ") })
		if errs.FieldOf(err) != "reason" {
			t.Errorf("no reason: %v", err)
		}
		if again, err := office.Ballot(ctx, b.ID); err != nil || again.State != election.BallotConfirmed ||
			len(committeeOf(t, office, feedA, org.PartyCommittee).Members) != 5 {
			t.Fatalf("a refused void changed the ballot: %s %v", again.State, err)
		}

		voided, err := write(t, coord, func(tx *store.Tx) (store.Ballot, error) {
			return tx.VoidBallot(ctx, b.ID, "上级党组织审查认定党员大会程序违法,选举无效")
		})
		if err != nil {
			t.Fatal(err)
		}
		if voided.State != election.BallotVoid || !voided.VoidedAfterConfirm() || voided.RerunBy != "2027-03-31" ||
			!strings.Contains(voided.Progress, "已撤销") || voided.Results != "" {
			t.Fatalf("the void: %s %v %s %q %q", voided.State, voided.VoidedAfterConfirm(), voided.RerunBy, voided.Progress, voided.Results)
		}
		party := committeeOf(t, office, feedA, org.PartyCommittee)
		if len(party.Members) != 0 || party.Officers != nil || party.Handover != nil || party.Void == nil || !party.Void.AfterConfirmation ||
			party.Void.RerunBy != "2027-03-31" || party.Void.BallotID != b.ID {
			t.Fatalf("the committee after the void: %+v", party)
		}
		for table, want := range map[string]int64{"elected_members": 0, "party_officers": 0, "result_tallies": 0} {
			if n, err := st.QueryInt(ctx, `SELECT COUNT(*) FROM `+table); err != nil || n != want {
				t.Errorf("%s: %d rows after the void (%v)", table, n, err)
			}
		}
		rows, err := office.ProgressRows(ctx, store.CommunityFilter{Code: feedA})
		if err != nil || len(rows) != 1 {
			t.Fatal(rows, err)
		}
		if _, done := rows[0].Done["party_congress"]; done || rows[0].Reruns["party_congress"].By != "2027-03-31" {
			t.Errorf("the progress row after the void: done %v, reruns %+v", rows[0].Done, rows[0].Reruns)
		}
		if s, err := office.ElectionStandings(ctx, store.CommunityFilter{}); err != nil || s[feedA].Party.Stage() != election.StageVoid {
			t.Errorf("the map's stage: %+v %v", s[feedA], err)
		}
		if v, _, err := coord.VoidElections(ctx, "2027-03-01", false, store.Page{}); err != nil || len(v) != 1 || v[0].BallotID != b.ID {
			t.Errorf("void elections: %+v %v", v, err)
		}
		if f := figures(); f.FirstHeld != 1 || f.FirstElected != 0 || f.Turnout != 0 || f.Void != 1 {
			t.Errorf("the figures after the void: %+v", f)
		}
		for action, want := range map[string]int64{"progress.unmark": 1, "ballot.void": 1} {
			if n, _ := st.QueryInt(ctx, `SELECT COUNT(*) FROM audit_log WHERE action = '`+action+`'`); n != want {
				t.Errorf("%d %s entries, want %d", n, action, want)
			}
		}
		if n, _ := st.QueryInt(ctx, `SELECT COUNT(*) FROM audit_log WHERE action = 'ballot.void' AND after_data LIKE '%after_confirmation%'`); n != 1 {
			t.Error("the void's entry does not say it came after the confirmation")
		}
		if n, _ := st.QueryInt(ctx, `SELECT COUNT(*) FROM audit_log WHERE action = 'results.elect' AND after_data LIKE '%投票被宣布无效%'`); n != 1 {
			t.Error("the members' entry does not say why they went")
		}
		_, err = write(t, coord, func(tx *store.Tx) (store.Ballot, error) { return tx.VoidBallot(ctx, b.ID, "再次") })
		wantCode(t, "voiding it again", err, errs.Conflict)

		// The archive: the report and the void decision, each once.
		if u, err := coord.UnfiledReports(ctx); err != nil || len(u) != 1 || u[0].ID != b.ID {
			t.Fatalf("reports not filed: %+v %v", u, err)
		}
		file := func(name string) archive.File {
			sum := sha256.Sum256([]byte(name))
			return archive.File{SHA256: hex.EncodeToString(sum[:]), Name: name, Size: 4096,
				Type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
		}
		if _, err := write(t, coord, func(tx *store.Tx) (archive.File, error) {
			return tx.FileBallotReport(ctx, b.ID, file("报告单.xlsx"))
		}); err != nil {
			t.Fatal(err)
		}
		if u, err := coord.UnfiledReports(ctx); err != nil || len(u) != 1 {
			t.Fatalf("the void decision not filed is a report not filed: %+v %v", u, err)
		}
		note, err := write(t, coord, func(tx *store.Tx) (archive.File, error) { return tx.FileVoidNote(ctx, b.ID, file("无效决定.xlsx")) })
		if err != nil || note.Category != archive.Results {
			t.Fatalf("filing the void decision: %+v %v", note, err)
		}
		_, err = write(t, coord, func(tx *store.Tx) (archive.File, error) {
			return tx.FileVoidNote(ctx, b.ID, file("无效决定2.xlsx"))
		})
		wantCode(t, "filing the void decision again", err, errs.Conflict)
		if got, err := coord.BallotVoidNote(ctx, b.ID); err != nil || got == nil || got.ID != note.ID {
			t.Errorf("the void decision filed: %+v %v", got, err)
		}
		if u, err := coord.UnfiledReports(ctx); err != nil || len(u) != 0 {
			t.Errorf("reports not filed after both: %+v %v", u, err)
		}

		// B: the first ballot elects two, a further ballot the other three
		// (marking the vote); a person marks the vote stage again by hand;
		// the further ballot declared void leaves the first's two and the mark.
		markBefore(t, st, feedB)
		first := openFeed(t, st, feedB, election.Opening{Round: election.FirstRound, Present: 38})
		first = countFeed(t, st, first, sheet(first, 38, 38, 29, 10, 9, 8, 7))
		var keys []string
		for _, c := range first.Candidates[2:] {
			keys = append(keys, c.Key)
		}
		further := openFeed(t, st, feedB, election.Opening{Round: election.FurtherRound, Present: 38, Candidates: keys,
			Seats: map[vetting.Post]int{vetting.CommitteeMember: 3}})
		further = countFeed(t, st, further, sheet(further, 38, 30, 29, 28, 5))
		if !strings.Contains(further.Progress, "已标记完成") || len(committeeOf(t, office, feedB, org.PartyCommittee).Members) != 5 {
			t.Fatalf("B's further ballot: %q", further.Progress)
		}
		_, err = write(t, office, func(tx *store.Tx) (store.ProgressMark, error) {
			return tx.MarkStage(ctx, store.ProgressMark{OrgCode: feedB, Stage: "party_congress", DoneOn: "2027-03-01", Evidence: "党员大会已召开,见会议记录"})
		})
		if err != nil {
			t.Fatal(err)
		}
		voided, err = write(t, coord, func(tx *store.Tx) (store.Ballot, error) {
			return tx.VoidBallot(ctx, further.ID, "另行选举程序违法")
		})
		if err != nil || voided.Progress != "" {
			t.Fatalf("voiding B's further ballot: %q %v", voided.Progress, err)
		}
		if got := memberNames(committeeOf(t, office, feedB, org.PartyCommittee).Members); !slices.Equal(got, []string{"计乙", "计甲"}) {
			t.Errorf("B's members after its further ballot is void: %v", got)
		}
		marks, err := office.CommunityProgress(ctx, feedB)
		if err != nil || marks["party_congress"].Evidence != "党员大会已召开,见会议记录" {
			t.Errorf("a mark made by hand was taken back: %+v %v", marks["party_congress"], err)
		}
	})
}
