// Package reviewxls moves a vetting department's queue of joint-review
// requests (联审任务) in and out of Excel: the export its reviewers fill in
// offline, reading the filled file back with an error for every bad cell,
// and writing those errors back into the uploaded file. It knows the xlsx
// format and the vetting domain, nothing of SQL or HTTP. Modelled on
// internal/assessxls.
package reviewxls

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/vetting"
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
	headConditions = "问题代码(多个用逗号分隔)"
	headNote       = "反馈意见"
	headErrors     = "错误说明"
)

// The verdicts as the file writes them.
const (
	cleanText    = "无异常"
	findingsText = "有问题"
)

// MaxRows is the most data rows Read accepts.
const MaxRows = 200_000

// maxUnzipped bounds the unpacked size of an upload.
const maxUnzipped = 1 << 30

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
type RowError struct {
	Row    int    // as Excel shows it; the header is row 1
	Column string // the column's header
	Reason string // Chinese, safe to show
}

// String reads like "第3行“结论”:……".
func (e RowError) String() string {
	return fmt.Sprintf("第%d行“%s”:%s", e.Row, e.Column, e.Reason)
}

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

// Write writes department d's queue: one row per request with the columns
// a reviewer fills in (结论, 问题代码, 反馈意见), and a help sheet listing
// the condition codes of d's checklist.
func Write(w io.Writer, d vetting.Department, cat vetting.Catalogue, rows []Row) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", sheetQueue); err != nil {
		return err
	}
	head, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}})
	if err != nil {
		return err
	}
	text, err := f.NewStyle(&excelize.Style{NumFmt: 49}) // "@": ID numbers stay text
	if err != nil {
		return err
	}
	for i, width := range []float64{10, 10, 6, 22, 18, 12, 18, 26, 40} {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(sheetQueue, col, col, width); err != nil {
			return err
		}
	}
	if err := f.SetColStyle(sheetQueue, "D", text); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheetQueue)
	if err != nil {
		return err
	}
	cells := make([]any, len(headers))
	for i, h := range headers {
		cells[i] = excelize.Cell{StyleID: head, Value: h}
	}
	if err := sw.SetRow("A1", cells, excelize.RowOpts{Height: 30}); err != nil {
		return err
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, []any{r.ID, r.Name, r.Sex, excelize.Cell{StyleID: text, Value: r.IDNumber}, r.Community,
			r.Deadline, verdictText(r.Verdict), strings.Join(r.Conditions, ","), r.Note}); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	if _, err := f.NewSheet(sheetHelp); err != nil {
		return err
	}
	help := [][]any{
		{d.Name + " 联审任务填写说明"},
		{"“结论”填“无异常”或“有问题”;留空的行不导入。"},
		{"结论为“有问题”时,“问题代码”至少填一项,多个用逗号分隔;勾选 other 时须在“反馈意见”写明具体情况。"},
		{"不要修改“编号”列;上传时有任何错误则全部不导入,并在文件中标出错误。"},
		{},
		{"问题代码", "情形"},
	}
	for _, code := range d.Checklist {
		label := code
		if c, ok := cat.Find(code); ok {
			label = c.Label()
		}
		help = append(help, []any{code, label})
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
	if err := f.SetColWidth(sheetHelp, "B", "B", 80); err != nil {
		return err
	}
	_, err = f.WriteTo(w)
	return err
}

func openWorkbook(b []byte) (*excelize.File, error) {
	f, err := excelize.OpenReader(bytes.NewReader(b), excelize.Options{UnzipSizeLimit: maxUnzipped})
	if err != nil {
		if f != nil {
			_ = f.Close()
		}
		if errors.Is(err, excelize.ErrWorkbookFileFormat) {
			return nil, errs.Wrap(err, errs.Unprocessable, "无法读取该文件:请上传 .xlsx 格式的联审任务表")
		}
		return nil, errs.Wrap(err, errs.Unprocessable, "无法读取该文件:请上传导出的联审任务表(.xlsx)")
	}
	return f, nil
}

func dataSheet(f *excelize.File) (string, error) {
	list := f.GetSheetList()
	if len(list) == 0 {
		return "", errs.New(errs.Unprocessable, "文件中没有工作表,请使用导出的联审任务表填写")
	}
	for _, s := range list {
		if s == sheetQueue {
			return s, nil
		}
	}
	return list[0], nil
}

