package matching

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"incontro/reference"
)

// The code that wrote explanations before the phrasebook, kept as it was
// (renamed with "old") so that the tests can check that the phrasebook says
// every sentence in Italian byte for byte as it did. Only the tests build it.

// oldAssessment is an assessment as the old code made it, texts in Italian.
type oldAssessment struct {
	Evidence   Evidence
	Credit     float64
	Reason     string
	Proofs     []oldProof
	DistanceKm *float64
}

// oldProof is a proof as the old code made it.
type oldProof struct {
	Section Section
	ItemID  int64
	Text    string
}

// OldTexts is what the old code said of a candidate against a scorer's
// vacancy: each requirement in words, its evidence, credit, reason and
// proofs, in rank order, and the requirements to verify.
type OldTexts struct {
	Requirements []OldAssessmentText
	ToVerify     []string
}

// OldAssessmentText is one requirement as the old code said it.
type OldAssessmentText struct {
	Requirement string
	Evidence    Evidence
	Credit      float64
	Reason      string
	Proofs      []string
}

// OldExplain says with the old code what Explain says of a candidate.
func OldExplain(s *Scorer, c *Candidate) OldTexts {
	out := OldTexts{ToVerify: []string{}}
	for _, r := range s.reqs {
		a := s.oldAssess(r, c)
		t := OldAssessmentText{Requirement: oldDescribeRequirement(r), Evidence: a.Evidence, Credit: round(a.Credit, 4), Reason: a.Reason}
		for _, p := range a.Proofs {
			t.Proofs = append(t.Proofs, p.Text)
		}
		if a.Evidence == Unknown {
			out.ToVerify = append(out.ToVerify, t.Requirement)
		}
		out.Requirements = append(out.Requirements, t)
	}
	return out
}

// OldDescribeRequirement says a requirement in words with the old code.
func OldDescribeRequirement(r Requirement) string { return oldDescribeRequirement(r) }

// oldDecimal formats a number with one decimal the Italian way: "3,5", "12".
func oldDecimal(y float64) string {
	s := fmt.Sprintf("%.1f", y)
	if s[len(s)-2:] == ".0" {
		return s[:len(s)-2]
	}
	return s[:len(s)-2] + "," + s[len(s)-1:]
}

func (s *Scorer) oldAssess(r Requirement, c *Candidate) oldAssessment {
	vac, asOf := s.vac, s.params.AsOf
	switch r.Kind {
	case ReqOccupation:
		return s.oldAssessOccupation(r, c, asOf)
	case ReqSkill:
		return s.oldAssessSkill(r, c, asOf)
	case ReqEducation:
		return oldAssessEducation(r, c)
	case ReqLanguage:
		return oldAssessLanguage(r, c)
	case ReqLicence:
		return oldAssessLicence(r, c)
	case ReqCertification:
		return oldAssessCertification(r, c, asOf)
	case ReqDistance:
		return oldAssessDistance(vac, r, c)
	case ReqAvailability:
		return oldAssessAvailability(r, c)
	case ReqWorkingTime:
		return oldAssessWorkingTime(r, c)
	case ReqContract:
		return oldAssessContract(r, c)
	}
	return oldAssessment{Evidence: Unknown, Reason: "Tipo di requisito sconosciuto: da verificare."}
}

func oldMet(reason string, proofs ...oldProof) oldAssessment {
	return oldAssessment{Evidence: Met, Credit: 1, Reason: reason, Proofs: proofs}
}

func oldPartly(credit float64, reason string, proofs ...oldProof) oldAssessment {
	return oldAssessment{Evidence: PartlyMet, Credit: min(max(credit, 0.01), 0.99), Reason: reason, Proofs: proofs}
}

func oldNotMet(reason string, proofs ...oldProof) oldAssessment {
	return oldAssessment{Evidence: NotMet, Reason: reason, Proofs: proofs}
}

func oldUnknown(reason string) oldAssessment {
	return oldAssessment{Evidence: Unknown, Reason: reason}
}

func oldYearsText(y float64) string {
	if d := oldDecimal(y); d != "1" {
		return d + " anni"
	}
	return "1 anno"
}

func oldYearsRequired(y float64) string {
	if oldDecimal(y) == "1" {
		return "richiesto 1 anno"
	}
	return "richiesti " + oldYearsText(y)
}

