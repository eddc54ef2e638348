// Package reviewxls moves a vetting department's queue of joint-review
// requests (联审任务) in and out of Excel: the export its reviewers fill in
// offline, reading the filled file back with an error for every bad cell,
// and writing those errors back into the uploaded file. It knows the xlsx
// format and the vetting domain, nothing of SQL or HTTP. Modelled on
// internal/assessxls.
package reviewxls

import (
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/vetting"
	"github.com/huanjie/huanjie/internal/xlsx"
)

// Sheet names and column headers.
const (
	sheetQueue = "联审任务"
	sheetHelp  = "填写说明"

	headID         = "编号"
	headName       = "姓名"
	headSex        = "性别"
	headIDNumber   = "身份证号码"
	headCommunity  = "社区"
	headDeadline   = "截止日期"
	headVerdict    = "结论(无异常/有问题)"
	headConditions = "问题情形(照“填写说明”填写名称,多项用分号分隔)"
	headNote       = "反馈意见"
	headErrors     = "错误说明"
)

// The verdicts as the file writes them.
const (
	cleanText    = "无异常"
	findingsText = "有问题"
)

// MaxRows is the most data rows Read accepts (by row number: the last row
// may be at most MaxRows+1).
const MaxRows = 200_000

// maxRows is MaxRows, lowered by tests.
var maxRows = MaxRows

func limits() xlsx.Limits {
	l := xlsx.Default
	l.Rows = maxRows
	return l
}

// sheetKeys find the queue sheet renamed: its header has these columns.
var sheetKeys = []string{headID, "结论"}

// what names the file in messages.
const what = "导出的联审任务表"

// AnnotateMaxRows is the most data rows Annotate marks up (it edits the
// sheet in memory); a larger file gets the list of errors only.
const AnnotateMaxRows = 20_000

var headers = []string{headID, headName, headSex, headIDNumber, headCommunity, headDeadline, headVerdict, headConditions, headNote}

// Row is one request of the queue as exported.
type Row struct {
	ID                             int64
	Name, Sex, IDNumber, Community string
	Deadline                       civil.Date
	Verdict                        vetting.Verdict // "" while unanswered
	Conditions                     []string
	Note                           string
}

// RowError is one bad cell of an uploaded file.
type RowError = xlsx.RowError

// Errors are the bad cells of a file: at most xlsx.MaxListed, and a count of
// the rest.
type Errors = xlsx.Errors

// Item is one answer read from a file.
type Item struct {
	Row       int
	RequestID int64
	Answer    vetting.Answer
}

func verdictText(v vetting.Verdict) string {
	switch v {
	case vetting.Clean:
		return cleanText
	case vetting.Findings:
		return findingsText
	}
	return ""
}

// parseVerdict accepts 无异常/有问题, the domain's labels and codes.
func parseVerdict(s string) (vetting.Verdict, bool) {
	switch strings.TrimSpace(s) {
	case cleanText, "无", "否", "正常":
		return vetting.Clean, true
	case findingsText, "有":
		return vetting.Findings, true
	}
	return vetting.ParseVerdict(strings.TrimSpace(s))
}

// conditionKeys find the 问题情形 column: by its words before the hint, or
// as files written before conditions were entered by name headed it.
var conditionKeys = []string{"问题情形", "问题代码"}

// Write writes department d's queue: one row per request with the columns
// a reviewer fills in (结论, 问题情形, 反馈意见), the conditions of an
// answer given written by their names; and a help sheet listing the names
// of the conditions on d's checklist (cat names them), which the 问题情形
// column also offers as a drop-down, and 结论 its two answers.
func Write(w io.Writer, d vetting.Department, cat vetting.Catalogue, rows []Row) error {
	f, err := xlsx.NewBook(sheetQueue)
	if err != nil {
		return xlsx.Failed(err)
	}
	defer f.Close()
	if err := write(f, d, cat, rows); err != nil {
		return xlsx.Failed(err)
	}
	return xlsx.Write(w, f)
}

