package index

import (
	"cmp"
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"incontro/matching"
	"incontro/reference"
	"incontro/seed"
)

// searchAsOf is "today" of the search fixtures.
var searchAsOf = time.Date(2026, 11, 25, 9, 30, 0, 0, time.UTC)

// searchDay parses a YYYY-MM-DD day.
func searchDay(tb testing.TB, s string) time.Time {
	tb.Helper()
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		tb.Fatal(err)
	}
	return d
}

// fixture is the short form of a candidate of the search fixtures.
type fixture struct {
	id            int64
	municipality  string
	lat, lon      float64 // 0: the municipality's centroid
	headline      string
	summary       string
	occupation    string // catalogue code of the one experience, or "isco:NNNN" for an uncoded job
	title         string // the experience's title
	from, to      string // the experience's dates; to "" is ongoing
	description   string
	languages     string // "it:native de:B2"
	licences      string // "B C"
	education     int
	available     string // "" none
	contracts     string
	skills        string // skill codes
	presentation  matching.Presentation
	notSearchable bool
}

// searchFixtures are 30 candidates around Trento (and one in Milan). IDs have
// the same number of digits, so that the id tie-break (document ids compare
// as strings) is also numeric order here.
var searchFixtures = []fixture{
	{id: 101, municipality: "022205", headline: "Cameriere di sala con esperienza", occupation: "occ-cameriere-sala", title: "Cameriere",
		from: "2019-03-01", to: "2024-09-30", description: "Mise en place e servizio in un ristorante del centro",
		languages: "it:native de:B2 en:B1", licences: "B", education: 4, available: "2026-11-01", contracts: "permanent seasonal",
		skills: "sk-haccp sk-mise-en-place", summary: "Lavoro bene in squadra e con i clienti"},
	{id: 102, municipality: "022161", headline: "Addetta al servizio ai tavoli", occupation: "occ-cameriere-sala", title: "Addetta al servizio ai tavoli",
		from: "2023-05-01", languages: "it:native de:A2", licences: "B", education: 3, available: "2026-12-10", contracts: "seasonal"},
	{id: 103, municipality: "022139", headline: "Cameriera stagionale", occupation: "isco:5131", title: "Cameriera",
		from: "2025-06-01", to: "2025-09-30", languages: "it:native en:B2", education: 3, contracts: "seasonal fixed_term"},
	{id: 104, municipality: "022205", headline: "Cuoco di ristorante", occupation: "occ-cuoco", title: "Cuoco",
		from: "2012-01-01", to: "2025-12-31", description: "Cucina trentina e primi piatti", languages: "it:native de:B1",
		licences: "B", education: 3, available: "2026-11-25", contracts: "permanent", skills: "sk-haccp sk-cucina-trentina"},
	{id: 105, municipality: "022153", headline: "Aiuto cuoco", occupation: "occ-aiuto-cuoco", title: "Aiuto cuoco",
		from: "2024-01-01", languages: "it:B2 en:A2", education: 2, available: "2027-03-01", contracts: "seasonal", skills: "sk-haccp"},
	{id: 106, municipality: "022006", headline: "Barista e cameriere", occupation: "occ-barista", title: "Barista",
		from: "2020-01-01", to: "2023-12-31", languages: "it:native de:C1 en:B2", licences: "B", education: 4, available: "2026-12-24",
		contracts: "fixed_term"},
	{id: 107, municipality: "022205", headline: "Receptionist d'albergo", occupation: "occ-receptionist", title: "Receptionist",
		from: "2018-04-01", to: "2022-04-01", languages: "it:native de:C2 en:C1 fr:B1", licences: "B", education: 6,
		available: "2026-10-01", contracts: "permanent"},
	{id: 108, municipality: "022117", headline: "Muratore", occupation: "occ-muratore", title: "Muratore",
		from: "2005-01-01", languages: "it:native", licences: "B C", education: 2, contracts: "permanent"},
	{id: 109, municipality: "022117", headline: "Elettricista civile e industriale", occupation: "occ-elettricista", title: "Elettricista",
		from: "2016-02-01", to: "2024-02-01", languages: "it:native de:B1", licences: "B", education: 3, available: "2027-01-10"},
	{id: 110, municipality: "022161", headline: "Autista patente C/CE", occupation: "occ-autista-c-ce", title: "Autista",
		from: "2010-06-01", languages: "it:native", licences: "B C CE CQC_goods", education: 2, available: "2026-11-30",
		contracts: "permanent agency"},
	{id: 111, municipality: "022022", headline: "Magazziniere con patentino del muletto", occupation: "occ-magazziniere", title: "Magazziniere",
		from: "2021-03-01", to: "2023-09-30", languages: "it:native", licences: "B", education: 2, available: "2026-11-02"},
	{id: 112, municipality: "022062", headline: "Operatore socio-sanitario (OSS)", occupation: "occ-oss", title: "OSS",
		from: "2015-01-01", languages: "it:native", licences: "B", education: 3, available: "2026-09-01", contracts: "permanent",
		presentation: matching.PresentBlind},
	{id: 113, municipality: "022205", headline: "Infermiera", occupation: "occ-infermiere", title: "Infermiera",
		from: "2019-09-01", languages: "it:native en:B2 de:B2", licences: "B", education: 6, available: "2027-02-01",
		contracts: "permanent fixed_term"},
	{id: 114, municipality: "022205", headline: "Sviluppatore software Go e Java", occupation: "occ-sviluppatore-software", title: "Sviluppatore",
		from: "2017-01-01", description: "Sviluppo di servizi web in Go", languages: "it:native en:C1 de:A2", licences: "B",
		education: 7, available: "2026-11-01", contracts: "permanent freelance"},
	{id: 115, municipality: "022139", headline: "Impiegata amministrativa", occupation: "occ-impiegato-amministrativo", title: "Impiegata",
		from: "2020-01-01", to: "2025-06-30", languages: "it:native de:B2 en:B1", education: 4, available: "2026-12-15",
		contracts: "permanent"},
	{id: 116, municipality: "022104", headline: "Cameriere ai piani", occupation: "occ-cameriere-piani", title: "Cameriere ai piani",
		from: "2022-04-01", languages: "it:native", education: 2, available: "2027-04-01", contracts: "seasonal"},
	{id: 117, municipality: "022161", headline: "Commessa", occupation: "occ-commesso", title: "Commessa",
		from: "2023-03-01", to: "2024-06-30", languages: "it:native en:A2", licences: "AM", education: 4, available: "2026-11-20"},
	{id: 118, municipality: "022205", headline: "Cameriere", occupation: "occ-cameriere-sala", title: "Cameriere",
		from: "2021-01-01", languages: "it:native", licences: "B", education: 3, available: "2026-11-01",
		presentation: matching.PresentNone},
	{id: 119, municipality: "022205", headline: "Cameriere di sala", occupation: "occ-cameriere-sala", title: "Cameriere",
		from: "2021-01-01", languages: "it:native", education: 3, notSearchable: true},
	{id: 120, municipality: "022098", headline: "Pizzaiolo", occupation: "occ-pizzaiolo", title: "Pizzaiolo",
		from: "2000-01-01", to: "2020-01-01", languages: "it:native", licences: "B", education: 1, available: "2026-11-20",
		contracts: "seasonal", skills: "sk-haccp"},
	{id: 121, municipality: "022001", headline: "Operaio agricolo, raccolta mele", occupation: "occ-operaio-agricolo", title: "Raccoglitore",
		from: "2024-08-01", to: "2024-11-15", languages: "ro:native it:A2", licences: "B", education: 2, available: "2026-11-10",
		contracts: "seasonal"},
	{id: 122, municipality: "022050", headline: "Maestro di sci", occupation: "occ-maestro-sci", title: "Maestro di sci",
		from: "2014-12-01", languages: "it:native de:C1 en:B2", education: 4, available: "2026-12-01", contracts: "seasonal"},
	{id: 123, municipality: "022091", headline: "Giardiniere", occupation: "occ-giardiniere", title: "Giardiniere",
		from: "2019-04-01", to: "2023-10-31", languages: "it:native", licences: "B BE", education: 3, available: "2026-11-05"},
	{id: 124, municipality: "022003", headline: "Contabile", occupation: "occ-contabile", title: "Contabile",
		from: "2010-09-01", languages: "it:native en:B2 de:B1", education: 6, available: "2027-03-15", contracts: "permanent"},
	{id: 125, municipality: "022123", headline: "Saldatore", occupation: "occ-saldatore", title: "Saldatore",
		from: "2018-05-01", languages: "it:native", licences: "B", education: 3, available: "2027-01-20", contracts: "agency"},
	{id: 126, municipality: "022205", headline: "Cuoca", occupation: "occ-cuoco", title: "Cuoca",
		from: "2022-02-01", languages: "it:native de:native", licences: "B", education: 3, available: "2026-11-15",
		contracts: "seasonal", skills: "sk-haccp"},
	{id: 127, municipality: "022102", headline: "Addetto alle pulizie", occupation: "occ-addetto-pulizie", title: "Addetto alle pulizie",
		from: "2016-03-01", to: "2019-05-31", languages: "uk:native it:B1", education: 2, available: "2026-11-03"},
	{id: 128, municipality: "015146", headline: "Cameriere di sala", occupation: "occ-cameriere-sala", title: "Cameriere",
		from: "2020-02-01", languages: "it:native en:C1", licences: "B", education: 4, available: "2026-11-01"},
	// Lives in Trento but far from its centroid: the index places a
	// candidate at their own coordinates.
	{id: 129, municipality: "022205", lat: 46.2, lon: 11.1, headline: "Educatrice di asilo nido", occupation: "occ-educatore-nido",
		title: "Educatrice", from: "2021-09-01", languages: "it:native en:B1", education: 6, available: "2026-11-11"},
	{id: 130, municipality: "022161", headline: "<script>alert(1)</script> Tecnico informatico & sistemista",
		occupation: "occ-tecnico-informatico", title: "Tecnico informatico", from: "2021-10-01", languages: "it:native en:B2",
		licences: "B", education: 5, available: "2026-12-01", contracts: "permanent"},
}

