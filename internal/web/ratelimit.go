package web

import (
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/huanjie/huanjie/internal/account"
)

// rateLimiter limits requests per client and, over all clients together, a
// ceiling on the whole service, with golang.org/x/time/rate's token
// buckets. Clients are named by an opaque id: the server passes a keyed
// hash of the client's address (Server.clientID), never the address, and
// idle clients are dropped, so nothing linkable to an address is kept.
//
// It is the first of two checks and holds in one process only: every
// request it lets through is then charged to the same limits kept in the
// database (shared), which the office's servers share. It never lets
// through what the shared limits refuse; it keeps a flood from reaching
// the database.
type rateLimiter struct {
	mu       sync.Mutex
	now      func() time.Time
	perRate  rate.Limit
	perBurst int
	global   *rate.Limiter
	clients  map[string]*rate.Limiter
	swept    time.Time

	name string         // the shared buckets' name, "" for none
	per  account.Bucket // the shared per-client bucket, without its key
	all  account.Bucket // the shared bucket of all clients
}

// maxClients bounds the memory of the per-client buckets; beyond it only
// the global ceiling applies until idle buckets are swept.
const maxClients = 100_000

// newRateLimiter allows each client burst requests refilled over every, and
// all clients together globalBurst over globalEvery. now is the clock (nil
// for time.Now).
func newRateLimiter(burst int, every time.Duration, globalBurst int, globalEvery time.Duration, now func() time.Time) *rateLimiter {
	if now == nil {
		now = time.Now
	}
	l := &rateLimiter{now: now, perRate: rate.Every(every / time.Duration(burst)), perBurst: burst,
		global:  rate.NewLimiter(rate.Every(globalEvery/time.Duration(globalBurst)), globalBurst),
		clients: map[string]*rate.Limiter{},
		per:     account.Bucket{Burst: burst, Every: every}, all: account.Bucket{Burst: globalBurst, Every: globalEvery}}
	l.swept = now()
	return l
}

// shared returns the database's buckets of client id and of all clients,
// named after l; none when l has no name.
func (l *rateLimiter) shared(id string) (client, all []account.Bucket) {
	if l.name == "" {
		return nil, nil
	}
	c, a := l.per, l.all
	c.Key, a.Key = l.name+":"+id, l.name+":*"
	return []account.Bucket{c}, []account.Bucket{a}
}

// client returns the bucket of id, new and full if it has none (kept only
// while there is room).
func (l *rateLimiter) client(id string) *rate.Limiter {
	b := l.clients[id]
	if b == nil {
		b = rate.NewLimiter(l.perRate, l.perBurst)
		if len(l.clients) < maxClients {
			l.clients[id] = b
		}
	}
	return b
}

// reserve takes one token of b at now, or none; when it has none it says
// how long until it will.
func reserve(b *rate.Limiter, now time.Time) (*rate.Reservation, time.Duration) {
	r := b.ReserveN(now, 1)
	if !r.OK() {
		return nil, time.Hour
	}
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return nil, max(d, time.Second)
	}
	return r, 0
}

// allow takes a token for the client id and one from the global bucket, or
// neither; when refused it says how long to wait.
func (l *rateLimiter) allow(id string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	l.sweep(now)
	mine, wait := reserve(l.client(id), now)
	if mine == nil {
		return false, wait
	}
	if all, wait := reserve(l.global, now); all == nil {
		mine.CancelAt(now)
		return false, wait
	}
	return true, 0
}

// allowClient takes a token for the client id alone, provided the global
// bucket still has one, which it leaves for commit: a request that fails
// afterwards (an invalid submission) costs the client, not everyone.
func (l *rateLimiter) allowClient(id string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	l.sweep(now)
	all, wait := reserve(l.global, now)
	if all == nil {
		return false, wait
	}
	all.CancelAt(now)
	if mine, wait := reserve(l.client(id), now); mine == nil {
		return false, wait
	}
	return true, 0
}

// commit takes one token from the global bucket for a request allowClient
// let through and that succeeded. The ceiling may be passed by the
// requests already let through when it ran out, at most one each.
func (l *rateLimiter) commit() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.global.AllowN(l.now(), 1)
}

// sweep drops, at most once a minute, the buckets that have refilled: they
// hold nothing a fresh bucket would not.
func (l *rateLimiter) sweep(now time.Time) {
	if now.Sub(l.swept) < time.Minute {
		return
	}
	l.swept = now
	for id, b := range l.clients {
		if b.TokensAt(now) >= float64(l.perBurst) {
			delete(l.clients, id)
		}
	}
}

// The limits of the public tip routes.
const (
	tipBurst, tipEvery             = 5, 10 * time.Minute   // per client: 5 submissions per 10 minutes, valid or not
	tipGlobalBurst, tipGlobalEvery = 300, 10 * time.Minute // all clients: 300 accepted tips per 10 minutes
	lookupBurst, lookupEvery       = 30, time.Minute       // per client: 30 status look-ups a minute
	lookupGlobalBurst              = 1200                  // all clients, a minute
)

// tipLimiters are the two limiters of one Server.
type tipLimiters struct {
	submit, lookup *rateLimiter
}

func newTipLimiters() *tipLimiters {
	l := &tipLimiters{
		submit: newRateLimiter(tipBurst, tipEvery, tipGlobalBurst, tipGlobalEvery, nil),
		lookup: newRateLimiter(lookupBurst, lookupEvery, lookupGlobalBurst, lookupEvery, nil),
	}
	l.submit.name, l.lookup.name = "tip-submit", "tip-lookup"
	return l
}
