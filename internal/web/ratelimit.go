package web

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"math"
	"sync"
	"time"
)

// rateLimiter is an in-memory token bucket per client plus one shared by
// all clients (a ceiling on the whole service). Clients are keyed by an HMAC
// of their address under a random key made when the limiter is, so that
// neither the address nor anything linkable to it outlives the process:
// the key is never stored or logged, and idle buckets are dropped.
type rateLimiter struct {
	mu      sync.Mutex
	now     func() time.Time
	key     []byte
	per     limit
	global  limit
	all     bucket
	buckets map[[16]byte]*bucket
	swept   time.Time
}

// limit is a bucket size and the time it takes to refill from empty.
type limit struct {
	burst int
	every time.Duration
}

func (l limit) rate() float64 { return float64(l.burst) / l.every.Seconds() }

type bucket struct {
	tokens float64
	at     time.Time
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
	key := make([]byte, 32)
	rand.Read(key) // never fails
	l := &rateLimiter{now: now, key: key, per: limit{burst, every}, global: limit{globalBurst, globalEvery},
		buckets: map[[16]byte]*bucket{}}
	l.all = bucket{tokens: float64(globalBurst), at: now()}
	l.swept = now()
	return l
}

// take refills b to now and takes one token if it has one; otherwise it
// reports how long until it will.
func (b *bucket) take(l limit, now time.Time, commit bool) (bool, time.Duration) {
	if d := now.Sub(b.at).Seconds(); d > 0 {
		b.tokens = math.Min(float64(l.burst), b.tokens+d*l.rate())
	}
	b.at = now
	if b.tokens >= 1 {
		if commit {
			b.tokens--
		}
		return true, 0
	}
	wait := time.Duration((1 - b.tokens) / l.rate() * float64(time.Second))
	return false, max(wait, time.Second)
}

// allow takes a token for the client at addr and one from the global
// bucket, or neither; when refused it says how long to wait.
func (l *rateLimiter) allow(addr string) (bool, time.Duration) {
	m := hmac.New(sha256.New, l.key)
	m.Write([]byte(addr))
	var id [16]byte
	copy(id[:], m.Sum(nil))

	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	l.sweep(now)
	b := l.buckets[id]
	if b == nil {
		b = &bucket{tokens: float64(l.per.burst), at: now}
		if len(l.buckets) < maxClients {
			l.buckets[id] = b
		}
	}
	if ok, wait := b.take(l.per, now, false); !ok {
		return false, wait
	}
	if ok, wait := l.all.take(l.global, now, true); !ok {
		return false, wait
	}
	b.take(l.per, now, true)
	return true, 0
}

// sweep drops, at most once a minute, the buckets that have refilled: they
// hold nothing a fresh bucket would not.
func (l *rateLimiter) sweep(now time.Time) {
	if now.Sub(l.swept) < time.Minute {
		return
	}
	l.swept = now
	for id, b := range l.buckets {
		if b.tokens+now.Sub(b.at).Seconds()*l.per.rate() >= float64(l.per.burst) {
			delete(l.buckets, id)
		}
	}
}

// The limits of the public tip routes.
const (
	tipBurst, tipEvery             = 5, 10 * time.Minute   // per client: 5 tips per 10 minutes
	tipGlobalBurst, tipGlobalEvery = 300, 10 * time.Minute // all clients
	lookupBurst, lookupEvery       = 30, time.Minute       // per client: 30 status look-ups a minute
	lookupGlobalBurst              = 1200                  // all clients, a minute
)

// tipLimiters are the two limiters of one Server.
type tipLimiters struct {
	submit, lookup *rateLimiter
}

func newTipLimiters() *tipLimiters {
	return &tipLimiters{
		submit: newRateLimiter(tipBurst, tipEvery, tipGlobalBurst, tipGlobalEvery, nil),
		lookup: newRateLimiter(lookupBurst, lookupEvery, lookupGlobalBurst, lookupEvery, nil),
	}
}
