package index

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/google/go-cmp/cmp"

	"incontro/matching"
)

func cvDay(tb testing.TB, s string) time.Time {
	tb.Helper()
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		tb.Fatal(err)
	}
	return d
}

// fullCandidate is a candidate with every part of the CV filled in.
func fullCandidate(tb testing.TB) matching.Candidate {
	tb.Helper()
	end1 := cvDay(tb, "2021-03-01")
	end3 := cvDay(tb, "2016-01-01")
	available := cvDay(tb, "2025-04-01")
	hours := 38
	c := matching.Candidate{
		ID:                  42,
		GivenName:           "Graziella",
		FamilyName:          "Zanoncelli",
		Email:               "graziella.zanoncelli@example.it",
		Phone:               "+39 0461 555 123",
		Headline:            "Cameriera di sala con esperienza in hotel",
		Summary:             "Servizio ai tavoli, mise en place e accoglienza degli ospiti in strutture alberghiere.",
		HomeMunicipality:    "022205", // Trento; coordinates come from the reference
		MobilityKm:          30,
		AvailableFrom:       &available,
		WeeklyHours:         &hours,
		WorkingTime:         []string{"weekends", "shifts"},
		ContractPreferences: []string{"seasonal", "fixed_term"},
		Searchable:          true,
		Presentation:        matching.PresentNamed,
		CreatedAt:           cvDay(tb, "2024-01-10"),
		UpdatedAt:           time.Date(2025, 2, 20, 9, 30, 0, 0, time.UTC),
		Experiences: []matching.Experience{
			{OccupationCode: "occ-cameriere-sala", ISCOCode: "5131", Title: "Cameriera di sala", EmployerName: "Hotel Dolomiti",
				MunicipalityCode: "022205", StartDate: cvDay(tb, "2018-03-01"), EndDate: &end1,
				Description: "Servizio colazioni e cene, gestione dei tavoli."},
			{OccupationCode: "occ-cuoco", ISCOCode: "5120", Title: "Aiuto in cucina", EmployerName: "Rifugio Monte",
				StartDate: cvDay(tb, "2020-03-01")}, // open, overlaps the first in group 51
			{OccupationCode: "occ-magazziniere", Title: "Magazziniera", EmployerName: "Frutta Srl",
				StartDate: cvDay(tb, "2015-01-01"), EndDate: &end3}, // ISCO from the catalogue: 9333
		},
		Education: []matching.Education{
			{EQFLevel: 3, Title: "Qualifica di operatore della ristorazione", Field: "ristorazione", Institution: "CFP Trento"},
			{EQFLevel: 4, Title: "Diploma professionale di tecnico di cucina", Field: "ristorazione", Institution: "CFP Rovereto"},
		},
		Skills: []matching.CandidateSkill{
			{Code: "sk-haccp", Label: "HACCP", Level: "advanced"},
			{Code: "sk-servizio-sala", Label: "Servizio ai tavoli", Level: "expert"},
			{Label: "Cucina trentina", Level: "basic"},
		},
		Languages: []matching.LanguageLevel{
			{Language: "it", Level: "native"},
			{Language: "de", Level: "B2"},
			{Language: "ru", Level: "B1"},
		},
		Licences: []string{"C1", "B"},
		Certifications: []matching.Certification{
			{Code: "haccp-tn", Name: "Attestato HACCP"},
			{Name: "Primo soccorso"},
		},
		DesiredOccupations: []matching.DesiredOccupation{
			{OccupationCode: "occ-chef", Title: "Capocuoca"}, // ISCO from the catalogue: 3434
		},
	}
	if err := c.Validate(); err != nil {
		tb.Fatalf("the fixture is not a valid candidate: %v", err)
	}
	return c
}

