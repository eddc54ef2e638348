package web

import (
	"testing"
	"time"
)

// SetTipSubmitLimit replaces s's tip submission limits, for tests that
// reach the global ceiling without hundreds of tips; the limits kept in
// the database are the same.
func SetTipSubmitLimit(s *Server, burst int, every time.Duration, globalBurst int, globalEvery time.Duration) {
	s.tips.submit = newRateLimiter(burst, every, globalBurst, globalEvery, nil)
	s.tips.submit.name = "tip-submit"
}

// DrawOnce has each page served while tb runs drawn once, as the server
// draws it: the package's tests draw each page of a GET a second time,
// from its template as written, and compare the two (main_test.go), which
// a benchmark must neither time nor count among its allocations.
func DrawOnce(tb testing.TB) {
	check := checkBlankForms
	checkBlankForms = nil
	tb.Cleanup(func() { checkBlankForms = check })
}
