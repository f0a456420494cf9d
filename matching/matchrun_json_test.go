package matching_test

import (
	"bytes"
	"encoding/json"
	"math"
	"testing"
	"time"

	"incontro/matching"
)

func TestCanonicalJSONIsWhatEncodingJSONWrites(t *testing.T) {
	tests := []struct{ name, in string }{
		{"a document as jsonb prints it", `{"a": [1, 2.5, {"b": null}], "c": "x, y: z"}`},
		{"HTML characters and separators", `{"t": "R&D <dev> \u2028 ` + "\u2029" + `"}`},
		{"escapes kept as written", `{"q": "quote \" and \\ back \u00e8 è"}`},
		{"an array", ` [ ] `},
		{"a compact document", `{"fit":1,"score":5.0567,"to_verify":[]}`},
		{"spaces in strings only", `{"a":"say \"hi\" , ok: \\ \t"}`},
		{"a space after a string ending in a backslash", `{"a":"x\\", "b":1}`},
		{"an en dash beside the separators' first byte", `{"a":"1 – 2"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := matching.CanonicalJSON([]byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			want, err := json.Marshal(json.RawMessage(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("got  %s\nwant %s", got, want)
			}
		})
	}
	t.Run("a document in canonical form comes back as it is", func(t *testing.T) {
		in := []byte(`{"a":[1,2],"b":"\u0026"}`)
		got, err := matching.CanonicalJSON(in)
		if err != nil || &got[0] != &in[0] {
			t.Errorf("got a copy (%v)", err)
		}
	})
	t.Run("a document that is not JSON is refused", func(t *testing.T) {
		for _, in := range []string{``, `{`, `{"a":1} x`, `nul`} {
			if _, err := matching.CanonicalJSON([]byte(in)); err == nil {
				t.Errorf("%q was taken", in)
			}
		}
	})
}

func TestAMatchRunAppendsAsEncodingJSONWritesIt(t *testing.T) {
	sample := explainedSample(t)
	rome, err := time.LoadLocation("Europe/Rome")
	if err != nil {
		t.Fatal(err)
	}
	by := int64(7)
	scores := []float64{0, 1, -1, 5.0567, 0.1 + 0.2, 1e-7, -3.5e-9, 1e21, 123456789012345678, math.SmallestNonzeroFloat64, math.MaxFloat64}
	params, err := json.Marshal(map[string]any{"scoring": "incontro-score/1", "vacancy": map[string]string{"title": "R&D <lab>"}})
	if err != nil {
		t.Fatal(err)
	}
	var runs []matching.MatchRun
	runs = append(runs,
		matching.MatchRun{},
		matching.MatchRun{ID: 1, RequestID: 2, Params: params, Results: []matching.MatchResult{}, CreatedAt: time.Date(2026, 11, 26, 5, 0, 0, 0, time.UTC)},
	)
	run := matching.MatchRun{ID: 42, RequestID: 9, Params: params, Recalled: 512, CreatedBy: &by,
		CreatedAt: time.Date(2026, 11, 26, 6, 30, 15, 123456000, rome)}
	for i, x := range sample {
		e, err := x.e.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		r := matching.MatchResult{Position: i + 1, Score: scores[i%len(scores)], NearMiss: i%3 == 0, Explanation: e}
		if i%5 != 0 {
			id := int64(1000 + i)
			r.CandidateID = &id
		}
		run.Results = append(run.Results, r)
	}
	runs = append(runs, run)
	for _, r := range runs {
		got, err := r.AppendJSON(nil)
		if err != nil {
			t.Fatal(err)
		}
		want, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("run %d with %d results:\ngot  %.600s\nwant %.600s", r.ID, len(r.Results), got, want)
		}
	}

	t.Run("a score that is no number is an error, as encoding/json has it", func(t *testing.T) {
		bad := matching.MatchRun{Results: []matching.MatchResult{{Score: math.NaN(), Explanation: json.RawMessage(`{}`)}}}
		if _, err := bad.AppendJSON(nil); err == nil {
			t.Error("NaN was written")
		}
	})
}
