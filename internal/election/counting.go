package election

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/vetting"
)

// UnitKind is where ballots are cast and counted: a polling station's
// kind (StationKind, rules.md §3.4), a mobile box counted at the main venue.
type UnitKind = StationKind

// UnitKinds lists them.
var UnitKinds = StationKinds

// BallotState is where one ballot (one vote of one committee, one round)
// stands: opened, being counted, its count confirmed, or void with a
// reason and a deadline to hold it again.
type BallotState string

// The states.
const (
	BallotOpen      BallotState = "open"
	BallotCounting  BallotState = "counting"
	BallotConfirmed BallotState = "confirmed"
	BallotVoid      BallotState = "void"
)

var ballotStateLabels = map[BallotState]string{BallotOpen: "投票中", BallotCounting: "计票中", BallotConfirmed: "计票结果已确认",
	BallotVoid: "选举无效"}

// Label is the Chinese name.
func (s BallotState) Label() string { return ballotStateLabels[s] }

// BallotStates lists them.
var BallotStates = []BallotState{BallotOpen, BallotCounting, BallotConfirmed, BallotVoid}

// Nominee is a person printed on a ballot: Key is the aspirant's id as
// text, as a count's Line names them.
type Nominee struct {
	Key  string       `json:"key"`
	Name string       `json:"name"`
	Sex  string       `json:"sex,omitempty"`
	Post vetting.Post `json:"post"`
}

// Opening is what the election committee says when it opens a ballot: the
// committee, the round, the day, the seats per post (nil: the community's
// seats), who is on it (nil: every standing formal candidate) and the
// electorate (registered voters for the residents; who should attend and
// who is present for the party).
type Opening struct {
	Committee    org.Committee        `json:"committee"`
	Round        Round                `json:"round"`
	Day          civil.Date           `json:"day"`
	Seats        map[vetting.Post]int `json:"seats"`
	Candidates   []string             `json:"candidates"`
	Registered   int                  `json:"registered"`
	ShouldAttend int                  `json:"should_attend"`
	Present      int                  `json:"present"`
}

// MaxVoters bounds every number of people or ballots a form takes.
const MaxVoters = 10_000_000

// Validate checks an opening against the formal list's standing
// candidates and returns who is on the ballot, in the list's order.
func (o Opening) Validate(listed []Nominee) ([]Nominee, error) {
	if o.Committee != org.PartyCommittee && o.Committee != org.ResidentsCommittee {
		return nil, errs.OnField("committee", "请选择党组织委员会或居民委员会")
	}
	if !slices.Contains(Rounds, o.Round) {
		return nil, errs.OnField("round", "请选择第几次投票")
	}
	if !o.Day.Valid() {
		return nil, errs.OnField("day", "请填写投票日期")
	}
	for _, f := range []struct {
		field, name string
		n           int
	}{{"registered", "登记选民数", o.Registered}, {"should_attend", "应到会人数", o.ShouldAttend}, {"present", "实到会人数", o.Present}} {
		if f.n < 0 || f.n > MaxVoters {
			return nil, errs.OnField(f.field, f.name+"应在0到"+strconv.Itoa(MaxVoters)+"之间")
		}
	}
	if o.Committee == org.PartyCommittee {
		if o.ShouldAttend < 1 {
			return nil, errs.OnField("should_attend", "请填写应到会有选举权的党员人数")
		}
		if o.Present > o.ShouldAttend {
			return nil, errs.OnField("present", "实到会人数不能多于应到会人数")
		}
	} else if o.Registered < 1 {
		return nil, errs.OnField("registered", "请填写登记参加选举的选民人数")
	}
	total := 0
	for p, n := range o.Seats {
		if !p.Fits(o.Committee) {
			return nil, errs.OnField("seats", o.Committee.Label()+"没有"+p.Label()+"职位")
		}
		if n < 0 || n > 99 {
			return nil, errs.OnField("seats_"+string(p), p.Label()+"应选人数应在0到99之间")
		}
		total += n
	}
	if total < 1 {
		return nil, errs.OnField("seats", "请填写应选人数")
	}
	if len(listed) == 0 {
		return nil, errs.OnField("candidates", o.Committee.Label()+"没有正式候选人,请先确定正式候选人名单")
	}
	out := listed
	if o.Candidates != nil {
		out = nil
		for _, n := range listed {
			if slices.Contains(o.Candidates, n.Key) {
				out = append(out, n)
			}
		}
		for _, k := range o.Candidates {
			if !slices.ContainsFunc(listed, func(n Nominee) bool { return n.Key == k }) {
				return nil, errs.OnField("candidates", "选票上只能列正式候选人名单上的人")
			}
		}
		if len(out) == 0 {
			return nil, errs.OnField("candidates", "请至少选择一名候选人")
		}
	}
	for _, n := range out {
		if o.Seats[n.Post] < 1 {
			return nil, errs.OnField("seats", n.Name+"是"+n.Post.Label()+"候选人,这次投票却不选"+n.Post.Label()+":请填写其应选人数,或不把其列上选票")
		}
	}
	return out, nil
}

