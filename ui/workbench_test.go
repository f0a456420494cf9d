package ui_test

import (
	"strings"
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

// A match score is a weighted sum of points, which may pass 1: the
// request's pages print it as the match page does, a decimal number in the
// page's language, never as a percentage (4.07 once read "407%").
func TestAScoreIsADecimalNotAPercentage(t *testing.T) {
	r, err := ui.New()
	if err != nil {
		t.Fatal(err)
	}
	score := 4.0712
	for lang, want := range map[string]string{"it": "4,07", "en": "4.07"} {
		p := ui.Page{Locale: r.Locale(lang)}
		if got := p.ScoreText(&score); got != want {
			t.Errorf("%s: the score reads %q, want %q", lang, got, want)
		}
		if got := p.ScoreText(nil); got != "–" {
			t.Errorf("%s: no score reads %q", lang, got)
		}
	}
}

// A stage change's starting stage is a pointer: it reads as its label
// (it once read "[[wb2.stage.%!s(*matching.Stage=0x…)]]").
func TestAStageChangeNamesTheStageItCameFrom(t *testing.T) {
	r, err := ui.New()
	if err != nil {
		t.Fatal(err)
	}
	p := ui.Page{Locale: r.Locale("it")}
	found := matching.StageFound
	if got, want := p.FromStageLabel(&found), p.T("wb2.stage.found"); got != want || strings.Contains(got, "%!") || strings.HasPrefix(got, "[[") {
		t.Errorf("the stage reads %q, want %q", got, want)
	}
	if got := p.FromStageLabel(nil); got != "" {
		t.Errorf("no stage reads %q", got)
	}
}
