package election

import (
	"fmt"
	"slices"

	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/slate"
	"github.com/huanjie/huanjie/internal/vetting"
)

// Round is which ballot of an election a count belongs to.
type Round string

// The rounds: the first ballot; a further ballot (另行选举) for seats left
// unfilled; a revote between those tied at the last seat; a repeat of a
// void election (重新选举), which counts as a first ballot.
const (
	FirstRound   Round = "first"
	FurtherRound Round = "further"
	RevoteRound  Round = "revote"
	RepeatRound  Round = "repeat"
)

// Label is the Chinese name.
func (r Round) Label() string {
	switch r {
	case FurtherRound:
		return "另行选举"
	case RevoteRound:
		return "得票相等者再次投票"
	case RepeatRound:
		return "重新选举"
	}
	return "第一次投票"
}

// Rounds lists them.
var Rounds = []Round{FirstRound, FurtherRound, RevoteRound, RepeatRound}

// Candidate is one person's total in one contest: a formal candidate or a
// name written in (WriteIn).
type Candidate struct {
	Key     string `json:"key,omitempty"`
	Name    string `json:"name"`
	Sex     string `json:"sex,omitempty"`
	Votes   int    `json:"votes"`
	WriteIn bool   `json:"write_in,omitempty"`
}

// Ballot is one contest of one vote as the outcome is decided on it: a
// committee's seats (or one post's, when posts are elected apart), who
// could and did vote, the ballots, and each candidate's votes for.
type Ballot struct {
	Committee    org.Committee `json:"committee"`
	Round        Round         `json:"round"`
	Seats        int           `json:"seats"`
	Registered   int           `json:"registered"`
	ShouldAttend int           `json:"should_attend"`
	Present      int           `json:"present"`
	Voted        int           `json:"voted"`
	Issued       int           `json:"ballots_issued"`
	Returned     int           `json:"ballots_returned"`
	Invalid      int           `json:"invalid_ballots"`
	// Formal: how many formal candidates the ballot listed (the margin is
	// checked on them; write-ins are not candidates).
	Formal int `json:"formal"`
	// MinFormal: the fewest formal candidates the margin allows (0: not
	// checked, as for a branch electing its secretary directly).
	MinFormal int `json:"min_formal"`
	// WomenElsewhere: a woman is already elected to another post of the
	// same committee, so this contest need not keep a seat for one.
	WomenElsewhere bool        `json:"women_elsewhere"`
	Candidates     []Candidate `json:"candidates"`
	// summed: the candidates' votes add several posts' (counting across
	// posts), so together they may exceed valid ballots × seats.
	summed bool
}

// Reason is why an outcome is what it is, with its check's code.
type Reason struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// Outcome is what the law makes of a ballot.
type Outcome struct {
	Valid   bool     `json:"valid"`
	Reasons []Reason `json:"reasons"`
	// Elected, most votes first.
	Elected []string `json:"elected"`
	// FurtherSeats are left for a further ballot, FurtherCandidates stand
	// in it (the next highest not elected).
	FurtherSeats      int      `json:"further_ballot_seats"`
	FurtherCandidates []string `json:"further_ballot_candidates"`
	// RevoteBetween: tied at the last seat, they are voted on again.
	RevoteBetween []string `json:"revote_between"`
	// WomenSeatUnfilled: no woman was elected where one must be; a seat is
	// kept for a further ballot among women.
	WomenSeatUnfilled bool `json:"women_seat_unfilled"`
}

// Outcome reason codes (the 3xx: the vote as a whole).
const (
	CodeTurnout  = "F301" // residents: not more than half of registered voters voted (rules.md §3.1)
	CodeQuorum   = "F302" // party: not more than 4/5 of 应到会 present (rules.md §2)
	CodeMargin   = "F303" // fewer formal candidates than the margin asks (差额, rules.md §2, §3.5)
	CodeNoVoters = "F304" // nobody could vote: registered or 应到会 missing
)

// Elects reports whether votes elect a candidate on ballot b (rules.md §2
// "Election threshold", "Exactly half"; §3.1 "To be elected",
// "另行选举"): for the party committee more than half of the base the
// setting names (应到会 or 实到会), in every round; for the residents'
// committee more than half of those who voted, and in a further ballot
// (or a revote after one) at least one third of them.
func Elects(votes int, b Ballot, s Settings) bool {
	if b.Committee == org.PartyCommittee {
		base := b.ShouldAttend
		if s.ThresholdBase == BasePresent {
			base = b.Present
		}
		return 2*votes > base
	}
	if b.Round == FurtherRound {
		return votes > 0 && 3*votes >= b.voted()
	}
	return 2*votes > b.voted()
}

