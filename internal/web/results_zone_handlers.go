package web

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"

	"github.com/xuri/excelize/v2"

	"github.com/huanjie/huanjie/internal/audit"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/slate"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/xlsx"
)

// The zone's results (issue 15, points 7 and 8): predicted vs actual
// (/results/match) and the statistics higher levels ask for
// (/results/statistics), on screen and as Excel in the county form's
// columns (reference cn-systems.md §3.7, §4). The screen and the workbook
// are written from one store read and one list of figures (statFigures),
// so they agree.

const resultsPageSize = 100

// count writes n and its share of of: "12(35.0%)".
func count(n, of int) string { return strconv.Itoa(n) + "(" + slate.Percent(slate.Share(n, of)) + ")" }

// years writes an average age: "45.3岁", "—" without anyone.
func years(v float64, n int) string {
	if n == 0 {
		return "—"
	}
	return strconv.FormatFloat(v, 'f', 1, 64) + "岁"
}

// statFigure is one line of the totals: a figure for each committee and
// for the two with each person once ("—" where it does not apply).
type statFigure struct {
	Label                    string
	Party, Residents, People string
}

// statFact is one figure of the zone.
type statFact struct{ Label, Value string }

// statFigures are the totals of the statistics and the figures of the
// counts, as the page and the workbook show them.
func statFigures(s store.Statistics) []statFigure {
	t := s.Total
	p, r, b := t.Party, t.Residents, t.People
	row := func(label string, f func(g store.StatGroup) string, people bool) statFigure {
		x := statFigure{Label: label, Party: f(p), Residents: f(r), People: "—"}
		if people {
			x.People = f(b)
		}
		return x
	}
	elected := func(c org.Committee) string { return strconv.Itoa(t.Elected(c)) + "/" + strconv.Itoa(t.Communities) }
	ballots := func(label string, f func(store.CountFigures) string) statFigure {
		return statFigure{Label: label, Party: f(s.Ballots.Party), Residents: f(s.Ballots.Residents), People: "—"}
	}
	return []statFigure{
		{Label: "有选举结果的社区", Party: elected(org.PartyCommittee), Residents: elected(org.ResidentsCommittee), People: "—"},
		row("成员数", func(g store.StatGroup) string { return strconv.Itoa(g.Members) }, true),
		row("女性", func(g store.StatGroup) string { return count(g.Women, g.Members) }, true),
		row("平均年龄", func(g store.StatGroup) string { return years(g.AverageAge(), g.Members) }, true),
		row("35岁以下", func(g store.StatGroup) string { return count(g.Young, g.Members) }, true),
		row("60岁以上", func(g store.StatGroup) string { return count(g.Old, g.Members) }, true),
		row("大专及以上", func(g store.StatGroup) string { return count(g.College, g.Members) }, true),
		row("高中及中专", func(g store.StatGroup) string { return count(g.High, g.Members) }, true),
		row("初中及以下", func(g store.StatGroup) string { return count(g.Junior, g.Members) }, true),
		row("党员(含预备党员)", func(g store.StatGroup) string { return count(g.Party, g.Members) }, true),
		row("连选连任", func(g store.StatGroup) string { return count(g.Reelected, g.Members) }, false),
		row("新当选", func(g store.StatGroup) string { return count(g.New(), g.Members) }, false),
		ballots("参选率(实到会/应到会、参加投票/登记选民)", func(f store.CountFigures) string {
			if f.Base == 0 {
				return "—"
			}
			return strconv.Itoa(f.Attended) + "/" + strconv.Itoa(f.Base) + "(" + slate.Percent(slate.Share(f.Attended, f.Base)) + ")"
		}),
		ballots("一次选举成功(第一次投票)", func(f store.CountFigures) string { return count(f.FirstElected, f.FirstHeld) }),
		ballots("另行选举", func(f store.CountFigures) string {
			return strconv.Itoa(f.Further) + "次(" + strconv.Itoa(f.FurtherIn) + "个社区)"
		}),
		ballots("选举无效", func(f store.CountFigures) string { return strconv.Itoa(f.Void) + "次" }),
		ballots("重新选举", func(f store.CountFigures) string { return strconv.Itoa(f.Repeated) + "次" }),
	}
}

