package audit

import (
	"fmt"
	"slices"
	"strings"
)

// maskField hides what the audit log must not hold in clear: secrets
// entirely, ID and phone numbers down to their masked form, and whatever
// else the action declares.
func maskField(key string, v any, masks []string) any {
	k := strings.ToLower(key)
	switch {
	case strings.Contains(k, "password"), strings.Contains(k, "token"), strings.Contains(k, "secret"),
		strings.HasSuffix(k, "_enc"), strings.HasSuffix(k, "_hash"):
		return "***"
	case strings.Contains(k, "id_number"):
		return MaskIDNumber(fmt.Sprint(v))
	case strings.Contains(k, "phone"):
		return MaskPhone(fmt.Sprint(v))
	case slices.Contains(masks, key):
		return "***"
	}
	return v
}

// MaskIDNumber keeps the first 6 and the last 4 characters of an ID number:
// 370302********123X.
func MaskIDNumber(s string) string { return keepEnds(s, 6, 4) }

// MaskPhone keeps the first 3 and last 4 digits: 138****5678.
func MaskPhone(s string) string { return keepEnds(s, 3, 4) }

func keepEnds(s string, head, tail int) string {
	r := []rune(s)
	if len(r) <= head+tail {
		return strings.Repeat("*", len(r))
	}
	return string(r[:head]) + strings.Repeat("*", len(r)-head-tail) + string(r[len(r)-tail:])
}
