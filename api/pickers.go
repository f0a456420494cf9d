package api

import (
	"regexp"
	"strings"

	"incontro/matching"
	"incontro/reference"
)

// The forms name municipalities, occupations and skills as people type
// them, helped by a datalist of the catalogue (ui.TrentinoMunicipalities,
// ui.OccupationChoices, ui.SkillChoices); these resolve what was typed to
// the code the store keeps, or fail naming the form's field.

var istatCodeForm = regexp.MustCompile(`^[0-9]{6}$`)

// municipalityCode reads a place typed in a form: an ISTAT code or the name
// of a municipality (Trentino's first where names repeat).
func municipalityCode(field, typed string) (string, error) {
	typed = strings.TrimSpace(typed)
	if istatCodeForm.MatchString(typed) {
		if _, ok := reference.MunicipalityByCode(typed); ok {
			return typed, nil
		}
	}
	for _, m := range reference.SearchMunicipalities(typed, 20) {
		if reference.Fold(m.Name) == reference.Fold(typed) {
			return m.Code, nil
		}
	}
	return "", matching.FieldErrorf(field, "is not a municipality: choose one from the list")
}

// occupationCode reads an occupation typed in a form: a catalogue code, or
// a title or synonym the catalogue knows (the best match when several do).
func occupationCode(field, typed string) (string, error) {
	typed = strings.TrimSpace(typed)
	if o, ok := reference.OccupationByCode(typed); ok {
		return o.Code, nil
	}
	if occs := reference.FindOccupations(typed); len(occs) > 0 && typed != "" {
		return occs[0].Code, nil
	}
	return "", matching.FieldErrorf(field, "is not an occupation of the catalogue: choose one from the list")
}

// skillCode reads a skill typed in a form: a catalogue code or a skill's
// label, compared without case, accents or punctuation.
func skillCode(field, typed string) (string, error) {
	typed = strings.TrimSpace(typed)
	if sk, ok := reference.SkillByCode(typed); ok {
		return sk.Code, nil
	}
	if f := reference.Fold(typed); f != "" {
		for _, sk := range reference.Skills() {
			if reference.Fold(sk.Label) == f {
				return sk.Code, nil
			}
		}
	}
	return "", matching.FieldErrorf(field, "is not a skill of the catalogue: choose one from the list")
}
