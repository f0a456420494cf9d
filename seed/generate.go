// Package seed generates deterministic, realistic demo data for Trentino:
// providers of the employment network with their operators, employers in
// the sectors that hire most, candidates with coherent CVs, and vacancies
// with ranked requirements. The same seed and date give the same data.
// Everything is synthetic: names are drawn and combined at random, e-mail
// addresses use the reserved example.org domain, and company tax numbers use
// the office code 000, which no real partita IVA has.
package seed

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"

	"incontro/matching"
	"incontro/reference"
)

// Options set the size and the randomness of the generated data.
type Options struct {
	Seed       uint64
	Candidates int
	// Employers defaults to one per 400 candidates, at least 30 and at most 5,000.
	Employers int
	// AsOf is the day the data is generated for: CV dates, availability and
	// vacancy dates are placed around it.
	AsOf time.Time
}

// Generator makes the demo data. Candidate i depends only on the seed, the
// date and i, so candidates can be generated in any order or in parallel.
type Generator struct {
	opts        Options
	occupations []reference.Occupation
	occWeights  []float64
	homes       []reference.Municipality
	homeWeights []float64
	bySector    map[string][]int
}

// sectorShare is the share of candidates and employers per sector, roughly
// following where Trentino hires.
var sectorShare = map[string]float64{
	"turismo": 0.24, "manifattura": 0.15, "commercio": 0.12, "edilizia": 0.10, "cura": 0.10,
	"logistica": 0.08, "agricoltura": 0.08, "ufficio": 0.08, "ict": 0.05,
}

// sectorATECO lists typical ATECO 2007 codes of each sector's employers.
var sectorATECO = map[string][]string{
	"turismo":     {"55.10.00", "56.10.11", "56.30.00", "55.20.10", "56.10.30"},
	"manifattura": {"25.62.00", "28.29.99", "10.52.00", "11.02.10", "16.23.10", "22.29.09"},
	"commercio":   {"47.11.10", "47.11.20", "47.71.10", "46.90.00", "47.52.10"},
	"edilizia":    {"41.20.00", "43.21.01", "43.22.01", "43.99.09", "43.31.00"},
	"cura":        {"87.10.00", "87.30.00", "88.10.00", "86.10.10"},
	"logistica":   {"49.41.00", "52.10.10", "52.29.22", "53.20.00"},
	"agricoltura": {"01.24.00", "01.21.00", "01.61.00", "02.10.00"},
	"ufficio":     {"69.20.11", "82.11.01", "70.22.09", "66.22.01"},
	"ict":         {"62.01.00", "62.02.00", "63.11.19"},
}

// New prepares a generator; it fails when the reference data lack what the
// generator needs.
func New(opts Options) (*Generator, error) {
	if opts.Candidates < 0 {
		return nil, matching.FieldErrorf("candidates", "must not be negative")
	}
	if opts.AsOf.IsZero() {
		return nil, matching.FieldErrorf("as_of", "is required")
	}
	opts.AsOf = time.Date(opts.AsOf.Year(), opts.AsOf.Month(), opts.AsOf.Day(), 0, 0, 0, 0, time.UTC)
	if opts.Employers == 0 {
		opts.Employers = min(max(30, opts.Candidates/400), 5000)
	}
	g := &Generator{opts: opts, bySector: map[string][]int{}}
	g.occupations = reference.Occupations()
	for i, o := range g.occupations {
		g.bySector[o.Sector] = append(g.bySector[o.Sector], i)
	}
	for _, o := range g.occupations {
		n := len(g.bySector[o.Sector])
		g.occWeights = append(g.occWeights, sectorShare[o.Sector]/float64(n))
	}
	g.homes = reference.MunicipalitiesInProvince("TN")
	if len(g.homes) == 0 || len(g.occupations) == 0 {
		return nil, fmt.Errorf("seed: reference data has no Trentino municipalities or no occupations")
	}
	for _, m := range g.homes {
		g.homeWeights = append(g.homeWeights, float64(m.Population))
	}
	return g, nil
}

// Options returns the options in force, defaults filled in.
func (g *Generator) Options() Options { return g.opts }

func (g *Generator) rng(stream, i uint64) *rand.Rand {
	return rand.New(rand.NewPCG(g.opts.Seed, stream<<40|i))
}

// Random streams, so that the parts of the data do not depend on each other.
const (
	streamCandidate = iota + 1
	streamEmployer
	streamVacancy
	streamStaff
)

func pickWeighted(r *rand.Rand, weights []float64) int {
	total := 0.0
	for _, w := range weights {
		total += w
	}
	x := r.Float64() * total
	for i, w := range weights {
		x -= w
		if x < 0 {
			return i
		}
	}
	return len(weights) - 1
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

func chance(r *rand.Rand, p float64) bool { return r.Float64() < p }

func (g *Generator) day(offsetDays int) time.Time {
	return g.opts.AsOf.AddDate(0, 0, offsetDays)
}

// asciiFold removes accents and keeps letters, for e-mail local parts.
func asciiFold(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, _ := transform.String(t, s)
	var b strings.Builder
	for _, r := range strings.ToLower(out) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// syntheticVATNumber returns an 11-digit partita IVA with a valid check
// digit and the office code 000, which marks it as not a real one.
func syntheticVATNumber(n int) string {
	base := fmt.Sprintf("%07d000", n%10000000)
	for d := 0; d <= 9; d++ {
		s := base + string(rune('0'+d))
		if matching.ValidVATNumber(s) {
			return s
		}
	}
	panic("unreachable: one check digit always fits")
}

// sortedSectors returns the sector codes in a fixed order.
func sortedSectors() []string {
	out := make([]string, 0, len(sectorShare))
	for s := range sectorShare {
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}
