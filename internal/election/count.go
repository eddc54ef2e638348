package election

import (
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/vetting"
)

// A Count is what one station or box's count sheet (计票单) says for one
// ballot: the ballots and, per candidate and post, 赞成, 不赞成 and 弃权,
// with the names written in (另选他人). A nil number is a field left empty,
// which is not a zero (check F101): a clerk who means 0 types 0.
type Count struct {
	// Voted: people who signed for a ballot (参加投票人数; for the party,
	// those present who voted). Optional: when nil, Returned stands for it.
	Voted    *int   `json:"voted"`
	Issued   *int   `json:"ballots_issued"`
	Returned *int   `json:"ballots_returned"`
	Valid    *int   `json:"valid_ballots"`
	Invalid  *int   `json:"invalid_ballots"`
	Lines    []Line `json:"lines"`
	WriteIns []Line `json:"write_ins"`
}

// Line is one candidate's (or one written-in name's) votes for one post. A
// candidate is named by Key (an aspirant's id as text, for a written-in
// name its name) and Name; a write-in has only Yes (its votes).
type Line struct {
	Key     string       `json:"key"`
	Name    string       `json:"name"`
	Sex     string       `json:"sex,omitempty"`
	Post    vetting.Post `json:"post"`
	Yes     *int         `json:"yes"`
	No      *int         `json:"no,omitempty"`
	Abstain *int         `json:"abstain,omitempty"`
}

// Contest is what a count is checked against: the committee, its seats
// per post and who is registered (residents) or should attend and is
// present (party).
type Contest struct {
	Committee    org.Committee        `json:"committee"`
	Seats        map[vetting.Post]int `json:"seats"`
	Registered   int                  `json:"registered"`
	ShouldAttend int                  `json:"should_attend"`
	Present      int                  `json:"present"`
}

// Finding is one numbered check's result (in the manner of Abacus): an
// error (code F…) blocks confirming the count; a warning (W…) needs the
// clerk's acknowledgement. Field names the input it is about.
type Finding struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Field   string `json:"field,omitempty"`
	Error   bool   `json:"error"`
}
