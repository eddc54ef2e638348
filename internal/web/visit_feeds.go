package web

import (
	"context"
	"strconv"

	"github.com/huanjie/huanjie/internal/account"
	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/visit"
)

// What the visits feed to other pages (issue 16, point 4): the progress
// table's visits column (here), the warnings' list (classes_handlers.go),
// the daily meeting's agenda (partial_agenda.html) and the board's talks
// (board_handlers.go).

// progressVisits is the progress table's visits column: the current round
// (visit.CurrentRound) and each community's household coverage in it.
// Shown is false for a reader who may not read the visits: the column is
// left out, not shown empty.
type progressVisits struct {
	Shown    bool
	Campaign visit.Campaign
	Today    civil.Date
	rows     map[string]visit.CoverageRow
}

// progressVisitsOf reads the column for the communities f selects (the
// table's page).
func progressVisitsOf(ctx context.Context, db *store.Scoped, today civil.Date, f store.CommunityFilter) (progressVisits, error) {
	if !db.Can(account.ViewVisits) {
		return progressVisits{}, nil
	}
	c, rows, err := db.CurrentCoverage(ctx, today, f)
	return progressVisits{Shown: true, Campaign: c, Today: today, rows: rows}, err
}

// Head is the column's heading: the round and its target.
func (p progressVisits) Head() string {
	return "入户走访 · " + p.Campaign.Round.Short() + " · 目标" + strconv.Itoa(p.Campaign.HouseholdPercent) + "%"
}

// Of is community code's cell.
func (p progressVisits) Of(code string) visitsCell {
	row, ok := p.rows[code]
	if !ok {
		row = visit.CoverageRow{Community: code}
		row.Fill(p.Campaign)
	}
	_, short := visit.ShortfallOf(p.Campaign, row, p.Today)
	return visitsCell{CoverageRow: row, Campaign: p.Campaign, Short: short}
}

// visitsCell is one community's household coverage in the current round.
type visitsCell struct {
	visit.CoverageRow
	Campaign visit.Campaign
	// Short: short of the round's targets with its end day near or past
	// (visit.ShortfallOf), the warnings' condition.
	Short bool
}

// Badge is the cell's CSS class: red when short near or past the round's
// end, yellow when below the target before then, green at the target.
func (c visitsCell) Badge() string {
	switch {
	case c.Households == 0:
		return "badge"
	case c.Short:
		return "badge w-red"
	case c.Below:
		return "badge w-yellow"
	}
	return "badge w-none"
}

// Text is what the cell says: the percent of households reached.
func (c visitsCell) Text() string {
	if c.Households == 0 {
		return "—"
	}
	return strconv.Itoa(c.Percent) + "%"
}

// Label says the cell in words, for its title and the workbook.
func (c visitsCell) Label() string {
	if c.Households == 0 {
		return "尚未登记走访户"
	}
	s := c.Campaign.Round.Label() + ":已走访" + strconv.Itoa(c.Reached) + "/" + strconv.Itoa(c.Households) + "户(" +
		strconv.Itoa(c.Percent) + "%),目标" + strconv.Itoa(c.Campaign.HouseholdPercent) + "%(" + strconv.Itoa(c.Needed) + "户)"
	if c.Below {
		s += ",未达目标"
	}
	if c.Campaign.TalkAll && c.TalksOwed > 0 {
		s += ";尚欠谈话" + strconv.Itoa(c.TalksOwed) + "人"
	}
	if c.Campaign.EndsOn != "" {
		s += ";截止" + c.Campaign.EndsOn.String()
	}
	return s
}

// visitsJSON is the cell in the progress API.
type visitsJSON struct {
	Households int  `json:"households"`
	Reached    int  `json:"reached"`
	Percent    int  `json:"percent"`
	Needed     int  `json:"needed"`
	Below      bool `json:"below"`
	TalksOwed  int  `json:"talks_owed"`
	Short      bool `json:"short"` // short of the targets near or past the round's end day
}

func (c visitsCell) json() visitsJSON {
	return visitsJSON{c.Households, c.Reached, c.Percent, c.Needed, c.Below, c.TalksOwed, c.Short}
}
