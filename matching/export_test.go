package matching

import "slices"

// Hooks into the phrasebook for the tests of package matching_test.

// PhraseKeys returns the keys of the phrasebook, sorted.
func PhraseKeys() []string {
	keys := make([]string, 0, len(phrasebook))
	for k := range phrasebook {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// WithoutNames returns the text with every verbatim argument (a title, a
// label, a code: said as the CV or the catalogue has it, in Italian) said
// as "‹name›", so that what remains is the phrasebook's own words.
func WithoutNames(t Text) Text {
	out := make(Text, len(t))
	for i, p := range t {
		f := phrasebook[p.Key]
		q := Phrase{Key: p.Key, Args: slices.Clone(p.Args)}
		for n := range q.Args {
			if n < len(f.args) && f.args[n] == argName {
				q.Args[n] = "‹name›"
			}
		}
		out[i] = q
	}
	return out
}