func oldExperienceProof(e Experience, asOf time.Time) oldProof {
	end := "in corso"
	if e.EndDate != nil {
		end = e.EndDate.Format("01/2006")
	}
	return oldProof{Section: SectionExperience, ItemID: e.ID,
		Text: fmt.Sprintf("%s, %s – %s (%s)", e.Title, e.StartDate.Format("01/2006"), end, oldYearsText(e.Years(asOf)))}
}

func (s *Scorer) oldAssessOccupation(r Requirement, c *Candidate, asOf time.Time) oldAssessment {
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
	var best oldAssessment
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
		proofs := make([]oldProof, 0, len(pool))
		for _, e := range pool {
			proofs = append(proofs, oldExperienceProof(e, asOf))
		}
		var reason string
		switch {
		case t == 3 && (minYears == 0 || y >= minYears):
			reason = fmt.Sprintf("%s come %s", oldYearsText(y), name)
			if minYears > 0 {
				reason += fmt.Sprintf(" (%s)", oldYearsRequired(minYears))
			}
			best = oldMet(reason+".", proofs...)
			continue
		case t == 3:
			reason = fmt.Sprintf("%s come %s: %s.", oldYearsText(y), name, oldYearsRequired(minYears))
		case t == 2:
			reason = fmt.Sprintf("%s in una professione dello stesso gruppo (ISCO %s), non proprio come %s", oldYearsText(y), target.ISCO, name)
		default:
			reason = fmt.Sprintf("%s in una professione affine, del gruppo più ampio di %s (ISCO %s)", oldYearsText(y), name, target.ISCO[:3])
			if len(byTier[1]) == 0 {
				reason = fmt.Sprintf("%s in una professione affine a %s", oldYearsText(y), name)
			}
		}
		if t < 3 && minYears > 0 {
			reason += "; " + oldYearsRequired(minYears)
		}
		if t < 3 {
			reason += "."
		}
		best = oldPartly(credit, reason, proofs...)
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
		return oldPartly(creditDesiredOnly, fmt.Sprintf("Indica %s tra le professioni desiderate, senza esperienza nel CV.", name),
			oldProof{Section: SectionExperience, Text: "Professione desiderata: " + desired.Title})
	case len(c.Experiences) == 0:
		return oldUnknown(fmt.Sprintf("Il CV non riporta esperienze: esperienza come %s da verificare.", name))
	case desired != nil:
		return oldNotMet(fmt.Sprintf("Nessuna esperienza come %s (%s): la indica solo tra le professioni desiderate.", name, oldYearsRequired(minYears)),
			oldProof{Section: SectionExperience, Text: "Professione desiderata: " + desired.Title})
	}
	return oldNotMet(fmt.Sprintf("Nessuna esperienza come %s o in professioni affini.", name))
}

func oldSkillLevelLabel(level string) string {
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

func (s *Scorer) oldAssessSkill(r Requirement, c *Candidate, asOf time.Time) oldAssessment {
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
		proof := oldProof{Section: SectionSkills, Text: fmt.Sprintf("%s (livello %s)", cs.Label, oldSkillLevelLabel(cs.Level))}
		have := max(0, SkillLevelRank(cs.Level)) // an empty level is an unstated one
		switch {
		case want <= 0 || have >= want:
			return oldMet(fmt.Sprintf("Dichiara %s.", cs.Label), proof)
		case have == 0:
			return oldPartly(creditSkillNoLevel, fmt.Sprintf("Dichiara %s senza indicarne il livello (richiesto %s).", cs.Label, oldSkillLevelLabel(r.Level)), proof)
		default:
			credit := max(creditSkillLevelMin, 1-creditSkillLevelStep*float64(want-have))
			return oldPartly(credit, fmt.Sprintf("Dichiara %s a livello %s; richiesto %s.", cs.Label, oldSkillLevelLabel(cs.Level), oldSkillLevelLabel(r.Level)), proof)
		}
	}
	if coded {
		for _, cs := range c.Skills {
			if cs.Code != "" && slices.Contains(k.Related, cs.Code) {
				return oldPartly(creditRelatedSkill, fmt.Sprintf("Non dichiara %s ma una competenza affine: %s.", name, cs.Label),
					oldProof{Section: SectionSkills, Text: cs.Label})
			}
		}
		for _, e := range c.Experiences {
			o, ok := s.experienceOccupation(e.OccupationCode, e.Title)
			if ok && slices.Contains(o.Skills, r.Code) {
				return oldPartly(creditImpliedSkill, fmt.Sprintf("Non la dichiara, ma è tipica della professione svolta (%s): da verificare.", o.Title),
					oldExperienceProof(e, asOf))
			}
		}
	}
	if len(c.Skills) == 0 {
		return oldUnknown(fmt.Sprintf("Il CV non elenca competenze: %s da verificare.", name))
	}
	return oldNotMet(fmt.Sprintf("%s non risulta tra le competenze dichiarate.", name))
}