func TestDocumentHoldsEveryFieldOfTheCV(t *testing.T) {
	c := fullCandidate(t)
	asOf := cvDay(t, "2025-03-01")
	doc, ok := Document(c, asOf)
	if !ok {
		t.Fatal("a searchable candidate has no document")
	}

	occupation, _ := doc[FieldOccupation].([]string)
	delete(doc, FieldOccupation)
	want := map[string]any{
		"type":               DocType,
		FieldHeadline:        "Cameriera di sala con esperienza in hotel",
		FieldSummary:         "Servizio ai tavoli, mise en place e accoglienza degli ospiti in strutture alberghiere.",
		FieldExperience:      []string{"Cameriera di sala\nServizio colazioni e cene, gestione dei tavoli.", "Aiuto in cucina", "Magazziniera"},
		FieldISCO:            []string{"3", "34", "343", "3434", "5", "51", "512", "5120", "513", "5131", "9", "93", "933", "9333"},
		FieldOccupationGroup: []string{"34", "51", "93"},
		FieldOccupationCode:  []string{"occ-cameriere-sala", "occ-chef", "occ-cuoco", "occ-magazziniere"},
		// 2018-03-01 → 2021-03-01 and 2020-03-01 → asOf overlap: 7 years, not 8.
		// Years are hundredths in five digits.
		fieldYearsByGroup:   []string{"51:00700", "93:00100"},
		FieldYearsTotal:     "00800",
		fieldExperienceBand: "5-10",
		FieldSkill:          []string{"HACCP", "Norme HACCP e igiene alimentare", "Servizio ai tavoli", "Cucina trentina"},
		FieldSkillCode:      []string{"sk-haccp", "sk-servizio-sala"},
		FieldEducation:      "4",
		FieldLanguage:       []string{"de", "it", "ru"},
		FieldLanguageLevel:  []string{"de:B2", "it:native", "ru:B1"},
		FieldLicence:        []string{"B", "C1"},
		FieldCertification:  []string{"Primo soccorso", "haccp-tn"},
		FieldContract:       []string{"fixed_term", "seasonal"},
		FieldWorkingTime:    []string{"shifts", "weekends"},
		FieldMunicipality:   "022205",
		// The home is the municipality's centroid: its code.
		fieldHome:           "022205",
		FieldMobilityKm:     "0030",
		FieldAvailableFrom:  "20250401",
		fieldAvailableMonth: "202504",
		// 2025-02-20T09:30:00Z in Unix nanoseconds.
		FieldUpdatedAt:   "1740043800000000000",
		FieldPresentable: "true",
		FieldDeclared: []string{"availability", "certifications", "contract", "education", "experience",
			"languages", "licences", "skills", "working_time"},
	}
	if diff := cmp.Diff(want, doc); diff != "" {
		t.Errorf("document (-want +got):\n%s", diff)
	}

	t.Run("occupation holds the titles of the CV and the catalogue's titles and synonyms once each", func(t *testing.T) {
		for _, s := range []string{"Cameriera di sala", "Aiuto in cucina", "Magazziniera", "Capocuoca"} {
			if !slices.Contains(occupation, s) {
				t.Errorf("occupation lacks the CV's title %q: %q", s, occupation)
			}
		}
		// The catalogue's title and synonyms of an occupation are one value.
		for _, s := range []string{"Cameriere di sala", "addetto al servizio ai tavoli", "Cuoco", "cuoca", "Magazziniere",
			"addetto al magazzino", "Chef", "capocuoco"} {
			if !slices.ContainsFunc(occupation, func(v string) bool { return slices.Contains(strings.Split(v, "; "), s) }) {
				t.Errorf("occupation lacks the catalogue's %q: %q", s, occupation)
			}
		}
		seen := map[string]bool{}
		for _, s := range occupation {
			if seen[strings.ToLower(s)] {
				t.Errorf("occupation repeats %q", s)
			}
			seen[strings.ToLower(s)] = true
		}
		if occupation[0] != "Cameriera di sala" {
			t.Errorf("occupation should start with the CV's first title, got %q", occupation[0])
		}
	})
}

