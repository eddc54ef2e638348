package audit

import (
	"errors"
	"iter"
	"strconv"
	"strings"
	"testing"
	"time"
)

var testKey, _ = NewKey(make([]byte, KeySize))

func chain(n int) []Entry {
	var out []Entry
	prevSeq, prevHash := int64(0), Genesis
	for i := 0; i < n; i++ {
		e := Entry{At: time.Date(2026, 3, 1, 8, 0, i, 123456789, time.UTC), ActorID: 7, Actor: "admin",
			Action: "org.update", Entity: "org", EntityID: "QS-01", Before: Encode(Fields{"name": "旧"}), After: Encode(Fields{"name": "新"}),
			OrgPath: "/QS/QS-01/", Digests: EncodeDigests([]Digest{{"aspirants", strconv.Itoa(i), "00ff"}})}
		e.Seal(testKey, prevSeq, prevHash)
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
	if n, brk, err := Verify(seq(good), headOf(good), testKey); err != nil || brk != nil || n != 5 {
		t.Fatalf("intact chain: %d %v %v", n, brk, err)
	}
	if n, brk, _ := Verify(seq(nil), Head{0, Genesis}, testKey); brk != nil || n != 0 {
		t.Fatalf("empty chain: %d %v", n, brk)
	}
	cases := map[string]struct {
		entries func() []Entry
		head    Head
		seq     int64
	}{
		"field changed": {func() []Entry { e := chain(5); e[2].Actor = "mallory"; return e }, headOf(good), 3},
		"time changed":  {func() []Entry { e := chain(5); e[1].At = e[1].At.Add(time.Second); return e }, headOf(good), 2},
		"unit changed":  {func() []Entry { e := chain(5); e[1].OrgPath = "/QS/QS-02/"; return e }, headOf(good), 2},
		"digest changed": {func() []Entry {
			e := chain(5)
			e[3].Digests = EncodeDigests([]Digest{{"aspirants", "3", "ff00"}})
			return e
		}, headOf(good), 4},
		"row removed":  {func() []Entry { e := chain(5); return append(e[:1], e[2:]...) }, headOf(good), 2},
		"last removed": {func() []Entry { return chain(5)[:4] }, headOf(good), 5},
		"row appended": {func() []Entry {
			e := chain(5)
			extra := Entry{Actor: "mallory", Action: "x"}
			extra.Seal(testKey, e[4].Seq, e[4].Hash)
			return append(e, extra)
		}, headOf(good), 6},
		"last replaced": {func() []Entry {
			e := chain(5)
			e[4].After = `{"name":"伪造"}`
			e[4].Hash = e[4].ComputeHash(testKey)
			return e
		}, headOf(good), 5},
		// Whoever holds only the database knows the formula but not the key.
		"appended with the public formula": {func() []Entry {
			e := chain(5)
			extra := Entry{Actor: "mallory", Action: "org.update", Seq: 6, PrevHash: e[4].Hash}
			extra.Hash = extra.LegacyHash()
			return append(e, extra)
		}, Head{6, ""}, 6},
		"appended with another key": {func() []Entry {
			other, _, _ := GenerateKey()
			e := chain(5)
			extra := Entry{Actor: "mallory", Action: "org.update"}
			extra.Seal(other, e[4].Seq, e[4].Hash)
			return append(e, extra)
		}, Head{6, ""}, 6},
	}
	for name, tc := range cases {
		entries := tc.entries()
		head := tc.head
		if head.Hash == "" {
			head.Hash = entries[len(entries)-1].Hash
		}
		_, brk, err := Verify(seq(entries), head, testKey)
		if err != nil || brk == nil || brk.Seq != tc.seq {
			t.Errorf("%s: break %v (err %v), want at %d", name, brk, err, tc.seq)
		}
	}
	boom := errors.New("read failed")
	_, _, err := Verify(func(yield func(Entry, error) bool) { yield(Entry{}, boom) }, Head{}, testKey)
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

func TestDigestsInEntries(t *testing.T) {
	v := NewVerifier(testKey)
	for _, e := range chain(3) {
		if brk := v.Add(e); brk != nil {
			t.Fatal(brk)
		}
	}
	got := v.Digests()
	if len(got) != 3 || got["aspirants/2"] != "00ff" {
		t.Fatalf("digests %v", got)
	}
	text := EncodeDigests([]Digest{{"b", "2", Deleted}, {"a", "1:7", "ab"}}, Alarm{"c", "3"})
	if text != "!c/3\na/1:7=ab\nb/2=-" {
		t.Fatalf("encoded %q", text)
	}
	var seen, alarms []string
	EachDigest(text, func(r, s string) { seen = append(seen, r+" "+s) })
	EachAlarm(text, func(r string) { alarms = append(alarms, r) })
	if strings.Join(seen, ",") != "a/1:7 ab,b/2 -" || strings.Join(alarms, ",") != "c/3" {
		t.Fatalf("parsed %v, alarms %v", seen, alarms)
	}
	// The digest depends on the key, the record and its content.
	content := `[3, "张三", null]`
	one := testKey.RecordDigest("aspirants", "1", content)
	other, _, _ := GenerateKey()
	for name, d := range map[string]string{
		"other key":     other.RecordDigest("aspirants", "1", content),
		"other id":      testKey.RecordDigest("aspirants", "2", content),
		"other table":   testKey.RecordDigest("cases", "1", content),
		"other content": testKey.RecordDigest("aspirants", "1", `[3, "张三", ""]`),
	} {
		if d == one {
			t.Errorf("%s: same digest", name)
		}
	}
	if testKey.RecordDigest("aspirants", "1", content) != one {
		t.Fatal("digest not deterministic")
	}
}

func TestCheckpoints(t *testing.T) {
	at := time.Date(2026, 12, 3, 8, 0, 0, 0, time.UTC)
	c := testKey.Checkpoint(Head{42, strings.Repeat("ab", 32)}, at)
	if err := testKey.VerifyCheckpoint(c); err != nil {
		t.Fatal(err)
	}
	statement := testKey.Statement(c)
	got, err := ReadCheckpoints(strings.NewReader(statement))
	if err != nil || len(got) != 1 || got[0] != c {
		t.Fatalf("read back %+v %v from\n%s", got, err, statement)
	}
	forged := c
	forged.Seq = 41
	if testKey.VerifyCheckpoint(forged) == nil {
		t.Fatal("a changed checkpoint verified")
	}
	other, _, _ := GenerateKey()
	if other.VerifyCheckpoint(c) == nil || !strings.Contains(other.VerifyCheckpoint(c).Error(), "另一把密钥") {
		t.Fatal("a checkpoint of another key verified")
	}
	if _, err := ReadCheckpoints(strings.NewReader("huanjie-checkpoint v1 seq=x\n")); err == nil {
		t.Fatal("a broken checkpoint line was skipped")
	}
}

func TestActionsDeclaredOnce(t *testing.T) {
	seen := map[string]bool{}
	for _, a := range Actions() {
		if a.Label == "" || a.Code == "" || seen[a.Label] {
			t.Errorf("action %q: label %q missing or shared", a.Code, a.Label)
		}
		seen[a.Label] = true
		if got, ok := Lookup(a.Code); !ok || got != a {
			t.Errorf("lookup %q", a.Code)
		}
	}
	if LabelOf("no.such") != "未登记的操作" || LabelOf("aspirant.add") != "登记参选人" {
		t.Fatal("labels")
	}
	if got := Encode(Fields{"contact": "13812345678 王"}, TipAdd.Masks...); strings.Contains(got, "王") {
		t.Fatalf("declared mask not applied: %s", got)
	}
}
