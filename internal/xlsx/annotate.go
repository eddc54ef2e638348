package xlsx

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/huanjie/huanjie/internal/errs"
)

// MaxListed is the most bad cells an import lists, on its page, in its JSON
// and in the annotated workbook; the rest are counted by row.
const MaxListed = 1000

// RowError is one bad cell of an uploaded file.
type RowError struct {
	Row    int    // the row number as Excel shows it; the header is row 1
	Column string // the column's header; for a missing column, the header it should have
	Reason string // in Chinese, safe to show
	Col    int    // the column's number in the file (1-based), 0 when not in it
}

// String reads like "第3行“研判日期(YYYY-MM-DD)”:研判日期不能晚于今天".
func (e RowError) String() string {
	return fmt.Sprintf("第%d行“%s”:%s", e.Row, e.Column, e.Reason)
}

// Errors collects the bad cells of a file, found row by row: the first
// MaxListed in List, and how many more there are.
type Errors struct {
	List     []RowError
	Total    int // bad cells found, listed or not
	MoreRows int // rows with a bad cell not in List

	lastMore int // the last row counted in MoreRows
}

// Add records a bad cell. Cells come in row order.
func (e *Errors) Add(x RowError) {
	e.Total++
	if len(e.List) < MaxListed {
		e.List = append(e.List, x)
		return
	}
	if x.Row != e.lastMore {
		e.MoreRows++
		e.lastMore = x.Row
	}
}

// Rest says what is not listed, "" when everything is: "另有 12 行有错误未列出".
func (e Errors) Rest() string {
	if e.MoreRows == 0 {
		return ""
	}
	return "另有 " + strconv.Itoa(e.MoreRows) + " 行有错误未列出"
}

// HeadErrors heads the column Annotate adds.
const HeadErrors = "错误说明"

// markColor fills a bad cell: Excel's own light red for "bad".
const markColor = "FFC7CE"

// Annotation says which workbook to annotate and how.
type Annotation struct {
	Limits  Limits
	Sheet   string   // the data sheet's name
	Keys    []string // how the data sheet's headers start, to find it renamed (see Sheet)
	What    string   // what the file is, for messages: "研判表"
	MaxRows int      // the most data rows annotated; a larger file is refused
}

// Annotate writes back an uploaded workbook with its errors, so that it can
// be fixed and uploaded again: a last column "错误说明" on the data sheet
// holds each row's reasons joined by ";", and every bad cell is filled
// light red, keeping the rest of its style. Errors on row 1 (the header) and
// the count of errors not listed go into the header cell after
// "错误说明:". A file annotated before is annotated afresh: the old notes
// and every cell's red fill are cleared first, also when a spreadsheet
// re-saved the file (colours written as ARGB, no theme) or the note of a
// fixed row was deleted. The sheet's <dimension> is set to the range the
// annotated sheet spans, error column included: some readers show only the
// range it names. It works from any workbook Open accepts,
// one without styles too. A file with more than a.MaxRows data rows is
// refused (unprocessable): annotating edits the sheet in memory.
func (a Annotation) Annotate(w io.Writer, original []byte, list Errors) (err error) {
	f, err := Open(original, a.Limits, a.What)
	if err != nil {
		return err
	}
	defer f.Close()
	defer func() {
		if p := recover(); p != nil {
			err = errs.New(errs.Unprocessable, "无法在该文件中标注错误,请按错误清单修改")
		}
	}()
	sheet, err := Sheet(f, a.Sheet, a.What, a.Keys...)
	if err != nil {
		return err
	}
	an := &annotator{f: f, sheet: sheet, marked: map[int]int{}}
	switch err := an.scan(a.Limits, a.MaxRows); {
	case errors.Is(err, errTooManyToAnnotate):
		return errs.Newf(errs.Unprocessable, "文件超过%d行,无法在文件中标注错误,请按错误清单修改", a.MaxRows)
	case err != nil:
		return err
	}
	if err := an.clearOld(); err != nil {
		return Failed(err)
	}
	if err := an.write(list); err != nil {
		return Failed(err)
	}
	if err := an.dimension(list); err != nil {
		return Failed(err)
	}
	if _, err := f.WriteTo(w); err != nil {
		return Failed(err)
	}
	return nil
}

var errTooManyToAnnotate = errors.New("too many rows to annotate")

type annotator struct {
	f       *excelize.File
	sheet   string
	heads   map[string]int // header text → column number (1-based), first wins
	width   int            // the widest row, in columns
	last    int            // the last row's number
	errCol  int            // column number of 错误说明
	oldRows []int          // rows a previous Annotate wrote notes on
	marked  map[int]int    // style → the same style filled red
}

