// Package registerxls moves a community's registers (issue 15, point 1) in
// and out of Excel: the residents' voter register (选民名单) and the party
// organisation's members (党员名单). It writes the template of either, reads
// a filled one back with an error for every bad cell (the domain's rules,
// election.Voter.Validate and election.PartyMember.Validate, said in the
// file's words, and no one twice), writes those errors back into the
// uploaded file, and writes the register as published. It knows the xlsx
// format and the election domain, nothing of SQL or HTTP. Modelled on
// internal/recxls.
package registerxls

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/election"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/xlsx"
)

// Kind is which register a workbook holds.
type Kind int

// The two registers.
const (
	Residents Kind = iota // 选民名单
	Party                 // 党员名单
)

// Column headers.
const (
	headName    = "姓名"
	headSex     = "性别"
	headBirth   = "出生日期"
	headGroup   = "居民小组或户"
	headKind    = "登记类型"
	headStatus  = "党员状态"
	headExcused = "请假原因"
	headNo      = "序号"
	headBirthYr = "出生年份"
)

func (k Kind) sheet() string {
	if k == Party {
		return "党员名单"
	}
	return "选民名单"
}

func (k Kind) headers() []string {
	if k == Party {
		return []string{headName, headSex, headBirth, headStatus, headExcused}
	}
	return []string{headName, headSex, headBirth, headGroup, headKind}
}

// what names the file in messages.
func (k Kind) what() string { return k.sheet() + "模板" }

// keys find the data sheet renamed: its header has these columns.
func (k Kind) keys() []string { return []string{headName, k.headers()[3]} }

// MaxRows is the most data rows Read accepts: a community's register is a
// few thousand voters (a residents' committee serves 100 to 700 households).
const MaxRows = 20000

func limits() xlsx.Limits {
	l := xlsx.Default
	l.Rows = MaxRows
	return l
}

// blankRows are the empty rows the template's drop-downs cover.
const blankRows = 3000

// RowError is one bad cell of an uploaded file.
type RowError = xlsx.RowError

// Errors are the bad cells of a file.
type Errors = xlsx.Errors

// WriteTemplate writes the empty template of register k of community name:
// the headers, drop-downs for the coded columns, and a help sheet with the
// rules.
func WriteTemplate(w io.Writer, k Kind, name string) error {
	f, err := xlsx.NewBook(k.sheet())
	if err != nil {
		return xlsx.Failed(err)
	}
	defer f.Close()
	if err := writeTemplate(f, k, name); err != nil {
		return xlsx.Failed(err)
	}
	return xlsx.Write(w, f)
}

func writeTemplate(f *excelize.File, k Kind, name string) error {
	head, err := xlsx.HeaderStyle(f, "DDEBF7", false)
	if err != nil {
		return err
	}
	day, err := xlsx.DateStyle(f, nil, xlsx.DayFormat)
	if err != nil {
		return err
	}
	sw, err := xlsx.NewStream(f, k.sheet(), 1, []float64{12, 8, 14, 24, 36}, []int{0, 0, day})
	if err != nil {
		return err
	}
	if err := sw.Header(head, k.headers(), excelize.RowOpts{Height: 24}); err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	coded := headKind
	choices := labels(election.Registrations)
	if k == Party {
		coded, choices = headStatus, labels(election.PartyStatuses)
	}
	for _, d := range []struct {
		head string
		list []string
	}{{headSex, []string{"男", "女"}}, {coded, choices}} {
		c, _ := excelize.ColumnNumberToName(slices.Index(k.headers(), d.head) + 1)
		dv := excelize.NewDataValidation(true)
		dv.SetSqref(fmt.Sprintf("%s2:%[1]s%d", c, blankRows+1))
		if err := dv.SetDropList(d.list); err != nil {
			return err
		}
		dv.SetError(excelize.DataValidationErrorStyleStop, "填写有误", "“"+d.head+"”只能填:"+strings.Join(d.list, "、"))
		if err := f.AddDataValidation(k.sheet(), dv); err != nil {
			return err
		}
	}
	help := [][]any{{name + " " + k.sheet() + "填写说明"}}
	if k == Residents {
		help = append(help,
			[]any{"每行一名选民。姓名、性别、出生日期、登记类型必填;居民小组或户选填。"},
			[]any{"选民须在居民委员会选举日年满18周岁;同一姓名和出生日期的人只能登记一次(名单上已有的也不能再登记)。"},
			[]any{"登记类型三种:" + strings.Join(choices, ";") + "。"},
			[]any{"名单公布后不能再导入,只能通过异议答复增减选民。"})
	} else {
		help = append(help,
			[]any{"每行一名党员。姓名、性别、出生日期、党员状态必填。"},
			[]any{"只有正式党员有表决权;预备党员、受留党察看处分的党员没有表决权;被留置或逮捕的党员停止行使表决权。"},
			[]any{"有表决权的党员因故不能到会的,填写请假原因,不计入应到会人数。"})
	}
	help = append(help, []any{"出生日期写成 1980-03-15 这样的年-月-日。有任何一处错误则全部不导入,并在文件中标出错误。"})
	if _, err := f.NewSheet("填写说明"); err != nil {
		return err
	}
	for i, row := range help {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("填写说明", cell, &row); err != nil {
			return err
		}
	}
	return f.SetColWidth("填写说明", "A", "A", 100)
}

