package account

import (
	"net/netip"
	"strings"
	"time"
)

// Login throttling counts failures within FailureWindow under three keys and
// refuses further attempts under a key that reached its limit until LockFor
// has passed, whether or not the password is right:
//
//   - an account from one source (SourceOf): MaxFailures. A stranger who
//     fails the admin's login from elsewhere locks only themselves out of it.
//   - one source on any accounts: MaxClientFailures, higher because an office
//     behind one proxy shares an address.
//   - an account from all sources together: MaxAccountFailures, a ceiling
//     on guessing spread over many addresses. It takes at least
//     MaxAccountFailures/MaxFailures = 20 sources (distinct IPv4 addresses
//     or IPv6 /64 networks) to lock an account for everyone, and caps a
//     guesser at 100 tries per 15 minutes (under 10,000 a day) against a
//     password the policy says is not common.
const (
	MaxFailures        = 5
	MaxClientFailures  = 20
	MaxAccountFailures = 100
	FailureWindow      = 15 * time.Minute
	LockFor            = 15 * time.Minute
)

// SourceOf is what counts as one source of logins for client, an address:
// the address itself for IPv4, its /64 network for IPv6 (a host is
// usually given a whole /64, so single addresses cost an attacker nothing).
// Anything else is taken as it is.
func SourceOf(client string) string {
	a, err := netip.ParseAddr(strings.TrimSpace(client))
	if err != nil {
		return client
	}
	a = a.Unmap().WithZone("")
	if a.Is6() {
		p, _ := a.Prefix(64)
		return p.String()
	}
	return a.String()
}

// Attempts is the failure record under one throttling key.
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
