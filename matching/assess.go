package matching

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"incontro/reference"
)

// Partial credits. Each is the credit of a way of partly meeting a
// requirement; they are documented here, in one place, because operators
// read them back to employers.
const (
	creditSameUnitGroup   = 0.8  // an occupation of the same ISCO unit group (4 digits)
	creditSameMinorGroup  = 0.5  // an occupation of the same ISCO minor group (3 digits): a broader occupation
	creditDesiredOnly     = 0.25 // the occupation is only among the desired ones (none when years of it are asked)
	creditSkillNoLevel    = 0.75 // the skill is there, its level is not stated
	creditSkillLevelStep  = 0.25 // lost per level below the one required (at least creditSkillLevelMin)
	creditSkillLevelMin   = 0.4
	creditRelatedSkill    = 0.5 // a related skill of the catalogue
	creditImpliedSkill    = 0.4 // typical of an occupation the candidate has practised
	creditEducationField  = 0.7 // the level is there, in another field
	creditEducationBelow  = 0.5 // one EQF level below
	creditLanguageOneStep = 0.6 // one CEFR level below (a B1 for a B2)
	creditLanguageTwoStep = 0.3 // two levels below (an A2 for a B2)
	creditCertExpired     = 0.5 // the certification has expired
	creditDistanceBeyond  = 0.5 // just beyond the maximum distance, falling to 0 at DistanceReach
	creditDistanceMin     = 0.05
	mobilityFactor        = 0.6 // the workplace is beyond the candidate's own mobility radius
)

// assess evaluates one requirement against a CV. The caller fills in the
// rank, weight and points.
func (s *Scorer) assess(r Requirement, c *Candidate) Assessment {
	vac, asOf := s.vac, s.params.AsOf
	switch r.Kind {
	case ReqOccupation:
		return s.assessOccupation(r, c, asOf)
	case ReqSkill:
		return s.assessSkill(r, c, asOf)
	case ReqEducation:
		return assessEducation(r, c)
	case ReqLanguage:
		return assessLanguage(r, c)
	case ReqLicence:
		return assessLicence(r, c)
	case ReqCertification:
		return assessCertification(r, c, asOf)
	case ReqDistance:
		return assessDistance(vac, r, c)
	case ReqAvailability:
		return assessAvailability(r, c)
	case ReqWorkingTime:
		return assessWorkingTime(r, c)
	case ReqContract:
		return assessContract(r, c)
	}
	return Assessment{Evidence: Unknown, Reason: "Tipo di requisito sconosciuto: da verificare."}
}

func met(reason string, proofs ...Proof) Assessment {
	return Assessment{Evidence: Met, Credit: 1, Reason: reason, Proofs: proofs}
}

func partly(credit float64, reason string, proofs ...Proof) Assessment {
	return Assessment{Evidence: PartlyMet, Credit: min(max(credit, 0.01), 0.99), Reason: reason, Proofs: proofs}
}

func notMet(reason string, proofs ...Proof) Assessment {
	return Assessment{Evidence: NotMet, Reason: reason, Proofs: proofs}
}

func unknown(reason string) Assessment {
	return Assessment{Evidence: Unknown, Reason: reason}
}

// targetOccupation resolves the occupation a requirement asks for: by code,
// else by its label in the catalogue.
func targetOccupation(r Requirement) (reference.Occupation, bool) {
	if o, ok := reference.OccupationByCode(r.Code); ok {
		return o, true
	}
	if r.Label != "" {
		if os := reference.FindOccupations(r.Label); len(os) > 0 {
			return os[0], true
		}
	}
	return reference.Occupation{}, false
}

// experienceOccupation resolves the occupation of an experience: its code,
// else its title in the catalogue.
// Lookups are remembered for the scorer's life: the same titles come back
// in candidate after candidate.
func (s *Scorer) experienceOccupation(code, title string) (reference.Occupation, bool) {
	key := code + "\x00" + title
	if o, ok := s.occupations[key]; ok {
		return o, o.Code != ""
	}
	o, ok := reference.OccupationByCode(code)
	if !ok {
		if os := reference.FindOccupations(title); len(os) > 0 {
			o = os[0]
		}
	}
	if s.occupations == nil {
		s.occupations = map[string]reference.Occupation{}
	}
	s.occupations[key] = o
	return o, o.Code != ""
}

