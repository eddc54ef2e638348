package assessxls

import (
	"fmt"
	"io"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/huanjie/huanjie/internal/assess"
	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/xlsx"
)

// Read parses a filled template. It returns one assessment per data row
// with any indicator filled in (rows whose indicator cells are all empty are
// skipped), with OrgCode, AssessedOn, Assessors, Findings and Scores set;
// Result is left for the caller to compute under its rules.
//
// Every row is checked completely and every bad cell becomes a RowError:
// community codes not in known (the codes the caller may assess) or twice in
// the file, a bad or future date (today is YYYY-MM-DD), missing assessors,
// findings too long, a score missing, out of range or not a whole number, a
// flag other than 是/否/1/0. Columns are found by their header, by how it
// starts: an indicator's by its name, a fixed column's by its words before
// the hint in brackets (an older template's indicators by the code in
// brackets they carried), so the order may change; a missing column is an error on row 1. When any RowError
// is returned, no assessment is: the caller applies all or nothing. At most
// xlsx.MaxListed bad cells are listed (the first rows', each row's in column
// order); Errors counts the rest.
//
// The error is non-nil (code unprocessable) when the input is not a readable
// xlsx, is over the limits of internal/xlsx (a row number beyond MaxRows+1
// among them), or has no sheet; it is internal when rubric or today are bad,
// which is the caller's mistake.
func Read(r io.Reader, rubric assess.Rubric, known map[string]bool, today civil.Date) ([]assess.Assessment, Errors, error) {
	if err := rubric.Validate(); err != nil {
		return nil, Errors{}, errs.Wrap(err, errs.Internal, "评分标准有误,无法导入")
	}
	day, err := time.Parse(civil.Layout, string(today))
	if err != nil {
		return nil, Errors{}, errs.Wrap(err, errs.Internal, "系统日期有误,无法导入")
	}
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, Errors{}, errs.Wrap(err, errs.Unprocessable, "读取上传的文件失败,请重新上传")
	}
	lim := limits()
	f, err := xlsx.Open(b, lim, what)
	if err != nil {
		return nil, Errors{}, err
	}
	defer f.Close()
	sheet, err := xlsx.Sheet(f, sheetAssess, "下载的研判表模板", sheetKeys...)
	if err != nil {
		return nil, Errors{}, err
	}
	props, _ := f.GetWorkbookProps()
	rr := &reader{
		rubric:   rubric,
		known:    known,
		today:    day,
		civil:    today,
		date1904: props.Date1904 != nil && *props.Date1904,
		seen:     map[string]int{},
	}
	n := 0
	err = xlsx.Each(f, sheet, lim, true, func(row int, cells []string) error {
		n = row
		switch {
		case row == 1:
			rr.header(cells)
		case !xlsx.Blank(cells):
			rr.row(row, cells)
		}
		return nil
	})
	if err != nil {
		return nil, Errors{}, err
	}
	if n == 0 {
		rr.header(nil)
	}
	rr.flushRow()
	if rr.errs.Total > 0 {
		return nil, rr.errs, nil
	}
	return rr.out, Errors{}, nil
}

// reader holds what Read learns while it walks the rows.
type reader struct {
	rubric   assess.Rubric
	known    map[string]bool
	today    time.Time  // today as UTC midnight, to compare with the cells' days
	civil    civil.Date // today
	date1904 bool

	heads []string       // header text by column index
	fixed map[string]int // fixed column key → index
	ind   []indColumn    // indicator columns present, in file order

	seen map[string]int // community code → first row it is on
	errs Errors
	out  []assess.Assessment

	pending []RowError // the current row's errors, to be sorted by column
}

type indColumn struct {
	col int
	ind assess.Indicator
}

func (rr *reader) fail(row, col int, reason string) {
	head := ""
	if col >= 0 && col < len(rr.heads) {
		head = rr.heads[col]
	}
	rr.add(RowError{Row: row, Column: head, Reason: reason, Col: col + 1})
}

