package xlsx

import (
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/huanjie/huanjie/internal/civil"
)

// Number formats of the platform's date cells, as the pages write them.
const (
	DayFormat    = "yyyy-mm-dd"
	MomentFormat = "yyyy-mm-dd hh:mm:ss"
)

// DateStyle adds style st (nil: a plain one) with number format layout
// (DayFormat or MomentFormat), for the cells Day and Moment write.
func DateStyle(f *excelize.File, st *excelize.Style, layout string) (int, error) {
	s := excelize.Style{}
	if st != nil {
		s = *st
	}
	s.NumFmt, s.CustomNumFmt = 0, &layout
	return f.NewStyle(&s)
}

// Day is day d as a date cell in style (see DateStyle): a date serial that
// spreadsheets sort, filter and count as a date, not text. No date is an
// empty cell; one that does not parse is written as it is.
func Day(d civil.Date, style int) excelize.Cell {
	if d == "" {
		return excelize.Cell{StyleID: style}
	}
	t, err := time.Parse(civil.Layout, string(d))
	if err != nil {
		return excelize.Cell{StyleID: style, Value: string(d)}
	}
	return excelize.Cell{StyleID: style, Value: t} // midnight UTC: excelize writes the wall clock
}

// Moment is instant t as a date-and-time cell in China time, in style (see
// DateStyle); the zero time is an empty cell.
func Moment(t time.Time, style int) excelize.Cell {
	if t.IsZero() {
		return excelize.Cell{StyleID: style}
	}
	c := t.In(civil.Zone)
	wall := time.Date(c.Year(), c.Month(), c.Day(), c.Hour(), c.Minute(), c.Second(), 0, time.UTC)
	return excelize.Cell{StyleID: style, Value: wall}
}