// occupationTier says how close an experience is to the target: 3 the same
// occupation, 2 the same ISCO unit group, 1 the same minor group, 0 none.
func (s *Scorer) occupationTier(target reference.Occupation, hasTarget bool, r Requirement, code, isco, title string) int {
	o, known := s.experienceOccupation(code, title)
	if hasTarget && known && o.Code == target.Code {
		return 3
	}
	if !hasTarget && r.Label != "" && strings.Contains(" "+reference.Fold(title)+" ", " "+reference.Fold(r.Label)+" ") {
		return 3
	}
	related := hasTarget && known && reference.OccupationsRelated(o.Code, target.Code)
	if isco == "" && known {
		isco = o.ISCO
	}
	want := target.ISCO
	switch {
	case hasTarget && len(want) == 4 && len(isco) == 4 && isco == want:
		return 2
	case hasTarget && len(want) == 4 && len(isco) == 4 && isco[:3] == want[:3]:
		return 1
	case related:
		return tierRelated
	}
	return 0
}

// tierRelated marks an experience in an occupation the catalogue relates
// to the target (reference.OccupationsRelated): credited like tier 1.
const tierRelated = -1

var tierCredit = [4]float64{0, creditSameMinorGroup, creditSameUnitGroup, 1}

// unionYears returns the years covered by the spans, overlaps counted once.
func unionYears(exps []Experience, asOf time.Time) float64 {
	c := Candidate{Experiences: exps}
	return c.TotalExperienceYears(asOf)
}

// yearsText says a number of years in Italian: "1 anno", "2,5 anni".
func yearsText(y float64) string {
	if d := decimal(y); d != "1" {
		return d + " anni"
	}
	return "1 anno"
}

// yearsRequired says the years a requirement asks for: "richiesti 2 anni".
func yearsRequired(y float64) string {
	if decimal(y) == "1" {
		return "richiesto 1 anno"
	}
	return "richiesti " + yearsText(y)
}

func experienceProof(e Experience, asOf time.Time) Proof {
	end := "in corso"
	if e.EndDate != nil {
		end = e.EndDate.Format("01/2006")
	}
	return Proof{Section: SectionExperience, ItemID: e.ID,
		Text: fmt.Sprintf("%s, %s – %s (%s)", e.Title, e.StartDate.Format("01/2006"), end, yearsText(e.Years(asOf)))}
}

