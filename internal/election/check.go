package election

import (
	"fmt"
	"strconv"

	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/vetting"
)

// The numbered checks of a count sheet, in the manner of Abacus's
// validation rules: an F code is an error that blocks confirming the count,
// a W code a warning the coordinator acknowledges. Codes never change
// meaning; a new check takes a new number.
const (
	CodeEmpty          = "F101" // a field left empty: empty is not zero
	CodeReturnedIssued = "F102" // more ballots returned than issued: the vote is void (rules.md §2, §3.2)
	CodeValidInvalid   = "F103" // valid + invalid ≠ returned
	CodeLineSum        = "F104" // a candidate's 赞成 + 不赞成 + 弃权 ≠ valid ballots
	CodeAboveValid     = "F105" // a candidate with more votes than valid ballots
	CodePostOver       = "F106" // a post's votes for exceed valid ballots × its seats
	CodeReturnedVoted  = "F107" // more ballots returned than people who voted: void (rules.md §3.2)
	CodeNegative       = "F108" // a negative number
	CodeWriteIn        = "F109" // a written-in name that is blank or is a candidate of the ballot
	CodePresent        = "F110" // more present than should attend (party)
	CodeVotedRegister  = "F112" // more voted than registered (residents)
	CodeLine           = "F113" // a line twice, or for a post the ballot does not elect
	CodeInvalidShare   = "W201" // invalid ballots at or above the setting's share of those returned
	CodeNotReturned    = "W202" // fewer ballots returned than issued
	CodeIssuedVoted    = "W203" // ballots issued ≠ people who voted
)

// Voids reports whether a finding of this code makes the vote void (and to
// be held again), not merely a count to correct.
func Voids(code string) bool { return code == CodeReturnedIssued || code == CodeReturnedVoted }

// Check runs the numbered checks on one count sheet of contest k under the
// cycle's settings s. Findings come in the order of the sheet; an empty
// field is reported once and the sums that need it are not checked.
func Check(c Count, k Contest, s Settings) []Finding {
	var out []Finding
	fail := func(code, field, format string, args ...any) {
		out = append(out, Finding{Code: code, Field: field, Message: fmt.Sprintf(format, args...), Error: true})
	}
	warn := func(code, field, format string, args ...any) {
		out = append(out, Finding{Code: code, Field: field, Message: fmt.Sprintf(format, args...)})
	}
	// num reads a field: false when empty or negative (reported).
	num := func(p *int, field, name string) (int, bool) {
		if p == nil {
			fail(CodeEmpty, field, "%s未填写:没有的请填0,空白不等于0", name)
			return 0, false
		}
		if *p < 0 {
			fail(CodeNegative, field, "%s不能是负数", name)
			return 0, false
		}
		return *p, true
	}
	voted, hasVoted := 0, c.Voted != nil
	if hasVoted {
		voted, hasVoted = num(c.Voted, "voted", "参加投票人数")
	}
	issued, okI := num(c.Issued, "ballots_issued", "发出选票数")
	returned, okR := num(c.Returned, "ballots_returned", "收回选票数")
	valid, okV := num(c.Valid, "valid_ballots", "有效票数")
	invalid, okN := num(c.Invalid, "invalid_ballots", "无效票数")

	if okI && okR && returned > issued {
		fail(CodeReturnedIssued, "ballots_returned", "收回选票%d张,多于发出的%d张:本次选举无效,应重新投票", returned, issued)
	}
	if hasVoted && okR && returned > voted {
		fail(CodeReturnedVoted, "ballots_returned", "收回选票%d张,多于参加投票的%d人:本次选举无效,应重新投票", returned, voted)
	}
	if okR && okV && okN && valid+invalid != returned {
		fail(CodeValidInvalid, "valid_ballots", "有效票%d张加无效票%d张为%d张,不等于收回的%d张", valid, invalid, valid+invalid, returned)
	}
	switch k.Committee {
	case org.PartyCommittee:
		if k.Present > k.ShouldAttend {
			fail(CodePresent, "present", "实到会%d人,多于应到会的%d人", k.Present, k.ShouldAttend)
		}
	case org.ResidentsCommittee:
		if hasVoted && k.Registered > 0 && voted > k.Registered {
			fail(CodeVotedRegister, "voted", "参加投票%d人,多于登记选民%d人", voted, k.Registered)
		}
	}

	type lineKey struct {
		key  string
		post vetting.Post
	}
	seen := map[lineKey]bool{}
	names := map[string]bool{}
	postYes := map[vetting.Post]int{}
	postOK := map[vetting.Post]bool{}
	for p := range k.Seats {
		postOK[p] = true
	}
	for i, l := range c.Lines {
		f := "lines[" + strconv.Itoa(i) + "]."
		who := l.Name + "(" + l.Post.Label() + ")"
		names[l.Name] = true
		if _, ok := k.Seats[l.Post]; !ok || seen[lineKey{l.Key, l.Post}] {
			fail(CodeLine, f+"post", "%s:本次选举不选该职位,或同一人同一职位重复", who)
			continue
		}
		seen[lineKey{l.Key, l.Post}] = true
		yes, okY := num(l.Yes, f+"yes", who+"的赞成票")
		no, okNo := num(l.No, f+"no", who+"的不赞成票")
		ab, okA := num(l.Abstain, f+"abstain", who+"的弃权票")
		if !okY {
			postOK[l.Post] = false
			continue
		}
		postYes[l.Post] += yes
		if okV && yes > valid {
			fail(CodeAboveValid, f+"yes", "%s得赞成票%d张,多于有效票%d张", who, yes, valid)
		}
		if okV && okNo && okA && yes+no+ab != valid {
			fail(CodeLineSum, f+"yes", "%s的赞成%d、不赞成%d、弃权%d之和为%d,不等于有效票%d张", who, yes, no, ab, yes+no+ab, valid)
		}
	}
	for i, w := range c.WriteIns {
		f := "write_ins[" + strconv.Itoa(i) + "]."
		if _, ok := k.Seats[w.Post]; !ok {
			fail(CodeLine, f+"post", "另选他人%s:本次选举不选该职位", w.Name)
			continue
		}
		if w.Name == "" || names[w.Name] {
			fail(CodeWriteIn, f+"name", "另选他人的姓名为空或是本次候选人:候选人的票记在其本人一行")
			continue
		}
		v, ok := num(w.Yes, f+"yes", "另选他人"+w.Name+"的票数")
		if !ok {
			postOK[w.Post] = false
			continue
		}
		postYes[w.Post] += v
		if okV && v > valid {
			fail(CodeAboveValid, f+"yes", "另选他人%s得票%d张,多于有效票%d张", w.Name, v, valid)
		}
	}
	if okV {
		for _, p := range vetting.PostsOf(k.Committee) {
			if n, ok := k.Seats[p]; ok && postOK[p] && postYes[p] > valid*n {
				fail(CodePostOver, "lines", "%s的赞成票与另选他人票共%d张,多于有效票%d张乘应选%d名", p.Label(), postYes[p], valid, n)
			}
		}
	}

	if okR && okN && returned > 0 && invalid*100 >= s.InvalidWarnPercent*returned {
		warn(CodeInvalidShare, "invalid_ballots", "无效票%d张,占收回选票的%d%%及以上,请再核对", invalid, s.InvalidWarnPercent)
	}
	if okI && okR && returned < issued {
		warn(CodeNotReturned, "ballots_returned", "发出%d张,收回%d张,有%d张未收回", issued, returned, issued-returned)
	}
	if hasVoted && okI && issued != voted {
		warn(CodeIssuedVoted, "ballots_issued", "发出选票%d张,参加投票%d人,两数不等", issued, voted)
	}
	return out
}

