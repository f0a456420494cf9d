package matching

import (
	"crypto/rand"
	_ "embed"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"
)

// Principal is who makes a request: a signed-in user, through a session or
// an API token, with what their role ties them to.
type Principal struct {
	UserID      int64
	Email       string
	Name        string
	Role        Role
	ProviderID  int64 // operators
	EmployerID  int64 // employer users
	CandidateID int64 // jobseekers
	// SessionID is set for a cookie session, TokenID for an API token.
	SessionID int64
	TokenID   int64
	Language  string
}

// PrincipalOf returns the principal of a user.
func PrincipalOf(u User) Principal {
	p := Principal{UserID: u.ID, Email: u.Email, Name: u.Name, Role: u.Role, Language: u.Language}
	if u.ProviderID != nil {
		p.ProviderID = *u.ProviderID
	}
	if u.EmployerID != nil {
		p.EmployerID = *u.EmployerID
	}
	if u.CandidateID != nil {
		p.CandidateID = *u.CandidateID
	}
	return p
}

// Password rules, after current guidance (NIST SP 800-63B): a minimum
// length, a generous maximum, any character allowed, no composition rules,
// and a refusal of passwords that are common or derived from the account.
const (
	MinPasswordLength = 12
	MaxPasswordLength = 128
)

//go:embed common-passwords.txt
var commonPasswordsText string

var (
	commonOnce      sync.Once
	commonPasswords map[string]bool
)

func isCommonPassword(pw string) bool {
	commonOnce.Do(func() {
		commonPasswords = map[string]bool{}
		for _, line := range strings.Split(commonPasswordsText, "\n") {
			if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
				commonPasswords[strings.ToLower(line)] = true
			}
		}
	})
	return commonPasswords[strings.ToLower(pw)]
}

// CheckPassword applies the password rules; email and name are the
// account's, which the password must not simply repeat. The error names the
// field "password".
func CheckPassword(pw, email, name string) error {
	n := utf8.RuneCountInString(pw)
	switch {
	case n < MinPasswordLength:
		return FieldErrorf("password", "must be at least %d characters long", MinPasswordLength)
	case n > MaxPasswordLength:
		return FieldErrorf("password", "must be at most %d characters long", MaxPasswordLength)
	case isCommonPassword(pw):
		return FieldErrorf("password", "is among the most common passwords: choose another")
	}
	lower := strings.ToLower(pw)
	distinct := map[rune]bool{}
	for _, r := range lower {
		distinct[r] = true
	}
	if len(distinct) < 4 {
		return FieldErrorf("password", "repeats too few characters: choose a longer phrase")
	}
	local, _, _ := strings.Cut(strings.ToLower(email), "@")
	for _, part := range append([]string{local, strings.ToLower(email)}, strings.Fields(strings.ToLower(name))...) {
		if len(part) >= 4 && strings.Contains(lower, part) && n-utf8.RuneCountInString(part) < MinPasswordLength/2 {
			return FieldErrorf("password", "is too close to your name or e-mail address")
		}
	}
	// A word everyone would try first, followed only by digits and symbols.
	for _, word := range []string{"incontro", "password", "trento", "lavoro", "qwerty"} {
		if rest, ok := strings.CutPrefix(lower, word); ok && !strings.ContainsFunc(rest, unicode.IsLetter) {
			return FieldErrorf("password", "is too easy to guess: choose a longer phrase")
		}
	}
	return nil
}

// Session is a signed-in browser session. Only a hash of its token is
// stored; CSRFToken is sent back with every state-changing request.
type Session struct {
	ID         int64     `json:"id" db:"id"`
	UserID     int64     `json:"user_id" db:"user_id"`
	CSRFToken  string    `json:"-" db:"csrf_token"`
	CreatedAt  time.Time `json:"created_at" db:"created_at"`
	LastSeenAt time.Time `json:"last_seen_at" db:"last_seen_at"`
	// ExpiresAt is the absolute expiry; the idle expiry follows LastSeenAt.
	ExpiresAt time.Time `json:"expires_at" db:"expires_at"`
	IP        string    `json:"ip" db:"ip"`
	UserAgent string    `json:"user_agent" db:"user_agent"`
}

// APIToken is a token for integrations, acting with its owner's role. Only
// a hash of the token is stored; the token itself is shown once.
type APIToken struct {
	ID         int64      `json:"id" db:"id"`
	UserID     int64      `json:"user_id" db:"user_id"`
	Name       string     `json:"name" db:"name"`
	CreatedAt  time.Time  `json:"created_at" db:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty" db:"last_used_at"`
	RevokedAt  *time.Time `json:"revoked_at,omitempty" db:"revoked_at"`
}

// Validate checks the token's name.
func (t *APIToken) Validate() error {
	var v checker
	v.required(t.Name, "name")
	v.maxLen(t.Name, 100, "name")
	return v.result()
}

// GeneratePassword returns a random password that passes the rules for the
// account: 26 base32 characters, 130 bits.
func GeneratePassword(email, name string) string {
	for {
		if pw := rand.Text(); CheckPassword(pw, email, name) == nil {
			return pw
		}
	}
}
