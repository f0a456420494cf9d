package matching

import (
	"strconv"
	"strings"
	"time"
)

// An explanation is said in Italian or in English from one place, the
// phrasebook below. Scoring writes each sentence as a Text: phrases named
// by a stable key, with their arguments in a canonical form that belongs to
// no language ("2.5" years, "2026-12-01", "advanced", "de"). A Text is
// rendered when someone reads it, in the reader's language, so scoring
// never formats a sentence that nobody reads (a run keeps 150 of the 600
// candidates it scores), and a stored explanation can be read in a language
// added later. On the wire an explanation carries both the Italian text, as
// it always has, and the phrases (see the MarshalJSON methods in score.go).

// Phrase is one sentence or fragment of an explanation: a key of the
// phrasebook and its arguments in canonical form.
type Phrase struct {
	Key  string   `json:"k"`
	Args []string `json:"a,omitempty"`
}

// Text is a piece of an explanation said in no language yet: its phrases,
// said one after the other. Its zero value says nothing.
type Text []Phrase

// Languages of explanations; any other code is said in Italian.
const (
	LangItalian = "it"
	LangEnglish = "en"
)

// In says the text in a language: "it" or "en", Italian for any other.
func (t Text) In(lang string) string {
	switch len(t) {
	case 0:
		return ""
	case 1:
		if t[0].Key == keyName || t[0].Key == keyItalian {
			return t[0].arg(0)
		}
	}
	b := make([]byte, 0, 64)
	for _, p := range t {
		b = p.appendTo(b, lang)
	}
	return string(b)
}

// String says the text in Italian, the default language: a template or a
// format verb that prints a Text prints it in Italian.
func (t Text) String() string { return t.In(LangItalian) }

// say returns the text of one phrase.
func say(key string, args ...string) Text { return Text{{Key: key, Args: args}} }

// Keys of the phrases that are not sentences of the phrasebook's own.
const (
	// keyName is a name said the same in every language: a title, a
	// label, a code.
	keyName = "name"
	// keyItalian is a text known only in Italian: what explanations stored
	// before the phrasebook hold. It is said in Italian in every language.
	keyItalian = "italian"
)

// nameText returns a name said the same in every language.
func nameText(s string) Text { return say(keyName, s) }

// italianOnly returns a text known only in Italian, or nothing for "".
func italianOnly(s string) Text {
	if s == "" {
		return nil
	}
	return say(keyItalian, s)
}

// structured returns the text, or nil when its Italian string says all
// there is: it holds only names, said the same in every language, or text
// known only in Italian. JSON carries the phrases of a structured text
// alone.
func (t Text) structured() Text {
	for _, p := range t {
		if p.Key != keyName && p.Key != keyItalian {
			return t
		}
	}
	return nil
}

func (p Phrase) arg(i int) string {
	if i < len(p.Args) {
		return p.Args[i]
	}
	return ""
}

// appendTo appends the phrase said in lang. A key the phrasebook does not
// know shows as ⟦key⟧, as a missing message of the pages does.
func (p Phrase) appendTo(b []byte, lang string) []byte {
	f, ok := phrasebook[p.Key]
	if !ok {
		return append(append(append(b, "⟦"...), p.Key...), "⟧"...)
	}
	form := f.it
	if lang == LangEnglish {
		form = f.en
	}
	for i := 0; i < len(form); i++ {
		if n, ok := placeholder(form, i); ok {
			kind := argName
			if n < len(f.args) {
				kind = f.args[n]
			}
			b = appendArg(b, kind, p.arg(n), lang)
			i += 2
			continue
		}
		b = append(b, form[i])
	}
	return b
}

// placeholder reports whether form holds a placeholder {n} at i, and n.
func placeholder(form string, i int) (int, bool) {
	if form[i] != '{' || i+2 >= len(form) || form[i+2] != '}' || form[i+1] < '0' || form[i+1] > '9' {
		return 0, false
	}
	return int(form[i+1] - '0'), true
}

// argKind is what an argument of a phrase is, and so how each language
// says it.
type argKind uint8

