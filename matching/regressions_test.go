package matching_test

import (
	"testing"

	"incontro/matching"
)

func TestValidationCornerCases(t *testing.T) {
	t.Run("eleven zeros are not a partita IVA", func(t *testing.T) {
		if matching.ValidVATNumber("00000000000") {
			t.Fatal("accepted")
		}
	})
	t.Run("an ATECO code typed without dots is stored dotted", func(t *testing.T) {
		e := matching.Employer{ATECOCode: " 561011 ", VATNumber: "it00000010009"}
		e.Normalize()
		if e.ATECOCode != "56.10.11" || e.VATNumber != "00000010009" {
			t.Fatalf("normalised to %q and %q", e.ATECOCode, e.VATNumber)
		}
	})
	t.Run("a vacancy reports its first failing requirement", func(t *testing.T) {
		v := matching.Vacancy{EmployerID: 1, Title: "Cuoco", MunicipalityCode: "022205", ContractType: "permanent", Status: matching.VacancyDraft, Positions: 1,
			Requirements: []matching.Requirement{
				{Rank: 1, Kind: matching.ReqLicence, Code: "B"},
				{Rank: 1, Kind: matching.ReqLicence, Code: "C"},
				{Rank: 2, Kind: "salary"},
			}}
		wantInvalid(t, v.Validate(), "requirements[1].rank")
	})
	t.Run("an education requirement takes a single EQF digit", func(t *testing.T) {
		r := matching.Requirement{Rank: 1, Kind: matching.ReqEducation, Code: "+3"}
		wantInvalid(t, r.Validate("r."), "r.code")
	})
	t.Run("skill labels differing only by spaces are duplicates", func(t *testing.T) {
		c := matching.Candidate{GivenName: "A", FamilyName: "B", Email: "a.b@example.org", HomeMunicipality: "022205", Presentation: matching.PresentNone,
			Skills: []matching.CandidateSkill{{Label: "HACCP", Level: "basic"}, {Label: "haccp ", Level: "basic"}}}
		wantInvalid(t, c.Validate(), "skills[1].label")
	})
}

func TestGeneratedPasswordsPassTheRulesAndDiffer(t *testing.T) {
	seen := map[string]bool{}
	for i := 0; i < 50; i++ {
		pw := matching.GeneratePassword("anna.rossi@example.org", "Anna Rossi")
		if err := matching.CheckPassword(pw, "anna.rossi@example.org", "Anna Rossi"); err != nil {
			t.Fatalf("generated %q fails the rules: %v", pw, err)
		}
		if seen[pw] {
			t.Fatalf("generated %q twice", pw)
		}
		seen[pw] = true
	}
}
