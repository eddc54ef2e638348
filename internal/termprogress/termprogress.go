// Package termprogress draws one line of progress for a long command (demo,
// backup, restore, the benchmark's load) on a terminal: the stage, counts,
// the time spent and an estimate of the time left, redrawn in place. On
// anything else (a pipe, a file, a test's buffer) it prints nothing, so
// logs and scripts see only the commands' own lines.
package termprogress

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"golang.org/x/term"
)

// terminal is a writer that says whether it is a terminal; tests use it
// to stand for one.
type terminal interface{ IsTerminal() bool }

// IsTerminal reports whether w is a terminal: a writer that says so, or an
// *os.File on a terminal device.
func IsTerminal(w io.Writer) bool {
	switch f := w.(type) {
	case terminal:
		return f.IsTerminal()
	case *os.File:
		return term.IsTerminal(int(f.Fd()))
	}
	return false
}

// redraw is the least time between two drawings of the line.
const redraw = 200 * time.Millisecond

// Line is the progress line of one command. Its zero value and a nil *Line
// draw nothing.
type Line struct {
	w     io.Writer
	now   func() time.Time
	label string
	total int64
	done  int64
	bytes bool // counts are bytes, shown in MB
	start time.Time
	drawn time.Time // when last drawn; zero before the first drawing
	open  bool      // a line is on screen, not yet ended
}

// New returns the progress line of a command writing to w: active only when
// w is a terminal.
func New(w io.Writer) *Line {
	if !IsTerminal(w) {
		return nil
	}
	return &Line{w: w, now: time.Now}
}

// Stage starts a stage of total items (0 when unknown), ending the line of
// the stage before.
func (l *Line) Stage(label string, total int64) { l.stage(label, total, false) }

// Bytes starts a stage counted in bytes, shown in MB.
func (l *Line) Bytes(label string, total int64) { l.stage(label, total, true) }

func (l *Line) stage(label string, total int64, bytes bool) {
	if l == nil {
		return
	}
	l.Done()
	l.label, l.total, l.done, l.bytes = label, total, 0, bytes
	l.start, l.drawn = l.now(), time.Time{}
}

// Set shows done of the stage's total: at once the first time and when the
// stage is complete, otherwise at most every 200 ms.
func (l *Line) Set(done int64) {
	if l == nil {
		return
	}
	l.done = done
	now := l.now()
	if !l.drawn.IsZero() && now.Sub(l.drawn) < redraw && (l.total == 0 || done < l.total) {
		return
	}
	l.drawn, l.open = now, true
	elapsed := now.Sub(l.start)
	var b strings.Builder
	b.WriteString("\r\033[K") // to the start of the line, cleared
	b.WriteString(l.label)
	b.WriteByte(' ')
	b.WriteString(l.count(done))
	if l.total > 0 {
		fmt.Fprintf(&b, "/%s(%d%%)", l.count(l.total), min(done*100/l.total, 100))
	}
	b.WriteString(" 已用 " + clock(elapsed))
	switch {
	case l.total <= 0:
	case done >= l.total:
		b.WriteString(" 完成")
	case done <= 0 || elapsed <= 0:
		b.WriteString(" 剩余时间估算中")
	default:
		left := time.Duration(float64(elapsed) * float64(l.total-done) / float64(done))
		b.WriteString(" 剩余约 " + clock(left))
	}
	io.WriteString(l.w, b.String())
}

// Counts shows a line of the form "label done/total" (as demo.Load reports
// its batches: "两委成员 5000/64000"), starting the stage when the label is
// new, and reports whether it did: not on a nil line, nor for another kind
// of line, which ends the line on screen so that the caller can print it.
func (l *Line) Counts(line string) bool {
	if l == nil {
		return false
	}
	label, counts, _ := strings.Cut(line, " ")
	var done, total int64
	if n, _ := fmt.Sscanf(counts, "%d/%d", &done, &total); n != 2 {
		l.Done()
		return false
	}
	if label != l.label {
		l.Stage(label, total)
	}
	l.Set(done)
	return true
}

// Add adds n to the stage's count.
func (l *Line) Add(n int64) {
	if l != nil {
		l.Set(l.done + n)
	}
}

// Done ends the line on screen, if any, keeping it: the next output starts
// on a line of its own.
func (l *Line) Done() {
	if l == nil || !l.open {
		return
	}
	l.open = false
	io.WriteString(l.w, "\n")
}

// Writer adds the bytes written through it to the stage's count; w may be nil.
func (l *Line) Writer(w io.Writer) io.Writer {
	if l == nil {
		return w
	}
	return &counting{w: w, l: l}
}

// Reader adds the bytes read through it to the stage's count.
func (l *Line) Reader(r io.Reader) io.Reader {
	if l == nil {
		return r
	}
	return &counting{r: r, l: l}
}

type counting struct {
	w io.Writer
	r io.Reader
	l *Line
}

func (c *counting) Write(p []byte) (int, error) {
	n := len(p)
	var err error
	if c.w != nil {
		n, err = c.w.Write(p)
	}
	c.l.Add(int64(n))
	return n, err
}

func (c *counting) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.l.Add(int64(n))
	return n, err
}

func (l *Line) count(n int64) string {
	if l.bytes {
		return fmt.Sprintf("%.1fMB", float64(n)/(1<<20))
	}
	return fmt.Sprint(n)
}

// clock shows d as m:ss, or h:mm:ss from an hour on.
func clock(d time.Duration) string {
	s := int64(d.Round(time.Second) / time.Second)
	if s >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}
