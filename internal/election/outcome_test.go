package election

import (
	"slices"
	"testing"

	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/vetting"
)

func resBallot(seats, voted int, cs ...Candidate) Ballot {
	return Ballot{Committee: org.ResidentsCommittee, Round: FirstRound, Seats: seats, Registered: 1000, Voted: voted,
		Issued: voted, Returned: voted, Formal: len(cs), Candidates: cs}
}

func c(name, sex string, votes int) Candidate { return Candidate{Name: name, Sex: sex, Votes: votes} }

// rules.md line 168 (§3.1 "Turnout for validity"): more than half of the
// registered voters must vote: 500 of 1000 is void, 501 stands.
func TestTurnoutExactlyHalf(t *testing.T) {
	s := DefaultSettings()
	o := Decide(resBallot(1, 500, c("张三", "女", 400)), s)
	if o.Valid || !slices.Equal(reasonCodes(o.Reasons), []string{CodeTurnout}) || len(o.Elected) != 0 {
		t.Fatalf("500 of 1000 voting: %+v", o)
	}
	if o := Decide(resBallot(1, 501, c("张三", "女", 400)), s); !o.Valid || !slices.Equal(o.Elected, []string{"张三"}) {
		t.Fatalf("501 of 1000 voting: %+v", o)
	}
}

// rules.md line 169 (§3.1 "To be elected"): more than half of the votes
// cast; exactly half is not elected.
func TestResidentsExactlyHalf(t *testing.T) {
	o := Decide(resBallot(2, 600, c("张三", "女", 300), c("李四", "男", 301), c("王五", "男", 100)), DefaultSettings())
	if !slices.Equal(o.Elected, []string{"李四"}) || o.FurtherSeats != 1 || !slices.Equal(o.FurtherCandidates, []string{"张三", "王五"}) {
		t.Fatalf("300 of 600 elected or further ballot wrong: %+v", o)
	}
}

// rules.md line 170 (§3.1 "另行选举"): most votes wins, but not fewer
// than one third of the ballots cast: exactly a third is enough.
func TestFurtherExactlyOneThird(t *testing.T) {
	b := resBallot(1, 600, c("张三", "女", 200), c("王五", "男", 199))
	b.Round = FurtherRound
	if o := Decide(b, DefaultSettings()); !slices.Equal(o.Elected, []string{"张三"}) {
		t.Fatalf("200 of 600 in a further ballot: %+v", o)
	}
	b.Candidates = []Candidate{c("张三", "女", 199), c("王五", "男", 198)}
	if o := Decide(b, DefaultSettings()); len(o.Elected) != 0 || o.FurtherSeats != 1 {
		t.Fatalf("199 of 600 in a further ballot: %+v", o)
	}
}

func partyBallot(seats, should, present int, cs ...Candidate) Ballot {
	return Ballot{Committee: org.PartyCommittee, Round: FirstRound, Seats: seats, ShouldAttend: should, Present: present,
		Issued: present, Returned: present, Formal: len(cs), Candidates: cs}
}

// rules.md line 136 (§2 "Quorum"): more than 4/5 of 应到会: 32 of 40 is
// exactly 4/5 and not enough, 33 is.
func TestQuorumExactlyFourFifths(t *testing.T) {
	s := DefaultSettings()
	if o := Decide(partyBallot(1, 40, 32, c("张三", "男", 30)), s); o.Valid || !slices.Equal(reasonCodes(o.Reasons), []string{CodeQuorum}) {
		t.Fatalf("32 of 40: %+v", o)
	}
	if o := Decide(partyBallot(1, 40, 33, c("张三", "男", 30)), s); !o.Valid || !slices.Equal(o.Elected, []string{"张三"}) {
		t.Fatalf("33 of 40: %+v", o)
	}
}

// rules.md lines 139-140 (§2 "Election threshold", "Exactly half"): more
// than half of 应到会 by default, of 实到会 as a setting; half is not elected.
func TestPartyThresholdBase(t *testing.T) {
	s := DefaultSettings()
	b := partyBallot(2, 40, 36, c("张三", "男", 20), c("李四", "女", 21), c("王五", "男", 19))
	if o := Decide(b, s); !slices.Equal(o.Elected, []string{"李四"}) || o.FurtherSeats != 1 {
		t.Fatalf("20 of 应到会 40 elected: %+v", o)
	}
	s.ThresholdBase = BasePresent // 实到会 36: more than 18
	if o := Decide(b, s); !slices.Equal(o.Elected, []string{"李四", "张三"}) {
		t.Fatalf("on 实到会: %+v", o)
	}
}

