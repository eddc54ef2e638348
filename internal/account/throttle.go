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

// Bucket is a rate limit that the platform's servers share through the
// database: Burst requests at once, refilled evenly over Every. Its state
// is one instant, the generic cell rate algorithm's theoretical arrival
// time (TAT): the bucket is full at any now after it, and each request
// moves it on by Every/Burst. Key names the bucket, e.g. a route's limit
// for one client (under a keyed hash of its source) or for all clients.
type Bucket struct {
	Key   string
	Burst int
	Every time.Duration
}

// Take charges one request at now to the bucket whose TAT is tat and
// returns the new TAT; when the bucket has no token it returns tat as it
// was and how long until it will have one.
func (b Bucket) Take(tat, now time.Time) (time.Time, time.Duration) {
	if tat.Before(now) {
		tat = now
	}
	next := tat.Add(b.Every / time.Duration(b.Burst))
	if over := next.Sub(now) - b.Every; over > 0 {
		return tat, over
	}
	return next, 0
}