// statFacts are the zone's single figures.
func statFacts(s store.Statistics) []statFact {
	t := s.Total
	return []statFact{
		{"“一肩挑”(书记兼居委会主任)", strconv.Itoa(t.OneShoulder) + "/" + strconv.Itoa(t.BothChiefs) + "个社区(" +
			slate.Percent(slate.Share(t.OneShoulder, t.BothChiefs)) + ")"},
		{"交叉任职", strconv.Itoa(t.Cross) + "人,占两委成员(每人计一次)" + slate.Percent(slate.Share(t.Cross, t.People.Members))},
		{"女性书记", strconv.Itoa(t.WomenSecretaries) + "/" + strconv.Itoa(t.Secretaries) + "(" + slate.Percent(slate.Share(t.WomenSecretaries, t.Secretaries)) + ")"},
		{"女性居委会主任", strconv.Itoa(t.WomenDirectors) + "/" + strconv.Itoa(t.Directors) + "(" + slate.Percent(slate.Share(t.WomenDirectors, t.Directors)) + ")"},
		{"书记平均年龄", years(t.SecretaryAge(), t.Secretaries)},
		{"居委会主任平均年龄", years(t.DirectorAge(), t.Directors)},
		{"新老班子工作交接", fmt.Sprintf("应交接%d个委员会,已交接%d个,逾期%d个", t.Handovers, t.HandedOver, t.Late)},
	}
}

type statisticsView struct {
	Stats     store.Statistics
	Figures   []statFigure
	Facts     []statFact
	Committee org.Committee // whose county form the table shows
	Rows      []store.StatRow
	Late      []store.LateHandover // at most lateShown
	Pager     pager
	District  string
	Districts []store.DistrictClasses
}

func (statisticsView) Title() string { return "换届结果统计" }

// Committees are the choices of the table.
func (statisticsView) Committees() []org.Committee { return org.Committees }

// Chief names committee c's chief: 书记 or 主任.
func (statisticsView) Chief(c org.Committee) string {
	if c == org.PartyCommittee {
		return "书记"
	}
	return "居委会主任"
}

// Cells are community r's row of the county form as the workbook writes it.
func (v statisticsView) Cells(r store.StatRow) []any { return statisticsRow(r, v.Committee) }

// Total is the county form's totals row as the workbook writes it.
func (v statisticsView) Total() []any { return statisticsTotal(v.Stats.Total, v.Committee) }

const lateShown = 200

// statisticsCommittee reads ?committee=, the residents' committee (the
// county form's) unless the party committee is asked.
func statisticsCommittee(q url.Values) org.Committee {
	if org.Committee(q.Get("committee")) == org.PartyCommittee {
		return org.PartyCommittee
	}
	return org.ResidentsCommittee
}

// statisticsView reads the statistics with the communities' rows limit
// from offset (all with limit 0).
func (s *Server) statisticsView(ctx context.Context, db *store.Scoped, q url.Values, limit, offset int) (statisticsView, error) {
	v := statisticsView{District: q.Get("district"), Committee: statisticsCommittee(q)}
	var err error
	if v.Stats, err = db.ResultStatistics(ctx, v.District, limit, offset); err != nil {
		return v, err
	}
	v.Figures, v.Facts = statFigures(v.Stats), statFacts(v.Stats)
	v.Late = v.Stats.Late[:min(len(v.Stats.Late), lateShown)]
	return v, nil
}

func (s *Server) statisticsPage(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	q := r.URL.Query()
	page := pageParam(r)
	v, err := s.statisticsView(r.Context(), db, q, resultsPageSize, (page-1)*resultsPageSize)
	if err != nil {
		return err
	}
	if v.Pager = newPager(page, v.Stats.Total.Communities, resultsPageSize); v.Pager.Page != page { // past the end: the last page
		if v, err = s.statisticsView(r.Context(), db, q, resultsPageSize, (v.Pager.Page-1)*resultsPageSize); err != nil {
			return err
		}
		v.Pager = newPager(page, v.Stats.Total.Communities, resultsPageSize)
	}
	v.Rows = v.Stats.Rows
	v.Pager = v.Pager.Of(url.Values{"district": {v.District}, "committee": {string(v.Committee)}}, "个社区")
	if v.Districts, err = db.ClassCountsByDistrict(r.Context(), 300); err != nil {
		return err
	}
	s.render(w, r, "results_statistics", http.StatusOK, v)
	return nil
}

// apiStatistics answers GET /api/v1/results/statistics?district=&limit=&offset=:
// the totals as counts and as the page shows them, the counts' figures,
// the late handovers and a page of the communities' rows.
func (s *Server) apiStatistics(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	q := r.URL.Query()
	limit, offset, err := apiPage(q)
	if err != nil {
		return err
	}
	v, err := s.statisticsView(r.Context(), db, q, limit, offset)
	if err != nil {
		return err
	}
	rows := v.Stats.Rows
	figures := make([]map[string]string, len(v.Figures))
	for i, f := range v.Figures {
		figures[i] = map[string]string{"label": f.Label, "party": f.Party, "residents": f.Residents, "people": f.People}
	}
	facts := make([]map[string]string, len(v.Facts))
	for i, f := range v.Facts {
		facts[i] = map[string]string{"label": f.Label, "value": f.Value}
	}
	writeJSON(w, http.StatusOK, map[string]any{"total": v.Stats.Total, "figures": figures, "facts": facts, "ballots": v.Stats.Ballots,
		"late_handovers": v.Stats.Late, "items": rows, "total_rows": v.Stats.Total.Communities, "limit": limit, "offset": offset})
	return nil
}

