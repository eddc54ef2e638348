package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestVsBare runs the comparison with the bare stack on the demo zone on
// SQLite, briefly: every headline is timed on both sides at each level
// without an error, the bare stack replays the platform's own statements
// without the session's and the audit's, a write's recorded on many
// records, and the Markdown table holds a row per headline and level.
func TestVsBare(t *testing.T) {
	if testing.Short() {
		t.Skip("loads a demo zone")
	}
	md := filepath.Join(t.TempDir(), "vs.md")
	var out, errs bytes.Buffer
	code := run(context.Background(), []string{"--communities", "32", "--vs-bare", "--vs-sql", "--vs-duration", "150ms",
		"--levels", "1,8", "--vs-repeat", "2", "--markdown", md}, &out, &errs)
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, errs.String(), out.String())
	}
	text := out.String()
	// Nothing is timed before the server's first check of its log ended.
	if !regexp.MustCompile(`(?m)^the server's first check of its audit log ended [0-9.]+m?s after it was asked; the comparison runs after it$`).MatchString(text) ||
		strings.Index(text, "first check of its audit log") > strings.Index(text, "the platform against the bare stack") {
		t.Errorf("no wait for the server's first check of its audit log before the comparison:\n%s", text)
	}
	for _, name := range headlineNames {
		m := regexp.MustCompile(`(?m)^  ` + name + `: (\d+) statements replayed by the bare stack, (\d+) left out \(session, audit\), recorded on (\d+) records`).FindStringSubmatch(text)
		write := name != "home" && name != "community"
		if m == nil || m[1] == "0" || (write && (m[2] == "0" || m[3] == "1")) {
			t.Errorf("%s: replayed, left out and records: %v", name, m)
		}
		for _, n := range []string{"1", "8"} {
			if !regexp.MustCompile(`(?m)^\s+` + name + `\s+` + n + `\s+[1-9][0-9.]*\s+[0-9.]+\s+[0-9.]+\s+[1-9][0-9.]*\s`).MatchString(text) {
				t.Errorf("no row of %s at %s clients with both rates in\n%s", name, n, text)
			}
		}
	}
	// The replayed statements (printed with --vs-sql) hold the writes' own
	// and none of the audit's or the session's.
	replayed := regexp.MustCompile(`(?m)^  \[[^\]]*\] .*$`).FindAllString(text, -1)
	joined := strings.Join(replayed, "\n")
	for _, want := range []string{"INSERT INTO ledger_notes", "INSERT INTO assessments", "UPDATE review_requests SET verdict"} {
		if !strings.Contains(joined, want) {
			t.Errorf("the bare stack does not replay %q", want)
		}
	}
	for _, not := range []string{"audit", "sessions", "digest"} {
		if strings.Contains(joined, not) {
			t.Errorf("the bare stack replays a statement naming %q", not)
		}
	}
	table, err := os.ReadFile(md)
	if err != nil {
		t.Fatal(err)
	}
	if rows := regexp.MustCompile(`(?m)^\| [a-z-]+ \| [18] \| .* \| [0-9.]+% \| [0-9.]+–[0-9.]+% \| (met|\*\*missed\*\*) \|$`).FindAll(table, -1); len(rows) != 10 {
		t.Errorf("%d rows in the Markdown table with the range of two pairs' ratios, want 10:\n%s", len(rows), table)
	}
	if n := strings.Count(string(table), "8 clients write"); n != 3 {
		t.Errorf("%d lines on the writes' scaling, want 3:\n%s", n, table)
	}
}

// TestHeadlineNames: --vs-only accepts the names the headlines carry, and
// refuses another before loading anything.
func TestHeadlineNames(t *testing.T) {
	var names []string
	for _, h := range headlines(targets{}) {
		names = append(names, h.name)
	}
	if !slices.Equal(names, headlineNames) {
		t.Errorf("headlines %v, names --vs-only accepts %v", names, headlineNames)
	}
	var out, errs bytes.Buffer
	if code := run(context.Background(), []string{"--vs-bare", "--vs-only", "assessment,home-page"}, &out, &errs); code != 2 ||
		!strings.Contains(errs.String(), `"home-page" is not one of`) {
		t.Errorf("--vs-only home-page: exit %d, %q", code, errs.String())
	}
}

// TestMedianPair: a row repeated reports the pair whose ratio is the
// median, the lower middle one of an even number, with every ratio in the
// order run.
func TestMedianPair(t *testing.T) {
	run := func(requests int) result { return result{times: make([]time.Duration, requests), elapsed: time.Second} }
	var pairs []vsRow
	for _, app := range []int{60, 40, 50, 45} { // against 100 requests of the bare stack each
		pairs = append(pairs, vsRow{clients: 8, app: run(app), bare: run(100)})
	}
	m := median(pairs)
	if m.ratio() != 0.45 || !slices.Equal(m.ratios, []float64{0.6, 0.4, 0.5, 0.45}) || m.spread() != "40.0–60.0%" {
		t.Errorf("median of four: ratio %v, ratios %v, range %q", m.ratio(), m.ratios, m.spread())
	}
	if m := median(pairs[:3]); m.ratio() != 0.5 || m.spread() != "40.0–60.0%" {
		t.Errorf("median of three: ratio %v, range %q", m.ratio(), m.spread())
	}
	if m := median(pairs[:1]); m.ratio() != 0.6 || m.spread() != "" {
		t.Errorf("one pair: ratio %v, range %q", m.ratio(), m.spread())
	}
}

// TestBuildRevision: a test binary carries no version-control stamp, as a
// build with GOFLAGS=-buildvcs=false does not, so the table names the
// checkout the harness runs in, as git tells it.
func TestBuildRevision(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	if err := exec.Command("git", "rev-parse", "--git-dir").Run(); err != nil {
		t.Skip("not in a git checkout")
	}
	if r := buildRevision(); !regexp.MustCompile(`^ in checkout [0-9a-f]{7}(\+changes)?$`).MatchString(r) {
		t.Errorf("buildRevision() = %q, want the checkout's commit", r)
	}
}