func TestDocumentLeavesOutWhatIsMissingOrFalse(t *testing.T) {
	c := matching.Candidate{ID: 7, Searchable: true, Presentation: matching.PresentNone,
		HomeMunicipality: "022205", HomeLat: 46.5, HomeLon: 11.25}
	doc, ok := Document(c, cvDay(t, "2025-03-01"))
	if !ok {
		t.Fatal("a searchable candidate has no document")
	}
	want := map[string]any{
		"type":            DocType,
		FieldMunicipality: "022205",
		// The candidate's own coordinates win over the municipality's.
		fieldHome:           "@46.5,11.25",
		FieldMobilityKm:     "0000",
		FieldYearsTotal:     "00000",
		fieldExperienceBand: "0-1",
		FieldPresentable:    "false",
	}
	if diff := cmp.Diff(want, doc); diff != "" {
		t.Errorf("document (-want +got):\n%s", diff)
	}
}

func TestDocumentDeclaresTheSectionsTheCVFillsIn(t *testing.T) {
	asOf := cvDay(t, "2025-03-01")
	for _, tc := range []struct {
		section matching.Section
		empty   func(c *matching.Candidate)
	}{
		{matching.SectionExperience, func(c *matching.Candidate) { c.Experiences = nil }},
		{matching.SectionSkills, func(c *matching.Candidate) { c.Skills = nil }},
		{matching.SectionEducation, func(c *matching.Candidate) { c.Education = nil }},
		{matching.SectionLanguages, func(c *matching.Candidate) { c.Languages = nil }},
		{matching.SectionLicences, func(c *matching.Candidate) { c.Licences = nil }},
		{matching.SectionCertifications, func(c *matching.Candidate) { c.Certifications = nil }},
		{matching.SectionAvailability, func(c *matching.Candidate) { c.AvailableFrom = nil }},
		{matching.SectionWorkingTime, func(c *matching.Candidate) { c.WorkingTime = []string{} }},
		{matching.SectionContract, func(c *matching.Candidate) { c.ContractPreferences = nil }},
	} {
		t.Run("a CV without "+string(tc.section)+" does not declare it", func(t *testing.T) {
			c := fullCandidate(t)
			tc.empty(&c)
			doc, ok := Document(c, asOf)
			if !ok {
				t.Fatal("a searchable candidate has no document")
			}
			got, _ := doc[FieldDeclared].([]string)
			if slices.Contains(got, string(tc.section)) {
				t.Errorf("declared %v holds %s", got, tc.section)
			}
			if len(got) != 8 {
				t.Errorf("declared %v, want the 8 other sections", got)
			}
		})
	}

	t.Run("the index finds a CV by what it declares and what it does not", func(t *testing.T) {
		full := fullCandidate(t)
		noLanguages := fullCandidate(t)
		noLanguages.ID, noLanguages.Languages = 43, nil
		ix := mustOpenIndex(t, t.TempDir())
		mustApply(t, ix, Position{TxID: 1, ID: 1}, upsert(full), upsert(noLanguages))
		for _, tc := range []struct {
			section matching.Section
			want    []int64
		}{
			{matching.SectionLanguages, []int64{42}},
			{matching.SectionLicences, []int64{42, 43}},
		} {
			res, err := ix.bleveIndex().Search(bleve.NewSearchRequest(onField(bleve.NewTermQuery(string(tc.section)), FieldDeclared)))
			if err != nil {
				t.Fatal(err)
			}
			var got []int64
			for _, h := range res.Hits {
				id, err := hitCandidateID(h.ID)
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, id)
			}
			slices.Sort(got)
			if !slices.Equal(got, tc.want) {
				t.Errorf("declared:%s finds %v, want %v", tc.section, got, tc.want)
			}
		}
	})
}

func TestDocumentOfANonSearchableCandidateIsNone(t *testing.T) {
	c := fullCandidate(t)
	c.Searchable = false
	if doc, ok := Document(c, cvDay(t, "2025-03-01")); ok || doc != nil {
		t.Errorf("a candidate who is not searchable got a document: %v", doc)
	}
}