const (
	argName          argKind = iota // verbatim: a title, a label, a code
	argInt                          // a whole number, as it is
	argNumber                       // a number with one decimal ("2.5"): "2,5" in Italian
	argYears                        // years ("2.5"): "2,5 anni", "1 anno"; "2.5 years", "1 year"
	argYearsRequired                // years asked for: "richiesti 2 anni"; "2 years required"
	argDays                         // a number of days: "3 giorni", "1 giorno"; "3 days", "1 day"
	argDate                         // a day ("2026-12-01"): "01/12/2026"; "1 Dec 2026"
	argMonth                        // a month ("2019-03"): "03/2019"; "Mar 2019"
	argLanguage                     // an ISO 639-1 code: "Tedesco"; "German"
	argLanguageLower                // the same inside a sentence: "tedesco"; "German"
	argCEFR                         // a CEFR level: "B2", "madrelingua"; "B2", "native speaker"
	argSkillLevel                   // a skill level code: "avanzato"; "advanced"
	argWorkingTimes                 // working-time codes, comma-separated: "turni, a chiamata"
	argContracts                    // contract type codes, comma-separated
	argEQF                          // an EQF level ("4"): "diploma di scuola superiore (EQF 4)"; "upper secondary diploma (EQF 4)"
)

// Canonical forms of the arguments.

// number is the canonical form of a decimal argument: one decimal, none
// when it is zero ("2.5", "12").
func number(x float64) string {
	return strings.TrimSuffix(strconv.FormatFloat(x, 'f', 1, 64), ".0")
}

// dayArg and monthArg are the canonical forms of a day and a month.
func dayArg(t time.Time) string   { return t.Format(time.DateOnly) }
func monthArg(t time.Time) string { return t.Format("2006-01") }

// codesArg is the canonical form of a list of codes.
func codesArg(codes []string) string { return strings.Join(codes, ",") }

// appendArg appends an argument said in lang.
func appendArg(b []byte, kind argKind, v string, lang string) []byte {
	en := lang == LangEnglish
	switch kind {
	case argNumber:
		return appendDecimal(b, v, en)
	case argYears:
		return appendYears(b, v, en)
	case argYearsRequired:
		switch {
		case en:
			return append(appendYears(b, v, true), " required"...)
		case v == "1":
			return append(b, "richiesto 1 anno"...)
		}
		return appendYears(append(b, "richiesti "...), v, false)
	case argDays:
		switch {
		case v == "1" && en:
			return append(b, "1 day"...)
		case v == "1":
			return append(b, "1 giorno"...)
		case en:
			return append(append(b, v...), " days"...)
		}
		return append(append(b, v...), " giorni"...)
	case argDate:
		t, err := time.Parse(time.DateOnly, v)
		switch {
		case err != nil:
			return append(b, v...)
		case en:
			return t.AppendFormat(b, "2 Jan 2006")
		}
		return t.AppendFormat(b, "02/01/2006")
	case argMonth:
		t, err := time.Parse("2006-01", v)
		switch {
		case err != nil:
			return append(b, v...)
		case en:
			return t.AppendFormat(b, "Jan 2006")
		}
		return t.AppendFormat(b, "01/2006")
	case argLanguage:
		return append(b, languageNameIn(v, en)...)
	case argLanguageLower:
		if en { // English names of languages keep their capital
			return append(b, languageNameIn(v, true)...)
		}
		return append(b, strings.ToLower(languageNameIn(v, false))...)
	case argCEFR:
		if v == "native" {
			if en {
				return append(b, "native speaker"...)
			}
			return append(b, "madrelingua"...)
		}
		return append(b, v...)
	case argSkillLevel:
		return append(b, skillLevelLabel(v, en)...)
	case argWorkingTimes:
		return appendTerms(b, v, workingTimes, workingTimesEnglish, en)
	case argContracts:
		return appendTerms(b, v, contractTypes, contractTypesEnglish, en)
	case argEQF:
		names := eqfNames
		if en {
			names = eqfNamesEnglish
		}
		if name, ok := names[v]; ok {
			b = append(append(b, name...), " (EQF "...)
			return append(append(b, v...), ')')
		}
		return append(append(b, "EQF "...), v...)
	}
	return append(b, v...) // argName, argInt
}