// scan reads the header, the width of the sheet and, if the file was
// annotated before, where.
func (a *annotator) scan(l Limits, maxRows int) error {
	a.heads = map[string]int{}
	data := 0
	err := Each(a.f, a.sheet, l, false, func(n int, cells []string) error {
		if n == 1 {
			for i, c := range cells {
				h := strings.TrimSpace(c)
				if strings.HasPrefix(h, HeadErrors) && a.errCol == 0 {
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
		a.last = n
		if n > 1 && !Blank(cells) {
			if data++; data > maxRows {
				return errTooManyToAnnotate // no need to read on
			}
		}
		return nil
	})
	if a.errCol == 0 {
		a.errCol = max(a.width, 1) + 1
	}
	return err
}

// clearOld removes the notes of an earlier Annotate and the red fill of
// every cell that has it.
func (a *annotator) clearOld() error {
	for _, row := range a.oldRows {
		note, _ := excelize.CoordinatesToCellName(a.errCol, row)
		if err := a.f.SetCellValue(a.sheet, note, nil); err != nil {
			return err
		}
	}
	red := markedStyles(a.f)
	if len(red) == 0 {
		return nil
	}
	plain := map[int]int{}
	for row := 1; row <= a.last; row++ {
		for col := 1; col <= a.width; col++ {
			cell, _ := excelize.CoordinatesToCellName(col, row)
			id, err := a.f.GetCellStyle(a.sheet, cell)
			if err != nil {
				return err
			}
			if !red[id] {
				continue
			}
			p, ok := plain[id]
			if !ok {
				p = unfilled(a.f, id)
				plain[id] = p
			}
			if err := a.f.SetCellStyle(a.sheet, cell, cell, p); err != nil {
				return err
			}
		}
	}
	return nil
}

// markedStyles are the cell formats filled with markColor, read from the
// stylesheet itself: a spreadsheet that re-saved the file may have written
// the colour as ARGB ("FFFFC7CE") and left out the theme, through which
// excelize's GetStyle reads colours.
func markedStyles(f *excelize.File) map[int]bool {
	s := f.Styles
	if s == nil || s.CellXfs == nil || s.Fills == nil {
		return nil
	}
	red := map[int]bool{}
	for id, xf := range s.CellXfs.Xf {
		if xf.FillID == nil || *xf.FillID < 0 || *xf.FillID >= len(s.Fills.Fill) {
			continue
		}
		pf := s.Fills.Fill[*xf.FillID].PatternFill
		if pf != nil && pf.FgColor != nil && isMarkColor(pf.FgColor.RGB) {
			red[id] = true
		}
	}
	return red
}

// isMarkColor reports whether rgb is markColor, as RGB or ARGB.
func isMarkColor(rgb string) bool {
	rgb = strings.TrimPrefix(rgb, "#")
	return (len(rgb) == 6 || len(rgb) == 8) && strings.EqualFold(rgb[len(rgb)-6:], markColor)
}

// unfilled adds a copy of cell format id without fill and returns its id;
// every other part of the format (font, border, number format) is kept as
// the file has it.
func unfilled(f *excelize.File, id int) int {
	xf := f.Styles.CellXfs.Xf[id]
	none := 0
	xf.FillID, xf.ApplyFill = &none, nil
	f.Styles.CellXfs.Xf = append(f.Styles.CellXfs.Xf, xf)
	f.Styles.CellXfs.Count = len(f.Styles.CellXfs.Xf)
	return len(f.Styles.CellXfs.Xf) - 1
}

// dimension sets the sheet's <dimension> to A1 through the error column
// and the last row, noted or read.
func (a *annotator) dimension(list Errors) error {
	last := max(a.last, 1)
	for _, e := range list.List {
		if e.Row <= excelize.TotalRows {
			last = max(last, e.Row)
		}
	}
	end, err := excelize.CoordinatesToCellName(max(a.width, a.errCol), last)
	if err != nil {
		return err
	}
	return a.f.SetSheetDimension(a.sheet, "A1:"+end)
}

// write puts the reasons in the error column and marks the bad cells.
func (a *annotator) write(list Errors) error {
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
	for _, e := range list.List {
		if e.Row < 1 || e.Row > excelize.TotalRows {
			continue
		}
		if _, ok := reasons[e.Row]; !ok {
			order = append(order, e.Row)
		}
		reasons[e.Row] = append(reasons[e.Row], e.Reason)
		col := e.Col
		if col == 0 && e.Column != "" {
			col = a.heads[strings.TrimSpace(e.Column)]
		}
		if col > 0 && col <= excelize.MaxColumns && col != a.errCol {
			if err := a.mark(col, e.Row); err != nil {
				return err
			}
		}
	}

	col, _ := excelize.ColumnNumberToName(a.errCol)
	head := HeadErrors
	notes := reasons[1]
	if rest := list.Rest(); rest != "" {
		notes = append(notes, rest)
	}
	if len(notes) > 0 {
		head += ":" + strings.Join(notes, ";")
	}
	if err := a.f.SetCellValue(a.sheet, col+"1", CellText(head)); err != nil {
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
		if err := a.f.SetCellValue(a.sheet, cell, CellText(strings.Join(reasons[row], ";"))); err != nil {
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
		if err != nil { // a style id the stylesheet lacks: start from none
			st = &excelize.Style{}
		}
		st.Fill = excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{markColor}}
		if red, err = a.f.NewStyle(st); err != nil {
			return err
		}
		a.marked[id] = red
	}
	return a.f.SetCellStyle(a.sheet, cell, cell, red)
}
