package main

import (
	"bytes"
	"context"
	"math"
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
	scalingLine := regexp.MustCompile(`(?m)^- [a-z-]+: 8 clients write [0-9.]+× what one client does, the median of 2 turns, [0-9.]+–[0-9.]+×; the bare stack [0-9.]+× \(target ≥ 1\.5×: (met|\*\*missed\*\*)\)$`)
	if n := len(scalingLine.FindAll(table, -1)); n != 3 {
		t.Errorf("%d lines on the writes' scaling over two turns, want 3:\n%s", n, table)
	}
}

// TestScalingByTurn: a write's scaling is each turn's rate at 8 clients
// over the same turn's at one client, the median of the turns' (the lower
// middle one), not the ratio of the two rows' median pairs, which may come
// from turns far apart; the bare stack's is counted the same way.
func TestScalingByTurn(t *testing.T) {
	run := func(requests int) result { return result{times: make([]time.Duration, requests), elapsed: time.Second} }
	h := &headline{name: "ledger-note", write: true}
	// The machine slows from turn to turn: the platform's one client does
	// 100, 80, 60 and its 8 clients 180, 120, 84 (1.8×, 1.5×, 1.4×).
	var one, eight []vsRow
	for _, rates := range [][4]int{{100, 200, 180, 300}, {80, 160, 120, 200}, {60, 120, 84, 150}} {
		one = append(one, vsRow{h: h, clients: 1, app: run(rates[0]), bare: run(rates[1])})
		eight = append(eight, vsRow{h: h, clients: 8, app: run(rates[2]), bare: run(rates[3])})
	}
	rows := []vsRow{median(one), median(eight)}
	s, ok := scaling(rows, rows[1], false)
	if !ok || math.Abs(s.median-1.5) > 1e-9 || len(s.turns) != 3 || math.Abs(s.turns[2]-1.4) > 1e-9 {
		t.Errorf("the platform's scaling: %+v, %v; want the median 1.5 of 1.8, 1.5, 1.4", s, ok)
	}
	// The rows' median pairs (ratios 0.5, 0.5, 0.5 at one client and 0.6,
	// 0.6, 0.56 at 8) are the second turn's at one client (80) and the
	// first turn's at 8 (180): 2.25×, from turns apart, is not reported.
	if got := rows[1].rate(rows[1].app) / rows[0].rate(rows[0].app); got != 2.25 {
		t.Fatalf("the median pairs' rates give %v, want 2.25 (the test's premise)", got)
	}
	bare, _ := scaling(rows, rows[1], true)
	if math.Abs(bare.median-1.25) > 1e-9 {
		t.Errorf("the bare stack's scaling %v, want 1.25 (1.5, 1.25, 1.25)", bare.median)
	}
	if _, ok := scaling(rows, rows[0], false); ok {
		t.Error("a scaling for the row of one client")
	}
	line := scalingLine(rows, rows[1], "**missed**")
	if want := "ledger-note: 8 clients write 1.50× what one client does, the median of 3 turns, 1.40–1.80×; the bare stack 1.25× (target ≥ 1.5×: met)"; line != want {
		t.Errorf("line %q\nwant %q", line, want)
	}
	rows[1].pairs[0].app = run(110) // the first turn 1.1×: the median 1.4×
	if line := scalingLine(rows, rows[1], "**missed**"); !strings.HasSuffix(line, "(target ≥ 1.5×: **missed**)") || !strings.Contains(line, "write 1.40× what") {
		t.Errorf("a median under 1.5× (1.4): %q", line)
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
	if m.ratio() != 0.45 || !slices.Equal(m.ratios(), []float64{0.6, 0.4, 0.5, 0.45}) || m.spread() != "40.0–60.0%" {
		t.Errorf("median of four: ratio %v, ratios %v, range %q", m.ratio(), m.ratios(), m.spread())
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
