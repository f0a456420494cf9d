package ui_test

import (
	"testing"

	"incontro/matching"
	"incontro/ui"
)

// The workbench looks its labels up by value: every state, outcome,
// closing reason, requirement kind, evidence, ground and phase must be in
// the catalogue, in both languages.
func TestTheWorkbenchHasALabelForEveryValue(t *testing.T) {
	r, err := ui.New()
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, s := range matching.RequestStatuses() {
		keys = append(keys, ui.WbStatusKey(s))
	}
	for _, o := range matching.Outcomes() {
		keys = append(keys, ui.WbOutcomeKey(o))
		for _, c := range matching.CloseReasons(o) {
			keys = append(keys, ui.WbReasonKey(c))
		}
	}
	for _, k := range matching.RequirementKinds() {
		keys = append(keys, ui.WbKindKey(k))
	}
	for _, e := range []matching.Evidence{matching.Met, matching.PartlyMet, matching.NotMet, matching.Unknown} {
		keys = append(keys, ui.WbEvidenceKey(e))
	}
	for _, g := range matching.Grounds() {
		keys = append(keys, ui.WbGroundKey(string(g)))
	}
	for _, p := range []matching.Phase{matching.Phase4C, matching.Phase4DVerification, matching.Phase4DSelection} {
		keys = append(keys, ui.WbPhaseKey(p))
	}
	for _, state := range []string{"under", "within", "over"} {
		keys = append(keys, "wb.band."+state)
	}
	for _, lang := range ui.Languages() {
		loc := r.Locale(lang)
		for _, k := range keys {
			if !loc.Has(k) {
				t.Errorf("%s: no message %q", lang, k)
			}
		}
	}
}
