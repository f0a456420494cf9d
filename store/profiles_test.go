package store_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"incontro/matching"
	"incontro/seed"
	"incontro/store"
)

// scoringView is what scoring reads of a CV: the parts without their free
// texts.
func scoringView(c matching.Candidate) string {
	for i := range c.Experiences {
		c.Experiences[i].Description, c.Experiences[i].EmployerName = "", ""
	}
	b, _ := json.Marshal(struct {
		ID                 int64
		Home               string
		Lat, Lon           float64
		Mobility           int
		Available          *time.Time
		Working, Contracts []string
		Searchable         bool
		Presentation       matching.Presentation
		Updated            time.Time
		Inactive           bool
		Exp                []matching.Experience
		Edu                []matching.Education
		Skills             []matching.CandidateSkill
		Langs              []matching.LanguageLevel
		Licences           []string
		Certs              []matching.Certification
		Desired            []matching.DesiredOccupation
	}{c.ID, c.HomeMunicipality, c.HomeLat, c.HomeLon, c.MobilityKm, c.AvailableFrom, c.WorkingTime, c.ContractPreferences,
		c.Searchable, c.Presentation, c.UpdatedAt.UTC(), c.AccountInactive, c.Experiences, c.Education, c.Skills, c.Languages,
		c.Licences, c.Certifications, c.DesiredOccupations})
	return string(b)
}

func TestProfilesCarryWhatScoringReads(t *testing.T) {
	s := MustStore(t)
	ctx := context.Background()
	g, err := seed.New(seed.Options{Seed: 3, Candidates: 40, AsOf: clockStart})
	if err != nil {
		t.Fatal(err)
	}
	cs := make([]matching.Candidate, 40)
	for i := range cs {
		cs[i], _ = g.Candidate(i)
	}
	b, err := s.BeginBulk(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Candidates(ctx, cs[:30], nil); err != nil {
		t.Fatal(err)
	}
	if err := b.Commit(); err != nil {
		t.Fatal(err)
	}
	for i := 30; i < 40; i++ {
		if err := s.CreateCandidate(ctx, &cs[i]); err != nil {
			t.Fatal(err)
		}
	}
	edited := cs[35]
	edited.Languages = []matching.LanguageLevel{{Language: "de", Level: "C1"}}
	edited.Experiences = edited.Experiences[:min(1, len(edited.Experiences))]
	if err := s.UpdateCandidate(ctx, &edited); err != nil {
		t.Fatal(err)
	}
	// A row written before profiles existed is read from the CV tables.
	if _, err := s.SQL().ExecContext(ctx, `UPDATE candidates SET profile_text = NULL WHERE id = $1`, cs[3].ID); err != nil {
		t.Fatal(err)
	}
	// A profile written before profiles were text is in the jsonb column.
	if _, err := s.SQL().ExecContext(ctx, `UPDATE candidates SET profile = profile_text::jsonb, profile_text = NULL WHERE id = $1`, cs[4].ID); err != nil {
		t.Fatal(err)
	}

	ids := []int64{cs[39].ID, 999999}
	for _, c := range cs[:39] {
		ids = append(ids, c.ID)
	}
	full, err := s.CandidatesByID(ctx, ids)
	if err != nil {
		t.Fatal(err)
	}
	profiles, err := s.CandidateProfiles(ctx, ids)
	if err != nil {
		t.Fatal(err)
	}
	if len(profiles) != 39+1-1+1 || len(profiles) != len(full) {
		t.Fatalf("%d profiles and %d CVs for %d ids (one unknown)", len(profiles), len(full), len(ids))
	}
	for i := range full {
		if got, want := scoringView(profiles[i]), scoringView(full[i]); got != want {
			t.Errorf("candidate %d:\nprofile %s\ntables  %s", full[i].ID, got, want)
		}
		if profiles[i].GivenName != "" || profiles[i].Email != "" {
			t.Errorf("candidate %d: a profile carries the name or the e-mail", full[i].ID)
		}
	}
	var n int
	if err := s.SQL().GetContext(ctx, &n, `SELECT count(*) FROM candidates WHERE profile_text IS NULL AND profile IS NULL`); err != nil || n != 1 {
		t.Errorf("%d candidates without a profile (%v), want only the one cleared", n, err)
	}
	_ = store.AuditFilter{}
}
