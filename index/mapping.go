package index

import (
	"github.com/blevesearch/bleve/v2"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/it" // registers the Italian analyzer "it"
	"github.com/blevesearch/bleve/v2/mapping"

	"incontro/reference"
)

// MappingVersion is the version of the document mapping. An index built with
// another version is recreated at Open and must be refilled from PostgreSQL.
// Bump it with every change to newMapping or to Document.
const MappingVersion = 4

// mappingAnalyzer is bleve's Italian analyzer: elision, lower case, Italian
// stop words and a light stemmer, so that "cameriere" and "cameriera" meet.
const mappingAnalyzer = "it"

// newMapping returns the static mapping of the candidate index. The default
// mapping is disabled and every sub-mapping is static, so a key of a document
// that is not declared here is never indexed: the mapping, not the document
// builder alone, keeps personal data out.
//
// What is kept per field, and why:
//   - Store: the five text fields and nothing else. Search highlights them
//     all (a fragment of the occupation field shows the synonym that made a
//     CV match), and bleve's highlighter reads the stored text back. Codes,
//     numbers, dates and the point are never stored: what a page shows comes
//     from PostgreSQL.
//   - Term vectors: on every text field. Highlighting needs them, and so do
//     phrase queries ("addetto al servizio ai tavoli"), also on _all, which
//     takes its positions from the fields it merges.
//   - Doc values: only on the fields that facets or sorting read
//     (occupation_group, municipality, education, language_level, licence,
//     available_from, updated_at, years_total, location, where the geo
//     distance filter and sort read the point). Filters on the other fields
//     use the inverted index and need none.
//   - IncludeInAll: the text fields only, so free text searches them
//     together and never matches a code or a number by accident.
func newMapping() mapping.IndexMapping {
	im := bleve.NewIndexMapping()
	im.DefaultMapping = bleve.NewDocumentDisabledMapping()
	im.TypeField = "type"
	// Free text goes to _all, whose analyzer is the default one.
	im.DefaultAnalyzer = mappingAnalyzer
	// Nothing dynamic, even if a sub-mapping were left dynamic by mistake.
	im.IndexDynamic = false
	im.StoreDynamic = false
	im.DocValuesDynamic = false

	cand := bleve.NewDocumentStaticMapping()
	add := func(name string, fm *mapping.FieldMapping) {
		sub := bleve.NewDocumentStaticMapping()
		sub.AddFieldMapping(fm)
		cand.AddSubDocumentMapping(name, sub)
	}

	for _, f := range []string{FieldHeadline, FieldSummary, FieldExperience, FieldOccupation, FieldSkill} {
		add(f, mappingText())
	}

	facetKeywords := map[string]bool{
		FieldOccupationGroup: true,
		FieldMunicipality:    true,
		FieldEducation:       true,
		FieldLanguageLevel:   true,
		FieldLicence:         true,
	}
	for _, f := range []string{
		FieldISCO, FieldOccupationGroup, FieldOccupationCode, FieldSkillCode,
		FieldEducation, FieldLanguage, FieldLanguageLevel, FieldLicence,
		FieldCertification, FieldContract, FieldWorkingTime, FieldMunicipality,
		FieldPresentable, FieldDeclared,
	} {
		add(f, mappingKeyword(facetKeywords[f]))
	}

	add(FieldEducationLevel, mappingNumber(false))
	add(FieldYearsTotal, mappingNumber(true))
	add(FieldMobilityKm, mappingNumber(false))
	for _, lang := range CEFRLanguages {
		add(FieldCEFRPrefix+lang, mappingNumber(false))
	}
	for _, g := range yearsGroups() {
		add(FieldYearsPrefix+g, mappingNumber(false))
	}

	add(FieldAvailableFrom, mappingDate())
	add(FieldUpdatedAt, mappingDate())

	geo := bleve.NewGeoPointFieldMapping()
	geo.Store = false
	geo.IncludeInAll = false
	geo.DocValues = true
	add(FieldLocation, geo)

	im.AddDocumentMapping(DocType, cand)
	return im
}

// mappingText is Italian text searched by free text and highlighted.
func mappingText() *mapping.FieldMapping {
	fm := bleve.NewTextFieldMapping()
	fm.Analyzer = mappingAnalyzer
	fm.Store = true
	fm.IncludeTermVectors = true
	fm.IncludeInAll = true
	fm.DocValues = false
	return fm
}

// mappingKeyword is a code matched exactly; doc values only for facets.
func mappingKeyword(docValues bool) *mapping.FieldMapping {
	fm := bleve.NewKeywordFieldMapping()
	fm.Store = false
	fm.IncludeTermVectors = false
	fm.IncludeInAll = false
	fm.DocValues = docValues
	return fm
}

// mappingNumber is a number for range filters; doc values only for facets and sorting.
func mappingNumber(docValues bool) *mapping.FieldMapping {
	fm := bleve.NewNumericFieldMapping()
	fm.Store = false
	fm.IncludeInAll = false
	fm.DocValues = docValues
	return fm
}

// mappingDate is a date for range filters, the availability facet and freshness sorting.
func mappingDate() *mapping.FieldMapping {
	fm := bleve.NewDateTimeFieldMapping()
	fm.Store = false
	fm.IncludeInAll = false
	fm.DocValues = true
	return fm
}

// yearsGroups returns the two-digit ISCO-08 groups, each of which has
// a years_<group> field.
func yearsGroups() []string {
	var groups []string
	for _, g := range reference.ISCOGroups() {
		if g.Level == 2 {
			groups = append(groups, g.Code)
		}
	}
	return groups
}
