package vetting

import (
	"slices"
	"strings"
)

// Summary is what the statistics need of one aspirant.
type Summary struct {
	OrgCode  string // the community
	OrgName  string
	Status   Status
	Reviewed bool // a round of joint review was completed for the aspirant
	Findings bool // some department answered with findings in some round
}

// Counts are the numbers of the qualification gate.
type Counts struct {
	Registered   int // every aspirant
	Reviewed     int // joint review completed (reviewed or decided; disqualified ones only if Summary.Reviewed)
	WithFindings int // at least one department found something
	Barred       int // decided 不得
	Unsuitable   int // decided 不宜, those persuaded to withdraw included
	Withdrawn    int // persuaded to withdraw (劝退)
	Disqualified int // disqualified by a case
	Qualified    int // qualified now
}

// Add counts one aspirant.
func (c *Counts) Add(s Summary) {
	c.Registered++
	if s.Reviewed || s.Status.decided() || s.Status == Reviewed {
		c.Reviewed++
	}
	if s.Findings {
		c.WithFindings++
	}
	switch s.Status {
	case Barred:
		c.Barred++
	case Withdrawn:
		c.Withdrawn++
		c.Unsuitable++
	case Unsuitable:
		c.Unsuitable++
	case Disqualified:
		c.Disqualified++
	case Qualified:
		c.Qualified++
	}
}

// Plus returns c + o, to roll communities up to a district or zone.
func (c Counts) Plus(o Counts) Counts {
	return Counts{c.Registered + o.Registered, c.Reviewed + o.Reviewed, c.WithFindings + o.WithFindings,
		c.Barred + o.Barred, c.Unsuitable + o.Unsuitable, c.Withdrawn + o.Withdrawn,
		c.Disqualified + o.Disqualified, c.Qualified + o.Qualified}
}

// CountItem is one labelled number, for tables and Excel.
type CountItem struct {
	Label string
	N     int
}

// Items lists the counts with their Chinese labels, in the order above.
func (c Counts) Items() []CountItem {
	return []CountItem{{"登记参选人", c.Registered}, {"完成联审", c.Reviewed}, {"发现问题", c.WithFindings},
		{"不得情形", c.Barred}, {"不宜情形", c.Unsuitable}, {"劝退", c.Withdrawn},
		{"取消参选资格", c.Disqualified}, {"资格通过", c.Qualified}}
}

// CommunityCounts are the counts of one community.
type CommunityCounts struct {
	OrgCode, OrgName string
	Counts
}

// Stats are the counts per community, ordered by code, and their total for
// the whole scope (the zone).
type Stats struct {
	Communities []CommunityCounts
	Total       Counts
}

// Tally counts aspirants per community and in total.
func Tally(aspirants []Summary) Stats {
	var st Stats
	at := map[string]int{}
	for _, s := range aspirants {
		i, ok := at[s.OrgCode]
		if !ok {
			i = len(st.Communities)
			at[s.OrgCode] = i
			st.Communities = append(st.Communities, CommunityCounts{OrgCode: s.OrgCode, OrgName: s.OrgName})
		}
		st.Communities[i].Add(s)
		st.Total.Add(s)
	}
	slices.SortFunc(st.Communities, func(a, b CommunityCounts) int { return strings.Compare(a.OrgCode, b.OrgCode) })
	return st
}