func (s *Scorer) assessOccupation(r Requirement, c *Candidate, asOf time.Time) Assessment {
	target, hasTarget := targetOccupation(r)
	name := r.Label
	if hasTarget {
		name = target.Title
	}
	minYears := 0.0
	if r.MinYears != nil {
		minYears = *r.MinYears
	}
	// The best credit over the tiers: the same occupation for fewer years
	// may beat a related one for longer.
	var best Assessment
	bestCredit := -1.0
	byTier := [4][]Experience{}
	var related []Experience
	for _, e := range c.Experiences {
		t := s.occupationTier(target, hasTarget, r, e.OccupationCode, e.ISCOCode, e.Title)
		if t == tierRelated {
			related = append(related, e)
			continue
		}
		byTier[t] = append(byTier[t], e)
	}
	var pool []Experience
	for t := 3; t >= 1; t-- {
		pool = append(pool, byTier[t]...) // a closer occupation counts for a looser tier too
		if t == 1 {
			pool = append(pool, related...)
		}
		if len(byTier[t]) == 0 && (t != 1 || len(related) == 0) {
			continue
		}
		y := unionYears(pool, asOf)
		credit := tierCredit[t]
		if minYears > 0 {
			credit *= min(1, y/minYears)
		}
		if credit <= bestCredit {
			continue
		}
		bestCredit = credit
		proofs := make([]Proof, 0, len(pool))
		for _, e := range pool {
			proofs = append(proofs, experienceProof(e, asOf))
		}
		var reason string
		switch {
		case t == 3 && (minYears == 0 || y >= minYears):
			reason = fmt.Sprintf("%s come %s", yearsText(y), name)
			if minYears > 0 {
				reason += fmt.Sprintf(" (%s)", yearsRequired(minYears))
			}
			best = met(reason+".", proofs...)
			continue
		case t == 3:
			reason = fmt.Sprintf("%s come %s: %s.", yearsText(y), name, yearsRequired(minYears))
		case t == 2:
			reason = fmt.Sprintf("%s in una professione dello stesso gruppo (ISCO %s), non proprio come %s", yearsText(y), target.ISCO, name)
		default:
			reason = fmt.Sprintf("%s in una professione affine, del gruppo più ampio di %s (ISCO %s)", yearsText(y), name, target.ISCO[:3])
			if len(byTier[1]) == 0 {
				reason = fmt.Sprintf("%s in una professione affine a %s", yearsText(y), name)
			}
		}
		if t < 3 && minYears > 0 {
			reason += "; " + yearsRequired(minYears)
		}
		if t < 3 {
			reason += "."
		}
		best = partly(credit, reason, proofs...)
	}
	if bestCredit > 0 {
		return best
	}
	var desired *DesiredOccupation
	for i, d := range c.DesiredOccupations {
		if s.occupationTier(target, hasTarget, r, d.OccupationCode, d.ISCOCode, d.Title) == 3 {
			desired = &c.DesiredOccupations[i]
			break
		}
	}
	// Wanting an occupation is a little credit when the requirement is the
	// occupation, none when it asks for years of experience in it.
	switch {
	case desired != nil && minYears == 0:
		return partly(creditDesiredOnly, fmt.Sprintf("Indica %s tra le professioni desiderate, senza esperienza nel CV.", name),
			Proof{Section: SectionExperience, Text: "Professione desiderata: " + desired.Title})
	case len(c.Experiences) == 0:
		return unknown(fmt.Sprintf("Il CV non riporta esperienze: esperienza come %s da verificare.", name))
	case desired != nil:
		return notMet(fmt.Sprintf("Nessuna esperienza come %s (%s): la indica solo tra le professioni desiderate.", name, yearsRequired(minYears)),
			Proof{Section: SectionExperience, Text: "Professione desiderata: " + desired.Title})
	}
	return notMet(fmt.Sprintf("Nessuna esperienza come %s o in professioni affini.", name))
}

func skillLevelLabel(level string) string {
	switch level {
	case "basic":
		return "base"
	case "intermediate":
		return "intermedio"
	case "advanced":
		return "avanzato"
	case "expert":
		return "esperto"
	}
	return "non indicato"
}

// sameSkill reports whether a CV skill is the required one: the same code
// when both have one (codes are canonical), else the same label once
// folded, the requirement's or its catalogue label.
func (s *Scorer) sameSkill(r Requirement, cs CandidateSkill) bool {
	if r.Code != "" && cs.Code != "" {
		return cs.Code == r.Code
	}
	names := s.skillNames(r)
	if len(names) == 0 {
		return false
	}
	return slices.Contains(names, reference.Fold(cs.Label))
}

// skillNames returns the folded names of a required skill, computed once
// per scorer.
func (s *Scorer) skillNames(r Requirement) []string {
	key := r.Code + "\x00" + r.Label
	if names, ok := s.skills[key]; ok {
		return names
	}
	var names []string
	if r.Label != "" {
		names = append(names, reference.Fold(r.Label))
	}
	if k, ok := reference.SkillByCode(r.Code); ok {
		names = append(names, reference.Fold(k.Label))
	}
	if s.skills == nil {
		s.skills = map[string][]string{}
	}
	s.skills[key] = names
	return names
}

