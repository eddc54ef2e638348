package audit

import (
	"errors"
	"iter"
	"strings"
	"testing"
	"time"
)

func chain(n int) []Entry {
	var out []Entry
	prevSeq, prevHash := int64(0), Genesis
	for i := 0; i < n; i++ {
		e := Entry{At: time.Date(2026, 3, 1, 8, 0, i, 123456789, time.UTC), ActorID: 7, Actor: "admin",
			Action: "org.update", Entity: "org", EntityID: "QS-01", Before: Encode(Fields{"name": "旧"}), After: Encode(Fields{"name": "新"})}
		e.Seal(prevSeq, prevHash)
		prevSeq, prevHash = e.Seq, e.Hash
		out = append(out, e)
	}
	return out
}

func seq(entries []Entry) iter.Seq2[Entry, error] {
	return func(yield func(Entry, error) bool) {
		for _, e := range entries {
			if !yield(e, nil) {
				return
			}
		}
	}
}

func headOf(entries []Entry) Head {
	last := entries[len(entries)-1]
	return Head{last.Seq, last.Hash}
}

func TestVerify(t *testing.T) {
	good := chain(5)
	if n, brk, err := Verify(seq(good), headOf(good)); err != nil || brk != nil || n != 5 {
		t.Fatalf("intact chain: %d %v %v", n, brk, err)
	}
	if n, brk, _ := Verify(seq(nil), Head{0, Genesis}); brk != nil || n != 0 {
		t.Fatalf("empty chain: %d %v", n, brk)
	}
	cases := map[string]struct {
		entries func() []Entry
		head    Head
		seq     int64
	}{
		"field changed": {func() []Entry { e := chain(5); e[2].Actor = "mallory"; return e }, headOf(good), 3},
		"time changed":  {func() []Entry { e := chain(5); e[1].At = e[1].At.Add(time.Second); return e }, headOf(good), 2},
		"row removed":   {func() []Entry { e := chain(5); return append(e[:1], e[2:]...) }, headOf(good), 2},
		"last removed":  {func() []Entry { return chain(5)[:4] }, headOf(good), 5},
		"row appended": {func() []Entry {
			e := chain(5)
			extra := Entry{Actor: "mallory", Action: "x"}
			extra.Seal(e[4].Seq, e[4].Hash)
			return append(e, extra)
		}, headOf(good), 6},
		"last replaced": {func() []Entry {
			e := chain(5)
			e[4].After = `{"name":"伪造"}`
			e[4].Hash = e[4].ComputeHash()
			return e
		}, headOf(good), 5},
	}
	for name, tc := range cases {
		_, brk, err := Verify(seq(tc.entries()), tc.head)
		if err != nil || brk == nil || brk.Seq != tc.seq {
			t.Errorf("%s: break %v (err %v), want at %d", name, brk, err, tc.seq)
		}
	}
	boom := errors.New("read failed")
	_, _, err := Verify(func(yield func(Entry, error) bool) { yield(Entry{}, boom) }, Head{})
	if !errors.Is(err, boom) {
		t.Fatalf("read error: %v", err)
	}
}

func TestEncodeMasksSensitiveFields(t *testing.T) {
	got := Encode(Fields{"name": "张三", "id_number": "990101198001010011", "phone": "13812345678", "password_hash": "$argon2id$…", "token": "hjt_x"})
	for _, leak := range []string{"990101198001010011", "13812345678", "argon2id", "hjt_x"} {
		if strings.Contains(got, leak) {
			t.Fatalf("%s leaks %q", got, leak)
		}
	}
	if !strings.Contains(got, `"id_number":"990101********0011"`) || !strings.Contains(got, `"phone":"138****5678"`) || !strings.Contains(got, "张三") {
		t.Fatalf("masked encoding %s", got)
	}
	if Encode(nil) != "" {
		t.Fatal("no fields must encode as empty")
	}
	if Encode(Fields{"b": 1, "a": 2}) != `{"a":2,"b":1}` {
		t.Fatal("encoding is not canonical")
	}
}
