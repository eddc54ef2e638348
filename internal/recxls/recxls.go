// Package recxls moves a community's two recommendations (两推, issue 14
// point 3) in and out of Excel: a template listing the community's
// aspirants who may be proposed and the posts of each committee, reading
// the filled file back with an error for every bad cell (the domain's rules,
// slate.ValidateRecommendation, said in the file's words), and writing those
// errors back into the uploaded file. It knows the xlsx format and the
// slate domain, nothing of SQL or HTTP. Modelled on internal/reviewxls.
package recxls

import (
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/slate"
	"github.com/huanjie/huanjie/internal/vetting"
	"github.com/huanjie/huanjie/internal/xlsx"
)

// Sheet names and column headers.
const (
	sheetVotes = "推荐票"
	sheetHelp  = "填写说明"

	headCommittee = "委员会"
	headKind      = "推荐方式"
	headExpected  = "应参加人数"
	headPresent   = "实参加人数"
	headDay       = "推荐日期"
	headID        = "编号"
	headName      = "姓名"
	headPost      = "职务"
	headVotes     = "得票数"
)

var headers = []string{headCommittee, headKind, headExpected, headPresent, headDay, headID, headName, headPost, headVotes}

// sheetKeys find the votes sheet renamed: its header has these columns.
var sheetKeys = []string{headCommittee, headVotes}

// what names the file in messages.
const what = "推荐票模板"

// MaxRows is the most data rows Read accepts: a community's recommendations
// are a few hundred rows at most.
const MaxRows = 5000

func limits() xlsx.Limits {
	l := xlsx.Default
	l.Rows = MaxRows
	return l
}

// blankRows are the empty rows below the template's own that the drop-downs
// cover, for rows people add.
const blankRows = 200

// RowError is one bad cell of an uploaded file.
type RowError = xlsx.RowError

// Errors are the bad cells of a file.
type Errors = xlsx.Errors

// seeks is the post aspirant a seeks on committee c.
func seeks(a vetting.Aspirant, c org.Committee) vetting.Post {
	if a.Committee == c {
		return a.Post
	}
	return a.CrossPost
}

// Write writes the template of community name: for each committee and
// each of its two recommendations, a row per aspirant of people (those who
// may be proposed) standing for it with the post sought there, to fill in
// with the counts, the day and the votes; drop-downs for the committee, the
// kind and the post; and a help sheet with the rules and the aspirants.
func Write(w io.Writer, name string, people []vetting.Aspirant) error {
	f, err := xlsx.NewBook(sheetVotes)
	if err != nil {
		return xlsx.Failed(err)
	}
	defer f.Close()
	if err := write(f, name, people); err != nil {
		return xlsx.Failed(err)
	}
	return xlsx.Write(w, f)
}

