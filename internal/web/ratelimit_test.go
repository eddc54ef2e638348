package web

import (
	"testing"
	"time"
)

type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time       { return c.t }
func (c *fakeClock) add(d time.Duration)  { c.t = c.t.Add(d) }
func (c *fakeClock) fn() func() time.Time { return c.now }

func TestRateLimiterPerClient(t *testing.T) {
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
	c := &fakeClock{time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)}
	l := newRateLimiter(2, time.Minute, 100, time.Minute, c.fn())
	l.allow("192.0.2.1")
	if len(l.buckets) != 1 {
		t.Fatalf("%d buckets, want 1", len(l.buckets))
	}
	for id := range l.buckets {
		if string(id[:]) == "192.0.2.1" {
			t.Fatal("bucket keyed by the address itself")
		}
	}
	c.add(2 * time.Minute)
	l.allow("192.0.2.2")
	if len(l.buckets) != 1 {
		t.Fatalf("%d buckets after the sweep, want only the new client's", len(l.buckets))
	}
}
