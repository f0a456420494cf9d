package matching_test

import (
	"strings"
	"testing"

	"incontro/matching"
)

// vatCheckDigit computes the check digit of the first ten digits of a
// partita IVA, independently of the code under test: digits in odd
// positions (from 1) are added; digits in even positions are doubled, less
// 9 when above 9, and added; the check digit brings the sum to a multiple of 10.
func vatCheckDigit(tb testing.TB, first10 string) byte {
	tb.Helper()
	if len(first10) != 10 {
		tb.Fatalf("vatCheckDigit(%q): need ten digits", first10)
	}
	sum := 0
	for pos := 1; pos <= 10; pos++ {
		d := int(first10[pos-1] - '0')
		if pos%2 == 0 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return byte('0' + (10-sum%10)%10)
}

func TestVATCheckDigitHelperAgreesWithHandComputedValues(t *testing.T) {
	// 1234567890: odd places 1+3+5+7+9 = 25; even places 2,4,6,8,0 doubled
	// give 4+8+3+7+0 = 22; 47 needs 3 to reach 50.
	// 0000000001: the 1 is in place 10, doubled to 2; 2 needs 8.
	for first10, want := range map[string]byte{"1234567890": '3', "0000000001": '8', "0000000000": '0'} {
		if got := vatCheckDigit(t, first10); got != want {
			t.Errorf("vatCheckDigit(%q) = %c, want %c", first10, got, want)
		}
	}
}

func TestValidVATNumber(t *testing.T) {
	valid := []string{"12345678903", "00000000018"}
	for _, first10 := range []string{"0123456789", "9876543210", "0218766022", "5555555555", "0099887766"} {
		valid = append(valid, first10+string(vatCheckDigit(t, first10)))
	}
	for _, s := range valid {
		t.Run("the well-formed partita IVA "+s+" is accepted", func(t *testing.T) {
			if !matching.ValidVATNumber(s) {
				t.Fatalf("ValidVATNumber(%q) = false, want true", s)
			}
		})
		t.Run("changing any single digit of "+s+" breaks it", func(t *testing.T) {
			for i := range len(s) {
				for d := byte('0'); d <= '9'; d++ {
					if d == s[i] {
						continue
					}
					changed := s[:i] + string(d) + s[i+1:]
					if matching.ValidVATNumber(changed) {
						t.Errorf("ValidVATNumber(%q) = true after changing place %d, want false", changed, i+1)
					}
				}
			}
		})
	}

	invalid := []struct {
		name string
		s    string
	}{
		{"an empty string is rejected", ""},
		{"ten digits are rejected", "1234567890"},
		{"twelve digits are rejected", "123456789030"},
		{"a wrong check digit is rejected", "12345678904"},
		{"the IT country prefix is rejected", "IT12345678903"},
		{"a letter among the digits is rejected", "1234567890A"},
		{"a space among the digits is rejected", "12345 78903"},
		{"surrounding spaces are rejected", " 12345678903"},
		{"two swapped adjacent digits are rejected", "21345678903"},
	}
	for _, tc := range invalid {
		t.Run(tc.name, func(t *testing.T) {
			if matching.ValidVATNumber(tc.s) {
				t.Fatalf("ValidVATNumber(%q) = true, want false", tc.s)
			}
		})
	}
}

// Values of the characters of a codice fiscale for its check character
// (DM 12/03/1974, allegato): one table for the odd places, counting from 1,
// one for the even places. Written out here so that the test does not share
// the tables of the code under test.
var (
	cfOddValue = map[byte]int{
		'0': 1, '1': 0, '2': 5, '3': 7, '4': 9, '5': 13, '6': 15, '7': 17, '8': 19, '9': 21,
		'A': 1, 'B': 0, 'C': 5, 'D': 7, 'E': 9, 'F': 13, 'G': 15, 'H': 17, 'I': 19, 'J': 21,
		'K': 2, 'L': 4, 'M': 18, 'N': 20, 'O': 11, 'P': 3, 'Q': 6, 'R': 8, 'S': 12, 'T': 14,
		'U': 16, 'V': 10, 'W': 22, 'X': 25, 'Y': 24, 'Z': 23,
	}
	cfEvenValue = map[byte]int{
		'0': 0, '1': 1, '2': 2, '3': 3, '4': 4, '5': 5, '6': 6, '7': 7, '8': 8, '9': 9,
		'A': 0, 'B': 1, 'C': 2, 'D': 3, 'E': 4, 'F': 5, 'G': 6, 'H': 7, 'I': 8, 'J': 9,
		'K': 10, 'L': 11, 'M': 12, 'N': 13, 'O': 14, 'P': 15, 'Q': 16, 'R': 17, 'S': 18, 'T': 19,
		'U': 20, 'V': 21, 'W': 22, 'X': 23, 'Y': 24, 'Z': 25,
	}
)

// cfCheckChar computes the check character of the first fifteen characters
// of a personal codice fiscale.
func cfCheckChar(tb testing.TB, first15 string) byte {
	tb.Helper()
	if len(first15) != 15 {
		tb.Fatalf("cfCheckChar(%q): need fifteen characters", first15)
	}
	sum := 0
	for pos := 1; pos <= 15; pos++ {
		c := first15[pos-1]
		table := cfEvenValue
		if pos%2 == 1 {
			table = cfOddValue
		}
		v, ok := table[c]
		if !ok {
			tb.Fatalf("cfCheckChar(%q): character %q has no value", first15, c)
		}
		sum += v
	}
	return "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[sum%26]
}

// omocode replaces the digits of a codice fiscale in the given places
// (counting from 1) with their omocodia letters (0 = L, 1 = M … 9 = V).
func omocode(tb testing.TB, cf string, places ...int) string {
	tb.Helper()
	b := []byte(cf)
	for _, p := range places {
		c := b[p-1]
		if c < '0' || c > '9' {
			tb.Fatalf("omocode(%q): place %d holds %q, not a digit", cf, p, c)
		}
		b[p-1] = "LMNPQRSTUV"[c-'0']
	}
	return string(b)
}

func TestCodiceFiscaleCheckHelperAgreesWithAKnownCode(t *testing.T) {
	if got := cfCheckChar(t, "RSSMRA85T10A562"); got != 'S' {
		t.Fatalf("cfCheckChar(RSSMRA85T10A562) = %c, want S", got)
	}
}

func TestValidPersonalTaxCode(t *testing.T) {
	const base = "RSSMRA85T10A562S"
	// Omocodia replaces digits from the right: place 15 first, then 14, 13,
	// 11, 10, 8, 7.
	oneOmocode := omocode(t, base[:15], 15)
	allOmocode := omocode(t, base[:15], 15, 14, 13, 11, 10, 8, 7)
	femaleBase := "BNCGLI90A41L378"

	withCheck := func(first15 string) string { return first15 + string(cfCheckChar(t, first15)) }
	wrongCheck := func(first15 string) string {
		c := cfCheckChar(t, first15)
		return first15 + string('A'+(c-'A'+1)%26)
	}

	tests := []struct {
		name string
		s    string
		want bool
	}{
		{"a synthetic codice fiscale with its check character is accepted", base, true},
		{"a woman's codice fiscale (day plus 40) is accepted", withCheck(femaleBase), true},
		{"a codice fiscale with one omocodia letter and its own check character is accepted", withCheck(oneOmocode), true},
		{"a codice fiscale with every digit replaced by omocodia letters is accepted", withCheck(allOmocode), true},
		{"a wrong check character is rejected", base[:15] + "T", false},
		{"a digit as check character is rejected", base[:15] + "1", false},
		{"an omocodia code keeping the check character of the plain code is rejected", oneOmocode + "S", false},
		{"an omocodia code with a wrong check character is rejected", wrongCheck(allOmocode), false},
		{"a letter that is not an omocodia letter in a numeric place is rejected", withCheck("RSSMRA85T10A56A"), false},
		{"a digit in the month place is rejected", withCheck("RSSMRA85110A562"), false},
		{"a digit in the surname places is rejected", withCheck("R5SMRA85T10A562"), false},
		{"a digit in the place of the municipality letter is rejected", withCheck("RSSMRA85T109562"), false},
		{"fifteen characters are rejected", base[:15], false},
		{"seventeen characters are rejected", base + "A", false},
		{"an empty string is rejected", "", false},
		{"lower case is rejected", strings.ToLower(base), false},
		{"a lower-case check character is rejected", base[:15] + "s", false},
		{"surrounding spaces are rejected", " " + base, false},
		{"eleven digits are not a personal codice fiscale", "12345678903", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := matching.ValidPersonalTaxCode(tc.s); got != tc.want {
				t.Fatalf("ValidPersonalTaxCode(%q) = %v, want %v", tc.s, got, tc.want)
			}
		})
	}

	t.Run("every check character but the right one is rejected", func(t *testing.T) {
		for c := byte('A'); c <= 'Z'; c++ {
			s := base[:15] + string(c)
			if got, want := matching.ValidPersonalTaxCode(s), c == 'S'; got != want {
				t.Errorf("ValidPersonalTaxCode(%q) = %v, want %v", s, got, want)
			}
		}
	})
}