// voted is the number the residents' thresholds count from: those who
// voted, or the ballots returned when that was not given.
func (b Ballot) voted() int {
	if b.Voted > 0 {
		return b.Voted
	}
	return b.Returned
}

// Void gives the reasons a ballot cannot elect anyone: figures that cannot
// be (the count's checks F103–F112 on the totals), ballots returned above
// those issued or above the voters (rules.md §2 reconciliation, §3.2), no
// quorum (§2) or turnout (§3.1), a broken margin: none, it stands.
func Void(b Ballot, s Settings) []Reason {
	var out []Reason
	add := func(code, format string, args ...any) {
		out = append(out, Reason{code, fmt.Sprintf(format, args...)})
	}
	for _, f := range []struct {
		v    int
		name string
	}{{b.Seats, "应选名额"}, {b.Registered, "登记选民数"}, {b.ShouldAttend, "应到会人数"}, {b.Present, "实到会人数"},
		{b.Voted, "参加投票人数"}, {b.Issued, "发出选票数"}, {b.Returned, "收回选票数"}, {b.Invalid, "无效票数"}} {
		if f.v < 0 {
			add(CodeNegative, "%s不能是负数", f.name)
		}
	}
	valid := b.Returned - b.Invalid
	if valid < 0 {
		add(CodeValidInvalid, "无效票%d张,多于收回的%d张", b.Invalid, b.Returned)
	}
	total := 0
	for _, c := range b.Candidates {
		total += c.Votes
		switch {
		case c.Votes < 0:
			add(CodeNegative, "%s的票数不能是负数", c.Name)
		case valid >= 0 && c.Votes > valid:
			add(CodeAboveValid, "%s得票%d张,多于有效票%d张", c.Name, c.Votes, valid)
		}
	}
	if valid >= 0 && b.Seats > 0 && !b.summed && total > valid*b.Seats {
		add(CodePostOver, "得票共%d张,多于有效票%d张乘应选%d名", total, valid, b.Seats)
	}
	if b.Committee == org.ResidentsCommittee && b.Registered > 0 && b.voted() > b.Registered {
		add(CodeVotedRegister, "参加投票%d人,多于登记选民%d人", b.voted(), b.Registered)
	}
	if b.Returned > b.Issued {
		add(CodeReturnedIssued, "收回选票%d张,多于发出的%d张,选举无效,应重新投票", b.Returned, b.Issued)
	}
	if b.Voted > 0 && b.Returned > b.Voted {
		add(CodeReturnedVoted, "收回选票%d张,多于参加投票的%d人,选举无效,应重新投票", b.Returned, b.Voted)
	}
	if b.Committee == org.PartyCommittee {
		switch {
		case b.ShouldAttend <= 0:
			add(CodeNoVoters, "未填应到会有选举权的党员人数")
		case b.Present > b.ShouldAttend:
			add(CodePresent, "实到会%d人,多于应到会的%d人", b.Present, b.ShouldAttend)
		case !Quorate(b.Present, b.ShouldAttend, s):
			add(CodeQuorum, "实到会%d人,未超过应到会%d人的%d分之%d,不能进行选举", b.Present, b.ShouldAttend, s.QuorumDen, s.QuorumNum)
		}
	} else {
		switch {
		case b.Registered <= 0:
			add(CodeNoVoters, "未填登记选民人数")
		case 2*b.voted() <= b.Registered:
			add(CodeTurnout, "参加投票%d人,未超过登记选民%d人的半数,选举无效", b.voted(), b.Registered)
		}
	}
	if (b.Round == FirstRound || b.Round == RepeatRound) && b.MinFormal > 0 && b.Formal < b.MinFormal {
		add(CodeMargin, "正式候选人%d名,应选%d名,至少需要%d名(差额)", b.Formal, b.Seats, b.MinFormal)
	}
	return out
}

// Quorate reports whether a party election may proceed: more than
// QuorumNum/QuorumDen of those who should attend are present (rules.md §2
// "Quorum": more than 4/5; exactly 4/5 is not enough).
func Quorate(present, shouldAttend int, s Settings) bool {
	return shouldAttend > 0 && present*s.QuorumDen > shouldAttend*s.QuorumNum
}

