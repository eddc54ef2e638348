package xlsx

import (
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"
)

// NewBook is a new workbook whose first sheet is named sheet.
func NewBook(sheet string) (*excelize.File, error) {
	f := excelize.NewFile()
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		_ = f.Close()
		return nil, err
	}
	return f, nil
}

// Border is the thin grey border of the platform's tables.
var Border = []excelize.Border{
	{Type: "left", Color: "A6A6A6", Style: 1}, {Type: "right", Color: "A6A6A6", Style: 1},
	{Type: "top", Color: "A6A6A6", Style: 1}, {Type: "bottom", Color: "A6A6A6", Style: 1},
}

// HeaderStyle is a bold header filled with fill ("" for none), centred and
// wrapped, with Border when bordered.
func HeaderStyle(f *excelize.File, fill string, bordered bool) (int, error) {
	st := &excelize.Style{
		Font:      &excelize.Font{Bold: true},
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true},
	}
	if fill != "" {
		st.Fill = excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{fill}}
	}
	if bordered {
		st.Border = Border
	}
	return f.NewStyle(st)
}

// Stream writes one sheet row by row, from row 1.
type Stream struct {
	sw         *excelize.StreamWriter
	sheet      string
	row        int  // the last row written
	rows, cols int  // the sheet's extent, as NewStream was told
	widest     int  // the most cells of a row written
	paned      bool // Panes was called
}

// NewStream starts writing sheet, of rows rows in all (header, skipped and
// closing rows included) and len(widths) columns, with its columns' widths
// and first columns' styles (0: none). The sheet's <dimension> names that
// extent, written before the rows as the stream writer must: readers that
// trust it (openpyxl's read-only mode among them) would otherwise see A1
// only. Flush fails when the rows written do not match it. The stream
// writer lists the columns of its latest call first and Excel wants them
// in ascending order, so they are set last to first.
func NewStream(f *excelize.File, sheet string, rows int, widths []float64, styles []int) (*Stream, error) {
	end, err := excelize.CoordinatesToCellName(max(len(widths), 1), max(rows, 1))
	if err != nil {
		return nil, err
	}
	if err := f.SetSheetDimension(sheet, "A1:"+end); err != nil {
		return nil, err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return nil, err
	}
	for i := len(widths) - 1; i >= 0; i-- {
		if err := sw.SetColWidth(i+1, i+1, widths[i]); err != nil {
			return nil, err
		}
		if i < len(styles) && styles[i] != 0 {
			if err := sw.SetColStyle(i+1, i+1, styles[i]); err != nil {
				return nil, err
			}
		}
	}
	return &Stream{sw: sw, sheet: sheet, rows: rows, cols: len(widths)}, nil
}

// Panes freezes panes; call it before the first row.
func (s *Stream) Panes(p *excelize.Panes) error {
	s.paned = true
	return s.sw.SetPanes(p)
}

// freezeHeader is the pane that keeps row 1 in view.
var freezeHeader = excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}

// Header writes heads, each in style, as the next row. As the first row it
// is frozen at the top, unless Panes froze more: every list the platform
// exports keeps its header in view, in Excel and in LibreOffice alike.
func (s *Stream) Header(style int, heads []string, opts ...excelize.RowOpts) error {
	if s.row == 0 && !s.paned {
		p := freezeHeader
		if err := s.Panes(&p); err != nil {
			return err
		}
	}
	cells := make([]any, len(heads))
	for i, h := range heads {
		cells[i] = excelize.Cell{StyleID: style, Value: h}
	}
	return s.Row(cells, opts...)
}

// Row writes the next row.
func (s *Stream) Row(cells []any, opts ...excelize.RowOpts) error {
	s.row++
	s.widest = max(s.widest, len(cells))
	cell, err := excelize.CoordinatesToCellName(1, s.row)
	if err != nil {
		return err
	}
	return s.sw.SetRow(cell, cells, opts...)
}

// Merge merges the cells from topLeft to bottomRight ("A1", "A2"), whose
// rows are written or to be written by the stream.
func (s *Stream) Merge(topLeft, bottomRight string) error {
	return s.sw.MergeCell(topLeft, bottomRight)
}

// Skip leaves n rows empty.
func (s *Stream) Skip(n int) { s.row += n }

// Flush ends the sheet (data validation must be added before it).
func (s *Stream) Flush() error {
	if s.row != s.rows || s.widest > s.cols {
		return fmt.Errorf("xlsx: sheet %s written %d rows of up to %d cells, declared %d of %d", s.sheet, s.row, s.widest, s.rows, s.cols)
	}
	return s.sw.Flush()
}

// Write writes the workbook to w; a failure is ours (see Failed).
func Write(w io.Writer, f *excelize.File) error {
	if _, err := f.WriteTo(w); err != nil {
		return Failed(err)
	}
	return nil
}