func oldAssessEducation(r Requirement, c *Candidate) oldAssessment {
	if len(r.Code) != 1 || r.Code[0] < '1' || r.Code[0] > '8' {
		return oldUnknown("Livello di studio richiesto non valido: da verificare.") // Validate rejects it; never panic on it
	}
	want := int(r.Code[0] - '0')
	if len(c.Education) == 0 {
		return oldUnknown("Il CV non riporta titoli di studio: da verificare.")
	}
	best := -1
	for i, e := range c.Education {
		if best < 0 || e.EQFLevel > c.Education[best].EQFLevel {
			best = i
		}
	}
	top := c.Education[best]
	proof := func(e Education) oldProof {
		return oldProof{Section: SectionEducation, ItemID: e.ID, Text: fmt.Sprintf("%s (EQF %d)", e.Title, e.EQFLevel)}
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
				return oldMet(fmt.Sprintf("%s (EQF %d, richiesto %d).", e.Title, e.EQFLevel, want), proof(e))
			}
		}
		return oldPartly(creditEducationField, fmt.Sprintf("Titolo di livello adeguato (EQF %d) ma in un altro ambito; richiesto: %s.", top.EQFLevel, r.Field), proof(top))
	}
	if top.EQFLevel >= EducationFloor(want) {
		return oldPartly(creditEducationBelow, fmt.Sprintf("Titolo di un livello inferiore: EQF %d, richiesto %d.", top.EQFLevel, want), proof(top))
	}
	return oldNotMet(fmt.Sprintf("Titolo più alto EQF %d, richiesto %d.", top.EQFLevel, want), proof(top))
}

var oldLanguageNames = map[string]string{
	"it": "Italiano", "de": "Tedesco", "en": "Inglese", "fr": "Francese", "es": "Spagnolo", "pt": "Portoghese",
	"ro": "Rumeno", "sq": "Albanese", "ar": "Arabo", "ru": "Russo", "uk": "Ucraino", "pl": "Polacco",
	"zh": "Cinese", "hi": "Hindi", "ur": "Urdu", "bn": "Bengalese", "nl": "Olandese", "sl": "Sloveno",
	"hr": "Croato", "sr": "Serbo", "tr": "Turco",
}

func oldLanguageName(code string) string {
	if n, ok := oldLanguageNames[code]; ok {
		return n
	}
	return code
}

func oldLevelName(level string) string {
	if level == "native" {
		return "madrelingua"
	}
	return level
}

func oldAssessLanguage(r Requirement, c *Candidate) oldAssessment {
	name := oldLanguageName(r.Code)
	want := CEFRRank(r.Level)
	for _, l := range c.Languages {
		if l.Language != r.Code {
			continue
		}
		have := CEFRRank(l.Level)
		proof := oldProof{Section: SectionLanguages, Text: fmt.Sprintf("%s %s", name, oldLevelName(l.Level))}
		switch d := want - have; {
		case d <= 0:
			return oldMet(fmt.Sprintf("%s %s (richiesto %s).", name, oldLevelName(l.Level), oldLevelName(r.Level)), proof)
		case have >= LanguageFloor(r.Level) && d == 1:
			return oldPartly(creditLanguageOneStep, fmt.Sprintf("%s %s, un livello sotto il %s richiesto.", name, oldLevelName(l.Level), oldLevelName(r.Level)), proof)
		case have >= LanguageFloor(r.Level):
			return oldPartly(creditLanguageTwoStep, fmt.Sprintf("%s %s, due livelli sotto il %s richiesto.", name, oldLevelName(l.Level), oldLevelName(r.Level)), proof)
		default:
			return oldNotMet(fmt.Sprintf("%s %s, troppo lontano dal %s richiesto.", name, oldLevelName(l.Level), oldLevelName(r.Level)), proof)
		}
	}
	if len(c.Languages) == 0 || r.Code == "it" {
		return oldUnknown(fmt.Sprintf("Il CV non indica il livello di %s: da verificare.", strings.ToLower(name)))
	}
	return oldNotMet(fmt.Sprintf("%s non risulta tra le lingue dichiarate.", name))
}

