package election

import (
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/vetting"
)

// Predicted vs actual (预判人选与选举结果比对, issue 15 point 7): each person
// of a community's predicted slate for a committee against who was elected
// to it.

// Match is what became of one predicted person.
type Match string

// The outcomes. Only MatchPost counts as a match.
const (
	MatchPost  Match = "post"       // elected to the predicted post
	MatchOther Match = "other_post" // elected to the committee, to another post
	// MatchPending: elected to the party committee while its secretary and
	// deputies are not elected yet, predicted as one of them.
	MatchPending Match = "pending"
	MatchMissed  Match = "missed" // not elected to the committee
)

// Matches lists them.
var Matches = []Match{MatchPost, MatchOther, MatchPending, MatchMissed}

// Label is the Chinese name.
func (m Match) Label() string {
	switch m {
	case MatchPost:
		return "当选预判职务"
	case MatchOther:
		return "当选其他职务"
	case MatchPending:
		return "当选委员,书记副书记待选"
	case MatchMissed:
		return "未当选"
	}
	return ""
}

// Predicted is one person of a predicted slate for a committee.
type Predicted struct {
	Post       vetting.Post `json:"post"`
	Seat       int          `json:"seat"`
	AspirantID int64        `json:"aspirant_id"`
	Name       string       `json:"name"`
}

// MatchLine is one predicted person compared: the outcome, the post the
// person was elected to ("" none) and the names elected to the predicted
// post.
type MatchLine struct {
	Predicted
	Outcome     Match        `json:"outcome"`
	ElectedPost vetting.Post `json:"elected_post,omitempty"`
	OnPost      []string     `json:"elected_on_post"`
}

// Compare compares a committee's predicted persons with its elected
// members, person by person (an aspirant by its id: a person written in
// without an aspirant record was never predicted). officers: the party
// committee has elected its secretary and deputies (until then a person
// predicted as one of them and elected is MatchPending).
func Compare(c org.Committee, predicted []Predicted, elected []ElectedMember, officers bool) []MatchLine {
	post := map[int64]vetting.Post{}
	names := map[vetting.Post][]string{}
	for _, m := range elected {
		if m.AspirantID != 0 {
			post[m.AspirantID] = m.Post
		}
		names[m.Post] = append(names[m.Post], m.Name)
	}
	out := make([]MatchLine, len(predicted))
	for i, p := range predicted {
		l := MatchLine{Predicted: p, OnPost: names[p.Post]}
		if l.OnPost == nil {
			l.OnPost = []string{}
		}
		got, ok := post[p.AspirantID]
		switch {
		case !ok:
			l.Outcome = MatchMissed
		case got == p.Post:
			l.Outcome, l.ElectedPost = MatchPost, got
		case c == org.PartyCommittee && !officers && p.Post != vetting.CommitteeMember:
			l.Outcome, l.ElectedPost = MatchPending, got
		default:
			l.Outcome, l.ElectedPost = MatchOther, got
		}
		out[i] = l
	}
	return out
}
