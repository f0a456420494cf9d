package matching

import (
	"bytes"
	_ "embed" // the evaluation set
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"incontro/reference"
)

// The evaluation set (evalset.json) is a set of vacancies, each with
// synthetic CVs graded by hand the way an experienced placement officer
// would grade them, and with a line saying why:
//
//	3  propose at once: meets the essentials and nearly all the rest
//	2  a good candidate: essentials met, a gap or an unknown to verify
//	1  marginal: a related profile, an essential only partly met, or a
//	   near miss a short course or a phone call could fix
//	0  unsuitable: the wrong profile, or an essential clearly missed
//
// Each candidate may also be labelled as missing an essential requirement,
// from what the CV says. Grades and reasons were written before any scoring
// was run. Evaluate ranks every vacancy's candidates with the default
// scoring parameters, every candidate with the same text relevance (the set
// measures the structured scoring, not the index), and measures the order
// an operator sees: the main list, then the near misses.

//go:embed evalset.json
var evalSetJSON []byte

// EvalReport is the quality of scoring measured on the evaluation set.
type EvalReport struct {
	AsOf       time.Time `json:"as_of"`
	Vacancies  int       `json:"vacancies"`
	Candidates int       `json:"candidates"`
	// NDCG10 is the mean over vacancies of nDCG@10: gain 2^grade−1,
	// discount log2(position+1), divided by the same for the best order
	// of the grades.
	NDCG10 float64 `json:"ndcg10"`
	// RandomNDCG10 is the mean nDCG@10 expected of the same candidates in
	// a random order: the floor that NDCG10 is to be read against.
	RandomNDCG10 float64 `json:"random_ndcg10"`
	// EssentialMissTop10 is the share of the first ten candidates an
	// operator sees (the main list, then the near misses) that scoring
	// flags as missing an essential requirement. The main list holds none
	// by construction: they appear only where the main list is shorter
	// than ten.
	EssentialMissTop10 float64 `json:"essential_miss_top10"`
	// LabelledMissTop10 is the share of the main list's first ten that the
	// labels say miss an essential: misses scoring did not see.
	LabelledMissTop10 float64 `json:"labelled_miss_top10"`
	// UnsuitableTop10 is the share of the first ten an operator sees that
	// are graded 0.
	UnsuitableTop10 float64       `json:"unsuitable_top10"`
	PerVacancy      []EvalVacancy `json:"per_vacancy"`
}

// EvalVacancy is the measure of one vacancy of the evaluation set.
type EvalVacancy struct {
	Title              string       `json:"title"`
	Sector             string       `json:"sector"`
	Candidates         int          `json:"candidates"`
	Main               int          `json:"main"`
	NearMisses         int          `json:"near_misses"`
	NDCG10             float64      `json:"ndcg10"`
	RandomNDCG10       float64      `json:"random_ndcg10"`
	EssentialMissTop10 float64      `json:"essential_miss_top10"`
	LabelledMissTop10  float64      `json:"labelled_miss_top10"`
	UnsuitableTop10    float64      `json:"unsuitable_top10"`
	Order              []EvalRanked `json:"order"` // as the operator sees them
}

// EvalRanked is a candidate of the evaluation set where scoring placed it.
type EvalRanked struct {
	Key      string  `json:"key"`
	Grade    int     `json:"grade"`
	Why      string  `json:"why"`
	Score    float64 `json:"score"`
	NearMiss bool    `json:"near_miss"`
	// LabelledMiss is the label: the CV misses an essential requirement.
	LabelledMiss bool `json:"labelled_miss"`
}