// candidate builds the fixture's candidate as the store would load it.
func (f fixture) candidate(tb testing.TB) matching.Candidate {
	tb.Helper()
	c := matching.Candidate{
		ID: f.id, GivenName: "Nome", FamilyName: fmt.Sprintf("Cognome %d", f.id), Email: fmt.Sprintf("c%d@example.org", f.id),
		Headline: f.headline, Summary: f.summary, HomeMunicipality: f.municipality, HomeLat: f.lat, HomeLon: f.lon,
		MobilityKm: 20, Searchable: !f.notSearchable, Presentation: cmp.Or(f.presentation, matching.PresentNamed),
		ContractPreferences: strings.Fields(f.contracts), Licences: strings.Fields(f.licences),
		Education: []matching.Education{{EQFLevel: f.education, Title: "Titolo di studio"}},
		CreatedAt: searchAsOf.AddDate(-1, 0, 0),
		// Every fixture has its own update time, in no relation to its id.
		UpdatedAt: searchAsOf.Add(-time.Duration((f.id*7)%31)*24*time.Hour - time.Duration(f.id)*time.Minute),
	}
	if f.available != "" {
		d := searchDay(tb, f.available)
		c.AvailableFrom = &d
	}
	e := matching.Experience{Title: f.title, Description: f.description, StartDate: searchDay(tb, f.from)}
	if iscoCode, ok := strings.CutPrefix(f.occupation, "isco:"); ok {
		e.ISCOCode = iscoCode
	} else {
		o, ok := reference.OccupationByCode(f.occupation)
		if !ok {
			tb.Fatalf("fixture %d: no occupation %s", f.id, f.occupation)
		}
		e.OccupationCode, e.ISCOCode = o.Code, o.ISCO
	}
	if f.to != "" {
		d := searchDay(tb, f.to)
		e.EndDate = &d
	}
	c.Experiences = []matching.Experience{e}
	for _, l := range strings.Fields(f.languages) {
		lang, level, _ := strings.Cut(l, ":")
		c.Languages = append(c.Languages, matching.LanguageLevel{Language: lang, Level: level})
	}
	for _, code := range strings.Fields(f.skills) {
		sk, ok := reference.SkillByCode(code)
		if !ok {
			tb.Fatalf("fixture %d: no skill %s", f.id, code)
		}
		c.Skills = append(c.Skills, matching.CandidateSkill{Code: sk.Code, Label: sk.Label, Level: "intermediate"})
	}
	c.Normalize()
	if err := c.Validate(); err != nil {
		tb.Fatalf("fixture %d: %v", f.id, err)
	}
	return c
}

// searchWorld is an index filled with the fixtures, and the fixtures as
// candidates.
type searchWorld struct {
	ix    *Index
	cands []matching.Candidate
}