func (s *Scorer) assessSkill(r Requirement, c *Candidate, asOf time.Time) Assessment {
	name := r.Label
	k, coded := reference.SkillByCode(r.Code)
	if name == "" && coded {
		name = k.Label
	}
	want := SkillLevelRank(r.Level)
	for _, cs := range c.Skills {
		if !s.sameSkill(r, cs) {
			continue
		}
		proof := Proof{Section: SectionSkills, Text: fmt.Sprintf("%s (livello %s)", cs.Label, skillLevelLabel(cs.Level))}
		have := max(0, SkillLevelRank(cs.Level)) // an empty level is an unstated one
		switch {
		case want <= 0 || have >= want:
			return met(fmt.Sprintf("Dichiara %s.", cs.Label), proof)
		case have == 0:
			return partly(creditSkillNoLevel, fmt.Sprintf("Dichiara %s senza indicarne il livello (richiesto %s).", cs.Label, skillLevelLabel(r.Level)), proof)
		default:
			credit := max(creditSkillLevelMin, 1-creditSkillLevelStep*float64(want-have))
			return partly(credit, fmt.Sprintf("Dichiara %s a livello %s; richiesto %s.", cs.Label, skillLevelLabel(cs.Level), skillLevelLabel(r.Level)), proof)
		}
	}
	if coded {
		for _, cs := range c.Skills {
			if cs.Code != "" && slices.Contains(k.Related, cs.Code) {
				return partly(creditRelatedSkill, fmt.Sprintf("Non dichiara %s ma una competenza affine: %s.", name, cs.Label),
					Proof{Section: SectionSkills, Text: cs.Label})
			}
		}
		for _, e := range c.Experiences {
			o, ok := s.experienceOccupation(e.OccupationCode, e.Title)
			if ok && slices.Contains(o.Skills, r.Code) {
				return partly(creditImpliedSkill, fmt.Sprintf("Non la dichiara, ma è tipica della professione svolta (%s): da verificare.", o.Title),
					experienceProof(e, asOf))
			}
		}
	}
	if len(c.Skills) == 0 {
		return unknown(fmt.Sprintf("Il CV non elenca competenze: %s da verificare.", name))
	}
	return notMet(fmt.Sprintf("%s non risulta tra le competenze dichiarate.", name))
}

func assessEducation(r Requirement, c *Candidate) Assessment {
	if len(r.Code) != 1 || r.Code[0] < '1' || r.Code[0] > '8' {
		return unknown("Livello di studio richiesto non valido: da verificare.") // Validate rejects it; never panic on it
	}
	want := int(r.Code[0] - '0')
	if len(c.Education) == 0 {
		return unknown("Il CV non riporta titoli di studio: da verificare.")
	}
	best := -1
	for i, e := range c.Education {
		if best < 0 || e.EQFLevel > c.Education[best].EQFLevel {
			best = i
		}
	}
	top := c.Education[best]
	proof := func(e Education) Proof {
		return Proof{Section: SectionEducation, ItemID: e.ID, Text: fmt.Sprintf("%s (EQF %d)", e.Title, e.EQFLevel)}
	}
	fieldOK := func(e Education) bool {
		if strings.TrimSpace(r.Field) == "" {
			return true
		}
		f := " " + reference.Fold(r.Field) + " "
		for _, s := range []string{e.Field, e.Title} {
			if s = reference.Fold(s); s != "" && (strings.Contains(" "+s+" ", f) || strings.Contains(f, " "+s+" ")) {
				return true
			}
		}
		return false
	}
	if top.EQFLevel >= want {
		for _, e := range c.Education {
			if e.EQFLevel >= want && fieldOK(e) {
				return met(fmt.Sprintf("%s (EQF %d, richiesto %d).", e.Title, e.EQFLevel, want), proof(e))
			}
		}
		return partly(creditEducationField, fmt.Sprintf("Titolo di livello adeguato (EQF %d) ma in un altro ambito; richiesto: %s.", top.EQFLevel, r.Field), proof(top))
	}
	if top.EQFLevel >= EducationFloor(want) {
		return partly(creditEducationBelow, fmt.Sprintf("Titolo di un livello inferiore: EQF %d, richiesto %d.", top.EQFLevel, want), proof(top))
	}
	return notMet(fmt.Sprintf("Titolo più alto EQF %d, richiesto %d.", top.EQFLevel, want), proof(top))
}

var languageNames = map[string]string{
	"it": "Italiano", "de": "Tedesco", "en": "Inglese", "fr": "Francese", "es": "Spagnolo", "pt": "Portoghese",
	"ro": "Rumeno", "sq": "Albanese", "ar": "Arabo", "ru": "Russo", "uk": "Ucraino", "pl": "Polacco",
	"zh": "Cinese", "hi": "Hindi", "ur": "Urdu", "bn": "Bengalese", "nl": "Olandese", "sl": "Sloveno",
	"hr": "Croato", "sr": "Serbo", "tr": "Turco",
}