func write(f *excelize.File, name string, people []vetting.Aspirant) error {
	head, err := xlsx.HeaderStyle(f, "DDEBF7", false)
	if err != nil {
		return err
	}
	day, err := xlsx.DateStyle(f, nil, xlsx.DayFormat)
	if err != nil {
		return err
	}
	var rows [][]any
	for _, c := range org.Committees {
		for _, k := range []slate.Kind{slate.MembersKind, slate.MassesKind} {
			for _, a := range people {
				if slate.Stands(a, c) {
					rows = append(rows, []any{c.Label(), k.Label(), nil, nil, excelize.Cell{StyleID: day}, a.ID, xlsx.CellText(a.Name), seeks(a, c).Label(), nil})
				}
			}
		}
	}
	sw, err := xlsx.NewStream(f, sheetVotes, len(rows)+1, []float64{16, 14, 12, 12, 14, 8, 12, 10, 10}, []int{0, 0, 0, 0, day})
	if err != nil {
		return err
	}
	if err := sw.Header(head, headers, excelize.RowOpts{Height: 24}); err != nil {
		return err
	}
	for _, r := range rows {
		if err := sw.Row(r); err != nil {
			return err
		}
	}
	last := len(rows) + 1 + blankRows
	column := func(h string) string { c, _ := excelize.ColumnNumberToName(slices.Index(headers, h) + 1); return c }
	var committees, kinds, posts []string
	for _, c := range org.Committees {
		committees = append(committees, c.Label())
	}
	for _, k := range slate.Kinds {
		kinds = append(kinds, k.Label())
	}
	for _, p := range vetting.Posts {
		posts = append(posts, p.Label())
	}
	for _, d := range []struct {
		head string
		list []string
	}{{headCommittee, committees}, {headKind, kinds}, {headPost, posts}} {
		dv := excelize.NewDataValidation(true)
		dv.SetSqref(fmt.Sprintf("%s2:%[1]s%d", column(d.head), last))
		if err := dv.SetDropList(d.list); err != nil {
			return err
		}
		dv.SetError(excelize.DataValidationErrorStyleStop, "填写有误", "“"+d.head+"”只能填:"+strings.Join(d.list, "、"))
		if err := f.AddDataValidation(sheetVotes, dv); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	help := [][]any{
		{name + " 两推(党员推荐、群众推荐)推荐票填写说明"},
		{"每个委员会有两次推荐:党员推荐,以及群众推荐或居民代表推荐(在“推荐方式”中选择)。"},
		{"同一委员会同一次推荐的各行,“应参加人数”“实参加人数”“推荐日期”只需在其中一行填写;填写多行时须一致。"},
		{"实参加人数不能多于应参加人数;得票数不能多于实参加人数;推荐日期不能晚于今天,也不能晚于本社区该委员会的选举日。"},
		{"只能填写下列可提名的参选人(按“编号”识别,姓名须与编号一致),职务须为该委员会的职务;同一人同一职务只填一行。可增加行填写其他职务的得票。"},
		{"“得票数”留空的行不导入。上传后本社区该委员会的同一次推荐整体替换;有任何错误则全部不导入,并在文件中标出错误。"},
		{},
		{headID, headName, "参选职务"},
	}
	for _, a := range people {
		help = append(help, []any{a.ID, xlsx.CellText(a.Name), a.PostLabel()})
	}
	if _, err := f.NewSheet(sheetHelp); err != nil {
		return err
	}
	for i, row := range help {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(sheetHelp, cell, &row); err != nil {
			return err
		}
	}
	if err := f.SetColWidth(sheetHelp, "A", "A", 12); err != nil {
		return err
	}
	return f.SetColWidth(sheetHelp, "B", "C", 30)
}

// group is one recommendation being read: its header as found in its rows
// (the row each value came from) and its votes with their rows.
type group struct {
	rec                     slate.Recommendation
	expRow, pRow            int
	dayRow, first           int
	votes                   []slate.Vote
	voteRows                []int
	idInFile                []bool // the vote's person was named by 编号 (else by 姓名)
	seen                    map[slate.Vote]int
	hasExpected, hasPresent bool
}

// Read parses a filled template of a community whose aspirants are people
// (by id, every status), against today and the community's election day of
// each committee (electionDay). Rows whose 得票数 and counts are empty are
// skipped. It returns the recommendations found, in the order of their
// first rows; with any bad cell it returns none and every bad cell (the
// caller applies all or nothing). The error is non-nil for an unreadable
// file.
func Read(r io.Reader, people map[int64]vetting.Aspirant, today civil.Date, electionDay func(org.Committee) civil.Date) ([]slate.Recommendation, Errors, error) {
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
	sheet, err := xlsx.Sheet(f, sheetVotes, what, sheetKeys...)
	if err != nil {
		return nil, Errors{}, err
	}
	props, _ := f.GetWorkbookProps()
	date1904 := props.Date1904 != nil && *props.Date1904
	col := map[string]int{}
	var header xlsx.Header
	var rowErrs Errors
	bad := func(row int, column, reason string) {
		c := 0
		if i, ok := col[column]; ok {
			c = i + 1
			column = header.Name(i)
		}
		rowErrs.Add(RowError{Row: row, Column: column, Reason: reason, Col: c})
	}
	type key struct {
		c org.Committee
		s slate.Source
	}
	groups := map[key]*group{}
	var order []key
	err = xlsx.Each(f, sheet, lim, true, func(n int, cells []string) error {
		get := func(h string) string {
			if i, ok := col[h]; ok && i < len(cells) {
				return strings.TrimSpace(cells[i])
			}
			return ""
		}
		if n == 1 {
			header = xlsx.NewHeader(cells)
			for _, h := range headers {
				if i := header.Prefix(h); i >= 0 {
					col[h] = i
				} else {
					bad(1, h, "缺少“"+h+"”列,请使用下载的推荐票模板")
				}
			}
			if rowErrs.Total > 0 {
				return errHeader
			}
			return nil
		}
		if get(headVotes) == "" && get(headExpected) == "" && get(headPresent) == "" && get(headDay) == "" {
			return nil // not filled in
		}
		c, okC := parseCommittee(get(headCommittee))
		if !okC {
			bad(n, headCommittee, "请填写“党组织委员会”或“居民委员会”")
		}
		k, okK := slate.ParseKind(get(headKind))
		if !okK {
			bad(n, headKind, "请填写推荐方式:党员推荐、群众推荐或居民代表推荐")
		}
		if !okC || !okK {
			return nil
		}
		g := groups[key{c, k.Source()}]
		if g == nil {
			g = &group{rec: slate.Recommendation{Committee: c, Kind: k}, first: n,
				seen: map[slate.Vote]int{}}
			groups[key{c, k.Source()}] = g
			order = append(order, key{c, k.Source()})
		} else if k != g.rec.Kind {
			bad(n, headKind, fmt.Sprintf("与第%d行的推荐方式(%s)不一致:同一委员会的群众推荐和居民代表推荐只能填一种", g.first, g.rec.Kind.Label()))
		}
		for _, x := range []struct {
			head  string
			n     *int
			has   *bool
			rowOf *int
		}{{headExpected, &g.rec.Expected, &g.hasExpected, &g.expRow}, {headPresent, &g.rec.Present, &g.hasPresent, &g.pRow}} {
			v := get(x.head)
			if v == "" {
				continue
			}
			num, ok := parseCount(v)
			if !ok {
				bad(n, x.head, "“"+short(v)+"”不是人数,请填写0或正整数")
				continue
			}
			if *x.has && num != *x.n {
				bad(n, x.head, fmt.Sprintf("与第%d行的%s(%d)不一致", *x.rowOf, x.head, *x.n))
				continue
			}
			*x.n, *x.has, *x.rowOf = num, true, n
		}
		if v := get(headDay); v != "" {
			t, ok := parseDate(v, date1904)
			switch d := civil.Date(t.Format(civil.Layout)); {
			case !ok:
				bad(n, headDay, "推荐日期“"+short(v)+"”无效,应写成 2026-03-15 这样的年-月-日")
			case g.rec.Day != "" && d != g.rec.Day:
				bad(n, headDay, fmt.Sprintf("与第%d行的推荐日期(%s)不一致", g.dayRow, g.rec.Day))
			default:
				g.rec.Day, g.dayRow = d, n
			}
		}
		v := get(headVotes)
		if v == "" {
			return nil
		}
		votes, ok := parseCount(v)
		if !ok {
			bad(n, headVotes, "“"+short(v)+"”不是票数,请填写0或正整数")
		}
		id, byID, who := person(get(headID), get(headName), people)
		if who != "" {
			column := headID
			if !byID {
				column = headName
			}
			bad(n, column, who)
		}
		p, okP := vetting.ParsePost(get(headPost))
		if !okP {
			bad(n, headPost, "请填写职务:"+postNames(c))
		}
		if !ok || who != "" || !okP {
			return nil
		}
		vote := slate.Vote{AspirantID: id, Post: p, Votes: votes}
		if j, dup := g.seen[slate.Vote{AspirantID: id, Post: p}]; dup {
			bad(n, headPost, fmt.Sprintf("%s的%s得票已在第%d行填写", people[id].Name, p.Label(), j))
			return nil
		}
		g.seen[slate.Vote{AspirantID: id, Post: p}] = n
		g.votes, g.voteRows, g.idInFile = append(g.votes, vote), append(g.voteRows, n), append(g.idInFile, byID)
		return nil
	})
	switch {
	case errors.Is(err, errHeader):
		return nil, rowErrs, nil
	case err != nil:
		return nil, Errors{}, err
	}
	// Each recommendation's rules, as the domain says them: its header once,
	// then each row's vote against it.
	var out []slate.Recommendation
	var found []RowError
	for _, k := range order {
		g := groups[k]
		add := func(row int, column, reason string) {
			found = append(found, RowError{Row: row, Column: column, Reason: reason})
		}
		missing := true
		switch {
		case !g.hasExpected:
			add(g.first, headExpected, "请填写"+g.rec.Committee.Label()+g.rec.Kind.Label()+"的应参加人数(在其中一行填写即可)")
		case !g.hasPresent:
			add(g.first, headPresent, "请填写"+g.rec.Committee.Label()+g.rec.Kind.Label()+"的实参加人数(在其中一行填写即可)")
		case g.rec.Day == "":
			add(g.first, headDay, "请填写"+g.rec.Committee.Label()+g.rec.Kind.Label()+"的推荐日期(在其中一行填写即可)")
		case len(g.votes) == 0:
			add(g.first, headVotes, "填写了"+g.rec.Committee.Label()+g.rec.Kind.Label()+"的参加人数,但没有填写任何人的得票数")
		default:
			missing = false
		}
		if missing {
			continue
		}
		headerBad := false
		for i, v := range g.votes {
			r := g.rec
			r.Votes = []slate.Vote{v}
			err := slate.ValidateRecommendation(r, today, electionDay(r.Committee), people)
			if err == nil {
				continue
			}
			field, msg := errs.FieldOf(err), strings.TrimPrefix(errs.MessageOf(err), "第1行:")
			switch field {
			case "votes[0].aspirant_id":
				column := headID
				if !g.idInFile[i] {
					column = headName
				}
				add(g.voteRows[i], column, msg)
			case "votes[0].post":
				add(g.voteRows[i], headPost, msg)
			case "votes[0].votes":
				add(g.voteRows[i], headVotes, msg)
			default:
				if !headerBad {
					column, row := headKind, g.first
					switch field {
					case "expected":
						column, row = headExpected, g.expRow
					case "present":
						column, row = headPresent, g.pRow
					case "day":
						column, row = headDay, g.dayRow
					case "committee":
						column, row = headCommittee, g.first
					}
					add(row, column, msg)
				}
				headerBad = true
			}
		}
		g.rec.Votes = g.votes
		out = append(out, g.rec)
	}
	// Errors are added in row order, as Errors wants them.
	var all []RowError
	all = append(all, rowErrs.List...)
	all = append(all, found...)
	slices.SortStableFunc(all, func(a, b RowError) int { return a.Row - b.Row })
	if len(all) > 0 {
		var list Errors
		for _, e := range all {
			if e.Col == 0 {
				if i, ok := col[e.Column]; ok {
					e.Col, e.Column = i+1, header.Name(i)
				}
			}
			list.Add(e)
		}
		return nil, list, nil
	}
	return out, Errors{}, nil
}

var errHeader = errors.New("header incomplete")

func parseCommittee(s string) (org.Committee, bool) {
	s = strings.TrimSpace(s)
	for _, c := range org.Committees {
		if s == string(c) || s == c.Label() || s == "社区"+c.Label() {
			return c, true
		}
	}
	switch s {
	case "党委", "党支部", "党组织", "支委会":
		return org.PartyCommittee, true
	case "居委会", "村委会", "村民委员会":
		return org.ResidentsCommittee, true
	}
	return "", false
}

func postNames(c org.Committee) string {
	var names []string
	for _, p := range vetting.PostsOf(c) {
		names = append(names, p.Label())
	}
	return strings.Join(names, "、")
}

// person finds the person a row names: by 编号 when given (the 姓名, if any,
// must be that person's), else by a 姓名 that one aspirant of the community
// bears. why says what is wrong, "" when found; byID whether it is about the
// 编号 (else the 姓名).
func person(idText, name string, people map[int64]vetting.Aspirant) (id int64, byID bool, why string) {
	if idText != "" {
		id = parseID(idText)
		a, ok := people[id]
		switch {
		case id == 0:
			return 0, true, "编号“" + short(idText) + "”无效,请按“填写说明”填写参选人编号"
		case !ok:
			return 0, true, "编号 " + strconv.FormatInt(id, 10) + " 不是本社区本届的自荐参选人"
		case name != "" && name != a.Name:
			return 0, false, "编号 " + strconv.FormatInt(id, 10) + " 是" + a.Name + ",与姓名“" + short(name) + "”不符"
		}
		return id, true, ""
	}
	if name == "" {
		return 0, true, "请填写被推荐人的编号"
	}
	var hits []int64
	for id, a := range people {
		if a.Name == name {
			hits = append(hits, id)
		}
	}
	switch len(hits) {
	case 0:
		return 0, false, "“" + short(name) + "”不是本社区本届的自荐参选人"
	case 1:
		return hits[0], false, ""
	}
	return 0, false, "本社区有" + strconv.Itoa(len(hits)) + "名参选人叫“" + short(name) + "”,请填写编号"
}

// parseCount reads a whole number ≥ 0 as a spreadsheet stores it (12, 12.0).
func parseCount(s string) (int, bool) {
	if n, err := strconv.Atoi(strings.TrimSpace(s)); err == nil {
		return n, n >= 0
	}
	x, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || x < 0 || x > 1e9 || x != math.Trunc(x) {
		return 0, false
	}
	return int(x), true
}

// parseID reads an 编号 as stored: 8706, 8706.0; 0 when it is not one.
func parseID(s string) int64 {
	if id, err := strconv.ParseInt(s, 10, 64); err == nil {
		return max(id, 0)
	}
	x, err := strconv.ParseFloat(s, 64)
	if err != nil || x < 1 || x > 1<<53 || x != math.Trunc(x) {
		return 0
	}
	return int64(x)
}

var dateParts = regexp.MustCompile(`^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$`)

// parseDate reads a date typed as 2026-03-01, 2026/3/1, 2026年3月1日 or
// 20260301, or stored by Excel as a serial day number (as assessxls does).
func parseDate(v string, date1904 bool) (time.Time, bool) {
	if i := strings.IndexAny(v, " T"); i > 0 {
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
			return time.Time{}, false
		}
		return t, true
	}
	serial, err := strconv.ParseFloat(v, 64)
	if err != nil || serial < 1 || serial > 2958465 {
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

// Annotate writes back the uploaded workbook with the errors (see
// xlsx.Annotation.Annotate): a last column 错误说明 with each row's reasons,
// and every bad cell filled light red.
func Annotate(w io.Writer, original []byte, rowErrs Errors) error {
	a := xlsx.Annotation{Limits: limits(), Sheet: sheetVotes, Keys: sheetKeys, What: what, MaxRows: MaxRows}
	return a.Annotate(w, original, rowErrs)
}