func TestNoProtectedAttributeOrContactIsIndexed(t *testing.T) {
	c := fullCandidate(t)
	birth := cvDay(t, "1987-05-23")
	registered := cvDay(t, "2019-11-04")
	p := matching.Protected{
		CandidateID:            c.ID,
		TaxCode:                "ZNNGZL87E63L378G",
		BirthDate:              &birth,
		Sex:                    "F",
		Citizenship:            "UA",
		Disability:             true,
		L68Category:            "art1",
		L68RegisteredOn:        &registered,
		L68DiscloseToEmployers: true,
		UpdatedAt:              cvDay(t, "2024-06-01"),
	}
	if err := p.Validate(); err != nil {
		t.Fatalf("the fixture's protected attributes are not valid: %v", err)
	}
	// Every value that must not be found, as a user would type it.
	secrets := []string{
		c.GivenName, c.FamilyName, c.GivenName + " " + c.FamilyName, c.Email, "zanoncelli@example.it",
		c.Phone, "0461 555 123", "0461555123", "+390461555123",
		p.TaxCode, "1987-05-23", "23/05/1987", "23.05.1987", "1987", p.Sex, p.Citizenship, "Ucraina",
		p.L68Category, "2019-11-04", "disability", "disabile", "l68",
	}
	secretDays := []time.Time{birth, registered, p.UpdatedAt}
	// Days as the index writes them (see dayKey).
	for _, d := range secretDays {
		secrets = append(secrets, dayKey(d))
	}

	asOf := cvDay(t, "2025-03-01")
	doc, ok := Document(c, asOf)
	if !ok {
		t.Fatal("a searchable candidate has no document")
	}

	t.Run("the document holds none of the values", func(t *testing.T) {
		walkDocument(t, "document", doc, secrets, secretDays)
	})

	ix := mustOpenIndex(t, t.TempDir())
	if err := ix.Apply([]Change{{CandidateID: c.ID, Candidate: &c}}, Position{TxID: 1, ID: 1}, asOf); err != nil {
		t.Fatal(err)
	}
	b := ix.bleveIndex()
	fields, err := b.Fields()
	if err != nil {
		t.Fatal(err)
	}

	t.Run("the index holds only declared fields", func(t *testing.T) {
		declared := map[string]bool{}
		for _, f := range []string{FieldHeadline, FieldSummary, FieldExperience, FieldOccupation, FieldSkill,
			FieldISCO, FieldOccupationGroup, FieldOccupationCode, FieldSkillCode, FieldEducation, FieldLanguage,
			FieldLanguageLevel, FieldLicence, FieldCertification, FieldContract, FieldWorkingTime, FieldMunicipality,
			FieldPresentable, FieldDeclared, FieldYearsTotal, fieldYearsByGroup, fieldExperienceBand, FieldMobilityKm,
			FieldAvailableFrom, fieldAvailableMonth, FieldUpdatedAt, fieldHome, "_id"} {
			declared[f] = true
		}
		for _, f := range fields {
			if !declared[f] {
				t.Errorf("the index has an undeclared field %q", f)
			}
		}
		if !slices.Contains(fields, FieldHeadline) || !slices.Contains(fields, fieldHome) {
			t.Errorf("the index lacks fields of the document: %v", fields)
		}
	})

	count := func(t *testing.T, q query.Query) uint64 {
		t.Helper()
		res, err := b.Search(bleve.NewSearchRequest(q))
		if err != nil {
			t.Fatal(err)
		}
		return res.Total
	}
	allFields := fields
	if !slices.Contains(allFields, "_all") {
		allFields = append(allFields, "_all")
	}

	// The checks below would pass on an empty index: first show that each
	// kind of query finds the document by a value that is there.
	t.Run("each kind of query finds the document by its real values", func(t *testing.T) {
		for name, q := range map[string]query.Query{
			"free text":            mustTextQuery(t, c.Headline),
			"match on headline":    onField(bleve.NewMatchQuery("cameriera hotel"), FieldHeadline),
			"phrase of a synonym":  mustTextQuery(t, `"addetto al servizio ai tavoli"`),
			"term on municipality": onField(bleve.NewTermQuery("022205"), FieldMunicipality),
			"numeric range":        mustTextQuery(t, "mobility_km:30"),
			"date range":           mustTextQuery(t, `+updated_at:>="2025-02-20T09:30:00Z" +updated_at:<="2025-02-20T09:30:00Z"`),
		} {
			if n := count(t, q); n != 1 {
				t.Errorf("%s found %d documents, want 1", name, n)
			}
		}
	})

	t.Run("no query finds the document by a protected value or a contact", func(t *testing.T) {
		for _, s := range secrets {
			for _, f := range allFields {
				for _, q := range []query.Query{
					onField(bleve.NewTermQuery(s), f),
					onField(bleve.NewTermQuery(strings.ToLower(s)), f),
					onField(bleve.NewMatchQuery(s), f),
					onField(bleve.NewMatchPhraseQuery(s), f),
				} {
					if n := count(t, q); n != 0 {
						t.Errorf("%T %q on %s found the document", q, s, f)
					}
				}
			}
			qs := bleve.NewQueryStringQuery(fmt.Sprintf("%q", s))
			if n := count(t, qs); n != 0 {
				t.Errorf("query string %q found the document", s)
			}
		}
		for _, f := range allFields {
			if n := count(t, numberIs(f, 1987)); n != 0 {
				t.Errorf("the birth year as a number on %s found the document", f)
			}
			// Numbers and dates of the query string are rewritten to the
			// terms the index holds.
			if n := count(t, mustTextQuery(t, f+":1987")); n != 0 {
				t.Errorf("the birth year in the query string on %s found the document", f)
			}
			for _, d := range secretDays {
				day := d.Format(time.DateOnly)
				if n := count(t, mustTextQuery(t, fmt.Sprintf(`+%s:>="%s" +%s:<="%sT23:59:59Z"`, f, day, f, day))); n != 0 {
					t.Errorf("the date %s in the query string on %s found the document", day, f)
				}
			}
			for _, d := range secretDays {
				if n := count(t, dayIs(f, d)); n != 0 {
					t.Errorf("the date %s on %s found the document", d.Format(time.DateOnly), f)
				}
			}
		}
	})
}

