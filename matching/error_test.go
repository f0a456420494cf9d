package matching_test

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"incontro/matching"
)

// wantInvalid fails unless err is an EINVALID error naming field.
func wantInvalid(tb testing.TB, err error, field string) {
	tb.Helper()
	if err == nil {
		tb.Fatalf("Validate() = nil, want an %q error on field %q", matching.EINVALID, field)
	}
	if code := matching.ErrorCode(err); code != matching.EINVALID {
		tb.Errorf("ErrorCode = %q, want %q (error: %v)", code, matching.EINVALID, err)
	}
	if got := matching.ErrorField(err); got != field {
		tb.Errorf("ErrorField = %q, want %q (error: %v)", got, field, err)
	}
}

// wantValid fails if err is not nil.
func wantValid(tb testing.TB, err error) {
	tb.Helper()
	if err != nil {
		tb.Fatalf("Validate() = %v, want nil", err)
	}
}

// mustDate parses a calendar day in the form 2006-01-02 as midnight UTC.
func mustDate(tb testing.TB, s string) time.Time {
	tb.Helper()
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		tb.Fatalf("parsing date %q: %v", s, err)
	}
	return d
}

// ptr returns a pointer to a copy of v.
func ptr[T any](v T) *T { return &v }

func TestErrorConstructors(t *testing.T) {
	tests := []struct {
		name      string
		err       *matching.Error
		wantCode  string
		wantField string
		wantMsg   string
		wantText  string
	}{
		{
			name:     "Errorf formats the message and sets no field",
			err:      matching.Errorf(matching.ENOTFOUND, "candidate %d not found", 7),
			wantCode: matching.ENOTFOUND,
			wantMsg:  "candidate 7 not found",
			wantText: "not_found: candidate 7 not found",
		},
		{
			name:      "FieldErrorf is an invalid-input error that names the field",
			err:       matching.FieldErrorf("languages[1].level", "%q is not a CEFR level", "C3"),
			wantCode:  matching.EINVALID,
			wantField: "languages[1].level",
			wantMsg:   `"C3" is not a CEFR level`,
			wantText:  `invalid: languages[1].level: "C3" is not a CEFR level`,
		},
		{
			name:     "an error with a cause appends the cause to its text",
			err:      &matching.Error{Code: matching.EINTERNAL, Message: "saving the candidate", Err: errors.New("connection refused")},
			wantCode: matching.EINTERNAL,
			wantMsg:  "saving the candidate",
			wantText: "internal: saving the candidate: connection refused",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.err.Code != tc.wantCode {
				t.Errorf("Code = %q, want %q", tc.err.Code, tc.wantCode)
			}
			if tc.err.Field != tc.wantField {
				t.Errorf("Field = %q, want %q", tc.err.Field, tc.wantField)
			}
			if tc.err.Message != tc.wantMsg {
				t.Errorf("Message = %q, want %q", tc.err.Message, tc.wantMsg)
			}
			if got := tc.err.Error(); got != tc.wantText {
				t.Errorf("Error() = %q, want %q", got, tc.wantText)
			}
		})
	}
}

func TestErrorUnwrapsToItsCause(t *testing.T) {
	cause := errors.New("connection refused")
	err := &matching.Error{Code: matching.EINTERNAL, Message: "saving", Err: cause}
	if !errors.Is(err, cause) {
		t.Fatalf("errors.Is(%v, cause) = false, want true", err)
	}
	if (&matching.Error{Code: matching.EINVALID}).Unwrap() != nil {
		t.Fatal("Unwrap of an error without a cause is not nil")
	}
}

func TestErrorAccessors(t *testing.T) {
	conflict := matching.Errorf(matching.ECONFLICT, "the e-mail address is taken")
	invalid := matching.FieldErrorf("email", "is not a valid e-mail address")
	internal := &matching.Error{Code: matching.EINTERNAL, Message: "password authentication failed for user incontro", Err: errors.New("pq: secret detail")}
	limited := matching.Errorf(matching.ERATELIMITED, "try again in 5 minutes")

	tests := []struct {
		name      string
		err       error
		wantCode  string
		wantMsg   string
		wantField string
	}{
		{name: "nil has no code, message or field", err: nil},
		{
			name:     "a plain error is internal and its text is hidden",
			err:      errors.New("pq: relation \"candidate\" does not exist"),
			wantCode: matching.EINTERNAL, wantMsg: "internal error",
		},
		{
			name:     "a coded error gives its code and message",
			err:      conflict,
			wantCode: matching.ECONFLICT, wantMsg: "the e-mail address is taken",
		},
		{
			name:     "a coded error wrapped with %w keeps its code and message",
			err:      fmt.Errorf("creating user: %w", conflict),
			wantCode: matching.ECONFLICT, wantMsg: "the e-mail address is taken",
		},
		{
			name:     "a field error wrapped twice keeps its code, message and field",
			err:      fmt.Errorf("api: %w", fmt.Errorf("store: %w", invalid)),
			wantCode: matching.EINVALID, wantMsg: "is not a valid e-mail address", wantField: "email",
		},
		{
			name:     "an internal coded error hides its message",
			err:      internal,
			wantCode: matching.EINTERNAL, wantMsg: "internal error",
		},
		{
			name:     "a wrapped internal coded error hides its message",
			err:      fmt.Errorf("loading: %w", internal),
			wantCode: matching.EINTERNAL, wantMsg: "internal error",
		},
		{
			name:     "a rate-limited error shows when to try again",
			err:      limited,
			wantCode: matching.ERATELIMITED, wantMsg: "try again in 5 minutes",
		},
		{
			name:     "a plain error wrapping a coded one takes the coded one's code",
			err:      fmt.Errorf("outer: %w", matching.Errorf(matching.EFORBIDDEN, "not your request")),
			wantCode: matching.EFORBIDDEN, wantMsg: "not your request",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := matching.ErrorCode(tc.err); got != tc.wantCode {
				t.Errorf("ErrorCode = %q, want %q", got, tc.wantCode)
			}
			if got := matching.ErrorMessage(tc.err); got != tc.wantMsg {
				t.Errorf("ErrorMessage = %q, want %q", got, tc.wantMsg)
			}
			if got := matching.ErrorField(tc.err); got != tc.wantField {
				t.Errorf("ErrorField = %q, want %q", got, tc.wantField)
			}
		})
	}
}

func TestErrorMessageNeverLeaksInternalDetail(t *testing.T) {
	for _, err := range []error{
		errors.New("dial tcp 10.0.0.5:5432: secret-host"),
		&matching.Error{Code: matching.EINTERNAL, Message: "secret-host unreachable", Err: errors.New("secret-host")},
		fmt.Errorf("wrapped: %w", &matching.Error{Code: matching.EINTERNAL, Message: "secret-host"}),
	} {
		if msg := matching.ErrorMessage(err); strings.Contains(msg, "secret") {
			t.Errorf("ErrorMessage(%v) = %q, which shows internal detail", err, msg)
		}
	}
}

// quoted returns s in double quotes, for subtest names.
func quoted(s string) string { return strconv.Quote(s) }

// itoa formats n for subtest names.
func itoa(n int) string { return strconv.Itoa(n) }
