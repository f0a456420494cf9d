package reference

import (
	"cmp"
	"slices"
	"strings"
	"sync"
)

// Occupation is an occupation of the project's own catalogue.
type Occupation struct {
	Code     string   // stable code of ours, e.g. "occ-cameriere-sala"
	ISCO     string   // ISCO-08 unit group (4 digits), e.g. "5131"
	Title    string   // main Italian title, e.g. "Cameriere di sala"
	Sector   string   // sector code, see Sectors (e.g. "turismo")
	Synonyms []string // gendered forms and alternative titles
	Skills   []string // skill codes (see Skills), most typical first
}

// Skill is a skill of the project's own catalogue.
type Skill struct {
	Code    string   // stable code of ours, e.g. "sk-haccp"
	Label   string   // Italian label, e.g. "Norme HACCP e igiene alimentare"
	Related []string // codes of related skills (symmetric), for partial credit
}

// occupationName is one folded name (title or synonym) of an occupation, also
// padded with spaces for whole-word containment tests.
type occupationName struct {
	folded, stemmed       string
	padFolded, padStemmed string
}

// pad surrounds s with spaces so that strings.Contains works on whole words.
func pad(s string) string { return " " + s + " " }

// catalogueData is the occupation and skill catalogue with its indexes.
type catalogueData struct {
	occupations []Occupation
	names       [][]occupationName // per occupation: title first, then synonyms
	byCode      map[string]int
	byISCO      map[string][]int
	skills      []Skill
	skillByCode map[string]int
}

var (
	catalogueOnce sync.Once
	catalogue     *catalogueData
)

// loadCatalogue builds the catalogue indexes once and makes skill relations
// symmetric.
func loadCatalogue() *catalogueData {
	catalogueOnce.Do(func() {
		d := &catalogueData{
			occupations: make([]Occupation, len(occupationList)),
			names:       make([][]occupationName, len(occupationList)),
			byCode:      make(map[string]int, len(occupationList)),
			byISCO:      make(map[string][]int),
			skills:      make([]Skill, len(skillList)),
			skillByCode: make(map[string]int, len(skillList)),
		}
		for i, o := range occupationList {
			d.occupations[i] = cloneOccupation(o)
			d.byCode[o.Code] = i
			d.byISCO[o.ISCO] = append(d.byISCO[o.ISCO], i)
			for _, n := range append([]string{o.Title}, o.Synonyms...) {
				f := fold(n)
				st := stem(f)
				d.names[i] = append(d.names[i], occupationName{f, st, pad(f), pad(st)})
			}
		}
		for i, sk := range skillList {
			d.skills[i] = Skill{Code: sk.Code, Label: sk.Label, Related: slices.Clone(sk.Related)}
			d.skillByCode[sk.Code] = i
		}
		for i := range d.skills {
			for _, r := range d.skills[i].Related {
				if j, ok := d.skillByCode[r]; ok && j != i && !slices.Contains(d.skills[j].Related, d.skills[i].Code) {
					d.skills[j].Related = append(d.skills[j].Related, d.skills[i].Code)
				}
			}
		}
		catalogue = d
	})
	return catalogue
}

// cloneOccupation returns a copy of o that shares no slices with the package data.
func cloneOccupation(o Occupation) Occupation {
	o.Synonyms = slices.Clone(o.Synonyms)
	o.Skills = slices.Clone(o.Skills)
	return o
}

// cloneSkill returns a copy of sk that shares no slices with the package data.
func cloneSkill(sk Skill) Skill {
	sk.Related = slices.Clone(sk.Related)
	return sk
}

// Occupations returns the whole occupation catalogue, grouped by sector.
func Occupations() []Occupation {
	d := loadCatalogue()
	out := make([]Occupation, len(d.occupations))
	for i, o := range d.occupations {
		out[i] = cloneOccupation(o)
	}
	return out
}

// OccupationByCode returns the occupation with the given code, e.g. "occ-cuoco".
func OccupationByCode(code string) (Occupation, bool) {
	d := loadCatalogue()
	i, ok := d.byCode[strings.TrimSpace(code)]
	if !ok {
		return Occupation{}, false
	}
	return cloneOccupation(d.occupations[i]), true
}

// OccupationsByISCO returns the occupations whose ISCO-08 unit group is isco
// (four digits) or, for a shorter code, starts with it ("51" → all of
// sub-major group 51); nil if none.
func OccupationsByISCO(isco string) []Occupation {
	d := loadCatalogue()
	isco = strings.TrimSpace(isco)
	if isco == "" {
		return nil
	}
	var out []Occupation
	if len(isco) >= 4 {
		for _, i := range d.byISCO[isco] {
			out = append(out, cloneOccupation(d.occupations[i]))
		}
		return out
	}
	for _, o := range d.occupations {
		if strings.HasPrefix(o.ISCO, isco) {
			out = append(out, cloneOccupation(o))
		}
	}
	return out
}

// Match quality tiers of FindOccupations, from weakest to strongest.
const (
	matchStemmed = iota + 1 // same as below, after dropping final vowels (gender/number)
	matchInName             // the text is a whole-word part of a name: "saldatore" in "saldatore tig"
	matchInText             // a name is a whole-word part of the text: "cameriere di sala" in "cercasi cameriere di sala"
	matchExact              // the text is a name
)

