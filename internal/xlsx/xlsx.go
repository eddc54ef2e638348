// Package xlsx is the one place the platform reads and writes Excel
// workbooks: opening an upload within limits, reading its rows as a stream,
// matching a header, listing bad cells (at most MaxListed), writing a copy of
// the upload annotated with them, and writing a sheet with a styled header.
// It knows the format, nothing of the domains: internal/assessxls and
// internal/reviewxls map their columns onto it, and the web handlers' exports
// write through it.
//
// An upload is checked before any real work is done: its zip directory (how
// many entries, how big each one and all of them unpack, how far each one
// is compressed) and then the number of rows in its worksheets, counted by
// unpacking them as a stream and stopping at the limit. Only then does
// excelize open it, with its own unzip limits set to the same sizes. While
// the rows are read, the columns of each row and the length of each cell
// are checked too. A workbook of a few cells repeated into millions of rows
// (a "spreadsheet bomb") is refused in milliseconds, in a few megabytes.
package xlsx

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/huanjie/huanjie/internal/errs"
)

// Limits bounds what an upload may hold. Every size is in bytes.
type Limits struct {
	Compressed   int64 // the file as uploaded
	Uncompressed int64 // all its entries unpacked
	Entry        int64 // one entry unpacked
	Entries      int   // entries in the zip
	Ratio        int64 // unpacked ÷ packed of an entry bigger than RatioFloor
	Rows         int   // data rows below the header (by row number)
	Cols         int   // columns of a row
	CellChars    int   // characters in a cell
}

// RatioFloor is the unpacked size below which an entry's compression ratio
// is not checked: tiny parts compress oddly and cannot hurt.
const RatioFloor = 1 << 20

// Default admits 100,000 real rows comfortably: a filled assessment template
// of 100,000 communities (30 columns, findings of 200 characters) is about
// 9 MB packed, 150 MB unpacked, its worksheet compressed about 10:1, while
// a bomb's sheet compresses several hundred to a thousand to one.
var Default = Limits{
	Compressed:   32 << 20,
	Uncompressed: 512 << 20,
	Entry:        384 << 20,
	Entries:      1000,
	Ratio:        100,
	Rows:         200_000,
	Cols:         1024,
	CellChars:    32767, // Excel's own limit on a cell
}

// xmlInMemory is the size above which excelize unpacks a worksheet or the
// shared strings to a temporary file instead of memory.
const xmlInMemory = 16 << 20

func tooBig(format string, args ...any) error {
	return errs.Newf(errs.Unprocessable, "文件过大:"+format+",请分批上传", args...)
}

func mb(n int64) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%dMB", n>>20)
	}
	return fmt.Sprintf("%dKB", n>>10)
}

// Check inspects an upload without unpacking more of it than its limits
// allow: the zip directory first, then the worksheets' rows, counted as a
// stream that stops at l.Rows. A file that is not a zip passes (Open says
// what is wrong with it).
func Check(b []byte, l Limits) error {
	if int64(len(b)) > l.Compressed {
		return tooBig("不能超过%s", mb(l.Compressed))
	}
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return nil // not a zip: excelize reports it as such
	}
	if len(zr.File) > l.Entries {
		return tooBig("压缩包内有%d个部件,超过%d个", len(zr.File), l.Entries)
	}
	var total uint64
	for _, f := range zr.File {
		size := f.UncompressedSize64
		total += size
		switch {
		case size > uint64(l.Entry):
			return tooBig("“%s”解压后超过%s", f.Name, mb(l.Entry))
		case total > uint64(l.Uncompressed):
			return tooBig("解压后超过%s", mb(l.Uncompressed))
		case size > RatioFloor && size > f.CompressedSize64*uint64(l.Ratio):
			return tooBig("“%s”的压缩比超过%d:1,不像正常的表格", f.Name, l.Ratio)
		}
	}
	// Every worksheet is counted, the data sheet is not known yet: a
	// sheet of a few thousand rows is no danger, Each holds the data
	// sheet to l.Rows exactly.
	most := max(l.Rows+1, minCounted)
	for _, f := range zr.File {
		name := strings.ToLower(strings.ReplaceAll(f.Name, "\\", "/"))
		if !strings.HasPrefix(name, "xl/worksheets/") || path.Ext(name) != ".xml" {
			continue
		}
		n, err := countRows(f, most+1)
		if err != nil {
			return errs.Wrap(err, errs.Unprocessable, "文件已损坏,无法读取,请在 Excel 中另存后重新上传")
		}
		if n > most {
			return tooManyRows(l.Rows)
		}
	}
	return nil
}