// row is one data row being read: its cells by header.
type row struct {
	n        int
	get      func(string) string
	date1904 bool // the file's date system
}

// read walks the data rows of an uploaded register k, calling fn on each
// filled row; bad cells go to add. The error is non-nil for an unreadable
// file; a missing column is a bad cell of row 1.
func read(r io.Reader, k Kind, fn func(row, func(column, reason string)) error) (Errors, error) {
	var out Errors
	b, err := io.ReadAll(r)
	if err != nil {
		return out, errs.Wrap(err, errs.Unprocessable, "读取上传的文件失败,请重新上传")
	}
	lim := limits()
	f, err := xlsx.Open(b, lim, k.what())
	if err != nil {
		return out, err
	}
	defer f.Close()
	sheet, err := xlsx.Sheet(f, k.sheet(), k.what(), k.keys()...)
	if err != nil {
		return out, err
	}
	props, _ := f.GetWorkbookProps()
	date1904 := props.Date1904 != nil && *props.Date1904
	col := map[string]int{}
	var header xlsx.Header
	errHeader := errors.New("header")
	err = xlsx.Each(f, sheet, lim, true, func(n int, cells []string) error {
		bad := func(column, reason string) {
			c := 0
			if i, ok := col[column]; ok {
				c = i + 1
				column = header.Name(i)
			}
			out.Add(RowError{Row: n, Column: column, Reason: reason, Col: c})
		}
		if n == 1 {
			header = xlsx.NewHeader(cells)
			for _, h := range k.headers() {
				if i := header.Prefix(h); i >= 0 {
					col[h] = i
				} else if h != headGroup && h != headExcused {
					bad(h, "缺少“"+h+"”列,请使用下载的"+k.what())
				}
			}
			if out.Total > 0 {
				return errHeader
			}
			return nil
		}
		if xlsx.Blank(cells) {
			return nil
		}
		get := func(h string) string {
			if i, ok := col[h]; ok && i < len(cells) {
				return strings.TrimSpace(cells[i])
			}
			return ""
		}
		return fn(row{n: n, get: get, date1904: date1904}, bad)
	})
	if errors.Is(err, errHeader) {
		err = nil
	}
	return out, err
}

// column names the column a domain field is read from.
var column = map[string]string{"name": headName, "sex": headSex, "birth_date": headBirth, "group": headGroup, "kind": headKind,
	"status": headStatus, "excused": headExcused}

func cellOf(err error) (string, string) {
	c := column[errs.FieldOf(err)]
	if c == "" {
		c = headName
	}
	return c, errs.MessageOf(err)
}

func short(s string) string {
	if utf8.RuneCountInString(s) <= 20 {
		return s
	}
	return string([]rune(s)[:20]) + "…"
}

func birth(x row, bad func(string, string)) (civil.Date, bool) {
	v := x.get(headBirth)
	d, ok := xlsx.ParseDay(v, x.date1904)
	if !ok {
		if v == "" {
			bad(headBirth, "请填写出生日期")
		} else {
			bad(headBirth, "出生日期“"+short(v)+"”无效,应写成 1980-03-15 这样的年-月-日")
		}
	}
	return d, ok
}

