// Package visitxls moves a community's visit registers (issue 16, point 1)
// in and out of Excel: its households (走访户名单) and its party members and
// residents' representatives (谈话对象名单). It writes the template of
// either, reads a filled one back with an error for every bad cell (the
// rules of visit.Household.Validate and visit.Person.Validate said in the
// file's words, and no one twice), writes those errors back into the
// uploaded file, and writes the household register. It knows the xlsx
// format and the visit domain, nothing of SQL or HTTP. Modelled on
// internal/registerxls.
package visitxls

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/visit"
	"github.com/huanjie/huanjie/internal/xlsx"
)

// Kind is which register a workbook holds.
type Kind int

// The two registers.
const (
	Households Kind = iota // 走访户名单
	People                 // 谈话对象名单 (党员、居民代表)
)

const (
	headAddress = "住址"
	headHead    = "户主"
	headSize    = "人口"
	headPhone   = "联系电话"
	headGroup   = "居民小组或楼栋网格"
	headKind    = "类别"
	headName    = "姓名"
	headNo      = "序号"
)

func (k Kind) sheet() string {
	if k == People {
		return "谈话对象名单"
	}
	return "走访户名单"
}

func (k Kind) headers() []string {
	if k == People {
		return []string{headKind, headName, headGroup, headPhone}
	}
	return []string{headAddress, headHead, headSize, headPhone, headGroup}
}

func (k Kind) required() []string {
	if k == People {
		return []string{headKind, headName}
	}
	return []string{headAddress, headHead, headSize}
}

func (k Kind) what() string { return k.sheet() + "模板" }

func (k Kind) keys() []string { return k.required() }

func limits() xlsx.Limits {
	l := xlsx.Default
	l.Rows = visit.MaxImportRows
	return l
}

// RowError is one bad cell of an uploaded file.
type RowError = xlsx.RowError

// Errors are the bad cells of a file.
type Errors = xlsx.Errors

// WriteTemplate writes the empty template of register k of community name:
// the headers, a drop-down for the people's kind and a help sheet.
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
	sw, err := xlsx.NewStream(f, k.sheet(), 1, []float64{30, 12, 8, 16, 20}, nil)
	if err != nil {
		return err
	}
	if err := sw.Header(head, k.headers(), excelize.RowOpts{Height: 24}); err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	help := [][]any{{name + " " + k.sheet() + "填写说明"}}
	if k == People {
		kinds := []string{visit.PartyMember.Label(), visit.Representative.Label()}
		dv := excelize.NewDataValidation(true)
		dv.SetSqref("A2:A3001")
		if err := dv.SetDropList(kinds); err != nil {
			return err
		}
		dv.SetError(excelize.DataValidationErrorStyleStop, "填写有误", "“类别”只能填:"+strings.Join(kinds, "、"))
		if err := f.AddDataValidation(k.sheet(), dv); err != nil {
			return err
		}
		help = append(help,
			[]any{"每行一人。类别(党员或居民代表)和姓名必填;居民小组或楼栋网格、联系电话选填。"},
			[]any{"同一类别、同一小组中同名的人只能登记一次。现任两委成员已在平台中,不必填写。"})
	} else {
		help = append(help,
			[]any{"每行一户。住址、户主、人口必填;联系电话、居民小组或楼栋网格选填。"},
			[]any{"同一住址只能登记一户;人口为1到30人。联系电话只保存加密后的号码,列表中只显示部分号码。"})
	}
	help = append(help, []any{"有任何一处错误则全部不导入,并在文件中标出错误。"})
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

// read walks the filled rows of an uploaded register k, calling fn on each;
// bad cells go to the returned list. The error is non-nil for an
// unreadable file; a missing column is a bad cell of row 1.
func read(r io.Reader, k Kind, fn func(n int, get func(string) string, bad func(column, reason string))) (Errors, error) {
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
				}
			}
			for _, h := range k.required() {
				if _, ok := col[h]; !ok {
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
		fn(n, get, bad)
		return nil
	})
	if errors.Is(err, errHeader) {
		err = nil
	}
	return out, err
}