// rules.md line 141 (§2 "More winners than seats"): the highest until the
// seats are filled; a tie across the last seat is voted on again.
func TestTieAtTheLastSeat(t *testing.T) {
	b := partyBallot(2, 40, 40, c("张三", "男", 28), c("李四", "女", 25), c("王五", "男", 25), c("赵六", "男", 2))
	o := Decide(b, DefaultSettings())
	if !slices.Equal(o.Elected, []string{"张三"}) || !slices.Equal(o.RevoteBetween, []string{"李四", "王五"}) || o.FurtherSeats != 0 {
		t.Fatalf("tie at the last seat: %+v", o)
	}
	b.Candidates[2].Votes = 24
	if o := Decide(b, DefaultSettings()); !slices.Equal(o.Elected, []string{"张三", "李四"}) || len(o.RevoteBetween) != 0 {
		t.Fatalf("no tie: %+v", o)
	}
}

// rules.md line 135 and slate.PartyCandidatesMin: 5 seats need 6 formal
// candidates (20% rounded up); 5 break the margin.
func TestMarginOnFiveSeats(t *testing.T) {
	var cs []Candidate
	for _, name := range []string{"甲", "乙", "丙", "丁", "戊", "己"} {
		cs = append(cs, c(name, "男", 30))
	}
	b := partyBallot(5, 40, 40, cs...)
	b.MinFormal = 6
	if o := Decide(b, DefaultSettings()); !o.Valid {
		t.Fatalf("6 candidates for 5 seats: %+v", o)
	}
	b.Formal = 5
	if o := Decide(b, DefaultSettings()); o.Valid || !slices.Equal(reasonCodes(o.Reasons), []string{CodeMargin}) {
		t.Fatalf("5 candidates for 5 seats: %+v", o)
	}
}

func TestReturnedAboveIssuedVoidsTheBallot(t *testing.T) {
	b := resBallot(1, 600, c("张三", "女", 500))
	b.Returned = 601
	b.Voted = 0
	if o := Decide(b, DefaultSettings()); o.Valid || !slices.Contains(reasonCodes(o.Reasons), CodeReturnedIssued) || len(o.Elected) != 0 {
		t.Fatalf("601 returned of 600: %+v", o)
	}
}

// rules.md §3.1 "Women" (and cn-systems §3.5, the Wenzhou handbook): with no
// woman elected, the woman over the threshold with most votes takes the
// last seat; with none over it, the last seat is kept for women.
func TestWomenSeat(t *testing.T) {
	s := DefaultSettings()
	b := resBallot(2, 600, c("甲", "男", 400), c("乙", "男", 350), c("丙", "女", 320), c("丁", "女", 100))
	if o := Decide(b, s); !slices.Equal(o.Elected, []string{"甲", "丙"}) || o.WomenSeatUnfilled {
		t.Fatalf("a woman over half takes the last seat: %+v", o)
	}
	b.Candidates[2].Votes = 300
	o := Decide(b, s)
	if !slices.Equal(o.Elected, []string{"甲"}) || !o.WomenSeatUnfilled || o.FurtherSeats != 1 ||
		!slices.Contains(o.FurtherCandidates, "丙") || !slices.Contains(o.FurtherCandidates, "丁") {
		t.Fatalf("no woman over half: %+v", o)
	}
	s.WomenSeat = false
	if o := Decide(b, s); !slices.Equal(o.Elected, []string{"甲", "乙"}) || o.WomenSeatUnfilled {
		t.Fatalf("without the setting: %+v", o)
	}
}

// rules.md line 185 (§3.2 counting across posts): a 委员 candidate's total
// adds the votes for 主任; someone elected 主任 is not counted for 委员.
func TestDecidePostsCrossCounting(t *testing.T) {
	b := resBallot(0, 600)
	seats := map[vetting.Post]int{vetting.Director: 1, vetting.CommitteeMember: 1}
	votes := []PostVotes{
		{Name: "甲", Sex: "男", Post: vetting.Director, Votes: 400},
		{Name: "乙", Sex: "女", Post: vetting.Director, Votes: 150},
		{Name: "乙", Sex: "女", Post: vetting.CommitteeMember, Votes: 200},
		{Name: "丙", Sex: "男", Post: vetting.CommitteeMember, Votes: 290},
	}
	s := DefaultSettings()
	s.WomenSeat = false
	if o := DecidePosts(b, seats, votes, nil, s); !slices.Equal(o[vetting.Director].Elected, []string{"甲"}) ||
		len(o[vetting.CommitteeMember].Elected) != 0 {
		t.Fatalf("without counting across posts: %+v", o)
	}
	s.CrossPostCounting = true // 乙: 150 + 200 = 350 > 300
	if o := DecidePosts(b, seats, votes, nil, s); !slices.Equal(o[vetting.CommitteeMember].Elected, []string{"乙"}) {
		t.Fatalf("counting across posts: %+v", o)
	}
}
