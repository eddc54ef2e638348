package web

import "time"

// SetTipSubmitLimit replaces s's tip submission limits, for tests that
// reach the global ceiling without hundreds of tips; the limits kept in
// the database are the same.
func SetTipSubmitLimit(s *Server, burst int, every time.Duration, globalBurst int, globalEvery time.Duration) {
	s.tips.submit = newRateLimiter(burst, every, globalBurst, globalEvery, nil)
	s.tips.submit.name = "tip-submit"
}