func newSearchWorld(tb testing.TB) *searchWorld {
	tb.Helper()
	ix, err := Open(tb.TempDir())
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { ix.Close() })
	w := &searchWorld{ix: ix}
	changes := make([]Change, 0, len(searchFixtures))
	for _, f := range searchFixtures {
		c := f.candidate(tb)
		w.cands = append(w.cands, c)
		changes = append(changes, Change{CandidateID: c.ID, Candidate: &c})
	}
	if err := ix.Apply(changes, Position{TxID: 1, ID: 1}, searchAsOf); err != nil {
		tb.Fatal(err)
	}
	return w
}

// search runs q as of the fixtures' day and fails the test on an error.
func (w *searchWorld) search(tb testing.TB, q Query) Result {
	tb.Helper()
	if q.AsOf.IsZero() {
		q.AsOf = searchAsOf
	}
	r, err := w.ix.Search(context.Background(), q)
	if err != nil {
		tb.Fatalf("search %+v: %v", q, err)
	}
	return r
}

func hitIDs(r Result) []int64 {
	ids := make([]int64, len(r.Hits))
	for i, h := range r.Hits {
		ids[i] = h.ID
	}
	return ids
}

// The expectations below are computed from the candidates by plain Go, not by
// the index's code.

// presentable lists the ids of the fixtures a default search may find,
// in id order, that satisfy keep.
func (w *searchWorld) presentable(keep func(c matching.Candidate) bool) []int64 {
	var ids []int64
	for _, c := range w.cands {
		if c.Searchable && c.Presentation != matching.PresentNone && keep(c) {
			ids = append(ids, c.ID)
		}
	}
	return ids
}

func (w *searchWorld) cand(id int64) matching.Candidate {
	for _, c := range w.cands {
		if c.ID == id {
			return c
		}
	}
	panic(fmt.Sprintf("no fixture %d", id))
}

func municipalityPoint(code string) (lat, lon float64) {
	m, _ := reference.MunicipalityByCode(code)
	return m.Lat, m.Lon
}

func distanceKm(c matching.Candidate, lat, lon float64) float64 {
	return reference.HaversineKm(lat, lon, c.HomeLat, c.HomeLon)
}

func experienceBand(c matching.Candidate) string {
	switch y := c.TotalExperienceYears(searchAsOf); {
	case y < 1:
		return "0-1"
	case y < 3:
		return "1-3"
	case y < 5:
		return "3-5"
	case y < 10:
		return "5-10"
	default:
		return "10+"
	}
}

func availabilityBand(c matching.Candidate) string {
	if c.AvailableFrom == nil {
		return ""
	}
	days := int(c.AvailableFrom.Sub(time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)).Hours() / 24)
	switch {
	case days <= 0:
		return "now"
	case days <= 30:
		return "30d"
	case days <= 90:
		return "90d"
	default:
		return "later"
	}
}

func hasLanguageAtLeast(c matching.Candidate, lang, level string) bool {
	for _, l := range c.Languages {
		if l.Language == lang && matching.CEFRRank(l.Level) >= matching.CEFRRank(level) {
			return true
		}
	}
	return false
}

