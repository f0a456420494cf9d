package matching

import (
	"math"
	"slices"
	"strconv"
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
	return unknown(say("requirement.unknown_kind"))
}

func met(reason Text, proofs ...Proof) Assessment {
	return Assessment{Evidence: Met, Credit: 1, Reason: reason, Proofs: proofs}
}

func partly(credit float64, reason Text, proofs ...Proof) Assessment {
	return Assessment{Evidence: PartlyMet, Credit: min(max(credit, 0.01), 0.99), Reason: reason, Proofs: proofs}
}

func notMet(reason Text, proofs ...Proof) Assessment {
	return Assessment{Evidence: NotMet, Reason: reason, Proofs: proofs}
}

func unknown(reason Text) Assessment {
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

func experienceProof(e Experience, asOf time.Time) Proof {
	text := say("proof.experience_ongoing", e.Title, monthArg(e.StartDate), number(e.Years(asOf)))
	if e.EndDate != nil {
		text = say("proof.experience", e.Title, monthArg(e.StartDate), monthArg(*e.EndDate), number(e.Years(asOf)))
	}
	return Proof{Section: SectionExperience, ItemID: e.ID, Text: text}
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
		years, required := number(y), number(minYears)
		var reason Text
		switch {
		case t == 3 && minYears <= 0:
			best = met(say("occupation.met", years, name), proofs...)
			continue
		case t == 3 && y >= minYears:
			best = met(say("occupation.met_years", years, name, required), proofs...)
			continue
		case t == 3:
			reason = say("occupation.too_few_years", years, name, required)
		case t == 2 && minYears > 0:
			reason = say("occupation.same_group_years", years, target.ISCO, name, required)
		case t == 2:
			reason = say("occupation.same_group", years, target.ISCO, name)
		case len(byTier[1]) > 0 && minYears > 0:
			reason = say("occupation.broader_group_years", years, name, target.ISCO[:3], required)
		case len(byTier[1]) > 0:
			reason = say("occupation.broader_group", years, name, target.ISCO[:3])
		case minYears > 0:
			reason = say("occupation.related_years", years, name, required)
		default:
			reason = say("occupation.related", years, name)
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
		return partly(creditDesiredOnly, say("occupation.desired_only", name),
			Proof{Section: SectionExperience, Text: say("proof.desired", desired.Title)})
	case len(c.Experiences) == 0:
		return unknown(say("occupation.no_experience", name))
	case desired != nil:
		return notMet(say("occupation.desired_not_years", name, number(minYears)),
			Proof{Section: SectionExperience, Text: say("proof.desired", desired.Title)})
	}
	return notMet(say("occupation.none", name))
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
		proof := Proof{Section: SectionSkills, Text: say("skill.with_level", cs.Label, cs.Level)}
		have := max(0, SkillLevelRank(cs.Level)) // an empty level is an unstated one
		switch {
		case want <= 0 || have >= want:
			return met(say("skill.met", cs.Label), proof)
		case have == 0:
			return partly(creditSkillNoLevel, say("skill.level_unstated", cs.Label, r.Level), proof)
		default:
			credit := max(creditSkillLevelMin, 1-creditSkillLevelStep*float64(want-have))
			return partly(credit, say("skill.level_below", cs.Label, cs.Level, r.Level), proof)
		}
	}
	if coded {
		for _, cs := range c.Skills {
			if cs.Code != "" && slices.Contains(k.Related, cs.Code) {
				return partly(creditRelatedSkill, say("skill.related", name, cs.Label),
					Proof{Section: SectionSkills, Text: nameText(cs.Label)})
			}
		}
		for _, e := range c.Experiences {
			o, ok := s.experienceOccupation(e.OccupationCode, e.Title)
			if ok && slices.Contains(o.Skills, r.Code) {
				return partly(creditImpliedSkill, say("skill.typical", o.Title), experienceProof(e, asOf))
			}
		}
	}
	if len(c.Skills) == 0 {
		return unknown(say("skill.no_skills", name))
	}
	return notMet(say("skill.none", name))
}

func assessEducation(r Requirement, c *Candidate) Assessment {
	if len(r.Code) != 1 || r.Code[0] < '1' || r.Code[0] > '8' {
		return unknown(say("education.invalid_level")) // Validate rejects it; never panic on it
	}
	want := int(r.Code[0] - '0')
	if len(c.Education) == 0 {
		return unknown(say("education.none_in_cv"))
	}
	best := -1
	for i, e := range c.Education {
		if best < 0 || e.EQFLevel > c.Education[best].EQFLevel {
			best = i
		}
	}
	top := c.Education[best]
	proof := func(e Education) Proof {
		return Proof{Section: SectionEducation, ItemID: e.ID, Text: say("education.title", e.Title, strconv.Itoa(e.EQFLevel))}
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
				return met(say("education.met", e.Title, strconv.Itoa(e.EQFLevel), strconv.Itoa(want)), proof(e))
			}
		}
		return partly(creditEducationField, say("education.other_field", strconv.Itoa(top.EQFLevel), r.Field), proof(top))
	}
	if top.EQFLevel >= EducationFloor(want) {
		return partly(creditEducationBelow, say("education.one_below", strconv.Itoa(top.EQFLevel), strconv.Itoa(want)), proof(top))
	}
	return notMet(say("education.below", strconv.Itoa(top.EQFLevel), strconv.Itoa(want)), proof(top))
}