// Blank is an empty count sheet for the nominees: a line per person for
// their post, every number empty.
func Blank(nominees []Nominee) Count {
	c := Count{Lines: make([]Line, len(nominees)), WriteIns: []Line{}}
	for i, n := range nominees {
		c.Lines[i] = Line{Key: n.Key, Name: n.Name, Sex: n.Sex, Post: n.Post}
	}
	return c
}

// MaxVotes bounds a number on a count sheet.
const MaxVotes = MaxVoters

// Normalise takes a clerk's entry of the sheet of a ballot of committee c
// with seats and nominees: the nominees' lines in the ballot's order, each with the
// numbers entered for it (matched by key and post; a line not entered is
// left empty), and the names written in. It refuses, on the field, a
// negative or huge number, a person not on the ballot, a line twice, and
// a write-in without a name, for a post without seats, twice, or
// naming a nominee (whose votes are on their own line, check F109).
func Normalise(entered Count, c org.Committee, seats map[vetting.Post]int, nominees []Nominee) (Count, error) {
	out := Blank(nominees)
	out.Voted, out.Issued, out.Returned, out.Valid, out.Invalid = entered.Voted, entered.Issued, entered.Returned, entered.Valid, entered.Invalid
	for _, f := range []struct {
		field string
		n     *int
	}{{"voted", out.Voted}, {"ballots_issued", out.Issued}, {"ballots_returned", out.Returned}, {"valid_ballots", out.Valid},
		{"invalid_ballots", out.Invalid}} {
		if err := checkNumber(f.field, FieldName(f.field), f.n); err != nil {
			return out, err
		}
	}
	seen := map[int]bool{}
	for i, l := range entered.Lines {
		at := slices.IndexFunc(out.Lines, func(x Line) bool { return x.Key == l.Key && x.Post == l.Post })
		field := "lines[" + strconv.Itoa(i) + "]"
		if at < 0 {
			return out, errs.OnField(field+".key", "选票上没有这名候选人")
		}
		if seen[at] {
			return out, errs.OnField(field+".key", out.Lines[at].Name+"的票数填了两次")
		}
		seen[at] = true
		x := &out.Lines[at]
		x.Yes, x.No, x.Abstain = l.Yes, l.No, l.Abstain
		for _, n := range []struct {
			suffix, name string
			v            *int
		}{{".yes", "赞成票", l.Yes}, {".no", "不赞成票", l.No}, {".abstain", "弃权票", l.Abstain}} {
			if err := checkNumber("lines["+strconv.Itoa(at)+"]"+n.suffix, x.Name+"的"+n.name, n.v); err != nil {
				return out, err
			}
		}
	}
	for i, w := range entered.WriteIns {
		field := "write_ins[" + strconv.Itoa(i) + "]"
		w.Name = strings.TrimSpace(w.Name)
		if w.Name == "" && w.Yes == nil {
			continue // a row left blank
		}
		if w.Name == "" {
			return out, errs.OnField(field+".name", "请填写另选他人的姓名")
		}
		if utf8.RuneCountInString(w.Name) > 20 {
			return out, errs.OnField(field+".name", "另选他人的姓名最多20个字")
		}
		if !w.Post.Fits(c) || seats[w.Post] < 1 {
			return out, errs.OnField(field+".post", "请选择"+w.Name+"被另选的职位(这次投票有应选名额的职位)")
		}
		if slices.ContainsFunc(out.WriteIns, func(x Line) bool { return x.Name == w.Name && x.Post == w.Post }) {
			return out, errs.OnField(field+".name", w.Name+"("+w.Post.Label()+")填了两次")
		}
		if slices.ContainsFunc(out.Lines, func(x Line) bool { return x.Name == w.Name }) {
			return out, errs.OnField(field+".name", w.Name+"是本次候选人,其得票记在其本人一行,不作另选他人")
		}
		if err := checkNumber(field+".yes", "另选他人"+w.Name+"的票数", w.Yes); err != nil {
			return out, err
		}
		out.WriteIns = append(out.WriteIns, Line{Key: "", Name: w.Name, Post: w.Post, Yes: w.Yes})
	}
	return out, nil
}