// add keeps a bad cell of the current row; a new row sends the last one's
// to rr.errs, sorted by column as they sit in the file.
func (rr *reader) add(e RowError) {
	if len(rr.pending) > 0 && rr.pending[0].Row != e.Row {
		rr.flushRow()
	}
	rr.pending = append(rr.pending, e)
}

func (rr *reader) flushRow() {
	sort.SliceStable(rr.pending, func(i, j int) bool { return rr.pending[i].Col < rr.pending[j].Col })
	for _, e := range rr.pending {
		if e.Col > len(rr.heads) && e.Row == 1 {
			e.Col = 0 // a missing column: not in the file
		}
		rr.errs.Add(e)
	}
	rr.pending = rr.pending[:0]
}

// header finds the columns. Unknown, repeated and missing columns are
// errors on row 1; rows are still checked on the columns that were found.
func (rr *reader) header(cells []string) {
	rr.heads = make([]string, len(cells))
	rr.fixed = map[string]int{}
	found := map[string]bool{}
	for i, c := range cells {
		h := strings.TrimSpace(c)
		rr.heads[i] = h
		if h == "" || strings.HasPrefix(h, headErrors) {
			continue // the column Annotate adds, uploaded again
		}
		ind, fc, ok := rr.column(h)
		switch {
		case ok && fc.key == "":
			if found[ind.Code] {
				rr.fail(1, i, fmt.Sprintf("指标“%s”的列重复", ind.Name))
			} else {
				found[ind.Code] = true
				rr.ind = append(rr.ind, indColumn{i, ind})
			}
		case ok:
			if _, dup := rr.fixed[fc.key]; dup {
				rr.fail(1, i, fmt.Sprintf("“%s”列重复", fc.key))
			} else {
				rr.fixed[fc.key] = i
			}
		case codeInHeader.MatchString(h) || hintInHeader.MatchString(h):
			// Headed like an indicator the rubric does not have: an outdated template.
			rr.fail(1, i, fmt.Sprintf("评分标准中没有指标“%s”,请下载最新的模板,或删除这一列", headWords(h)))
		}
	}
	missing := 0
	add := func(head, reason string) {
		rr.add(RowError{Row: 1, Column: head, Reason: reason, Col: len(cells) + missing + 1})
		missing++
	}
	for _, fc := range fixedColumns {
		if _, ok := rr.fixed[fc.key]; !ok && fc.required {
			add(fc.head, fmt.Sprintf("缺少“%s”列,请使用下载的模板,不要修改表头", fc.key))
		}
	}
	for _, ind := range rr.rubric {
		if !found[ind.Code] {
			add(indicatorHeader(ind), fmt.Sprintf("缺少指标“%s”的列,请下载最新的模板", ind.Name))
		}
	}
}

// column finds what a header names: an indicator by the code in brackets
// of a template written before indicators were headed by name alone, else
// the indicator or fixed column whose name the header starts with (the
// header's words before any bracket or hint), the longest if several do.
// Spaces are ignored, a header wrapped in its cell is found too. fc.key is
// "" for an indicator.
func (rr *reader) column(h string) (ind assess.Indicator, fc fixed, ok bool) {
	for _, m := range codeInHeader.FindAllStringSubmatch(h, -1) {
		if ind, ok := rr.rubric.Find(strings.ToLower(m[1])); ok {
			return ind, fixed{}, true
		}
	}
	h = compact(h)
	best := 0
	for _, c := range fixedColumns {
		if k := compact(c.key); len(k) > best && strings.HasPrefix(h, k) {
			fc, best, ok = c, len(k), true
		}
	}
	for _, in := range rr.rubric {
		if n := compact(in.Name); len(n) > best && strings.HasPrefix(h, n) {
			ind, fc, best, ok = in, fixed{}, len(n), true
		}
	}
	return ind, fc, ok
}

// compact is s without spaces and line breaks.
func compact(s string) string {
	return strings.Join(strings.Fields(s), "")
}