func oldAssessLicence(r Requirement, c *Candidate) oldAssessment {
	for _, code := range LicencesCovering(r.Code) {
		if slices.Contains(c.Licences, code) {
			proof := oldProof{Section: SectionLicences, Text: "Patente " + code}
			if code == r.Code {
				return oldMet(fmt.Sprintf("Patente %s.", code), proof)
			}
			return oldMet(fmt.Sprintf("Patente %s, che comprende la %s.", code, r.Code), proof)
		}
	}
	if len(c.Licences) == 0 {
		return oldUnknown(fmt.Sprintf("Il CV non indica patenti: patente %s da verificare.", r.Code))
	}
	return oldNotMet(fmt.Sprintf("Patente %s non dichiarata (dichiarate: %s).", r.Code, strings.Join(c.Licences, ", ")))
}

func oldAssessCertification(r Requirement, c *Candidate, asOf time.Time) oldAssessment {
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
		return oldMet(fmt.Sprintf("%s.", cert.Name), oldProof{Section: SectionCertifications, ItemID: cert.ID, Text: cert.Name})
	}
	if expired != nil {
		return oldPartly(creditCertExpired, fmt.Sprintf("%s scaduta il %s: da rinnovare.", expired.Name, expired.ExpiresOn.Format("02/01/2006")),
			oldProof{Section: SectionCertifications, ItemID: expired.ID, Text: expired.Name})
	}
	if len(c.Certifications) == 0 {
		return oldUnknown(fmt.Sprintf("Il CV non elenca certificazioni: %s da verificare.", name))
	}
	return oldNotMet(fmt.Sprintf("%s non risulta tra le certificazioni.", name))
}

func oldAssessDistance(vac *Vacancy, r Requirement, c *Candidate) oldAssessment {
	if (vac.Lat == 0 && vac.Lon == 0) || (c.HomeLat == 0 && c.HomeLon == 0) || r.MaxKm == nil {
		return oldUnknown("Distanza non calcolabile: luogo di lavoro o domicilio non indicato.")
	}
	d := reference.HaversineKm(vac.Lat, vac.Lon, c.HomeLat, c.HomeLon)
	km := round(d, 1)
	maxKm := float64(*r.MaxKm)
	reach := DistanceReach(*r.MaxKm)
	var a oldAssessment
	switch {
	case d <= maxKm:
		a = oldMet(fmt.Sprintf("Abita a %s km dal luogo di lavoro (massimo %d).", oldDecimal(km), *r.MaxKm))
	case d <= reach:
		credit := max(creditDistanceMin, creditDistanceBeyond*(reach-d)/(reach-maxKm))
		a = oldPartly(credit, fmt.Sprintf("Abita a %s km, oltre i %d richiesti.", oldDecimal(km), *r.MaxKm))
	default:
		a = oldNotMet(fmt.Sprintf("Abita a %s km, ben oltre i %d richiesti.", oldDecimal(km), *r.MaxKm))
	}
	if a.Evidence != NotMet && c.MobilityKm > 0 && d > float64(c.MobilityKm) {
		a = oldPartly(a.Credit*mobilityFactor, strings.TrimSuffix(a.Reason, ".")+
			fmt.Sprintf("; è oltre il raggio di spostamento che indica (%d km).", c.MobilityKm))
	}
	a.DistanceKm = &km
	return a
}

func oldAssessAvailability(r Requirement, c *Candidate) oldAssessment {
	if r.FromDate == nil {
		return oldUnknown("Data di inizio richiesta non indicata: disponibilità da verificare.") // Validate rejects it; never panic on it
	}
	if c.AvailableFrom == nil {
		return oldUnknown("Il CV non indica da quando è disponibile: da verificare.")
	}
	from, want := day(*c.AvailableFrom), day(*r.FromDate)
	proof := oldProof{Section: SectionAvailability, Text: "Disponibile dal " + from.Format("02/01/2006")}
	late := int(math.Round(from.Sub(want).Hours() / 24))
	switch {
	case late <= 0:
		return oldMet(fmt.Sprintf("Disponibile dal %s (richiesto dal %s).", from.Format("02/01/2006"), want.Format("02/01/2006")), proof)
	case late <= AvailabilityGraceDays:
		return oldPartly(1-float64(late)/float64(AvailabilityGraceDays+1),
			fmt.Sprintf("Disponibile dal %s, %s dopo il %s richiesto.", from.Format("02/01/2006"), daysText(late), want.Format("02/01/2006")), proof)
	}
	return oldNotMet(fmt.Sprintf("Disponibile solo dal %s, oltre un mese dopo il %s richiesto.", from.Format("02/01/2006"), want.Format("02/01/2006")), proof)
}

