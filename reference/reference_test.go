package reference

import (
	"math"
	"regexp"
	"slices"
	"strings"
	"testing"
)

func TestFold(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Roverè della Luna", "rovere della luna"},
		{"Sant'Orsola Terme", "sant orsola terme"},
		{"  Baselga di PINÈ ", "baselga di pine"},
		{"Duino Aurisina-Devin Nabrežina", "duino aurisina devin nabrezina"},
		{"Eppan an der Weinstraße", "eppan an der weinstrasse"},
		{"Operatore socio-sanitario (OSS)", "operatore socio sanitario oss"},
		{"e\u0301", "e"}, // decomposed accent
		{"--", ""},
	}
	for _, tt := range tests {
		if got := fold(tt.in); got != tt.want {
			t.Errorf("fold(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestStem(t *testing.T) {
	tests := []struct{ in, want string }{
		{"camerieri di sala", "camerier di sal"},
		{"cameriera", "camerier"},
		{"cuochi", "cuoc"},
		{"cuoco", "cuoc"},
		{"oss", "oss"},
		{"bar", "bar"},
	}
	for _, tt := range tests {
		if got := stem(tt.in); got != tt.want {
			t.Errorf("stem(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestMunicipalityByCode(t *testing.T) {
	tests := []struct {
		code, name, prov string
		lat, lon         float64
	}{
		{"022205", "Trento", "TN", 46.07, 11.12},
		{"022161", "Rovereto", "TN", 45.87, 11.04},
		{"015146", "Milano", "MI", 45.46, 9.19},
		{"058091", "Roma", "RM", 41.89, 12.48},
		{"021008", "Bolzano/Bozen", "BZ", 46.49, 11.33},
	}
	for _, tt := range tests {
		m, ok := MunicipalityByCode(tt.code)
		if !ok {
			t.Errorf("MunicipalityByCode(%q): not found", tt.code)
			continue
		}
		if m.Name != tt.name || m.ProvinceCode != tt.prov {
			t.Errorf("MunicipalityByCode(%q) = %q (%s), want %q (%s)", tt.code, m.Name, m.ProvinceCode, tt.name, tt.prov)
		}
		// Centroids of large municipalities can sit a few km from the town centre.
		if math.Abs(m.Lat-tt.lat) > 0.1 || math.Abs(m.Lon-tt.lon) > 0.1 {
			t.Errorf("%s at %.4f,%.4f, want near %.2f,%.2f", tt.name, m.Lat, m.Lon, tt.lat, tt.lon)
		}
	}
	trento, _ := MunicipalityByCode("022205")
	if math.Abs(trento.Lat-46.07) > 0.02 || math.Abs(trento.Lon-11.12) > 0.02 {
		t.Errorf("Trento at %.4f,%.4f, want within 0.02° of 46.07,11.12", trento.Lat, trento.Lon)
	}
	if trento.ProvinceName != "Trento" || !strings.HasPrefix(trento.Region, "Trentino-Alto Adige") {
		t.Errorf("Trento province/region = %q/%q", trento.ProvinceName, trento.Region)
	}
	if _, ok := MunicipalityByCode("999999"); ok {
		t.Error("MunicipalityByCode(999999) found")
	}
}

func TestMunicipalitiesList(t *testing.T) {
	all := Municipalities()
	if len(all) != 7899 {
		t.Fatalf("len(Municipalities()) = %d, want 7899", len(all))
	}
	code := regexp.MustCompile(`^\d{6}$`)
	seen := make(map[string]bool, len(all))
	for _, m := range all {
		if !code.MatchString(m.Code) || seen[m.Code] {
			t.Errorf("bad or duplicate code %q", m.Code)
		}
		seen[m.Code] = true
		if m.Name == "" || m.ProvinceCode == "" || m.ProvinceName == "" || m.Region == "" {
			t.Errorf("%s: empty field in %+v", m.Code, m)
		}
		if m.Lat < 35 || m.Lat > 47.2 || m.Lon < 6.5 || m.Lon > 18.6 {
			t.Errorf("%s %s: centroid %.4f,%.4f outside Italy", m.Code, m.Name, m.Lat, m.Lon)
		}
		if strings.ContainsFunc(m.Name, func(r rune) bool { return r < 0x20 || (r >= 0x7f && r <= 0x9f) }) {
			t.Errorf("%s: control character in name %q", m.Code, m.Name)
		}
		if m.ProvinceCode != ProvinceTrento && m.Population != 0 {
			t.Errorf("%s %s: population %d outside Trentino", m.Code, m.Name, m.Population)
		}
	}
}

func TestMunicipalitiesInProvince(t *testing.T) {
	tests := []struct {
		acr  string
		want int
	}{
		{"TN", 166},
		{"tn", 166},
		{"BZ", 116},
		{"XX", 0},
	}
	for _, tt := range tests {
		got := MunicipalitiesInProvince(tt.acr)
		if len(got) != tt.want {
			t.Errorf("MunicipalitiesInProvince(%q) has %d, want %d", tt.acr, len(got), tt.want)
		}
		for _, m := range got {
			if m.ProvinceCode != strings.ToUpper(tt.acr) {
				t.Errorf("MunicipalitiesInProvince(%q) returned %s of %s", tt.acr, m.Name, m.ProvinceCode)
			}
		}
	}
}

func TestTrentinoPopulation(t *testing.T) {
	tn := MunicipalitiesInProvince("TN")
	total := 0
	for _, m := range tn {
		if m.Population <= 0 {
			t.Errorf("%s %s: population %d, want > 0", m.Code, m.Name, m.Population)
		}
		total += m.Population
	}
	// Trentino has about 545,000 residents; the weights must be in that range.
	if total < 450000 || total > 650000 {
		t.Errorf("total TN population weight %d, want about 545,000", total)
	}
	seen := make(map[string]bool)
	for _, e := range trentinoLargest {
		if seen[e.code] {
			t.Errorf("population table: duplicate %s", e.code)
		}
		seen[e.code] = true
		m, ok := MunicipalityByCode(e.code)
		if !ok || m.Name != e.name || m.ProvinceCode != ProvinceTrento {
			t.Errorf("population table: %s %q does not match the TN municipality %q (%s)", e.code, e.name, m.Name, m.ProvinceCode)
			continue
		}
		if m.Population != e.pop || e.pop <= defaultTrentinoPopulation {
			t.Errorf("%s: population %d, table %d (default %d)", e.name, m.Population, e.pop, defaultTrentinoPopulation)
		}
	}
	if len(trentinoLargest) < 40 {
		t.Errorf("population table has %d entries, want about 40 or more", len(trentinoLargest))
	}
	trento, _ := MunicipalityByCode("022205")
	rovereto, _ := MunicipalityByCode("022161")
	if trento.Population < 100000 || rovereto.Population < 30000 || trento.Population < rovereto.Population {
		t.Errorf("Trento %d, Rovereto %d: implausible", trento.Population, rovereto.Population)
	}
}

func TestSearchMunicipalities(t *testing.T) {
	tests := []struct {
		prefix string
		limit  int
		first  string // expected first name; "" means no result
		maxLen int
	}{
		{"rove", 5, "Rovereto", 5},
		{"ROVE", 5, "Rovereto", 5},
		{"Trento", 3, "Trento", 3},
		{"ala", 10, "Ala", 10},
		{"rovere", 1, "Rovereto", 1},
		{"roverè d", 5, "Roverè della Luna", 5},
		{"sant'or", 5, "Sant'Orsola Terme", 5},
		{"sant orsola", 5, "Sant'Orsola Terme", 5},
		{"pergine", 0, "Pergine Valsugana", 1},
		{"bozen", 5, "Bolzano/Bozen", 5},
		{"torbole", 5, "Nago-Torbole", 5},
		{"milano", 5, "Milano", 5},
		{"", 5, "", 0},
		{"zzzz", 5, "", 0},
	}
	for _, tt := range tests {
		got := SearchMunicipalities(tt.prefix, tt.limit)
		if tt.first == "" {
			if len(got) != 0 {
				t.Errorf("SearchMunicipalities(%q) = %d results, want none", tt.prefix, len(got))
			}
			continue
		}
		if len(got) == 0 || got[0].Name != tt.first {
			t.Errorf("SearchMunicipalities(%q, %d) first = %v, want %q", tt.prefix, tt.limit, names(got), tt.first)
		}
		if len(got) > tt.maxLen {
			t.Errorf("SearchMunicipalities(%q, %d) returned %d results", tt.prefix, tt.limit, len(got))
		}
	}
	// Trentino first: every TN result precedes every other result.
	got := SearchMunicipalities("ca", 0)
	if len(got) < 100 {
		t.Fatalf("SearchMunicipalities(ca) = %d results, want many", len(got))
	}
	outside := false
	for _, m := range got {
		if m.ProvinceCode != ProvinceTrento {
			outside = true
		} else if outside {
			t.Fatalf("TN municipality %s after non-TN ones", m.Name)
		}
	}
	if got[0].ProvinceCode != ProvinceTrento {
		t.Errorf("SearchMunicipalities(ca) first = %s, want a TN municipality", got[0].Name)
	}
}

// names returns the names of ms, for messages.
func names(ms []Municipality) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.Name
	}
	return out
}

func TestDistance(t *testing.T) {
	get := func(code string) Municipality {
		m, ok := MunicipalityByCode(code)
		if !ok {
			t.Fatalf("missing %s", code)
		}
		return m
	}
	tests := []struct {
		a, b     string
		min, max float64
	}{
		{"022205", "022161", 20, 25},   // Trento–Rovereto
		{"022205", "022205", 0, 0},     // Trento–Trento
		{"022205", "022153", 25, 35},   // Trento–Riva del Garda
		{"022205", "015146", 155, 175}, // Trento–Milano
	}
	for _, tt := range tests {
		a, b := get(tt.a), get(tt.b)
		d := DistanceKm(a, b)
		if d < tt.min || d > tt.max {
			t.Errorf("DistanceKm(%s, %s) = %.1f, want %.0f–%.0f", a.Name, b.Name, d, tt.min, tt.max)
		}
		if r := DistanceKm(b, a); math.Abs(r-d) > 1e-9 {
			t.Errorf("DistanceKm not symmetric: %.6f vs %.6f", d, r)
		}
	}
	if d := HaversineKm(0, 0, 0, 1); math.Abs(d-111.195) > 0.01 {
		t.Errorf("one degree of equator = %.3f km, want 111.195", d)
	}
	if d := HaversineKm(90, 0, -90, 0); math.Abs(d-math.Pi*earthRadiusKm) > 1e-6 {
		t.Errorf("pole to pole = %.3f km", d)
	}
}

func TestISCO(t *testing.T) {
	all := ISCOGroups()
	if len(all) != 619 {
		t.Errorf("len(ISCOGroups()) = %d, want 619", len(all))
	}
	levels := map[int]int{}
	for _, g := range all {
		levels[g.Level]++
		if g.Label == "" || g.Level != len(g.Code) {
			t.Errorf("bad group %+v", g)
		}
		if g.Level > 1 {
			if _, ok := ISCOByCode(g.Code[:g.Level-1]); !ok {
				t.Errorf("group %s has no parent", g.Code)
			}
		}
	}
	if levels[1] != 10 || levels[4] != 436 {
		t.Errorf("levels = %v, want 10 major groups and 436 unit groups", levels)
	}
	g, ok := ISCOByCode("5131")
	if !ok || g.Level != 4 || g.Label != "Camerieri" {
		t.Errorf("ISCOByCode(5131) = %+v, %v", g, ok)
	}

	tests := []struct {
		code string
		want []string
	}{
		{"5131", []string{"5", "51", "513", "5131"}},
		{"0110", []string{"0", "01", "011", "0110"}},
		{"72", []string{"7", "72"}},
		{"9", []string{"9"}},
		{" 8344 ", []string{"8", "83", "834", "8344"}},
		{"5139", nil},
		{"", nil},
	}
	for _, tt := range tests {
		if got := ISCOAncestors(tt.code); !slices.Equal(got, tt.want) {
			t.Errorf("ISCOAncestors(%q) = %v, want %v", tt.code, got, tt.want)
		}
	}
}

func TestATECOByCode(t *testing.T) {
	tests := []struct {
		in, code, level, section string
	}{
		{"56.10.11", "56.10.11", ATECOSottocategoria, "I"},
		{"561011", "56.10.11", ATECOSottocategoria, "I"},
		{" 56.10.11 ", "56.10.11", ATECOSottocategoria, "I"},
		{"56.10.1", "56.10.1", ATECOCategoria, "I"},
		{"5610", "56.10", ATECOClasse, "I"},
		{"56.1", "56.1", ATECOGruppo, "I"},
		{"56", "56", ATECODivisione, "I"},
		{"i", "I", ATECOSezione, "I"},
		{"A", "A", ATECOSezione, "A"},
		{"01.11.10", "01.11.10", ATECOSottocategoria, "A"},
		{"41.20.00", "41.20.00", ATECOSottocategoria, "F"},
		{"88.1", "88.1", ATECOGruppo, "Q"},
		{"93.21.01", "93.21.01", ATECOSottocategoria, "R"},
		{"62.01.00", "62.01.00", ATECOSottocategoria, "J"},
		{"99.00.00", "99.00.00", ATECOSottocategoria, "U"},
	}
	for _, tt := range tests {
		c, ok := ATECOByCode(tt.in)
		if !ok {
			t.Errorf("ATECOByCode(%q): not found", tt.in)
			continue
		}
		if c.Code != tt.code || c.Level != tt.level || c.Section != tt.section || c.Description == "" {
			t.Errorf("ATECOByCode(%q) = %+v, want %s %s section %s", tt.in, c, tt.code, tt.level, tt.section)
		}
	}
	for _, bad := range []string{"", "56.10.99", "00", "Z", "56..10"} {
		if c, ok := ATECOByCode(bad); ok {
			t.Errorf("ATECOByCode(%q) = %+v, want not found", bad, c)
		}
	}
}

func TestATECOStructure(t *testing.T) {
	all := ATECOCodes()
	if len(all) != 3157 {
		t.Errorf("len(ATECOCodes()) = %d, want 3157 (3,136 codes + 21 sections)", len(all))
	}
	sections := ATECOSections()
	var letters []string
	for _, s := range sections {
		letters = append(letters, s.Code)
		if s.Level != ATECOSezione || s.Section != s.Code || s.Description == "" {
			t.Errorf("bad section %+v", s)
		}
	}
	if got := strings.Join(letters, ""); got != "ABCDEFGHIJKLMNOPQRSTU" {
		t.Errorf("sections = %s, want A–U", got)
	}
	if a, _ := ATECOByCode("A"); a.Description != "AGRICOLTURA, SILVICOLTURA E PESCA" {
		t.Errorf("section A = %q", a.Description)
	}
	levelLen := map[string]int{
		ATECOSezione: 1, ATECODivisione: 2, ATECOGruppo: 4, ATECOClasse: 5, ATECOCategoria: 7, ATECOSottocategoria: 8,
	}
	divisions := 0
	for _, c := range all {
		if n, ok := levelLen[c.Level]; !ok || len(c.Code) != n {
			t.Errorf("code %q has level %q", c.Code, c.Level)
		}
		if c.Code != strings.TrimSpace(c.Code) || c.Description != strings.TrimSpace(c.Description) {
			t.Errorf("untrimmed code %q", c.Code)
		}
		if c.Level == ATECOSezione {
			continue
		}
		div, ok := ATECOByCode(c.Code[:2])
		if !ok || div.Section != c.Section {
			t.Errorf("%s: section %s, division %s in %s", c.Code, c.Section, c.Code[:2], div.Section)
		}
		if c.Level == ATECODivisione {
			divisions++
			if _, ok := ATECOByCode(c.Section); !ok || c.Section < "A" || c.Section > "U" {
				t.Errorf("division %s maps to unknown section %q", c.Code, c.Section)
			}
		}
	}
	if divisions != 88 {
		t.Errorf("%d divisions, want 88", divisions)
	}
	// Division → section boundaries of the classification.
	bounds := map[string]string{
		"01": "A", "03": "A", "05": "B", "09": "B", "10": "C", "33": "C", "35": "D", "36": "E", "39": "E",
		"41": "F", "43": "F", "45": "G", "47": "G", "49": "H", "53": "H", "55": "I", "56": "I", "58": "J",
		"63": "J", "64": "K", "66": "K", "68": "L", "69": "M", "75": "M", "77": "N", "82": "N", "84": "O",
		"85": "P", "86": "Q", "88": "Q", "90": "R", "93": "R", "94": "S", "96": "S", "97": "T", "98": "T", "99": "U",
	}
	for div, want := range bounds {
		if c, ok := ATECOByCode(div); !ok || c.Section != want {
			t.Errorf("division %s in section %q, want %s", div, c.Section, want)
		}
	}
}

func TestSectors(t *testing.T) {
	seen := map[string]bool{}
	for _, s := range Sectors() {
		if seen[s.Code] || s.Label == "" || len(s.ATECOSections) == 0 || len(s.ATECODivisions) == 0 {
			t.Errorf("bad sector %+v", s)
		}
		seen[s.Code] = true
		for _, d := range s.ATECODivisions {
			c, ok := ATECOByCode(d)
			if !ok || c.Level != ATECODivisione {
				t.Errorf("sector %s: %q is not an ATECO division", s.Code, d)
				continue
			}
			if !slices.Contains(s.ATECOSections, c.Section) {
				t.Errorf("sector %s: division %s is in section %s, not listed", s.Code, d, c.Section)
			}
		}
		if got, ok := SectorByCode(s.Code); !ok || got.Label != s.Label {
			t.Errorf("SectorByCode(%q) = %+v, %v", s.Code, got, ok)
		}
	}
	if _, ok := SectorByCode("nessuno"); ok {
		t.Error("SectorByCode(nessuno) found")
	}
}

func TestOccupationCatalogue(t *testing.T) {
	occs := Occupations()
	if len(occs) < 70 || len(occs) > 90 {
		t.Errorf("%d occupations, want 70–90", len(occs))
	}
	codeRe := regexp.MustCompile(`^occ-[a-z0-9]+(-[a-z0-9]+)*$`)
	seen := map[string]bool{}
	nameOwner := map[string]string{}
	for _, o := range occs {
		if !codeRe.MatchString(o.Code) || seen[o.Code] {
			t.Errorf("bad or duplicate occupation code %q", o.Code)
		}
		seen[o.Code] = true
		g, ok := ISCOByCode(o.ISCO)
		if !ok || g.Level != 4 {
			t.Errorf("%s: ISCO %q is not an ISCO-08 unit group", o.Code, o.ISCO)
		}
		if _, ok := SectorByCode(o.Sector); !ok {
			t.Errorf("%s: unknown sector %q", o.Code, o.Sector)
		}
		if o.Title == "" || len(o.Synonyms) == 0 {
			t.Errorf("%s: missing title or synonyms", o.Code)
		}
		if len(o.Skills) < 5 || len(o.Skills) > 10 {
			t.Errorf("%s: %d skills, want 5–10", o.Code, len(o.Skills))
		}
		for i, sk := range o.Skills {
			if _, ok := SkillByCode(sk); !ok {
				t.Errorf("%s: unknown skill %q", o.Code, sk)
			}
			if slices.Contains(o.Skills[:i], sk) {
				t.Errorf("%s: skill %q listed twice", o.Code, sk)
			}
		}
		for _, n := range append([]string{o.Title}, o.Synonyms...) {
			f := fold(n)
			if owner, ok := nameOwner[f]; ok && owner != o.Code {
				t.Errorf("name %q belongs to both %s and %s", n, owner, o.Code)
			} else if ok {
				t.Errorf("%s: name %q listed twice", o.Code, n)
			}
			nameOwner[f] = o.Code
		}
		got, ok := OccupationByCode(o.Code)
		if !ok || got.Title != o.Title {
			t.Errorf("OccupationByCode(%q) = %+v, %v", o.Code, got, ok)
		}
		if !slices.ContainsFunc(OccupationsByISCO(o.ISCO), func(x Occupation) bool { return x.Code == o.Code }) {
			t.Errorf("OccupationsByISCO(%q) misses %s", o.ISCO, o.Code)
		}
	}
	for _, sector := range Sectors() {
		if !slices.ContainsFunc(occs, func(o Occupation) bool { return o.Sector == sector.Code }) {
			t.Errorf("sector %s has no occupation", sector.Code)
		}
	}
	if _, ok := OccupationByCode("occ-astronauta"); ok {
		t.Error("OccupationByCode(occ-astronauta) found")
	}
	if got := OccupationsByISCO("7223"); len(got) < 2 {
		t.Errorf("OccupationsByISCO(7223) = %d, want the CNC and metalworking occupations", len(got))
	}
	for _, o := range OccupationsByISCO("51") {
		if !strings.HasPrefix(o.ISCO, "51") {
			t.Errorf("OccupationsByISCO(51) returned %s (%s)", o.Code, o.ISCO)
		}
	}
	if got := OccupationsByISCO("0110"); got != nil {
		t.Errorf("OccupationsByISCO(0110) = %v, want nil", got)
	}
}

func TestSkillCatalogue(t *testing.T) {
	skills := Skills()
	if len(skills) < 50 {
		t.Errorf("%d skills, want a substantial list", len(skills))
	}
	used := map[string]int{}
	for _, o := range Occupations() {
		for _, sk := range o.Skills {
			used[sk]++
		}
	}
	codeRe := regexp.MustCompile(`^sk-[a-z0-9]+(-[a-z0-9]+)*$`)
	seen := map[string]bool{}
	labels := map[string]string{}
	for _, sk := range skills {
		if !codeRe.MatchString(sk.Code) || seen[sk.Code] || sk.Label == "" {
			t.Errorf("bad or duplicate skill %+v", sk)
		}
		seen[sk.Code] = true
		if other, ok := labels[fold(sk.Label)]; ok {
			t.Errorf("skills %s and %s share the label %q", other, sk.Code, sk.Label)
		}
		labels[fold(sk.Label)] = sk.Code
		if used[sk.Code] == 0 {
			t.Errorf("skill %s is used by no occupation", sk.Code)
		}
		for _, r := range sk.Related {
			rel, ok := SkillByCode(r)
			if !ok || r == sk.Code {
				t.Errorf("skill %s: bad related skill %q", sk.Code, r)
				continue
			}
			if !slices.Contains(rel.Related, sk.Code) {
				t.Errorf("skill relation %s → %s is not symmetric", sk.Code, r)
			}
		}
	}
	shared := 0
	for _, n := range used {
		if n > 1 {
			shared++
		}
	}
	if shared < 30 {
		t.Errorf("only %d skills are shared between occupations", shared)
	}
	if sk, ok := SkillByCode("sk-muletto"); !ok || sk.Label != "Conduzione carrello elevatore" {
		t.Errorf("SkillByCode(sk-muletto) = %+v, %v", sk, ok)
	}
	if sk, _ := SkillByCode("sk-transpallet"); !slices.Contains(sk.Related, "sk-muletto") {
		t.Errorf("sk-transpallet related = %v, want sk-muletto (symmetric)", sk.Related)
	}
}

func TestFindOccupations(t *testing.T) {
	tests := []struct {
		text, want string // want is the first result's code; "" means no result
	}{
		{"addetto al servizio ai tavoli", "occ-cameriere-sala"},
		{"cameriera", "occ-cameriere-sala"},
		{"Cameriere", "occ-cameriere-sala"},
		{"CAMERIERA DI SALA", "occ-cameriere-sala"},
		{"commis di sala", "occ-cameriere-sala"},
		{"camerieri", "occ-cameriere-sala"},
		{"cercasi cameriera ai piani per hotel a Madonna di Campiglio", "occ-cameriere-piani"},
		{"cercasi cameriere di sala stagione estiva", "occ-cameriere-sala"},
		{"maitre", "occ-maitre"},
		{"Maître di sala", "occ-maitre"},
		{"cuoca", "occ-cuoco"},
		{"cuochi", "occ-cuoco"},
		{"aiuto cuoco", "occ-aiuto-cuoco"},
		{"pizzaiola", "occ-pizzaiolo"},
		{"barman", "occ-barista"},
		{"receptionist", "occ-receptionist"},
		{"mulettista", "occ-carrellista"},
		{"badante", "occ-assistente-familiare"},
		{"OSS", "occ-oss"},
		{"operatrice socio-sanitaria", "occ-oss"},
		{"autista patente CE", "occ-autista-c-ce"},
		{"saldatrice", "occ-saldatore"},
		{"saldatori", "occ-saldatore"},
		{"raccoglitrice di mele", "occ-raccoglitore-frutta"},
		{"impiegata amministrativa", "occ-impiegato-amministrativo"},
		{"segretario", "occ-segretaria"},
		{"programmatore", "occ-sviluppatore-software"},
		{"astronauta", ""},
		{"", ""},
		{"   ", ""},
	}
	for _, tt := range tests {
		got := FindOccupations(tt.text)
		if tt.want == "" {
			if len(got) != 0 {
				t.Errorf("FindOccupations(%q) = %d results, want none", tt.text, len(got))
			}
			continue
		}
		if len(got) == 0 || got[0].Code != tt.want {
			var codes []string
			for _, o := range got {
				codes = append(codes, o.Code)
			}
			t.Errorf("FindOccupations(%q) = %v, want %s first", tt.text, codes, tt.want)
		}
	}
	// Every title and synonym finds its own occupation first.
	for _, o := range Occupations() {
		for _, n := range append([]string{o.Title}, o.Synonyms...) {
			if got := FindOccupations(n); len(got) == 0 || got[0].Code != o.Code {
				t.Errorf("FindOccupations(%q) does not return %s first", n, o.Code)
			}
		}
	}
}

func TestReturnedSlicesAreCopies(t *testing.T) {
	o := Occupations()[0]
	o.Synonyms[0] = "modificato"
	o.Skills[0] = "modificato"
	again, _ := OccupationByCode(o.Code)
	if again.Synonyms[0] == "modificato" || again.Skills[0] == "modificato" {
		t.Error("Occupations shares slices with the catalogue")
	}
	s := Sectors()[0]
	s.ATECODivisions[0] = "00"
	if again, _ := SectorByCode(s.Code); again.ATECODivisions[0] == "00" {
		t.Error("Sectors shares slices with the package data")
	}
	tn := MunicipalitiesInProvince("TN")
	tn[0].Name = "modificato"
	if again := MunicipalitiesInProvince("TN"); again[0].Name == "modificato" {
		t.Error("MunicipalitiesInProvince shares its slice")
	}
}

func BenchmarkSearchMunicipalities(b *testing.B) {
	SearchMunicipalities("a", 1)
	for b.Loop() {
		SearchMunicipalities("rove", 10)
	}
}

func BenchmarkFindOccupations(b *testing.B) {
	FindOccupations("a")
	for b.Loop() {
		FindOccupations("cercasi cameriera ai piani")
	}
}

func TestRelatedOccupationsAreKnownAndSymmetric(t *testing.T) {
	for _, p := range occupationRelations {
		for _, code := range p {
			if _, ok := OccupationByCode(code); !ok {
				t.Errorf("relation %v names an unknown occupation %s", p, code)
			}
		}
		if !OccupationsRelated(p[0], p[1]) || !OccupationsRelated(p[1], p[0]) {
			t.Errorf("relation %v is not symmetric", p)
		}
	}
	if OccupationsRelated("occ-cuoco", "occ-cuoco") || OccupationsRelated("occ-cuoco", "occ-muratore") {
		t.Error("unrelated occupations are related")
	}
}
