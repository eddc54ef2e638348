package store_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/huanjie/huanjie/internal/account"
	"github.com/huanjie/huanjie/internal/election"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/vetting"
)

// decidedBallot opens a ballot of round of countCommunity's party committee
// (countZone's formal list: 5 seats, 6 candidates) with 40 who should
// attend and present there, has two clerks enter the same count of present
// valid ballots (filled: the 书记 candidate yes on every one, the others
// present·3/5 − i) and a coordinator confirm it: the outcome is decided.
func decidedBallot(t *testing.T, st *store.Store, round election.Round, present int) store.Ballot {
	t.Helper()
	st.SetClock(func() time.Time { return countDay })
	office := st.Zone(store.System)
	b, err := write(t, office, func(tx *store.Tx) (store.Ballot, error) {
		return tx.OpenBallot(ctx, countCommunity, election.Opening{Committee: org.PartyCommittee, Round: round,
			ShouldAttend: 40, Present: present})
	})
	if err != nil {
		t.Fatal(err)
	}
	path := "/QS/QS-01/"
	coord := countAccount(st, 9203, "结果协调员", account.District, path)
	// Every vote at the first station (the community's registered
	// stations, when a test registered some, count none).
	for n, u := range b.Units {
		c := filled(b, 0, 0)
		if n == 0 {
			c = filled(b, present, 0)
		}
		for i, db := range []*store.Scoped{countAccount(st, 9201, "结果录入甲", account.District, path),
			countAccount(st, 9202, "结果录入乙", account.District, path)} {
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

// A confirmed ballot's outcome is decided by the law and kept (rules.md
// §2). With 32 of 40 present (exactly 4/5) there is no quorum: the ballot
// is void with the reason and the re-run deadline 30 days on, and nobody
// is elected. Repeated with 38 present, more than 20 votes elect: the 书记
// candidate (38) and the next (21); three seats go to a further ballot
// among the next highest; the elected become the committee's members.
func TestBallotOutcome(t *testing.T) {
	countZone.ForEach(t, func(t *testing.T, st *store.Store) {
		office := st.Zone(store.System)
		void := decidedBallot(t, st, election.FirstRound, 32)
		if void.State != election.BallotVoid || !strings.Contains(void.VoidReason, election.CodeQuorum) || void.RerunBy != "2027-03-31" ||
			void.Outcome[vetting.CommitteeMember].Valid {
			t.Fatalf("32 of 40 present: %s %q %s %+v", void.State, void.VoidReason, void.RerunBy, void.Outcome)
		}
		if r, err := office.Results(ctx, countCommunity); err != nil || slices.ContainsFunc(r.Committees, func(c store.CommitteeResult) bool {
			return len(c.Members) > 0
		}) {
			t.Fatalf("a void ballot elected: %+v %v", r, err)
		}

		b := decidedBallot(t, st, election.RepeatRound, 38)
		o, ok := b.Outcome[vetting.CommitteeMember]
		if !ok || !o.Valid || !slices.Equal(o.Elected, []string{"计甲", "计乙"}) || o.FurtherSeats != 3 ||
			!slices.Equal(o.FurtherCandidates, []string{"计丙", "计丁", "计戊", "计己"}) || b.State != election.BallotConfirmed {
			t.Fatalf("the outcome of 38 present: %+v (%s)", o, b.State)
		}
		if again, err := office.Ballot(ctx, b.ID); err != nil || !slices.Equal(again.Outcome[vetting.CommitteeMember].Elected, o.Elected) {
			t.Fatalf("the outcome is not kept: %+v %v", again.Outcome, err)
		}
		r, err := office.Results(ctx, countCommunity)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, c := range r.Committees {
			if c.Committee == org.PartyCommittee {
				for _, m := range c.Members {
					names = append(names, m.Name)
					if m.Base != 40 || m.Round != election.RepeatRound {
						t.Errorf("elected %s on base %d, round %s", m.Name, m.Base, m.Round)
					}
				}
			}
		}
		if !slices.Equal(names, []string{"计甲", "计乙"}) {
			t.Fatalf("the committee's members from the outcome: %v", names)
		}
	})
}

// A ballot opened without its electorate takes the registers' counts: the
// party members with the vote not excused (应到会) and those marked present.
func TestBallotTakesTheRegisters(t *testing.T) {
	countZone.ForEach(t, func(t *testing.T, st *store.Store) {
		st.SetClock(func() time.Time { return countDay })
		office := st.Zone(store.System)
		before, err := office.ElectorateCounts(ctx, countCommunity)
		if err != nil {
			t.Fatal(err)
		}
		b, err := write(t, office, func(tx *store.Tx) (store.Ballot, error) {
			for i, status := range []election.PartyStatus{election.StatusFull, election.StatusFull, election.StatusFull, election.StatusProbationary} {
				m, err := tx.AddPartyMember(ctx, countCommunity, election.PartyMember{Name: "登记党员" + string(rune('甲'+i)), Sex: "男",
					BirthDate: "1970-01-01", Status: status})
				if err != nil {
					return store.Ballot{}, err
				}
				if i < 2 {
					if _, err := tx.MarkPresent(ctx, countCommunity, m.ID, true); err != nil {
						return store.Ballot{}, err
					}
				}
			}
			return tx.OpenBallot(ctx, countCommunity, election.Opening{Committee: org.PartyCommittee, Round: election.FirstRound})
		})
		if err != nil {
			t.Fatal(err)
		}
		if b.ShouldAttend != before.ShouldAttend+3 || b.Present != before.Present+2 {
			t.Fatalf("the ballot's electorate from the register: 应到会 %d, 实到会 %d; want %d and %d (the same transaction's members seen)",
				b.ShouldAttend, b.Present, before.ShouldAttend+3, before.Present+2)
		}
	})
}