// Blocking reports whether any finding is an error.
func Blocking(fs []Finding) bool {
	for _, f := range fs {
		if f.Error {
			return true
		}
	}
	return false
}

// Difference is one field on which two entries of a count differ; a nil
// value is a field left empty.
type Difference struct {
	Field  string `json:"field"`
	Label  string `json:"label"`
	First  *int   `json:"first"`
	Second *int   `json:"second"`
}

// Differences compares two entries of one count sheet field by field:
// the ballots, each candidate's line by candidate and post, each written-in
// name by name and post. A line one entry has and the other lacks differs
// on its votes for.
func Differences(a, b Count) []Difference {
	var out []Difference
	cmp := func(field, label string, x, y *int) {
		if (x == nil) != (y == nil) || (x != nil && *x != *y) {
			out = append(out, Difference{field, label, x, y})
		}
	}
	cmp("voted", "参加投票人数", a.Voted, b.Voted)
	cmp("ballots_issued", "发出选票数", a.Issued, b.Issued)
	cmp("ballots_returned", "收回选票数", a.Returned, b.Returned)
	cmp("valid_ballots", "有效票数", a.Valid, b.Valid)
	cmp("invalid_ballots", "无效票数", a.Invalid, b.Invalid)
	lines := func(la, lb []Line, prefix, kind string, byName bool) {
		key := func(l Line) string {
			if byName {
				return l.Name + "\x00" + string(l.Post)
			}
			return l.Key + "\x00" + string(l.Post)
		}
		other := map[string]Line{}
		for _, l := range lb {
			other[key(l)] = l
		}
		done := map[string]bool{}
		one := func(i int, l Line, m Line, has bool) {
			f := prefix + "[" + strconv.Itoa(i) + "]."
			who := kind + l.Name + "(" + l.Post.Label() + ")"
			if !has {
				out = append(out, Difference{f + "yes", who + "只在一次录入中有", l.Yes, nil})
				return
			}
			cmp(f+"yes", who+"的赞成票", l.Yes, m.Yes)
			if !byName {
				cmp(f+"no", who+"的不赞成票", l.No, m.No)
				cmp(f+"abstain", who+"的弃权票", l.Abstain, m.Abstain)
			}
		}
		for i, l := range la {
			m, has := other[key(l)]
			done[key(l)] = true
			one(i, l, m, has)
		}
		for i, l := range lb {
			if !done[key(l)] {
				f := prefix + "[" + strconv.Itoa(i) + "]."
				out = append(out, Difference{f + "yes", kind + l.Name + "(" + l.Post.Label() + ")只在一次录入中有", nil, l.Yes})
			}
		}
	}
	lines(a.Lines, b.Lines, "lines", "", false)
	lines(a.WriteIns, b.WriteIns, "write_ins", "另选他人", true)
	return out
}