// statisticsExport writes the statistics as the county form: a sheet per
// committee (居委会班子, 党组织班子: 村名 | 成员数 | 平均年龄 | 学历 | 女 | 党员 |
// 交叉任职 | 主任(书记)情况 | 是否一肩挑, with the zone's totals as the last
// row) and 汇总, the totals and figures of the page.
func (s *Server) statisticsExport(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	ctx := r.Context()
	v, err := s.statisticsView(ctx, db, r.URL.Query(), 0, 0)
	if err != nil {
		return err
	}
	if err := tooMany(len(v.Stats.Rows), "个社区"); err != nil {
		return err
	}
	if err := s.auditExport(ctx, db, audit.ExportStatistics, len(v.Stats.Rows)); err != nil {
		return err
	}
	return sendXLSX(w, "换届结果统计表.xlsx", func(out io.Writer) error { return writeStatistics(out, v) })
}

// statisticsSheets are the county form's sheets, the residents'
// committee's first as the county form is.
var statisticsSheets = []struct {
	Committee org.Committee
	Sheet     string
}{{org.ResidentsCommittee, "居委会班子"}, {org.PartyCommittee, "党组织班子"}}

// statisticsHeads are a county form sheet's two header rows.
func statisticsHeads(c org.Committee) ([]string, []string) {
	chief := statisticsView{}.Chief(c)
	top := []string{"社区", "片区", "班子成员情况", "", "", "", "", "", "", "", chief + "基本情况", "", "", "", "", "", "是否“一肩挑”"}
	sub := []string{"", "", "成员数", "平均年龄", "大专及以上", "高中及中专", "初中及以下", "女", "党员", "交叉任职",
		"姓名", "性别", "出生年月", "政治面貌", "文化程度", "任职时间", ""}
	return top, sub
}

// statisticsRow is a community's row of committee c's county form.
func statisticsRow(r store.StatRow, c org.Committee) []any {
	g := r.Of(c)
	cells := []any{r.Name, r.District}
	if g.Members == 0 {
		return append(cells, 0, "", 0, 0, 0, 0, 0, 0, "", "", "", "", "", "", "")
	}
	cells = append(cells, g.Members, g.AverageAge(), g.College, g.High, g.Junior, g.Women, g.Party, r.Cross)
	if ch := r.Chief(c); ch != nil {
		cells = append(cells, ch.Name, ch.Sex, string(ch.BirthDate)[:min(7, len(ch.BirthDate))], ch.Party.Label(), ch.Education.Label(),
			string(r.ElectedOn(c)))
	} else {
		cells = append(cells, "", "", "", "", "", "")
	}
	one := "否"
	if r.OneShoulder() {
		one = "是"
	}
	return append(cells, one)
}

// statisticsTotal is the totals row of committee c's county form.
func statisticsTotal(t store.StatTotals, c org.Committee) []any {
	g := t.Of(c)
	chiefs := t.Secretaries
	if c == org.ResidentsCommittee {
		chiefs = t.Directors
	}
	return []any{"合计", strconv.Itoa(t.Elected(c)) + "个社区", g.Members, g.AverageAge(), g.College, g.High, g.Junior, g.Women, g.Party, t.Cross,
		strconv.Itoa(chiefs) + "名", "", "", "", "", "", strconv.Itoa(t.OneShoulder) + "个"}
}

func writeStatistics(out io.Writer, v statisticsView) error {
	f, err := xlsx.NewBook(statisticsSheets[0].Sheet)
	if err != nil {
		return xlsx.Failed(err)
	}
	defer f.Close()
	if err := fillStatistics(f, v); err != nil {
		return xlsx.Failed(err)
	}
	return xlsx.Write(out, f)
}

