package index

import (
	"sync"

	"github.com/blevesearch/bleve/v2"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/it" // registers the Italian analyzer "it"
	"github.com/blevesearch/bleve/v2/mapping"

	"incontro/reference"
)

// MappingVersion is the version of the document mapping. An index built with
// another version is recreated at Open and must be refilled from PostgreSQL.
// Bump it with every change to newMapping or to Document.
const MappingVersion = 9

// mappingAnalyzer is bleve's Italian analyzer: elision, lower case, Italian
// stop words and a light stemmer, so that "cameriere" and "cameriera" meet.
const mappingAnalyzer = "it"

// newMapping returns the static mapping of the candidate index. The default
// mapping is disabled and every sub-mapping is static, so a key of a document
// that is not declared here is never indexed: the mapping, not the document
// builder alone, keeps personal data out.
//
// Every field is either Italian text or a keyword: bleve indexes a number or
// a date as 16 terms (a geo point as 8) and keeps them all again as doc
// values, which made them half of the terms of a document and most of the
// time spent building an index. Numbers are fixed-width keywords instead
// (see keys.go), whose lexical order is their numeric order, and queries on
// them become term ranges or sets of terms (see numericField); each value is
// one term.
//
// What is kept per field, and why:
//   - Store: nothing. What a page shows comes from PostgreSQL, and so do the
//     fragments of a search's results: Highlighter marks the words in the
//     candidates the page loads. Stored text was 40% of the index.
//   - Term vectors: none. They served bleve's highlighter and phrase
//     queries; a phrase now finds its words in one field (see toTextFields).
//     Without stored text and term vectors the index is less than a third
//     of its size (1.8 KB per CV down to 0.54 KB) and builds twice as fast.
//   - Doc values: only on the fields that sorting reads (updated_at for
//     freshness, home for distances). Facets are counted from columns read
//     from the postings (see facetColumns), filters use the inverted index.
//   - No _all: free text is spread over the five text fields with their
//     boosts (see textQuery), so nothing reads a composite field, which
//     would index every word a second time.
func newMapping() mapping.IndexMapping {
	im := bleve.NewIndexMapping()
	im.DefaultMapping = bleve.NewDocumentDisabledMapping()
	im.TypeField = "type"
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
	// bleve adds the composite _all field unless a disabled mapping says no.
	cand.AddSubDocumentMapping("_all", bleve.NewDocumentDisabledMapping())

	for _, f := range []string{FieldHeadline, FieldSummary, FieldExperience} {
		add(f, mappingText(mappingAnalyzer))
	}
	// Catalogue labels, which repeat from CV to CV: analysed once (see
	// labelsAnalyzer), to the same terms.
	for _, f := range []string{FieldOccupation, FieldSkill} {
		add(f, mappingText(labelsAnalyzer))
	}
	for _, f := range keywordFields {
		add(f.Name, mappingKeyword(f.DocValues))
	}
	im.AddDocumentMapping(DocType, cand)
	return im
}

// keywordFields are the keyword fields of a candidate document, and whether
// sorting reads their doc values.
var keywordFields = []struct {
	Name      string
	DocValues bool
}{
	{FieldISCO, false},
	{FieldOccupationGroup, false},
	{FieldOccupationCode, false},
	{FieldSkillCode, false},
	{FieldEducation, false},
	{FieldLanguage, false},
	{FieldLanguageLevel, false},
	{FieldLicence, false},
	{FieldCertification, false},
	{FieldContract, false},
	{FieldWorkingTime, false},
	{FieldMunicipality, false},
	{FieldPresentable, false},
	{FieldDeclared, false},
	{FieldYearsTotal, false},
	{fieldYearsByGroup, false},
	{fieldExperienceBand, false},
	{FieldMobilityKm, false},
	{FieldAvailableFrom, false},
	{fieldAvailableMonth, false},
	{FieldUpdatedAt, true},
	{fieldHome, true},
}

// mappingText is Italian text searched by free text: terms, frequencies
// and field lengths for scoring, nothing else.
func mappingText(analyzer string) *mapping.FieldMapping {
	fm := bleve.NewTextFieldMapping()
	fm.Analyzer = analyzer
	fm.Store = false
	fm.IncludeTermVectors = false
	fm.IncludeInAll = false
	fm.DocValues = false
	return fm
}

// mappingKeyword is a code matched exactly; doc values only for facets and sorting.
func mappingKeyword(docValues bool) *mapping.FieldMapping {
	fm := bleve.NewKeywordFieldMapping()
	fm.Store = false
	fm.IncludeTermVectors = false
	fm.IncludeInAll = false
	fm.DocValues = docValues
	return fm
}

// yearsGroups returns the two-digit ISCO-08 groups, whose years of
// experience the index keeps (see fieldYearsByGroup).
var yearsGroups = sync.OnceValue(func() []string {
	var groups []string
	for _, g := range reference.ISCOGroups() {
		if g.Level == 2 {
			groups = append(groups, g.Code)
		}
	}
	return groups
})
