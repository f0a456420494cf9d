package index

import (
	"context"
	"math"
	"strconv"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/numeric"
	"github.com/blevesearch/bleve/v2/search"
	bleveindex "github.com/blevesearch/bleve_index_api"

	"incontro/reference"
)

// homesWithin matches the documents whose home is at most Km from a point,
// by reference.HaversineKm, and with OrNone those without a home too. It
// reads the homes the index holds from the dictionary (the municipalities,
// a few thousand at most, since homes are their centroids, and the few
// points of their own, see homeKey) and keeps those within Km; as a filter
// (no scores), bleve merges the postings of the terms kept into one.
type homesWithin struct {
	Lat    float64 `json:"lat"`
	Lon    float64 `json:"lon"`
	Km     float64 `json:"km"`
	OrNone bool    `json:"or_none,omitempty"`
}

// Searcher implements query.Query.
func (q *homesWithin) Searcher(ctx context.Context, i bleveindex.IndexReader, _ mapping.IndexMapping, options search.SearcherOptions) (search.Searcher, error) {
	dict, err := i.FieldDict(fieldHome)
	if err != nil {
		return nil, err
	}
	var terms []string
	for {
		e, err := dict.Next()
		if err != nil {
			dict.Close()
			return nil, err
		}
		if e == nil {
			break
		}
		if e.Term == noHomeKey {
			if q.OrNone {
				terms = append(terms, e.Term)
			}
		} else if lat, lon, ok := homePoint(e.Term); ok && reference.HaversineKm(q.Lat, q.Lon, lat, lon) <= q.Km {
			terms = append(terms, e.Term)
		}
	}
	if err := dict.Close(); err != nil {
		return nil, err
	}
	return multiTermSearcher(ctx, i, terms, fieldHome, 1, options)
}

// maxDistanceKey sorts a document without a home after every other.
var maxDistanceKey = string(numeric.MustNewPrefixCodedInt64(math.MaxInt64, 0))

// distanceSort orders documents by the distance of their home from a point,
// in km by reference.HaversineKm. Its values are prefix-coded numbers (which
// sort as the numbers); DecodeValue gives the km in decimal, and
// distanceAfter turns that back into a value for SearchAfter.
type distanceSort struct {
	Lat, Lon float64
	Desc     bool

	home    []byte
	visited bool
	km      map[string]float64 // by home term, for this sort's searches
	tmp     []byte
}

func newDistanceSort(lat, lon float64) *distanceSort {
	return &distanceSort{Lat: lat, Lon: lon, km: map[string]float64{}}
}

// UpdateVisitor implements search.SearchSort.
func (s *distanceSort) UpdateVisitor(field string, term []byte) {
	if field == fieldHome && !s.visited {
		s.home = append(s.home[:0], term...)
		s.visited = true
	}
}

// Value implements search.SearchSort.
func (s *distanceSort) Value(_ *search.DocumentMatch) string {
	if !s.visited {
		return maxDistanceKey
	}
	s.visited = false
	km, ok := s.km[string(s.home)]
	if !ok {
		lat, lon, found := homePoint(string(s.home))
		if !found {
			return maxDistanceKey
		}
		km = reference.HaversineKm(s.Lat, s.Lon, lat, lon)
		s.km[string(s.home)] = km
	}
	s.tmp = numeric.MustNewPrefixCodedInt64Prealloc(numeric.Float64ToInt64(km), 0, s.tmp)
	return string(s.tmp)
}

// DecodeValue implements search.SearchSort.
func (s *distanceSort) DecodeValue(value string) string {
	i, err := numeric.PrefixCoded(value).Int64()
	if err != nil {
		return ""
	}
	return strconv.FormatFloat(numeric.Int64ToFloat64(i), 'f', -1, 64)
}

// distanceAfter turns a decoded distance back into a sort value.
func distanceAfter(km string) string {
	f, err := strconv.ParseFloat(km, 64)
	if err != nil || f > math.MaxFloat64/2 {
		return maxDistanceKey
	}
	return string(numeric.MustNewPrefixCodedInt64(numeric.Float64ToInt64(f), 0))
}

// Descending implements search.SearchSort.
func (s *distanceSort) Descending() bool { return s.Desc }

// RequiresDocID implements search.SearchSort.
func (s *distanceSort) RequiresDocID() bool { return false }

// RequiresScoring implements search.SearchSort.
func (s *distanceSort) RequiresScoring() bool { return false }

// RequiresFields implements search.SearchSort.
func (s *distanceSort) RequiresFields() []string { return []string{fieldHome} }

// Reverse implements search.SearchSort.
func (s *distanceSort) Reverse() { s.Desc = !s.Desc }

// Copy implements search.SearchSort: each copy has its own cache.
func (s *distanceSort) Copy() search.SearchSort {
	c := newDistanceSort(s.Lat, s.Lon)
	c.Desc = s.Desc
	return c
}
