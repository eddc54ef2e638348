package store

import (
	"encoding/json"

	"github.com/huanjie/huanjie/internal/assess"
)

// decodeScores reads scores as the store writes them, a flat JSON object of
// codes and integers ({"A1":8,"F3":0}), into a cleared map. It is written by
// hand because encoding/json took 60 % of the CPU of reclassifying a whole
// zone (25 µs a community, against 2 µs here); any other shape, such as an
// escaped code or a fraction, goes to encoding/json.
func decodeScores(b []byte, into assess.Scores) error {
	clear(into)
	if decodeFlat(b, into) {
		return nil
	}
	clear(into)
	return json.Unmarshal(b, &into)
}

// decodeFlat parses b when it is a flat object of plain keys and integers,
// reporting false on anything else.
func decodeFlat(b []byte, into assess.Scores) bool {
	i := 0
	space := func() {
		for i < len(b) && (b[i] == ' ' || b[i] == '\n' || b[i] == '\t' || b[i] == '\r') {
			i++
		}
	}
	expect := func(c byte) bool {
		space()
		if i < len(b) && b[i] == c {
			i++
			return true
		}
		return false
	}
	if !expect('{') {
		return false
	}
	if expect('}') {
		space()
		return i == len(b)
	}
	for {
		if !expect('"') {
			return false
		}
		start := i
		for i < len(b) && b[i] != '"' && b[i] != '\\' && b[i] >= 0x20 {
			i++
		}
		if i == len(b) || b[i] != '"' {
			return false
		}
		key := string(b[start:i])
		i++
		if !expect(':') {
			return false
		}
		space()
		neg := i < len(b) && b[i] == '-'
		if neg {
			i++
		}
		n, digits := 0, 0
		for i < len(b) && b[i] >= '0' && b[i] <= '9' && digits < 9 {
			n = n*10 + int(b[i]-'0')
			i++
			digits++
		}
		if digits == 0 || (i < len(b) && b[i] >= '0' && b[i] <= '9') {
			return false // no number, or one too long for this fast path
		}
		if neg {
			n = -n
		}
		into[key] = n
		if expect('}') {
			space()
			return i == len(b)
		}
		if !expect(',') {
			return false
		}
	}
}
