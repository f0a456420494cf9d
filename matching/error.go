// Package matching is the domain core of incontro: the types of the matching
// service (providers, employers, candidates and their CVs, vacancies with ranked
// requirements, 4C/4D requests and their pipeline), their validation, and the
// coded error that every adapter speaks. It imports only the standard library
// and never reads the clock: time is passed in.
package matching

import (
	"errors"
	"fmt"
)

// Error codes shared by every layer; the HTTP adapter maps them to statuses.
const (
	ECONFLICT     = "conflict"
	EINTERNAL     = "internal"
	EINVALID      = "invalid"
	ENOTFOUND     = "not_found"
	EUNAUTHORIZED = "unauthorized"
	EFORBIDDEN    = "forbidden"
)

// Error is the coded error of the domain. Field names the offending input
// field, when there is one, in the wire form (snake_case JSON name).
type Error struct {
	Code    string
	Message string
	Field   string
	// Err is the underlying cause, kept for logs and never shown to users.
	Err error
}

// Error returns a one-line description including the field.
func (e *Error) Error() string {
	var s string
	switch {
	case e.Field != "":
		s = fmt.Sprintf("%s: %s: %s", e.Code, e.Field, e.Message)
	default:
		s = fmt.Sprintf("%s: %s", e.Code, e.Message)
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Errorf returns a coded error without a field.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// FieldErrorf returns an EINVALID error naming the field.
func FieldErrorf(field, format string, args ...any) *Error {
	return &Error{Code: EINVALID, Field: field, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of err: the code of the first *Error in its
// chain, EINTERNAL for any other non-nil error, "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-facing message of err; the details of
// internal errors are hidden.
func ErrorMessage(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) && e.Code != EINTERNAL {
		return e.Message
	}
	return "internal error"
}

// ErrorField returns the field named by err, or "".
func ErrorField(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Field
	}
	return ""
}

// ERATELIMITED is the code of a refusal because of too many attempts; the
// message says when to try again.
const ERATELIMITED = "rate_limited"
