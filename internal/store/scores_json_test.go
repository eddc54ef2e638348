package store

import (
	"encoding/json"
	"maps"
	"testing"

	"github.com/huanjie/huanjie/internal/assess"
)

// TestDecodeScores holds the hand-written decoder to encoding/json on the
// store's own output and on shapes only the fallback reads.
func TestDecodeScores(t *testing.T) {
	for _, in := range []string{
		`{}`, ` { } `, `{"A1":8}`, `{"A1":8,"B2":0,"F3":1}`, "{\n \"A1\" : -3 ,\"B\":12 }",
		`{"A\u00311":4}`, `{"A1":12345678901}`, `{"甲":2}`,
	} {
		var want assess.Scores
		if err := json.Unmarshal([]byte(in), &want); err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		got := assess.Scores{"stale": 1}
		if err := decodeScores([]byte(in), got); err != nil {
			t.Errorf("%s: %v", in, err)
		} else if !maps.Equal(got, want) {
			t.Errorf("%s: got %v, want %v", in, got, want)
		}
	}
	for _, in := range []string{``, `[]`, `{"A1":}`, `{"A1":8,}`, `{"A1" 8}`, `{"A1":8}x`, `{"A1":"8"}`, `{"A1":1.5}`, `{"A1":1e1}`} {
		if err := decodeScores([]byte(in), assess.Scores{}); err == nil {
			t.Errorf("%q decoded without error", in)
		}
	}
}

// BenchmarkDecodeScores decodes a 22-indicator object as the store writes it.
func BenchmarkDecodeScores(b *testing.B) {
	s := assess.Scores{}
	for _, ind := range assess.DefaultRubric() {
		s[ind.Code] = ind.Max / 2
	}
	raw, _ := json.Marshal(s)
	into := assess.Scores{}
	for b.Loop() {
		if err := decodeScores(raw, into); err != nil {
			b.Fatal(err)
		}
	}
}
