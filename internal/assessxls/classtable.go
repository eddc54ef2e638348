package assessxls

import (
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"

	"github.com/huanjie/huanjie/internal/assess"
	"github.com/huanjie/huanjie/internal/xlsx"
)

// ClassRow is one row of the classification table export.
type ClassRow struct {
	Code, Name, District string
	Dimensions           map[assess.Dimension][2]int // points, max per dimension
	Total, Max           int
	Class                assess.Class // in force
	Computed             assess.Class // what the scores give
	Warning              string       // 无预警, 黄色预警 or 红色预警
	Basis                string       // the explanation (依据), plus the override reason if any
	Plans                int
	Owners               string // 责任人: names joined by 、
}

const sheetClass = "分类结果"

// WriteClassTable exports the classification table (三类研判结果), one row
// per community: 社区编码, 社区, 片区, one "得分/满分" column per dimension,
// 总分, 满分, 类别, 预警, 依据, 方案数, 责任人. It streams, so a city's tens
// of thousands of communities fit in little memory.
func WriteClassTable(w io.Writer, rows []ClassRow) error {
	f, err := xlsx.NewBook(sheetClass)
	if err != nil {
		return xlsx.Failed(err)
	}
	defer f.Close()
	if err := writeClassSheet(f, rows); err != nil {
		return xlsx.Failed(err)
	}
	return xlsx.Write(w, f)
}

func writeClassSheet(f *excelize.File, rows []ClassRow) error {
	header := []string{"社区编码", "社区", "片区"}
	for _, d := range assess.Dimensions {
		header = append(header, d.Label())
	}
	header = append(header, "总分", "满分", "类别", "预警", "依据", "方案数", "责任人")
	widths := []float64{14, 18, 12}
	for range assess.Dimensions {
		widths = append(widths, 10)
	}
	widths = append(widths, 8, 8, 16, 11, 70, 8, 24)

	style := func(s *excelize.Style) (int, error) { s.Border = xlsx.Border; return f.NewStyle(s) }
	headID, err := xlsx.HeaderStyle(f, "D9E1F2", true)
	if err != nil {
		return err
	}
	plain, err := style(&excelize.Style{Alignment: &excelize.Alignment{Vertical: "top"}})
	if err != nil {
		return err
	}
	center, err := style(&excelize.Style{Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "top"}})
	if err != nil {
		return err
	}
	wrap, err := style(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return err
	}
	warn := map[string]int{}
	for _, w := range []assess.Warning{assess.Yellow, assess.Red} {
		color := map[assess.Warning]string{assess.Yellow: "FFEB9C", assess.Red: "FFC7CE"}[w]
		if warn[w.Label()], err = style(&excelize.Style{
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{color}},
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "top"},
		}); err != nil {
			return err
		}
	}

	sw, err := xlsx.NewStream(f, sheetClass, len(rows)+1, widths, nil)
	if err != nil {
		return err
	}
	if err := sw.Panes(&excelize.Panes{Freeze: true, XSplit: 2, YSplit: 1, TopLeftCell: "C2", ActivePane: "bottomRight"}); err != nil {
		return err
	}
	if err := sw.Header(headID, header, excelize.RowOpts{Height: 24}); err != nil {
		return err
	}
	cells := make([]any, 0, len(header))
	for _, r := range rows {
		cells = cells[:0]
		text := func(style int, s string) { cells = append(cells, excelize.Cell{StyleID: style, Value: cellText(s)}) }
		num := func(n int) { cells = append(cells, excelize.Cell{StyleID: center, Value: n}) }
		text(plain, r.Code)
		text(plain, r.Name)
		text(plain, r.District)
		assessed := r.Class != assess.Unassessed || r.Max > 0
		for _, d := range assess.Dimensions {
			if v, ok := r.Dimensions[d]; ok && assessed {
				text(center, fmt.Sprintf("%d/%d", v[0], v[1]))
			} else {
				text(center, "")
			}
		}
		if assessed {
			num(r.Total)
			num(r.Max)
		} else {
			text(center, "")
			text(center, "")
		}
		text(center, classLabel(r.Class, r.Computed))
		ws, ok := warn[r.Warning]
		if !ok {
			ws = center
		}
		text(ws, r.Warning)
		text(wrap, r.Basis)
		num(r.Plans)
		text(wrap, r.Owners)
		if err := sw.Row(cells); err != nil {
			return err
		}
	}
	return sw.Flush()
}

// classLabel says the class in force, and what the scores gave when the
// office changed it: "B类(按得分为A类,已调整)".
func classLabel(class, computed assess.Class) string {
	s := class.Label()
	if class != assess.Unassessed && computed != assess.Unassessed && computed != class {
		s += fmt.Sprintf("(按得分为%s类,已调整)", computed)
	}
	return s
}
