// Package slate is the third gate, 人选考察关: the seats of each committee
// and their check against the law, and (in files of their own) the
// recommendations, the assessment of candidates, the predicted slate, the
// structure targets and the formal candidate lists. Rules come from
// ../shared/reference/rules.md §2, §3.5 and §4. No SQL, no HTTP.
package slate

import (
	"strconv"

	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/vetting"
)

// Body is what kind of body a residents' committee is: a community's
// residents' committee (5–9 members) or a village committee (3–7).
type Body string

// The two bodies.
const (
	ResidentsBody Body = "residents" // 社区居民委员会
	VillageBody   Body = "village"   // 村民委员会
)

// Label is the body's Chinese name.
func (b Body) Label() string {
	if b == VillageBody {
		return "村民委员会"
	}
	return "社区居民委员会"
}

// Bodies lists them.
var Bodies = []Body{ResidentsBody, VillageBody}

// Seats are the seats of one committee of a community: the chief (书记 or
// 主任), the deputies (副书记 or 副主任) and the other members (委员).
type Seats struct {
	Committee org.Committee `json:"committee"`
	// FullMembers: for the party organisation, its full members with the
	// right to vote, which set what it may be (rules.md §2).
	FullMembers int `json:"full_members"`
	// Body: for the residents' committee, a community's or a village's.
	Body     Body `json:"body,omitempty"`
	Chief    int  `json:"chief"`
	Deputies int  `json:"deputies"`
	Members  int  `json:"members"`
}

// Total is the number of seats.
func (s Seats) Total() int { return s.Chief + s.Deputies + s.Members }

// Of is how many seats of post p there are.
func (s Seats) Of(p vetting.Post) int {
	switch p {
	case vetting.Secretary, vetting.Director:
		return s.Chief
	case vetting.DeputySecretary, vetting.DeputyDirector:
		return s.Deputies
	case vetting.CommitteeMember:
		return s.Members
	}
	return 0
}

// Finding is one result of checking seats against the law: an error makes
// the seats unlawful (they are refused); a warning asks the office to look.
type Finding struct {
	Field   string `json:"field"`
	Message string `json:"message"`
	Error   bool   `json:"error"`
}

// Organisation names what a party organisation of n full members is
// (rules.md §2): fewer than 3 cannot form one; from 3 a branch, which
// elects a committee from 7; over 50 a general branch is possible, and
// from 100 a party committee (with the county's approval).
func Organisation(n int) string {
	switch {
	case n < 3:
		return "不足3名正式党员,不能单独成立党支部"
	case n < 7:
		return "党支部(不足7名正式党员,不设支部委员会,只设书记,可设副书记)"
	case n <= 50:
		return "党支部,设支部委员会"
	case n < 100:
		return "党支部或党总支部,设委员会"
	}
	return "可设党委(须经县级党委批准),设委员会"
}

// Check checks seats against the law (rules.md §2 for the party
// organisation, §3.1 for the residents' committee): counts not negative,
// one chief, the committee's size. It returns every finding, errors first
// in the order of the form.
func Check(s Seats) []Finding {
	var out []Finding
	bad := func(field, msg string) { out = append(out, Finding{field, msg, true}) }
	warn := func(field, msg string) { out = append(out, Finding{field, msg, false}) }
	for _, f := range []struct {
		field string
		n     int
	}{{"chief", s.Chief}, {"deputies", s.Deputies}, {"members", s.Members}, {"full_members", s.FullMembers}} {
		if f.n < 0 || f.n > 999 {
			bad(f.field, "人数须在0到999之间")
		}
	}
	if len(out) > 0 {
		return out
	}
	chief, deputy := "主任", "副主任"
	if s.Committee == org.PartyCommittee {
		chief, deputy = "书记", "副书记"
	}
	if s.Chief != 1 {
		bad("chief", chief+"须为1名")
	}
	switch s.Committee {
	case org.PartyCommittee:
		n := s.FullMembers
		switch {
		case n < 3:
			bad("full_members", "正式党员不足3名,不能单独成立党支部,请与邻近单位联合成立")
		case n < 7:
			// 不足7名正式党员的支部不设委员会: a secretary, perhaps a deputy.
			if s.Deputies > 1 {
				bad("deputies", "正式党员不足7名的党支部不设支部委员会,最多设副书记1名")
			}
			if s.Members > 0 {
				bad("members", "正式党员不足7名的党支部不设支部委员会,不设委员")
			}
		default:
			switch t := s.Total(); {
			case t < 3:
				bad("members", "正式党员7名以上的党组织设委员会,委员会由3至5人组成(现为"+strconv.Itoa(t)+"人)")
			case t > 7:
				bad("members", "委员会一般由3至5人组成,最多不超过7人(现为"+strconv.Itoa(t)+"人)")
			case t > 5:
				warn("members", "委员会一般由3至5人组成,现为"+strconv.Itoa(t)+"人,请确认已经上级同意")
			}
			if s.Deputies > 2 {
				bad("deputies", deputy+"一般为1名,最多不超过2名")
			}
			if s.Total() > s.FullMembers {
				bad("members", "委员会人数不能多于正式党员人数")
			}
		}
	case org.ResidentsCommittee:
		lo, hi := 5, 9 // 居民委员会组织法第七条
		if s.Body == VillageBody {
			lo, hi = 3, 7 // 村民委员会组织法第六条
		} else if s.Body != ResidentsBody {
			bad("body", "请选择社区居民委员会或村民委员会")
		}
		if t := s.Total(); t < lo || t > hi {
			bad("members", s.Body.Label()+"由主任、副主任和委员共"+strconv.Itoa(lo)+"至"+strconv.Itoa(hi)+"人组成(现为"+strconv.Itoa(t)+"人)")
		}
		if s.Deputies > 3 {
			bad("deputies", deputy+"最多设3名")
		}
	default:
		bad("committee", "请选择党组织委员会或居民委员会")
	}
	return out
}

// Validate refuses seats with an error of Check, naming its field.
func Validate(s Seats) error {
	for _, f := range Check(s) {
		if f.Error {
			return errs.OnField(f.Field, f.Message)
		}
	}
	return nil
}