// languageNames are the Italian and English names of the languages CVs
// list most, by ISO 639-1 code.
var languageNames = map[string][2]string{
	"it": {"Italiano", "Italian"}, "de": {"Tedesco", "German"}, "en": {"Inglese", "English"},
	"fr": {"Francese", "French"}, "es": {"Spagnolo", "Spanish"}, "pt": {"Portoghese", "Portuguese"},
	"ro": {"Rumeno", "Romanian"}, "sq": {"Albanese", "Albanian"}, "ar": {"Arabo", "Arabic"},
	"ru": {"Russo", "Russian"}, "uk": {"Ucraino", "Ukrainian"}, "pl": {"Polacco", "Polish"},
	"zh": {"Cinese", "Chinese"}, "hi": {"Hindi", "Hindi"}, "ur": {"Urdu", "Urdu"},
	"bn": {"Bengalese", "Bengali"}, "nl": {"Olandese", "Dutch"}, "sl": {"Sloveno", "Slovenian"},
	"hr": {"Croato", "Croatian"}, "sr": {"Serbo", "Serbian"}, "tr": {"Turco", "Turkish"},
}

// LanguageName returns the Italian name of an ISO 639-1 language, or the
// code itself.
func LanguageName(code string) string { return languageNameIn(code, false) }

// LanguageNameIn returns the name of an ISO 639-1 language in lang ("it"
// or "en"; Italian for any other), or the code itself.
func LanguageNameIn(code, lang string) string { return languageNameIn(code, lang == LangEnglish) }

func languageNameIn(code string, en bool) string {
	n, ok := languageNames[code]
	switch {
	case !ok:
		return code
	case en:
		return n[1]
	}
	return n[0]
}

func assessLanguage(r Requirement, c *Candidate) Assessment {
	want := CEFRRank(r.Level)
	for _, l := range c.Languages {
		if l.Language != r.Code {
			continue
		}
		have := CEFRRank(l.Level)
		proof := Proof{Section: SectionLanguages, Text: say("language.level", r.Code, l.Level)}
		switch d := want - have; {
		case d <= 0:
			return met(say("language.met", r.Code, l.Level, r.Level), proof)
		case have >= LanguageFloor(r.Level) && d == 1:
			return partly(creditLanguageOneStep, say("language.one_below", r.Code, l.Level, r.Level), proof)
		case have >= LanguageFloor(r.Level):
			return partly(creditLanguageTwoStep, say("language.two_below", r.Code, l.Level, r.Level), proof)
		default:
			return notMet(say("language.too_far", r.Code, l.Level, r.Level), proof)
		}
	}
	if len(c.Languages) == 0 || r.Code == "it" {
		return unknown(say("language.unstated", r.Code))
	}
	return notMet(say("language.none", r.Code))
}

func assessLicence(r Requirement, c *Candidate) Assessment {
	for _, code := range LicencesCovering(r.Code) {
		if slices.Contains(c.Licences, code) {
			proof := Proof{Section: SectionLicences, Text: say("licence.item", code)}
			if code == r.Code {
				return met(say("licence.met", code), proof)
			}
			return met(say("licence.covers", code, r.Code), proof)
		}
	}
	if len(c.Licences) == 0 {
		return unknown(say("licence.no_list", r.Code))
	}
	return notMet(say("licence.none", r.Code, strings.Join(c.Licences, ", ")))
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
		return met(say("certification.met", cert.Name), Proof{Section: SectionCertifications, ItemID: cert.ID, Text: nameText(cert.Name)})
	}
	if expired != nil {
		return partly(creditCertExpired, say("certification.expired", expired.Name, dayArg(*expired.ExpiresOn)),
			Proof{Section: SectionCertifications, ItemID: expired.ID, Text: nameText(expired.Name)})
	}
	if len(c.Certifications) == 0 {
		return unknown(say("certification.no_list", name))
	}
	return notMet(say("certification.none", name))
}

