package matching_test

import (
	"strings"
	"testing"
	"time"

	"incontro/matching"
)

// Indexes of each requirement kind in validVacancy's requirements.
const (
	reqOccupation = iota
	reqSkill
	reqEducation
	reqLanguage
	reqLicence
	reqCertification
	reqDistance
	reqAvailability
	reqWorkingTime
	reqContract
	reqCount
)

// validVacancy returns a valid draft vacancy with one requirement of each
// kind, ranked in an order different from the order of the slice.
func validVacancy(tb testing.TB) matching.Vacancy {
	tb.Helper()
	return matching.Vacancy{
		EmployerID:       1,
		Title:            "Cuoco/a capo partita",
		Description:      "Ristorante nel centro di Trento cerca cuoco/a.",
		OccupationCode:   "5.2.2.1.0",
		ISCOCode:         "5120",
		MunicipalityCode: trento,
		ContractType:     "fixed_term",
		WorkingTime:      []string{"full_time", "weekends"},
		WeeklyHours:      ptr(40),
		Positions:        2,
		Status:           matching.VacancyDraft,
		Requirements: []matching.Requirement{
			reqOccupation:    {Rank: 3, Essential: true, Kind: matching.ReqOccupation, Label: "Cuoco", MinYears: ptr(2.0)},
			reqSkill:         {Rank: 1, Essential: true, Kind: matching.ReqSkill, Label: "HACCP", Level: "basic"},
			reqEducation:     {Rank: 10, Kind: matching.ReqEducation, Code: "3", Field: "ristorazione"},
			reqLanguage:      {Rank: 2, Kind: matching.ReqLanguage, Code: "de", Level: "B1"},
			reqLicence:       {Rank: 9, Kind: matching.ReqLicence, Code: "B"},
			reqCertification: {Rank: 4, Kind: matching.ReqCertification, Code: "haccp", Label: "Attestato HACCP"},
			reqDistance:      {Rank: 5, Kind: matching.ReqDistance, MaxKm: ptr(30)},
			reqAvailability:  {Rank: 6, Kind: matching.ReqAvailability, FromDate: ptr(mustDate(tb, "2026-04-01"))},
			reqWorkingTime:   {Rank: 7, Kind: matching.ReqWorkingTime, Values: []string{"full_time", "shifts"}},
			reqContract:      {Rank: 8, Kind: matching.ReqContract, Values: []string{"fixed_term", "seasonal"}},
		},
	}
}

// reqField names a field of the requirement at index i.
func reqField(i int, name string) string {
	return "requirements[" + itoa(i) + "]." + name
}

func TestVacancyFixtureHasOneRequirementOfEachKind(t *testing.T) {
	v := validVacancy(t)
	kinds := matching.RequirementKinds()
	if len(v.Requirements) != reqCount || len(kinds) != reqCount {
		t.Fatalf("fixture has %d requirements and the package %d kinds, want %d", len(v.Requirements), len(kinds), reqCount)
	}
	for i, k := range kinds {
		if v.Requirements[i].Kind != k {
			t.Errorf("requirement %d is a %q, want a %q", i, v.Requirements[i].Kind, k)
		}
	}
}

