package matching

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
)

// A stored match run is some 150 explanations of 3 KB each. encoding/json
// reads every json.RawMessage through once more (it validates and compacts
// it), so answering with a run that way costs as much as encoding it
// again. A run whose JSON documents are in answer form (CanonicalJSON) is
// written by AppendJSON instead, which copies them as they are.

// CanonicalJSON returns a JSON document in the form encoding/json writes
// it: compact, with <, >, & and the line and paragraph separators escaped.
// A document already in that form, as encoding/json wrote it, comes back
// as it is, not copied.
func CanonicalJSON(doc []byte) (json.RawMessage, error) {
	if json.Valid(doc) && canonical(doc) {
		return doc, nil
	}
	var buf bytes.Buffer
	buf.Grow(len(doc))
	if err := json.Compact(&buf, doc); err != nil {
		return nil, err
	}
	var esc bytes.Buffer
	esc.Grow(buf.Len() + 32)
	json.HTMLEscape(&esc, buf.Bytes())
	return esc.Bytes(), nil
}

// canonical reports whether a valid JSON document has no space outside its
// strings and nothing in them that encoding/json escapes for HTML.
func canonical(doc []byte) bool {
	inString := false
	for i := 0; i < len(doc); i++ {
		switch c := doc[i]; c {
		case '"':
			inString = !inString
		case '\\':
			i++ // only in a string: the escaped character is not its end
		case ' ', '\t', '\n', '\r':
			if !inString {
				return false
			}
		case '<', '>', '&':
			return false
		case 0xE2: // U+2028 and U+2029 are E2 80 A8 and E2 80 A9
			if i+2 < len(doc) && doc[i+1] == 0x80 && (doc[i+2] == 0xA8 || doc[i+2] == 0xA9) {
				return false
			}
		}
	}
	return true
}

// AppendJSON appends the run's JSON to b: the bytes encoding/json writes
// for it, provided its parameters and explanations are in the form
// CanonicalJSON returns, as the store gives and takes them. They are
// copied, not checked.
func (r *MatchRun) AppendJSON(b []byte) ([]byte, error) {
	size := 200 + len(r.Params)
	for i := range r.Results {
		size += 100 + len(r.Results[i].Explanation)
	}
	b = slices.Grow(b, size)
	b = append(b, `{"id":`...)
	b = strconv.AppendInt(b, r.ID, 10)
	b = append(b, `,"request_id":`...)
	b = strconv.AppendInt(b, r.RequestID, 10)
	b = append(b, `,"params":`...)
	b = appendRaw(b, r.Params)
	b = append(b, `,"recalled":`...)
	b = strconv.AppendInt(b, int64(r.Recalled), 10)
	b = append(b, `,"created_at":`...)
	at, err := r.CreatedAt.MarshalJSON()
	if err != nil {
		return nil, fmt.Errorf("match run %d: created_at: %w", r.ID, err)
	}
	b = append(b, at...)
	if r.CreatedBy != nil {
		b = append(b, `,"created_by":`...)
		b = strconv.AppendInt(b, *r.CreatedBy, 10)
	}
	b = append(b, `,"results":`...)
	if r.Results == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i := range r.Results {
			if i > 0 {
				b = append(b, ',')
			}
			res := &r.Results[i]
			b = append(b, `{"position":`...)
			b = strconv.AppendInt(b, int64(res.Position), 10)
			if res.CandidateID != nil {
				b = append(b, `,"candidate_id":`...)
				b = strconv.AppendInt(b, *res.CandidateID, 10)
			}
			b = append(b, `,"score":`...)
			if b, err = appendFloat(b, res.Score); err != nil {
				return nil, fmt.Errorf("match run %d: results[%d].score: %w", r.ID, i, err)
			}
			b = append(b, `,"near_miss":`...)
			b = strconv.AppendBool(b, res.NearMiss)
			b = append(b, `,"explanation":`...)
			b = appendRaw(b, res.Explanation)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	return append(b, '}'), nil
}

// appendRaw appends a JSON document, null for none (as encoding/json
// writes an empty json.RawMessage).
func appendRaw(b []byte, doc json.RawMessage) []byte {
	if len(doc) == 0 {
		return append(b, "null"...)
	}
	return append(b, doc...)
}

// appendFloat appends a number as encoding/json writes a float64: the
// shortest decimal that reads back the same, in exponent form only when
// very small or very large. NaN and the infinities are not JSON.
func appendFloat(b []byte, f float64) ([]byte, error) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return b, fmt.Errorf("%v is not a JSON number", f)
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		// e-09 as e-9, as encoding/json writes it.
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b, nil
}