func checkNumber(field, name string, n *int) error {
	if n != nil && (*n < 0 || *n > MaxVotes) {
		return errs.OnField(field, name+"应在0到"+strconv.Itoa(MaxVotes)+"之间")
	}
	return nil
}

// FillZero sets every empty number of c to 0 but 参加投票人数 (optional:
// empty, the ballots returned stand for it), the clerk's deliberate "其余填0",
// and returns the paths of the fields it filled.
func FillZero(c *Count) []string {
	var filled []string
	fill := func(path string, p **int) {
		if *p == nil {
			*p = new(int)
			filled = append(filled, path)
		}
	}
	fill("ballots_issued", &c.Issued)
	fill("ballots_returned", &c.Returned)
	fill("valid_ballots", &c.Valid)
	fill("invalid_ballots", &c.Invalid)
	for i := range c.Lines {
		p := "lines[" + strconv.Itoa(i) + "]"
		fill(p+".yes", &c.Lines[i].Yes)
		fill(p+".no", &c.Lines[i].No)
		fill(p+".abstain", &c.Lines[i].Abstain)
	}
	for i := range c.WriteIns {
		fill("write_ins["+strconv.Itoa(i)+"].yes", &c.WriteIns[i].Yes)
	}
	return filled
}

// Sum adds counts of the stations of one ballot: each number the sum of
// the stations' (empty where every station's is); 参加投票人数 counts a
// station's ballots returned where it was left empty. Lines are matched by
// key and post, write-ins by name and post, in the order first met.
func Sum(counts ...Count) Count {
	var out Count
	add := func(to **int, v *int) {
		if v == nil {
			return
		}
		if *to == nil {
			*to = new(int)
		}
		**to += *v
	}
	anyVoted := false
	for _, c := range counts {
		anyVoted = anyVoted || c.Voted != nil
	}
	for _, c := range counts {
		if anyVoted {
			if c.Voted != nil {
				add(&out.Voted, c.Voted)
			} else {
				add(&out.Voted, c.Returned)
			}
		}
		add(&out.Issued, c.Issued)
		add(&out.Returned, c.Returned)
		add(&out.Valid, c.Valid)
		add(&out.Invalid, c.Invalid)
		for _, l := range c.Lines {
			i := slices.IndexFunc(out.Lines, func(x Line) bool { return x.Key == l.Key && x.Post == l.Post })
			if i < 0 {
				out.Lines = append(out.Lines, Line{Key: l.Key, Name: l.Name, Sex: l.Sex, Post: l.Post})
				i = len(out.Lines) - 1
			}
			add(&out.Lines[i].Yes, l.Yes)
			add(&out.Lines[i].No, l.No)
			add(&out.Lines[i].Abstain, l.Abstain)
		}
		for _, w := range c.WriteIns {
			i := slices.IndexFunc(out.WriteIns, func(x Line) bool { return x.Name == w.Name && x.Post == w.Post })
			if i < 0 {
				out.WriteIns = append(out.WriteIns, Line{Name: w.Name, Post: w.Post})
				i = len(out.WriteIns) - 1
			}
			add(&out.WriteIns[i].Yes, w.Yes)
		}
	}
	if out.WriteIns == nil {
		out.WriteIns = []Line{}
	}
	return out
}

var fieldNames = map[string]string{
	"voted": "参加投票人数", "ballots_issued": "发出选票数", "ballots_returned": "收回选票数",
	"valid_ballots": "有效票数", "invalid_ballots": "无效票数",
}