// appendDecimal says a canonical decimal: "2.5" is "2,5" in Italian.
func appendDecimal(b []byte, v string, en bool) []byte {
	if en {
		return append(b, v...)
	}
	if i := strings.IndexByte(v, '.'); i >= 0 {
		return append(append(append(b, v[:i]...), ','), v[i+1:]...)
	}
	return append(b, v...)
}

func appendYears(b []byte, v string, en bool) []byte {
	switch {
	case v == "1" && en:
		return append(b, "1 year"...)
	case v == "1":
		return append(b, "1 anno"...)
	case en:
		return append(append(b, v...), " years"...)
	}
	return append(appendDecimal(b, v, false), " anni"...)
}

// appendTerms says a list of codes by their labels, lower case, as a
// sentence lists them; a code not in the list is said as it is.
func appendTerms(b []byte, v string, list []Term, english map[string]string, en bool) []byte {
	if v == "" {
		return b
	}
	for i, code := range strings.Split(v, ",") {
		if i > 0 {
			b = append(b, ", "...)
		}
		label := code
		if en {
			if l, ok := english[code]; ok {
				label = l
			}
		} else {
			for _, t := range list {
				if t.Code == code {
					label = strings.ToLower(t.Label)
				}
			}
		}
		b = append(b, label...)
	}
	return b
}

// English labels of the working-time patterns and contract types, lower
// case as a sentence says them; the Italian ones are in codes.go.
var (
	workingTimesEnglish = map[string]string{
		"full_time": "full time", "part_time": "part time", "shifts": "shifts", "nights": "night shifts",
		"weekends": "weekends and public holidays", "seasonal": "seasonal work", "on_call": "on call",
	}
	contractTypesEnglish = map[string]string{
		"permanent": "permanent", "fixed_term": "fixed-term", "apprenticeship": "apprenticeship",
		"agency": "temporary agency work", "intermittent": "intermittent work (on call)", "internship": "internship",
		"seasonal": "seasonal", "freelance": "self-employment / freelance",
	}
)

// skillLevelLabel names a skill level; an unknown or empty one is "not
// stated".
func skillLevelLabel(level string, en bool) string {
	it, english := "non indicato", "not stated"
	switch level {
	case "basic":
		it, english = "base", "basic"
	case "intermediate":
		it, english = "intermedio", "intermediate"
	case "advanced":
		it, english = "avanzato", "advanced"
	case "expert":
		it, english = "esperto", "expert"
	}
	if en {
		return english
	}
	return it
}

// phraseForm is an entry of the phrasebook: what its arguments are and the
// phrase in each language, with {n} for argument n.
type phraseForm struct {
	args   []argKind
	it, en string
}

func args(kinds ...argKind) []argKind { return kinds }

