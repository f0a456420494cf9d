// Package bench measures incontro against plain PostgreSQL full-text search
// on the same synthetic data, in one run: load and index build rates, index
// size, memory, query latency by class, near-real-time lag and HTTP
// throughput. The `incontro bench` command prints its report.
package bench

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"incontro/matching"
	"incontro/reference"
	"incontro/seed"
)

// Class is a class of query the bench measures.
type Class string

// Query classes, as the performance targets name them.
const (
	ClassText       Class = "a_text"        // free text
	ClassTextFacets Class = "b_text_facets" // free text with three facet filters and facet counts
	ClassRadius     Class = "c_text_radius" // text, exact filters and a 30 km radius around a municipality
	ClassBrowse     Class = "d_browse"      // every candidate, first page and facet counts
	ClassMatch      Class = "e_match"       // a vacancy with ranked requirements: recall, re-rank, explain
	ClassReverse    Class = "f_reverse"     // the published vacancies that fit a jobseeker
)

// Classes returns the query classes in report order.
func Classes() []Class {
	return []Class{ClassText, ClassTextFacets, ClassRadius, ClassBrowse, ClassMatch, ClassReverse}
}

// Search is one search query of classes a–d, in terms both engines can
// answer: incontro through index.Query, PostgreSQL through SQL.
type Search struct {
	Class Class
	Text  string // plain words, no query syntax
	// Facet filters (class b): values of the facets occupation_group,
	// education and language_level.
	OccupationGroup string
	EducationLevel  string // EQF level "1".."8"
	LanguageLevel   string // "de:B2"
	// Exact filters (class c).
	Licence     string     // licence category
	Language    string     // ISO 639-1, with MinLevel
	MinLevel    string     // CEFR
	AvailableBy *time.Time // available on or before
	// Radius (class c): around a municipality's centroid.
	Near     string // ISTAT code
	RadiusKm float64
	// Facets asks for facet counts (classes b and d).
	Facets bool
	Size   int
}

// Workload is the deterministic set of queries of a run.
type Workload struct {
	AsOf      time.Time
	Searches  map[Class][]Search
	Vacancies []matching.Vacancy // class e: EmployerID and IDs are left for the caller
}

// NewWorkload builds n queries of each search class and n vacancies, the
// same for the same seed, from the catalogue the seed data come from.
func NewWorkload(seedValue uint64, n int, asOf time.Time) (Workload, error) {
	r := rand.New(rand.NewPCG(seedValue, 0x6265_6e63_68)) // "bench"
	occs := reference.Occupations()
	skills := reference.Skills()
	homes := reference.MunicipalitiesInProvince("TN")
	pick := func(n int) int { return r.IntN(n) }
	word := func() string {
		o := occs[pick(len(occs))]
		names := append([]string{o.Title}, o.Synonyms...)
		return strings.ToLower(names[pick(len(names))])
	}
	skillWord := func() string {
		label := skills[pick(len(skills))].Label
		if i := strings.IndexAny(label, "(,"); i > 0 {
			label = label[:i]
		}
		return strings.ToLower(strings.TrimSpace(label))
	}
	text := func() string {
		switch pick(4) {
		case 0:
			return word() + " " + skillWord()
		case 1:
			return skillWord()
		default:
			return word()
		}
	}
	groups := []string{"51", "52", "53", "71", "72", "74", "83", "91", "93", "92", "61", "25", "41", "43", "75", "81"}
	levels := []string{"de:A2", "de:B1", "de:B2", "en:B1", "en:B2", "it:native", "it:C1"}
	licences := []string{"B", "C", "CE", "D"}
	w := Workload{AsOf: asOf, Searches: map[Class][]Search{}}
	for range n {
		w.Searches[ClassText] = append(w.Searches[ClassText], Search{Class: ClassText, Text: text(), Size: 20})
		w.Searches[ClassTextFacets] = append(w.Searches[ClassTextFacets], Search{Class: ClassTextFacets, Text: text(), Size: 20,
			OccupationGroup: groups[pick(len(groups))], EducationLevel: fmt.Sprint(2 + pick(5)), LanguageLevel: levels[pick(len(levels))],
			Facets: true})
		by := asOf.AddDate(0, 0, 15+pick(60))
		lang := []string{"de", "en"}[pick(2)]
		w.Searches[ClassRadius] = append(w.Searches[ClassRadius], Search{Class: ClassRadius, Text: text(), Size: 20,
			Licence: licences[pick(len(licences))], Language: lang, MinLevel: []string{"A2", "B1"}[pick(2)], AvailableBy: &by,
			Near: homes[pick(len(homes))].Code, RadiusKm: 30})
		w.Searches[ClassBrowse] = append(w.Searches[ClassBrowse], Search{Class: ClassBrowse, Facets: true, Size: 20})
	}
	g, err := seed.New(seed.Options{Seed: seedValue, AsOf: asOf, Candidates: 100})
	if err != nil {
		return Workload{}, err
	}
	_, sectors := g.Employers()
	for i := 0; len(w.Vacancies) < n; i++ {
		v := g.Vacancy(i%len(sectors), i/len(sectors)%3, sectors[i%len(sectors)])
		if len(v.Requirements) == 0 {
			continue
		}
		v.Status = matching.VacancyPublished
		w.Vacancies = append(w.Vacancies, v)
	}
	return w, nil
}
