// Package audit is the append-only, hash-chained log of every write. Each
// entry carries the hash of the one before it and its own hash over a
// canonical encoding, so that changing, deleting or inserting a row outside
// the program breaks the chain where it happened.
package audit

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"strings"
	"time"
)

// Genesis is the previous hash of the first entry.
const Genesis = "0000000000000000000000000000000000000000000000000000000000000000"

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
	PrevHash string
	Hash     string
}

// Timestamp normalises t the way entries store it.
func Timestamp(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// canonical is a length-prefixed encoding of every field but Hash: unambiguous
// whatever the fields contain.
func (e Entry) canonical() []byte {
	fields := []string{
		strconv.FormatInt(e.Seq, 10),
		Timestamp(e.At).Format("2006-01-02T15:04:05.000000Z"),
		strconv.FormatInt(e.ActorID, 10),
		e.Actor, e.Action, e.Entity, e.EntityID, e.Before, e.After, e.PrevHash,
	}
	var b strings.Builder
	b.WriteString("huanjie-audit-v1\n")
	for _, f := range fields {
		b.WriteString(strconv.Itoa(len(f)))
		b.WriteByte(':')
		b.WriteString(f)
		b.WriteByte(';')
	}
	return []byte(b.String())
}

// ComputeHash returns the SHA-256 of the entry's canonical encoding.
func (e Entry) ComputeHash() string {
	sum := sha256.Sum256(e.canonical())
	return hex.EncodeToString(sum[:])
}

// Seal sets the entry's place in the chain after prev and computes its hash.
func (e *Entry) Seal(prevSeq int64, prevHash string) {
	e.Seq = prevSeq + 1
	e.PrevHash = prevHash
	e.At = Timestamp(e.At)
	e.Hash = e.ComputeHash()
}

// Fields is a record of changed fields. Sensitive ones are masked by Encode.
type Fields map[string]any

// Encode returns the canonical JSON of f with sensitive fields masked, or ""
// for no fields. encoding/json sorts map keys, so the text is deterministic.
func Encode(f Fields) string {
	if len(f) == 0 {
		return ""
	}
	masked := make(map[string]any, len(f))
	for k, v := range f {
		masked[k] = maskField(k, v)
	}
	b, err := json.Marshal(masked)
	if err != nil {
		return `{"error":"unencodable"}`
	}
	return string(b)
}