func write(f *excelize.File, d vetting.Department, cat vetting.Catalogue, rows []Row) error {
	head, err := xlsx.HeaderStyle(f, "DDEBF7", false)
	if err != nil {
		return err
	}
	text, err := f.NewStyle(&excelize.Style{NumFmt: 49}) // "@": ID numbers stay text
	if err != nil {
		return err
	}
	day, err := xlsx.DateStyle(f, nil, xlsx.DayFormat)
	if err != nil {
		return err
	}
	sw, err := xlsx.NewStream(f, sheetQueue, len(rows)+1, []float64{10, 10, 6, 22, 18, 12, 18, 26, 40}, []int{0, 0, 0, text})
	if err != nil {
		return err
	}
	if err := sw.Header(head, headers, excelize.RowOpts{Height: 30}); err != nil {
		return err
	}
	for _, r := range rows {
		names := make([]string, len(r.Conditions))
		for i, code := range r.Conditions {
			names[i] = conditionName(cat, code)
		}
		if err := sw.Row([]any{r.ID, xlsx.CellText(r.Name), r.Sex, excelize.Cell{StyleID: text, Value: r.IDNumber}, xlsx.CellText(r.Community),
			xlsx.Day(r.Deadline, day), verdictText(r.Verdict), xlsx.CellText(strings.Join(names, ";")), xlsx.CellText(r.Note)}); err != nil {
			return err
		}
	}
	// Drop-downs, added before Flush (they belong to the streamed sheet),
	// over the queue's rows only: 结论 offers its two answers and refuses
	// others; 问题情形 offers the checklist's names from the help sheet and
	// takes anything typed (several names, which Read checks).
	help := [][]any{
		{d.Name + " 联审任务填写说明"},
		{"“结论”填“无异常”或“有问题”;留空的行不导入。"},
		{"结论为“有问题”时,“问题情形”至少填一项:填下列情形的名称(可从下拉列表选择或复制),多项用分号分隔;填了“" + conditionName(cat, vetting.OtherCondition) + "”时,须在“反馈意见”写明具体情况。"},
		{"不要修改“编号”列;上传时有任何错误则全部不导入,并在文件中标出错误。"},
		{},
		{"类别", "问题情形"},
	}
	first := len(help) + 1
	for _, code := range d.Checklist {
		c, _ := cat.Find(code)
		help = append(help, []any{c.Tier.Label(), conditionName(cat, code)})
	}
	if len(rows) > 0 {
		last := len(rows) + 1
		column := func(h string) string { c, _ := excelize.ColumnNumberToName(slices.Index(headers, h) + 1); return c }
		verdicts := excelize.NewDataValidation(true)
		verdicts.SetSqref(fmt.Sprintf("%s2:%[1]s%d", column(headVerdict), last))
		if err := verdicts.SetDropList([]string{cleanText, findingsText}); err != nil {
			return err
		}
		verdicts.SetError(excelize.DataValidationErrorStyleStop, "填写有误", "“结论”只能填“无异常”或“有问题”")
		if err := f.AddDataValidation(sheetQueue, verdicts); err != nil {
			return err
		}
		conds := excelize.NewDataValidation(true)
		conds.SetSqref(fmt.Sprintf("%s2:%[1]s%d", column(headConditions), last))
		conds.SetSqrefDropList(fmt.Sprintf("'%s'!$B$%d:$B$%d", sheetHelp, first, len(help)))
		if err := f.AddDataValidation(sheetQueue, conds); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
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
	if err := f.SetColWidth(sheetHelp, "A", "A", 22); err != nil {
		return err
	}
	return f.SetColWidth(sheetHelp, "B", "B", 80)
}

// conditionName is the name a condition is entered by: its text as the
// catalogue cat has it (what the pages show after 不得 or 不宜);
// 未列入清单的情形 for a code cat lacks.
func conditionName(cat vetting.Catalogue, code string) string {
	c, _ := cat.Find(code)
	if c.Code == "" {
		return c.Label()
	}
	return strings.TrimSpace(c.Text)
}

// conditionSep splits what is left of a 问题情形 cell once the names are
// found in it: the semicolons the help asks for, and the commas, 、, spaces
// and line breaks people type anyway.
func conditionSep(r rune) bool { return strings.ContainsRune(",,、;; \t\n\r\u3000", r) }

// conditionsIn reads a 问题情形 cell: the conditions of cat it names, in
// the order written, and what in it names none. A condition is named by
// its name, with or without its tier before it ("不得:…"), or by its code
// (files written before conditions were entered by name). Names may hold
// commas and 、 themselves, so they are found in the cell first, the longest
// first; what is left is split at separators.
func conditionsIn(cell string, cat vetting.Catalogue) (codes, unknown []string) {
	type name struct{ text, code string }
	var names []name
	for _, c := range cat {
		if t := strings.TrimSpace(c.Text); t != "" {
			names = append(names, name{c.Label(), c.Code}, name{c.Tier.Label() + ":" + t, c.Code}, name{t, c.Code})
		}
	}
	slices.SortStableFunc(names, func(a, b name) int { return len(b.text) - len(a.text) })
	type hit struct {
		at   int
		code string
	}
	var hits []hit
	used := make([]bool, len(cell))
	for _, n := range names {
		for from := 0; from < len(cell); {
			i := strings.Index(cell[from:], n.text)
			if i < 0 {
				break
			}
			i += from
			end := i + len(n.text)
			if slices.Contains(used[i:end], true) {
				from = i + 1
				continue
			}
			for j := i; j < end; j++ {
				used[j] = true
			}
			hits = append(hits, hit{i, n.code})
			from = end
		}
	}
	// The rest, word by word: a code, or a name of none.
	for start, i := -1, 0; i <= len(cell); {
		r, size := utf8.RuneError, 1
		if i < len(cell) {
			r, size = utf8.DecodeRuneInString(cell[i:])
		}
		gap := i == len(cell) || used[i] || conditionSep(r)
		switch {
		case !gap && start < 0:
			start = i
		case gap && start >= 0:
			word := cell[start:i]
			if c, ok := cat.Find(strings.ToLower(word)); ok {
				hits = append(hits, hit{start, c.Code})
			} else if t := strings.TrimRight(word, "::"); t != vetting.TierBarred.Label() && t != vetting.TierUnsuitable.Label() {
				unknown = append(unknown, word)
			}
			start = -1
		}
		i += size
	}
	slices.SortStableFunc(hits, func(a, b hit) int { return a.at - b.at })
	for _, h := range hits {
		if !slices.Contains(codes, h.code) {
			codes = append(codes, h.code)
		}
	}
	return codes, unknown
}

// Read parses a filled queue of department d, whose conditions cat names.
// Rows with an empty 结论 are skipped. Every bad cell becomes a RowError: an
// id that is not a request (owner gives the department of each id that
// exists), a request of another department or twice in the file, a verdict
// other than 无异常/有问题, a condition that is none of cat's or not on d's
// checklist, findings without conditions, a clean answer with conditions,
// the catch-all without a note. Conditions are read by name (or by code,
// as files written before names were used have them; see conditionsIn).
// With any RowError no item is returned: the caller applies all or
// nothing. The error is non-nil for an unreadable file (unprocessable) or a
// failing owner.
func Read(r io.Reader, d vetting.Department, cat vetting.Catalogue, owner func(ids []int64) (map[int64]string, error)) ([]Item, Errors, error) {
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
	sheet, err := xlsx.Sheet(f, sheetQueue, what, sheetKeys...)
	if err != nil {
		return nil, Errors{}, err
	}
	col := map[string]int{}
	var header xlsx.Header
	type raw struct {
		row                      int
		id, verdict, conds, note string
	}
	var data []raw
	var rowErrs Errors
	bad := func(row int, column, reason string) {
		c := 0
		if i, ok := col[column]; ok {
			c = i + 1
			column = header.Name(i) // as the file has it, retyped or not
		}
		rowErrs.Add(RowError{Row: row, Column: column, Reason: reason, Col: c})
	}
	// Cells are read as stored: an 编号 formatted "0.00" is 8706, not "8706.00".
	err = xlsx.Each(f, sheet, lim, true, func(n int, cells []string) error {
		get := func(h string) string {
			if i, ok := col[h]; ok && i < len(cells) {
				return strings.TrimSpace(cells[i])
			}
			return ""
		}
		if n == 1 {
			header = xlsx.NewHeader(cells)
			for _, h := range []string{headID, headVerdict, headConditions, headNote} {
				// A header is found by its words before the hint in brackets,
				// so one retyped without the hint, or with other brackets, is found.
				keys := []string{h}
				if h == headConditions {
					keys = conditionKeys
				} else if i := strings.IndexAny(h, "(("); i > 0 {
					keys = []string{h[:i]}
				}
				i := -1
				for _, k := range keys {
					if i = header.Prefix(k); i >= 0 {
						break
					}
				}
				if i >= 0 {
					col[h] = i
				} else {
					bad(1, h, "缺少“"+h+"”列,请使用导出的联审任务表")
				}
			}
			if rowErrs.Total > 0 {
				return errHeader
			}
			return nil
		}
		v := raw{row: n, id: get(headID), verdict: get(headVerdict), conds: get(headConditions), note: get(headNote)}
		if v.verdict == "" && v.conds == "" && v.note == "" {
			return nil // not answered
		}
		data = append(data, v)
		return nil
	})
	switch {
	case errors.Is(err, errHeader):
		return nil, rowErrs, nil
	case err != nil:
		return nil, Errors{}, err
	}
	ids := make([]int64, 0, len(data))
	parsed := make([]int64, len(data))
	for i, v := range data {
		if id := parseID(v.id); id > 0 {
			parsed[i] = id
			ids = append(ids, id)
		}
	}
	owners, err := owner(ids)
	if err != nil {
		return nil, Errors{}, err
	}
	seen := map[int64]int{}
	items := make([]Item, 0, len(data))
	for i, v := range data {
		bad := func(column, reason string) { bad(v.row, column, reason) }
		id := parsed[i]
		switch dept, ok := owners[id]; {
		case id == 0:
			bad(headID, "编号“"+v.id+"”无效,请不要修改编号列")
		case !ok:
			bad(headID, "没有编号为 "+v.id+" 的联审任务")
		case dept != d.Code:
			bad(headID, "编号 "+v.id+" 不是本部门("+d.Name+")的联审任务")
		case seen[id] > 0:
			bad(headID, fmt.Sprintf("编号 %d 与第%d行重复", id, seen[id]))
		}
		if id > 0 && seen[id] == 0 {
			seen[id] = v.row
		}
		verdict, ok := parseVerdict(v.verdict)
		if !ok {
			if v.verdict == "" {
				bad(headVerdict, "请填写结论:无异常或有问题")
			} else {
				bad(headVerdict, "结论“"+v.verdict+"”无效,只能填“无异常”或“有问题”")
			}
			continue
		}
		codes, unknown := conditionsIn(v.conds, cat)
		a := vetting.Answer{Verdict: verdict, Note: v.note, Conditions: codes}
		for _, w := range unknown {
			bad(headConditions, "问题情形“"+short(w)+"”不是清单中的情形,请照“填写说明”填写情形名称,多项用分号分隔")
		}
		for _, c := range codes {
			if !d.Checks(c) {
				bad(headConditions, "问题情形“"+short(conditionName(cat, c))+"”不在"+d.Name+"的审查清单内(见“填写说明”)")
			}
		}
		// The rules of vetting.Answer.Validate, said in the file's words:
		// the page's checkboxes are the 问题情形 column here.
		switch {
		case len(unknown) > 0:
		case verdict == vetting.Clean && len(a.Conditions) > 0:
			bad(headConditions, "结论为“无异常”时“问题情形”须留空")
		case verdict == vetting.Findings && len(a.Conditions) == 0:
			bad(headConditions, "结论为“有问题”时“问题情形”至少填一项(见“填写说明”)")
		case verdict == vetting.Findings && slices.Contains(a.Conditions, vetting.OtherCondition) && strings.TrimSpace(a.Note) == "":
			bad(headNote, "问题情形填了“"+conditionName(cat, vetting.OtherCondition)+"”时,须在“反馈意见”中写明具体情况")
		default:
			if err := a.Validate(d); err != nil && !strings.Contains(errs.MessageOf(err), "不在") {
				column := headConditions
				if errs.FieldOf(err) == "note" {
					column = headNote
				}
				bad(column, errs.MessageOf(err))
			}
		}
		items = append(items, Item{Row: v.row, RequestID: id, Answer: a})
	}
	if rowErrs.Total > 0 {
		return nil, rowErrs, nil
	}
	return items, Errors{}, nil
}

var errHeader = errors.New("header incomplete")

// short quotes at most 20 characters of what the user typed.
func short(s string) string {
	if utf8.RuneCountInString(s) <= 20 {
		return s
	}
	return string([]rune(s)[:20]) + "…"
}

// parseID reads an 编号 as stored: a whole number, written by a spreadsheet
// as 8706 or 8706.0 or 8.706E3; 0 when it is not one.
func parseID(s string) int64 {
	s = strings.TrimSpace(s)
	if id, err := strconv.ParseInt(s, 10, 64); err == nil {
		return max(id, 0)
	}
	x, err := strconv.ParseFloat(s, 64)
	if err != nil || x < 1 || x > 1<<53 || x != math.Trunc(x) {
		return 0
	}
	return int64(x)
}

// Annotate writes back the uploaded workbook with the errors (see
// xlsx.Annotation.Annotate): a last column 错误说明 with each row's reasons,
// and every bad cell filled light red.
func Annotate(w io.Writer, original []byte, rowErrs Errors) error {
	a := xlsx.Annotation{Limits: limits(), Sheet: sheetQueue, Keys: sheetKeys, What: what, MaxRows: AnnotateMaxRows}
	return a.Annotate(w, original, rowErrs)
}
