// Package civil is the platform's one way of reading, writing and counting
// days. A Date is a day of the Chinese civil calendar (UTC+8, no daylight
// saving): every date a user enters or sees, every deadline and every age
// is one, and "today" is always Of(now) for the store's clock. A day is
// never parsed as UTC midnight and compared with a local instant, the bug
// that refused today's entries before 08:00.
package civil

import (
	"errors"
	"time"
)

// Zone is the zone days are counted in, fixed so that no system zone
// database is needed.
var Zone = time.FixedZone("CST", 8*3600)

// Layout is how a Date is written: in forms, JSON, spreadsheets and the
// database.
const Layout = time.DateOnly

// Date is a civil day written YYYY-MM-DD; "" is no date. Parse and Of make
// only real calendar days; a Date decoded from outside is checked with
// Valid before it is kept. Valid Dates compare in time order with < and >.
type Date string

// ErrDate is what Parse answers for anything but a real YYYY-MM-DD day.
var ErrDate = errors.New("日期无效,应写成 2026-03-15 这样的年-月-日")

// Parse reads a day a user entered: exactly YYYY-MM-DD and a real day of
// the calendar (2026-02-30 is refused).
func Parse(s string) (Date, error) {
	t, err := time.ParseInLocation(Layout, s, Zone)
	if err != nil || t.Year() < 1900 || t.Year() > 2200 {
		return "", ErrDate
	}
	return Date(s), nil
}

// Of is the day in China of the instant t.
func Of(t time.Time) Date { return Date(t.In(Zone).Format(Layout)) }

// Start is the instant d began in China; the zero time for "" or a date
// that does not parse.
func (d Date) Start() time.Time {
	t, err := time.ParseInLocation(Layout, string(d), Zone)
	if err != nil {
		return time.Time{}
	}
	return t
}

// DayStart is the instant the day of t began in China.
func DayStart(t time.Time) time.Time { return Of(t).Start() }

// AddDays is the day n days after d (before, for negative n); "" stays "".
func (d Date) AddDays(n int) Date {
	if d == "" {
		return ""
	}
	return Of(d.Start().AddDate(0, 0, n))
}

// IsZero reports whether d is no date.
func (d Date) IsZero() bool { return d == "" }

// String is d as written, "" for no date.
func (d Date) String() string { return string(d) }

// Valid reports whether d names a real calendar day. A Date decoded from a
// form or JSON is checked with Valid by its domain's Validate.
func (d Date) Valid() bool {
	_, err := Parse(string(d))
	return err == nil
}