// walkDocument fails when any value in v is, contains (for long secrets) or
// has a word equal to a secret, is a secret day or the birth year, or is a
// boolean (the document has none; protected flags would be).
func walkDocument(t *testing.T, path string, v any, secrets []string, days []time.Time) {
	t.Helper()
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			walkDocument(t, k, k, secrets, days) // keys too
			walkDocument(t, k, e, secrets, days)
		}
	case []string:
		for _, e := range x {
			walkDocument(t, path, e, secrets, days)
		}
	case string:
		low := strings.ToLower(x)
		words := strings.FieldsFunc(low, func(r rune) bool {
			return !('a' <= r && r <= 'z' || '0' <= r && r <= '9' || r > 127)
		})
		for _, s := range secrets {
			s = strings.ToLower(s)
			if low == s || slices.Contains(words, s) || (len(s) >= 6 && strings.Contains(low, s)) {
				t.Errorf("%s holds %q, which contains the protected or personal value %q", path, x, s)
			}
		}
	case time.Time:
		for _, d := range days {
			if x.Equal(d) {
				t.Errorf("%s holds the protected date %s", path, d.Format(time.DateOnly))
			}
		}
	case int:
		if x == 1987 {
			t.Errorf("%s holds the birth year", path)
		}
	case float64:
		if x == 1987 {
			t.Errorf("%s holds the birth year", path)
		}
	case bool:
		t.Errorf("%s holds a boolean %v; the document has none, a protected flag would be one", path, x)
	default:
		t.Errorf("%s holds a value of an unexpected type %s", path, reflect.TypeOf(v))
	}
}

type fieldSetter interface {
	query.Query
	SetField(string)
}

func onField(q fieldSetter, field string) query.Query {
	q.SetField(field)
	return q
}

func numberIs(field string, v float64) query.Query {
	yes := true
	q := bleve.NewNumericRangeInclusiveQuery(&v, &v, &yes, &yes)
	q.SetField(field)
	return q
}

