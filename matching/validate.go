package matching

import (
	"net/mail"
	"strings"
	"unicode/utf8"
)

// ValidVATNumber reports whether s is a well-formed Italian partita IVA:
// eleven digits whose last is the check digit of the first ten.
func ValidVATNumber(s string) bool {
	if len(s) != 11 || s == "00000000000" {
		return false
	}
	sum := 0
	for i := 0; i < 11; i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return false
		}
		d := int(c - '0')
		if i%2 == 1 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return sum%10 == 0
}

// Values of the odd-position characters in the check character of a
// personal codice fiscale, indexed by digit and by letter.
var (
	cfOddDigits  = [10]int{1, 0, 5, 7, 9, 13, 15, 17, 19, 21}
	cfOddLetters = [26]int{1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23}
)

// ValidPersonalTaxCode reports whether s is a well-formed personal codice
// fiscale: sixteen characters in the official pattern (omocodia letters
// allowed in the numeric places) with a correct check character.
func ValidPersonalTaxCode(s string) bool {
	if len(s) != 16 {
		return false
	}
	const omocodia = "LMNPQRSTUV"
	for i := 0; i < 16; i++ {
		c := s[i]
		isLetter := c >= 'A' && c <= 'Z'
		isDigit := c >= '0' && c <= '9'
		switch i {
		case 0, 1, 2, 3, 4, 5, 8, 11, 15:
			if !isLetter {
				return false
			}
		default:
			if !isDigit && !(isLetter && strings.IndexByte(omocodia, c) >= 0) {
				return false
			}
		}
	}
	sum := 0
	for i := 0; i < 15; i++ {
		c := s[i]
		if i%2 == 0 { // odd positions, counting from 1
			if c >= '0' && c <= '9' {
				sum += cfOddDigits[c-'0']
			} else {
				sum += cfOddLetters[c-'A']
			}
		} else {
			if c >= '0' && c <= '9' {
				sum += int(c - '0')
			} else {
				sum += int(c - 'A')
			}
		}
	}
	return s[15] == byte('A'+sum%26)
}

// ValidCompanyTaxCode reports whether s is a company codice fiscale: either
// eleven digits with the partita IVA check digit, or, for a sole trader, the
// owner's personal codice fiscale.
func ValidCompanyTaxCode(s string) bool {
	return ValidVATNumber(s) || ValidPersonalTaxCode(s)
}

// NormalizeEmail trims and lower-cases an e-mail address.
func NormalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// ValidEmail reports whether s is a plain address (no display name) with a
// domain that has a dot.
func ValidEmail(s string) bool {
	if s == "" || len(s) > 254 || strings.ContainsAny(s, " \t\r\n") {
		return false
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" {
		return false
	}
	at := strings.LastIndexByte(s, '@')
	return at > 0 && strings.Contains(s[at+1:], ".")
}

// checker collects the first validation failure, so that Validate methods
// read as a list of rules.
type checker struct{ err *Error }

func (c *checker) check(ok bool, field, format string, args ...any) {
	if c.err == nil && !ok {
		c.err = FieldErrorf(field, format, args...)
	}
}

func (c *checker) required(value, field string) {
	c.check(strings.TrimSpace(value) != "", field, "is required")
}

func (c *checker) maxLen(value string, n int, field string) {
	c.check(utf8.RuneCountInString(value) <= n, field, "must be at most %d characters", n)
}

func (c *checker) result() error {
	if c.err == nil {
		return nil
	}
	return c.err
}