// Evaluate scores the evaluation set as of asOf and measures the rankings.
// The set's dates are written relative to its own as_of; they are all
// moved by the whole days from it to asOf, so the figures do not depend on
// the day they are computed. A zero asOf keeps the set's own.
func Evaluate(asOf time.Time) (EvalReport, error) {
	set, err := loadEvalSet()
	if err != nil {
		return EvalReport{}, err
	}
	shift := 0
	if !asOf.IsZero() {
		shift = int(math.Round(day(asOf.UTC()).Sub(set.asOf).Hours() / 24))
	}
	asOf = set.asOf.AddDate(0, 0, shift)
	rep := EvalReport{AsOf: asOf, Vacancies: len(set.Vacancies)}
	var all top10
	for vi, ev := range set.Vacancies {
		vac, pool, err := ev.build(vi, shift)
		if err != nil {
			return EvalReport{}, err
		}
		s, err := NewScorer(vac, DefaultScoreParams(asOf))
		if err != nil {
			return EvalReport{}, err
		}
		in := make([]Recalled, len(pool))
		for i, c := range pool {
			in[i] = Recalled{Candidate: c, Relevance: 1}
		}
		rk := s.Rank(in)
		out := EvalVacancy{Title: ev.Title, Sector: ev.Sector, Candidates: len(pool), Main: len(rk.Main), NearMisses: len(rk.NearMisses)}
		grades := make([]int, 0, len(pool))
		var t top10
		for i, r := range slices.Concat(rk.Main, rk.NearMisses) {
			ec := ev.Candidates[r.CandidateID-1]
			er := EvalRanked{Key: ec.Key, Grade: ec.Grade, Why: ec.Why, Score: r.Score, NearMiss: r.Explanation.NearMiss(), LabelledMiss: ec.MissesEssential}
			out.Order = append(out.Order, er)
			grades = append(grades, ec.Grade)
			if i < 10 {
				t.count(er)
			}
		}
		out.NDCG10, out.RandomNDCG10 = ndcg(grades, 10), randomNDCG(grades, 10)
		out.EssentialMissTop10, out.LabelledMissTop10, out.UnsuitableTop10 = t.shares()
		rep.PerVacancy = append(rep.PerVacancy, out)
		rep.Candidates += len(pool)
		rep.NDCG10 += out.NDCG10 / float64(len(set.Vacancies))
		rep.RandomNDCG10 += out.RandomNDCG10 / float64(len(set.Vacancies))
		all.add(t)
	}
	rep.NDCG10, rep.RandomNDCG10 = round(rep.NDCG10, 4), round(rep.RandomNDCG10, 4)
	rep.EssentialMissTop10, rep.LabelledMissTop10, rep.UnsuitableTop10 = all.shares()
	return rep, nil
}

// top10 counts the first ten candidates shown.
type top10 struct {
	shown, flagged, unsuitable int // all shown: flagged near misses, graded 0
	main, labelled             int // shown in the main list: labelled as missing an essential
}

func (t *top10) count(r EvalRanked) {
	t.shown++
	if r.NearMiss {
		t.flagged++
	} else {
		t.main++
		if r.LabelledMiss {
			t.labelled++
		}
	}
	if r.Grade == 0 {
		t.unsuitable++
	}
}

func (t *top10) add(u top10) {
	t.shown, t.flagged, t.unsuitable = t.shown+u.shown, t.flagged+u.flagged, t.unsuitable+u.unsuitable
	t.main, t.labelled = t.main+u.main, t.labelled+u.labelled
}

// shares returns the shares flagged, labelled and unsuitable.
func (t top10) shares() (flagged, labelled, unsuitable float64) {
	return share(t.flagged, t.shown), share(t.labelled, t.main), share(t.unsuitable, t.shown)
}

func share(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return round(float64(n)/float64(of), 4)
}

// ndcg is the normalised discounted cumulative gain of the first k grades,
// in the order given, against the same grades in the best order.
func ndcg(grades []int, k int) float64 {
	if best := idealDCG(grades, k); best > 0 {
		return round(dcg(grades, k)/best, 4)
	}
	return 1 // nothing relevant: every order is the best
}

// randomNDCG is the nDCG of the first k grades expected of a random order:
// every position holds the mean gain.
func randomNDCG(grades []int, k int) float64 {
	best := idealDCG(grades, k)
	if best == 0 {
		return 1
	}
	var mean, discount float64
	for _, g := range grades {
		mean += gain(g) / float64(len(grades))
	}
	for i := range min(k, len(grades)) {
		discount += 1 / math.Log2(float64(i)+2)
	}
	return round(mean*discount/best, 4)
}

func gain(grade int) float64 { return math.Exp2(float64(grade)) - 1 }

func dcg(grades []int, k int) float64 {
	var s float64
	for i, g := range grades[:min(k, len(grades))] {
		s += gain(g) / math.Log2(float64(i)+2)
	}
	return s
}

func idealDCG(grades []int, k int) float64 {
	ideal := slices.Clone(grades)
	slices.SortFunc(ideal, func(a, b int) int { return b - a })
	return dcg(ideal, k)
}

