package reference

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// Municipality is an Italian comune with the centroid of its territory.
type Municipality struct {
	Code         string  // ISTAT code, six digits, e.g. "022205"
	Name         string  // official name, e.g. "Trento"
	ProvinceCode string  // province acronym (sigla), e.g. "TN"
	ProvinceName string  // province name, e.g. "Trento"
	Region       string  // region name, e.g. "Trentino-Alto Adige/Südtirol"
	Lat          float64 // centroid latitude, degrees
	Lon          float64 // centroid longitude, degrees
	Population   int     // approximate residents, used as a sampling weight; 0 when unknown (every TN comune has one)
}

// ProvinceTrento is the acronym of the Autonomous Province of Trento.
const ProvinceTrento = "TN"

// earthRadiusKm is the mean Earth radius (IUGG) used by HaversineKm.
const earthRadiusKm = 6371.0088

// nameKey is one searchable folded name of a municipality.
type nameKey struct {
	key string
	idx int
}

// municipalityData is the parsed municipality list and its indexes.
type municipalityData struct {
	all        []Municipality
	byCode     map[string]int
	byProvince map[string][]int
	folded     []string  // folded full names, parallel to all
	names      []nameKey // sorted by key, for prefix search
}

var (
	municipalitiesOnce sync.Once
	municipalities     *municipalityData
)

// loadMunicipalities parses data/comuni.csv once and builds the indexes.
func loadMunicipalities() *municipalityData {
	municipalitiesOnce.Do(func() {
		rows := readEmbedded("comuni.csv", comuniCSV,
			"codice_istat", "nome", "sigla_provincia", "provincia", "regione", "lat", "lon")
		d := &municipalityData{
			all:        make([]Municipality, 0, len(rows)),
			byCode:     make(map[string]int, len(rows)),
			byProvince: make(map[string][]int, 110),
			folded:     make([]string, 0, len(rows)),
			names:      make([]nameKey, 0, len(rows)+256),
		}
		pop := trentinoPopulation()
		for i, r := range rows {
			lat, err1 := strconv.ParseFloat(r[5], 64)
			lon, err2 := strconv.ParseFloat(r[6], 64)
			if err1 != nil || err2 != nil {
				panic(fmt.Sprintf("reference: embedded comuni.csv: bad coordinates for %s", r[0]))
			}
			m := Municipality{
				Code: r[0], Name: r[1], ProvinceCode: r[2], ProvinceName: r[3], Region: r[4],
				Lat: lat, Lon: lon,
			}
			if m.ProvinceCode == ProvinceTrento {
				m.Population = defaultTrentinoPopulation
				if p, ok := pop[m.Code]; ok {
					m.Population = p
				}
			}
			d.all = append(d.all, m)
			d.byCode[m.Code] = i
			d.byProvince[m.ProvinceCode] = append(d.byProvince[m.ProvinceCode], i)
			keys := searchKeys(m.Name)
			d.folded = append(d.folded, keys[0])
			for _, k := range keys {
				d.names = append(d.names, nameKey{k, i})
			}
		}
		sort.Slice(d.names, func(a, b int) bool { return d.names[a].key < d.names[b].key })
		municipalities = d
	})
	return municipalities
}

// searchKeys returns the folded full name and, for compound or bilingual names
// ("Bolzano/Bozen", "Nago-Torbole"), the folded parts as well.
func searchKeys(name string) []string {
	keys := []string{fold(name)}
	parts := strings.FieldsFunc(name, func(r rune) bool { return r == '/' || r == '-' })
	if len(parts) > 1 {
		for _, p := range parts {
			if k := fold(p); k != "" && !slices.Contains(keys, k) {
				keys = append(keys, k)
			}
		}
	}
	return keys
}

// Municipalities returns all 7,899 municipalities in ISTAT code order.
func Municipalities() []Municipality {
	return slices.Clone(loadMunicipalities().all)
}

// MunicipalityByCode returns the municipality with the given six-digit ISTAT code.
func MunicipalityByCode(code string) (Municipality, bool) {
	d := loadMunicipalities()
	i, ok := d.byCode[strings.TrimSpace(code)]
	if !ok {
		return Municipality{}, false
	}
	return d.all[i], true
}

// MunicipalitiesInProvince returns the municipalities of a province, given its
// acronym (case-insensitive, e.g. "TN"), in ISTAT code order; nil if unknown.
func MunicipalitiesInProvince(acr string) []Municipality {
	d := loadMunicipalities()
	idx := d.byProvince[strings.ToUpper(strings.TrimSpace(acr))]
	if len(idx) == 0 {
		return nil
	}
	out := make([]Municipality, len(idx))
	for i, j := range idx {
		out[i] = d.all[j]
	}
	return out
}

// SearchMunicipalities returns up to limit municipalities whose name (or one
// part of a compound or bilingual name) starts with prefix, ignoring case,
// accents and punctuation. Trentino comes first, then exact matches, then
// larger population, then name. A limit <= 0 means no limit; an empty prefix
// matches nothing.
func SearchMunicipalities(prefix string, limit int) []Municipality {
	p := fold(prefix)
	if p == "" {
		return nil
	}
	d := loadMunicipalities()
	start := sort.Search(len(d.names), func(i int) bool { return d.names[i].key >= p })
	type hit struct {
		idx   int
		exact bool
	}
	var hits []hit
	seen := make(map[int]int)
	for i := start; i < len(d.names) && strings.HasPrefix(d.names[i].key, p); i++ {
		n := d.names[i]
		exact := n.key == p
		if j, ok := seen[n.idx]; ok {
			hits[j].exact = hits[j].exact || exact
			continue
		}
		seen[n.idx] = len(hits)
		hits = append(hits, hit{n.idx, exact})
	}
	slices.SortFunc(hits, func(a, b hit) int {
		ma, mb := d.all[a.idx], d.all[b.idx]
		if c := boolFirst(ma.ProvinceCode == ProvinceTrento, mb.ProvinceCode == ProvinceTrento); c != 0 {
			return c
		}
		if c := boolFirst(a.exact, b.exact); c != 0 {
			return c
		}
		if c := cmp.Compare(mb.Population, ma.Population); c != 0 {
			return c
		}
		if c := cmp.Compare(d.folded[a.idx], d.folded[b.idx]); c != 0 {
			return c
		}
		return cmp.Compare(ma.Code, mb.Code)
	})
	if limit > 0 && len(hits) > limit {
		hits = hits[:limit]
	}
	out := make([]Municipality, len(hits))
	for i, h := range hits {
		out[i] = d.all[h.idx]
	}
	return out
}

// boolFirst orders true before false.
func boolFirst(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return -1
	default:
		return 1
	}
}

// DistanceKm returns the great-circle distance in km between the centroids of
// two municipalities.
func DistanceKm(a, b Municipality) float64 {
	return HaversineKm(a.Lat, a.Lon, b.Lat, b.Lon)
}

// HaversineKm returns the great-circle distance in km between two points given
// in decimal degrees.
func HaversineKm(lat1, lon1, lat2, lon2 float64) float64 {
	const rad = math.Pi / 180
	dLat := (lat2 - lat1) * rad
	dLon := (lon2 - lon1) * rad
	s := math.Sin(dLat/2)*math.Sin(dLat/2) +
		math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dLon/2)*math.Sin(dLon/2)
	return 2 * earthRadiusKm * math.Asin(math.Min(1, math.Sqrt(s)))
}