func iscoGroups(c matching.Candidate) []string {
	var out []string
	for _, e := range c.Experiences {
		if len(e.ISCOCode) >= 2 {
			out = append(out, e.ISCOCode[:2])
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func highestEducation(c matching.Candidate) int {
	h := 0
	for _, e := range c.Education {
		h = max(h, e.EQFLevel)
	}
	return h
}

// byDistance orders ids by distance from a point, then by id.
func (w *searchWorld) byDistance(ids []int64, lat, lon float64) []int64 {
	out := slices.Clone(ids)
	slices.SortStableFunc(out, func(a, b int64) int {
		return cmp.Or(cmp.Compare(distanceKm(w.cand(a), lat, lon), distanceKm(w.cand(b), lat, lon)), cmp.Compare(a, b))
	})
	return out
}

// byFreshness orders ids by update time, newest first, then by id.
func (w *searchWorld) byFreshness(ids []int64) []int64 {
	out := slices.Clone(ids)
	slices.SortStableFunc(out, func(a, b int64) int {
		return cmp.Or(w.cand(b).UpdatedAt.Compare(w.cand(a).UpdatedAt), cmp.Compare(a, b))
	})
	return out
}

// searchCase is a query and the ids it must find, in order. With anyOrder
// the ids are compared as a set and the order is checked against the
// relevance rule instead (score descending, then id).
type searchCase struct {
	name     string
	q        Query
	want     []int64
	anyOrder bool
}

func searchCases(t *testing.T, w *searchWorld) []searchCase {
	t.Helper()
	trentoLat, trentoLon := municipalityPoint("022205")
	roveretoLat, roveretoLon := municipalityPoint("022161")
	near := func(lat, lon, r float64) *Near { return &Near{Lat: lat, Lon: lon, RadiusKm: r} }
	within := func(lat, lon, r float64) func(c matching.Candidate) bool {
		return func(c matching.Candidate) bool { return distanceKm(c, lat, lon) <= r }
	}
	all := func(matching.Candidate) bool { return true }
	day := searchDay(t, "2026-11-25")
	ids := func(v ...int64) []int64 { return v }

	return []searchCase{
		// Text.
		{name: "an empty text finds every presentable candidate, in id order",
			q: Query{}, want: w.presentable(all)},
		{name: "a word finds the CVs that carry it or a synonym of their occupation, newest first",
			q: Query{Text: "cameriere", Sort: SortFreshness}, want: w.byFreshness(ids(101, 102, 103, 106, 116, 128))},
		{name: "Italian stemming: a plural finds the singular and both genders",
			q: Query{Text: "camerieri", Sort: SortFreshness}, want: w.byFreshness(ids(101, 102, 103, 106, 116, 128))},
		{name: "a synonym of the catalogue: the waiter who never wrote 'tavoli' is found by it",
			q: Query{Text: `"servizio ai tavoli"`, Sort: SortFreshness}, want: w.byFreshness(ids(101, 102, 128))},
		{name: "a gendered form: cuoca finds the cooks by the catalogue's synonyms (and the aiuto cuoca)",
			q: Query{Text: "cuoca", Sort: SortFreshness}, want: w.byFreshness(ids(104, 105, 126))},
		{name: "every word is required, in any field: the waiters of the dining room",
			q: Query{Text: "cameriere sala"}, want: ids(101, 102, 128), anyOrder: true},
		{name: "stop words require nothing",
			q: Query{Text: "cameriere di sala"}, want: ids(101, 102, 128), anyOrder: true},
		{name: "any word: relevance ranks by score, then id",
			q: Query{Text: "cameriere sala", AnyWord: true}, want: ids(101, 102, 103, 106, 116, 128), anyOrder: true},
		{name: "words no CV holds together find nothing",
			q: Query{Text: "cameriere muratore"}, want: nil},
		{name: "a clear best match comes first",
			q: Query{Text: "sviluppatore software go"}, want: ids(114)},
		{name: "query-string syntax: a field and an exclusion",
			q: Query{Text: "occupation:cameriere -headline:piani", Sort: SortFreshness}, want: w.byFreshness(ids(101, 102, 103, 128))},
		{name: "query-string syntax: a required word",
			q: Query{Text: "+cucina +trentina"}, want: ids(104)},
		{name: "the summary is searched too",
			q: Query{Text: "squadra"}, want: ids(101)},

		// Filters, one by one.
		{name: "an ISCO unit group",
			q: Query{Occupations: []string{"5131"}}, want: ids(101, 102, 103, 128)},
		{name: "an ISCO sub-major group finds its unit groups",
			q: Query{Occupations: []string{"51"}}, want: ids(101, 102, 103, 104, 106, 126, 128)},
		{name: "an occupation code, or an ISCO group: any of them",
			q: Query{Occupations: []string{"occ-cuoco", "7112"}}, want: ids(104, 108, 126)},
		{name: "skills are all required",
			q: Query{Skills: []string{"sk-haccp", "sk-cucina-trentina"}}, want: ids(104)},
		{name: "a language at a minimum level accepts the levels above",
			q:    Query{Languages: []LanguageFilter{{Language: "de", MinLevel: "B2"}}},
			want: w.presentable(func(c matching.Candidate) bool { return hasLanguageAtLeast(c, "de", "B2") })},
		{name: "a language without a level",
			q: Query{Languages: []LanguageFilter{{Language: "fr"}}}, want: ids(107)},
		{name: "two languages are both required",
			q: Query{Languages: []LanguageFilter{{Language: "de", MinLevel: "B1"}, {Language: "en", MinLevel: "B2"}}},
			want: w.presentable(func(c matching.Candidate) bool {
				return hasLanguageAtLeast(c, "de", "B1") && hasLanguageAtLeast(c, "en", "B2")
			})},
		{name: "licences are all required",
			q: Query{Licences: []string{"B", "C"}}, want: ids(108, 110)},
		{name: "a minimum education level",
			q: Query{MinEducation: 6}, want: ids(107, 113, 114, 124, 129)},
		{name: "available by a day, that day included",
			q:    Query{AvailableBy: &day},
			want: w.presentable(func(c matching.Candidate) bool { return c.AvailableFrom != nil && !c.AvailableFrom.After(day) })},
		{name: "within 15 km of Trento, by great-circle distance from each candidate's own point",
			q: Query{Near: near(trentoLat, trentoLon, 15)}, want: w.presentable(within(trentoLat, trentoLon, 15))},
		{name: "within 30 km of Trento",
			q: Query{Near: near(trentoLat, trentoLon, 30)}, want: w.presentable(within(trentoLat, trentoLon, 30))},
		{name: "within 15 km of Rovereto",
			q: Query{Near: near(roveretoLat, roveretoLon, 15)}, want: w.presentable(within(roveretoLat, roveretoLon, 15))},
		{name: "contracts: any of them",
			q: Query{Contracts: []string{"freelance", "agency"}}, want: ids(110, 114, 125)},
		{name: "candidates who did not consent are found only on request",
			q: Query{Occupations: []string{"5131"}, IncludeNotPresentable: true}, want: ids(101, 102, 103, 118, 128)},

		// Facet filters.
		{name: "municipalities: any of them",
			q: Query{Municipalities: []string{"022161", "022139"}}, want: ids(102, 103, 110, 115, 117, 130)},
		{name: "occupation groups",
			q: Query{OccupationGroups: []string{"91"}}, want: ids(116, 127)},
		{name: "education levels",
			q: Query{EducationLevels: []string{"5", "7"}}, want: ids(114, 130)},
		{name: "language levels, exactly",
			q: Query{LanguageLevels: []string{"de:B2"}}, want: ids(101, 113, 115)},
		{name: "experience bands",
			q:    Query{Experience: []string{"0-1", "10+"}},
			want: w.presentable(func(c matching.Candidate) bool { b := experienceBand(c); return b == "0-1" || b == "10+" })},
		{name: "availability bands",
			q:    Query{Availability: []string{"30d"}},
			want: w.presentable(func(c matching.Candidate) bool { return availabilityBand(c) == "30d" })},

		// Combinations.
		{name: "text, occupation group, language and radius together",
			q: Query{Text: "cameriere", OccupationGroups: []string{"51"}, Languages: []LanguageFilter{{Language: "de", MinLevel: "A2"}},
				Near: near(trentoLat, trentoLon, 30), Sort: SortFreshness},
			want: w.byFreshness(ids(101, 102, 106))},
		{name: "licence, contract and availability",
			q:    Query{Licences: []string{"B"}, Contracts: []string{"permanent"}, Availability: []string{"now", "30d"}},
			want: ids(101, 104, 107, 110, 112, 114, 130)},
		{name: "filters that exclude each other find nothing",
			q: Query{Occupations: []string{"5131"}, MinEducation: 7}, want: nil},

		// Sorts.
		{name: "by distance from Trento, ties by id",
			q:    Query{Near: near(trentoLat, trentoLon, 30), Sort: SortDistance},
			want: w.byDistance(w.presentable(within(trentoLat, trentoLon, 30)), trentoLat, trentoLon)},
		{name: "by distance with text",
			q:    Query{Text: "cuoco cameriere", AnyWord: true, Near: near(roveretoLat, roveretoLon, 40), Sort: SortDistance},
			want: w.byDistance(ids(101, 102, 103, 104, 105, 106, 116, 126), roveretoLat, roveretoLon)},
		{name: "by freshness",
			q: Query{Sort: SortFreshness}, want: w.byFreshness(w.presentable(all))},
	}
}

func TestSearchCases(t *testing.T) {
	w := newSearchWorld(t)
	for _, tc := range searchCases(t, w) {
		t.Run(tc.name, func(t *testing.T) {
			q := tc.q
			q.Size = MaxPageSize
			r := w.search(t, q)
			got := hitIDs(r)
			if int(r.Total) != len(got) {
				t.Errorf("total %d, %d hits", r.Total, len(got))
			}
			want := tc.want
			if tc.anyOrder {
				for i := 1; i < len(r.Hits); i++ {
					a, b := r.Hits[i-1], r.Hits[i]
					if a.Score < b.Score || (a.Score == b.Score && a.ID > b.ID) {
						t.Errorf("hit %d (%d, score %g) before %d (score %g) breaks the relevance order", i-1, a.ID, a.Score, b.ID, b.Score)
					}
				}
				got = slices.Sorted(slices.Values(got))
				want = slices.Sorted(slices.Values(want))
			}
			if !slices.Equal(got, want) {
				t.Errorf("got  %v\nwant %v", got, want)
			}
		})
	}
}

func TestSearchHitsCarryTheirDistance(t *testing.T) {
	w := newSearchWorld(t)
	lat, lon := municipalityPoint("022205")
	for _, sort := range []string{SortRelevance, SortDistance, SortFreshness} {
		r := w.search(t, Query{Near: &Near{Lat: lat, Lon: lon, RadiusKm: 40}, Sort: sort, Size: MaxPageSize})
		if len(r.Hits) == 0 {
			t.Fatal("no hits")
		}
		for _, h := range r.Hits {
			want := distanceKm(w.cand(h.ID), lat, lon)
			if h.DistanceKm == nil {
				t.Fatalf("sort %s: hit %d has no distance", sort, h.ID)
			}
			// bleve measures on an ellipsoid, the reference on a sphere.
			if d := *h.DistanceKm - want; d > 0.05 || d < -0.05 {
				t.Errorf("sort %s: hit %d is %.3f km away, want %.3f", sort, h.ID, *h.DistanceKm, want)
			}
		}
	}
	r := w.search(t, Query{Text: "cuoco"})
	for _, h := range r.Hits {
		if h.DistanceKm != nil {
			t.Errorf("hit %d has a distance without a place to measure from", h.ID)
		}
	}
}

func TestSearchPagesWithCursorsMakeOneBigPage(t *testing.T) {
	w := newSearchWorld(t)
	lat, lon := municipalityPoint("022205")
	for _, q := range []Query{
		{},
		{Text: "cameriere cuoco sala", AnyWord: true},
		{Text: "cameriere cuoco muratore autista", AnyWord: true, Near: &Near{Lat: lat, Lon: lon, RadiusKm: 50}},
		{Sort: SortFreshness},
		{Sort: SortDistance, Near: &Near{Lat: lat, Lon: lon, RadiusKm: 200}},
		{Licences: []string{"B"}, Sort: SortDistance, Near: &Near{Lat: lat, Lon: lon, RadiusKm: 40}},
	} {
		t.Run(fmt.Sprintf("%q sorted by %s", q.Text, cmp.Or(q.Sort, SortRelevance)), func(t *testing.T) {
			big := q
			big.Size = MaxPageSize
			want := w.search(t, big)
			if want.Next != "" {
				t.Fatalf("one page of %d holds all %d hits but has a next cursor", MaxPageSize, want.Total)
			}
			var got []Hit
			page := q
			page.Size = 3
			for i := 0; ; i++ {
				if i > 20 {
					t.Fatal("too many pages")
				}
				r := w.search(t, page)
				if r.Total != want.Total {
					t.Fatalf("page %d: total %d, want %d", i, r.Total, want.Total)
				}
				got = append(got, r.Hits...)
				if r.Next == "" {
					if len(r.Hits) > page.Size {
						t.Fatalf("page %d has %d hits", i, len(r.Hits))
					}
					break
				}
				if len(r.Hits) != page.Size {
					t.Fatalf("page %d has %d hits and a next page", i, len(r.Hits))
				}
				page.After = r.Next
			}
			if len(want.Hits) < 4 {
				t.Fatalf("the case needs more than one page: %d hits", len(want.Hits))
			}
			if !slices.EqualFunc(got, want.Hits, func(a, b Hit) bool {
				return a.ID == b.ID && a.Score == b.Score && (a.DistanceKm == nil) == (b.DistanceKm == nil)
			}) {
				t.Errorf("pages %v\nbig page %v", hitIDs(Result{Hits: got}), hitIDs(want))
			}
		})
	}
}

func TestSearchRefusesBadInputNamingTheField(t *testing.T) {
	w := newSearchWorld(t)
	first := w.search(t, Query{Size: 2})
	fresh := w.search(t, Query{Size: 2, Sort: SortFreshness})
	for _, tc := range []struct {
		name  string
		q     Query
		field string
	}{
		{"an unterminated quote", Query{Text: `"cuoco`}, "q"},
		{"a field without a value", Query{Text: "headline:"}, "q"},
		{"a bad fuzziness", Query{Text: "cuoco~x"}, "q"},
		{"a bad regular expression", Query{Text: "/[/"}, "q"},
		{"an anchored regular expression", Query{Text: "/^cuo.*/"}, "q"},
		{"a cursor that is not base64", Query{After: "!!!"}, "after"},
		{"a cursor that is not JSON", Query{After: "bm90IGpzb24"}, "after"},
		{"a cursor of another sort", Query{After: fresh.Next}, "after"},
		{"a cursor with a bad value", Query{After: encodeCursor(SortRelevance, []string{"many", "101"})}, "after"},
		{"a cursor with too few values", Query{After: encodeCursor(SortRelevance, []string{"1"})}, "after"},
		{"a distance sort without a place", Query{Sort: SortDistance}, "sort"},
		{"an unknown sort", Query{Sort: "alphabetical"}, "sort"},
		{"a page too large", Query{Size: MaxPageSize + 1}, "size"},
		{"a negative radius", Query{Near: &Near{Lat: 46, Lon: 11, RadiusKm: -1}}, "radius_km"},
		{"a latitude off the globe", Query{Near: &Near{Lat: 91, Lon: 11, RadiusKm: 1}}, "lat"},
		{"an unknown language", Query{Languages: []LanguageFilter{{Language: "deu"}}}, "language"},
		{"an unknown level", Query{Languages: []LanguageFilter{{Language: "de", MinLevel: "B3"}}}, "language"},
		{"an EQF level out of range", Query{MinEducation: 9}, "education"},
		{"an ISCO code too long", Query{Occupations: []string{"51311"}}, "occupation"},
		{"an unknown experience band", Query{Experience: []string{"2-4"}}, "experience"},
		{"an unknown availability band", Query{Availability: []string{"soon"}}, "availability"},
		{"a malformed language level", Query{LanguageLevels: []string{"de-B2"}}, "language_level"},
		{"a malformed municipality", Query{Municipalities: []string{"Trento"}}, "municipality"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q := tc.q
			q.AsOf = searchAsOf
			_, err := w.ix.Search(context.Background(), q)
			if matching.ErrorCode(err) != matching.EINVALID || matching.ErrorField(err) != tc.field {
				t.Fatalf("got %v, want EINVALID on %s", err, tc.field)
			}
		})
	}
	if first.Next == "" {
		t.Fatal("the first page should have a next page")
	}
}

func TestHighlightMarksTheSearchedWordsInSafeHTML(t *testing.T) {
	w := newSearchWorld(t)
	r := w.search(t, Query{Text: "informatico"})
	if got := hitIDs(r); !slices.Equal(got, []int64{130}) {
		t.Fatalf("hits %v", got)
	}
	c := w.cand(130)
	frags := NewHighlighter("informatico").Fragments(c, searchAsOf)[FieldHeadline]
	want := "&lt;script&gt;alert(1)&lt;/script&gt; Tecnico <mark>informatico</mark> &amp; sistemista"
	if len(frags) != 1 || frags[0] != want {
		t.Errorf("headline fragments %q\nwant [%q]", frags, want)
	}
	r = w.search(t, Query{Text: "trentina"})
	if len(r.Hits) == 0 {
		t.Fatal("trentina finds nothing")
	}
	if got := NewHighlighter("trentina").Fragments(w.cand(r.Hits[0].ID), searchAsOf)[FieldExperience]; len(got) != 1 || !strings.Contains(got[0], "<mark>trentina</mark>") {
		t.Errorf("experience fragments %q", got)
	}
	for _, text := range []string{"-informatico tecnico", "informat*", "informatico~1", `"unclosed`, "sistemista:informatico"} {
		got := NewHighlighter(text).Fragments(c, searchAsOf)
		if strings.Contains(strings.Join(got[FieldHeadline], ""), "<mark>informatico</mark>") {
			t.Errorf("%q marks informatico: %q", text, got)
		}
	}
}

func TestMarkTermsCutsLongTextsAroundTheFirstMatch(t *testing.T) {
	terms := map[string]bool{}
	for _, w := range analyzeItalian("camerieri") {
		terms[w] = true
	}
	for _, tc := range []struct{ in, want string }{
		{"Cameriera di sala & bar", "<mark>Cameriera</mark> di sala &amp; bar"},
		{"l'<b>aiuto</b> cameriere", "l&#39;&lt;b&gt;aiuto&lt;/b&gt; <mark>cameriere</mark>"},
		{strings.Repeat("lavoro stagionale ", 20) + "come cameriere in un rifugio alpino " + strings.Repeat("con clienti stranieri ", 20),
			"…stagionale lavoro stagionale come <mark>cameriere</mark> in un rifugio alpino con clienti stranieri con clienti stranieri con clienti stranieri con clienti stranieri…"},
	} {
		got, ok := markTerms(tc.in, terms, nil)
		if !ok || got != tc.want {
			t.Errorf("markTerms(%.40q…)\n got  %q\n want %q", tc.in, got, tc.want)
		}
	}
	if _, ok := markTerms("Muratore", terms, nil); ok {
		t.Error("a text without the word is marked")
	}
}

// facetWant computes a facet's counts from the fixtures that keep, as the
// index must give them: keyword values by count then value, the selected
// ones even without hits, bands in order.
func facetWant(cands []matching.Candidate, keep func(matching.Candidate) bool, values func(matching.Candidate) []string, bands, selected []string) []FacetCount {
	counts := map[string]int{}
	for _, c := range cands {
		if !keep(c) {
			continue
		}
		for _, v := range values(c) {
			counts[v]++
		}
	}
	out := []FacetCount{}
	if bands != nil {
		for _, b := range bands {
			out = append(out, FacetCount{Value: b, Count: counts[b]})
		}
		return out
	}
	for _, v := range selected {
		counts[v] += 0
	}
	for v, n := range counts {
		out = append(out, FacetCount{Value: v, Count: n})
	}
	slices.SortFunc(out, func(a, b FacetCount) int { return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Value, b.Value)) })
	return out
}