// String is the report as a table.
func (r EvalReport) String() string {
	var b bytes.Buffer
	fmt.Fprintf(&b, "Evaluation set: %d vacancies, %d candidates, as of %s\n", r.Vacancies, r.Candidates, r.AsOf.Format(time.DateOnly))
	w := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintf(w, "  nDCG@10, mean over vacancies\t%.3f\t(a random order: %.3f)\n", r.NDCG10, r.RandomNDCG10)
	fmt.Fprintf(w, "  first 10 shown missing an essential\t%.1f%%\t(main list, then near misses, as scoring flags them)\n", 100*r.EssentialMissTop10)
	fmt.Fprintf(w, "  main list's first 10 missing one\t%.1f%%\t(by the labels)\n", 100*r.LabelledMissTop10)
	fmt.Fprintf(w, "  first 10 shown graded unsuitable\t%.1f%%\n", 100*r.UnsuitableTop10)
	w.Flush()
	b.WriteString("\n")
	w = tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "vacancy\tsector\tcandidates\tmain\tnear\tnDCG@10\trandom\tmiss@10\tlabelled@10\tgrade 0@10")
	for _, v := range r.PerVacancy {
		fmt.Fprintf(w, "%s\t%s\t%d\t%d\t%d\t%.3f\t%.3f\t%.0f%%\t%.0f%%\t%.0f%%\n", v.Title, v.Sector, v.Candidates, v.Main, v.NearMisses,
			v.NDCG10, v.RandomNDCG10, 100*v.EssentialMissTop10, 100*v.LabelledMissTop10, 100*v.UnsuitableTop10)
	}
	w.Flush()
	return b.String()
}

// OrderString is the order of a vacancy's candidates as key:grade, a bar
// between the main list and the near misses.
func (v EvalVacancy) OrderString() string {
	parts := make([]string, 0, len(v.Order)+1)
	for i, c := range v.Order {
		if i == v.Main {
			parts = append(parts, "|")
		}
		parts = append(parts, fmt.Sprintf("%s:%d", c.Key, c.Grade))
	}
	return strings.Join(parts, " ")
}

// The evaluation set as written in evalset.json.
type (
	evalSet struct {
		AsOf      string        `json:"as_of"`
		About     []string      `json:"about"` // for readers of the file
		Vacancies []evalVacancy `json:"vacancies"`
		asOf      time.Time
	}
	evalVacancy struct {
		Title        string            `json:"title"`
		Sector       string            `json:"sector"`
		Municipality string            `json:"municipality"`
		Requirements []evalRequirement `json:"requirements"`
		Candidates   []evalCandidate   `json:"candidates"`
	}
	evalRequirement struct {
		Rank      int      `json:"rank"`
		Essential bool     `json:"essential"`
		Kind      string   `json:"kind"`
		Code      string   `json:"code"`
		Label     string   `json:"label"`
		Level     string   `json:"level"`
		MinYears  *float64 `json:"min_years"`
		Field     string   `json:"field"`
		MaxKm     *int     `json:"max_km"`
		FromDate  string   `json:"from_date"`
		Values    []string `json:"values"`
	}
	evalCandidate struct {
		Key             string `json:"key"`
		Grade           int    `json:"grade"`
		Why             string `json:"why"`
		MissesEssential bool   `json:"misses_essential"`
		CV              evalCV `json:"cv"`
	}
	evalCV struct {
		Home           string            `json:"home"` // ISTAT code
		MobilityKm     int               `json:"mobility_km"`
		Jobs           []evalJob         `json:"jobs"`
		Desired        []string          `json:"desired"`
		Skills         []CandidateSkill  `json:"skills"`
		Education      []evalEducation   `json:"education"`
		Languages      map[string]string `json:"languages"`
		Licences       []string          `json:"licences"`
		Certifications []evalCertificate `json:"certifications"`
		AvailableFrom  string            `json:"available_from"`
		WorkingTime    []string          `json:"working_time"`
		Contracts      []string          `json:"contracts"`
		Updated        string            `json:"updated"`
	}
	evalJob struct {
		Title string `json:"title"`
		Code  string `json:"code"`
		ISCO  string `json:"isco"`
		From  string `json:"from"`
		To    string `json:"to"` // empty: ongoing
	}
	evalEducation struct {
		EQF   int    `json:"eqf"`
		Title string `json:"title"`
		Field string `json:"field"`
	}
	evalCertificate struct {
		Code    string `json:"code"`
		Name    string `json:"name"`
		Expires string `json:"expires"`
	}
)