// ReadVoters parses a filled voter register for the residents' election on
// electionDay, against the standing voters' keys (election.Voter.Key) of
// on. It returns the voters in the order of their rows; with any bad cell
// (a rule of election.Voter.Validate, a kind not one of the three, a person
// on the register or twice in the file) none, and every bad cell. The
// error is non-nil for an unreadable file.
func ReadVoters(r io.Reader, electionDay civil.Date, on map[string]int64) ([]election.Voter, Errors, error) {
	var out []election.Voter
	inFile := map[string]int{}
	list, err := read(r, Residents, func(x row, bad func(string, string)) error {
		v := election.Voter{Name: x.get(headName), Sex: x.get(headSex), Group: x.get(headGroup)}
		var okDay bool
		v.BirthDate, okDay = birth(x, bad)
		kind, okKind := election.ParseRegistration(x.get(headKind))
		if !okKind {
			bad(headKind, "请填写登记类型:"+strings.Join(labels(election.Registrations), ";"))
		}
		v.Kind = kind
		if !okDay || !okKind {
			return nil
		}
		if err := v.Validate(electionDay); err != nil {
			bad(cellOf(err))
			return nil
		}
		if err := election.Twice(v, on); err != nil {
			bad(cellOf(err))
			return nil
		}
		if first, dup := inFile[v.Key()]; dup {
			bad(headName, fmt.Sprintf("%s(出生于%s)已在第%d行填写,同一人不能重复登记", v.Name, v.BirthDate, first))
			return nil
		}
		inFile[v.Key()] = x.n
		out = append(out, v)
		return nil
	})
	if err != nil || list.Total > 0 {
		return nil, list, err
	}
	return out, list, nil
}

// ReadPartyMembers parses a filled list of party members as of today,
// against the members' keys (name|birth date) already listed (on). As
// ReadVoters, all or none.
func ReadPartyMembers(r io.Reader, today civil.Date, on map[string]bool) ([]election.PartyMember, Errors, error) {
	var out []election.PartyMember
	inFile := map[string]int{}
	list, err := read(r, Party, func(x row, bad func(string, string)) error {
		m := election.PartyMember{Name: x.get(headName), Sex: x.get(headSex), Excused: x.get(headExcused)}
		var okDay bool
		m.BirthDate, okDay = birth(x, bad)
		status, okStatus := election.ParsePartyStatus(x.get(headStatus))
		if !okStatus {
			bad(headStatus, "请填写党员状态:"+strings.Join(labels(election.PartyStatuses), ";"))
		}
		m.Status = status
		if !okDay || !okStatus {
			return nil
		}
		if err := m.Validate(today); err != nil {
			bad(cellOf(err))
			return nil
		}
		key := m.Name + "|" + string(m.BirthDate)
		if on[key] {
			bad(headName, m.Name+"(出生于"+m.BirthDate.String()+")已在党员名单上")
			return nil
		}
		if first, dup := inFile[key]; dup {
			bad(headName, fmt.Sprintf("%s(出生于%s)已在第%d行填写", m.Name, m.BirthDate, first))
			return nil
		}
		inFile[key] = x.n
		out = append(out, m)
		return nil
	})
	if err != nil || list.Total > 0 {
		return nil, list, err
	}
	return out, list, nil
}

func labels[T interface{ Label() string }](list []T) []string {
	out := make([]string, len(list))
	for i, x := range list {
		out[i] = x.Label()
	}
	return out
}

// Annotate writes back an uploaded register k with its errors (see
// xlsx.Annotation.Annotate).
func Annotate(w io.Writer, k Kind, original []byte, rowErrs Errors) error {
	a := xlsx.Annotation{Limits: limits(), Sheet: k.sheet(), Keys: k.keys(), What: k.what(), MaxRows: MaxRows}
	return a.Annotate(w, original, rowErrs)
}

// WritePublished writes the register as it is posted (选民榜): its
// number, name, sex, group and kind, and the year of birth only (the full
// date is not posted), voters in the page's order.
func WritePublished(w io.Writer, voters []election.Voter) error {
	cols := []xlsx.Column{{Head: headNo, Width: 8}, {Head: headName, Width: 12}, {Head: headSex, Width: 8},
		{Head: headBirthYr, Width: 10}, {Head: headGroup, Width: 20}, {Head: headKind, Width: 36}}
	return xlsx.Table(w, "选民名单", cols, len(voters), func(i int) []any {
		v := voters[i]
		year := ""
		if len(v.BirthDate) >= 4 {
			year = string(v.BirthDate[:4])
		}
		return []any{i + 1, v.Name, v.Sex, year, v.Group, v.Kind.Label()}
	})
}
