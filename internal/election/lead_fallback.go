package election

// TEMPORARY (branch el-count): a stand-in for the lead engineer's Check,
// ReadBallot, AddBallot and Differences, with their announced signatures,
// so that the counting can be built and tested before they land on main.
// Delete this file when main has them (git merge main).

import (
	"fmt"
	"strconv"

	"github.com/huanjie/huanjie/internal/vetting"
)

// Difference is one field where two entries of a count differ: its path
// and each entry's value.
type Difference struct {
	Field  string `json:"field"`
	First  *int   `json:"first"`
	Second *int   `json:"second"`
}

func sameInt(a, b *int) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }

// Differences compares two entries of one count sheet field by field.
func Differences(a, b Count) []Difference {
	var out []Difference
	add := func(field string, x, y *int) {
		if !sameInt(x, y) {
			out = append(out, Difference{field, x, y})
		}
	}
	add("voted", a.Voted, b.Voted)
	add("ballots_issued", a.Issued, b.Issued)
	add("ballots_returned", a.Returned, b.Returned)
	add("valid_ballots", a.Valid, b.Valid)
	add("invalid_ballots", a.Invalid, b.Invalid)
	for i := range max(len(a.Lines), len(b.Lines)) {
		var x, y Line
		if i < len(a.Lines) {
			x = a.Lines[i]
		}
		if i < len(b.Lines) {
			y = b.Lines[i]
		}
		p := "lines[" + strconv.Itoa(i) + "]."
		add(p+"yes", x.Yes, y.Yes)
		add(p+"no", x.No, y.No)
		add(p+"abstain", x.Abstain, y.Abstain)
	}
	names := map[string]bool{}
	var order []string
	for _, w := range append(append([]Line{}, a.WriteIns...), b.WriteIns...) {
		k := string(w.Post) + "/" + w.Name
		if !names[k] {
			names[k] = true
			order = append(order, k)
		}
	}
	find := func(ws []Line, k string) *int {
		for _, w := range ws {
			if string(w.Post)+"/"+w.Name == k {
				if w.Yes == nil {
					z := -1
					return &z
				}
				return w.Yes
			}
		}
		return nil
	}
	for i, k := range order {
		add("write_ins["+strconv.Itoa(i)+"].yes", find(a.WriteIns, k), find(b.WriteIns, k))
	}
	return out
}

// Check runs the numbered checks on one count sheet.
func Check(c Count, k Contest, s Settings) []Finding {
	var out []Finding
	bad := func(code, field, msg string) { out = append(out, Finding{code, msg, field, true}) }
	warn := func(code, field, msg string) { out = append(out, Finding{code, msg, field, false}) }
	empty := false
	for _, f := range []*int{c.Issued, c.Returned, c.Valid, c.Invalid} {
		empty = empty || f == nil
	}
	for _, l := range c.Lines {
		empty = empty || l.Yes == nil || l.No == nil || l.Abstain == nil
	}
	for _, w := range c.WriteIns {
		empty = empty || w.Yes == nil
	}
	if empty {
		bad("F101", "", "有未填写的栏目:空白不等于0,票数为0的请填0")
	}
	v := func(p *int) int {
		if p == nil {
			return 0
		}
		return *p
	}
	if c.Issued != nil && c.Returned != nil && *c.Returned > *c.Issued {
		bad("F201", "ballots_returned", fmt.Sprintf("收回选票%d张多于发出选票%d张,本次选举无效,应重新选举", *c.Returned, *c.Issued))
	}
	if c.Returned != nil && c.Valid != nil && c.Invalid != nil && v(c.Valid)+v(c.Invalid) != *c.Returned {
		bad("F202", "valid_ballots", fmt.Sprintf("有效票%d张加无效票%d张不等于收回选票%d张", v(c.Valid), v(c.Invalid), *c.Returned))
	}
	for i, l := range c.Lines {
		if c.Valid != nil && l.Yes != nil && *l.Yes > *c.Valid {
			bad("F301", "lines["+strconv.Itoa(i)+"].yes", fmt.Sprintf("%s的赞成票%d多于有效票%d", l.Name, *l.Yes, *c.Valid))
		}
	}
	if c.Returned != nil && c.Invalid != nil && *c.Returned > 0 && *c.Invalid*100 >= *c.Returned*s.InvalidWarnPercent {
		warn("W201", "invalid_ballots", fmt.Sprintf("无效票占收回选票的%d%%以上,请核对", s.InvalidWarnPercent))
	}
	return out
}

// ReadBallot decides whether a ballot read aloud is valid: per post, its
// 赞成 marks and names written in may not be more than the post's seats.
func ReadBallot(marks []Mark, seats map[vetting.Post]int) (bool, string) {
	yes := map[vetting.Post]int{}
	for _, m := range marks {
		if m.Choice == Yes {
			yes[m.Post]++
		}
	}
	for _, p := range vetting.Posts {
		if yes[p] > seats[p] {
			return false, fmt.Sprintf("%s赞成及另选他人共%d人,多于应选%d人", p.Label(), yes[p], seats[p])
		}
	}
	return true, ""
}

// AddBallot adds one ballot read aloud to the count.
func (c *Count) AddBallot(marks []Mark, valid bool) {
	inc := func(p **int) {
		if *p == nil {
			*p = new(int)
		}
		**p++
	}
	inc(&c.Returned)
	if !valid {
		inc(&c.Invalid)
		return
	}
	inc(&c.Valid)
	for _, m := range marks {
		if m.Key == "" {
			i := -1
			for j, w := range c.WriteIns {
				if w.Name == m.Name && w.Post == m.Post {
					i = j
				}
			}
			if i < 0 {
				c.WriteIns = append(c.WriteIns, Line{Name: m.Name, Post: m.Post})
				i = len(c.WriteIns) - 1
			}
			inc(&c.WriteIns[i].Yes)
			continue
		}
		for j := range c.Lines {
			l := &c.Lines[j]
			if l.Key == m.Key && l.Post == m.Post {
				switch m.Choice {
				case Yes:
					inc(&l.Yes)
				case No:
					inc(&l.No)
				default:
					inc(&l.Abstain)
				}
			}
		}
	}
}