// FindOccupations returns the occupations whose title or synonyms match text,
// ignoring case, accents and punctuation, on whole words. Best matches come
// first: the text equal to a name; then a name contained in the text (longer
// names first, so "cameriera ai piani" beats "cameriera"); then the text
// contained in a name; then the same after folding Italian gender and number
// endings ("camerieri" finds "cameriere"). Nil if nothing matches.
func FindOccupations(text string) []Occupation {
	q := fold(text)
	if q == "" {
		return nil
	}
	qs := stem(q)
	pq, pqs := pad(q), pad(qs)
	d := loadCatalogue()
	type hit struct {
		idx, tier, length int
	}
	var hits []hit
	for i, names := range d.names {
		best := hit{idx: i}
		for _, n := range names {
			h := hit{idx: i}
			switch {
			case n.folded == q:
				h.tier, h.length = matchExact, len(n.folded)
			case strings.Contains(pq, n.padFolded):
				h.tier, h.length = matchInText, len(n.folded)
			case strings.Contains(n.padFolded, pq):
				h.tier, h.length = matchInName, -len(n.folded)
			case strings.Contains(pqs, n.padStemmed):
				h.tier, h.length = matchStemmed, len(n.stemmed)
			case strings.Contains(n.padStemmed, pqs):
				h.tier, h.length = matchStemmed, -len(n.stemmed)
			default:
				continue
			}
			if h.tier > best.tier || (h.tier == best.tier && h.length > best.length) {
				best = h
			}
		}
		if best.tier > 0 {
			hits = append(hits, best)
		}
	}
	slices.SortStableFunc(hits, func(a, b hit) int {
		if c := cmp.Compare(b.tier, a.tier); c != 0 {
			return c
		}
		return cmp.Compare(b.length, a.length)
	})
	if len(hits) == 0 {
		return nil
	}
	out := make([]Occupation, len(hits))
	for i, h := range hits {
		out[i] = cloneOccupation(d.occupations[h.idx])
	}
	return out
}

// Skills returns the whole skill catalogue.
func Skills() []Skill {
	d := loadCatalogue()
	out := make([]Skill, len(d.skills))
	for i, sk := range d.skills {
		out[i] = cloneSkill(sk)
	}
	return out
}

// SkillByCode returns the skill with the given code, e.g. "sk-haccp".
func SkillByCode(code string) (Skill, bool) {
	d := loadCatalogue()
	i, ok := d.skillByCode[strings.TrimSpace(code)]
	if !ok {
		return Skill{}, false
	}
	return cloneSkill(d.skills[i]), true
}

// occupationRelations pairs occupations of the catalogue that are close in
// practice though ISCO files them apart (a chef and a cook, a forklift
// driver and a warehouse worker), so that experience in one earns partial
// credit for the other. The relation is symmetric.
var occupationRelations = [][2]string{
	{"occ-chef", "occ-cuoco"}, {"occ-aiuto-cuoco", "occ-cuoco"}, {"occ-pizzaiolo", "occ-cuoco"},
	{"occ-maitre", "occ-cameriere-sala"}, {"occ-barista", "occ-cameriere-sala"},
	{"occ-governante", "occ-cameriere-piani"}, {"occ-addetto-mensa", "occ-aiuto-cuoco"},
	{"occ-receptionist", "occ-receptionist-aziendale"},
	{"occ-muratore", "occ-operaio-edile"}, {"occ-manovale", "occ-operaio-edile"}, {"occ-piastrellista", "occ-muratore"},
	{"occ-cartongessista", "occ-imbianchino"}, {"occ-capocantiere", "occ-geometra"}, {"occ-escavatorista", "occ-gruista"},
	{"occ-manutentore", "occ-manutentore-elettrico"}, {"occ-elettricista", "occ-manutentore-elettrico"},
	{"occ-addetto-montaggio", "occ-operaio-produzione"}, {"occ-operaio-metalmeccanico", "occ-operaio-produzione"},
	{"occ-carrellista", "occ-magazziniere"}, {"occ-carrellista", "occ-addetto-logistica"},
	{"occ-addetto-confezionamento", "occ-operaio-produzione"}, {"occ-cernita-frutta", "occ-addetto-confezionamento"},
	{"occ-operaio-agricolo", "occ-frutticoltore"}, {"occ-operaio-agricolo", "occ-viticoltore"},
	{"occ-operaio-agricolo", "occ-potatore"}, {"occ-raccoglitore-frutta", "occ-cernita-frutta"},
	{"occ-giardiniere", "occ-operaio-forestale"},
	{"occ-commesso", "occ-cassiere"}, {"occ-commesso", "occ-addetto-scaffali"}, {"occ-commesso", "occ-addetto-gastronomia"},
	{"occ-addetto-gastronomia", "occ-macellaio"}, {"occ-responsabile-pdv", "occ-commesso"},
	{"occ-oss", "occ-assistente-familiare"}, {"occ-educatore", "occ-educatore-nido"}, {"occ-oss", "occ-infermiere"},
	{"occ-autista-c-ce", "occ-corriere"}, {"occ-autista-autobus", "occ-autista-c-ce"},
	{"occ-impiegato-logistica", "occ-impiegato-amministrativo"},
	{"occ-impiegato-amministrativo", "occ-contabile"}, {"occ-impiegato-amministrativo", "occ-segretaria"},
	{"occ-addetto-paghe", "occ-contabile"}, {"occ-addetto-paghe", "occ-addetto-risorse-umane"},
	{"occ-tecnico-informatico", "occ-sistemista"}, {"occ-customer-care", "occ-receptionist-aziendale"},
}

// OccupationsRelated reports whether two occupation codes are related in
// the catalogue (see occupationRelations); an occupation is not related to
// itself.
func OccupationsRelated(a, b string) bool {
	for _, p := range occupationRelations {
		if (p[0] == a && p[1] == b) || (p[0] == b && p[1] == a) {
			return true
		}
	}
	return false
}