func fillStatistics(f *excelize.File, v statisticsView) error {
	head, err := xlsx.HeaderStyle(f, "DDEBF7", true)
	if err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	widths := []float64{16, 12, 8, 9, 10, 10, 10, 6, 6, 9, 10, 6, 10, 12, 11, 12, 10}
	for i, sh := range statisticsSheets {
		if i > 0 {
			if _, err := f.NewSheet(sh.Sheet); err != nil {
				return err
			}
		}
		sw, err := xlsx.NewStream(f, sh.Sheet, len(v.Stats.Rows)+3, widths, nil)
		if err != nil {
			return err
		}
		if err := sw.Panes(&excelize.Panes{Freeze: true, XSplit: 1, YSplit: 2, TopLeftCell: "B3", ActivePane: "bottomRight"}); err != nil {
			return err
		}
		top, sub := statisticsHeads(sh.Committee)
		if err := sw.Header(head, top, excelize.RowOpts{Height: 24}); err != nil {
			return err
		}
		if err := sw.Header(head, sub, excelize.RowOpts{Height: 30}); err != nil {
			return err
		}
		for _, m := range [][2]string{{"A1", "A2"}, {"B1", "B2"}, {"C1", "J1"}, {"K1", "P1"}, {"Q1", "Q2"}} {
			if err := sw.Merge(m[0], m[1]); err != nil {
				return err
			}
		}
		for i, r := range v.Stats.Rows {
			cells := statisticsRow(r, sh.Committee)
			if r.Of(sh.Committee).Members == 0 { // as the screen says it, across the row
				cells = []any{cells[0], cells[1], "尚无选举结果"}
				at := strconv.Itoa(3 + i)
				if err := sw.Merge("C"+at, "Q"+at); err != nil {
					return err
				}
			}
			if err := sw.Row(textCells(cells)); err != nil {
				return err
			}
		}
		total := textCells(statisticsTotal(v.Stats.Total, sh.Committee))
		for i, c := range total {
			total[i] = excelize.Cell{StyleID: bold, Value: c}
		}
		if err := sw.Row(total); err != nil {
			return err
		}
		if err := sw.Flush(); err != nil {
			return err
		}
	}
	const sheet = "汇总"
	if _, err := f.NewSheet(sheet); err != nil {
		return err
	}
	sw, err := xlsx.NewStream(f, sheet, len(v.Figures)+len(v.Facts)+3, []float64{26, 18, 18, 22}, nil)
	if err != nil {
		return err
	}
	if err := sw.Header(head, []string{"指标", "党组织委员会", "居民委员会", "两委(每人计一次)"}); err != nil {
		return err
	}
	for _, x := range v.Figures {
		if err := sw.Row(textCells([]any{x.Label, x.Party, x.Residents, x.People})); err != nil {
			return err
		}
	}
	sw.Skip(1)
	if err := sw.Header(head, []string{"项目", "情况"}); err != nil {
		return err
	}
	for _, x := range v.Facts {
		if err := sw.Row(textCells([]any{x.Label, x.Value})); err != nil {
			return err
		}
	}
	return sw.Flush()
}

// textCells writes strings as text cells (xlsx.CellText), numbers as they are.
func textCells(cells []any) []any {
	for i, c := range cells {
		if s, ok := c.(string); ok {
			cells[i] = xlsx.CellText(s)
		}
	}
	return cells
}

type matchView struct {
	Report    store.MatchReport
	Rows      []store.MatchRow
	Pager     pager
	District  string
	Districts []store.DistrictClasses
}

func (matchView) Title() string { return "预判人选与选举结果比对" }

// Committee is committee c's count.
func (v matchView) Committee(c org.Committee) store.MatchCount {
	if n := v.Report.ByCommittee[c]; n != nil {
		return *n
	}
	return store.MatchCount{}
}

// Committees lists them.
func (matchView) Committees() []org.Committee { return org.Committees }

func (s *Server) matchPage(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	q := r.URL.Query()
	v := matchView{District: q.Get("district")}
	var err error
	if v.Report, err = db.Matches(r.Context(), v.District); err != nil {
		return err
	}
	v.Pager = newPager(pageParam(r), len(v.Report.Rows), resultsPageSize)
	from := (v.Pager.Page - 1) * resultsPageSize
	v.Rows = v.Report.Rows[from:min(len(v.Report.Rows), from+resultsPageSize)]
	v.Pager = v.Pager.Of(url.Values{"district": {v.District}}, "个委员会")
	if v.Districts, err = db.ClassCountsByDistrict(r.Context(), 300); err != nil {
		return err
	}
	s.render(w, r, "results_match", http.StatusOK, v)
	return nil
}

// apiMatch answers GET /api/v1/results/match?district=&limit=&offset=: the
// match in all, per committee and per post, and a page of the committees'
// current comparisons.
func (s *Server) apiMatch(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	q := r.URL.Query()
	limit, offset, err := apiPage(q)
	if err != nil {
		return err
	}
	m, err := db.Matches(r.Context(), q.Get("district"))
	if err != nil {
		return err
	}
	rows := m.Rows[min(offset, len(m.Rows)):min(len(m.Rows), offset+limit)]
	writeJSON(w, http.StatusOK, map[string]any{"total": m.Total, "rate": m.Total.Rate(), "by_committee": m.ByCommittee, "posts": m.Posts,
		"items": rows, "total_rows": len(m.Rows), "limit": limit, "offset": offset})
	return nil
}