var column = map[string]string{"address": headAddress, "head": headHead, "size": headSize, "phone": headPhone,
	"group": headGroup, "kind": headKind, "name": headName}

func cellOf(err error, fallback string) (string, string) {
	c := column[errs.FieldOf(err)]
	if c == "" {
		c = fallback
	}
	return c, errs.MessageOf(err)
}

// ReadHouseholds parses a filled household register against the addresses
// already on it (on). It returns the households in the order of their
// rows; with any bad cell none, and every bad cell. The error is non-nil
// for an unreadable file.
func ReadHouseholds(r io.Reader, on map[string]bool) ([]visit.Household, Errors, error) {
	var out []visit.Household
	inFile := map[string]int{}
	list, err := read(r, Households, func(n int, get func(string) string, bad func(string, string)) {
		h := visit.Household{Address: get(headAddress), Head: get(headHead), Phone: get(headPhone), Group: get(headGroup)}
		size, err := strconv.Atoi(get(headSize))
		if err != nil {
			bad(headSize, "人口应为1到30的整数")
			return
		}
		h.Size = size
		if err := h.Validate(); err != nil {
			bad(cellOf(err, headAddress))
			return
		}
		if on[h.Key()] {
			bad(headAddress, "住址“"+h.Address+"”已登记")
			return
		}
		if first, dup := inFile[h.Key()]; dup {
			bad(headAddress, fmt.Sprintf("住址“%s”已在第%d行填写", h.Address, first))
			return
		}
		inFile[h.Key()] = n
		out = append(out, h)
	})
	if err != nil || list.Total > 0 {
		return nil, list, err
	}
	return out, list, nil
}

// ReadPeople parses a filled register of party members and representatives
// against the keys (visit.Person.Key) already on it. As ReadHouseholds, all
// or none.
func ReadPeople(r io.Reader, on map[string]bool) ([]visit.Person, Errors, error) {
	var out []visit.Person
	inFile := map[string]int{}
	list, err := read(r, People, func(n int, get func(string) string, bad func(string, string)) {
		kind, ok := visit.ParsePersonKind(get(headKind))
		if !ok {
			bad(headKind, "类别只能填党员或居民代表")
			return
		}
		p := visit.Person{Kind: kind, Name: get(headName), Group: get(headGroup), Phone: get(headPhone)}
		if err := p.Validate(); err != nil {
			bad(cellOf(err, headName))
			return
		}
		if on[p.Key()] {
			bad(headName, p.Kind.Label()+"“"+p.Name+"”已登记")
			return
		}
		if first, dup := inFile[p.Key()]; dup {
			bad(headName, fmt.Sprintf("%s“%s”已在第%d行填写", p.Kind.Label(), p.Name, first))
			return
		}
		inFile[p.Key()] = n
		out = append(out, p)
	})
	if err != nil || list.Total > 0 {
		return nil, list, err
	}
	return out, list, nil
}

// Annotate writes back an uploaded register k with its errors.
func Annotate(w io.Writer, k Kind, original []byte, rowErrs Errors) error {
	a := xlsx.Annotation{Limits: limits(), Sheet: k.sheet(), Keys: k.keys(), What: k.what(), MaxRows: visit.MaxImportRows}
	return a.Annotate(w, original, rowErrs)
}

// WriteHouseholds writes the household register as the page lists it,
// phones masked, with whether each was reached in round.
func WriteHouseholds(w io.Writer, list []visit.Household) error {
	cols := []xlsx.Column{{Head: headNo, Width: 8}, {Head: headAddress, Width: 30}, {Head: headHead, Width: 12},
		{Head: headSize, Width: 8}, {Head: headPhone, Width: 16}, {Head: headGroup, Width: 20}}
	return xlsx.Table(w, "走访户名单", cols, len(list), func(i int) []any {
		h := list[i]
		return []any{i + 1, h.Address, h.Head, h.Size, h.Phone, h.Group}
	})
}
