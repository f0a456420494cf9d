package matching

import "slices"

// The tolerances of scoring: how far from a requirement a candidate may be
// and still earn partial credit. The index uses them to recall, for an
// essential requirement, every candidate that scoring would not fail on it,
// so recall and scoring can never disagree.

// Section is a part of a CV. A section the CV leaves empty says nothing
// about the requirements it would answer: they are "unknown", never "not
// met".
type Section string

// CV sections that requirements are checked against.
const (
	SectionExperience     Section = "experience"
	SectionSkills         Section = "skills"
	SectionEducation      Section = "education"
	SectionLanguages      Section = "languages"
	SectionLicences       Section = "licences"
	SectionCertifications Section = "certifications"
	SectionAvailability   Section = "availability"
	SectionWorkingTime    Section = "working_time"
	SectionContract       Section = "contract"
)

// DeclaredSections returns the sections the candidate has filled in, in a
// fixed order.
func DeclaredSections(c *Candidate) []Section {
	var out []Section
	add := func(ok bool, s Section) {
		if ok {
			out = append(out, s)
		}
	}
	add(len(c.Experiences) > 0, SectionExperience)
	add(len(c.Skills) > 0, SectionSkills)
	add(len(c.Education) > 0, SectionEducation)
	add(len(c.Languages) > 0, SectionLanguages)
	add(len(c.Licences) > 0, SectionLicences)
	add(len(c.Certifications) > 0, SectionCertifications)
	add(c.AvailableFrom != nil, SectionAvailability)
	add(len(c.WorkingTime) > 0, SectionWorkingTime)
	add(len(c.ContractPreferences) > 0, SectionContract)
	return out
}

// LanguageFloor is the lowest CEFR rank (see CEFRRank) that earns credit
// for a required level: two steps below it (a B1 for a B2 is partly met, an
// A2 for a B2 a little, an A1 not at all).
func LanguageFloor(level string) int { return max(1, CEFRRank(level)-2) }

// EducationFloor is the lowest EQF level that earns credit for a required
// level: one below it.
func EducationFloor(level int) int { return max(1, level-1) }

// DistanceReach is how far from the workplace, in km, a candidate still
// earns credit for a maximum distance of maxKm: half as far again.
func DistanceReach(maxKm int) float64 { return 1.5 * float64(maxKm) }

// AvailabilityGraceDays is how many days after the required date a
// candidate's availability still earns credit.
const AvailabilityGraceDays = 30

// licenceCoverage lists, for a licence category, the categories that include
// it: a C holder may drive what a B allows, a CE what a C allows.
var licenceCoverage = map[string][]string{
	"AM":  {"AM", "A1", "A2", "A", "B1", "B", "BE", "C1", "C1E", "C", "CE", "D1", "D1E", "D", "DE"},
	"A1":  {"A1", "A2", "A"},
	"A2":  {"A2", "A"},
	"B1":  {"B1", "B", "BE", "C1", "C1E", "C", "CE", "D1", "D1E", "D", "DE"},
	"B":   {"B", "BE", "C1", "C1E", "C", "CE", "D1", "D1E", "D", "DE"},
	"BE":  {"BE", "C1E", "CE", "D1E", "DE"},
	"C1":  {"C1", "C1E", "C", "CE"},
	"C1E": {"C1E", "CE"},
	"C":   {"C", "CE"},
	"D1":  {"D1", "D1E", "D", "DE"},
	"D1E": {"D1E", "DE"},
}

// LicencesCovering returns the licence categories that satisfy a required
// category, the category itself first.
func LicencesCovering(code string) []string {
	if c, ok := licenceCoverage[code]; ok {
		return slices.Clone(c)
	}
	return []string{code}
}