// LanguageName returns the Italian name of an ISO 639-1 language, or the
// code itself.
func LanguageName(code string) string {
	if n, ok := languageNames[code]; ok {
		return n
	}
	return code
}

func levelName(level string) string {
	if level == "native" {
		return "madrelingua"
	}
	return level
}

func assessLanguage(r Requirement, c *Candidate) Assessment {
	name := LanguageName(r.Code)
	want := CEFRRank(r.Level)
	for _, l := range c.Languages {
		if l.Language != r.Code {
			continue
		}
		have := CEFRRank(l.Level)
		proof := Proof{Section: SectionLanguages, Text: fmt.Sprintf("%s %s", name, levelName(l.Level))}
		switch d := want - have; {
		case d <= 0:
			return met(fmt.Sprintf("%s %s (richiesto %s).", name, levelName(l.Level), levelName(r.Level)), proof)
		case have >= LanguageFloor(r.Level) && d == 1:
			return partly(creditLanguageOneStep, fmt.Sprintf("%s %s, un livello sotto il %s richiesto.", name, levelName(l.Level), levelName(r.Level)), proof)
		case have >= LanguageFloor(r.Level):
			return partly(creditLanguageTwoStep, fmt.Sprintf("%s %s, due livelli sotto il %s richiesto.", name, levelName(l.Level), levelName(r.Level)), proof)
		default:
			return notMet(fmt.Sprintf("%s %s, troppo lontano dal %s richiesto.", name, levelName(l.Level), levelName(r.Level)), proof)
		}
	}
	if len(c.Languages) == 0 || r.Code == "it" {
		return unknown(fmt.Sprintf("Il CV non indica il livello di %s: da verificare.", strings.ToLower(name)))
	}
	return notMet(fmt.Sprintf("%s non risulta tra le lingue dichiarate.", name))
}

func assessLicence(r Requirement, c *Candidate) Assessment {
	for _, code := range LicencesCovering(r.Code) {
		if slices.Contains(c.Licences, code) {
			proof := Proof{Section: SectionLicences, Text: "Patente " + code}
			if code == r.Code {
				return met(fmt.Sprintf("Patente %s.", code), proof)
			}
			return met(fmt.Sprintf("Patente %s, che comprende la %s.", code, r.Code), proof)
		}
	}
	if len(c.Licences) == 0 {
		return unknown(fmt.Sprintf("Il CV non indica patenti: patente %s da verificare.", r.Code))
	}
	return notMet(fmt.Sprintf("Patente %s non dichiarata (dichiarate: %s).", r.Code, strings.Join(c.Licences, ", ")))
}

// certificateWord reports whether a folded word names the kind of a
// certificate, not its subject: "Attestato HACCP" and "Corso HACCP" are the
// same certificate.
func certificateWord(w string) bool {
	switch w {
	case "attestato", "certificato", "certificazione", "qualifica", "corso", "abilitazione", "patentino", "diploma",
		"formazione", "tessera", "di", "del", "della", "dei", "degli", "delle", "per", "e", "ed", "a", "al", "alla", "all", "in":
		return true
	}
	return false
}

// subjectWords returns the folded words of a certificate name that say what
// it certifies.
func subjectWords(name string) []string {
	var out []string
	for _, w := range strings.Fields(reference.Fold(name)) {
		if !certificateWord(w) {
			out = append(out, w)
		}
	}
	return out
}

// containsAll reports whether every word of part is in whole.
func containsAll(whole, part []string) bool {
	for _, w := range part {
		if !slices.Contains(whole, w) {
			return false
		}
	}
	return true
}

// sameCertificate reports whether a certificate of the CV is the one a
// requirement asks for: the same code, or names of which one holds every
// subject word of the other ("HACCP" and "Attestato HACCP alimentarista").
func sameCertificate(r Requirement, cert Certification) bool {
	if r.Code != "" && cert.Code == r.Code {
		return true
	}
	want, have := subjectWords(r.Label), subjectWords(cert.Name)
	if len(want) == 0 || len(have) == 0 {
		return false
	}
	return containsAll(have, want) || containsAll(want, have)
}

