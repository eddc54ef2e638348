package xlsx

import (
	"archive/zip"
	"bytes"
	"io"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// partsOf is the text of every part of a workbook, by name.
func partsOf(t *testing.T, b []byte) map[string]string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	parts := map[string]string{}
	for _, e := range zr.File {
		r, _ := e.Open()
		d, _ := io.ReadAll(r)
		r.Close()
		parts[e.Name] = string(d)
	}
	return parts
}

var dimensionRef = regexp.MustCompile(`<dimension ref="([^"]*)"`)

// dimensionOf is the <dimension> ref of the first worksheet.
func dimensionOf(t *testing.T, b []byte) string {
	t.Helper()
	m := dimensionRef.FindStringSubmatch(partsOf(t, b)["xl/worksheets/sheet1.xml"])
	if m == nil {
		return ""
	}
	return m[1]
}

// redCells are the cells of sheet filled with the mark's red, read from the
// stylesheet (excelize reads no colour back from a file without a theme).
func redCells(t *testing.T, b []byte, sheet string) []string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	_, _ = f.GetStyle(0)
	red := markedStyles(f)
	rows, _ := f.GetRows(sheet)
	var out []string
	for r := 1; r <= len(rows)+1; r++ {
		for c := 1; c <= 6; c++ {
			cell, _ := excelize.CoordinatesToCellName(c, r)
			if id, _ := f.GetCellStyle(sheet, cell); red[id] && r > 1 {
				out = append(out, cell)
			}
		}
	}
	return out
}

// An annotated workbook's <dimension> spans the error column: the upload's
// own (A1:C4 here) made some readers drop it (issue 13, point 13).
func TestAnnotateSetsDimension(t *testing.T) {
	f := excelize.NewFile()
	f.SetSheetName("Sheet1", "表")
	for i, row := range [][]any{{"编号", "名称", "备注"}, {1, "a", ""}, {2, "b", ""}, {3, "c", "x"}} {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		f.SetSheetRow("表", cell, &row)
	}
	f.SetSheetDimension("表", "A1:C4")
	var up bytes.Buffer
	f.WriteTo(&up)
	if got := dimensionOf(t, up.Bytes()); got != "A1:C4" {
		t.Fatalf("upload's dimension %q", got)
	}
	a := Annotation{Limits: Default, Sheet: "表", What: "表格", MaxRows: 10}
	var out bytes.Buffer
	if err := a.Annotate(&out, up.Bytes(), Errors{List: []RowError{{Row: 3, Column: "名称", Reason: "不对", Col: 2}}, Total: 1}); err != nil {
		t.Fatal(err)
	}
	if got := dimensionOf(t, out.Bytes()); got != "A1:D4" {
		t.Errorf("annotated dimension %q, want A1:D4 (the error column D included)", got)
	}
}

