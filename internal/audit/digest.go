package audit

import (
	"encoding/hex"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Digest is the keyed digest of one protected record as an audited write
// left it. Sum is "-" when the write deleted the record.
type Digest struct {
	Table, Key, Sum string
}

// Deleted is the Sum of a record the write deleted.
const Deleted = "-"

// RecordDigest is the keyed digest of a protected record's content: the
// values of its declared columns as the database returns them. No one
// without the key can compute it, so a record changed in the database alone
// no longer matches the digest of its last audited write.
func (k *Key) RecordDigest(table, key string, values []any) string {
	fields := make([]string, 0, len(values)+2)
	fields = append(fields, table, key)
	for _, v := range values {
		fields = append(fields, canonicalValue(v))
	}
	return hex.EncodeToString(k.sum("record", lengthPrefixed("", fields...))[:16])
}

// canonicalValue writes a scanned column value the same way every time. NULL
// is told from the empty string by a leading byte no text value carries.
func canonicalValue(v any) string {
	switch x := v.(type) {
	case nil:
		return "\x00null"
	case string:
		return "s" + x
	case []byte:
		return "s" + string(x)
	case int64:
		return "i" + strconv.FormatInt(x, 10)
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1e15 {
			return "i" + strconv.FormatInt(int64(x), 10)
		}
		return "f" + strconv.FormatFloat(x, 'g', -1, 64)
	case bool:
		if x {
			return "i1"
		}
		return "i0"
	case time.Time:
		return "t" + Timestamp(x).Format("2006-01-02T15:04:05.000000Z")
	default:
		return fmt.Sprintf("?%T:%v", v, v)
	}
}

// EncodeDigests is the canonical text of digests in an entry: one
// "table/key=sum" a line, sorted, so the entry's hash covers each of them.
func EncodeDigests(ds []Digest) string {
	if len(ds) == 0 {
		return ""
	}
	lines := make([]string, len(ds))
	for i, d := range ds {
		lines[i] = d.Table + "/" + d.Key + "=" + d.Sum
	}
	slices.Sort(lines)
	return strings.Join(lines, "\n")
}

// EachDigest calls fn for every digest in an entry's Digests text.
func EachDigest(text string, fn func(record, sum string)) {
	for text != "" {
		line := text
		if i := strings.IndexByte(text, '\n'); i >= 0 {
			line, text = text[:i], text[i+1:]
		} else {
			text = ""
		}
		if i := strings.LastIndexByte(line, '='); i > 0 {
			fn(line[:i], line[i+1:])
		}
	}
}

// RecordName is how EachDigest names a record: "table/key".
func RecordName(table, key string) string { return table + "/" + key }
