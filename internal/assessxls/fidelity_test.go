package assessxls

import (
	"archive/zip"
	"bytes"
	"io"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// A data sheet renamed, after an extra sheet put first, is still the one
// read and annotated: found by its header, not taken to be the first sheet
// (issue 13, point 13).
func TestRenamedSheetAfterAnExtraOne(t *testing.T) {
	cs := someCommunities(2)
	s := newTemplate(t, cs)
	s.fillRow(2)
	s.fillRow(3)
	s.set(3, "team_unity", 11)
	const renamed = "东片区研判"
	f := s.f
	if err := f.SetSheetName(sheetAssess, renamed); err != nil {
		t.Fatal(err)
	}
	if _, err := f.NewSheet("备注"); err != nil {
		t.Fatal(err)
	}
	f.SetCellValue("备注", "A1", "本表由东片区填写")
	if err := f.MoveSheet("备注", renamed); err != nil {
		t.Fatal(err)
	}
	if got := f.GetSheetList(); got[0] != "备注" || got[1] != renamed {
		t.Fatalf("sheets %v", got)
	}
	var buf bytes.Buffer
	f.WriteTo(&buf)
	got, rowErrs := read(t, buf.Bytes(), knownOf(cs))
	if len(got) != 0 || len(rowErrs) != 1 || rowErrs[0].Row != 3 || !strings.HasPrefix(rowErrs[0].Column, "班子团结、履职尽责") {
		t.Fatalf("read the wrong sheet: %d assessments, errors %v", len(got), rowErrs)
	}
	_, all, _ := Read(bytes.NewReader(buf.Bytes()), rubric, knownOf(cs), today)
	ann, err := excelize.OpenReader(bytes.NewReader(annotate(t, buf.Bytes(), all.List)))
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := ann.GetRows(renamed)
	if note := rows[2][len(rows[2])-1]; !strings.Contains(note, "0到10") {
		t.Errorf("the renamed sheet's row 3 is not annotated: %q", note)
	}
	if extra, _ := ann.GetRows("备注"); len(extra[0]) != 1 {
		t.Errorf("the extra sheet was annotated: %q", extra[0])
	}

	f.SetCellValue(renamed, "A1", "社区编码")
	s2 := &sheet{t: t, f: f, cols: s.cols}
	cell, _ := excelize.CoordinatesToCellName(s.cols["team_unity"], 3)
	f.SetCellValue(renamed, cell, 10)
	got, rowErrs = read(t, s2.bytes(), knownOf(cs))
	if len(got) != 2 || len(rowErrs) != 0 {
		t.Fatalf("fixed: %d assessments, errors %v", len(got), rowErrs)
	}
}

// The template's data validations cover the communities' rows, not whole
// columns down to row 1,048,576, which made exceljs build a million cells
// per column (issue 13, point 13).
func TestTemplateValidationsCoverTheRows(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteTemplate(&buf, rubric, someCommunities(3)); err != nil {
		t.Fatal(err)
	}
	xml := sheetPart(t, buf.Bytes(), "xl/worksheets/sheet1.xml")
	refs := regexp.MustCompile(`<dataValidation [^>]*sqref="([^"]*)"`).FindAllStringSubmatch(xml, -1)
	if len(refs) != len(rubric) {
		t.Fatalf("%d validations, want one per indicator (%d)", len(refs), len(rubric))
	}
	for _, m := range refs {
		if !regexp.MustCompile(`^[A-Z]+2:[A-Z]+4$`).MatchString(m[1]) {
			t.Errorf("validation covers %q, want rows 2 to 4", m[1])
		}
	}
}

// sheetPart is the text of one part of a workbook.
func sheetPart(t *testing.T, b []byte, name string) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range zr.File {
		if e.Name == name {
			r, _ := e.Open()
			d, _ := io.ReadAll(r)
			r.Close()
			return string(d)
		}
	}
	t.Fatalf("no part %s", name)
	return ""
}