func TestSearchFacetCountsMatchTheFixtures(t *testing.T) {
	w := newSearchWorld(t)
	lat, lon := municipalityPoint("022205")
	one := func(f func(matching.Candidate) string) func(matching.Candidate) []string {
		return func(c matching.Candidate) []string {
			if v := f(c); v != "" {
				return []string{v}
			}
			return nil
		}
	}
	values := map[string]func(matching.Candidate) []string{
		FacetOccupationGroup: iscoGroups,
		FacetMunicipality:    one(func(c matching.Candidate) string { return c.HomeMunicipality }),
		FacetEducation:       one(func(c matching.Candidate) string { return strconv.Itoa(highestEducation(c)) }),
		FacetLanguageLevel: func(c matching.Candidate) []string {
			var out []string
			for _, l := range c.Languages {
				out = append(out, l.Language+":"+l.Level)
			}
			return out
		},
		FacetLicence:      func(c matching.Candidate) []string { return c.Licences },
		FacetExperience:   one(experienceBand),
		FacetAvailability: one(availabilityBand),
	}
	bands := map[string][]string{
		FacetExperience:   {"0-1", "1-3", "3-5", "5-10", "10+"},
		FacetAvailability: {"now", "30d", "90d", "later"},
	}
	presentable := func(c matching.Candidate) bool { return c.Searchable && c.Presentation != matching.PresentNone }

	// The active filters of each test, as predicates by the facet whose own
	// filter they are ("" for the others).
	type filter struct {
		facet string
		keep  func(matching.Candidate) bool
	}
	for _, tc := range []struct {
		name    string
		q       Query
		filters []filter
	}{
		{name: "everything", q: Query{}},
		{name: "a text and a licence: a drill-down, the licence facet counts with it",
			q: Query{Text: "cameriere cuoco cuoca", AnyWord: true, Licences: []string{"B"}},
			filters: []filter{
				{"", func(c matching.Candidate) bool {
					return slices.Contains([]int64{101, 102, 103, 104, 105, 106, 116, 126, 128}, c.ID)
				}},
				{"", func(c matching.Candidate) bool { return slices.Contains(c.Licences, "B") }},
			}},
		{name: "facet filters: each facet ignores its own",
			q: Query{Municipalities: []string{"022205", "022161"}, Experience: []string{"5-10", "10+"},
				LanguageLevels: []string{"de:B2", "de:C1", "en:B2"}, Availability: []string{"now"}},
			filters: []filter{
				{FacetMunicipality, func(c matching.Candidate) bool {
					return slices.Contains([]string{"022205", "022161"}, c.HomeMunicipality)
				}},
				{FacetExperience, func(c matching.Candidate) bool { return slices.Contains([]string{"5-10", "10+"}, experienceBand(c)) }},
				{FacetLanguageLevel, func(c matching.Candidate) bool {
					return slices.ContainsFunc(c.Languages, func(l matching.LanguageLevel) bool {
						return slices.Contains([]string{"de:B2", "de:C1", "en:B2"}, l.Language+":"+l.Level)
					})
				}},
				{FacetAvailability, func(c matching.Candidate) bool { return availabilityBand(c) == "now" }},
			}},
		{name: "an occupation group and an education level with a radius",
			q: Query{OccupationGroups: []string{"51", "52"}, EducationLevels: []string{"3"}, Near: &Near{Lat: lat, Lon: lon, RadiusKm: 35}},
			filters: []filter{
				{FacetOccupationGroup, func(c matching.Candidate) bool {
					return slices.ContainsFunc(iscoGroups(c), func(g string) bool { return g == "51" || g == "52" })
				}},
				{FacetEducation, func(c matching.Candidate) bool { return highestEducation(c) == 3 }},
				{"", func(c matching.Candidate) bool { return distanceKm(c, lat, lon) <= 35 }},
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q := tc.q
			q.Facets = true
			r := w.search(t, q)
			keepAllBut := func(except string) func(matching.Candidate) bool {
				return func(c matching.Candidate) bool {
					if !presentable(c) {
						return false
					}
					for _, f := range tc.filters {
						if (f.facet == "" || f.facet != except) && !f.keep(c) {
							return false
						}
					}
					return true
				}
			}
			all := 0
			for _, c := range w.cands {
				if keepAllBut("")(c) {
					all++
				}
			}
			if int(r.Total) != all {
				t.Errorf("total %d, want %d", r.Total, all)
			}
			for name, vals := range values {
				want := facetWant(w.cands, keepAllBut(name), vals, bands[name], selectedValues(name, q))
				if got := r.Facets[name]; !slices.Equal(got, want) {
					t.Errorf("facet %s:\ngot  %v\nwant %v", name, got, want)
				}
			}
			if q.Near != nil {
				dist := func(c matching.Candidate) []string {
					d := distanceKm(c, q.Near.Lat, q.Near.Lon)
					return []string{fmt.Sprintf("%d-%dkm", int(d/10)*10, int(d/10)*10+10)}
				}
				want := facetWant(w.cands, keepAllBut(""), dist, []string{"0-10km", "10-20km", "20-30km", "30-40km"}, nil)
				if got := r.Facets[FacetDistance]; !slices.Equal(got, want) {
					t.Errorf("facet distance:\ngot  %v\nwant %v", got, want)
				}
			} else if _, ok := r.Facets[FacetDistance]; ok {
				t.Error("distance bands without a place")
			}
		})
	}
}