func TestValidPersonalTaxCodeAgreesWithTheOfficialTables(t *testing.T) {
	// Every letter and digit in odd and even places, and every omocodia
	// letter, so that each entry of both tables is exercised.
	var codes []string
	for c := byte('A'); c <= 'Z'; c++ {
		l := string(c)
		codes = append(codes, strings.Repeat(l, 6)+"85T10A562", "RSSMRA85T10"+l+"562")
	}
	for d := byte('0'); d <= '9'; d++ {
		n := string(d)
		codes = append(codes, "RSSMRA"+n+n+"T"+n+n+"A"+n+n+n)
		for _, place := range []int{7, 8, 10, 11, 13, 14, 15} {
			plain := []byte("RSSMRA85T10A562")
			plain[place-1] = d
			codes = append(codes, omocode(t, string(plain), place))
		}
	}
	for _, first15 := range codes {
		check := cfCheckChar(t, first15)
		t.Run(first15+" is valid with check character "+string(check)+" only", func(t *testing.T) {
			for c := byte('A'); c <= 'Z'; c++ {
				s := first15 + string(c)
				if got, want := matching.ValidPersonalTaxCode(s), c == check; got != want {
					t.Errorf("ValidPersonalTaxCode(%q) = %v, want %v", s, got, want)
				}
			}
		})
	}
}

