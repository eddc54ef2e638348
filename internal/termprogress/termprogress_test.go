package termprogress

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"time"
)

// fakeTerminal is a buffer that says it is a terminal.
type fakeTerminal struct{ bytes.Buffer }

func (*fakeTerminal) IsTerminal() bool { return true }

// ticking is a clock that moves on by step at every reading.
func ticking(step time.Duration) func() time.Time {
	t := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	return func() time.Time { t = t.Add(step); return t }
}

func TestLineOnTerminalShowsCountsAndTimeLeft(t *testing.T) {
	var out fakeTerminal
	l := New(&out)
	if l == nil {
		t.Fatal("no line on a terminal")
	}
	l.now = ticking(time.Second)
	l.Stage("组织", 10)
	for i := int64(1); i <= 10; i++ {
		l.Set(i)
	}
	l.Done()
	got := out.String()
	// Started at 9:00:01; the first count at 9:00:02 (1 s for 1 of 10, so
	// 9 s left), the next at 9:00:03 (2 s for 2, 8 s left) …
	for _, want := range []string{"组织 1/10(10%) 已用 0:01 剩余约 0:09", "组织 2/10(20%) 已用 0:02 剩余约 0:08",
		"组织 10/10(100%) 已用 0:10 完成\n"} {
		if !strings.Contains(got, want) {
			t.Errorf("no %q in %q", want, got)
		}
	}
	if !strings.HasPrefix(got, "\r\033[K") {
		t.Errorf("the line is not redrawn in place: %q", got)
	}
}

func TestLineRedrawsAtMostEvery200ms(t *testing.T) {
	var out fakeTerminal
	l := New(&out)
	l.now = ticking(10 * time.Millisecond)
	l.Stage("两委成员", 1000)
	for i := int64(1); i <= 1000; i++ {
		l.Set(i)
	}
	l.Done()
	// 1,000 counts 10 ms apart: the first, one every 200 ms, and the last.
	if n := strings.Count(out.String(), "两委成员"); n < 40 || n > 60 {
		t.Errorf("drawn %d times, want about 51", n)
	}
	if !strings.HasSuffix(out.String(), "1000/1000(100%) 已用 0:10 完成\n") {
		t.Errorf("the stage does not end complete: %q", out.String()[max(0, out.Len()-80):])
	}
}

func TestBytesThroughWriterAndReader(t *testing.T) {
	var out fakeTerminal
	l := New(&out)
	l.now = ticking(time.Second)
	l.Bytes("备份", 4<<20)
	var sink bytes.Buffer
	w := l.Writer(&sink)
	w.Write(make([]byte, 1<<20))
	w.Write(make([]byte, 3<<20))
	if sink.Len() != 4<<20 {
		t.Fatalf("the writer passed on %d bytes", sink.Len())
	}
	l.Bytes("恢复", 2<<20)
	r := l.Reader(bytes.NewReader(make([]byte, 2<<20)))
	buf := make([]byte, 1<<20)
	r.Read(buf)
	r.Read(buf)
	l.Done()
	for _, want := range []string{"备份 1.0MB/4.0MB(25%) 已用 0:01 剩余约 0:03", "备份 4.0MB/4.0MB(100%) 已用 0:02 完成\n",
		"恢复 1.0MB/2.0MB(50%)", "恢复 2.0MB/2.0MB(100%)"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("no %q in %q", want, out.String())
		}
	}
}

// Anything not a terminal gets nothing: a buffer, a file, a pipe.
func TestLineQuietOffTerminal(t *testing.T) {
	f, err := os.CreateTemp(t.TempDir(), "out")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer pr.Close()
	defer pw.Close()
	var buf bytes.Buffer
	for name, w := range map[string]interface{ Write([]byte) (int, error) }{"buffer": &buf, "file": f, "pipe": pw} {
		l := New(w)
		if l != nil {
			t.Errorf("%s: a progress line off a terminal", name)
		}
		l.Stage("组织", 3)
		l.Set(1)
		l.Writer(w).Write([]byte("x"))
		l.Done()
	}
	if info, _ := f.Stat(); buf.String() != "x" || info.Size() != 1 {
		t.Errorf("more than the command's own output: %q, file %d bytes", buf.String(), info.Size())
	}
}

func TestCountsReadsStageLines(t *testing.T) {
	var out fakeTerminal
	l := New(&out)
	l.now = ticking(time.Second)
	for _, line := range []string{"组织 5000/12000", "组织 10000/12000", "组织 12000/12000", "两委成员 5000/10000"} {
		if !l.Counts(line) {
			t.Errorf("%q not shown", line)
		}
	}
	if l.Counts("首轮联审") || l.Counts("方案 54") {
		t.Error("a line without done/total shown as progress")
	}
	if l.open {
		t.Error("the line is not ended before the caller's own line")
	}
	for _, want := range []string{"组织 5000/12000(41%) 已用 0:01 剩余约 0:01", "组织 12000/12000(100%) 已用 0:03 完成\n",
		"两委成员 5000/10000(50%) 已用 0:01 剩余约 0:01\n"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("no %q in %q", want, out.String())
		}
	}
	var nothing *Line
	if nothing.Counts("组织 1/2") {
		t.Error("a nil line shows progress")
	}
}
