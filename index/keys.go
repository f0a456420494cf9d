package index

import (
	"math"
	"strconv"
	"strings"
	"sync"
	"time"

	"incontro/reference"
)

// Keys: how numbers, days, times and homes are written as keyword terms.
// Each has a fixed width, so that lexical order is numeric order and a range
// of values is a range of terms.

const (
	hundredthsWidth = 5 // years in hundredths: 00000 … 99999
	maxHundredths   = 99999
	kmWidth         = 4 // mobility in km: 0000 … 9999
	maxKm           = 9999
	dayLayout       = "20060102"
	nanosWidth      = 19
)

// hundredthsKey writes a non-negative number of years in hundredths,
// rounded and clamped to five digits.
func hundredthsKey(years float64) string {
	h := int64(math.Round(years * 100))
	return padInt(min(max(h, 0), maxHundredths), hundredthsWidth)
}

// yearsByGroupKey is the term of fieldYearsByGroup: "51:00700".
func yearsByGroupKey(group string, years float64) string {
	return group + ":" + hundredthsKey(years)
}

// kmKey writes a whole number of kilometres, clamped to four digits.
func kmKey(km int) string { return padInt(int64(min(max(km, 0), maxKm)), kmWidth) }

// dayKey writes t's day (in UTC) as YYYYMMDD.
func dayKey(t time.Time) string { return t.UTC().Format(dayLayout) }

// monthKey writes t's month (in UTC) as YYYYMM.
func monthKey(t time.Time) string { return t.UTC().Format("200601") }

// nanosKey writes an instant as Unix nanoseconds, 19 digits; instants before
// 1970 are written as 1970.
func nanosKey(t time.Time) string { return padInt(max(t.UnixNano(), 0), nanosWidth) }

// padInt writes a non-negative integer zero-padded to width digits.
func padInt(v int64, width int) string {
	s := strconv.FormatInt(v, 10)
	if len(s) >= width {
		return s
	}
	return strings.Repeat("0", width-len(s)) + s
}

// centroidEpsilon is how close (in degrees, about a centimetre) a home must
// be to its municipality's centroid to be indexed as the municipality.
const centroidEpsilon = 1e-7

// noHomeKey is the term of fieldHome of a candidate without a home: recall
// keeps them where a distance is required (it is unknown).
const noHomeKey = "-"

// homeKey is the term of fieldHome for a home municipality and point: the
// municipality's code when the point is its centroid, "@lat,lon" when the
// candidate has a point of their own, "" when there is no point at all.
func homeKey(municipality string, lat, lon float64) string {
	m, found := reference.MunicipalityByCode(municipality)
	if lat == 0 && lon == 0 {
		if !found {
			return ""
		}
		return m.Code
	}
	if found && math.Abs(m.Lat-lat) < centroidEpsilon && math.Abs(m.Lon-lon) < centroidEpsilon {
		return m.Code
	}
	return "@" + strconv.FormatFloat(lat, 'f', -1, 64) + "," + strconv.FormatFloat(lon, 'f', -1, 64)
}

// homePoint returns the point of a fieldHome term.
func homePoint(term string) (lat, lon float64, ok bool) {
	if p, own := strings.CutPrefix(term, "@"); own {
		a, b, found := strings.Cut(p, ",")
		var err1, err2 error
		lat, err1 = strconv.ParseFloat(a, 64)
		lon, err2 = strconv.ParseFloat(b, 64)
		return lat, lon, found && err1 == nil && err2 == nil
	}
	c, ok := centroids()[term]
	return c.lat, c.lon, ok
}

type point struct{ lat, lon float64 }

// centroids are the points of every municipality by ISTAT code.
var centroids = sync.OnceValue(func() map[string]point {
	all := reference.Municipalities()
	out := make(map[string]point, len(all))
	for _, m := range all {
		out[m.Code] = point{m.Lat, m.Lon}
	}
	return out
})

// intBounds turns a numeric range over values scaled by scale into the
// inclusive range of integers [lo, hi] within [0, limit] it covers. ok is
// false when it covers none. Nil bounds are open; nil inclusiveness means
// bleve's default (minimum included, maximum excluded).
func intBounds(minV, maxV *float64, minIncl, maxIncl *bool, scale float64, limit int64) (lo, hi int64, ok bool) {
	lo, hi = 0, limit
	if minV != nil {
		x := *minV * scale
		incl := minIncl == nil || *minIncl
		if r := math.Round(x); math.Abs(x-r) < 1e-6 {
			lo = int64(r)
			if !incl {
				lo++
			}
		} else {
			lo = int64(math.Ceil(x))
		}
		if math.IsInf(x, -1) || x < 0 {
			lo = 0
		}
		if math.IsInf(x, 1) || x > float64(limit) {
			return 0, 0, false
		}
	}
	if maxV != nil {
		x := *maxV * scale
		incl := maxIncl != nil && *maxIncl
		if r := math.Round(x); math.Abs(x-r) < 1e-6 {
			hi = int64(r)
			if !incl {
				hi--
			}
		} else {
			hi = int64(math.Floor(x))
		}
		if math.IsInf(x, 1) || x > float64(limit) {
			hi = limit
		}
		if math.IsInf(x, -1) || x < 0 {
			return 0, 0, false
		}
	}
	return lo, hi, lo <= hi
}

// dayBounds turns a range of instants into the inclusive range of days
// whose midnight (UTC) it covers; zero bounds are open. Nil inclusiveness
// means bleve's default (start included, end excluded). ok is false when it
// covers no day.
func dayBounds(start, end time.Time, startIncl, endIncl *bool) (lo, hi string, ok bool) {
	if !start.IsZero() {
		d := dayOf(start)
		if !d.Equal(start.UTC()) || (startIncl != nil && !*startIncl) {
			d = d.AddDate(0, 0, 1)
		}
		lo = dayKey(d)
	}
	if !end.IsZero() {
		d := dayOf(end)
		if d.Equal(end.UTC()) && (endIncl == nil || !*endIncl) {
			d = d.AddDate(0, 0, -1)
		}
		hi = dayKey(d)
	}
	return lo, hi, lo == "" || hi == "" || lo <= hi
}

// nanosBounds turns a range of instants into the inclusive range of
// nanosKey terms it covers, like dayBounds.
func nanosBounds(start, end time.Time, startIncl, endIncl *bool) (lo, hi string, ok bool) {
	var l, h int64 = 0, math.MaxInt64
	if !start.IsZero() {
		l = start.UnixNano()
		if startIncl != nil && !*startIncl {
			l++
		}
	}
	if !end.IsZero() {
		h = end.UnixNano()
		if endIncl == nil || !*endIncl {
			h--
		}
	}
	if l > h || h < 0 {
		return "", "", false
	}
	return padInt(max(l, 0), nanosWidth), padInt(h, nanosWidth), true
}

// groupOfYearsField returns the ISCO sub-major group of a years_<group> field.
func groupOfYearsField(field string) (string, bool) {
	g, ok := strings.CutPrefix(field, FieldYearsPrefix)
	return g, ok && twoDigits.MatchString(g)
}

// cefrLanguageOfField returns the language of a cefr_<language> field.
func cefrLanguageOfField(field string) (string, bool) {
	l, ok := strings.CutPrefix(field, FieldCEFRPrefix)
	for _, c := range CEFRLanguages {
		if ok && l == c {
			return l, true
		}
	}
	return "", false
}
