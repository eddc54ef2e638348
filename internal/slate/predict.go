package slate

// The predicted slate (预判人选) and the reserve list (人选储备), issue 14
// point 5: per community, committee and post the office's predicted
// person, how a young cadre came (内选 or 外派), whether the party secretary
// is planned to be the residents' committee director too (一肩挑), and the
// changes of person kept as history; the reserve list of promising people.

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/vetting"
)

// YoungAge is the age up to which a cadre is young (35岁以下): the seed's
// hard indicator. 以下 includes the number itself (民法典第一千二百五十九条:
// "民法所称的'以上'、'以下'、'以内'、'届满',包括本数"), so a person aged
// exactly 35 on the election day is 35岁以下, one aged 36 is not.
const YoungAge = 35

// Young reports whether a person of age (whole years on the election day of
// the committee concerned, never today) is a young cadre, 35岁以下. This is
// the one place the rule is written; pages, checks and targets call it.
func Young(age int) bool { return age <= YoungAge }

// AgeOn is the age in whole years on day of a person born on birth: a
// birthday on day itself counts. 0 when either date is missing or invalid.
func AgeOn(birth, day civil.Date) int {
	b, d := birth.Start(), day.Start()
	if b.IsZero() || d.IsZero() {
		return 0
	}
	age := d.Year() - b.Year()
	if d.Month() < b.Month() || (d.Month() == b.Month() && d.Day() < b.Day()) {
		age--
	}
	return age
}

// Origin is how a young cadre came to the post (来源).
type Origin string

// The two ways the seed names: chosen inside the community or sent from
// outside it.
const (
	Inside  Origin = "inside"  // 内选
	Outside Origin = "outside" // 外派
)

// Origins lists them.
var Origins = []Origin{Inside, Outside}

// Label is the Chinese name; "" for no source.
func (s Origin) Label() string {
	switch s {
	case Inside:
		return "内选"
	case Outside:
		return "外派"
	}
	return ""
}

// Valid reports whether s is known.
func (s Origin) Valid() bool { return s.Label() != "" }

// NotesMax is the longest note of a predicted person, a reserve person and
// the reason of a change, in characters.
const NotesMax = 500

// Pick is one predicted person: an aspirant on a post of a committee.
type Pick struct {
	Committee  org.Committee `json:"committee"`
	Post       vetting.Post  `json:"post"`
	AspirantID int64         `json:"aspirant_id"`
	Source     Origin        `json:"source"` // required for a young cadre
	Notes      string        `json:"notes"`
}

// Prediction is a community's predicted slate: its picks in the order of
// the posts, and the plan that the secretary is the director too.
type Prediction struct {
	Dual  bool   `json:"dual"` // 一肩挑
	Picks []Pick `json:"picks"`
}

// Person is what a prediction is checked against: an aspirant of the
// community in the cycle.
type Person struct {
	Name   string
	Status vetting.Status
	// Stands: the committees the aspirant stands for (the committee and
	// the other one when a post there is sought too).
	Stands map[org.Committee]bool
	// Age on each committee's election day of the community.
	Age map[org.Committee]int
}

// chiefOf is the chief post of committee c.
func chiefOf(c org.Committee) vetting.Post {
	if c == org.PartyCommittee {
		return vetting.Secretary
	}
	return vetting.Director
}

