package matching_test

import (
	"math"
	"strings"
	"testing"
	"time"

	"incontro/matching"
	"incontro/reference"
)

const (
	trento   = "022205"
	rovereto = "022161"
	nowhere  = "999999" // no municipality has this ISTAT code
)

// validCandidate returns a complete, valid candidate; each call returns
// fresh slices and pointers.
func validCandidate(tb testing.TB) matching.Candidate {
	tb.Helper()
	return matching.Candidate{
		GivenName:           "Giulia",
		FamilyName:          "Bianchi",
		Email:               "giulia.bianchi@example.it",
		Phone:               "+39 0461 000000",
		Headline:            "Cuoca con esperienza in cucina trentina",
		Summary:             "Dieci anni in ristoranti e rifugi del Trentino.",
		HomeMunicipality:    trento,
		HomeLat:             46.07,
		HomeLon:             11.12,
		MobilityKm:          30,
		AvailableFrom:       ptr(mustDate(tb, "2026-03-01")),
		WeeklyHours:         ptr(38),
		WorkingTime:         []string{"full_time", "shifts"},
		ContractPreferences: []string{"permanent", "fixed_term"},
		Searchable:          true,
		Presentation:        matching.PresentNamed,
		Experiences: []matching.Experience{
			{Title: "Aiuto cuoca", ISCOCode: "9412", EmployerName: "Rifugio Pedrotti", MunicipalityCode: rovereto,
				StartDate: mustDate(tb, "2014-06-01"), EndDate: ptr(mustDate(tb, "2014-09-30"))},
			{Title: "Cuoca", ISCOCode: "5120", EmployerName: "Ristorante Al Duomo", MunicipalityCode: trento,
				StartDate: mustDate(tb, "2015-03-01"), EndDate: ptr(mustDate(tb, "2018-06-30"))},
			{Title: "Capo partita", ISCOCode: "512", StartDate: mustDate(tb, "2018-09-01")},
		},
		Education: []matching.Education{
			{EQFLevel: 3, Title: "Operatore della ristorazione", Institution: "CFP Rovereto", CompletedYear: ptr(2012)},
			{EQFLevel: 4, Title: "Tecnico di cucina", CompletedYear: ptr(2013)},
		},
		Skills: []matching.CandidateSkill{
			{Label: "HACCP", Level: "advanced"},
			{Label: "Cucina trentina", Level: "expert"},
			{Label: "Excel", Level: "unspecified"},
		},
		Languages: []matching.LanguageLevel{
			{Language: "it", Level: "native"},
			{Language: "de", Level: "B1"},
			{Language: "en", Level: "A2"},
		},
		Licences: []string{"AM", "B", "C1"},
		Certifications: []matching.Certification{
			{Name: "Attestato HACCP", IssuedOn: ptr(mustDate(tb, "2020-01-15")), ExpiresOn: ptr(mustDate(tb, "2025-01-15"))},
		},
		DesiredOccupations: []matching.DesiredOccupation{
			{Title: "Cuoco", ISCOCode: "5120"},
			{Title: "Aiuto cuoco", ISCOCode: ""},
		},
	}
}

