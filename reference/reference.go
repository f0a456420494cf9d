// Package reference holds the code lists incontro needs at run time, embedded
// in the binary: Italian municipalities with centroids, ISCO-08 groups with
// Italian labels, the ATECO 2007 (2022 update) classification, and the
// project's own catalogue of occupations, skills and sectors for Trentino.
//
// The embedded files are parsed once, lazily, on first use; nothing happens at
// program start. Every lookup is a map access or a walk over a precomputed
// slice. Returned slices are copies: callers may modify them freely.
//
// See README.md for sources, licences and how to regenerate data/.
package reference

import (
	"strings"
	"unicode"
)

// foldRunes maps accented and special letters to their plain ASCII spelling.
var foldRunes = map[rune]string{
	'à': "a", 'á': "a", 'â': "a", 'ã': "a", 'ä': "a", 'å': "a", 'ā': "a", 'ă': "a", 'ą': "a",
	'æ': "ae", 'ç': "c", 'č': "c", 'ć': "c", 'đ': "d", 'ď': "d",
	'è': "e", 'é': "e", 'ê': "e", 'ë': "e", 'ě': "e", 'ē': "e", 'ę': "e",
	'ğ': "g", 'ì': "i", 'í': "i", 'î': "i", 'ï': "i", 'ı': "i", 'ł': "l", 'ľ': "l",
	'ñ': "n", 'ń': "n", 'ň': "n",
	'ò': "o", 'ó': "o", 'ô': "o", 'õ': "o", 'ö': "o", 'ø': "o", 'ő': "o", 'œ': "oe",
	'ř': "r", 'ß': "ss", 'š': "s", 'ś': "s", 'ş': "s", 'ť': "t",
	'ù': "u", 'ú': "u", 'û': "u", 'ü': "u", 'ů': "u", 'ű': "u",
	'ý': "y", 'ÿ': "y", 'ž': "z", 'ź': "z", 'ż': "z",
}

// fold lower-cases s, removes accents, turns every run of characters that are
// neither letters nor digits (spaces, apostrophes, hyphens, slashes…) into a
// single space and trims the result: "Roverè della Luna" → "rovere della luna",
// "Sant'Orsola" → "sant orsola".
func fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	pendingSpace := false
	for _, r := range s {
		r = unicode.ToLower(r)
		if unicode.Is(unicode.Mn, r) {
			continue // combining accent of a decomposed letter
		}
		rep, ok := foldRunes[r]
		if !ok {
			if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
				pendingSpace = b.Len() > 0
				continue
			}
			rep = string(r)
		}
		if pendingSpace {
			b.WriteByte(' ')
			pendingSpace = false
		}
		b.WriteString(rep)
	}
	return b.String()
}

// stem drops the final vowel of every folded word of four letters or more, and
// the "h" of a then final "ch"/"gh", so that Italian gender and number variants
// meet: "camerieri", "cameriera" and "cameriere" all become "camerier";
// "cuochi" and "cuoco" become "cuoc".
func stem(folded string) string {
	words := strings.Fields(folded)
	for i, w := range words {
		if len(w) >= 4 && strings.ContainsRune("aeio", rune(w[len(w)-1])) {
			w = w[:len(w)-1]
			if strings.HasSuffix(w, "ch") || strings.HasSuffix(w, "gh") {
				w = w[:len(w)-1]
			}
			words[i] = w
		}
	}
	return strings.Join(words, " ")
}

// Fold returns s lower-cased, without accents and with every run of other
// characters than letters and digits turned into one space, as names are
// compared in this package: "Cameriere/a di sala" → "cameriere a di sala".
func Fold(s string) string { return fold(s) }