// Read parses a filled queue of department d. Rows with an empty 结论 are
// skipped. Every bad cell becomes a RowError: an id that is not a request
// (owner gives the department of each id that exists), a request of another
// department or twice in the file, a verdict other than 无异常/有问题, a
// condition not on d's checklist, findings without conditions, a clean
// answer with conditions, the catch-all without a note. With any RowError no
// item is returned: the caller applies all or nothing. The error is non-nil
// for an unreadable file (unprocessable) or a failing owner.
func Read(r io.Reader, d vetting.Department, owner func(ids []int64) (map[int64]string, error)) ([]Item, []RowError, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, nil, errs.Wrap(err, errs.Unprocessable, "读取上传的文件失败,请重新上传")
	}
	f, err := openWorkbook(b)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	sheet, err := dataSheet(f)
	if err != nil {
		return nil, nil, err
	}
	rows, err := f.Rows(sheet)
	if err != nil {
		return nil, nil, errs.Wrap(err, errs.Unprocessable, "无法读取该文件,请检查后重新上传")
	}
	defer rows.Close()
	col := map[string]int{}
	type raw struct {
		row                      int
		id, verdict, conds, note string
	}
	var data []raw
	var rowErrs []RowError
	n := 0
	for rows.Next() {
		n++
		cells, err := rows.Columns()
		if err != nil {
			return nil, nil, errs.Wrap(err, errs.Unprocessable, "无法读取该文件,请检查后重新上传")
		}
		get := func(h string) string {
			if i, ok := col[h]; ok && i < len(cells) {
				return strings.TrimSpace(cells[i])
			}
			return ""
		}
		if n == 1 {
			for i, c := range cells {
				c = strings.TrimSpace(c)
				for _, h := range []string{headID, headVerdict, headConditions, headNote} {
					key, _, _ := strings.Cut(h, "(")
					if _, seen := col[h]; !seen && strings.HasPrefix(c, key) {
						col[h] = i
					}
				}
			}
			for _, h := range []string{headID, headVerdict, headConditions, headNote} {
				if _, ok := col[h]; !ok {
					rowErrs = append(rowErrs, RowError{1, h, "缺少“" + h + "”列,请使用导出的联审任务表"})
				}
			}
			if len(rowErrs) > 0 {
				return nil, rowErrs, nil
			}
			continue
		}
		if len(data) >= MaxRows {
			return nil, nil, errs.Newf(errs.Unprocessable, "文件超过%d行,请分批上传", MaxRows)
		}
		v := raw{row: n, id: get(headID), verdict: get(headVerdict), conds: get(headConditions), note: get(headNote)}
		if v.verdict == "" && v.conds == "" && v.note == "" {
			continue // not answered
		}
		data = append(data, v)
	}
	if err := rows.Error(); err != nil {
		return nil, nil, errs.Wrap(err, errs.Unprocessable, "无法读取该文件,请检查后重新上传")
	}
	ids := make([]int64, 0, len(data))
	parsed := make([]int64, len(data))
	for i, v := range data {
		id, err := strconv.ParseInt(strings.TrimSuffix(v.id, ".0"), 10, 64)
		if err == nil && id > 0 {
			parsed[i] = id
			ids = append(ids, id)
		}
	}
	owners, err := owner(ids)
	if err != nil {
		return nil, nil, err
	}
	seen := map[int64]int{}
	items := make([]Item, 0, len(data))
	for i, v := range data {
		bad := func(column, reason string) { rowErrs = append(rowErrs, RowError{v.row, column, reason}) }
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
		a := vetting.Answer{Verdict: verdict, Note: v.note,
			Conditions: strings.FieldsFunc(v.conds, func(r rune) bool { return r == ',' || r == '，' || r == '、' || r == ';' || r == ' ' })}
		for _, c := range a.Conditions {
			if !d.Checks(c) {
				bad(headConditions, "问题代码 "+c+" 不在"+d.Name+"的审查清单内(见“填写说明”)")
			}
		}
		if err := a.Validate(d); err != nil && !strings.Contains(errs.MessageOf(err), "不在") {
			column := headConditions
			if errs.FieldOf(err) == "note" {
				column = headNote
			}
			bad(column, errs.MessageOf(err))
		}
		items = append(items, Item{Row: v.row, RequestID: id, Answer: a})
	}
	if len(rowErrs) > 0 {
		return nil, rowErrs, nil
	}
	return items, nil, nil
}

// markColor is Excel's light red for "bad".
const markColor = "FFC7CE"

// Annotate writes back the uploaded workbook with the errors: a last column
// 错误说明 with each row's reasons, and every bad cell filled light red.
func Annotate(w io.Writer, original []byte, rowErrs []RowError) error {
	f, err := openWorkbook(original)
	if err != nil {
		return err
	}
	defer f.Close()
	sheet, err := dataSheet(f)
	if err != nil {
		return err
	}
	cols, err := f.GetCols(sheet)
	if err != nil {
		return errs.Wrap(err, errs.Unprocessable, "无法读取该文件")
	}
	heads := map[string]int{}
	errCol := len(cols) + 1
	for i, c := range cols {
		if len(c) > 0 {
			h := strings.TrimSpace(c[0])
			if strings.HasPrefix(h, headErrors) {
				errCol = i + 1
			}
			if _, ok := heads[h]; !ok {
				heads[h] = i + 1
			}
		}
	}
	red, err := f.NewStyle(&excelize.Style{Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{markColor}}})
	if err != nil {
		return err
	}
	note, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Color: "9C0006"}, Alignment: &excelize.Alignment{WrapText: true}})
	if err != nil {
		return err
	}
	// Clear an earlier annotation.
	if errCol <= len(cols) {
		for r := 2; r <= len(cols[errCol-1]); r++ {
			cell, _ := excelize.CoordinatesToCellName(errCol, r)
			f.SetCellValue(sheet, cell, nil)
		}
	}
	reasons := map[int][]string{}
	var order []int
	for _, e := range rowErrs {
		if _, ok := reasons[e.Row]; !ok {
			order = append(order, e.Row)
		}
		reasons[e.Row] = append(reasons[e.Row], e.Reason)
		if c, ok := heads[e.Column]; ok {
			cell, _ := excelize.CoordinatesToCellName(c, e.Row)
			if err := f.SetCellStyle(sheet, cell, cell, red); err != nil {
				return err
			}
		}
	}
	head, _ := excelize.CoordinatesToCellName(errCol, 1)
	if err := f.SetCellValue(sheet, head, headErrors); err != nil {
		return err
	}
	for _, row := range order {
		if row == 1 {
			continue
		}
		cell, _ := excelize.CoordinatesToCellName(errCol, row)
		if err := f.SetCellValue(sheet, cell, strings.Join(reasons[row], ";")); err != nil {
			return err
		}
		if err := f.SetCellStyle(sheet, cell, cell, note); err != nil {
			return err
		}
	}
	name, _ := excelize.ColumnNumberToName(errCol)
	if err := f.SetColWidth(sheet, name, name, 60); err != nil {
		return err
	}
	_, err = f.WriteTo(w)
	return err
}