// headWords are a header's words before its code or hint.
func headWords(h string) string {
	stem := h
	if loc := codeInHeader.FindStringIndex(stem); loc != nil {
		stem = stem[:loc[0]]
	}
	if loc := hintInHeader.FindStringIndex(stem); loc != nil {
		stem = stem[:loc[0]]
	}
	if stem = strings.TrimSpace(stem); stem == "" {
		return h
	}
	return stem
}

// row checks one data row, reports every bad cell, and keeps the
// assessment when the row is clean.
func (rr *reader) row(n int, cells []string) {
	get := func(col int) string {
		if col < 0 || col >= len(cells) {
			return ""
		}
		return strings.TrimSpace(cells[col])
	}
	filled := false
	for _, ic := range rr.ind {
		if get(ic.col) != "" {
			filled = true
			break
		}
	}
	if !filled {
		return // not assessed yet: left for a later upload
	}
	col := func(key string) int {
		if i, ok := rr.fixed[key]; ok {
			return i
		}
		return -1
	}
	a := assess.Assessment{Scores: assess.Scores{}}

	if c := col("社区编码"); c >= 0 {
		code := get(c)
		switch first, dup := rr.seen[code]; {
		case code == "":
			rr.fail(n, c, "社区编码不能为空")
		case !rr.known[code]:
			rr.fail(n, c, fmt.Sprintf("社区编码“%s”不存在,或不在您可以研判的范围内", code))
		case dup:
			rr.fail(n, c, fmt.Sprintf("社区“%s”在本表中重复,第%d行已经填写", code, first))
		default:
			rr.seen[code] = n
		}
		a.OrgCode = code
	}
	if c := col("研判日期"); c >= 0 {
		v := get(c)
		day, ok := parseDate(v, rr.date1904)
		switch {
		case v == "":
			rr.fail(n, c, "请填写研判日期,格式如 2026-03-01")
		case !ok:
			rr.fail(n, c, "研判日期格式应为 2026-03-01")
		case day.After(rr.today):
			rr.fail(n, c, "研判日期不能晚于今天")
		}
		a.AssessedOn = civil.Date(day.Format(civil.Layout))
	}
	if c := col("研判组成员"); c >= 0 {
		team, reason := parseAssessors(get(c))
		if reason != "" {
			rr.fail(n, c, reason)
		}
		a.Assessors = team
	}
	if c := col("研判意见"); c >= 0 {
		a.Findings = get(c)
		if utf8.RuneCountInString(a.Findings) > 5000 {
			rr.fail(n, c, "研判意见不超过5000字")
		}
	}
	for _, ic := range rr.ind {
		v, reason := parseAnswer(ic.ind, get(ic.col))
		if reason != "" {
			rr.fail(n, ic.col, reason)
			continue
		}
		a.Scores[ic.ind.Code] = v
	}
	if rr.errs.Total > 0 || len(rr.pending) > 0 {
		return // this row or an earlier one is bad: nothing will be applied
	}
	// The domain has the last word; the checks above mirror it cell by cell,
	// so this only catches a rule added there and not yet here.
	if err := a.Validate(rr.rubric, rr.civil); err != nil {
		rr.fail(n, rr.columnOf(errs.FieldOf(err)), errs.MessageOf(err))
		return
	}
	rr.out = append(rr.out, a)
}

// columnOf maps a field named by assess to its column.
func (rr *reader) columnOf(field string) int {
	key := map[string]string{"assessed_on": "研判日期", "assessors": "研判组成员", "findings": "研判意见"}[field]
	if i, ok := rr.fixed[key]; ok {
		return i
	}
	for _, ic := range rr.ind {
		if ic.ind.Code == field {
			return ic.col
		}
	}
	return -1
}

