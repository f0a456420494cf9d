package ui

import "regexp"

// The store writes a note of its own on the history rows its actions make
// (a contact's outcome moving a candidate, a shortlist version, feedback,
// a match run). It keeps them in one language, as stable text an export
// or an audit can rely on; the pages show them in the page's language.
// A note a person typed is shown as it is.

// systemNote is a note the store writes: its form and the catalogue key
// of its translation, with what the form captures as the arguments.
type systemNote struct {
	form *regexp.Regexp
	key  string
	// label, when set, translates the first captured value with the
	// catalogue key label+value (an outcome, a decision).
	label string
}

var systemNotes = []systemNote{
	{regexp.MustCompile(`^contact: ([a-z_]+)$`), "note.contact", "wb2.outcome."},
	{regexp.MustCompile(`^feedback: ([a-z_]+)$`), "note.feedback", "wb2.decision."},
	{regexp.MustCompile(`^shortlist version ([0-9]+)$`), "note.shortlist_version", ""},
	{regexp.MustCompile(`^presented in shortlist version ([0-9]+)$`), "note.presented_in_version", ""},
	{regexp.MustCompile(`^taken out of shortlist version ([0-9]+)$`), "note.taken_out_of_version", ""},
	{regexp.MustCompile(`^match run ([0-9]+)$`), "note.match_run", ""},
	{regexp.MustCompile(`^application withdrawn$`), "note.application_withdrawn", ""},
}

// Note returns a history note in the locale's language: a note the store
// wrote, translated; any other note as it was typed.
func (l Locale) Note(note string) string {
	for _, sn := range systemNotes {
		m := sn.form.FindStringSubmatch(note)
		if m == nil {
			continue
		}
		if len(m) == 1 {
			return l.T(sn.key)
		}
		if sn.label != "" {
			if !l.Has(sn.label + m[1]) {
				return note
			}
			return l.T(sn.key, l.T(sn.label+m[1]))
		}
		// Numbers are identifiers here: printed as they are, without a
		// thousands separator.
		return l.T(sn.key, m[1])
	}
	return note
}

// Note returns a history note in the page's language (see Locale.Note).
func (p Page) Note(note string) string { return p.Locale.Note(note) }

func noteMessages() []Message {
	return []Message{
		{"note.contact", "contatto: %s", "contact: %s"},
		{"note.feedback", "riscontro del datore: %s", "employer's feedback: %s"},
		{"note.shortlist_version", "rosa versione %s", "shortlist version %s"},
		{"note.presented_in_version", "presentato nella rosa versione %s", "presented in shortlist version %s"},
		{"note.taken_out_of_version", "tolto dalla rosa versione %s", "taken out of shortlist version %s"},
		{"note.match_run", "abbinamento n. %s", "match run %s"},
		{"note.application_withdrawn", "candidatura ritirata", "application withdrawn"},
	}
}