func TestVacancyValidate(t *testing.T) {
	t.Run("a vacancy with one requirement of each kind passes", func(t *testing.T) {
		v := validVacancy(t)
		wantValid(t, v.Validate())
	})

	passes := []struct {
		name   string
		mutate func(*matching.Vacancy)
	}{
		{"a vacancy without requirements passes", func(v *matching.Vacancy) { v.Requirements = nil }},
		{"a published vacancy with its publication time passes", func(v *matching.Vacancy) {
			v.Status, v.PublishedAt = matching.VacancyPublished, ptr(time.Date(2026, 2, 1, 9, 0, 0, 0, time.UTC))
		}},
		{"a closed vacancy with its publication time passes", func(v *matching.Vacancy) {
			v.Status, v.PublishedAt = matching.VacancyClosed, ptr(time.Date(2026, 2, 1, 9, 0, 0, 0, time.UTC))
		}},
		{"a vacancy without an ISCO code passes", func(v *matching.Vacancy) { v.ISCOCode = "" }},
		{"1 position passes", func(v *matching.Vacancy) { v.Positions = 1 }},
		{"1000 positions pass", func(v *matching.Vacancy) { v.Positions = 1000 }},
		{"a skill requirement with only a code passes", func(v *matching.Vacancy) {
			v.Requirements[reqSkill].Label, v.Requirements[reqSkill].Code = "", "S1.2.3"
		}},
		{"a skill requirement without a level passes", func(v *matching.Vacancy) { v.Requirements[reqSkill].Level = "" }},
		{"an occupation requirement of 0 years passes", func(v *matching.Vacancy) { v.Requirements[reqOccupation].MinYears = ptr(0.0) }},
		{"an occupation requirement of 60 years passes", func(v *matching.Vacancy) { v.Requirements[reqOccupation].MinYears = ptr(60.0) }},
		{"an education requirement of EQF level 1 passes", func(v *matching.Vacancy) { v.Requirements[reqEducation].Code = "1" }},
		{"an education requirement of EQF level 8 passes", func(v *matching.Vacancy) { v.Requirements[reqEducation].Code = "8" }},
		{"a native-level language requirement passes", func(v *matching.Vacancy) { v.Requirements[reqLanguage].Level = "native" }},
		{"a CQC requirement passes", func(v *matching.Vacancy) { v.Requirements[reqLicence].Code = "CQC_goods" }},
		{"a distance of 1 km passes", func(v *matching.Vacancy) { v.Requirements[reqDistance].MaxKm = ptr(1) }},
		{"a distance of 500 km passes", func(v *matching.Vacancy) { v.Requirements[reqDistance].MaxKm = ptr(500) }},
		{"ranks given in slice order pass", func(v *matching.Vacancy) {
			for i := range v.Requirements {
				v.Requirements[i].Rank = i + 1
			}
		}},
	}
	for _, tc := range passes {
		t.Run(tc.name, func(t *testing.T) {
			v := validVacancy(t)
			tc.mutate(&v)
			wantValid(t, v.Validate())
		})
	}

	fails := []struct {
		name   string
		mutate func(*matching.Vacancy)
		field  string
	}{
		{"a vacancy without an employer is refused", func(v *matching.Vacancy) { v.EmployerID = 0 }, "employer_id"},
		{"a blank title is refused", func(v *matching.Vacancy) { v.Title = " " }, "title"},
		{"a title of 201 characters is refused", func(v *matching.Vacancy) { v.Title = strings.Repeat("t", 201) }, "title"},
		{"a description of 10001 characters is refused", func(v *matching.Vacancy) { v.Description = strings.Repeat("d", 10001) }, "description"},
		{"a five-digit ISCO code is refused", func(v *matching.Vacancy) { v.ISCOCode = "51200" }, "isco_code"},
		{"an unknown municipality is refused", func(v *matching.Vacancy) { v.MunicipalityCode = nowhere }, "municipality_code"},
		{"an unknown contract type is refused", func(v *matching.Vacancy) { v.ContractType = "zero_hours" }, "contract_type"},
		{"a missing contract type is refused", func(v *matching.Vacancy) { v.ContractType = "" }, "contract_type"},
		{"an unknown working-time pattern is refused with its index", func(v *matching.Vacancy) { v.WorkingTime[1] = "sometimes" }, "working_time[1]"},
		{"0 weekly hours are refused", func(v *matching.Vacancy) { v.WeeklyHours = ptr(0) }, "weekly_hours"},
		{"61 weekly hours are refused", func(v *matching.Vacancy) { v.WeeklyHours = ptr(61) }, "weekly_hours"},
		{"0 positions are refused", func(v *matching.Vacancy) { v.Positions = 0 }, "positions"},
		{"1001 positions are refused", func(v *matching.Vacancy) { v.Positions = 1001 }, "positions"},
		{"an unknown status is refused", func(v *matching.Vacancy) { v.Status = "archived" }, "status"},
		{"a published vacancy without its publication time is refused", func(v *matching.Vacancy) { v.Status = matching.VacancyPublished }, "published_at"},
		{"a closed vacancy without its publication time is refused", func(v *matching.Vacancy) { v.Status = matching.VacancyClosed }, "published_at"},

		{"an occupation requirement without code or label is refused", func(v *matching.Vacancy) { v.Requirements[reqOccupation].Label = "  " }, reqField(reqOccupation, "code")},
		{"a negative minimum of years is refused", func(v *matching.Vacancy) { v.Requirements[reqOccupation].MinYears = ptr(-0.5) }, reqField(reqOccupation, "min_years")},
		{"a minimum of 61 years is refused", func(v *matching.Vacancy) { v.Requirements[reqOccupation].MinYears = ptr(61.0) }, reqField(reqOccupation, "min_years")},
		{"a skill requirement without code or label is refused", func(v *matching.Vacancy) { v.Requirements[reqSkill].Label = "" }, reqField(reqSkill, "code")},
		{"an unknown skill level is refused", func(v *matching.Vacancy) { v.Requirements[reqSkill].Level = "guru" }, reqField(reqSkill, "level")},
		{"a certification requirement without code or label is refused", func(v *matching.Vacancy) {
			v.Requirements[reqCertification].Code, v.Requirements[reqCertification].Label = "", ""
		}, reqField(reqCertification, "code")},
		{"EQF level 0 is refused", func(v *matching.Vacancy) { v.Requirements[reqEducation].Code = "0" }, reqField(reqEducation, "code")},
		{"EQF level 9 is refused", func(v *matching.Vacancy) { v.Requirements[reqEducation].Code = "9" }, reqField(reqEducation, "code")},
		{"an EQF level in words is refused", func(v *matching.Vacancy) { v.Requirements[reqEducation].Code = "three" }, reqField(reqEducation, "code")},
		{"an education requirement without a level is refused", func(v *matching.Vacancy) { v.Requirements[reqEducation].Code = "" }, reqField(reqEducation, "code")},
		{"a three-letter language code is refused", func(v *matching.Vacancy) { v.Requirements[reqLanguage].Code = "deu" }, reqField(reqLanguage, "code")},
		{"a language requirement without a level is refused", func(v *matching.Vacancy) { v.Requirements[reqLanguage].Level = "" }, reqField(reqLanguage, "level")},
		{"an unknown CEFR level is refused", func(v *matching.Vacancy) { v.Requirements[reqLanguage].Level = "C3" }, reqField(reqLanguage, "level")},
		{"an unknown licence category is refused", func(v *matching.Vacancy) { v.Requirements[reqLicence].Code = "Z" }, reqField(reqLicence, "code")},
		{"a licence requirement without a category is refused", func(v *matching.Vacancy) { v.Requirements[reqLicence].Code = "" }, reqField(reqLicence, "code")},
		{"a distance requirement without a distance is refused", func(v *matching.Vacancy) { v.Requirements[reqDistance].MaxKm = nil }, reqField(reqDistance, "max_km")},
		{"a distance of 0 km is refused", func(v *matching.Vacancy) { v.Requirements[reqDistance].MaxKm = ptr(0) }, reqField(reqDistance, "max_km")},
		{"a distance of 501 km is refused", func(v *matching.Vacancy) { v.Requirements[reqDistance].MaxKm = ptr(501) }, reqField(reqDistance, "max_km")},
		{"an availability requirement without a date is refused", func(v *matching.Vacancy) { v.Requirements[reqAvailability].FromDate = nil }, reqField(reqAvailability, "from_date")},
		{"a working-time requirement without patterns is refused", func(v *matching.Vacancy) { v.Requirements[reqWorkingTime].Values = nil }, reqField(reqWorkingTime, "values")},
		{"an unknown working-time pattern in a requirement is refused with its index", func(v *matching.Vacancy) {
			v.Requirements[reqWorkingTime].Values[1] = "sometimes"
		}, reqField(reqWorkingTime, "values[1]")},
		{"a contract requirement without types is refused", func(v *matching.Vacancy) { v.Requirements[reqContract].Values = []string{} }, reqField(reqContract, "values")},
		{"an unknown contract type in a requirement is refused with its index", func(v *matching.Vacancy) {
			v.Requirements[reqContract].Values[0] = "zero_hours"
		}, reqField(reqContract, "values[0]")},
		{"an unknown requirement kind is refused", func(v *matching.Vacancy) { v.Requirements[reqLicence].Kind = "salary" }, reqField(reqLicence, "kind")},

		{"rank 0 is refused", func(v *matching.Vacancy) { v.Requirements[reqEducation].Rank = 0 }, reqField(reqEducation, "rank")},
		{"a negative rank is refused", func(v *matching.Vacancy) { v.Requirements[reqSkill].Rank = -1 }, reqField(reqSkill, "rank")},
		{"rank 51 is refused", func(v *matching.Vacancy) { v.Requirements[reqSkill].Rank = 51 }, reqField(reqSkill, "rank")},
		{"a gap in the ranks is refused at the rank past the count", func(v *matching.Vacancy) {
			v.Requirements[reqEducation].Rank = 11 // ranks 1…9 and 11
		}, reqField(reqEducation, "rank")},
		{"a repeated rank is refused at its second occurrence", func(v *matching.Vacancy) {
			v.Requirements[reqContract].Rank = 3 // the occupation requirement has rank 3 too
		}, reqField(reqContract, "rank")},
		{"a repeated rank listed before the first is refused at the later one", func(v *matching.Vacancy) {
			v.Requirements[reqSkill].Rank = 10 // the education requirement, later in the slice, has rank 10
		}, reqField(reqEducation, "rank")},
	}
	for _, tc := range fails {
		t.Run(tc.name, func(t *testing.T) {
			v := validVacancy(t)
			tc.mutate(&v)
			wantInvalid(t, v.Validate(), tc.field)
		})
	}

	ranks := []struct {
		name  string
		ranks []int
		field string
	}{
		{"ranks 1 and 3 of two requirements leave a gap", []int{1, 3}, "requirements[1].rank"},
		{"ranks 2 and 3 of two requirements leave a gap before them", []int{2, 3}, "requirements[1].rank"},
		{"ranks 1, 1 and 2 repeat a rank", []int{1, 1, 2}, "requirements[1].rank"},
		{"ranks 2, 2 of two requirements repeat a rank", []int{2, 2}, "requirements[1].rank"},
		{"ranks 3, 1, 2, 5 of four requirements leave a gap", []int{3, 1, 2, 5}, "requirements[3].rank"},
		{"ranks 1, 2, 2 repeat the last rank", []int{1, 2, 2}, "requirements[2].rank"},
	}
	for _, tc := range ranks {
		t.Run(tc.name, func(t *testing.T) {
			v := validVacancy(t)
			v.Requirements = nil
			for _, r := range tc.ranks {
				v.Requirements = append(v.Requirements, matching.Requirement{Rank: r, Kind: matching.ReqLicence, Code: "B"})
			}
			wantInvalid(t, v.Validate(), tc.field)
		})
	}
	for _, order := range [][]int{{1}, {1, 2}, {2, 1}, {3, 1, 2}, {4, 2, 3, 1}} {
		t.Run("ranks "+intsString(order)+" run from 1 without gap or repeat and pass", func(t *testing.T) {
			v := validVacancy(t)
			v.Requirements = nil
			for _, r := range order {
				v.Requirements = append(v.Requirements, matching.Requirement{Rank: r, Kind: matching.ReqLicence, Code: "B"})
			}
			wantValid(t, v.Validate())
		})
	}
}