func TestSearchKeepsSelectedFacetValuesVisible(t *testing.T) {
	w := newSearchWorld(t)
	// Milan's only candidate is not a cook: with the text the municipality
	// has no hit, and stays listed (with 0) because it is selected.
	r := w.search(t, Query{Text: "cuoco", Municipalities: []string{"015146"}, Facets: true})
	if r.Total != 0 {
		t.Fatalf("total %d", r.Total)
	}
	want := []FacetCount{{"022205", 2}, {"022153", 1}, {"015146", 0}}
	if got := r.Facets[FacetMunicipality]; !slices.Equal(got, want) {
		t.Errorf("municipalities %v, want %v", got, want)
	}
}

func TestDistanceBands(t *testing.T) {
	for r, want := range map[float64][]string{
		5:   {"0-10km"},
		10:  {"0-10km"},
		25:  {"0-10km", "10-20km", "20-30km"},
		50:  {"0-10km", "10-20km", "20-30km", "30-40km", "40-50km"},
		120: {"0-10km", "10-20km", "20-30km", "30-40km", "40-50km", "50km+"},
	} {
		var got []string
		for _, b := range distanceBands(r) {
			got = append(got, b.Name)
		}
		if !slices.Equal(got, want) {
			t.Errorf("radius %g: %v, want %v", r, got, want)
		}
	}
}

