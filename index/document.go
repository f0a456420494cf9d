package index

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"incontro/matching"
	"incontro/reference"
)

// Document returns the index document of a candidate, or ok false when the
// candidate must not be in the index (not searchable). It is pure: asOf is
// "today" for experiences that are still open.
//
// Only what search needs enters the document. Names, e-mail and phone are
// personal data that no search uses; protected attributes are not even on
// matching.Candidate. The mapping is static, so a key added here by mistake
// would still not be indexed unless it is also declared there.
func Document(c matching.Candidate, asOf time.Time) (doc map[string]any, ok bool) {
	if !c.Searchable || c.AccountInactive {
		return nil, false
	}
	doc = map[string]any{"type": DocType}
	setText := func(field string, values []string) {
		if v := uniqueText(values); len(v) > 0 {
			doc[field] = v
		}
	}
	setKeywords := func(field string, values []string) {
		if v := uniqueKeywords(values); len(v) > 0 {
			doc[field] = v
		}
	}

	if s := strings.TrimSpace(c.Headline); s != "" {
		doc[FieldHeadline] = s
	}
	if s := strings.TrimSpace(c.Summary); s != "" {
		doc[FieldSummary] = s
	}

	// Experiences and desired occupations: titles, synonyms, codes.
	var experience, occupation, isco, groups, occupationCodes []string
	type span struct{ from, to time.Time }
	spans := map[string][]span{} // by ISCO sub-major group
	addOccupation := func(occupationCode, iscoCode, title string) (group string) {
		occupation = append(occupation, title)
		if o, found := reference.OccupationByCode(occupationCode); found {
			occupationCodes = append(occupationCodes, o.Code)
			occupation = append(occupation, occupationLabel(o))
			if iscoCode == "" {
				iscoCode = o.ISCO
			}
		} else if occupationCode != "" {
			// ESCO codes, once imported, are not in the built-in catalogue.
			occupationCodes = append(occupationCodes, occupationCode)
		}
		for _, a := range reference.ISCOAncestors(iscoCode) {
			isco = append(isco, a)
			if len(a) == 2 {
				group = a
				groups = append(groups, a)
			}
		}
		return group
	}
	for _, e := range c.Experiences {
		text := strings.TrimSpace(e.Title)
		if d := strings.TrimSpace(e.Description); d != "" {
			text += "\n" + d
		}
		experience = append(experience, text)
		group := addOccupation(e.OccupationCode, e.ISCOCode, e.Title)
		end := asOf
		if e.EndDate != nil {
			end = *e.EndDate
		}
		if group != "" && end.After(e.StartDate) {
			spans[group] = append(spans[group], span{e.StartDate, end})
		}
	}
	for _, d := range c.DesiredOccupations {
		addOccupation(d.OccupationCode, d.ISCOCode, d.Title)
	}
	setText(FieldExperience, experience)
	setText(FieldOccupation, occupation)
	setKeywords(FieldISCO, isco)
	setKeywords(FieldOccupationGroup, groups)
	setKeywords(FieldOccupationCode, occupationCodes)

	// Years per sub-major group, overlapping jobs of one group counted once,
	// like TotalExperienceYears does over the whole CV.
	var byGroup []string
	for group, ss := range spans {
		if !knownYearsGroups()[group] {
			continue
		}
		sort.Slice(ss, func(i, j int) bool { return ss[i].from.Before(ss[j].from) })
		var total time.Duration
		cur := ss[0]
		for _, s := range ss[1:] {
			if s.from.After(cur.to) {
				total += cur.to.Sub(cur.from)
				cur = s
			} else if s.to.After(cur.to) {
				cur.to = s.to
			}
		}
		total += cur.to.Sub(cur.from)
		byGroup = append(byGroup, yearsByGroupKey(group, total.Hours()/24/365.25))
	}
	setKeywords(fieldYearsByGroup, byGroup)
	// Two decimals, so a document does not change with every nanosecond
	// of asOf; the band is that of the number the index holds.
	years := math.Round(c.TotalExperienceYears(asOf)*100) / 100
	doc[FieldYearsTotal] = hundredthsKey(years)
	doc[fieldExperienceBand] = experienceBandOf(years)

	// Skills: the CV's label and the catalogue's label of a coded skill.
	var skills, skillCodes []string
	for _, s := range c.Skills {
		skills = append(skills, s.Label)
		if s.Code == "" {
			continue
		}
		skillCodes = append(skillCodes, s.Code)
		if k, found := reference.SkillByCode(s.Code); found {
			skills = append(skills, k.Label)
		}
	}
	setText(FieldSkill, skills)
	setKeywords(FieldSkillCode, skillCodes)

	// Education: the highest EQF level.
	highest := 0
	for _, e := range c.Education {
		highest = max(highest, e.EQFLevel)
	}
	if highest > 0 {
		doc[FieldEducation] = strconv.Itoa(highest)
	}

	// Languages.
	var languages, levels []string
	for _, l := range c.Languages {
		if l.Language == "" || matching.CEFRRank(l.Level) == 0 {
			continue
		}
		languages = append(languages, l.Language)
		levels = append(levels, l.Language+":"+l.Level)
	}
	setKeywords(FieldLanguage, languages)
	setKeywords(FieldLanguageLevel, levels)

	setKeywords(FieldLicence, c.Licences)
	var certifications []string
	for _, cert := range c.Certifications {
		if cert.Code != "" {
			certifications = append(certifications, cert.Code)
		} else {
			certifications = append(certifications, cert.Name)
		}
	}
	setKeywords(FieldCertification, certifications)
	setKeywords(FieldContract, c.ContractPreferences)
	setKeywords(FieldWorkingTime, c.WorkingTime)

	// Place.
	if c.HomeMunicipality != "" {
		doc[FieldMunicipality] = c.HomeMunicipality
	}
	if home := homeKey(c.HomeMunicipality, c.HomeLat, c.HomeLon); home != "" {
		doc[fieldHome] = home
	} else {
		doc[fieldHome] = noHomeKey
	}
	doc[FieldMobilityKm] = kmKey(c.MobilityKm)

	// Time.
	if c.AvailableFrom != nil {
		doc[FieldAvailableFrom] = dayKey(*c.AvailableFrom)
		doc[fieldAvailableMonth] = monthKey(*c.AvailableFrom)
	}
	if !c.UpdatedAt.IsZero() {
		doc[FieldUpdatedAt] = nanosKey(c.UpdatedAt)
	}

	// The sections the CV fills in: recall tells "not declared" (unknown)
	// from "declared without it" (not met).
	var declared []string
	for _, s := range matching.DeclaredSections(&c) {
		declared = append(declared, string(s))
	}
	setKeywords(FieldDeclared, declared)

	presentable := c.Presentation != "" && c.Presentation != matching.PresentNone
	doc[FieldPresentable] = strconv.FormatBool(presentable)
	return doc, true
}