func dayIs(field string, d time.Time) query.Query {
	yes := true
	q := bleve.NewDateRangeInclusiveQuery(d, d, &yes, &yes)
	q.SetField(field)
	return q
}

func TestTheMappingKeepsWhatSearchNeedsAndNothingElse(t *testing.T) {
	im, ok := newMapping().(*mapping.IndexMappingImpl)
	if !ok {
		t.Fatal("newMapping is not an IndexMappingImpl")
	}
	if im.DefaultMapping.Enabled || im.IndexDynamic || im.StoreDynamic || im.DocValuesDynamic {
		t.Error("the default mapping or dynamic indexing is enabled")
	}
	cand := im.TypeMapping[DocType]
	if cand == nil || cand.Dynamic {
		t.Fatalf("the candidate mapping is missing or dynamic: %+v", cand)
	}
	// Nothing reads a composite _all field: free text searches the text
	// fields (see textQuery).
	if all := cand.Properties["_all"]; all == nil || all.Enabled {
		t.Error("the _all field is not disabled")
	}
	text := map[string]bool{FieldHeadline: true, FieldSummary: true, FieldExperience: true, FieldOccupation: true, FieldSkill: true}
	docValues := map[string]bool{FieldUpdatedAt: true, fieldHome: true}
	if want := 5 + 22 + 1; len(cand.Properties) != want {
		t.Errorf("%d fields mapped, want %d", len(cand.Properties), want)
	}
	for name, sub := range cand.Properties {
		if name == "_all" {
			continue
		}
		if sub.Dynamic || len(sub.Fields) != 1 {
			t.Errorf("%s: dynamic %v, %d field mappings", name, sub.Dynamic, len(sub.Fields))
			continue
		}
		f := sub.Fields[0]
		// Nothing stored, no term vectors: pages and fragments come from
		// PostgreSQL (see Highlight).
		if f.Store || f.IncludeTermVectors || f.IncludeInAll {
			t.Errorf("%s: store %v, term vectors %v, in _all %v; want none", name, f.Store, f.IncludeTermVectors, f.IncludeInAll)
		}
		if f.DocValues != docValues[name] {
			t.Errorf("%s: doc values %v, want %v", name, f.DocValues, docValues[name])
		}
		want := "it"
		if name == FieldOccupation || name == FieldSkill {
			want = labelsAnalyzer // the Italian analyzer, remembering labels
		}
		if text[name] && f.Analyzer != want {
			t.Errorf("%s: analyzer %q, want %s", name, f.Analyzer, want)
		}
		if !text[name] && f.Type != "text" || !text[name] && f.Analyzer != "keyword" {
			t.Errorf("%s: type %s, analyzer %q; want a keyword", name, f.Type, f.Analyzer)
		}
	}
}

func TestItalianTextMatchesAndHighlightsEveryTextField(t *testing.T) {
	c := fullCandidate(t)
	ix := mustOpenIndex(t, t.TempDir())
	if err := ix.Apply([]Change{{CandidateID: c.ID, Candidate: &c}}, Position{TxID: 1, ID: 1}, cvDay(t, "2025-03-01")); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		text, field string
	}{
		{"cameriere", FieldHeadline},                 // the masculine finds the feminine
		{"tavoli", FieldSummary},                     // plural, stemmed
		{"colazioni", FieldExperience},               // a job description
		{"addetto servizio tavoli", FieldOccupation}, // a synonym from the catalogue
		{"igiene alimentare", FieldSkill},            // the catalogue's label of a coded skill
	} {
		res, err := ix.bleveIndex().Search(bleve.NewSearchRequest(mustTextQuery(t, tc.text)))
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Hits) != 1 {
			t.Errorf("%q finds %d documents, want 1", tc.text, len(res.Hits))
			continue
		}
		frags := NewHighlighter(tc.text).Fragments(c, cvDay(t, "2025-03-01"))
		if f := frags[tc.field]; len(f) == 0 || !strings.Contains(f[0], "<mark>") {
			t.Errorf("%q has no highlighted fragment in %s: %v", tc.text, tc.field, frags)
		}
	}
}
