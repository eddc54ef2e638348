package assessxls

import (
	"archive/zip"
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/huanjie/huanjie/internal/xlsx"
)

// rezip copies a workbook, dropping or replacing its styles.
func rezip(t *testing.T, b []byte, styles []byte) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(r)
		if err != nil {
			t.Fatal(err)
		}
		if f.Name == "xl/styles.xml" {
			if styles == nil {
				continue
			}
			data = styles
		}
		w, err := zw.Create(f.Name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(data)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// TestAnnotateWithoutStyles: styles.xml is optional in a workbook; one
// without it (or with an empty stylesheet) is read, and annotated, not
// crashed on (excelize's NewStyle dereferenced the missing parts).
func TestAnnotateWithoutStyles(t *testing.T) {
	for name, styles := range map[string][]byte{
		"no styles.xml":    nil,
		"empty stylesheet": []byte(`<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>`),
	} {
		t.Run(name, func(t *testing.T) {
			cs := someCommunities(3)
			s := newTemplate(t, cs)
			s.fillRow(2)
			s.fillRow(3)
			s.set(3, "研判日期", "2026-13-01")
			b := rezip(t, s.bytes(), styles)
			_, rowErrs := read(t, b, knownOf(cs))
			if len(rowErrs) != 1 || rowErrs[0].Row != 3 {
				t.Fatalf("errors %v, want one on row 3", rowErrs)
			}
			f, err := excelize.OpenReader(bytes.NewReader(annotate(t, b, rowErrs)))
			if err != nil {
				t.Fatalf("annotated file: %v", err)
			}
			defer f.Close()
			rows, err := f.GetRows(sheetAssess)
			if err != nil {
				t.Fatal(err)
			}
			last := rows[0][len(rows[0])-1]
			if last != xlsx.HeadErrors || !strings.Contains(rows[2][len(rows[2])-1], "研判日期格式") {
				t.Errorf("header %q, row 3 %q", last, rows[2])
			}
			col := s.cols["研判日期"]
			cell, _ := excelize.CoordinatesToCellName(col, 3)
			if got := cellFill(t, f, sheetAssess, cell); got != "FFC7CE" {
				t.Errorf("bad cell fill %q", got)
			}
		})
	}
}
