// Package xlsxtest makes hostile workbooks for tests: a "spreadsheet bomb"
// (a few cells repeated into millions of rows), built as a stream so that
// making one costs little memory.
package xlsxtest

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"strings"
)

const (
	contentTypes = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`
	rootRels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`
	workbook = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="%s" sheetId="1" r:id="rId1"/></sheets></workbook>`
	workbookRels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`
)

// Workbook is a minimal valid .xlsx (no styles.xml, inline strings) with
// one sheet named sheet: header, then rows written by body to the sheet's
// <sheetData>.
func Workbook(sheet string, header []string, body func(w io.Writer) error) ([]byte, error) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	put := func(name, s string) error {
		w, err := zw.Create(name)
		if err == nil {
			_, err = io.WriteString(w, s)
		}
		return err
	}
	if err := put("[Content_Types].xml", contentTypes); err != nil {
		return nil, err
	}
	if err := put("_rels/.rels", rootRels); err != nil {
		return nil, err
	}
	if err := put("xl/workbook.xml", fmt.Sprintf(workbook, sheet)); err != nil {
		return nil, err
	}
	if err := put("xl/_rels/workbook.xml.rels", workbookRels); err != nil {
		return nil, err
	}
	w, err := zw.Create("xl/worksheets/sheet1.xml")
	if err != nil {
		return nil, err
	}
	if _, err := io.WriteString(w, `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`+Row(1, header...)); err != nil {
		return nil, err
	}
	if err := body(w); err != nil {
		return nil, err
	}
	if _, err := io.WriteString(w, `</sheetData></worksheet>`); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Row is a <row> of inline strings; r 0 leaves the row number out (the
// row after the last one).
func Row(r int, cells ...string) string {
	var b strings.Builder
	if r > 0 {
		fmt.Fprintf(&b, `<row r="%d">`, r)
	} else {
		b.WriteString("<row>")
	}
	for _, c := range cells {
		b.WriteString(`<c t="inlineStr"><is><t>`)
		b.WriteString(c) // the callers' cells need no escaping
		b.WriteString(`</t></is></c>`)
	}
	b.WriteString("</row>")
	return b.String()
}

// Bomb is a workbook of sheet with header, then cells repeated in n rows.
// Without numbered, the rows are identical (no row number): it compresses
// about a thousand to one, 0.9 MB for 7 million rows of a few cells. With
// numbered each row carries its number, compressing far less; the rows
// are still millions for a file of a few megabytes.
func Bomb(sheet string, header []string, cells []string, n int, numbered bool) ([]byte, error) {
	return Workbook(sheet, header, func(w io.Writer) error {
		if numbered {
			for i := 2; i <= n+1; i++ {
				if _, err := io.WriteString(w, Row(i, cells...)); err != nil {
					return err
				}
			}
			return nil
		}
		row := Row(0, cells...)
		chunk := strings.Repeat(row, 1000)
		for i := 0; i < n; i += 1000 {
			if _, err := io.WriteString(w, chunk[:min(1000, n-i)*len(row)]); err != nil {
				return err
			}
		}
		return nil
	})
}
