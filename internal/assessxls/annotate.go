package assessxls

import (
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/huanjie/huanjie/internal/errs"
)

// AnnotateMaxRows is the most data rows Annotate marks up. Annotate edits
// the uploaded workbook in place, which holds the whole sheet in memory
// (about 25 MB per 1,000 rows of a full template), so larger files get an
// error and the caller shows the list of RowErrors instead.
const AnnotateMaxRows = 20_000

// markColor fills a bad cell: Excel's own light red for "bad".
const markColor = "FFC7CE"

// Annotate writes back the uploaded workbook (original, as uploaded) with
// the errors Read found, so the office can fix the file and upload it again:
// a last column "错误说明" on the assessment sheet holds each row's reasons
// joined by ";", and every bad cell is filled light red. Errors on row 1
// (the header) go into the header cell after "错误说明:". A file annotated
// before is annotated afresh: the old notes and red fills are cleared first.
// A file with more than AnnotateMaxRows data rows is refused (unprocessable).
func Annotate(w io.Writer, original []byte, rowErrs []RowError) error {
	f, err := openWorkbook(original)
	if err != nil {
		return err
	}
	defer f.Close()
	sheet, err := dataSheet(f)
	if err != nil {
		return err
	}
	a := &annotator{f: f, sheet: sheet, marked: map[int]int{}, cleared: map[int]int{}}
	if err := a.scan(); err != nil {
		return errs.Wrap(err, errs.Unprocessable, "无法读取该文件,请检查后重新上传")
	}
	if a.data > annotateMaxRows {
		return errs.Newf(errs.Unprocessable, "文件超过%d行,无法在文件中标注错误,请按错误清单修改", annotateMaxRows)
	}
	if err := a.clearOld(); err != nil {
		return xlsxFailed(err)
	}
	if err := a.write(rowErrs); err != nil {
		return xlsxFailed(err)
	}
	if _, err := f.WriteTo(w); err != nil {
		return xlsxFailed(err)
	}
	return nil
}

type annotator struct {
	f       *excelize.File
	sheet   string
	heads   map[string]int // header text → column number (1-based), first wins
	width   int            // the widest row, in columns
	data    int            // rows below the header with anything in them
	errCol  int            // column number of 错误说明
	oldRows []int          // rows a previous Annotate wrote notes on
	marked  map[int]int    // style → the same style filled red
	cleared map[int]int    // style → the same style without fill
}

// scan reads the header, the width of the sheet and, if the file was
// annotated before, where.
func (a *annotator) scan() error {
	rows, err := a.f.Rows(a.sheet)
	if err != nil {
		return err
	}
	defer rows.Close()
	a.heads = map[string]int{}
	n := 0
	for rows.Next() {
		n++
		cells, err := rows.Columns()
		if err != nil {
			return err
		}
		if n == 1 {
			for i, c := range cells {
				h := strings.TrimSpace(c)
				if strings.HasPrefix(h, headErrors) && a.errCol == 0 {
					a.errCol = i + 1
				}
				if _, ok := a.heads[h]; !ok && h != "" {
					a.heads[h] = i + 1
				}
			}
		}
		if a.errCol > 0 && a.errCol <= len(cells) && strings.TrimSpace(cells[a.errCol-1]) != "" {
			a.oldRows = append(a.oldRows, n)
		}
		a.width = max(a.width, len(cells))
		if n > 1 && !blank(cells) {
			if a.data++; a.data > annotateMaxRows {
				return nil // too big: Annotate refuses, no need to read on
			}
		}
	}
	if a.errCol == 0 {
		a.errCol = max(a.width, 1) + 1
	}
	return rows.Error()
}

// clearOld removes the notes and fills of an earlier Annotate.
func (a *annotator) clearOld() error {
	for _, row := range a.oldRows {
		note, _ := excelize.CoordinatesToCellName(a.errCol, row)
		if err := a.f.SetCellValue(a.sheet, note, nil); err != nil {
			return err
		}
		for col := 1; col <= a.width; col++ {
			if col == a.errCol {
				continue
			}
			cell, _ := excelize.CoordinatesToCellName(col, row)
			id, err := a.f.GetCellStyle(a.sheet, cell)
			if err != nil {
				return err
			}
			plain, ok := a.cleared[id]
			if !ok {
				plain = id
				st, err := a.f.GetStyle(id)
				if err != nil {
					return err
				}
				if st.Fill.Type == "pattern" && len(st.Fill.Color) == 1 && strings.EqualFold(st.Fill.Color[0], markColor) {
					st.Fill = excelize.Fill{}
					if plain, err = a.f.NewStyle(st); err != nil {
						return err
					}
				}
				a.cleared[id] = plain
			}
			if plain != id {
				if err := a.f.SetCellStyle(a.sheet, cell, cell, plain); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// write puts the reasons in the error column and marks the bad cells.
func (a *annotator) write(rowErrs []RowError) error {
	noteStyle, err := a.f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Color: "9C0006"},
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"},
	})
	if err != nil {
		return err
	}
	headStyle, err := a.f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true, Color: "9C0006"},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{markColor}},
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true},
	})
	if err != nil {
		return err
	}
	var order []int
	reasons := map[int][]string{}
	for _, e := range rowErrs {
		if e.Row < 1 || e.Row > excelize.TotalRows {
			continue
		}
		if _, ok := reasons[e.Row]; !ok {
			order = append(order, e.Row)
		}
		reasons[e.Row] = append(reasons[e.Row], e.Reason)
		if col, ok := a.heads[strings.TrimSpace(e.Column)]; ok && e.Column != "" && col != a.errCol {
			if err := a.mark(col, e.Row); err != nil {
				return err
			}
		}
	}

	col, _ := excelize.ColumnNumberToName(a.errCol)
	head := headErrors
	if r, ok := reasons[1]; ok {
		head += ":" + strings.Join(r, ";")
	}
	if err := a.f.SetCellValue(a.sheet, col+"1", cellText(head)); err != nil {
		return err
	}
	if err := a.f.SetCellStyle(a.sheet, col+"1", col+"1", headStyle); err != nil {
		return err
	}
	for _, row := range order {
		if row == 1 {
			continue
		}
		cell, _ := excelize.CoordinatesToCellName(a.errCol, row)
		if err := a.f.SetCellValue(a.sheet, cell, cellText(strings.Join(reasons[row], ";"))); err != nil {
			return err
		}
		if err := a.f.SetCellStyle(a.sheet, cell, cell, noteStyle); err != nil {
			return err
		}
	}
	return a.f.SetColWidth(a.sheet, col, col, 60)
}

// mark fills one cell light red, keeping the rest of its style.
func (a *annotator) mark(col, row int) error {
	cell, err := excelize.CoordinatesToCellName(col, row)
	if err != nil {
		return err
	}
	id, err := a.f.GetCellStyle(a.sheet, cell)
	if err != nil {
		return err
	}
	red, ok := a.marked[id]
	if !ok {
		st, err := a.f.GetStyle(id)
		if err != nil {
			return err
		}
		st.Fill = excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{markColor}}
		if red, err = a.f.NewStyle(st); err != nil {
			return err
		}
		a.marked[id] = red
	}
	return a.f.SetCellStyle(a.sheet, cell, cell, red)
}