// minCounted is the fewest rows Check lets any worksheet have.
const minCounted = 10_000

func tooManyRows(limit int) error {
	return errs.Newf(errs.Unprocessable, "行数超过%d行,请分批上传", limit)
}

// countRows counts the <row> elements of a worksheet, stopping at stop.
func countRows(f *zip.File, stop int) (int, error) {
	r, err := f.Open()
	if err != nil {
		return 0, err
	}
	defer r.Close()
	buf := make([]byte, 64<<10)
	var carry []byte // the end of the last chunk, for a tag split across two
	n := 0
	for {
		k, err := r.Read(buf)
		chunk := append(carry, buf[:k]...)
		for i := 0; ; {
			j := bytes.Index(chunk[i:], []byte("<row"))
			if j < 0 || i+j+4 >= len(chunk) {
				break
			}
			i += j + 4
			if c := chunk[i]; c == ' ' || c == '>' || c == '/' || c == '\t' || c == '\n' || c == '\r' {
				if n++; n >= stop {
					return n, nil
				}
			}
		}
		// A "<row" starting in the last 4 bytes was not counted (its
		// delimiter is in the next chunk): carry them over.
		keep := min(len(chunk), 4)
		carry = append(carry[:0:0], chunk[len(chunk)-keep:]...)
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			return n, err
		}
	}
}

// Open checks an upload (see Check) and opens it, turning every failure
// into a Chinese message naming what the file should be (what: "研判表").
// The workbook's styles are repaired when missing, so that writing an
// annotated copy cannot fail on them.
func Open(b []byte, l Limits, what string) (f *excelize.File, err error) {
	if err := Check(b, l); err != nil {
		return nil, err
	}
	defer func() {
		if p := recover(); p != nil { // excelize on a hostile file: refuse it, not the server
			if f != nil {
				_ = f.Close()
			}
			f, err = nil, errs.New(errs.Unprocessable, "无法读取该文件:请上传"+what+"(.xlsx)")
		}
	}()
	b = addStyles(b)
	f, err = excelize.OpenReader(bytes.NewReader(b), excelize.Options{
		UnzipSizeLimit:    l.Uncompressed,
		UnzipXMLSizeLimit: min(l.Uncompressed, xmlInMemory),
	})
	if err != nil {
		if f != nil {
			_ = f.Close()
		}
		switch {
		case errors.Is(err, excelize.ErrWorkbookFileFormat):
			return nil, errs.Wrap(err, errs.Unprocessable, "无法读取该文件:请上传 .xlsx 格式的"+what+"(旧版 .xls 或设置了密码的文件,请在 Excel 中另存为不加密的 .xlsx)")
		case errors.Is(err, excelize.ErrOptionsUnzipSizeLimit), strings.Contains(err.Error(), "unzip size exceeds"):
			return nil, errs.Wrap(err, errs.Unprocessable, "文件过大:解压后超过"+mb(l.Uncompressed)+",请分批上传")
		}
		return nil, errs.Wrap(err, errs.Unprocessable, "无法读取该文件:请上传"+what+"(.xlsx)")
	}
	if err := fixStyles(f); err != nil {
		_ = f.Close()
		return nil, errs.Wrap(err, errs.Unprocessable, "无法读取该文件:请上传"+what+"(.xlsx)")
	}
	return f, nil
}

// Sheet is the data sheet: the one named want if the workbook has it, else
// the first whose header row (row 1) has, for each of keys, a cell starting
// with it (a renamed data sheet, even after an extra sheet), else the first
// sheet.
func Sheet(f *excelize.File, want, what string, keys ...string) (string, error) {
	list := f.GetSheetList()
	if len(list) == 0 {
		return "", errs.New(errs.Unprocessable, "文件中没有工作表,请使用"+what+"填写")
	}
	for _, s := range list {
		if s == want {
			return s, nil
		}
	}
	if len(keys) > 0 {
		for _, s := range list {
			if headed(f, s, keys) {
				return s, nil
			}
		}
	}
	return list[0], nil
}

