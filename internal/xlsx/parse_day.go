package xlsx

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/huanjie/huanjie/internal/civil"
)

var dayParts = regexp.MustCompile(`^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$`)

// ParseDay reads a day as a cell holds it: typed as 2026-03-01, 2026/3/1,
// 2026年3月1日 or 20260301, or stored by Excel as a serial day number (in the
// 1904 system when date1904). False for anything else or a day that does
// not exist. (recxls and assessxls read days the same way.)
func ParseDay(v string, date1904 bool) (civil.Date, bool) {
	v = strings.TrimSpace(v)
	if i := strings.IndexAny(v, " T"); i > 0 {
		v = v[:i]
	}
	if len(v) == 8 && strings.Trim(v, "0123456789") == "" {
		v = v[:4] + "-" + v[4:6] + "-" + v[6:]
	}
	if m := dayParts.FindStringSubmatch(v); m != nil {
		y, _ := strconv.Atoi(m[1])
		mo, _ := strconv.Atoi(m[2])
		d, _ := strconv.Atoi(m[3])
		t := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC)
		if t.Year() != y || int(t.Month()) != mo || t.Day() != d || y < 1900 {
			return "", false
		}
		return civil.Date(t.Format(civil.Layout)), true
	}
	serial, err := strconv.ParseFloat(v, 64)
	if err != nil || serial < 1 || serial > 2958465 {
		return "", false
	}
	t, err := excelize.ExcelDateToTime(serial, date1904)
	if err != nil {
		return "", false
	}
	return civil.Date(t.Format(civil.Layout)), true
}