// parseAnswer reads one indicator cell: a whole number 0..Max for a score,
// 是/否/1/0 for a flag (empty means 否). The reasons use the domain's words.
func parseAnswer(ind assess.Indicator, v string) (int, string) {
	if ind.Kind == assess.Flag {
		switch v {
		case "是", "1":
			return 1, ""
		case "否", "0", "":
			return 0, ""
		}
		return 0, fmt.Sprintf("“%s”只能填“是”或“否”", ind.Name)
	}
	if v == "" {
		return 0, fmt.Sprintf("“%s”未评分", ind.Name)
	}
	x, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(v, "分")), 64)
	if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
		return 0, fmt.Sprintf("“%s”的得分须为0到%d之间的整数,不能填“%s”", ind.Name, ind.Max, short(v))
	}
	if x < 0 || x > float64(ind.Max) {
		return 0, fmt.Sprintf("“%s”的得分须在0到%d之间", ind.Name, ind.Max)
	}
	// Excel stores 7 typed in a cell as 7, but a formula may leave 6.9999999999.
	rounded := math.Round(x)
	if math.Abs(x-rounded) > 1e-9 {
		return 0, fmt.Sprintf("“%s”的得分须为整数", ind.Name)
	}
	return int(rounded), ""
}

// memberSep splits the team cell: 、 as the template asks, and the commas,
// semicolons and line breaks people type anyway.
var memberSep = regexp.MustCompile(`[、,,;;\n\r]+`)

// parseAssessors reads "党群部:张三、纪检监察:李四" (the unit may be left out).
func parseAssessors(v string) ([]assess.Assessor, string) {
	if v == "" {
		return nil, "至少填写一名研判组成员"
	}
	var team []assess.Assessor
	var bad []string
	for _, part := range memberSep.Split(v, -1) {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		var m assess.Assessor
		if i := strings.IndexAny(part, "::"); i >= 0 {
			_, size := utf8.DecodeRuneInString(part[i:])
			m.Unit, m.Name = strings.TrimSpace(part[:i]), strings.TrimSpace(part[i+size:])
		} else {
			m.Name = part
		}
		if m.Name == "" || utf8.RuneCountInString(m.Name) > 20 || utf8.RuneCountInString(m.Unit) > 20 {
			bad = append(bad, "“"+short(part)+"”")
			continue
		}
		team = append(team, m)
	}
	switch {
	case len(bad) > 0:
		return nil, "研判组成员须填写姓名(不超过20字)和单位,写作“单位:姓名”或只写姓名,多人用“、”分隔;有误的是" + strings.Join(bad, "、")
	case len(team) == 0:
		return nil, "至少填写一名研判组成员"
	}
	return team, ""
}

var dateParts = regexp.MustCompile(`^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$`)

// parseDate reads a date typed as 2026-03-01, 2026/3/1, 2026.3.1,
// 2026年3月1日 or 20260301, or stored by Excel as a serial day number.
func parseDate(v string, date1904 bool) (time.Time, bool) {
	if i := strings.IndexAny(v, " T"); i > 0 { // a time of day after the date
		v = v[:i]
	}
	if len(v) == 8 && strings.Trim(v, "0123456789") == "" {
		v = v[:4] + "-" + v[4:6] + "-" + v[6:]
	}
	if m := dateParts.FindStringSubmatch(v); m != nil {
		y, _ := strconv.Atoi(m[1])
		mo, _ := strconv.Atoi(m[2])
		d, _ := strconv.Atoi(m[3])
		t := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC)
		if t.Year() != y || int(t.Month()) != mo || t.Day() != d || y < 1900 {
			return time.Time{}, false // 2026-02-30 and the like
		}
		return t, true
	}
	serial, err := strconv.ParseFloat(v, 64)
	if err != nil || serial < 1 || serial > 2958465 { // 1900-01-01 .. 9999-12-31
		return time.Time{}, false
	}
	t, err := excelize.ExcelDateToTime(serial, date1904)
	if err != nil {
		return time.Time{}, false
	}
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC), true
}

// short quotes at most 20 characters of what the user typed.
func short(s string) string {
	if utf8.RuneCountInString(s) <= 20 {
		return s
	}
	return string([]rune(s)[:20]) + "…"
}