func loadEvalSet() (*evalSet, error) {
	var set evalSet
	dec := json.NewDecoder(bytes.NewReader(evalSetJSON))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&set); err != nil {
		return nil, &Error{Code: EINTERNAL, Message: "the evaluation set does not parse", Err: err}
	}
	var err error
	if set.asOf, err = time.Parse(time.DateOnly, set.AsOf); err != nil {
		return nil, evalSetError("as_of", "is not a date: %v", err)
	}
	if len(set.Vacancies) == 0 {
		return nil, evalSetError("vacancies", "is empty")
	}
	return &set, nil
}

func evalSetError(field, format string, args ...any) *Error {
	e := FieldErrorf("evalset."+field, format, args...)
	e.Code = EINTERNAL // the set is part of the program
	return e
}

// evalDate parses "2006-01-02" or "2006-01" (the first of the month) and
// moves it by shift days.
func evalDate(s string, shift int, field string) (time.Time, error) {
	for _, layout := range []string{time.DateOnly, "2006-01"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.AddDate(0, 0, shift), nil
		}
	}
	return time.Time{}, evalSetError(field, "%q is not a date (2006-01-02 or 2006-01)", s)
}

// build turns a vacancy of the set into the domain's vacancy and its
// candidates, checking every value on the way; candidate ids are their
// positions from 1.
func (ev evalVacancy) build(vi int, shift int) (*Vacancy, []*Candidate, error) {
	at := fmt.Sprintf("vacancies[%d].", vi)
	m, ok := reference.MunicipalityByCode(ev.Municipality)
	if !ok {
		return nil, nil, evalSetError(at+"municipality", "%q is not a municipality", ev.Municipality)
	}
	vac := &Vacancy{ID: int64(vi + 1), Title: ev.Title, MunicipalityCode: m.Code, Lat: m.Lat, Lon: m.Lon}
	for i, er := range ev.Requirements {
		r := Requirement{ID: int64(i + 1), Rank: er.Rank, Essential: er.Essential, Kind: RequirementKind(er.Kind), Code: er.Code,
			Label: er.Label, Level: er.Level, MinYears: er.MinYears, Field: er.Field, MaxKm: er.MaxKm, Values: er.Values}
		f := fmt.Sprintf("%srequirements[%d].", at, i)
		if er.FromDate != "" {
			d, err := evalDate(er.FromDate, shift, f+"from_date")
			if err != nil {
				return nil, nil, err
			}
			r.FromDate = &d
		}
		if err := r.Validate(f); err != nil {
			return nil, nil, evalSetError(ErrorField(err), "%s", ErrorMessage(err))
		}
		if (r.Kind == ReqOccupation || r.Kind == ReqSkill) && r.Code != "" && !knownCode(r.Kind, r.Code) {
			return nil, nil, evalSetError(f+"code", "%q is not in the catalogue", r.Code)
		}
		vac.Requirements = append(vac.Requirements, r)
	}
	if err := evalRanks(vac.Requirements, at); err != nil {
		return nil, nil, err
	}
	if len(ev.Candidates) < 8 {
		return nil, nil, evalSetError(at+"candidates", "has %d candidates, want at least 8", len(ev.Candidates))
	}
	keys := map[string]bool{}
	pool := make([]*Candidate, len(ev.Candidates))
	relevant := false
	for i, ec := range ev.Candidates {
		f := fmt.Sprintf("%scandidates[%d].", at, i)
		switch {
		case ec.Key == "" || keys[ec.Key]:
			return nil, nil, evalSetError(f+"key", "%q is empty or repeated", ec.Key)
		case ec.Grade < 0 || ec.Grade > 3:
			return nil, nil, evalSetError(f+"grade", "must be 0 to 3")
		case strings.TrimSpace(ec.Why) == "":
			return nil, nil, evalSetError(f+"why", "is required: a grade must be defensible")
		}
		keys[ec.Key] = true
		relevant = relevant || ec.Grade > 0
		c, err := ec.CV.build(int64(i+1), shift, f+"cv.")
		if err != nil {
			return nil, nil, err
		}
		pool[i] = c
	}
	if !relevant {
		return nil, nil, evalSetError(at+"candidates", "has no candidate graded above 0")
	}
	return vac, pool, nil
}

