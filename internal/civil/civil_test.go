package civil_test

import (
	"testing"
	"time"

	"github.com/huanjie/huanjie/internal/civil"
)

// The day of an instant is the day in China, whatever zone the instant was
// written in: 23:30 UTC is already the next day, 15:59 UTC still the same.
func TestOf(t *testing.T) {
	for _, c := range []struct {
		at   time.Time
		want civil.Date
	}{
		{time.Date(2026, 12, 2, 16, 0, 0, 0, time.UTC), "2026-12-03"},   // 00:00 China time
		{time.Date(2026, 12, 2, 15, 59, 59, 0, time.UTC), "2026-12-02"}, // 23:59:59 China time
		{time.Date(2026, 12, 3, 0, 30, 0, 0, civil.Zone), "2026-12-03"},
		{time.Date(2026, 12, 3, 23, 30, 0, 0, civil.Zone), "2026-12-03"},
		{time.Date(2026, 12, 31, 20, 0, 0, 0, time.UTC), "2027-01-01"},
	} {
		if got := civil.Of(c.at); got != c.want {
			t.Errorf("Of(%v) = %s, want %s", c.at, got, c.want)
		}
	}
}

func TestParse(t *testing.T) {
	for _, ok := range []string{"2026-12-03", "2028-02-29", "1950-01-01"} {
		if d, err := civil.Parse(ok); err != nil || string(d) != ok || !d.Valid() {
			t.Errorf("Parse(%q) = %q, %v", ok, d, err)
		}
	}
	for _, bad := range []string{"", "2026-02-30", "2027-02-29", "2026/12/03", "2026-12-3", " 2026-12-03",
		"2026-12-03T00:00:00Z", "2026-12-03 10:00", "1800-01-01", "9999-12-31", "2026-13-01", "２０２６-12-03"} {
		if d, err := civil.Parse(bad); err == nil || d != "" || civil.Date(bad).Valid() {
			t.Errorf("Parse(%q) accepted: %q", bad, d)
		}
	}
}

// A day starts at its midnight in China, and counting days never slips by
// the eight hours between China and UTC.
func TestArithmetic(t *testing.T) {
	d := civil.Date("2026-12-31")
	if s := d.Start(); !s.Equal(time.Date(2026, 12, 30, 16, 0, 0, 0, time.UTC)) {
		t.Errorf("Start = %v", s)
	}
	if got := d.AddDays(1); got != "2027-01-01" {
		t.Errorf("AddDays(1) = %s", got)
	}
	if got := civil.Date("2028-03-01").AddDays(-1); got != "2028-02-29" {
		t.Errorf("AddDays(-1) = %s", got)
	}
	if got := civil.Date("").AddDays(3); got != "" {
		t.Errorf("no date plus 3 days = %q", got)
	}
	if got := civil.DayStart(time.Date(2026, 12, 2, 17, 0, 0, 0, time.UTC)); !got.Equal(time.Date(2026, 12, 2, 16, 0, 0, 0, time.UTC)) {
		t.Errorf("DayStart = %v", got)
	}
	if !civil.Date("").Start().IsZero() || !civil.Date("junk").Start().IsZero() {
		t.Error("Start of no date is not zero")
	}
}
