package audit

import (
	"encoding/hex"
	"hash"
	"io"
	"slices"
	"strconv"
	"strings"
)

// Digest is the keyed digest of one protected record as an audited write
// left it. Sum is "-" when the write deleted the record.
type Digest struct {
	Table, Key, Sum string
}

// Deleted is the Sum of a record the write deleted.
const Deleted = "-"

// RecordDigest is the keyed digest of a protected record's content: its
// declared columns as the database writes them as one JSON array. No one
// without the key can compute it, so a record changed in the database alone
// no longer matches the digest of its last audited write.
func (k *Key) RecordDigest(table, key, content string) string {
	sum := k.sumOf("record", func(w hash.Hash) {
		for _, f := range []string{table, key, content} {
			var n [20]byte
			w.Write(strconv.AppendInt(n[:0], int64(len(f)), 10))
			w.Write([]byte{':'})
			io.WriteString(w, f)
			w.Write([]byte{';'})
		}
	})
	return hex.EncodeToString(sum[:16])
}

// Alarm is a protected record that an audited write found changed behind
// the platform's back before it wrote it: the entry keeps the finding.
type Alarm struct {
	Table, Key string
}

// EncodeDigests is the canonical text of digests and alarms in an entry:
// one "table/key=sum" or "!table/key" a line, sorted, so the entry's hash
// covers each of them.
func EncodeDigests(ds []Digest, alarms ...Alarm) string {
	lines := make([]string, 0, len(ds)+len(alarms))
	for _, d := range ds {
		lines = append(lines, d.Table+"/"+d.Key+"="+d.Sum)
	}
	for _, a := range alarms {
		lines = append(lines, "!"+a.Table+"/"+a.Key)
	}
	slices.Sort(lines)
	return strings.Join(lines, "\n")
}

// EachDigest calls fn for every digest in an entry's Digests text.
func EachDigest(text string, fn func(record, sum string)) {
	eachLine(text, func(line string) {
		if i := strings.LastIndexByte(line, '='); i > 0 && line[0] != '!' {
			fn(line[:i], line[i+1:])
		}
	})
}

// EachAlarm calls fn for every alarm in an entry's Digests text, with the
// record named as RecordName names it.
func EachAlarm(text string, fn func(record string)) {
	eachLine(text, func(line string) {
		if rest, ok := strings.CutPrefix(line, "!"); ok {
			fn(rest)
		}
	})
}

func eachLine(text string, fn func(string)) {
	for text != "" {
		line := text
		if i := strings.IndexByte(text, '\n'); i >= 0 {
			line, text = text[:i], text[i+1:]
		} else {
			text = ""
		}
		if line != "" {
			fn(line)
		}
	}
}

// RecordName is how EachDigest names a record: "table/key".
func RecordName(table, key string) string { return table + "/" + key }