func TestValidCompanyTaxCode(t *testing.T) {
	tests := []struct {
		name string
		s    string
		want bool
	}{
		{"eleven digits with the partita IVA check digit are accepted", "12345678903", true},
		{"a sole trader's personal codice fiscale is accepted", "RSSMRA85T10A562S", true},
		{"eleven digits with a wrong check digit are rejected", "12345678900", false},
		{"a personal codice fiscale with a wrong check character is rejected", "RSSMRA85T10A562X", false},
		{"a lower-case personal codice fiscale is rejected", "rssmra85t10a562s", false},
		{"sixteen digits are rejected", "1234567890123456", false},
		{"an empty string is rejected", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := matching.ValidCompanyTaxCode(tc.s); got != tc.want {
				t.Fatalf("ValidCompanyTaxCode(%q) = %v, want %v", tc.s, got, tc.want)
			}
		})
	}
}

func TestValidEmail(t *testing.T) {
	// 64 + 1 + 185 + 4 = 254 characters, the longest allowed.
	longest := strings.Repeat("a", 64) + "@" + strings.Repeat("b", 185) + ".com"
	if len(longest) != 254 {
		t.Fatalf("the longest test address has %d characters, want 254", len(longest))
	}
	tests := []struct {
		name string
		s    string
		want bool
	}{
		{"a plain address is accepted", "giulia.bianchi@example.it", true},
		{"an address with a plus tag is accepted", "giulia+cv@example.it", true},
		{"an address with a sub-domain is accepted", "info@mail.trento.example.it", true},
		{"an address of 254 characters is accepted", longest, true},
		{"an address of 255 characters is rejected", "a" + longest, false},
		{"an empty string is rejected", "", false},
		{"a bare name is rejected", "giulia", false},
		{"a domain without a dot is rejected", "giulia@localhost", false},
		{"a domain ending in a dot is rejected", "giulia@example.", false},
		{"a display name is rejected", "Giulia Bianchi <giulia@example.it>", false},
		{"angle brackets are rejected", "<giulia@example.it>", false},
		{"a leading space is rejected", " giulia@example.it", false},
		{"a trailing newline is rejected", "giulia@example.it\n", false},
		{"a space in the local part is rejected", "giulia bianchi@example.it", false},
		{"a tab is rejected", "giulia\t@example.it", false},
		{"two at signs are rejected", "giulia@@example.it", false},
		{"a missing local part is rejected", "@example.it", false},
		{"two dots in a row in the domain are rejected", "giulia@example..it", false},
		{"a quoted local part is rejected because it is not stored as typed", `"giulia"@example.it`, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := matching.ValidEmail(tc.s); got != tc.want {
				t.Fatalf("ValidEmail(%q) = %v, want %v", tc.s, got, tc.want)
			}
		})
	}
}

func TestNormalizeEmail(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"an address is lower-cased", "Giulia.Bianchi@Example.IT", "giulia.bianchi@example.it"},
		{"surrounding spaces are trimmed", "  giulia@example.it\t\n", "giulia@example.it"},
		{"a normalized address is unchanged", "giulia@example.it", "giulia@example.it"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := matching.NormalizeEmail(tc.in); got != tc.want {
				t.Fatalf("NormalizeEmail(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}