func TestCandidateValidate(t *testing.T) {
	t.Run("a complete valid candidate passes", func(t *testing.T) {
		c := validCandidate(t)
		wantValid(t, c.Validate())
	})

	passes := []struct {
		name   string
		mutate func(*matching.Candidate)
	}{
		{"a candidate with only names, e-mail and municipality passes", func(c *matching.Candidate) {
			*c = matching.Candidate{GivenName: "Ana", FamilyName: "Pop", Email: "ana@example.ro", HomeMunicipality: trento, Presentation: matching.PresentNone}
		}},
		{"a given name of 100 accented letters passes", func(c *matching.Candidate) { c.GivenName = strings.Repeat("à", 100) }},
		{"a mobility of 0 km passes", func(c *matching.Candidate) { c.MobilityKm = 0 }},
		{"a mobility of 1000 km passes", func(c *matching.Candidate) { c.MobilityKm = 1000 }},
		{"1 weekly hour passes", func(c *matching.Candidate) { c.WeeklyHours = ptr(1) }},
		{"60 weekly hours pass", func(c *matching.Candidate) { c.WeeklyHours = ptr(60) }},
		{"no weekly hours pass", func(c *matching.Candidate) { c.WeeklyHours = nil }},
		{"blind presentation passes", func(c *matching.Candidate) { c.Presentation = matching.PresentBlind }},
		{"a job that ends on the day it starts passes", func(c *matching.Candidate) { c.Experiences[0].EndDate = ptr(c.Experiences[0].StartDate) }},
		{"a job without a municipality passes", func(c *matching.Candidate) { c.Experiences[0].MunicipalityCode = "" }},
		{"a job without an ISCO code passes", func(c *matching.Candidate) { c.Experiences[0].ISCOCode = "" }},
		{"EQF levels 1 and 8 pass", func(c *matching.Candidate) { c.Education[0].EQFLevel, c.Education[1].EQFLevel = 1, 8 }},
		{"completion years 1940 and 2100 pass", func(c *matching.Candidate) {
			c.Education[0].CompletedYear, c.Education[1].CompletedYear = ptr(1940), ptr(2100)
		}},
		{"a certificate expiring on its issue day passes", func(c *matching.Candidate) { c.Certifications[0].ExpiresOn = c.Certifications[0].IssuedOn }},
		{"a certificate with an expiry and no issue date passes", func(c *matching.Candidate) { c.Certifications[0].IssuedOn = nil }},
		{"coordinates at the limits pass", func(c *matching.Candidate) { c.HomeLat, c.HomeLon = -90, 180 }},
	}
	for _, tc := range passes {
		t.Run(tc.name, func(t *testing.T) {
			c := validCandidate(t)
			tc.mutate(&c)
			wantValid(t, c.Validate())
		})
	}

	fails := []struct {
		name   string
		mutate func(*matching.Candidate)
		field  string
	}{
		{"a blank given name is refused", func(c *matching.Candidate) { c.GivenName = "  " }, "given_name"},
		{"a given name of 101 characters is refused", func(c *matching.Candidate) { c.GivenName = strings.Repeat("a", 101) }, "given_name"},
		{"a missing family name is refused", func(c *matching.Candidate) { c.FamilyName = "" }, "family_name"},
		{"a family name of 101 characters is refused", func(c *matching.Candidate) { c.FamilyName = strings.Repeat("b", 101) }, "family_name"},
		{"an invalid e-mail address is refused", func(c *matching.Candidate) { c.Email = "giulia@localhost" }, "email"},
		{"a missing e-mail address is refused", func(c *matching.Candidate) { c.Email = "" }, "email"},
		{"a headline of 201 characters is refused", func(c *matching.Candidate) { c.Headline = strings.Repeat("h", 201) }, "headline"},
		{"a summary of 5001 characters is refused", func(c *matching.Candidate) { c.Summary = strings.Repeat("s", 5001) }, "summary"},
		{"an unknown home municipality is refused", func(c *matching.Candidate) { c.HomeMunicipality = nowhere }, "home_municipality_code"},
		{"a missing home municipality is refused", func(c *matching.Candidate) { c.HomeMunicipality = "" }, "home_municipality_code"},
		{"a latitude beyond 90 is refused", func(c *matching.Candidate) { c.HomeLat = 90.5 }, "home_lat"},
		{"a longitude beyond -180 is refused", func(c *matching.Candidate) { c.HomeLon = -180.5 }, "home_lon"},
		{"a negative mobility is refused", func(c *matching.Candidate) { c.MobilityKm = -1 }, "mobility_km"},
		{"a mobility of 1001 km is refused", func(c *matching.Candidate) { c.MobilityKm = 1001 }, "mobility_km"},
		{"0 weekly hours are refused", func(c *matching.Candidate) { c.WeeklyHours = ptr(0) }, "weekly_hours"},
		{"61 weekly hours are refused", func(c *matching.Candidate) { c.WeeklyHours = ptr(61) }, "weekly_hours"},
		{"an unknown working-time pattern is refused with its index", func(c *matching.Candidate) { c.WorkingTime[1] = "sometimes" }, "working_time[1]"},
		{"a contract type among working-time patterns is refused", func(c *matching.Candidate) { c.WorkingTime = []string{"permanent"} }, "working_time[0]"},
		{"an unknown contract preference is refused with its index", func(c *matching.Candidate) { c.ContractPreferences[1] = "zero_hours" }, "contract_preferences[1]"},
		{"an unknown presentation is refused", func(c *matching.Candidate) { c.Presentation = "public" }, "presentation"},
		{"an empty presentation is refused", func(c *matching.Candidate) { c.Presentation = "" }, "presentation"},
		{"a job without a title is refused", func(c *matching.Candidate) { c.Experiences[2].Title = " " }, "experiences[2].title"},
		{"a five-digit ISCO code of a job is refused", func(c *matching.Candidate) { c.Experiences[0].ISCOCode = "51200" }, "experiences[0].isco_code"},
		{"a non-numeric ISCO code of a job is refused", func(c *matching.Candidate) { c.Experiences[1].ISCOCode = "51a" }, "experiences[1].isco_code"},
		{"a job without a start date is refused", func(c *matching.Candidate) { c.Experiences[1].StartDate = time.Time{} }, "experiences[1].start_date"},
		{"a job ending before it starts is refused", func(c *matching.Candidate) {
			c.Experiences[1].EndDate = ptr(c.Experiences[1].StartDate.AddDate(0, 0, -1))
		}, "experiences[1].end_date"},
		{"an unknown municipality of a job is refused", func(c *matching.Candidate) { c.Experiences[0].MunicipalityCode = nowhere }, "experiences[0].municipality_code"},
		{"a job description of 5001 characters is refused", func(c *matching.Candidate) { c.Experiences[2].Description = strings.Repeat("d", 5001) }, "experiences[2].description"},
		{"EQF level 0 is refused", func(c *matching.Candidate) { c.Education[1].EQFLevel = 0 }, "education[1].eqf_level"},
		{"EQF level 9 is refused", func(c *matching.Candidate) { c.Education[0].EQFLevel = 9 }, "education[0].eqf_level"},
		{"a qualification without a title is refused", func(c *matching.Candidate) { c.Education[0].Title = "" }, "education[0].title"},
		{"a completion year before 1940 is refused", func(c *matching.Candidate) { c.Education[1].CompletedYear = ptr(1939) }, "education[1].completed_year"},
		{"a completion year after 2100 is refused", func(c *matching.Candidate) { c.Education[0].CompletedYear = ptr(2101) }, "education[0].completed_year"},
		{"a skill without a label is refused", func(c *matching.Candidate) { c.Skills[1].Label = "" }, "skills[1].label"},
		{"a skill listed twice in another case is refused at the second", func(c *matching.Candidate) { c.Skills[2].Label = "haccp" }, "skills[2].label"},
		{"a skill listed in lower case and again capitalized is refused at the second", func(c *matching.Candidate) { c.Skills[0].Label = "excel" }, "skills[2].label"},
		{"an unknown skill level is refused", func(c *matching.Candidate) { c.Skills[0].Level = "guru" }, "skills[0].level"},
		{"an empty skill level is refused", func(c *matching.Candidate) { c.Skills[2].Level = "" }, "skills[2].level"},
		{"an unknown CEFR level is refused", func(c *matching.Candidate) { c.Languages[0].Level = "C3" }, "languages[0].level"},
		{"a lower-case CEFR level is refused", func(c *matching.Candidate) { c.Languages[1].Level = "b1" }, "languages[1].level"},
		{"a three-letter language code is refused", func(c *matching.Candidate) { c.Languages[1].Language = "deu" }, "languages[1].language"},
		{"an upper-case language code is refused", func(c *matching.Candidate) { c.Languages[2].Language = "EN" }, "languages[2].language"},
		{"a language listed twice is refused at the second", func(c *matching.Candidate) { c.Languages[2].Language = "it" }, "languages[2].language"},
		{"an unknown licence category is refused", func(c *matching.Candidate) { c.Licences[2] = "Z" }, "licences[2]"},
		{"a licence listed twice is refused at the second", func(c *matching.Candidate) { c.Licences[2] = "AM" }, "licences[2]"},
		{"a certification without a name is refused", func(c *matching.Candidate) { c.Certifications[0].Name = "" }, "certifications[0].name"},
		{"a certification expiring before it was issued is refused", func(c *matching.Candidate) {
			c.Certifications[0].ExpiresOn = ptr(c.Certifications[0].IssuedOn.AddDate(0, 0, -1))
		}, "certifications[0].expires_on"},
		{"a desired occupation without a title is refused", func(c *matching.Candidate) { c.DesiredOccupations[0].Title = "" }, "desired_occupations[0].title"},
		{"a desired occupation with a five-digit ISCO code is refused", func(c *matching.Candidate) { c.DesiredOccupations[1].ISCOCode = "12345" }, "desired_occupations[1].isco_code"},
		{"the first failure is named when several rules are broken", func(c *matching.Candidate) {
			c.Languages[1].Level = "Z9"
			c.Licences[0] = "Z"
		}, "languages[1].level"},
	}
	for _, tc := range fails {
		t.Run(tc.name, func(t *testing.T) {
			c := validCandidate(t)
			tc.mutate(&c)
			wantInvalid(t, c.Validate(), tc.field)
		})
	}
}