// FieldName is the Chinese name of a count sheet's top field.
func FieldName(field string) string { return fieldNames[field] }

var linePath = regexp.MustCompile(`^(lines|write_ins)\[(\d+)\]\.(yes|no|abstain|name|post|key)$`)

// FieldLabel names a field of c by its path, as the sheet names it:
// "收回选票数", "张三(委员)赞成票", "另选他人王五(委员)票数".
func (c Count) FieldLabel(path string) string {
	if n := fieldNames[path]; n != "" {
		return n
	}
	m := linePath.FindStringSubmatch(path)
	if m == nil {
		return "计票单其他栏目"
	}
	i, _ := strconv.Atoi(m[2])
	list, prefix := c.Lines, ""
	if m[1] == "write_ins" {
		list, prefix = c.WriteIns, "另选他人"
	}
	who := fmt.Sprintf("%s第%d行", map[string]string{"lines": "候选人", "write_ins": "另选他人"}[m[1]], i+1)
	if i < len(list) {
		who = prefix + list[i].Name + "(" + list[i].Post.Label() + ")"
	}
	what := map[string]string{"yes": "赞成票", "no": "不赞成票", "abstain": "弃权票", "name": "姓名", "post": "职位", "key": ""}[m[3]]
	if m[1] == "write_ins" && m[3] == "yes" {
		what = "票数"
	}
	return who + what
}

// CompleteMarks checks the marks of one ballot read aloud against the
// ballot's nominees, committee and seats and returns them with every nominee the
// ballot left unmarked as 弃权 (no mark), nominees in the ballot's order,
// then the names written in. It refuses, on the mark, a person not on the
// ballot or marked twice, an unknown choice, and a name written in
// without a name, for a post without seats, twice, or naming a
// nominee.
func CompleteMarks(marks []Mark, c org.Committee, seats map[vetting.Post]int, nominees []Nominee) ([]Mark, error) {
	chosen := make([]Choice, len(nominees))
	var writeIns []Mark
	for i, m := range marks {
		field := "marks[" + strconv.Itoa(i) + "]"
		if m.Key != "" {
			at := slices.IndexFunc(nominees, func(n Nominee) bool { return n.Key == m.Key && (m.Post == "" || m.Post == n.Post) })
			switch {
			case at < 0:
				return nil, errs.OnField(field+".key", "选票上没有这名候选人")
			case chosen[at] != "":
				return nil, errs.OnField(field+".key", nominees[at].Name+"在这张选票上标记了两次")
			}
			switch m.Choice {
			case "":
				m.Choice = Abstain
			case Yes, No, Abstain:
			default:
				return nil, errs.OnField(field+".choice", "请选择赞成、不赞成或弃权")
			}
			chosen[at] = m.Choice
			continue
		}
		m.Name = strings.TrimSpace(m.Name)
		switch {
		case m.Name == "" || utf8.RuneCountInString(m.Name) > 20:
			return nil, errs.OnField(field+".name", "请填写另选他人的姓名(最多20个字)")
		case !m.Post.Fits(c) || seats[m.Post] < 1:
			return nil, errs.OnField(field+".post", "请选择"+m.Name+"被另选的职位(这次投票有应选名额的职位)")
		case m.Choice != "" && m.Choice != Yes:
			return nil, errs.OnField(field+".choice", "另选他人即投其赞成票")
		case slices.ContainsFunc(nominees, func(n Nominee) bool { return n.Name == m.Name }):
			return nil, errs.OnField(field+".name", m.Name+"是本次候选人,请在其本人一行标记")
		case slices.ContainsFunc(writeIns, func(w Mark) bool { return w.Name == m.Name && w.Post == m.Post }):
			return nil, errs.OnField(field+".name", m.Name+"("+m.Post.Label()+")在这张选票上写了两次")
		}
		writeIns = append(writeIns, Mark{Name: m.Name, Post: m.Post, Choice: Yes})
	}
	out := make([]Mark, 0, len(nominees)+len(writeIns))
	for i, n := range nominees {
		ch := chosen[i]
		if ch == "" {
			ch = Abstain
		}
		out = append(out, Mark{Key: n.Key, Name: n.Name, Post: n.Post, Choice: ch})
	}
	return append(out, writeIns...), nil
}
