package slate

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/vetting"
)

// The two recommendations (两推, issue 14 point 3): for each committee of a
// community, the party members' recommendation and the residents' (or
// their representatives') recommendation. Each records who took part
// (应参加, 实参加), the day it was held and the votes each aspirant received
// per post; the ranking by votes, with ties sharing a rank, and the share
// of votes (votes ÷ 实参加) are what the pages, the board and the "unity"
// target read.

// Kind is how a recommendation was made.
type Kind string

// The kinds: the party members', and for the other one the residents'
// (群众推荐) or their representatives' (居民代表推荐), chosen per recommendation.
const (
	MembersKind   Kind = "members"   // 党员推荐
	MassesKind    Kind = "masses"    // 群众推荐
	DelegatesKind Kind = "delegates" // 居民代表推荐
)

// Kinds lists them.
var Kinds = []Kind{MembersKind, MassesKind, DelegatesKind}

// Label is the kind's Chinese name.
func (k Kind) Label() string {
	switch k {
	case MembersKind:
		return "党员推荐"
	case MassesKind:
		return "群众推荐"
	case DelegatesKind:
		return "居民代表推荐"
	}
	return ""
}

// Valid reports whether k is known.
func (k Kind) Valid() bool { return k.Label() != "" }

// ParseKind accepts a code or a Chinese label (as typed in a workbook).
func ParseKind(s string) (Kind, bool) {
	s = strings.TrimSpace(s)
	for _, k := range Kinds {
		if string(k) == s || k.Label() == s {
			return k, true
		}
	}
	return "", false
}

// Source is which of a committee's two recommendations a kind makes: the
// party members' or the residents' (whether by all or by representatives).
// A committee has at most one recommendation of each source; entering
// another replaces it.
type Source string

// The two sources.
const (
	PartySource  Source = "party"  // 党员推荐
	PublicSource Source = "public" // 群众推荐或居民代表推荐
)

// Sources lists them in the order pages show them.
var Sources = []Source{PartySource, PublicSource}

// Label is the source's Chinese name.
func (s Source) Label() string {
	if s == PartySource {
		return "党员推荐"
	}
	return "群众(居民代表)推荐"
}

// Source is the recommendation kind k makes.
func (k Kind) Source() Source {
	if k == MembersKind {
		return PartySource
	}
	return PublicSource
}

// Vote is the votes one aspirant received for one post.
type Vote struct {
	AspirantID int64        `json:"aspirant_id"`
	Post       vetting.Post `json:"post"`
	Votes      int          `json:"votes"`
}

// Recommendation is one recommendation of one committee of a community.
type Recommendation struct {
	Committee org.Committee `json:"committee"`
	Kind      Kind          `json:"kind"`
	Expected  int           `json:"expected"` // 应参加人数
	Present   int           `json:"present"`  // 实参加人数
	Day       civil.Date    `json:"day"`      // the day it was held
	Votes     []Vote        `json:"votes"`
}

// MaxVoters bounds 应参加: more than any community's residents.
const MaxVoters = 1_000_000

// Stands reports whether aspirant a stands for committee c: the committee
// registered for, or the other one by a post sought there too (一肩挑,
// 交叉任职).
func Stands(a vetting.Aspirant, c org.Committee) bool {
	return a.Committee == c || (a.CrossPost != "" && a.CrossPost.Fits(c))
}