func TestSearchCachesResultsUntilTheIndexChanges(t *testing.T) {
	w := newSearchWorld(t)
	// How many results were computed rather than taken from the cache.
	searches := func() uint64 { return w.ix.computed.Load() }
	everything := Query{Facets: true}
	first := w.search(t, everything)
	before := searches()
	second := w.search(t, everything)
	if searches() != before {
		t.Error("the same search ran again on an unchanged index")
	}
	first.Took, second.Took = 0, 0
	if fmt.Sprint(first) != fmt.Sprint(second) {
		t.Errorf("the cached result differs:\n%+v\n%+v", first, second)
	}
	// A caller changing its result does not change the cache.
	second.Hits[0].ID = -1
	second.Facets[FacetLicence][0].Count = -1
	third := w.search(t, everything)
	third.Took = 0
	if fmt.Sprint(first) != fmt.Sprint(third) {
		t.Error("changing a returned result changed the cache")
	}

	// An Apply invalidates: the erased candidate is neither found nor counted.
	if err := w.ix.Apply([]Change{{CandidateID: 101}}, Position{TxID: 2, ID: 1}, searchAsOf); err != nil {
		t.Fatal(err)
	}
	after := w.search(t, everything)
	if searches() == before {
		t.Error("the search after an Apply was served from the cache")
	}
	if after.Total != first.Total-1 || slices.Contains(hitIDs(after), 101) {
		t.Errorf("after erasing 101: total %d (was %d), hits %v", after.Total, first.Total, hitIDs(after))
	}
	munis := map[string]int{}
	for _, fc := range after.Facets[FacetMunicipality] {
		munis[fc.Value] = fc.Count
	}
	for _, fc := range first.Facets[FacetMunicipality] {
		if fc.Value == "022205" && munis["022205"] != fc.Count-1 {
			t.Errorf("Trento counts %d after erasing one of its %d", munis["022205"], fc.Count)
		}
	}
}

func TestResultCacheEvictsTheLeastRecentlyUsed(t *testing.T) {
	c := newResultCache()
	for i := range resultCacheSize {
		c.put(1, strconv.Itoa(i), Result{Total: uint64(i)})
	}
	if _, ok := c.get(1, "0"); !ok { // 0 becomes the most recent
		t.Fatal("0 missing")
	}
	c.put(1, "new", Result{})
	if c.len() != resultCacheSize {
		t.Fatalf("%d entries", c.len())
	}
	if _, ok := c.get(1, "1"); ok {
		t.Error("the least recently used entry was kept")
	}
	if _, ok := c.get(1, "0"); !ok {
		t.Error("a recently used entry was evicted")
	}
	if _, ok := c.get(2, "0"); ok {
		t.Error("an entry of another generation was returned")
	}
}