// Decide is what the law makes of one ballot (one contest: the committee's
// seats, or one post's when posts are elected apart). A void ballot elects
// nobody and says why. Otherwise those who reach the threshold (Elects) are
// elected by most votes until the seats are filled (rules.md §2 "More
// winners than seats"); a tie across the last seat sends the tied to a
// revote (RevoteBetween) and elects only those above them; seats left empty
// go to a further ballot (§2 "Fewer winners", §3.1 "另行选举") among the
// next highest not elected, Settings.FurtherMargin more than its seats.
//
// The women's seat (Settings.WomenSeat, residents' committee only; rules.md
// §3.1 "Women"): when nobody elected is a woman (WomenElsewhere: a woman
// was already elected to another post of the committee), the woman who
// reached the threshold with most votes takes the last seat; if none
// reached it, the last seat (the lowest elected, or an empty one) is kept
// for a further ballot among women and WomenSeatUnfilled is set.
func Decide(b Ballot, s Settings) Outcome {
	o := Outcome{Reasons: append([]Reason{}, Void(b, s)...), Elected: []string{}, FurtherCandidates: []string{}, RevoteBetween: []string{}}
	if len(o.Reasons) > 0 {
		return o
	}
	o.Valid = true
	ranked := slices.Clone(b.Candidates)
	slices.SortStableFunc(ranked, func(x, y Candidate) int { return y.Votes - x.Votes })
	var reached []Candidate
	for _, c := range ranked {
		if Elects(c.Votes, b, s) {
			reached = append(reached, c)
		}
	}
	elected := reached
	var tied []Candidate
	if len(reached) > b.Seats {
		last := reached[b.Seats-1].Votes
		if reached[b.Seats].Votes == last {
			elected = nil
			for _, c := range reached {
				switch {
				case c.Votes > last:
					elected = append(elected, c)
				case c.Votes == last:
					tied = append(tied, c)
				}
			}
		} else {
			elected = reached[:b.Seats]
		}
	}
	women := s.WomenSeat && b.Committee == org.ResidentsCommittee && !b.WomenElsewhere && b.Round != RevoteRound
	if women && !hasWoman(elected) && !hasWoman(tied) {
		if w, ok := firstWoman(reached); ok {
			if len(elected)+len(tied) >= b.Seats && len(elected) > 0 {
				if len(tied) > 0 {
					tied = nil // the woman takes the seat the tie was for
				} else {
					elected = elected[:len(elected)-1]
				}
			}
			elected = append(slices.Clone(elected), w)
		} else {
			o.WomenSeatUnfilled = true
			if len(elected) >= b.Seats {
				elected = elected[:b.Seats-1]
			}
			if len(tied) > 0 && len(elected)+1 >= b.Seats {
				tied = nil
			}
		}
	}
	in := map[string]bool{}
	for _, c := range elected {
		o.Elected = append(o.Elected, c.Name)
		in[c.Name] = true
	}
	for _, c := range tied {
		o.RevoteBetween = append(o.RevoteBetween, c.Name)
		in[c.Name] = true
	}
	revoteSeats := 0
	if len(tied) > 0 {
		revoteSeats = b.Seats - len(elected)
	}
	o.FurtherSeats = max(0, b.Seats-len(elected)-revoteSeats)
	if o.FurtherSeats > 0 {
		var rest []Candidate
		for _, c := range ranked {
			if !in[c.Name] && c.Votes > 0 {
				rest = append(rest, c)
			}
		}
		o.FurtherCandidates = nextHighest(rest, o.FurtherSeats+s.FurtherMargin)
		if o.WomenSeatUnfilled {
			var ws []Candidate
			for _, c := range rest {
				if c.Sex == "女" {
					ws = append(ws, c)
				}
			}
			for _, n := range nextHighest(ws, 1+s.FurtherMargin) {
				if !slices.Contains(o.FurtherCandidates, n) {
					o.FurtherCandidates = append(o.FurtherCandidates, n)
				}
			}
		}
	}
	return o
}

// nextHighest names the first n of a list sorted by votes, and everyone
// tied with the last of them.
func nextHighest(ranked []Candidate, n int) []string {
	out := []string{}
	for i, c := range ranked {
		if i >= n && c.Votes < ranked[n-1].Votes {
			break
		}
		out = append(out, c.Name)
	}
	return out
}

func hasWoman(cs []Candidate) bool {
	_, ok := firstWoman(cs)
	return ok
}

func firstWoman(cs []Candidate) (Candidate, bool) {
	for _, c := range cs {
		if c.Sex == "女" {
			return c, true
		}
	}
	return Candidate{}, false
}

// MinCandidates is the fewest formal candidates a first ballot of seats
// needs under the cycle's margins (rules.md §2, §3.5): the party
// committee's PartyPercent more, rounded up, when it elects a committee of
// 3 or more (a branch's one secretary needs none); the residents'
// committee's chief posts ChiefMin more, its members MemberMin more.
func MinCandidates(c org.Committee, p vetting.Post, seats int, m slate.Margins) int {
	switch {
	case seats <= 0:
		return 0
	case c == org.PartyCommittee:
		if seats < 3 {
			return 0
		}
		return slate.PartyCandidatesMin(seats, m.PartyPercent)
	case p == vetting.CommitteeMember:
		return seats + m.MemberMin
	}
	return seats + m.ChiefMin
}