func TestCandidateNormalize(t *testing.T) {
	t.Run("names are trimmed and the e-mail address normalized", func(t *testing.T) {
		c := matching.Candidate{GivenName: "  Giulia ", FamilyName: "\tBianchi\n", Email: " Giulia.Bianchi@Example.IT "}
		c.Normalize()
		if c.GivenName != "Giulia" || c.FamilyName != "Bianchi" || c.Email != "giulia.bianchi@example.it" {
			t.Fatalf("after Normalize: %q %q %q", c.GivenName, c.FamilyName, c.Email)
		}
	})
	t.Run("missing home coordinates are taken from the municipality", func(t *testing.T) {
		m, ok := reference.MunicipalityByCode(trento)
		if !ok {
			t.Fatalf("reference data has no municipality %s", trento)
		}
		c := matching.Candidate{HomeMunicipality: trento}
		c.Normalize()
		if c.HomeLat != m.Lat || c.HomeLon != m.Lon || c.HomeLat == 0 {
			t.Fatalf("home coordinates = %v, %v; want %v, %v", c.HomeLat, c.HomeLon, m.Lat, m.Lon)
		}
	})
	t.Run("home coordinates already set are kept", func(t *testing.T) {
		c := matching.Candidate{HomeMunicipality: trento, HomeLat: 46.1, HomeLon: 11.2}
		c.Normalize()
		if c.HomeLat != 46.1 || c.HomeLon != 11.2 {
			t.Fatalf("home coordinates = %v, %v; want 46.1, 11.2", c.HomeLat, c.HomeLon)
		}
	})
	t.Run("an unknown municipality leaves the coordinates at zero", func(t *testing.T) {
		c := matching.Candidate{HomeMunicipality: nowhere}
		c.Normalize()
		if c.HomeLat != 0 || c.HomeLon != 0 {
			t.Fatalf("home coordinates = %v, %v; want 0, 0", c.HomeLat, c.HomeLon)
		}
	})
	t.Run("presentation defaults to none and nil preference lists become empty", func(t *testing.T) {
		var c matching.Candidate
		c.Normalize()
		if c.Presentation != matching.PresentNone {
			t.Errorf("Presentation = %q, want %q", c.Presentation, matching.PresentNone)
		}
		if c.WorkingTime == nil || len(c.WorkingTime) != 0 {
			t.Errorf("WorkingTime = %#v, want an empty non-nil slice", c.WorkingTime)
		}
		if c.ContractPreferences == nil || len(c.ContractPreferences) != 0 {
			t.Errorf("ContractPreferences = %#v, want an empty non-nil slice", c.ContractPreferences)
		}
	})
	t.Run("a chosen presentation is kept", func(t *testing.T) {
		c := matching.Candidate{Presentation: matching.PresentBlind}
		c.Normalize()
		if c.Presentation != matching.PresentBlind {
			t.Fatalf("Presentation = %q, want %q", c.Presentation, matching.PresentBlind)
		}
	})
}

