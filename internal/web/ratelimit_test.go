package web

import (
	"strings"
	"testing"
	"time"
)

type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time       { return c.t }
func (c *fakeClock) add(d time.Duration)  { c.t = c.t.Add(d) }
func (c *fakeClock) fn() func() time.Time { return c.now }

func TestRateLimiterPerClient(t *testing.T) {
	t.Parallel()
	c := &fakeClock{time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)}
	l := newRateLimiter(5, 10*time.Minute, 1000, time.Minute, c.fn())
	for i := range 5 {
		if ok, _ := l.allow("203.0.113.7"); !ok {
			t.Fatalf("request %d refused, want the first 5 allowed", i+1)
		}
	}
	ok, wait := l.allow("203.0.113.7")
	if ok {
		t.Fatal("6th request allowed, want refused")
	}
	if wait < time.Minute || wait > 2*time.Minute {
		t.Fatalf("wait %v, want about 2 minutes (one token per 2 minutes)", wait)
	}
	if ok, _ := l.allow("198.51.100.1"); !ok {
		t.Fatal("another client refused")
	}
	c.add(119 * time.Second)
	if ok, _ := l.allow("203.0.113.7"); ok {
		t.Fatal("allowed before a token refilled")
	}
	c.add(2 * time.Second)
	if ok, _ := l.allow("203.0.113.7"); !ok {
		t.Fatal("refused after a token refilled")
	}
	if ok, _ := l.allow("203.0.113.7"); ok {
		t.Fatal("allowed twice on one refilled token")
	}
	c.add(time.Hour)
	for i := range 5 {
		if ok, _ := l.allow("203.0.113.7"); !ok {
			t.Fatalf("after an hour request %d refused: the bucket should be full again, and no fuller", i+1)
		}
	}
	if ok, _ := l.allow("203.0.113.7"); ok {
		t.Fatal("bucket grew past its size while idle")
	}
}

func TestRateLimiterGlobalCeiling(t *testing.T) {
	t.Parallel()
	c := &fakeClock{time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)}
	l := newRateLimiter(5, time.Minute, 10, time.Minute, c.fn())
	allowed := 0
	for i := range 20 {
		if ok, _ := l.allow("10.0.0." + itoaInt(i)); ok {
			allowed++
		}
	}
	if allowed != 10 {
		t.Fatalf("%d allowed from 20 clients, want the global ceiling of 10", allowed)
	}
	// A refusal by the ceiling costs the client nothing.
	c.add(6 * time.Second)
	if ok, _ := l.allow("10.0.0.19"); !ok {
		t.Fatal("refused after the global bucket refilled one token")
	}
}

func TestRateLimiterForgetsIdleClients(t *testing.T) {
	t.Parallel()
	c := &fakeClock{time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)}
	l := newRateLimiter(2, time.Minute, 100, time.Minute, c.fn())
	l.allow("client-1")
	if len(l.clients) != 1 {
		t.Fatalf("%d buckets, want 1", len(l.clients))
	}
	c.add(2 * time.Minute)
	l.allow("client-2")
	if len(l.clients) != 1 {
		t.Fatalf("%d buckets after the sweep, want only the new client's", len(l.clients))
	}
}

// The limiters never see an address: clients are named by a keyed hash,
// one per IPv6 /64.
func TestClientIDIsKeyed(t *testing.T) {
	t.Parallel()
	s := &Server{}
	id := s.clientID(request("192.0.2.1:1234"))
	if strings.Contains(id, "192.0.2.1") || id == s.clientID(request("192.0.2.2:1234")) {
		t.Fatalf("client id %q", id)
	}
	if s.clientID(request("[2001:db8:1:2::1]:80")) != s.clientID(request("[2001:db8:1:2::ffff]:80")) {
		t.Fatal("two addresses of one /64 are two clients")
	}
}

// allowClient charges the client and only checks the ceiling; commit
// charges the ceiling (issue 12, finding 6).
func TestRateLimiterCommitCountsOnlyAccepted(t *testing.T) {
	t.Parallel()
	c := &fakeClock{time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)}
	l := newRateLimiter(2, time.Minute, 3, time.Minute, c.fn())
	for i := range 20 {
		if ok, _ := l.allowClient("invalid-" + itoaInt(i)); !ok {
			t.Fatalf("submission %d refused though nothing was accepted", i+1)
		}
	}
	l.allowClient("busy")
	l.allowClient("busy")
	if ok, _ := l.allowClient("busy"); ok {
		t.Fatal("client over its own limit")
	}
	for i := range 3 {
		if ok, _ := l.allowClient("good-" + itoaInt(i)); !ok {
			t.Fatalf("accepted tip %d refused", i+1)
		}
		l.commit()
	}
	if ok, wait := l.allowClient("late"); ok || wait < time.Second {
		t.Fatalf("allowed after the ceiling's accepted tips (wait %v)", wait)
	}
	c.add(20 * time.Second)
	if ok, _ := l.allowClient("late"); !ok {
		t.Fatal("refused after the ceiling refilled")
	}
}
