package election

import (
	"slices"
	"testing"

	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/vetting"
)

func n(v int) *int { return &v }

func codes(fs []Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Code)
	}
	return out
}

func reasonCodes(rs []Reason) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.Code)
	}
	return out
}

var residents7 = Contest{Committee: org.ResidentsCommittee, Registered: 1000,
	Seats: map[vetting.Post]int{vetting.Director: 1, vetting.CommitteeMember: 6}}

// A clean sheet: 501 voted, 501 issued and returned, 500 valid, 1 invalid.
func sheet() Count {
	return Count{Voted: n(501), Issued: n(501), Returned: n(501), Valid: n(500), Invalid: n(1),
		Lines: []Line{
			{Key: "1", Name: "张三", Post: vetting.Director, Yes: n(300), No: n(150), Abstain: n(50)},
			{Key: "2", Name: "李四", Post: vetting.Director, Yes: n(150), No: n(300), Abstain: n(50)},
		},
		WriteIns: []Line{{Name: "王五", Post: vetting.Director, Yes: n(10)}},
	}
}

func TestCheckCleanSheet(t *testing.T) {
	if fs := Check(sheet(), residents7, DefaultSettings()); len(fs) != 0 {
		t.Fatalf("a clean sheet has findings: %+v", fs)
	}
}

// rules.md line 137 (§2 "Ballot reconciliation") and §3.2: returned ≤
// issued is valid; one more voids the vote.
func TestCheckReturnedAgainstIssued(t *testing.T) {
	c := sheet()
	if fs := Check(c, residents7, DefaultSettings()); slices.Contains(codes(fs), CodeReturnedIssued) {
		t.Fatalf("returned = issued refused: %v", codes(fs))
	}
	c.Issued = n(500) // returned 501 = issued + 1
	fs := Check(c, residents7, DefaultSettings())
	if !slices.Contains(codes(fs), CodeReturnedIssued) || !Blocking(fs) || !Voids(CodeReturnedIssued) {
		t.Fatalf("returned = issued + 1 not void: %+v", fs)
	}
}

func TestCheckEmptyIsNotZero(t *testing.T) {
	c := sheet()
	c.Invalid = nil
	c.Lines[1].Abstain = nil
	fs := Check(c, residents7, DefaultSettings())
	var fields []string
	for _, f := range fs {
		if f.Code == CodeEmpty {
			fields = append(fields, f.Field)
		}
	}
	if !slices.Equal(fields, []string{"invalid_ballots", "lines[1].abstain"}) {
		t.Fatalf("empty fields reported %v, want invalid_ballots and lines[1].abstain: %+v", fields, fs)
	}
	if slices.Contains(codes(fs), CodeValidInvalid) || slices.Contains(codes(fs), CodeLineSum) {
		t.Fatalf("sums that need an empty field were checked: %v", codes(fs))
	}
	c = sheet()
	c.Invalid = n(0)
	c.Valid = n(501)
	c.Lines[0].Abstain = n(51)
	c.Lines[1].Abstain = n(51)
	if fs := Check(c, residents7, DefaultSettings()); len(fs) != 0 {
		t.Fatalf("zeros typed are not empty: %+v", fs)
	}
}

func TestCheckSums(t *testing.T) {
	for name, tc := range map[string]struct {
		edit func(*Count)
		want string
	}{
		"valid + invalid ≠ returned":  {func(c *Count) { c.Invalid = n(2) }, CodeValidInvalid},
		"a line's sum ≠ valid":        {func(c *Count) { c.Lines[0].No = n(149) }, CodeLineSum},
		"a candidate above valid":     {func(c *Count) { c.Lines[0].Yes = n(501); c.Lines[0].No = n(0); c.Lines[0].Abstain = n(0) }, CodeAboveValid},
		"post over valid × seats":     {func(c *Count) { c.WriteIns[0].Yes = n(51) }, CodePostOver},
		"returned above voted":        {func(c *Count) { c.Voted = n(500) }, CodeReturnedVoted},
		"negative":                    {func(c *Count) { c.Invalid = n(-1) }, CodeNegative},
		"write-in is a candidate":     {func(c *Count) { c.WriteIns[0].Name = "张三" }, CodeWriteIn},
		"line for a post not elected": {func(c *Count) { c.Lines[1].Post = vetting.DeputyDirector }, CodeLine},
		"voted above registered":      {func(c *Count) { c.Voted = n(1001) }, CodeVotedRegister},
	} {
		c := sheet()
		tc.edit(&c)
		fs := Check(c, residents7, DefaultSettings())
		if !slices.Contains(codes(fs), tc.want) || !Blocking(fs) {
			t.Errorf("%s: want %s, got %+v", name, tc.want, fs)
		}
	}
}