// evalRanks checks that the ranks run from 1 to n.
func evalRanks(reqs []Requirement, at string) error {
	seen := map[int]bool{}
	for i, r := range reqs {
		if r.Rank > len(reqs) || seen[r.Rank] {
			return evalSetError(fmt.Sprintf("%srequirements[%d].rank", at, i), "ranks must run from 1 to %d without repeats", len(reqs))
		}
		seen[r.Rank] = true
	}
	return nil
}

func knownCode(kind RequirementKind, code string) bool {
	if kind == ReqOccupation {
		_, ok := reference.OccupationByCode(code)
		return ok
	}
	_, ok := reference.SkillByCode(code)
	return ok
}

func (cv evalCV) build(id int64, shift int, at string) (*Candidate, error) {
	m, ok := reference.MunicipalityByCode(cv.Home)
	if !ok {
		return nil, evalSetError(at+"home", "%q is not a municipality", cv.Home)
	}
	c := &Candidate{ID: id, HomeMunicipality: m.Code, HomeLat: m.Lat, HomeLon: m.Lon, MobilityKm: cv.MobilityKm,
		Licences: cv.Licences, WorkingTime: cv.WorkingTime, ContractPreferences: cv.Contracts}
	date := func(s, field string) (*time.Time, error) {
		if s == "" {
			return nil, nil
		}
		d, err := evalDate(s, shift, at+field)
		return &d, err
	}
	var err error
	if c.AvailableFrom, err = date(cv.AvailableFrom, "available_from"); err != nil {
		return nil, err
	}
	updated, err := date(cv.Updated, "updated")
	if err != nil {
		return nil, err
	}
	if updated != nil {
		c.UpdatedAt = *updated
	}
	for i, j := range cv.Jobs {
		f := fmt.Sprintf("jobs[%d].", i)
		e := Experience{ID: int64(i + 1), Title: j.Title, OccupationCode: j.Code, ISCOCode: j.ISCO}
		from, err := date(j.From, f+"from")
		if err != nil || from == nil {
			return nil, evalSetError(at+f+"from", "a job needs its start")
		}
		e.StartDate = *from
		if e.EndDate, err = date(j.To, f+"to"); err != nil {
			return nil, err
		}
		if j.Code != "" && !knownCode(ReqOccupation, j.Code) {
			return nil, evalSetError(at+f+"code", "%q is not in the catalogue", j.Code)
		}
		c.Experiences = append(c.Experiences, e)
	}
	for _, d := range cv.Desired {
		c.DesiredOccupations = append(c.DesiredOccupations, DesiredOccupation{Title: d})
	}
	for i, s := range cv.Skills {
		k := s
		if s.Code != "" {
			ref, ok := reference.SkillByCode(s.Code)
			if !ok {
				return nil, evalSetError(fmt.Sprintf("%sskills[%d].code", at, i), "%q is not in the catalogue", s.Code)
			}
			if k.Label == "" {
				k.Label = ref.Label
			}
		}
		if k.Level == "" {
			k.Level = "unspecified"
		}
		c.Skills = append(c.Skills, k)
	}
	for i, e := range cv.Education {
		c.Education = append(c.Education, Education{ID: int64(i + 1), EQFLevel: e.EQF, Title: e.Title, Field: e.Field})
	}
	langs := make([]string, 0, len(cv.Languages))
	for l := range cv.Languages {
		langs = append(langs, l)
	}
	slices.Sort(langs)
	for _, l := range langs {
		c.Languages = append(c.Languages, LanguageLevel{Language: l, Level: cv.Languages[l]})
	}
	for i, cert := range cv.Certifications {
		ct := Certification{ID: int64(i + 1), Code: cert.Code, Name: cert.Name}
		if ct.ExpiresOn, err = date(cert.Expires, fmt.Sprintf("certifications[%d].expires", i)); err != nil {
			return nil, err
		}
		c.Certifications = append(c.Certifications, ct)
	}
	// The same checks as a CV entered through the service.
	c.GivenName, c.FamilyName, c.Email, c.Presentation = "Eval", "Set", "eval@example.org", PresentNamed
	if err := c.Validate(); err != nil {
		return nil, evalSetError(at+ErrorField(err), "%s", ErrorMessage(err))
	}
	return c, nil
}