func oldTermLabels(codes []string, list []Term) string {
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

func oldAssessWorkingTime(r Requirement, c *Candidate) oldAssessment {
	if len(c.WorkingTime) == 0 {
		return oldUnknown("Il CV non indica gli orari accettati: " + oldTermLabels(r.Values, workingTimes) + " da verificare.")
	}
	var ok, missing []string
	for _, v := range r.Values {
		if slices.Contains(c.WorkingTime, v) {
			ok = append(ok, v)
		} else {
			missing = append(missing, v)
		}
	}
	proof := oldProof{Section: SectionWorkingTime, Text: "Accetta: " + oldTermLabels(c.WorkingTime, workingTimes)}
	switch {
	case len(missing) == 0:
		return oldMet("Accetta "+oldTermLabels(ok, workingTimes)+".", proof)
	case len(ok) > 0:
		return oldPartly(float64(len(ok))/float64(len(r.Values)),
			"Accetta "+oldTermLabels(ok, workingTimes)+", non "+oldTermLabels(missing, workingTimes)+".", proof)
	}
	return oldNotMet("Non indica "+oldTermLabels(missing, workingTimes)+" tra gli orari accettati.", proof)
}

func oldAssessContract(r Requirement, c *Candidate) oldAssessment {
	if len(c.ContractPreferences) == 0 {
		return oldUnknown("Il CV non indica i contratti accettati: " + oldTermLabels(r.Values, contractTypes) + " da verificare.")
	}
	proof := oldProof{Section: SectionContract, Text: "Contratti accettati: " + oldTermLabels(c.ContractPreferences, contractTypes)}
	for _, v := range r.Values {
		if slices.Contains(c.ContractPreferences, v) {
			return oldMet("Accetta il contratto "+oldTermLabels([]string{v}, contractTypes)+".", proof)
		}
	}
	return oldNotMet("Non indica "+oldTermLabels(r.Values, contractTypes)+" tra i contratti accettati.", proof)
}

func oldDescribeRequirement(r Requirement) string {
	switch r.Kind {
	case ReqOccupation:
		name := r.Label
		if o, ok := targetOccupation(r); ok && name == "" {
			name = o.Title
		}
		if r.MinYears != nil && *r.MinYears > 0 {
			return fmt.Sprintf("%s, almeno %s di esperienza", name, oldYearsText(*r.MinYears))
		}
		return fmt.Sprintf("Esperienza come %s", name)
	case ReqSkill:
		name := r.Label
		if k, ok := reference.SkillByCode(r.Code); ok && name == "" {
			name = k.Label
		}
		if SkillLevelRank(r.Level) > 0 {
			return fmt.Sprintf("%s (livello %s)", name, oldSkillLevelLabel(r.Level))
		}
		return name
	case ReqEducation:
		// Since 2026-11-26 the level is named as people know it.
		level := "EQF " + r.Code
		if name, ok := eqfNames[r.Code]; ok {
			level = name + " (EQF " + r.Code + ")"
		}
		s := "Titolo di studio: " + level + " o superiore"
		if r.Field != "" {
			s += ", in " + r.Field
		}
		return s
	case ReqLanguage:
		if r.Level == "native" {
			return oldLanguageName(r.Code) + " madrelingua o equivalente"
		}
		return fmt.Sprintf("%s almeno %s", oldLanguageName(r.Code), r.Level)
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
		return "Orario: " + oldTermLabels(r.Values, workingTimes)
	case ReqContract:
		return "Contratto: " + oldTermLabels(r.Values, contractTypes)
	}
	return string(r.Kind)
}

// daysText is the old text's count of days, with the singular the phrasebook
// now uses for one day ("1 giorno").
func daysText(n int) string {
	if n == 1 {
		return "1 giorno"
	}
	return fmt.Sprintf("%d giorni", n)
}