// CheckPrediction refuses a prediction that breaks a rule, naming the field
// (picks[N].aspirant_id, picks[N].source, …, dual) with the reason in
// Chinese: each person an eligible aspirant of the community standing for
// the committee (Eligible), at most once per committee (one person may be
// on both: 交叉任职), a source for every young cadre, notes of at most
// NotesMax characters, no more persons on a post than its seats (seats
// holds only the committees whose seats are set; one chief in any case),
// and with 一肩挑 the same person as 书记 and 主任.
func CheckPrediction(p Prediction, people map[int64]Person, seats map[org.Committee]Seats) error {
	type slot struct {
		c org.Committee
		p vetting.Post
	}
	onCommittee := map[org.Committee]map[int64]vetting.Post{}
	count := map[slot]int{}
	chief := map[org.Committee]int64{}
	for i, k := range p.Picks {
		at := func(f string) string { return "picks[" + strconv.Itoa(i) + "]." + f }
		if k.Committee != org.PartyCommittee && k.Committee != org.ResidentsCommittee {
			return errs.OnField(at("committee"), "请选择党组织委员会或居民委员会")
		}
		if !k.Post.Fits(k.Committee) {
			return errs.OnField(at("post"), k.Committee.Label()+"没有该职务")
		}
		what := k.Committee.Label() + k.Post.Label()
		if k.AspirantID == 0 {
			return errs.OnField(at("aspirant_id"), "请选择"+what+"的预判人选")
		}
		who, ok := people[k.AspirantID]
		if !ok {
			return errs.OnField(at("aspirant_id"), "所选人员不是本社区本届的自荐参选人")
		}
		if ok, reason := Eligible(who.Status); !ok {
			return errs.OnField(at("aspirant_id"), who.Name+":"+reason)
		}
		if !who.Stands[k.Committee] {
			return errs.OnField(at("aspirant_id"), who.Name+"没有报名参选"+k.Committee.Label()+",不能预判为"+what)
		}
		if onCommittee[k.Committee] == nil {
			onCommittee[k.Committee] = map[int64]vetting.Post{}
		}
		if prev, twice := onCommittee[k.Committee][k.AspirantID]; twice {
			return errs.OnField(at("aspirant_id"), fmt.Sprintf("%s已预判为%s%s,同一人在一个委员会只能预判一个职务",
				who.Name, k.Committee.Label(), prev.Label()))
		}
		onCommittee[k.Committee][k.AspirantID] = k.Post
		age := who.Age[k.Committee]
		switch {
		case k.Source != "" && !k.Source.Valid():
			return errs.OnField(at("source"), "来源须为内选或外派")
		case k.Source == "" && Young(age):
			return errs.OnField(at("source"), fmt.Sprintf("%s选举日时%d岁,属%d岁以下年轻干部,须注明来源(内选或外派)",
				who.Name, age, YoungAge))
		}
		if n := utf8.RuneCountInString(strings.TrimSpace(k.Notes)); n > NotesMax {
			return errs.OnField(at("notes"), fmt.Sprintf("备注最多%d字(现为%d字)", NotesMax, n))
		}
		s := slot{k.Committee, k.Post}
		count[s]++
		limit, set := 0, false
		if st, ok := seats[k.Committee]; ok {
			limit, set = st.Of(k.Post), true
		} else if k.Post == chiefOf(k.Committee) {
			limit, set = 1, true
		}
		if set && count[s] > limit {
			return errs.OnField(at("aspirant_id"), fmt.Sprintf("%s职数为%d名,预判人选不能多于职数", what, limit))
		}
		if k.Post == chiefOf(k.Committee) {
			chief[k.Committee] = k.AspirantID
		}
	}
	sec, dir := chief[org.PartyCommittee], chief[org.ResidentsCommittee]
	if p.Dual && sec != 0 && dir != 0 && sec != dir {
		return errs.OnField("dual", fmt.Sprintf("已计划一肩挑,书记(%s)和主任(%s)须预判为同一人",
			people[sec].Name, people[dir].Name))
	}
	return nil
}

// PredictionWarnings are what the office should look at in a prediction it
// may save: committees without seats, posts short of persons, 一肩挑
// planned while the secretary or the director is not predicted yet.
func PredictionWarnings(p Prediction, seats map[org.Committee]Seats) []string {
	var out []string
	type slot struct {
		c org.Committee
		p vetting.Post
	}
	count := map[slot]int{}
	chief := map[org.Committee]bool{}
	for _, k := range p.Picks {
		count[slot{k.Committee, k.Post}]++
		if k.Post == chiefOf(k.Committee) {
			chief[k.Committee] = true
		}
	}
	for _, c := range org.Committees {
		st, ok := seats[c]
		if !ok {
			out = append(out, c.Label()+"尚未设定职数")
			continue
		}
		for _, post := range vetting.PostsOf(c) {
			if n := st.Of(post) - count[slot{c, post}]; n > 0 {
				out = append(out, fmt.Sprintf("%s%s尚缺%d名预判人选", c.Label(), post.Label(), n))
			}
		}
	}
	if p.Dual && (!chief[org.PartyCommittee] || !chief[org.ResidentsCommittee]) {
		out = append(out, "已计划一肩挑,须预判同一人为书记和主任")
	}
	return out
}