func validProtected(tb testing.TB) matching.Protected {
	tb.Helper()
	return matching.Protected{
		CandidateID:     1,
		TaxCode:         "RSSMRA85T10A562S",
		BirthDate:       ptr(mustDate(tb, "1985-12-10")),
		Sex:             "M",
		Citizenship:     "IT",
		Disability:      true,
		L68Category:     "art1",
		L68RegisteredOn: ptr(mustDate(tb, "2019-05-02")),
	}
}

func TestProtectedValidate(t *testing.T) {
	t.Run("complete protected attributes pass", func(t *testing.T) {
		p := validProtected(t)
		wantValid(t, p.Validate())
	})
	t.Run("empty protected attributes pass", func(t *testing.T) {
		var p matching.Protected
		wantValid(t, p.Validate())
	})
	t.Run("the art18 category and sex X pass", func(t *testing.T) {
		p := validProtected(t)
		p.L68Category, p.Sex = "art18", "X"
		wantValid(t, p.Validate())
	})

	fails := []struct {
		name   string
		mutate func(*matching.Protected)
		field  string
	}{
		{"a codice fiscale with a wrong check character is refused", func(p *matching.Protected) { p.TaxCode = "RSSMRA85T10A562T" }, "tax_code"},
		{"a lower-case codice fiscale is refused", func(p *matching.Protected) { p.TaxCode = "rssmra85t10a562s" }, "tax_code"},
		{"an unknown sex is refused", func(p *matching.Protected) { p.Sex = "male" }, "sex"},
		{"a three-letter citizenship is refused", func(p *matching.Protected) { p.Citizenship = "ITA" }, "citizenship"},
		{"a lower-case citizenship is refused", func(p *matching.Protected) { p.Citizenship = "it" }, "citizenship"},
		{"an unknown L. 68/99 category is refused", func(p *matching.Protected) { p.L68Category = "art2" }, "l68_category"},
		{"a registration date without a category is refused", func(p *matching.Protected) { p.L68Category = "" }, "l68_registered_on"},
	}
	for _, tc := range fails {
		t.Run(tc.name, func(t *testing.T) {
			p := validProtected(t)
			tc.mutate(&p)
			wantInvalid(t, p.Validate(), tc.field)
		})
	}
}