func assessDistance(vac *Vacancy, r Requirement, c *Candidate) Assessment {
	if (vac.Lat == 0 && vac.Lon == 0) || (c.HomeLat == 0 && c.HomeLon == 0) || r.MaxKm == nil {
		return unknown(say("distance.unknown"))
	}
	d := reference.HaversineKm(vac.Lat, vac.Lon, c.HomeLat, c.HomeLon)
	km := round(d, 1)
	maxKm := float64(*r.MaxKm)
	reach := DistanceReach(*r.MaxKm)
	kmArg, maxArg := number(km), strconv.Itoa(*r.MaxKm)
	beyondMobility := c.MobilityKm > 0 && d > float64(c.MobilityKm)
	var a Assessment
	switch {
	case d <= maxKm && beyondMobility:
		a = partly(mobilityFactor, say("distance.met_mobility", kmArg, maxArg, strconv.Itoa(c.MobilityKm)))
	case d <= maxKm:
		a = met(say("distance.met", kmArg, maxArg))
	case d <= reach:
		credit := max(creditDistanceMin, creditDistanceBeyond*(reach-d)/(reach-maxKm))
		a = partly(credit, say("distance.beyond", kmArg, maxArg))
		if beyondMobility {
			a = partly(a.Credit*mobilityFactor, say("distance.beyond_mobility", kmArg, maxArg, strconv.Itoa(c.MobilityKm)))
		}
	default:
		a = notMet(say("distance.far_beyond", kmArg, maxArg))
	}
	a.DistanceKm = &km
	return a
}

func day(t time.Time) time.Time { return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC) }

func assessAvailability(r Requirement, c *Candidate) Assessment {
	if r.FromDate == nil {
		return unknown(say("availability.no_date")) // Validate rejects it; never panic on it
	}
	if c.AvailableFrom == nil {
		return unknown(say("availability.unstated"))
	}
	from, want := day(*c.AvailableFrom), day(*r.FromDate)
	fromArg, wantArg := dayArg(from), dayArg(want)
	proof := Proof{Section: SectionAvailability, Text: say("availability.from", fromArg)}
	late := int(math.Round(from.Sub(want).Hours() / 24))
	switch {
	case late <= 0:
		return met(say("availability.met", fromArg, wantArg), proof)
	case late <= AvailabilityGraceDays:
		return partly(1-float64(late)/float64(AvailabilityGraceDays+1), say("availability.later", fromArg, strconv.Itoa(late), wantArg), proof)
	}
	return notMet(say("availability.too_late", fromArg, wantArg), proof)
}

func assessWorkingTime(r Requirement, c *Candidate) Assessment {
	if len(c.WorkingTime) == 0 {
		return unknown(say("working_time.unstated", codesArg(r.Values)))
	}
	var ok, missing []string
	for _, v := range r.Values {
		if slices.Contains(c.WorkingTime, v) {
			ok = append(ok, v)
		} else {
			missing = append(missing, v)
		}
	}
	proof := Proof{Section: SectionWorkingTime, Text: say("working_time.accepted", codesArg(c.WorkingTime))}
	switch {
	case len(missing) == 0:
		return met(say("working_time.met", codesArg(ok)), proof)
	case len(ok) > 0:
		return partly(float64(len(ok))/float64(len(r.Values)), say("working_time.partly", codesArg(ok), codesArg(missing)), proof)
	}
	return notMet(say("working_time.none", codesArg(missing)), proof)
}

func assessContract(r Requirement, c *Candidate) Assessment {
	if len(c.ContractPreferences) == 0 {
		return unknown(say("contract.unstated", codesArg(r.Values)))
	}
	proof := Proof{Section: SectionContract, Text: say("contract.accepted", codesArg(c.ContractPreferences))}
	for _, v := range r.Values {
		if slices.Contains(c.ContractPreferences, v) {
			return met(say("contract.met", v), proof)
		}
	}
	return notMet(say("contract.none", codesArg(r.Values)), proof)
}

// DescribeRequirement says a requirement in words, as an operator would
// read it to an employer: "Tedesco almeno B2", "Patente C"; in English
// "German, at least B2", "Driving licence C".
func DescribeRequirement(r Requirement) Text {
	switch r.Kind {
	case ReqOccupation:
		name := r.Label
		if o, ok := targetOccupation(r); ok && name == "" {
			name = o.Title
		}
		if r.MinYears != nil && *r.MinYears > 0 {
			return say("requirement.occupation_years", name, number(*r.MinYears))
		}
		return say("requirement.occupation", name)
	case ReqSkill:
		name := r.Label
		if k, ok := reference.SkillByCode(r.Code); ok && name == "" {
			name = k.Label
		}
		if SkillLevelRank(r.Level) > 0 {
			return say("skill.with_level", name, r.Level)
		}
		return nameText(name)
	case ReqEducation:
		if r.Field != "" {
			return say("requirement.education_field", r.Code, r.Field)
		}
		return say("requirement.education", r.Code)
	case ReqLanguage:
		if r.Level == "native" {
			return say("requirement.language_native", r.Code)
		}
		return say("requirement.language", r.Code, r.Level)
	case ReqLicence:
		return say("licence.item", r.Code)
	case ReqCertification:
		if r.Label != "" {
			return nameText(r.Label)
		}
		return nameText(r.Code)
	case ReqDistance:
		if r.MaxKm != nil {
			return say("requirement.distance", strconv.Itoa(*r.MaxKm))
		}
	case ReqAvailability:
		if r.FromDate != nil {
			return say("availability.from", dayArg(*r.FromDate))
		}
	case ReqWorkingTime:
		return say("requirement.working_time", codesArg(r.Values))
	case ReqContract:
		return say("requirement.contract", codesArg(r.Values))
	}
	return nameText(string(r.Kind))
}
