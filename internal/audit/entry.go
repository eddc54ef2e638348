// Package audit is the append-only, hash-chained log of every write. Each
// entry carries the hash of the one before it and its own keyed hash (HMAC
// under the instance's audit Key) over a canonical encoding, so that
// changing, deleting or inserting a row outside the program breaks the chain
// where it happened, and no one without the key can seal a forged one.
// Checkpoints of the head kept outside the database catch a log cut back or
// wiped, and the digests entries carry of protected records catch a record
// changed behind the platform's back.
package audit

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"
)

// Entry is one audited act.
type Entry struct {
	Seq      int64     // 1, 2, 3 … without gaps
	At       time.Time // UTC, microsecond precision (both engines keep that)
	ActorID  int64     // 0 for the system or the public
	Actor    string    // username, "system", "public"
	Action   string    // e.g. "user.add", "login.fail", "org.update"
	Entity   string    // table-like name: "user", "org", "session"
	EntityID string
	Before   string // canonical JSON of the changed fields before, "" if none
	After    string // canonical JSON after, "" if none
	OrgPath  string // the unit the act concerns ("/QS/QS-01/"), "/" for the whole tree
	Digests  string // keyed digests of the protected records the act wrote (EncodeDigests)
	PrevHash string
	Hash     string
}

// Timestamp normalises t the way entries store it.
func Timestamp(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// canonical is a length-prefixed encoding of every field but Hash: unambiguous
// whatever the fields contain.
func (e Entry) canonical() []byte {
	return lengthPrefixed("huanjie-audit-v2\n",
		strconv.FormatInt(e.Seq, 10),
		Timestamp(e.At).Format("2006-01-02T15:04:05.000000Z"),
		strconv.FormatInt(e.ActorID, 10),
		e.Actor, e.Action, e.Entity, e.EntityID, e.Before, e.After, e.OrgPath, e.Digests, e.PrevHash)
}

func lengthPrefixed(head string, fields ...string) []byte {
	n := len(head)
	for _, f := range fields {
		n += len(f) + 12
	}
	b := make([]byte, 0, n)
	b = append(b, head...)
	for _, f := range fields {
		b = strconv.AppendInt(b, int64(len(f)), 10)
		b = append(b, ':')
		b = append(b, f...)
		b = append(b, ';')
	}
	return b
}

// ComputeHash returns the entry's keyed hash: HMAC-SHA256 under k of its
// canonical encoding, hex.
func (e Entry) ComputeHash(k *Key) string {
	return hex.EncodeToString(k.sum("entry", e.canonical()))
}

// Seal sets the entry's place in the chain after prev and computes its hash.
func (e *Entry) Seal(k *Key, prevSeq int64, prevHash string) {
	e.Seq = prevSeq + 1
	e.PrevHash = prevHash
	e.At = Timestamp(e.At)
	if e.OrgPath == "" {
		e.OrgPath = "/"
	}
	e.Hash = e.ComputeHash(k)
}

// LegacyHash is the unkeyed SHA-256 of the first version of the log, kept
// to check an old chain once before it is sealed anew with the key.
func (e Entry) LegacyHash() string {
	sum := sha256.Sum256(lengthPrefixed("huanjie-audit-v1\n",
		strconv.FormatInt(e.Seq, 10),
		Timestamp(e.At).Format("2006-01-02T15:04:05.000000Z"),
		strconv.FormatInt(e.ActorID, 10),
		e.Actor, e.Action, e.Entity, e.EntityID, e.Before, e.After, e.PrevHash))
	return hex.EncodeToString(sum[:])
}

// Fields is a record of changed fields. Sensitive ones are masked by Encode.
type Fields map[string]any

// Encode returns the canonical JSON of f with sensitive fields masked (the
// default ones and those the action names), or "" for no fields: the text
// encoding/json gives the masked map, whose keys it sorts, so the text is
// deterministic. Fields of strings, integers, booleans and nil, which
// nearly every write records, are written here directly (appendJSON),
// without encoding/json's reflection and its map of masked values: every
// audited write encodes its fields, and the package's marshalling took a
// tenth of a review answer's own work beside the bare stack (issue 17).
func Encode(f Fields, masks ...string) string {
	if len(f) == 0 {
		return ""
	}
	keys := make([]string, 0, len(f))
	for k := range f {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	b := make([]byte, 0, 32*len(keys))
	b = append(b, '{')
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, k)
		b = append(b, ':')
		var ok bool
		if b, ok = appendJSON(b, maskField(k, f[k], masks)); !ok {
			return encodeJSON(f, masks)
		}
	}
	return string(append(b, '}'))
}

// encodeJSON is Encode through encoding/json, for fields of other kinds.
func encodeJSON(f Fields, masks []string) string {
	masked := make(map[string]any, len(f))
	for k, v := range f {
		masked[k] = maskField(k, v, masks)
	}
	b, err := json.Marshal(masked)
	if err != nil {
		return `{"error":"unencodable"}`
	}
	return string(b)
}

// appendJSON appends v as encoding/json writes it, for a string, an
// integer, a boolean or nil; ok false, with b unchanged, for anything else.
func appendJSON(b []byte, v any) ([]byte, bool) {
	switch x := v.(type) {
	case string:
		return appendJSONString(b, x), true
	case int:
		return strconv.AppendInt(b, int64(x), 10), true
	case int64:
		return strconv.AppendInt(b, x, 10), true
	case int32:
		return strconv.AppendInt(b, int64(x), 10), true
	case bool:
		return strconv.AppendBool(b, x), true
	case nil:
		return append(b, "null"...), true
	}
	return b, false
}

// appendJSONString appends s quoted as encoding/json quotes it: HTML's
// <, > and & escaped, as are U+2028 and U+2029; control characters as
// \b, \f, \n, \r, \t or \u00XX; invalid UTF-8 replaced by U+FFFD itself.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, "\ufffd"...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