func TestCheckWarnings(t *testing.T) {
	c := sheet()
	c.Valid, c.Invalid = n(486), n(15) // 15/501 < 3%
	c.Lines[0].Abstain, c.Lines[1].Abstain = n(36), n(36)
	if fs := Check(c, residents7, DefaultSettings()); len(fs) != 0 {
		t.Fatalf("2.99%% invalid warned: %+v", fs)
	}
	c.Valid, c.Invalid = n(485), n(16) // 16/501 ≥ 3%
	c.Lines[0].Abstain, c.Lines[1].Abstain = n(35), n(35)
	fs := Check(c, residents7, DefaultSettings())
	if !slices.Equal(codes(fs), []string{CodeInvalidShare}) || Blocking(fs) {
		t.Fatalf("3%% invalid: %+v", fs)
	}
	c = sheet()
	c.Issued, c.Voted = n(502), n(502)
	if fs := Check(c, residents7, DefaultSettings()); !slices.Equal(codes(fs), []string{CodeNotReturned}) || Blocking(fs) {
		t.Fatalf("one ballot not returned: %+v", fs)
	}
}

func TestDifferences(t *testing.T) {
	a, b := sheet(), sheet()
	if d := Differences(a, b); len(d) != 0 {
		t.Fatalf("equal entries differ: %+v", d)
	}
	b.Lines[1].No = n(299)
	b.Invalid = nil
	b.WriteIns = append(b.WriteIns, Line{Name: "赵六", Post: vetting.CommitteeMember, Yes: n(3)})
	d := Differences(a, b)
	var fields []string
	for _, x := range d {
		fields = append(fields, x.Field)
	}
	if !slices.Equal(fields, []string{"invalid_ballots", "lines[1].no", "write_ins[1].yes"}) {
		t.Fatalf("differences %v", fields)
	}
}

// rules.md line 138 (§2 "Valid ballot") and line 184 (§3.2): names chosen
// ≤ seats is valid, seats + 1 invalid.
func TestReadBallot(t *testing.T) {
	seats := map[vetting.Post]int{vetting.CommitteeMember: 2}
	two := []Mark{{Key: "1", Post: vetting.CommitteeMember, Choice: Yes}, {Name: "王五", Post: vetting.CommitteeMember, Choice: Yes},
		{Key: "2", Post: vetting.CommitteeMember, Choice: No}}
	if ok, why := ReadBallot(two, seats); !ok {
		t.Fatalf("marks = seats refused: %s", why)
	}
	three := append(slices.Clone(two), Mark{Key: "3", Post: vetting.CommitteeMember, Choice: Yes})
	if ok, why := ReadBallot(three, seats); ok || why == "" {
		t.Fatalf("marks = seats + 1 valid")
	}
	if ok, _ := ReadBallot(nil, seats); !ok {
		t.Fatalf("a ballot with no mark is valid (all 弃权)")
	}
	if ok, _ := ReadBallot([]Mark{{Key: "1", Post: vetting.CommitteeMember, Choice: Yes}, {Key: "1", Post: vetting.CommitteeMember, Choice: No}}, seats); ok {
		t.Fatalf("one person marked twice for one post is valid")
	}
	c := NewTally([]Line{{Key: "1", Name: "张三", Post: vetting.CommitteeMember}, {Key: "2", Name: "李四", Post: vetting.CommitteeMember}})
	for _, marks := range [][]Mark{two, three, nil} {
		ok, _ := ReadBallot(marks, seats)
		c.AddBallot(marks, ok)
	}
	if *c.Returned != 3 || *c.Valid != 2 || *c.Invalid != 1 || *c.Lines[0].Yes != 1 || *c.Lines[0].Abstain != 1 ||
		*c.Lines[1].No != 1 || *c.Lines[1].Abstain != 1 || len(c.WriteIns) != 1 || *c.WriteIns[0].Yes != 1 {
		t.Fatalf("tally %+v", c)
	}
	k := Contest{Committee: org.ResidentsCommittee, Registered: 3, Seats: seats}
	c.Issued, c.Voted = n(3), n(3)
	if fs := Check(c, k, DefaultSettings()); Blocking(fs) {
		t.Fatalf("a tally of ballots read aloud fails its checks: %+v", fs)
	}
}
