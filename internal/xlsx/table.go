package xlsx

import (
	"fmt"
	"io"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/huanjie/huanjie/internal/civil"
)

// Column is one column of a list written by Table.
type Column struct {
	Head  string
	Width float64
	Wrap  bool // long text: wrapped, the row top-aligned
	Text  bool // kept as text when edited ("@"), e.g. a masked ID number
}

// Table writes a list as a workbook of one sheet named sheet: the header,
// bold and frozen at the top, then n rows, row(i) giving the cells of the
// i-th in the columns' order. A string cell is written as text (CellText),
// a civil.Date as a date and a time.Time as a date and time in China time
// (Day, Moment), so that spreadsheets sort and filter them as dates; any
// other value as it is.
func Table(w io.Writer, sheet string, cols []Column, n int, row func(i int) []any) error {
	return Tables(w, TableSheet{Name: sheet, Cols: cols, N: n, Row: row})
}

// TableSheet is one sheet of a workbook Tables writes: a list as Table writes it.
type TableSheet struct {
	Name string
	Cols []Column
	N    int
	Row  func(i int) []any
}

// Tables writes a workbook of one sheet for each of sheets (at least one),
// in their order, each as Table writes its one.
func Tables(w io.Writer, sheets ...TableSheet) error {
	if len(sheets) == 0 {
		return Failed(fmt.Errorf("xlsx: a workbook of no sheet"))
	}
	f, err := NewBook(sheets[0].Name)
	if err != nil {
		return Failed(err)
	}
	defer f.Close()
	for i, s := range sheets {
		if i > 0 {
			if _, err := f.NewSheet(s.Name); err != nil {
				return Failed(err)
			}
		}
		if err := table(f, s.Name, s.Cols, s.N, s.Row); err != nil {
			return Failed(err)
		}
	}
	return Write(w, f)
}

func table(f *excelize.File, sheet string, cols []Column, n int, row func(i int) []any) error {
	head, err := HeaderStyle(f, "DDEBF7", false)
	if err != nil {
		return err
	}
	day, err := DateStyle(f, nil, DayFormat)
	if err != nil {
		return err
	}
	moment, err := DateStyle(f, nil, MomentFormat)
	if err != nil {
		return err
	}
	wrap, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return err
	}
	text, err := f.NewStyle(&excelize.Style{NumFmt: 49})
	if err != nil {
		return err
	}
	heads := make([]string, len(cols))
	widths := make([]float64, len(cols))
	styles := make([]int, len(cols))
	for i, c := range cols {
		heads[i], widths[i] = c.Head, c.Width
		switch {
		case c.Wrap:
			styles[i] = wrap
		case c.Text:
			styles[i] = text
		}
	}
	sw, err := NewStream(f, sheet, n+1, widths, nil)
	if err != nil {
		return err
	}
	if err := sw.Header(head, heads); err != nil {
		return err
	}
	for i := range n {
		cells := row(i)
		if len(cells) > len(cols) {
			return fmt.Errorf("xlsx: sheet %s row %d has %d cells for %d columns", sheet, i+2, len(cells), len(cols))
		}
		for j, v := range cells {
			switch v := v.(type) {
			case string:
				cells[j] = excelize.Cell{StyleID: styles[j], Value: CellText(v)}
			case civil.Date:
				cells[j] = Day(v, day)
			case time.Time:
				cells[j] = Moment(v, moment)
			}
		}
		if err := sw.Row(cells); err != nil {
			return err
		}
	}
	return sw.Flush()
}
