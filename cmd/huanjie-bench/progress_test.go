package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/huanjie/huanjie/internal/termprogress"
)

// fakeTerminal is an output that says it is a terminal.
type fakeTerminal struct{ bytes.Buffer }

func (*fakeTerminal) IsTerminal() bool { return true }

// TestPhasesShowProgressOnTerminal: the benchmark's phases draw a progress
// line with counts and the time left on a terminal, and nothing into a
// pipe or file (a buffer here).
func TestPhasesShowProgressOnTerminal(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok")) }))
	defer ts.Close()
	c := newClient(strings.TrimPrefix(ts.URL, "http://"), 2)
	defer c.transport.CloseIdleConnections()
	ctx := context.Background()

	var term fakeTerminal
	lat := latencyPhase(ctx, c, []string{"/a", "/b"}, 20, termprogress.New(&term))
	if lat[0].n != 20 || lat[1].n != 20 {
		t.Fatalf("requests: %d %d", lat[0].n, lat[1].n)
	}
	for _, re := range []string{"\r\033\\[K/a 1/20\\(5%\\) 已用 [0-9:]+ 剩余约 [0-9]+:[0-9]{2}", "/a 20/20\\(100%\\) 已用 [0-9:]+ 完成\n",
		"\r\033\\[K/b 1/20", "/b 20/20\\(100%\\) 已用 [0-9:]+ 完成\n"} {
		if !regexp.MustCompile(re).MatchString(term.String()) {
			t.Errorf("no %q in %q", re, term.String())
		}
	}
	term.Reset()
	concurrencyPhase(ctx, c, "/", 2, 1200*time.Millisecond, 1_000_000, termprogress.New(&term))
	if !regexp.MustCompile("\r\033\\[K/ 秒 0/1\\(0%\\) 已用 0:00 剩余时间估算中").MatchString(term.String()) ||
		!regexp.MustCompile("/ 秒 1/1\\(100%\\) 已用 0:01 完成\n$").MatchString(term.String()) {
		t.Errorf("concurrency phase on a terminal: %q", term.String())
	}

	var plain bytes.Buffer
	latencyPhase(ctx, c, []string{"/a"}, 5, termprogress.New(&plain))
	concurrencyPhase(ctx, c, "/", 2, 300*time.Millisecond, 1_000_000, termprogress.New(&plain))
	if plain.Len() != 0 {
		t.Errorf("progress printed into a non-terminal: %q", plain.String())
	}
}