func assessCertification(r Requirement, c *Candidate, asOf time.Time) Assessment {
	name := r.Label
	if name == "" {
		name = r.Code
	}
	// A valid certificate wins over an expired copy of the same one.
	var expired *Certification
	for i, cert := range c.Certifications {
		if !sameCertificate(r, cert) {
			continue
		}
		if cert.ExpiresOn != nil && cert.ExpiresOn.Before(asOf) {
			if expired == nil || cert.ExpiresOn.After(*expired.ExpiresOn) {
				expired = &c.Certifications[i]
			}
			continue
		}
		return met(fmt.Sprintf("%s.", cert.Name), Proof{Section: SectionCertifications, ItemID: cert.ID, Text: cert.Name})
	}
	if expired != nil {
		return partly(creditCertExpired, fmt.Sprintf("%s scaduta il %s: da rinnovare.", expired.Name, expired.ExpiresOn.Format("02/01/2006")),
			Proof{Section: SectionCertifications, ItemID: expired.ID, Text: expired.Name})
	}
	if len(c.Certifications) == 0 {
		return unknown(fmt.Sprintf("Il CV non elenca certificazioni: %s da verificare.", name))
	}
	return notMet(fmt.Sprintf("%s non risulta tra le certificazioni.", name))
}

func assessDistance(vac *Vacancy, r Requirement, c *Candidate) Assessment {
	if (vac.Lat == 0 && vac.Lon == 0) || (c.HomeLat == 0 && c.HomeLon == 0) || r.MaxKm == nil {
		return unknown("Distanza non calcolabile: luogo di lavoro o domicilio non indicato.")
	}
	d := reference.HaversineKm(vac.Lat, vac.Lon, c.HomeLat, c.HomeLon)
	km := round(d, 1)
	maxKm := float64(*r.MaxKm)
	reach := DistanceReach(*r.MaxKm)
	var a Assessment
	switch {
	case d <= maxKm:
		a = met(fmt.Sprintf("Abita a %s km dal luogo di lavoro (massimo %d).", decimal(km), *r.MaxKm))
	case d <= reach:
		credit := max(creditDistanceMin, creditDistanceBeyond*(reach-d)/(reach-maxKm))
		a = partly(credit, fmt.Sprintf("Abita a %s km, oltre i %d richiesti.", decimal(km), *r.MaxKm))
	default:
		a = notMet(fmt.Sprintf("Abita a %s km, ben oltre i %d richiesti.", decimal(km), *r.MaxKm))
	}
	if a.Evidence != NotMet && c.MobilityKm > 0 && d > float64(c.MobilityKm) {
		a = partly(a.Credit*mobilityFactor, strings.TrimSuffix(a.Reason, ".")+
			fmt.Sprintf("; è oltre il raggio di spostamento che indica (%d km).", c.MobilityKm))
	}
	a.DistanceKm = &km
	return a
}

func day(t time.Time) time.Time { return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC) }

func assessAvailability(r Requirement, c *Candidate) Assessment {
	if r.FromDate == nil {
		return unknown("Data di inizio richiesta non indicata: disponibilità da verificare.") // Validate rejects it; never panic on it
	}
	if c.AvailableFrom == nil {
		return unknown("Il CV non indica da quando è disponibile: da verificare.")
	}
	from, want := day(*c.AvailableFrom), day(*r.FromDate)
	proof := Proof{Section: SectionAvailability, Text: "Disponibile dal " + from.Format("02/01/2006")}
	late := int(math.Round(from.Sub(want).Hours() / 24))
	switch {
	case late <= 0:
		return met(fmt.Sprintf("Disponibile dal %s (richiesto dal %s).", from.Format("02/01/2006"), want.Format("02/01/2006")), proof)
	case late <= AvailabilityGraceDays:
		return partly(1-float64(late)/float64(AvailabilityGraceDays+1),
			fmt.Sprintf("Disponibile dal %s, %d giorni dopo il %s richiesto.", from.Format("02/01/2006"), late, want.Format("02/01/2006")), proof)
	}
	return notMet(fmt.Sprintf("Disponibile solo dal %s, oltre un mese dopo il %s richiesto.", from.Format("02/01/2006"), want.Format("02/01/2006")), proof)
}

