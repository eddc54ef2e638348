package account

import "time"

// Login throttling: after MaxFailures failed logins for one username, or
// MaxClientFailures from one client address, within FailureWindow, further
// attempts are refused until LockFor has passed, whether or not the password
// is right. The address limit is higher because an office behind one proxy
// shares an address.
const (
	MaxFailures       = 5
	MaxClientFailures = 20
	FailureWindow     = 15 * time.Minute
	LockFor           = 15 * time.Minute
)

// Attempts is the failure record of one username or one client address.
type Attempts struct {
	Failures    int
	FirstAt     time.Time
	LockedUntil time.Time
}

// Locked reports whether attempts are refused at now.
func (a Attempts) Locked(now time.Time) bool { return now.Before(a.LockedUntil) }

// Fail records one failure at now and returns the new record, locked once it
// reaches limit failures.
func (a Attempts) Fail(now time.Time, limit int) Attempts {
	if a.Failures == 0 || now.Sub(a.FirstAt) > FailureWindow {
		a = Attempts{FirstAt: now}
	}
	a.Failures++
	if a.Failures >= limit {
		a.LockedUntil = now.Add(LockFor)
	}
	return a
}