// headed reports whether row 1 of sheet has a cell starting with each key.
func headed(f *excelize.File, sheet string, keys []string) (ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	rows, err := f.Rows(sheet)
	if err != nil {
		return false
	}
	defer rows.Close()
	if !rows.Next() {
		return false
	}
	cells, err := rows.Columns()
	if err != nil {
		return false
	}
	h := NewHeader(cells)
	for _, k := range keys {
		if h.Prefix(k) < 0 {
			return false
		}
	}
	return true
}

// Each streams the rows of sheet to fn with their row number as Excel shows
// it (the header is 1; missing rows come as empty ones). It refuses the file
// when a row number passes l.Rows+1, a row is wider than l.Cols, or a cell
// holds more than l.CellChars characters. raw gives cells' stored values
// (numbers unformatted). fn's error stops the walk and is returned.
func Each(f *excelize.File, sheet string, l Limits, raw bool, fn func(row int, cells []string) error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = errs.New(errs.Unprocessable, "工作表内容无法读取,请检查文件")
		}
	}()
	rows, err := f.Rows(sheet)
	if err != nil {
		return errs.Wrap(err, errs.Unprocessable, "无法读取工作表“"+sheet+"”,请检查文件")
	}
	defer rows.Close()
	opts := excelize.Options{RawCellValue: raw}
	n := 0
	for rows.Next() {
		n++ // Next steps over missing rows too: n is the row number Excel shows
		if n > l.Rows+1 {
			return tooManyRows(l.Rows)
		}
		cells, err := rows.Columns(opts)
		if err != nil {
			return errs.Wrap(err, errs.Unprocessable, fmt.Sprintf("第%d行无法读取,请检查文件", n))
		}
		if len(cells) > l.Cols {
			return errs.Newf(errs.Unprocessable, "第%d行超过%d列,请删除多余的列", n, l.Cols)
		}
		for i, c := range cells {
			if len(c) > l.CellChars && utf8.RuneCountInString(c) > l.CellChars {
				name, _ := excelize.CoordinatesToCellName(i+1, n)
				return errs.Newf(errs.Unprocessable, "单元格%s超过%d字,请检查文件", name, l.CellChars)
			}
		}
		if err := fn(n, cells); err != nil {
			return err
		}
	}
	if err := rows.Error(); err != nil {
		if errors.Is(err, excelize.ErrMaxRows) {
			return tooManyRows(l.Rows)
		}
		return errs.Wrap(err, errs.Unprocessable, "工作表内容无法读取,请检查文件")
	}
	return nil
}

// Header is a header row, trimmed.
type Header []string

// NewHeader trims the cells of a header row.
func NewHeader(cells []string) Header {
	h := make(Header, len(cells))
	for i, c := range cells {
		h[i] = strings.TrimSpace(c)
	}
	return h
}

// Prefix is the index of the first column whose header starts with key,
// -1 if none.
func (h Header) Prefix(key string) int {
	for i, c := range h {
		if c != "" && strings.HasPrefix(c, key) {
			return i
		}
	}
	return -1
}

// Name is the header of column i (0-based), "" beyond the header.
func (h Header) Name(i int) string {
	if i < 0 || i >= len(h) {
		return ""
	}
	return h[i]
}

// Blank reports whether a row holds nothing but spaces.
func Blank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// CellText cuts s to what one Excel cell can hold.
func CellText(s string) string {
	const maxCell = 32767
	if len(s) <= maxCell || utf8.RuneCountInString(s) <= maxCell { // bytes ≥ runes
		return s
	}
	r := []rune(s)
	return string(r[:maxCell-1]) + "…"
}

// Failed wraps a failure to build a workbook: our fault or the writer's,
// never the user's.
func Failed(err error) error {
	return errs.Wrap(err, errs.Internal, "生成 Excel 文件失败")
}