func termLabels(codes []string, list []Term) string {
	out := make([]string, 0, len(codes))
	for _, c := range codes {
		label := c
		for _, t := range list {
			if t.Code == c {
				label = strings.ToLower(t.Label)
			}
		}
		out = append(out, label)
	}
	return strings.Join(out, ", ")
}

func assessWorkingTime(r Requirement, c *Candidate) Assessment {
	if len(c.WorkingTime) == 0 {
		return unknown("Il CV non indica gli orari accettati: " + termLabels(r.Values, workingTimes) + " da verificare.")
	}
	var ok, missing []string
	for _, v := range r.Values {
		if slices.Contains(c.WorkingTime, v) {
			ok = append(ok, v)
		} else {
			missing = append(missing, v)
		}
	}
	proof := Proof{Section: SectionWorkingTime, Text: "Accetta: " + termLabels(c.WorkingTime, workingTimes)}
	switch {
	case len(missing) == 0:
		return met("Accetta "+termLabels(ok, workingTimes)+".", proof)
	case len(ok) > 0:
		return partly(float64(len(ok))/float64(len(r.Values)),
			"Accetta "+termLabels(ok, workingTimes)+", non "+termLabels(missing, workingTimes)+".", proof)
	}
	return notMet("Non indica "+termLabels(missing, workingTimes)+" tra gli orari accettati.", proof)
}

func assessContract(r Requirement, c *Candidate) Assessment {
	if len(c.ContractPreferences) == 0 {
		return unknown("Il CV non indica i contratti accettati: " + termLabels(r.Values, contractTypes) + " da verificare.")
	}
	proof := Proof{Section: SectionContract, Text: "Contratti accettati: " + termLabels(c.ContractPreferences, contractTypes)}
	for _, v := range r.Values {
		if slices.Contains(c.ContractPreferences, v) {
			return met("Accetta il contratto "+termLabels([]string{v}, contractTypes)+".", proof)
		}
	}
	return notMet("Non indica "+termLabels(r.Values, contractTypes)+" tra i contratti accettati.", proof)
}

// DescribeRequirement says a requirement in Italian words, as an operator
// would read it to an employer: "Tedesco almeno B2", "Patente C".
func DescribeRequirement(r Requirement) string {
	switch r.Kind {
	case ReqOccupation:
		name := r.Label
		if o, ok := targetOccupation(r); ok && name == "" {
			name = o.Title
		}
		if r.MinYears != nil && *r.MinYears > 0 {
			return fmt.Sprintf("%s, almeno %s di esperienza", name, yearsText(*r.MinYears))
		}
		return fmt.Sprintf("Esperienza come %s", name)
	case ReqSkill:
		name := r.Label
		if k, ok := reference.SkillByCode(r.Code); ok && name == "" {
			name = k.Label
		}
		if SkillLevelRank(r.Level) > 0 {
			return fmt.Sprintf("%s (livello %s)", name, skillLevelLabel(r.Level))
		}
		return name
	case ReqEducation:
		s := "Titolo di studio EQF " + r.Code + " o superiore"
		if r.Field != "" {
			s += " in " + r.Field
		}
		return s
	case ReqLanguage:
		if r.Level == "native" {
			return LanguageName(r.Code) + " madrelingua o equivalente"
		}
		return fmt.Sprintf("%s almeno %s", LanguageName(r.Code), r.Level)
	case ReqLicence:
		return "Patente " + r.Code
	case ReqCertification:
		if r.Label != "" {
			return r.Label
		}
		return r.Code
	case ReqDistance:
		if r.MaxKm != nil {
			return fmt.Sprintf("Domicilio entro %d km dal luogo di lavoro", *r.MaxKm)
		}
	case ReqAvailability:
		if r.FromDate != nil {
			return "Disponibile dal " + r.FromDate.Format("02/01/2006")
		}
	case ReqWorkingTime:
		return "Orario: " + termLabels(r.Values, workingTimes)
	case ReqContract:
		return "Contratto: " + termLabels(r.Values, contractTypes)
	}
	return string(r.Kind)
}
