package vetting

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/errs"
)

// choice is one value of a closed set of codes with its Chinese label.
type choice[T ~string] struct {
	code  T
	label string
}

// choices is a closed set of codes in display order.
type choices[T ~string] []choice[T]

func (cs choices[T]) label(v T) string {
	for _, c := range cs {
		if c.code == v {
			return c.label
		}
	}
	return ""
}

func (cs choices[T]) valid(v T) bool { return cs.label(v) != "" }

// parse accepts a code or a Chinese label (as typed in an Excel sheet).
func (cs choices[T]) parse(s string) (T, bool) {
	s = strings.TrimSpace(s)
	for _, c := range cs {
		if string(c.code) == s || c.label == s {
			return c.code, true
		}
	}
	return "", false
}

func (cs choices[T]) codes() []T {
	out := make([]T, len(cs))
	for i, c := range cs {
		out[i] = c.code
	}
	return out
}

func (cs choices[T]) labels(vs []T) string {
	names := make([]string, len(vs))
	for i, v := range vs {
		names[i] = cs.label(v)
	}
	return strings.Join(names, "、")
}

// machine is a state machine over a status type: which statuses may follow
// which. A status with no successors is final.
type machine[S ~string] struct {
	noun   string // what changes status, in Chinese: 参选人, 举报, 案件
	states choices[S]
	next   map[S][]S
}

// check refuses an unknown status, a non-change and any step the machine
// does not allow, naming the steps it does allow.
func (m machine[S]) check(from, to S) error {
	switch {
	case !m.states.valid(from) || !m.states.valid(to):
		return errs.OnField("status", fmt.Sprintf("未知的%s状态", m.noun))
	case from == to:
		return errs.Newf(errs.Conflict, "%s已是“%s”状态", m.noun, m.states.label(to))
	case slices.Contains(m.next[from], to):
		return nil
	case len(m.next[from]) == 0:
		return errs.Newf(errs.Conflict, "%s已是“%s”,状态不能再变更", m.noun, m.states.label(from))
	}
	return errs.Newf(errs.Conflict, "%s当前为“%s”,不能直接变为“%s”;下一步只能是:%s",
		m.noun, m.states.label(from), m.states.label(to), m.states.labels(m.next[from]))
}

// first returns the first non-nil error. All checks have run (and trimmed
// their fields) by the time it is called.
func first(checks ...error) error {
	for _, err := range checks {
		if err != nil {
			return err
		}
	}
	return nil
}

// text trims *s and checks its length in characters; min > 0 makes it required.
func text(field, label string, s *string, min, max int) error {
	*s = strings.TrimSpace(*s)
	switch n := utf8.RuneCountInString(*s); {
	case n == 0 && min > 0:
		return errs.OnField(field, "请填写"+label)
	case n < min:
		return errs.OnField(field, fmt.Sprintf("%s至少%d个字", label, min))
	case n > max:
		return errs.OnField(field, fmt.Sprintf("%s不超过%d个字", label, max))
	}
	return nil
}

// pick is the error for a choice that was not made or is unknown.
func pick(field, label string, ok bool) error {
	if ok {
		return nil
	}
	return errs.OnField(field, "请选择"+label)
}

// day checks a campaign day, YYYY-MM-DD.
func day(field, label string, d civil.Date) error {
	if !d.Valid() {
		return errs.OnField(field, label+"格式应为 2026-03-01")
	}
	return nil
}

// pastDay checks a day that has happened: well-formed and not after today.
func pastDay(field, label string, d, today civil.Date) error {
	if err := day(field, label, d); err != nil {
		return err
	}
	if d > today {
		return errs.OnField(field, label+"不能晚于今天")
	}
	return nil
}

var sha256Hex = regexp.MustCompile(`^[0-9a-f]{64}$`)

// attachment checks an optional file reference: the SHA-256 of a stored file.
func attachment(field, sum string) error {
	if sum != "" && !sha256Hex.MatchString(sum) {
		return errs.OnField(field, "附件引用无效")
	}
	return nil
}
