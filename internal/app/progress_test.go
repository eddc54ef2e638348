package app_test

import (
	"bytes"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/huanjie/huanjie/internal/app"
)

// fakeTerminal is an output that says it is a terminal, as a user's is.
type fakeTerminal struct{ bytes.Buffer }

func (*fakeTerminal) IsTerminal() bool { return true }

// runOn runs the command with its output going to out.
func runOn(t *testing.T, out interface{ Write([]byte) (int, error) }, args ...string) {
	t.Helper()
	var errOut bytes.Buffer
	if code := app.Main(ctx, args, app.IO{In: strings.NewReader(""), Out: out, Err: &errOut}); code != 0 {
		t.Fatalf("%s: %d %s", args[0], code, errOut.String())
	}
}

// progressLine matches a drawn progress line: redrawn in place, with counts.
var progressLine = regexp.MustCompile("\r\033\\[K\\S+ [0-9.]+(MB)?/[0-9.]+(MB)?\\([0-9]+%\\) 已用 [0-9]+:[0-9]{2}")

// TestLongCommandsShowProgressOnTerminal: demo, backup and restore draw a
// progress line with counts on a terminal, and print nothing beyond their
// own lines into anything else (a pipe, a file, CI's log).
func TestLongCommandsShowProgressOnTerminal(t *testing.T) {
	dir := t.TempDir()
	dsn := "sqlite:" + filepath.Join(dir, "live.db")
	var term fakeTerminal
	// A zone of 4 communities: the lines are the same at any size, and the
	// whole demo twice took over a minute of CI.
	runOn(t, &term, "demo", "--db", dsn, "--data", dir, "--communities", "4")
	demo := term.String()
	for _, want := range []string{"\r\033[K组织 9/9(100%) 已用 ", "\r\033[K两委成员 ", "admin"} {
		if !strings.Contains(demo, want) {
			t.Errorf("demo on a terminal lacks %q:\n%q", want, demo)
		}
	}
	if strings.Contains(demo, "已写入 组织") {
		t.Errorf("demo on a terminal still prints a line per batch:\n%s", demo)
	}

	out := filepath.Join(dir, "backup.tar.gz")
	term.Reset()
	runOn(t, &term, "backup", "--db", dsn, "--data", dir, "--out", out)
	if !regexp.MustCompile("\r\033\\[K备份 [0-9.]+MB/[0-9.]+MB\\(100%\\) 已用 [0-9:]+ 完成\n已备份").MatchString(term.String()) {
		t.Errorf("backup on a terminal: %q", term.String())
	}
	target := t.TempDir()
	term.Reset()
	runOn(t, &term, "restore", "--in", out, "--db", "sqlite:"+filepath.Join(target, "huanjie.db"), "--data", target)
	if !regexp.MustCompile("\r\033\\[K恢复 [0-9.]+MB/[0-9.]+MB\\(100%\\) 已用 [0-9:]+ 完成\n已恢复").MatchString(term.String()) {
		t.Errorf("restore on a terminal: %q", term.String())
	}

	// Not a terminal: today's lines only.
	dir2 := t.TempDir()
	dsn2 := "sqlite:" + filepath.Join(dir2, "live.db")
	var plain bytes.Buffer
	runOn(t, &plain, "demo", "--db", dsn2, "--data", dir2, "--communities", "4")
	runOn(t, &plain, "backup", "--db", dsn2, "--data", dir2, "--out", filepath.Join(dir2, "b.tar.gz"))
	target2 := t.TempDir()
	runOn(t, &plain, "restore", "--in", filepath.Join(dir2, "b.tar.gz"), "--db", "sqlite:"+filepath.Join(target2, "huanjie.db"), "--data", target2)
	if progressLine.MatchString(plain.String()) || strings.ContainsAny(plain.String(), "\r\033") || strings.Contains(plain.String(), "已用") {
		t.Errorf("progress printed into a non-terminal:\n%q", plain.String())
	}
	if !strings.Contains(plain.String(), "  已写入 组织 9/9\n") {
		t.Errorf("the demo's lines changed off a terminal:\n%s", plain.String())
	}
}
