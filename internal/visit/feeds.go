package visit

import (
	"slices"
	"strings"

	"github.com/huanjie/huanjie/internal/civil"
)

// What the visits feed to the rest of the platform (issue 16, point 4):
// the communities short of their round's target near or past the round's
// end day, for the warnings and the daily meeting's agenda; the current
// round's coverage, for the progress table; and what the talks before the
// election heard about standing, for the candidates board.

// WarnDays is how many days before a round's end day a community short of
// its target is warned about (on the warnings page and the daily
// meeting's agenda), as a progress stage is "due" within
// progress.DueWithin days of its deadline and a void election near within
// election.RerunWarnDays of its re-run day. The rounds carry no setting of
// their own for it: a week is what the office's other warnings give.
const WarnDays = 7

// Near reports whether today is within WarnDays before the round's end day,
// on it or after it: when a community still short of the target is warned
// about. A round without dates never is: it has no end day to be near.
func (c Campaign) Near(today civil.Date) bool {
	return c.EndsOn != "" && today >= c.EndsOn.AddDays(-WarnDays)
}

// Over reports whether the round's end day has passed on today: visits can
// no longer be recorded in it (Visit.Validate) unless the office moves the
// day, so a community still short of the target is late.
func (c Campaign) Over(today civil.Date) bool { return c.EndsOn != "" && today > c.EndsOn }

// Short reports whether r misses c's targets: fewer households reached
// than the target asks (r.Below, after Fill), or, when c asks for 全谈,
// talks still owed to a sitting member, party member or representative.
func (r CoverageRow) Short(c Campaign) bool { return r.Below || (c.TalkAll && r.TalksOwed > 0) }

// Shortfall is a community short of its round's target near or past the
// round's end day: its coverage, the round's target and end day, and
// whether the day has passed.
type Shortfall struct {
	CoverageRow
	Round    Round      `json:"round"`
	Target   int        `json:"target_percent"`
	TalkAll  bool       `json:"talk_all"`
	EndsOn   civil.Date `json:"ends_on"`
	Late     bool       `json:"late"`      // the end day has passed
	Talks    bool       `json:"talks"`     // talks are owed and the round asks for 全谈
	DaysLeft int        `json:"days_left"` // to the end day, 0 on it, negative after it
}

// ShortfallOf is row's shortfall in round c on today, false when it has
// none: row (filled under c) meets c's targets, or c's end day is neither
// within WarnDays nor past.
func ShortfallOf(c Campaign, row CoverageRow, today civil.Date) (Shortfall, bool) {
	if !c.Near(today) || !row.Short(c) {
		return Shortfall{}, false
	}
	return Shortfall{CoverageRow: row, Round: c.Round, Target: c.HouseholdPercent, TalkAll: c.TalkAll, EndsOn: c.EndsOn,
		Late: c.Over(today), Talks: c.TalkAll && row.TalksOwed > 0, DaysLeft: daysBetween(today, c.EndsOn)}, true
}

// daysBetween counts the days from a to b (negative when b is before a):
// China keeps no summer time, so a civil day is 24 hours.
func daysBetween(a, b civil.Date) int { return int(b.Start().Sub(a.Start()).Hours() / 24) }

// CurrentRound is the round the progress table shows coverage of on today:
// the round whose dates cover today; else the round that ended last
// before today; else, no round having started (or none having dates), the
// round before the election, the first of the campaign.
func CurrentRound(campaigns []Campaign, today civil.Date) Campaign {
	var last Campaign
	for _, c := range campaigns {
		switch {
		case c.StartsOn == "" || today < c.StartsOn:
		case today <= c.EndsOn:
			return c
		case c.EndsOn > last.EndsOn:
			last = c
		}
	}
	if last.Round != "" {
		return last
	}
	for _, c := range campaigns {
		if c.Round == Before {
			return c
		}
	}
	return DefaultCampaign(Before)
}

// Heard is an intention to stand heard in a talk of the round before the
// election: who was talked to (a sitting member or a person of the
// register), on which day, and what they said.
type Heard struct {
	Kind      PersonKind `json:"kind"`
	ID        int64      `json:"id"` // the member's or the person's
	Name      string     `json:"name"`
	Day       civil.Date `json:"visited_on"`
	VisitID   int64      `json:"visit_id"`
	Intention Intention  `json:"intention"`
}

// IntentionTally is what the talks of the round before the election heard in
// a community about standing, for the candidates board: each person's
// intention as their latest talk recorded it (someone talked to twice is
// counted once, as they last said), the names of those intending to
// stand, and how many visits recorded opinions of aspirants.
type IntentionTally struct {
	Stands    int     `json:"stands"`
	NotStand  int     `json:"not_stand"`
	Undecided int     `json:"undecided"`
	Standing  []Heard `json:"standing"` // those intending to stand, sitting members first, by name
	// Visits that recorded opinions of aspirants: talks, and household
	// visits (whose content may hold them too).
	OpinionTalks      int `json:"aspirant_opinion_talks"`
	OpinionHouseholds int `json:"aspirant_opinion_households"`
}

// Heard reports whether the talks heard anything the board shows.
func (in IntentionTally) Heard() bool {
	return in.Stands+in.NotStand+in.Undecided+in.OpinionTalks+in.OpinionHouseholds > 0
}

// Tally counts heard, oldest first (by day, then as recorded), into in:
// each person's latest intention.
func (in *IntentionTally) Tally(heard []Heard) {
	type who struct {
		kind PersonKind
		id   int64
	}
	latest := map[who]Heard{}
	var order []who
	for _, h := range heard {
		if !h.Intention.Valid() {
			continue
		}
		k := who{h.Kind, h.ID}
		if _, ok := latest[k]; !ok {
			order = append(order, k)
		}
		latest[k] = h
	}
	in.Stands, in.NotStand, in.Undecided, in.Standing = 0, 0, 0, []Heard{}
	for _, k := range order {
		h := latest[k]
		switch h.Intention {
		case Stands:
			in.Stands++
			in.Standing = append(in.Standing, h)
		case NotStand:
			in.NotStand++
		case Undecided:
			in.Undecided++
		}
	}
	slices.SortStableFunc(in.Standing, func(a, b Heard) int {
		if (a.Kind == Committee) != (b.Kind == Committee) {
			if a.Kind == Committee {
				return -1
			}
			return 1
		}
		return strings.Compare(a.Name, b.Name)
	})
}