// yearsOfDays converts a number of days into the years the package reports.
func yearsOfDays(days int) float64 { return float64(days) / 365.25 }

func closeTo(got, want float64) bool { return math.Abs(got-want) < 1e-9 }

func TestExperienceYears(t *testing.T) {
	asOf := mustDate(t, "2026-01-01")
	tests := []struct {
		name string
		exp  matching.Experience
		want float64
	}{
		{"a job of one common year counts 365 days", matching.Experience{
			StartDate: mustDate(t, "2019-01-01"), EndDate: ptr(mustDate(t, "2020-01-01"))}, yearsOfDays(365)},
		{"a job over a leap year counts 366 days", matching.Experience{
			StartDate: mustDate(t, "2020-01-01"), EndDate: ptr(mustDate(t, "2021-01-01"))}, yearsOfDays(366)},
		{"an open job counts up to the given day", matching.Experience{
			StartDate: mustDate(t, "2025-01-01")}, yearsOfDays(365)},
		{"a job ending on the day it starts counts zero", matching.Experience{
			StartDate: mustDate(t, "2020-05-05"), EndDate: ptr(mustDate(t, "2020-05-05"))}, 0},
		{"a job ending before it starts counts zero", matching.Experience{
			StartDate: mustDate(t, "2020-05-05"), EndDate: ptr(mustDate(t, "2019-05-05"))}, 0},
		{"an open job starting after the given day counts zero", matching.Experience{
			StartDate: mustDate(t, "2026-06-01")}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.exp.Years(asOf); !closeTo(got, tc.want) {
				t.Fatalf("Years = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestTotalExperienceYears(t *testing.T) {
	asOf := mustDate(t, "2026-01-01")
	job := func(from, to string) matching.Experience {
		e := matching.Experience{Title: "job", StartDate: mustDate(t, from)}
		if to != "" {
			e.EndDate = ptr(mustDate(t, to))
		}
		return e
	}
	tests := []struct {
		name string
		jobs []matching.Experience
		days int
	}{
		{"a CV without jobs counts zero", nil, 0},
		{"a single job counts its length", []matching.Experience{
			job("2010-01-01", "2011-01-01")}, 365},
		{"disjoint jobs add up", []matching.Experience{
			job("2010-01-01", "2011-01-01"), job("2015-01-01", "2016-01-01")}, 365 + 365},
		{"disjoint jobs listed latest first add up", []matching.Experience{
			job("2015-01-01", "2016-01-01"), job("2012-01-01", "2013-01-01"), job("2010-01-01", "2011-01-01")}, 365 + 366 + 365},
		{"a job starting on the day the previous one ends adds up without a gap", []matching.Experience{
			job("2010-01-01", "2011-01-01"), job("2011-01-01", "2012-01-01")}, 365 + 365},
		{"overlapping jobs are counted once", []matching.Experience{
			job("2010-01-01", "2012-01-01"), job("2011-01-01", "2013-01-01")}, 365 + 365 + 366},
		{"a job inside another is counted once", []matching.Experience{
			job("2010-01-01", "2015-01-01"), job("2011-01-01", "2012-01-01")}, 4*365 + 366},
		{"a job inside another listed first is counted once", []matching.Experience{
			job("2011-01-01", "2012-01-01"), job("2010-01-01", "2015-01-01")}, 4*365 + 366},
		{"a chain of overlapping jobs is counted from first start to last end", []matching.Experience{
			job("2013-01-01", "2015-01-01"), job("2010-01-01", "2012-01-01"), job("2011-06-01", "2013-06-01")}, 4*365 + 366},
		{"an overlapping pair and a later disjoint job add up", []matching.Experience{
			job("2010-01-01", "2011-01-01"), job("2010-07-01", "2011-01-01"), job("2020-01-01", "2021-01-01")}, 365 + 366},
		{"an open job counts up to the given day", []matching.Experience{
			job("2025-01-01", "")}, 365},
		{"an open job overlapping a closed one is counted once", []matching.Experience{
			job("2024-01-01", "2025-07-01"), job("2025-01-01", "")}, 366 + 365},
		{"a job ending before it starts counts zero", []matching.Experience{
			job("2012-01-01", "2011-01-01")}, 0},
		{"a job ending before it starts adds nothing to the others", []matching.Experience{
			job("2010-01-01", "2011-01-01"), job("2018-01-01", "2015-01-01")}, 365},
		{"an open job starting after the given day counts zero", []matching.Experience{
			job("2010-01-01", "2011-01-01"), job("2026-03-01", "")}, 365},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := matching.Candidate{Experiences: tc.jobs}
			if got, want := c.TotalExperienceYears(asOf), yearsOfDays(tc.days); !closeTo(got, want) {
				t.Fatalf("TotalExperienceYears = %v (%.2f days), want %v (%d days)", got, got*365.25, want, tc.days)
			}
		})
	}

	t.Run("disjoint jobs total the sum of their own years", func(t *testing.T) {
		c := matching.Candidate{Experiences: []matching.Experience{
			job("2001-03-15", "2003-11-20"), job("2005-02-01", "2009-08-31"), job("2019-04-01", ""),
		}}
		var sum float64
		for _, e := range c.Experiences {
			sum += e.Years(asOf)
		}
		if got := c.TotalExperienceYears(asOf); !closeTo(got, sum) {
			t.Fatalf("TotalExperienceYears = %v, want the sum of Years %v", got, sum)
		}
	})
	t.Run("the order of the jobs does not change the total", func(t *testing.T) {
		jobs := []matching.Experience{
			job("2010-01-01", "2012-01-01"), job("2011-01-01", "2013-01-01"), job("2016-01-01", "2017-01-01"), job("2016-06-01", ""),
		}
		first := (&matching.Candidate{Experiences: jobs}).TotalExperienceYears(asOf)
		reversed := []matching.Experience{jobs[3], jobs[2], jobs[1], jobs[0]}
		if got := (&matching.Candidate{Experiences: reversed}).TotalExperienceYears(asOf); !closeTo(got, first) {
			t.Fatalf("reversed order totals %v, listed order %v", got, first)
		}
	})
}
