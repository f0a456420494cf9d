package api

import (
	"errors"
	"testing"

	"incontro/matching"
	"incontro/reference"
	"incontro/ui"
)

func TestPickersResolveWhatIsTyped(t *testing.T) {
	sk := reference.Skills()[0]
	cases := []struct {
		name    string
		resolve func(field, typed string) (string, error)
		typed   string
		want    string
	}{
		{"a municipality by name, any case and accents", municipalityCode, "  trento ", "022205"},
		{"a municipality by ISTAT code", municipalityCode, "022205", "022205"},
		{"an occupation by title", occupationCode, "cameriere di sala", "occ-cameriere-sala"},
		{"an occupation by code", occupationCode, "occ-cuoco", "occ-cuoco"},
		{"an occupation by a gendered form", occupationCode, "cameriera di sala", "occ-cameriere-sala"},
		{"a skill by label", skillCode, reference.Fold(sk.Label), sk.Code},
		{"a skill by code", skillCode, sk.Code, sk.Code},
	}
	for _, c := range cases {
		got, err := c.resolve("field", c.typed)
		if err != nil || got != c.want {
			t.Errorf("%s: %q gives %q, %v; want %q", c.name, c.typed, got, err, c.want)
		}
	}
	for _, bad := range []struct {
		resolve func(field, typed string) (string, error)
		typed   string
	}{{municipalityCode, "Atlantide"}, {municipalityCode, "999999"}, {municipalityCode, ""},
		{occupationCode, "astronauta lunare"}, {occupationCode, ""}, {skillCode, "telepatia"}, {skillCode, ""}} {
		_, err := bad.resolve("requirements.0.code", bad.typed)
		var e *matching.Error
		if !errors.As(err, &e) || e.Field != "requirements.0.code" || e.Code != matching.EINVALID {
			t.Errorf("%q is accepted or not refused by its field: %v", bad.typed, err)
		}
	}
}

func TestChoicesCoverTheCatalogue(t *testing.T) {
	if got, want := len(ui.OccupationChoices()), len(reference.Occupations()); got != want {
		t.Errorf("%d occupation choices for %d occupations", got, want)
	}
	for _, c := range ui.SkillChoices() {
		if code, err := skillCode("skill", c.Name); err != nil || code != c.Code {
			t.Errorf("the choice %q resolves to %q, %v; want %q", c.Name, code, err, c.Code)
		}
	}
	for _, c := range ui.OccupationChoices() {
		if code, err := occupationCode("occupation", c.Name); err != nil || code != c.Code {
			t.Errorf("the choice %q resolves to %q, %v; want %q", c.Name, code, err, c.Code)
		}
	}
}
