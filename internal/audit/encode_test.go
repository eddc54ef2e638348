package audit

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"
)

// Encode writes strings, integers, booleans and nil itself: its text must be
// encoding/json's, byte for byte, for every byte, every kind of character
// and invalid UTF-8, in keys as in values, masked or not; fields of other
// kinds go through encoding/json whole.
func TestEncodeAsEncodingJSON(t *testing.T) {
	var texts []string
	for c := range 256 {
		texts = append(texts, string([]byte{byte(c)}), "a"+string([]byte{byte(c)})+"z")
	}
	for _, r := range []rune{0x7f, 0x80, 0x7ff, 0x800, 0x2027, 0x2028, 0x2029, 0x202a, 0xfeff, 0xfffd, 0xffff, 0x10000, 0x10ffff, '中', '换'} {
		texts = append(texts, string(r), "前"+string(r)+"后")
	}
	texts = append(texts, "", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xc0\xaf", "\xe4\xb8", "<script>&amp;</script>", `"\/`,
		"370302199001011234", "13812345678", "姓名\n\t换届 \u2028 <b>")
	rng := rand.New(rand.NewPCG(17, 2026))
	for range 2000 {
		b := make([]byte, rng.IntN(12))
		for i := range b {
			b[i] = byte(rng.IntN(256))
		}
		texts = append(texts, string(b))
		r := make([]rune, rng.IntN(6))
		for i := range r {
			r[i] = rune(rng.IntN(0x30000))
		}
		texts = append(texts, string(r))
	}
	values := []any{nil, true, false, 0, -1, 1 << 40, int64(-1 << 62), int32(7)}
	same := func(f Fields, masks ...string) {
		t.Helper()
		if got, want := Encode(f, masks...), encodeJSON(f, masks); got != want {
			t.Fatalf("Encode(%q) = %s, encoding/json %s", f, got, want)
		}
	}
	for i, s := range texts {
		same(Fields{"v": s, s: values[i%len(values)]})
		same(Fields{"phone": s, "id_number": s, "note": s, "password": s}, "note")
	}
	for _, v := range values {
		same(Fields{"a": v, "b": "x"})
	}
	// Other kinds: the whole map through encoding/json.
	for _, v := range []any{1.5, []string{"a", "<"}, map[string]any{"k": 1}, uint8(3), struct{ A int }{1}} {
		f := Fields{"a": v, "z": "<"}
		if got, want := Encode(f), encodeJSON(f, nil); got != want || !strings.HasPrefix(got, `{"a":`) {
			t.Fatalf("Encode(%v) = %s, encoding/json %s", f, got, want)
		}
	}
	if !utf8.ValidString(Encode(Fields{"x": "\xff"})) {
		t.Fatal("invalid UTF-8 kept")
	}
}

func BenchmarkEncode(b *testing.B) {
	f := Fields{"verdict": "clean", "conditions": "", "note": "经核查无问题", "request": 15306, "department": "gaj", "findings": false}
	b.Run("direct", func(b *testing.B) {
		for b.Loop() {
			Encode(f)
		}
	})
	b.Run("encoding/json", func(b *testing.B) {
		for b.Loop() {
			encodeJSON(f, nil)
		}
	})
}
