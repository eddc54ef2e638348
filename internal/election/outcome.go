package election

import (
	"github.com/huanjie/huanjie/internal/org"
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
	Formal     int         `json:"formal"`
	Candidates []Candidate `json:"candidates"`
}

// Reason is why an outcome is what it is, with its check's code.
type Reason struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// Outcome is what the law makes of a ballot.
type Outcome struct {
	Valid bool     `json:"valid"`
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
