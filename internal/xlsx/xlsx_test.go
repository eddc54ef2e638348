package xlsx

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/xlsx/xlsxtest"
)

func wantRefused(t *testing.T, err error, msg string) {
	t.Helper()
	if errs.CodeOf(err) != errs.Unprocessable || !strings.Contains(errs.MessageOf(err), msg) {
		t.Fatalf("err = %v, want unprocessable with %q", err, msg)
	}
}

func small(rows int) []byte {
	b, err := xlsxtest.Workbook("表", []string{"编号", "名称"}, func(w io.Writer) error {
		for i := 2; i <= rows+1; i++ {
			io.WriteString(w, xlsxtest.Row(i, fmt.Sprint(i), "x"))
		}
		return nil
	})
	if err != nil {
		panic(err)
	}
	return b
}

// zipOf is a zip of the named contents, stored or deflated.
func zipOf(t *testing.T, deflate bool, parts map[string][]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, data := range parts {
		m := zip.Store
		if deflate {
			m = zip.Deflate
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: m})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(data)
	}
	zw.Close()
	return buf.Bytes()
}

func TestCheckLimits(t *testing.T) {
	l := Default
	if err := Check(small(10), l); err != nil {
		t.Fatalf("small file: %v", err)
	}
	t.Run("compressed", func(t *testing.T) {
		l := l
		l.Compressed = 100
		wantRefused(t, Check(small(10), l), "文件过大:不能超过")
	})
	t.Run("entries", func(t *testing.T) {
		parts := map[string][]byte{}
		for i := range 20 {
			parts[fmt.Sprintf("x%d.xml", i)] = []byte("<a/>")
		}
		l := l
		l.Entries = 10
		wantRefused(t, Check(zipOf(t, false, parts), l), "超过10个")
	})
	t.Run("entry", func(t *testing.T) {
		l := l
		l.Entry = 1000
		wantRefused(t, Check(zipOf(t, false, map[string][]byte{"a.xml": make([]byte, 1001)}), l), "解压后超过")
	})
	t.Run("total", func(t *testing.T) {
		l := l
		l.Uncompressed = 1500
		wantRefused(t, Check(zipOf(t, false, map[string][]byte{"a.xml": make([]byte, 1000), "b.xml": make([]byte, 1000)}), l), "解压后超过")
	})
	t.Run("ratio", func(t *testing.T) {
		wantRefused(t, Check(zipOf(t, true, map[string][]byte{"a.xml": make([]byte, 2<<20)}), l), "压缩比超过100:1")
		// a small part may compress as far as it likes
		if err := Check(zipOf(t, true, map[string][]byte{"a.xml": make([]byte, 1<<19)}), l); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("rows", func(t *testing.T) {
		// one row per number: compresses far less than a bomb's identical rows
		b, err := xlsxtest.Bomb("表", []string{"a"}, []string{"1"}, 300_000, true)
		if err != nil {
			t.Fatal(err)
		}
		wantRefused(t, Check(b, l), "行数超过200000行")
		l := l
		l.Rows = 300_000
		if err := Check(b, l); err != nil {
			t.Fatalf("at the limit: %v", err)
		}
	})
	t.Run("not a zip", func(t *testing.T) {
		if err := Check([]byte("hello"), l); err != nil {
			t.Fatal(err)
		}
		_, err := Open([]byte("hello"), l, "表格")
		wantRefused(t, err, "无法读取该文件")
	})
}

// TestCountRowsAcrossChunks: a <row tag cut between two reads is counted
// once.
func TestCountRowsAcrossChunks(t *testing.T) {
	for _, pad := range []int{0, 1, 2, 3, 4, 5, 65530, 65531, 65532, 65533, 65534, 65535, 65536} {
		xml := strings.Repeat(" ", pad) + strings.Repeat(`<row r="1"><c/></row>`, 10000) + "<rowBreaks/>"
		b := zipOf(t, true, map[string][]byte{"xl/worksheets/sheet1.xml": []byte(xml)})
		zr, _ := zip.NewReader(bytes.NewReader(b), int64(len(b)))
		n, err := countRows(zr.File[0], 1<<30)
		if err != nil || n != 10000 {
			t.Errorf("pad %d: %d rows, %v", pad, n, err)
		}
	}
}

func TestEachLimits(t *testing.T) {
	open := func(b []byte, l Limits) *excelize.File {
		f, err := Open(b, l, "表格")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { f.Close() })
		return f
	}
	nothing := func(int, []string) error { return nil }
	t.Run("rows", func(t *testing.T) {
		l := Default
		l.Rows = 5
		wantRefused(t, Each(open(small(6), Default), "表", l, false, nothing), "行数超过5行")
		if err := Each(open(small(5), Default), "表", l, false, nothing); err != nil {
			t.Fatal(err)
		}
		// a row numbered far down counts by its number
		b, _ := xlsxtest.Workbook("表", []string{"a"}, func(w io.Writer) error {
			_, err := io.WriteString(w, xlsxtest.Row(1000, "x"))
			return err
		})
		wantRefused(t, Each(open(b, Default), "表", l, false, nothing), "行数超过5行")
	})
	t.Run("cols", func(t *testing.T) {
		b, _ := xlsxtest.Workbook("表", []string{"a"}, func(w io.Writer) error {
			_, err := io.WriteString(w, `<row r="2"><c r="XFD2" t="inlineStr"><is><t>x</t></is></c></row>`)
			return err
		})
		wantRefused(t, Each(open(b, Default), "表", Default, false, nothing), "第2行超过1024列")
	})
	t.Run("cell", func(t *testing.T) {
		b, _ := xlsxtest.Workbook("表", []string{"a"}, func(w io.Writer) error {
			_, err := io.WriteString(w, xlsxtest.Row(2, strings.Repeat("字", 32768)))
			return err
		})
		wantRefused(t, Each(open(b, Default), "表", Default, false, nothing), "单元格A2超过32767字")
	})
}

func TestErrorsListAtMostMaxListed(t *testing.T) {
	var e Errors
	for row := 2; row < 2+600; row++ {
		for c := 1; c <= 3; c++ {
			e.Add(RowError{Row: row, Column: "a", Reason: "x", Col: c})
		}
	}
	// 1,800 errors on 600 rows: rows 2..334 listed whole (999), one of row 335
	if len(e.List) != MaxListed || e.Total != 1800 {
		t.Fatalf("listed %d of %d", len(e.List), e.Total)
	}
	if e.MoreRows != 600-333 {
		t.Errorf("more rows %d, want %d", e.MoreRows, 600-333)
	}
	if e.Rest() != fmt.Sprintf("另有 %d 行有错误未列出", 600-333) {
		t.Errorf("rest %q", e.Rest())
	}
	if (Errors{}).Rest() != "" {
		t.Error("rest of nothing")
	}
}

// TestAnnotateAnyWorkbook: the annotated copy is made from a workbook
// without styles.xml (optional in the format), and it says how many rows'
// errors are not listed.
func TestAnnotateAnyWorkbook(t *testing.T) {
	b := small(3)
	a := Annotation{Limits: Default, Sheet: "表", What: "表格", MaxRows: 10}
	var buf bytes.Buffer
	list := Errors{List: []RowError{{Row: 3, Column: "名称", Reason: "不对"}}, Total: 3, MoreRows: 2}
	if err := a.Annotate(&buf, b, list); err != nil {
		t.Fatal(err)
	}
	out := buf.Bytes()
	f, err := excelize.OpenReader(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if v, _ := f.GetCellValue("表", "C1"); v != "错误说明:另有 2 行有错误未列出" {
		t.Errorf("C1 %q", v)
	}
	if v, _ := f.GetCellValue("表", "C3"); v != "不对" {
		t.Errorf("C3 %q", v)
	}
	// excelize reads no fill colour back without a theme part: look at
	// the package. The copy declares the styles it added, and B3 has the red one.
	parts := map[string]string{}
	zr, _ := zip.NewReader(bytes.NewReader(out), int64(len(out)))
	for _, e := range zr.File {
		r, _ := e.Open()
		d, _ := io.ReadAll(r)
		parts[e.Name] = string(d)
	}
	if !strings.Contains(parts["[Content_Types].xml"], `PartName="/xl/styles.xml"`) ||
		!strings.Contains(parts["xl/_rels/workbook.xml.rels"], `Target="styles.xml"`) {
		t.Errorf("styles not declared:\n%s\n%s", parts["[Content_Types].xml"], parts["xl/_rels/workbook.xml.rels"])
	}
	id, _ := f.GetCellStyle("表", "B3")
	xfs := strings.Split(parts["xl/styles.xml"][strings.Index(parts["xl/styles.xml"], "<cellXfs"):], "<xf ")
	fills := strings.Split(parts["xl/styles.xml"][strings.Index(parts["xl/styles.xml"], "<fills"):], "<fill>")
	if id < 1 || id+1 >= len(xfs) {
		t.Fatalf("B3 style %d of %d", id, len(xfs)-1)
	}
	var fill int
	fmt.Sscanf(xfs[id+1][strings.Index(xfs[id+1], `fillId="`)+8:], "%d", &fill)
	if fill+1 >= len(fills) || !strings.Contains(fills[fill+1], `rgb="FFFFC7CE"`) {
		t.Errorf("B3 fill %d: %v", fill, fills)
	}
}

// TestWriteSheet: a streamed sheet with a styled header reads back.
func TestWriteSheet(t *testing.T) {
	f, err := NewBook("清单")
	if err != nil {
		t.Fatal(err)
	}
	head, err := HeaderStyle(f, "DDEBF7", true)
	if err != nil {
		t.Fatal(err)
	}
	sw, err := NewStream(f, "清单", 4, []float64{10, 20}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := sw.Header(head, []string{"甲", "乙"}); err != nil {
		t.Fatal(err)
	}
	sw.Row([]any{1, "a"})
	sw.Skip(1)
	sw.Row([]any{"合计", 1})
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := Write(&buf, f); err != nil {
		t.Fatal(err)
	}
	g, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := g.GetRows("清单")
	if len(rows) != 4 || rows[0][1] != "乙" || rows[3][0] != "合计" {
		t.Fatalf("rows %q", rows)
	}
	id, _ := g.GetCellStyle("清单", "A1")
	if st, _ := g.GetStyle(id); st == nil || !st.Font.Bold {
		t.Error("header not bold")
	}
	if w, _ := g.GetColWidth("清单", "B"); w != 20 {
		t.Errorf("width %v", w)
	}
}