func TestIdenticalSearchesThatMissRunOnce(t *testing.T) {
	c := newResultCache()
	var calls atomic.Int32
	release := make(chan struct{})
	search := func() (Result, error) {
		calls.Add(1)
		<-release
		return Result{Total: 7}, nil
	}
	var started, done sync.WaitGroup
	results := make([]Result, 10)
	for i := range results {
		started.Add(1)
		done.Go(func() {
			started.Done()
			r, err := c.do(context.Background(), 1, "everything", search)
			if err != nil {
				t.Error(err)
			}
			results[i] = r
		})
	}
	started.Wait()
	time.Sleep(20 * time.Millisecond) // let them reach the cache
	close(release)
	done.Wait()
	if n := calls.Load(); n != 1 {
		t.Errorf("the search ran %d times", n)
	}
	for i, r := range results {
		if r.Total != 7 {
			t.Errorf("caller %d got %+v", i, r)
		}
	}

	// Errors are not cached.
	fail := func() (Result, error) { calls.Add(1); return Result{}, fmt.Errorf("boom") }
	for range 2 {
		if _, err := c.do(context.Background(), 1, "failing", fail); err == nil {
			t.Fatal("no error")
		}
	}
	if n := calls.Load(); n != 3 {
		t.Errorf("a failed search was cached: %d calls", n)
	}
}

func TestNormalizedQueriesShareACacheKey(t *testing.T) {
	a, err := normalize(Query{Text: " cuoco ", Licences: []string{"C", "B", "B"}, AsOf: searchAsOf,
		Languages: []LanguageFilter{{"en", "b2"}, {"DE", "B1"}}})
	if err != nil {
		t.Fatal(err)
	}
	b, err := normalize(Query{Text: "cuoco", Licences: []string{"B", "C"}, AsOf: searchAsOf.Add(time.Hour), Sort: SortRelevance, Size: DefaultPageSize,
		Languages: []LanguageFilter{{"de", "B1"}, {"en", "B2"}}})
	if err != nil {
		t.Fatal(err)
	}
	if cacheKey(a) != cacheKey(b) {
		t.Errorf("keys differ:\n%s\n%s", cacheKey(a), cacheKey(b))
	}
}

// BenchmarkSearch measures the search shapes of the staff screen on an index
// of seeded candidates (INCONTRO_BENCH_CANDIDATES, default 20,000). It
// prints figures and asserts none; building the index is not timed.
func BenchmarkSearch(b *testing.B) {
	n := 20000
	if s := os.Getenv("INCONTRO_BENCH_CANDIDATES"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil {
			b.Fatal(err)
		}
	}
	g, err := seed.New(seed.Options{Seed: 1, Candidates: n, AsOf: searchAsOf})
	if err != nil {
		b.Fatal(err)
	}
	ix, err := Open(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	start := time.Now()
	const batch = 2000
	for from := 0; from < n; from += batch {
		changes := make([]Change, 0, batch)
		for i := from; i < min(from+batch, n); i++ {
			c, _ := g.Candidate(i)
			c.ID = int64(i + 1)
			changes = append(changes, Change{CandidateID: c.ID, Candidate: &c})
		}
		if err := ix.Apply(changes, Position{TxID: 1, ID: int64(from)}, searchAsOf); err != nil {
			b.Fatal(err)
		}
	}
	b.Logf("indexed %d candidates in %s", n, time.Since(start).Round(time.Millisecond))

	lat, lon := municipalityPoint("022205")
	for _, bc := range []struct {
		name    string
		q       Query
		uncache bool
	}{
		{"everything with facets, cached", Query{Facets: true}, false},
		{"everything with facets, uncached", Query{Facets: true}, true},
		{"text", Query{Text: "cameriere"}, true},
		{"text with filters", Query{Text: "cuoco", Languages: []LanguageFilter{{Language: "de", MinLevel: "B1"}}, Licences: []string{"B"}}, true},
		{"text with filters and facets", Query{Text: "cuoco", Languages: []LanguageFilter{{Language: "de", MinLevel: "B1"}}, Facets: true}, true},
		{"facet filters, each facet without its own", Query{Municipalities: []string{"022205"}, Experience: []string{"5-10"}, Facets: true}, true},
		{"near Trento 30 km by distance", Query{Near: &Near{Lat: lat, Lon: lon, RadiusKm: 30}, Sort: SortDistance}, true},
		{"near Trento 30 km by distance, with facets and bands", Query{Near: &Near{Lat: lat, Lon: lon, RadiusKm: 30}, Sort: SortDistance, Facets: true}, true},
		{"everything by relevance (id order), no facets", Query{}, true},
		{"freshness, page of 200", Query{Sort: SortFreshness, Size: MaxPageSize}, true},
	} {
		b.Run(bc.name, func(b *testing.B) {
			q := bc.q
			q.AsOf = searchAsOf
			if _, err := ix.Search(context.Background(), q); err != nil { // warms the cache
				b.Fatal(err)
			}
			for b.Loop() {
				if bc.uncache {
					q.AsOf = q.AsOf.AddDate(0, 0, 1) // another day, another cache key
				}
				if _, err := ix.Search(context.Background(), q); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func TestSearchOffersAnyWordWhenNoCVHoldsThemAll(t *testing.T) {
	w := newSearchWorld(t)
	for _, tc := range []struct {
		text    string
		anyWord bool
		offer   bool
	}{
		{text: "cameriere muratore", offer: true},
		{text: "cameriere muratore", anyWord: true},
		{text: "cameriere sala"},        // found
		{text: "zzzinesistente"},        // one word: nothing else to try
		{text: "cameriere di zzz alle"}, // two plain words besides the stop words
	} {
		r := w.search(t, Query{Text: tc.text, AnyWord: tc.anyWord})
		want := tc.offer || tc.text == "cameriere di zzz alle"
		if r.TryAnyWord != want {
			t.Errorf("%q (any word %v): TryAnyWord %v, want %v (total %d)", tc.text, tc.anyWord, r.TryAnyWord, want, r.Total)
		}
		if tc.anyWord && r.Total == 0 {
			t.Errorf("%q with any word found nothing", tc.text)
		}
	}
	// The cache keeps the two searches apart.
	if a, b := w.search(t, Query{Text: "cameriere muratore"}), w.search(t, Query{Text: "cameriere muratore", AnyWord: true}); a.Total != 0 || b.Total == 0 {
		t.Errorf("cached: all words %d, any word %d", a.Total, b.Total)
	}
}