func intsString(ns []int) string {
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = itoa(n)
	}
	return strings.Join(s, ", ")
}

func TestRequirementValidatePrefixesTheFieldName(t *testing.T) {
	tests := []struct {
		name   string
		prefix string
		req    matching.Requirement
		field  string
	}{
		{"without a prefix the bare field is named", "", matching.Requirement{Rank: 1, Kind: matching.ReqLanguage, Code: "de"}, "level"},
		{"the prefix is put before the field", "requirements[4].", matching.Requirement{Rank: 1, Kind: matching.ReqLanguage, Code: "de"}, "requirements[4].level"},
		{"the prefix is put before an indexed value", "r.", matching.Requirement{Rank: 1, Kind: matching.ReqContract, Values: []string{"permanent", "x"}}, "r.values[1]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			wantInvalid(t, tc.req.Validate(tc.prefix), tc.field)
		})
	}
}

func TestVacancyNormalize(t *testing.T) {
	v := matching.Vacancy{Title: "  Cuoco/a \n", Requirements: []matching.Requirement{{Kind: matching.ReqLicence, Code: "B"}}}
	v.Normalize()
	if v.Title != "Cuoco/a" {
		t.Errorf("Title = %q, want %q", v.Title, "Cuoco/a")
	}
	if v.Status != matching.VacancyDraft {
		t.Errorf("Status = %q, want %q", v.Status, matching.VacancyDraft)
	}
	if v.Positions != 1 {
		t.Errorf("Positions = %d, want 1", v.Positions)
	}
	if v.WorkingTime == nil {
		t.Error("WorkingTime is nil, want an empty slice")
	}
	if v.Requirements[0].Values == nil {
		t.Error("Requirements[0].Values is nil, want an empty slice")
	}

	kept := matching.Vacancy{Status: matching.VacancyPublished, Positions: 3}
	kept.Normalize()
	if kept.Status != matching.VacancyPublished || kept.Positions != 3 {
		t.Errorf("Normalize changed status and positions to %q, %d; want %q, 3", kept.Status, kept.Positions, matching.VacancyPublished)
	}
}