// Change is one change of a predicted person on a post: From replaced by
// To (0 for none).
type Change struct {
	Committee org.Committee
	Post      vetting.Post
	From, To  int64
}

// Changes are the changes of person from the picks before to the picks
// after, post by post: a person who left a post is paired with one who came
// to it (a replacement), the rest are additions or removals. A person who
// stays on the post is no change, whatever the order or notes.
func Changes(before, after []Pick) []Change {
	type slot struct {
		c org.Committee
		p vetting.Post
	}
	ids := func(ps []Pick) (map[slot][]int64, []slot) {
		m := map[slot][]int64{}
		var order []slot
		for _, k := range ps {
			s := slot{k.Committee, k.Post}
			if _, seen := m[s]; !seen {
				order = append(order, s)
			}
			m[s] = append(m[s], k.AspirantID)
		}
		return m, order
	}
	b, bo := ids(before)
	a, ao := ids(after)
	var out []Change
	seen := map[slot]bool{}
	for _, s := range append(bo, ao...) {
		if seen[s] {
			continue
		}
		seen[s] = true
		var gone, came []int64
		for _, id := range b[s] {
			if !contains(a[s], id) {
				gone = append(gone, id)
			}
		}
		for _, id := range a[s] {
			if !contains(b[s], id) {
				came = append(came, id)
			}
		}
		for i := range max(len(gone), len(came)) {
			ch := Change{Committee: s.c, Post: s.p}
			if i < len(gone) {
				ch.From = gone[i]
			}
			if i < len(came) {
				ch.To = came[i]
			}
			out = append(out, ch)
		}
	}
	return out
}

func contains(ids []int64, id int64) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

// CheckReason refuses a change that replaces or removes a predicted person
// without a reason (field reason), and a reason longer than NotesMax.
func CheckReason(changes []Change, reason string) error {
	reason = strings.TrimSpace(reason)
	if n := utf8.RuneCountInString(reason); n > NotesMax {
		return errs.OnField("reason", fmt.Sprintf("变更理由最多%d字(现为%d字)", NotesMax, n))
	}
	for _, c := range changes {
		if c.From != 0 && reason == "" {
			return errs.OnField("reason", "更换或撤下预判人选须写明理由")
		}
	}
	return nil
}

// ReservePerson is a promising person of a community (人选储备): no ID
// number, no phone.
type ReservePerson struct {
	ID        int64             `json:"id"`
	Name      string            `json:"name"`
	Sex       string            `json:"sex"` // 男 / 女
	BirthDate civil.Date        `json:"birth_date"`
	Education vetting.Education `json:"education"`
	Party     vetting.Party     `json:"party"`
	Workplace string            `json:"workplace"` // 工作单位
	Note      string            `json:"note"`
}

// Sexes are the choices of a reserve person's sex.
var Sexes = []string{"男", "女"}

// Validate trims and checks a reserve person, day being the community's
// residents' election day (the person must be 18 on it), and names the
// first bad field.
func (r *ReservePerson) Validate(day civil.Date) error {
	r.Name, r.Workplace, r.Note = strings.TrimSpace(r.Name), strings.TrimSpace(r.Workplace), strings.TrimSpace(r.Note)
	r.BirthDate = civil.Date(strings.TrimSpace(string(r.BirthDate)))
	switch n := utf8.RuneCountInString(r.Name); {
	case n < 2 || n > 30:
		return errs.OnField("name", "姓名须为2至30个字")
	case r.Sex != "男" && r.Sex != "女":
		return errs.OnField("sex", "请选择性别")
	case !r.BirthDate.Valid():
		return errs.OnField("birth_date", "出生日期无效,应写成 1990-03-15 这样的年-月-日")
	case AgeOn(r.BirthDate, day) < vetting.MinAge:
		return errs.OnField("birth_date", fmt.Sprintf("选举日(%s)须年满%d周岁", day, vetting.MinAge))
	case !r.Education.Valid():
		return errs.OnField("education", "请选择文化程度")
	case !r.Party.Valid():
		return errs.OnField("party", "请选择政治面貌")
	case utf8.RuneCountInString(r.Workplace) > 100:
		return errs.OnField("workplace", "工作单位最多100字")
	case utf8.RuneCountInString(r.Note) > NotesMax:
		return errs.OnField("note", fmt.Sprintf("备注最多%d字", NotesMax))
	}
	return nil
}