// phrasebook holds every sentence of an explanation. Keys are stable: they
// are stored with every match run and presented shortlist. A sentence may
// be reworded; one whose arguments change gets a new key.
var phrasebook = map[string]phraseForm{
	keyName:    {args(argName), "{0}", "{0}"},
	keyItalian: {args(argName), "{0}", "{0}"},

	// The requirement in words.
	"requirement.unknown_kind":     {nil, "Tipo di requisito sconosciuto: da verificare.", "Unknown kind of requirement: to be verified."},
	"requirement.occupation":       {args(argName), "Esperienza come {0}", "Experience as {0}"},
	"requirement.occupation_years": {args(argName, argYears), "{0}, almeno {1} di esperienza", "{0}, at least {1} of experience"},
	"requirement.education":        {args(argEQF), "Titolo di studio: {0} o superiore", "Education: {0} or higher"},
	"requirement.education_field":  {args(argEQF, argName), "Titolo di studio: {0} o superiore, in {1}", "Education: {0} or higher, in {1}"},
	"requirement.language":         {args(argLanguage, argName), "{0} almeno {1}", "{0}, at least {1}"},
	"requirement.language_native":  {args(argLanguage), "{0} madrelingua o equivalente", "{0}, native speaker or equivalent"},
	"requirement.distance":         {args(argInt), "Domicilio entro {0} km dal luogo di lavoro", "Home within {0} km of the workplace"},
	"requirement.working_time":     {args(argWorkingTimes), "Orario: {0}", "Working hours: {0}"},
	"requirement.contract":         {args(argContracts), "Contratto: {0}", "Contract type: {0}"},

	// Occupation and experience.
	"occupation.met":                 {args(argYears, argName), "{0} come {1}.", "{0} as {1}."},
	"occupation.met_years":           {args(argYears, argName, argYearsRequired), "{0} come {1} ({2}).", "{0} as {1} ({2})."},
	"occupation.too_few_years":       {args(argYears, argName, argYearsRequired), "{0} come {1}: {2}.", "{0} as {1}: {2}."},
	"occupation.same_group":          {args(argYears, argName, argName), "{0} in una professione dello stesso gruppo (ISCO {1}), non proprio come {2}.", "{0} in an occupation of the same group (ISCO {1}), though not as {2}."},
	"occupation.same_group_years":    {args(argYears, argName, argName, argYearsRequired), "{0} in una professione dello stesso gruppo (ISCO {1}), non proprio come {2}; {3}.", "{0} in an occupation of the same group (ISCO {1}), though not as {2}; {3}."},
	"occupation.broader_group":       {args(argYears, argName, argName), "{0} in una professione affine, del gruppo più ampio di {1} (ISCO {2}).", "{0} in a related occupation, in the broader group of {1} (ISCO {2})."},
	"occupation.broader_group_years": {args(argYears, argName, argName, argYearsRequired), "{0} in una professione affine, del gruppo più ampio di {1} (ISCO {2}); {3}.", "{0} in a related occupation, in the broader group of {1} (ISCO {2}); {3}."},
	"occupation.related":             {args(argYears, argName), "{0} in una professione affine a {1}.", "{0} in an occupation related to {1}."},
	"occupation.related_years":       {args(argYears, argName, argYearsRequired), "{0} in una professione affine a {1}; {2}.", "{0} in an occupation related to {1}; {2}."},
	"occupation.desired_only":        {args(argName), "Indica {0} tra le professioni desiderate, senza esperienza nel CV.", "Lists {0} among the occupations sought, with no experience of it in the CV."},
	"occupation.desired_not_years":   {args(argName, argYearsRequired), "Nessuna esperienza come {0} ({1}): la indica solo tra le professioni desiderate.", "No experience as {0} ({1}): listed only among the occupations sought."},
	"occupation.no_experience":       {args(argName), "Il CV non riporta esperienze: esperienza come {0} da verificare.", "The CV lists no work experience; to be verified: experience as {0}."},
	"occupation.none":                {args(argName), "Nessuna esperienza come {0} o in professioni affini.", "No experience as {0} or in related occupations."},
	"proof.desired":                  {args(argName), "Professione desiderata: {0}", "Occupation sought: {0}"},
	"proof.experience":               {args(argName, argMonth, argMonth, argYears), "{0}, {1} – {2} ({3})", "{0}, {1} – {2} ({3})"},
	"proof.experience_ongoing":       {args(argName, argMonth, argYears), "{0}, {1} – in corso ({2})", "{0}, {1} – present ({2})"},

	// Skills.
	"skill.with_level":     {args(argName, argSkillLevel), "{0} (livello {1})", "{0} (level: {1})"},
	"skill.met":            {args(argName), "Dichiara {0}.", "Lists {0} in the CV."},
	"skill.level_unstated": {args(argName, argSkillLevel), "Dichiara {0} senza indicarne il livello (richiesto {1}).", "Lists {0} in the CV without stating the level (required level: {1})."},
	"skill.level_below":    {args(argName, argSkillLevel, argSkillLevel), "Dichiara {0} a livello {1}; richiesto {2}.", "Lists {0} at {1} level; required level: {2}."},
	"skill.related":        {args(argName, argName), "Non dichiara {0} ma una competenza affine: {1}.", "Does not list {0}, but a related skill: {1}."},
	"skill.typical":        {args(argName), "Non la dichiara, ma è tipica della professione svolta ({0}): da verificare.", "Not listed, but typical of an occupation they have worked in ({0}): to be verified."},
	"skill.no_skills":      {args(argName), "Il CV non elenca competenze: {0} da verificare.", "The CV lists no skills; to be verified: {0}."},
	"skill.none":           {args(argName), "{0} non risulta tra le competenze dichiarate.", "{0} is not among the skills listed in the CV."},

	// Education.
	"education.invalid_level": {nil, "Livello di studio richiesto non valido: da verificare.", "The level of education required is not valid: to be verified."},
	"education.none_in_cv":    {nil, "Il CV non riporta titoli di studio: da verificare.", "The CV lists no qualifications: to be verified."},
	"education.title":         {args(argName, argInt), "{0} (EQF {1})", "{0} (EQF level {1})"},
	"education.met":           {args(argName, argInt, argInt), "{0} (EQF {1}, richiesto {2}).", "{0} (EQF level {1}; level {2} required)."},
	"education.other_field":   {args(argInt, argName), "Titolo di livello adeguato (EQF {0}) ma in un altro ambito; richiesto: {1}.", "A qualification at the right level (EQF {0}) but in another field; field required: {1}."},
	"education.one_below":     {args(argInt, argInt), "Titolo di un livello inferiore: EQF {0}, richiesto {1}.", "A qualification one level below: EQF {0}, level {1} required."},
	"education.below":         {args(argInt, argInt), "Titolo più alto EQF {0}, richiesto {1}.", "Highest qualification at EQF level {0}; level {1} required."},

	// Languages.
	"language.level":     {args(argLanguage, argCEFR), "{0} {1}", "{0}: {1}"},
	"language.met":       {args(argLanguage, argCEFR, argCEFR), "{0} {1} (richiesto {2}).", "{0}: {1} (required: {2})."},
	"language.one_below": {args(argLanguage, argCEFR, argCEFR), "{0} {1}, un livello sotto il {2} richiesto.", "{0}: {1}, one level below what is required ({2})."},
	"language.two_below": {args(argLanguage, argCEFR, argCEFR), "{0} {1}, due livelli sotto il {2} richiesto.", "{0}: {1}, two levels below what is required ({2})."},
	"language.too_far":   {args(argLanguage, argCEFR, argCEFR), "{0} {1}, troppo lontano dal {2} richiesto.", "{0}: {1}, too far below what is required ({2})."},
	"language.unstated":  {args(argLanguageLower), "Il CV non indica il livello di {0}: da verificare.", "The CV does not state their level of {0}: to be verified."},
	"language.none":      {args(argLanguage), "{0} non risulta tra le lingue dichiarate.", "{0} is not among the languages listed in the CV."},

	// Driving licences.
	"licence.item":    {args(argName), "Patente {0}", "Driving licence {0}"},
	"licence.met":     {args(argName), "Patente {0}.", "Driving licence {0}."},
	"licence.covers":  {args(argName, argName), "Patente {0}, che comprende la {1}.", "Driving licence {0}, which covers category {1}."},
	"licence.no_list": {args(argName), "Il CV non indica patenti: patente {0} da verificare.", "The CV lists no driving licence; to be verified: licence {0}."},
	"licence.none":    {args(argName, argName), "Patente {0} non dichiarata (dichiarate: {1}).", "Driving licence {0} not listed (listed: {1})."},

	// Certifications.
	"certification.met":     {args(argName), "{0}.", "{0}."},
	"certification.expired": {args(argName, argDate), "{0} scaduta il {1}: da rinnovare.", "{0} expired on {1}: to be renewed."},
	"certification.no_list": {args(argName), "Il CV non elenca certificazioni: {0} da verificare.", "The CV lists no certifications; to be verified: {0}."},
	"certification.none":    {args(argName), "{0} non risulta tra le certificazioni.", "{0} is not among the certifications listed in the CV."},

	// Distance.
	"distance.unknown":         {nil, "Distanza non calcolabile: luogo di lavoro o domicilio non indicato.", "The distance cannot be calculated: the workplace or the home address is not given."},
	"distance.met":             {args(argNumber, argInt), "Abita a {0} km dal luogo di lavoro (massimo {1}).", "Lives {0} km from the workplace (maximum {1} km)."},
	"distance.met_mobility":    {args(argNumber, argInt, argInt), "Abita a {0} km dal luogo di lavoro (massimo {1}); è oltre il raggio di spostamento che indica ({2} km).", "Lives {0} km from the workplace (maximum {1} km); this is beyond the distance they say they will travel ({2} km)."},
	"distance.beyond":          {args(argNumber, argInt), "Abita a {0} km, oltre i {1} richiesti.", "Lives {0} km away, beyond the required maximum of {1} km."},
	"distance.beyond_mobility": {args(argNumber, argInt, argInt), "Abita a {0} km, oltre i {1} richiesti; è oltre il raggio di spostamento che indica ({2} km).", "Lives {0} km away, beyond the required maximum of {1} km; this is also beyond the distance they say they will travel ({2} km)."},
	"distance.far_beyond":      {args(argNumber, argInt), "Abita a {0} km, ben oltre i {1} richiesti.", "Lives {0} km away, well beyond the required maximum of {1} km."},

	// Availability.
	"availability.no_date":  {nil, "Data di inizio richiesta non indicata: disponibilità da verificare.", "The required start date is not given: availability to be verified."},
	"availability.unstated": {nil, "Il CV non indica da quando è disponibile: da verificare.", "The CV does not say when they are available from: to be verified."},
	"availability.from":     {args(argDate), "Disponibile dal {0}", "Available from {0}"},
	"availability.met":      {args(argDate, argDate), "Disponibile dal {0} (richiesto dal {1}).", "Available from {0} (required from {1})."},
	"availability.later":    {args(argDate, argDays, argDate), "Disponibile dal {0}, {1} dopo il {2} richiesto.", "Available from {0}, {1} after the required date of {2}."},
	"availability.too_late": {args(argDate, argDate), "Disponibile solo dal {0}, oltre un mese dopo il {1} richiesto.", "Available only from {0}, more than a month after the required date of {1}."},

	// Working time and contracts.
	"working_time.unstated": {args(argWorkingTimes), "Il CV non indica gli orari accettati: {0} da verificare.", "The CV does not state which working hours they accept; to be verified: {0}."},
	"working_time.accepted": {args(argWorkingTimes), "Accetta: {0}", "Accepts: {0}"},
	"working_time.met":      {args(argWorkingTimes), "Accetta {0}.", "Accepts {0}."},
	"working_time.partly":   {args(argWorkingTimes, argWorkingTimes), "Accetta {0}, non {1}.", "Accepts {0} but not {1}."},
	"working_time.none":     {args(argWorkingTimes), "Non indica {0} tra gli orari accettati.", "Does not list {0} among the working hours they accept."},
	"contract.unstated":     {args(argContracts), "Il CV non indica i contratti accettati: {0} da verificare.", "The CV does not state which contract types they accept; to be verified: {0}."},
	"contract.accepted":     {args(argContracts), "Contratti accettati: {0}", "Contract types accepted: {0}"},
	"contract.met":          {args(argContracts), "Accetta il contratto {0}.", "Accepts the contract type: {0}."},
	"contract.none":         {args(argContracts), "Non indica {0} tra i contratti accettati.", "Does not list {0} among the contract types they accept."},
}

// eqfNames name the levels of the European Qualifications Framework by the
// Italian qualification that usually stands at each, as people know them.
var eqfNames = map[string]string{
	"1": "licenza media",
	"2": "obbligo di istruzione assolto",
	"3": "qualifica professionale",
	"4": "diploma di scuola superiore",
	"5": "diploma di tecnico superiore (ITS)",
	"6": "laurea triennale",
	"7": "laurea magistrale",
	"8": "dottorato di ricerca",
}

var eqfNamesEnglish = map[string]string{
	"1": "lower secondary school certificate",
	"2": "compulsory education completed",
	"3": "vocational qualification",
	"4": "upper secondary diploma",
	"5": "higher technical diploma (ITS)",
	"6": "bachelor's degree",
	"7": "master's degree",
	"8": "doctorate",
}