// candidateDocID is the bleve document ID of a candidate: its ID in decimal,
// zero-padded to 19 digits so that sorting by document ID (the stable
// tie-break of every search) is numeric order.
func candidateDocID(id int64) string { return fmt.Sprintf("%019d", id) }

// occupationLabels are the catalogue's occupations' titles and synonyms,
// each occupation's as one text by code (see occupationLabel).
var occupationLabels = sync.OnceValue(func() map[string]string {
	out := map[string]string{}
	for _, o := range reference.Occupations() {
		out[o.Code] = strings.Join(append([]string{o.Title}, o.Synonyms...), "; ")
	}
	return out
})

// occupationLabel returns an occupation's title and synonyms as one value
// of the occupation field: one value to analyse per occupation of a CV
// instead of one per synonym, and the same text for every CV that has it,
// whose analysis the labels' analyzer remembers. A quoted phrase finds its
// words in one field, not next to each other, so joining them changes no
// search.
func occupationLabel(o reference.Occupation) string {
	if l, ok := occupationLabels()[o.Code]; ok {
		return l
	}
	return strings.Join(append([]string{o.Title}, o.Synonyms...), "; ")
}

// knownYearsGroups is the set of yearsGroups.
var knownYearsGroups = sync.OnceValue(func() map[string]bool {
	known := map[string]bool{}
	for _, g := range yearsGroups() {
		known[g] = true
	}
	return known
})

// experienceBandOf returns the name of the experience band of a number of
// years (see experienceBands).
func experienceBandOf(years float64) string {
	for _, b := range experienceBands {
		if (b.Min == nil || years >= *b.Min) && (b.Max == nil || years < *b.Max) {
			return b.Name
		}
	}
	return experienceBands[len(experienceBands)-1].Name
}

// uniqueText trims the values and drops empty ones and repeats (ignoring
// case), keeping the first form in its order: a repeated title would only
// inflate its term frequency.
func uniqueText(values []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, v := range values {
		v = strings.TrimSpace(v)
		key := strings.ToLower(v)
		if v == "" || seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, v)
	}
	return out
}

// uniqueKeywords trims the values and returns them sorted without empty ones
// and repeats.
func uniqueKeywords(values []string) []string {
	var out []string
	for _, v := range values {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}
