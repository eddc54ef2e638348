package xlsx

import (
	"archive/zip"
	"bytes"
	"io"
	"strings"
	"sync"

	"github.com/xuri/excelize/v2"
)

// defaultStyles is the stylesheet of a new excelize workbook.
var defaultStyles = sync.OnceValue(func() []byte {
	f := excelize.NewFile()
	defer f.Close()
	buf, err := f.WriteToBuffer()
	if err != nil {
		panic("xlsx: default stylesheet: " + err.Error())
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		panic("xlsx: default stylesheet: " + err.Error())
	}
	for _, e := range zr.File {
		if e.Name == "xl/styles.xml" {
			r, err := e.Open()
			if err == nil {
				b, err := io.ReadAll(r)
				r.Close()
				if err == nil {
					return b
				}
			}
		}
	}
	panic("xlsx: default stylesheet missing")
})

const (
	stylesType = "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"
	stylesRel  = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"
)

// addStyles gives a workbook without xl/styles.xml (valid: the part is
// optional, and some generators leave it out) a default one, with its
// content type and relationship, so that excelize can style its cells and
// Excel opens the result. Any other file is returned as it is.
func addStyles(b []byte) []byte {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return b
	}
	for _, e := range zr.File {
		if strings.EqualFold(e.Name, "xl/styles.xml") {
			return b
		}
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, e := range zr.File {
		patch := ""
		switch strings.ToLower(e.Name) {
		case "[content_types].xml":
			patch = `<Override PartName="/xl/styles.xml" ContentType="` + stylesType + `"/></Types>`
		case "xl/_rels/workbook.xml.rels":
			patch = `<Relationship Id="rIdHuanjieStyles" Type="` + stylesRel + `" Target="styles.xml"/></Relationships>`
		}
		if patch == "" {
			if zw.Copy(e) != nil {
				return b
			}
			continue
		}
		r, err := e.Open()
		if err != nil {
			return b
		}
		data, err := io.ReadAll(r)
		r.Close()
		if err != nil {
			return b
		}
		s := string(data)
		end := patch[strings.LastIndex(patch, "</"):]
		if i := strings.LastIndex(s, end); i >= 0 && !strings.Contains(s, "styles.xml") {
			s = s[:i] + patch + s[i+len(end):]
		}
		w, err := zw.Create(e.Name)
		if err != nil {
			return b
		}
		if _, err := io.WriteString(w, s); err != nil {
			return b
		}
	}
	w, err := zw.Create("xl/styles.xml")
	if err != nil {
		return b
	}
	if _, err := w.Write(defaultStyles()); err != nil {
		return b
	}
	if zw.Close() != nil {
		return b
	}
	return out.Bytes()
}

// fixStyles replaces a stylesheet lacking the parts excelize adds styles
// to (fonts, fills, borders, cell formats) with the default one: excelize
// dereferences them without looking. The file's cells then show unstyled,
// which is what Excel does with such a file anyway.
func fixStyles(f *excelize.File) error {
	_, _ = f.GetStyle(0) // loads f.Styles
	s := f.Styles
	if s != nil && s.Fonts != nil && s.Fills != nil && s.Borders != nil && s.CellXfs != nil && s.CellStyleXfs != nil &&
		s.Fonts.Count == len(s.Fonts.Font) && s.Fills.Count == len(s.Fills.Fill) &&
		s.Borders.Count == len(s.Borders.Border) && s.CellXfs.Count == len(s.CellXfs.Xf) && len(s.CellXfs.Xf) > 0 {
		return nil
	}
	f.Styles = nil
	f.Pkg.Store("xl/styles.xml", defaultStyles())
	_, err := f.GetStyle(0)
	return err
}
