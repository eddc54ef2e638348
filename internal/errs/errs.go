// Package errs is the one place where huanjie's errors get a code and a safe
// Chinese message. Every layer wraps with %w; only the web edge turns an error
// into a status and logs it.
package errs

import (
	"errors"
	"fmt"
)

// Code classifies an error for the caller, independent of transport.
type Code string

// The codes the API answers with (see Status in internal/web).
const (
	Invalid       Code = "invalid"       // malformed request: 400
	Unauthorized  Code = "unauthorized"  // no or bad credentials: 401
	Forbidden     Code = "forbidden"     // known user, not allowed: 403
	NotFound      Code = "not_found"     // 404
	Conflict      Code = "conflict"      // duplicate or stale state: 409
	Unprocessable Code = "unprocessable" // well-formed but breaks a rule: 422
	TooMany       Code = "too_many"      // throttled: 429
	TooLarge      Code = "too_large"     // a body or upload over its limit: 413
	Internal      Code = "internal"      // our fault: 500
)

// Error is an error with a code and a message that is safe to show a user.
type Error struct {
	Code    Code
	Message string // Chinese, safe for any user to read
	Field   string // optional: the input field the message is about
	Err     error  // optional cause, never shown
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Err)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

func (e *Error) Unwrap() error { return e.Err }

// New returns an error with a code and a Chinese message.
func New(code Code, message string) *Error { return &Error{Code: code, Message: message} }

// Newf is New with a formatted message.
func Newf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// OnField returns a 422 error about one input field.
func OnField(field, message string) *Error {
	return &Error{Code: Unprocessable, Message: message, Field: field}
}

// Wrap attaches a code and message to a cause.
func Wrap(err error, code Code, message string) *Error {
	return &Error{Code: code, Message: message, Err: err}
}

// CodeOf reports the code of the first *Error in err's chain, Internal if none.
func CodeOf(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// MessageOf reports the safe message of err, or a generic one for internal errors.
func MessageOf(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Code != Internal {
		return e.Message
	}
	return "系统内部错误,请稍后再试或联系管理员"
}

// FieldOf reports the input field an error is about, if any.
func FieldOf(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Field
	}
	return ""
}

// Is reports whether err carries code.
func Is(err error, code Code) bool { return err != nil && CodeOf(err) == code }
