package election

import (
	"slices"
	"strconv"

	"github.com/huanjie/huanjie/internal/vetting"
)

// Choice is a voter's mark against one candidate.
type Choice string

// The marks (rules.md §3.2: for, against, abstain; a written-in name is a
// vote for that name).
const (
	Yes     Choice = "yes"     // 赞成
	No      Choice = "no"      // 不赞成
	Abstain Choice = "abstain" // 弃权 (or no mark)
)

// Mark is one mark of a ballot read aloud (唱票): a candidate by Key, or a
// name written in (Key empty, Name given, Choice Yes), for a post.
type Mark struct {
	Key    string       `json:"key,omitempty"`
	Name   string       `json:"name,omitempty"`
	Post   vetting.Post `json:"post"`
	Choice Choice       `json:"choice"`
}

// Label is the Chinese name.
func (c Choice) Label() string {
	switch c {
	case Yes:
		return "赞成"
	case No:
		return "不赞成"
	}
	return "弃权"
}

// Choices lists them.
var Choices = []Choice{Yes, No, Abstain}

// ReadBallot decides whether one ballot read aloud is valid (rules.md §2
// "Valid ballot", §3.2): per post, the candidates marked 赞成 and the names
// written in may not outnumber the post's seats; a mark for a post the
// ballot does not elect, a written-in name left blank, or one person marked
// twice for one post makes it invalid too. A ballot with no mark is valid:
// every candidate is counted 弃权.
func ReadBallot(marks []Mark, seats map[vetting.Post]int) (valid bool, reason string) {
	yes := map[vetting.Post]int{}
	type key struct {
		who  string
		post vetting.Post
	}
	seen := map[key]bool{}
	for _, m := range marks {
		n, ok := seats[m.Post]
		if !ok {
			return false, "选票上有本次不选的职位"
		}
		who := m.Key
		if who == "" {
			who = "\x00" + m.Name
			if m.Name == "" {
				return false, "另选他人未写姓名"
			}
			if m.Choice != Yes {
				return false, "另选他人只能投赞成票"
			}
		}
		if m.Choice != Yes && m.Choice != No && m.Choice != Abstain {
			return false, "无法辨认的符号"
		}
		if seen[key{who, m.Post}] {
			return false, "同一人在同一职位重复划票"
		}
		seen[key{who, m.Post}] = true
		if m.Choice == Yes {
			yes[m.Post]++
			if yes[m.Post] > n {
				return false, m.Post.Label() + "赞成与另选他人共" + strconv.Itoa(yes[m.Post]) + "人,多于应选" + strconv.Itoa(n) + "名"
			}
		}
	}
	return true, ""
}

// NewTally is an empty count for 唱票 of the given candidate lines (Key,
// Name, Post set; the numbers are started at zero): ballots are added to it
// one by one with AddBallot. Voted and Issued are not known from reading
// ballots and stay empty until the clerk enters them from the register.
func NewTally(candidates []Line) Count {
	zero := func() *int { v := 0; return &v }
	c := Count{Returned: zero(), Valid: zero(), Invalid: zero()}
	for _, l := range candidates {
		c.Lines = append(c.Lines, Line{Key: l.Key, Name: l.Name, Sex: l.Sex, Post: l.Post, Yes: zero(), No: zero(), Abstain: zero()})
	}
	return c
}

// AddBallot adds one ballot read aloud to a tally made by NewTally. An
// invalid ballot counts only as returned and invalid. On a valid one every
// candidate line gets the ballot's mark, 弃权 where there is none, and each
// written-in name one vote.
func (c *Count) AddBallot(marks []Mark, valid bool) {
	*c.Returned++
	if !valid {
		*c.Invalid++
		return
	}
	*c.Valid++
	type key struct {
		who  string
		post vetting.Post
	}
	chose := map[key]Choice{}
	for _, m := range marks {
		if m.Key == "" {
			c.addWriteIn(m.Name, m.Post)
			continue
		}
		chose[key{m.Key, m.Post}] = m.Choice
	}
	for i := range c.Lines {
		l := &c.Lines[i]
		switch chose[key{l.Key, l.Post}] {
		case Yes:
			*l.Yes++
		case No:
			*l.No++
		default:
			*l.Abstain++
		}
	}
}

func (c *Count) addWriteIn(name string, p vetting.Post) {
	for i := range c.WriteIns {
		if c.WriteIns[i].Name == name && c.WriteIns[i].Post == p {
			*c.WriteIns[i].Yes++
			return
		}
	}
	one := 1
	c.WriteIns = append(c.WriteIns, Line{Name: name, Post: p, Yes: &one})
}

// CountNames counts ballots of one contest of seats, each naming the
// persons voted for: a ballot naming more than seats persons, or one
// person twice, or a blank name, is invalid (rules.md §2 "Valid ballot"); a name not among
// the candidates is written in (另选他人), after them in the order first
// seen. It returns every candidate with its votes and the invalid ballots.
func CountNames(ballots [][]string, seats int, candidates []Candidate) ([]Candidate, int) {
	out := slices.Clone(candidates)
	at := map[string]int{}
	for i, c := range out {
		out[i].Votes = 0
		at[c.Name] = i
	}
	invalid := 0
	for _, names := range ballots {
		if len(names) > seats || slices.Contains(names, "") || len(slices.Compact(slices.Sorted(slices.Values(names)))) != len(names) {
			invalid++
			continue
		}
		for _, name := range names {
			i, ok := at[name]
			if !ok {
				i = len(out)
				at[name] = i
				out = append(out, Candidate{Name: name, WriteIn: true})
			}
			out[i].Votes++
		}
	}
	return out, invalid
}