// ValidateRecommendation checks a recommendation before it is kept: a committee and a
// kind; 应参加 above 0, 实参加 from 0 to 应参加; a real day, not after today
// nor after the community's election day of that committee (electionDay);
// at least one row, each an aspirant of the community (people, by id) who
// stands for the committee and may be proposed (Eligible, whose reason is
// given), for a post of that committee, at most once per post, with votes
// from 0 to 实参加. The error names its field; rows are votes[N].field.
func ValidateRecommendation(r Recommendation, today, electionDay civil.Date, people map[int64]vetting.Aspirant) error {
	if r.Committee != org.PartyCommittee && r.Committee != org.ResidentsCommittee {
		return errs.OnField("committee", "请选择党组织委员会或居民委员会")
	}
	if !r.Kind.Valid() {
		return errs.OnField("kind", "请选择推荐方式:党员推荐、群众推荐或居民代表推荐")
	}
	switch {
	case r.Expected <= 0:
		return errs.OnField("expected", "应参加人数须大于0")
	case r.Expected > MaxVoters:
		return errs.OnField("expected", "应参加人数不能超过"+strconv.Itoa(MaxVoters))
	case r.Present < 0:
		return errs.OnField("present", "实参加人数不能为负数")
	case r.Present > r.Expected:
		return errs.OnField("present", fmt.Sprintf("实参加人数(%d)不能多于应参加人数(%d)", r.Present, r.Expected))
	}
	switch {
	case r.Day == "":
		return errs.OnField("day", "请填写推荐日期")
	case !r.Day.Valid():
		return errs.OnField("day", civil.ErrDate.Error())
	case today != "" && r.Day > today:
		return errs.OnField("day", "推荐日期不能晚于今天("+string(today)+")")
	case electionDay != "" && r.Day > electionDay:
		return errs.OnField("day", "推荐日期不能晚于本社区"+r.Committee.Label()+"的选举日("+string(electionDay)+")")
	}
	if len(r.Votes) == 0 {
		return errs.OnField("votes", "请至少填写一人的得票")
	}
	seen := map[Vote]int{}
	for i, v := range r.Votes {
		field := func(f string) string { return fmt.Sprintf("votes[%d].%s", i, f) }
		row := "第" + strconv.Itoa(i+1) + "行:"
		a, ok := people[v.AspirantID]
		switch {
		case v.AspirantID <= 0:
			return errs.OnField(field("aspirant_id"), row+"请选择被推荐人")
		case !ok:
			return errs.OnField(field("aspirant_id"), row+"被推荐人不是本社区本届的自荐参选人")
		case !Stands(a, r.Committee):
			return errs.OnField(field("aspirant_id"), row+a.Name+"未报名参选"+r.Committee.Label()+",不能计入该委员会的推荐")
		}
		if ok, reason := Eligible(a.Status); !ok {
			return errs.OnField(field("aspirant_id"), row+a.Name+reason)
		}
		if !v.Post.Fits(r.Committee) {
			return errs.OnField(field("post"), row+"请选择"+r.Committee.Label()+"的职务:"+postNames(r.Committee))
		}
		key := Vote{AspirantID: v.AspirantID, Post: v.Post}
		if j, dup := seen[key]; dup {
			return errs.OnField(field("post"), fmt.Sprintf("%s%s的%s得票已在第%d行填写", row, a.Name, v.Post.Label(), j+1))
		}
		seen[key] = i
		switch {
		case v.Votes < 0:
			return errs.OnField(field("votes"), row+"得票数不能为负数")
		case v.Votes > r.Present:
			return errs.OnField(field("votes"), fmt.Sprintf("%s得票数(%d)不能多于实参加人数(%d)", row, v.Votes, r.Present))
		}
	}
	return nil
}

func postNames(c org.Committee) string {
	var names []string
	for _, p := range vetting.PostsOf(c) {
		names = append(names, p.Label())
	}
	return strings.Join(names, "、")
}

// Ranked is one person in the ranking of a post in one recommendation.
type Ranked struct {
	AspirantID int64   `json:"aspirant_id"`
	Name       string  `json:"name"`
	Votes      int     `json:"votes"`
	Share      float64 `json:"share"` // votes ÷ 实参加, a percentage with one decimal
	Rank       int     `json:"rank"`  // 1 the most votes; ties share a rank (1, 1, 3)
}

// ShareText is the share as pages write it: "45.5%".
func (r Ranked) ShareText() string { return Percent(r.Share) }

// Share is votes ÷ present as a percentage rounded to one decimal; 0 when
// nobody took part.
func Share(votes, present int) float64 {
	if present <= 0 {
		return 0
	}
	return math.Round(float64(votes)*1000/float64(present)) / 10
}

// Percent writes a percentage with one decimal: "45.5%".
func Percent(p float64) string { return strconv.FormatFloat(p, 'f', 1, 64) + "%" }

// Turnout is present ÷ expected as a percentage with one decimal.
func Turnout(present, expected int) float64 { return Share(present, expected) }

// Rank orders the votes of one post by votes, most first (by name, then
// id, among equals), gives each its share of present and its rank: ties
// share a rank and the next rank skips them (standard competition
// ranking, 1, 1, 3). list is not changed.
func Rank(list []Ranked, present int) []Ranked {
	out := slices.Clone(list)
	slices.SortStableFunc(out, func(a, b Ranked) int {
		if a.Votes != b.Votes {
			return b.Votes - a.Votes
		}
		if c := strings.Compare(a.Name, b.Name); c != 0 {
			return c
		}
		return cmp.Compare(a.AspirantID, b.AspirantID)
	})
	for i := range out {
		out[i].Share = Share(out[i].Votes, present)
		if i > 0 && out[i].Votes == out[i-1].Votes {
			out[i].Rank = out[i-1].Rank
		} else {
			out[i].Rank = i + 1
		}
	}
	return out
}