// A workbook annotated, then re-saved by a spreadsheet (no theme part, as
// LibreOffice may write it) and fixed, with the note of the fixed row
// deleted, is annotated afresh: no cell keeps an old red mark (issue 13,
// point 13).
func TestAnnotateClearsEveryOldMark(t *testing.T) {
	a := Annotation{Limits: Default, Sheet: "表", What: "表格", MaxRows: 10}
	var first bytes.Buffer
	err := a.Annotate(&first, small(3), Errors{List: []RowError{
		{Row: 2, Column: "名称", Reason: "不对", Col: 2}, {Row: 3, Column: "编号", Reason: "重复", Col: 1}}, Total: 2})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(redCells(t, first.Bytes(), "表"), ","); got != "B2,A3" {
		t.Fatalf("first annotation marks %s", got)
	}
	f, err := excelize.OpenReader(bytes.NewReader(first.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	f.SetCellValue("表", "C2", nil) // the fixed row's note deleted by hand
	var fixed bytes.Buffer
	f.WriteTo(&fixed)
	// Re-saved without the theme, with the red written as ARGB.
	parts := partsOf(t, fixed.Bytes())
	if !strings.Contains(parts["xl/styles.xml"], `rgb="FFFFC7CE"`) {
		t.Fatal("the mark is not stored as ARGB")
	}
	delete(parts, "xl/theme/theme1.xml")
	parts["xl/_rels/workbook.xml.rels"] = regexp.MustCompile(`<Relationship [^>]*theme1.xml"[^>]*/>`).ReplaceAllString(parts["xl/_rels/workbook.xml.rels"], "")
	parts["[Content_Types].xml"] = regexp.MustCompile(`<Override PartName="/xl/theme/theme1.xml"[^>]*/>`).ReplaceAllString(parts["[Content_Types].xml"], "")
	bin := map[string][]byte{}
	for k, v := range parts {
		bin[k] = []byte(v)
	}
	resaved := zipOf(t, true, bin)

	var second bytes.Buffer
	if err := a.Annotate(&second, resaved, Errors{List: []RowError{{Row: 4, Column: "名称", Reason: "空", Col: 2}}, Total: 1}); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(redCells(t, second.Bytes(), "表"), ","); got != "B4" {
		t.Errorf("second annotation marks %s, want B4 only", got)
	}
	g, _ := excelize.OpenReader(bytes.NewReader(second.Bytes()))
	for cell, want := range map[string]string{"C2": "", "C3": "", "C4": "空"} {
		if v, _ := g.GetCellValue("表", cell); v != want {
			t.Errorf("%s %q, want %q", cell, v, want)
		}
	}
}

// Days and moments are written as date serials with a date format, which
// spreadsheets sort and filter as dates, not as text (issue 13, point 13).
func TestDatesAreDates(t *testing.T) {
	f, _ := NewBook("表")
	day, err := DateStyle(f, &excelize.Style{Font: &excelize.Font{Bold: true}}, DayFormat)
	if err != nil {
		t.Fatal(err)
	}
	moment, _ := DateStyle(f, nil, MomentFormat)
	sw, _ := NewStream(f, "表", 1, []float64{12, 20, 12}, nil)
	at := time.Date(2026, 3, 1, 17, 30, 5, 0, time.UTC) // 2026-03-02 01:30:05 in China
	if err := sw.Row([]any{Day("2026-03-01", day), Moment(at, moment), Day("", day)}); err != nil {
		t.Fatal(err)
	}
	sw.Flush()
	var buf bytes.Buffer
	Write(&buf, f)
	g, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	for cell, want := range map[string][2]string{"A1": {"46082", "2026-03-01"}, "B1": {"46083.0625578704", "2026-03-02 01:30:05"}, "C1": {"", ""}} {
		raw, _ := g.GetCellValue("表", cell, excelize.Options{RawCellValue: true})
		shown, _ := g.GetCellValue("表", cell)
		if (cell != "B1" && raw != want[0]) || (cell == "B1" && !strings.HasPrefix(raw, "46083.06")) || shown != want[1] {
			t.Errorf("%s stored %q shown %q, want %q shown %q", cell, raw, shown, want[0], want[1])
		}
		if typ, _ := g.GetCellType("表", cell); cell != "C1" && typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
			t.Errorf("%s has type %v, want a number", cell, typ)
		}
	}
	id, _ := g.GetCellStyle("表", "A1")
	if st, _ := g.GetStyle(id); st.CustomNumFmt == nil || *st.CustomNumFmt != DayFormat || !st.Font.Bold {
		t.Errorf("A1 style %+v", st)
	}
	if xml := partsOf(t, buf.Bytes())["xl/worksheets/sheet1.xml"]; strings.Contains(xml, `t="inlineStr"`) || strings.Contains(xml, `t="str"`) {
		t.Errorf("a date written as text: %s", xml[strings.Index(xml, "<sheetData"):])
	}
}

// A streamed sheet's <dimension> names all its rows and columns: the
// stream writer wrote "A1", and readers that trust it (openpyxl's read-only
// mode) saw one cell (issue 13, point 13). Rows that do not match the
// declared extent fail at Flush.
func TestStreamDimension(t *testing.T) {
	f, _ := NewBook("清单")
	sw, err := NewStream(f, "清单", 4, []float64{10, 20, 30}, nil)
	if err != nil {
		t.Fatal(err)
	}
	sw.Header(0, []string{"甲", "乙", "丙"})
	sw.Row([]any{1, "a", "b"})
	sw.Skip(1)
	sw.Row([]any{"合计"})
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	Write(&buf, f)
	if got := dimensionOf(t, buf.Bytes()); got != "A1:C4" {
		t.Errorf("dimension %q, want A1:C4", got)
	}

	g, _ := NewBook("清单")
	sw, _ = NewStream(g, "清单", 3, []float64{10}, nil)
	sw.Row([]any{1})
	if err := sw.Flush(); err == nil {
		t.Error("a sheet of 1 row declared as 3 flushed")
	}
}
