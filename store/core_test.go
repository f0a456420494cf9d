package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"incontro/matching"
	"incontro/store"
)

func day(y int, m time.Month, d int) *time.Time {
	t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return &t
}

// fullCandidate is a CV with every part filled in.
func fullCandidate(email string) matching.Candidate {
	hours := 30
	year := 2015
	return matching.Candidate{
		GivenName: "Martina", FamilyName: "Dalpiaz", Email: email, Phone: "+39 0461 000000",
		Headline: "Cameriera di sala con 6 anni di esperienza", Summary: "Lavoro in sala da sei stagioni.",
		HomeMunicipality: "022153", MobilityKm: 25, AvailableFrom: day(2026, 12, 1), WeeklyHours: &hours,
		WorkingTime: []string{"part_time", "weekends", "seasonal"}, ContractPreferences: []string{"seasonal", "fixed_term"},
		Searchable: true, Presentation: matching.PresentBlind,
		Experiences: []matching.Experience{
			{OccupationCode: "occ-cameriere-sala", ISCOCode: "5131", Title: "Cameriera di sala", EmployerName: "Hotel Garda",
				MunicipalityCode: "022153", StartDate: *day(2022, 4, 1), Description: "Servizio ai tavoli, 80 coperti."},
			{OccupationCode: "occ-barista", ISCOCode: "5132", Title: "Barista", EmployerName: "Bar Centrale",
				MunicipalityCode: "022005", StartDate: *day(2019, 5, 1), EndDate: day(2021, 10, 15)},
		},
		Education: []matching.Education{{EQFLevel: 4, Title: "Diploma di istituto professionale",
			Field: "Enogastronomia e ospitalità alberghiera", Institution: "Istituto alberghiero di Riva", CompletedYear: &year}},
		Skills: []matching.CandidateSkill{{Code: "sk-servizio-tavoli", Label: "Servizio ai tavoli", Level: "advanced"},
			{Label: "Preparazione cocktail", Level: "basic"}},
		Languages:      []matching.LanguageLevel{{Language: "de", Level: "B2"}, {Language: "en", Level: "B1"}, {Language: "it", Level: "native"}},
		Licences:       []string{"AM", "B"},
		Certifications: []matching.Certification{{Code: "haccp", Name: "Attestato HACCP", IssuedOn: day(2023, 3, 2), ExpiresOn: day(2027, 3, 2)}},
		DesiredOccupations: []matching.DesiredOccupation{{OccupationCode: "occ-cameriere-sala", ISCOCode: "5131", Title: "Cameriera di sala"},
			{Title: "Receptionist", ISCOCode: "4224"}},
	}
}

func outboxRows(t *testing.T, s *store.DB, entity string, id int64) []string {
	t.Helper()
	ops := []string{}
	err := s.SQL().SelectContext(context.Background(), &ops, `SELECT op FROM outbox WHERE entity = $1 AND entity_id = $2 ORDER BY id`, entity, id)
	mustNoError(t, err, "read outbox")
	return ops
}

func TestProviderUserAndEmployerRoundTrip(t *testing.T) {
	ctx := context.Background()
	s := MustStore(t)
	p := MustProvider(t, s)
	got, err := s.Provider(ctx, p.ID)
	mustNoError(t, err, "read provider")
	if diff := cmp.Diff(p, got); diff != "" {
		t.Errorf("provider read back differs:\n%s", diff)
	}
	u := MustOperator(t, s, p.ID)
	gotU, err := s.UserByEmail(ctx, "  "+u.Email+" ")
	mustNoError(t, err, "read user by e-mail")
	if diff := cmp.Diff(u, gotU); diff != "" {
		t.Errorf("user read back differs:\n%s", diff)
	}
	users, total, err := s.Users(ctx, store.UserFilter{Role: matching.RoleOperator, ProviderID: p.ID})
	mustNoError(t, err, "list users")
	if total != 1 || len(users) != 1 || users[0].ID != u.ID {
		t.Errorf("operators of the provider = %v (total %d)", users, total)
	}

	e := MustEmployer(t, s, p.ID)
	gotE, err := s.Employer(ctx, e.ID)
	mustNoError(t, err, "read employer")
	if diff := cmp.Diff(e, gotE); diff != "" {
		t.Errorf("employer read back differs:\n%s", diff)
	}
	e.Name, e.Website, e.VATNumber = "Ristorante Nuovo", "https://ristorante.example.it", ""
	mustNoError(t, s.UpdateEmployer(ctx, &e), "update employer")
	gotE, err = s.Employer(ctx, e.ID)
	mustNoError(t, err, "read employer")
	if diff := cmp.Diff(e, gotE); diff != "" {
		t.Errorf("updated employer read back differs:\n%s", diff)
	}
	_, err = s.Employer(ctx, 999999)
	wantError(t, err, matching.ENOTFOUND, "")
}

func TestCandidateRoundTripsWithTheWholeCV(t *testing.T) {
	ctx := context.Background()
	s := MustStore(t)
	c := fullCandidate("martina.dalpiaz@example.org")
	mustNoError(t, s.CreateCandidate(ctx, &c), "create candidate")
	if c.HomeLat == 0 || c.HomeLon == 0 {
		t.Fatal("the home coordinates were not filled from the municipality")
	}
	got, err := s.Candidate(ctx, c.ID)
	mustNoError(t, err, "read candidate")
	if diff := cmp.Diff(c, got); diff != "" {
		t.Fatalf("candidate read back differs:\n%s", diff)
	}

	c.Languages = []matching.LanguageLevel{{Language: "de", Level: "C1"}}
	c.Experiences = c.Experiences[:1]
	c.Skills = nil
	c.Presentation = matching.PresentNamed
	mustNoError(t, s.UpdateCandidate(ctx, &c), "update candidate")
	got, err = s.Candidate(ctx, c.ID)
	mustNoError(t, err, "read candidate")
	c.Skills = []matching.CandidateSkill{}
	if diff := cmp.Diff(c, got); diff != "" {
		t.Fatalf("updated candidate read back differs:\n%s", diff)
	}
	if ops := outboxRows(t, s, matching.EntityCandidate, c.ID); !cmp.Equal(ops, []string{"upsert", "upsert"}) {
		t.Errorf("outbox rows for the candidate = %v, want two upserts", ops)
	}

	other := MustCandidate(t, s, matching.PresentNamed)
	both, err := s.CandidatesByID(ctx, []int64{other.ID, 424242, c.ID})
	mustNoError(t, err, "read candidates")
	if len(both) != 2 || both[0].ID != other.ID || both[1].ID != c.ID {
		t.Errorf("CandidatesByID does not keep the order of ids or skip missing ones: %v", both)
	}
}

func TestProtectedAttributesAreKeptApart(t *testing.T) {
	ctx := context.Background()
	s := MustStore(t)
	c := MustCandidate(t, s, matching.PresentNamed)
	_, err := s.Protected(ctx, c.ID)
	wantError(t, err, matching.ENOTFOUND, "")
	p := matching.Protected{CandidateID: c.ID, TaxCode: "RSSMRA85T10A562S", BirthDate: day(1985, 12, 10), Sex: "M",
		Citizenship: "IT", Disability: true, L68Category: "art1", L68RegisteredOn: day(2024, 1, 15)}
	mustNoError(t, s.SetProtected(ctx, &p), "set protected")
	got, err := s.Protected(ctx, c.ID)
	mustNoError(t, err, "read protected")
	if diff := cmp.Diff(p, got); diff != "" {
		t.Errorf("protected attributes read back differ:\n%s", diff)
	}
	p.Sex, p.L68DiscloseToEmployers = "X", true
	mustNoError(t, s.SetProtected(ctx, &p), "update protected")
	got, _ = s.Protected(ctx, c.ID)
	if got.Sex != "X" || !got.L68DiscloseToEmployers {
		t.Errorf("protected attributes not updated: %+v", got)
	}
	if ops := outboxRows(t, s, matching.EntityCandidate, c.ID); len(ops) != 1 {
		t.Errorf("changing protected attributes must not touch the index; outbox = %v", ops)
	}
	bad := matching.Protected{CandidateID: c.ID, TaxCode: "RSSMRA85T10A562X"}
	wantError(t, s.SetProtected(ctx, &bad), matching.EINVALID, "tax_code")
}

func TestErasingACandidateKeepsAPseudonymousRecord(t *testing.T) {
	ctx := context.Background()
	s := MustStore(t)
	f := MustRequest(t, s)
	c := fullCandidate("da.cancellare@example.org")
	mustNoError(t, s.CreateCandidate(ctx, &c), "create candidate")
	mustNoError(t, s.SetProtected(ctx, &matching.Protected{CandidateID: c.ID, Sex: "F"}), "set protected")
	u := matching.User{Email: c.Email, Name: "Martina Dalpiaz", Role: matching.RoleJobseeker, CandidateID: &c.ID}
	mustNoError(t, s.CreateUser(ctx, &u), "create jobseeker account")
	e := MustEntry(t, s, f.Request.ID, c.ID, &f.Operator.ID)

	mustNoError(t, s.EraseCandidate(ctx, c.ID), "erase")
	_, err := s.Candidate(ctx, c.ID)
	wantError(t, err, matching.ENOTFOUND, "")
	_, err = s.Protected(ctx, c.ID)
	wantError(t, err, matching.ENOTFOUND, "")
	_, err = s.User(ctx, u.ID)
	wantError(t, err, matching.ENOTFOUND, "")
	for _, table := range []string{"candidate_experiences", "candidate_skills", "candidate_languages", "candidate_licences",
		"candidate_certifications", "candidate_education", "candidate_desired_occupations"} {
		var n int
		mustNoError(t, s.SQL().GetContext(ctx, &n, `SELECT count(*) FROM `+table+` WHERE candidate_id = $1`, c.ID), table)
		if n != 0 {
			t.Errorf("%s still holds %d rows of the erased candidate", table, n)
		}
	}
	kept, err := s.PipelineEntry(ctx, e.ID)
	mustNoError(t, err, "read pipeline entry")
	if kept.CandidateID != nil || kept.Pseudonym == "" || kept.Pseudonym != e.Pseudonym {
		t.Errorf("pipeline entry after erasure = %+v; want no candidate and the same pseudonym", kept)
	}
	if ops := outboxRows(t, s, matching.EntityCandidate, c.ID); !cmp.Equal(ops, []string{"upsert", "delete"}) {
		t.Errorf("outbox rows = %v, want upsert then delete", ops)
	}
	wantError(t, s.EraseCandidate(ctx, c.ID), matching.ENOTFOUND, "")
}

func TestVacancyRoundTripsWithEveryRequirementKind(t *testing.T) {
	ctx := context.Background()
	s := MustStore(t)
	p := MustProvider(t, s)
	e := MustEmployer(t, s, p.ID)
	years, km := 2.5, 30
	hours := 38
	v := matching.Vacancy{EmployerID: e.ID, Title: "Autista patente CE", Description: "Trasporti nazionali.",
		OccupationCode: "occ-autista-ce", ISCOCode: "8332", MunicipalityCode: "022161", ContractType: "permanent",
		WorkingTime: []string{"full_time", "shifts"}, WeeklyHours: &hours, Positions: 2,
		Status: matching.VacancyPublished, PublishedAt: ptr(time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)), ClosesOn: day(2026, 12, 31),
		Requirements: []matching.Requirement{
			{Rank: 1, Essential: true, Kind: matching.ReqLicence, Code: "CE"},
			{Rank: 2, Essential: true, Kind: matching.ReqOccupation, Code: "occ-autista-ce", Label: "Autista", MinYears: &years},
			{Rank: 3, Kind: matching.ReqCertification, Code: "adr", Label: "ADR"},
			{Rank: 4, Kind: matching.ReqLanguage, Code: "de", Level: "A2"},
			{Rank: 5, Kind: matching.ReqSkill, Code: "sk-cronotachigrafo", Label: "Cronotachigrafo", Level: "intermediate"},
			{Rank: 6, Kind: matching.ReqEducation, Code: "3", Field: "Logistica"},
			{Rank: 7, Kind: matching.ReqDistance, MaxKm: &km},
			{Rank: 8, Kind: matching.ReqAvailability, FromDate: day(2027, 1, 7)},
			{Rank: 9, Kind: matching.ReqWorkingTime, Values: []string{"shifts"}},
			{Rank: 10, Kind: matching.ReqContract, Values: []string{"permanent", "fixed_term"}},
		}}
	mustNoError(t, s.CreateVacancy(ctx, &v), "create vacancy")
	got, err := s.Vacancy(ctx, v.ID)
	mustNoError(t, err, "read vacancy")
	opts := cmpopts.EquateEmpty()
	if diff := cmp.Diff(v, got, opts); diff != "" {
		t.Fatalf("vacancy read back differs:\n%s", diff)
	}

	// Reordering: ranks swap inside one transaction (the unique rank is
	// deferred) and every requirement keeps its id.
	licenceID, occupationID := v.Requirements[0].ID, v.Requirements[1].ID
	v.Requirements[0].Rank, v.Requirements[1].Rank = 2, 1
	mustNoError(t, s.UpdateVacancy(ctx, &v), "reorder requirements")
	got, _ = s.Vacancy(ctx, v.ID)
	if got.Requirements[0].ID != occupationID || got.Requirements[1].ID != licenceID {
		t.Errorf("requirements after reordering: %+v, %+v", got.Requirements[0], got.Requirements[1])
	}
	// Dropping the last requirement deletes it; a new one is inserted.
	v.Requirements = append(v.Requirements[:9:9], matching.Requirement{Rank: 10, Kind: matching.ReqLicence, Code: "CQC_goods", Essential: true})
	mustNoError(t, s.UpdateVacancy(ctx, &v), "replace the last requirement")
	got, _ = s.Vacancy(ctx, v.ID)
	if len(got.Requirements) != 10 || got.Requirements[9].Code != "CQC_goods" || got.Requirements[9].ID == 0 || got.Requirements[0].ID != occupationID {
		t.Errorf("requirements after replacing the last: %+v", got.Requirements)
	}
	other := v
	other.ID, other.Status, other.PublishedAt = 0, matching.VacancyDraft, nil
	other.Requirements = []matching.Requirement{{ID: got.Requirements[0].ID, Rank: 1, Kind: matching.ReqLicence, Code: "B"}}
	mustNoError(t, s.CreateVacancy(ctx, &other), "create a copy")
	stolen := v
	stolen.Requirements = append([]matching.Requirement(nil), got.Requirements...)
	stolen.Requirements[0].ID = other.Requirements[0].ID
	wantError(t, s.UpdateVacancy(ctx, &stolen), matching.EINVALID, "requirements[0].id")

	findings := []matching.Finding{{Rule: "age_limit", Severity: "block", Excerpt: "età massima 30 anni", Message: "Limite di età"}}
	mustNoError(t, s.ReplaceFindings(ctx, v.ID, findings), "store findings")
	got, _ = s.Vacancy(ctx, v.ID)
	if len(got.Findings) != 1 || got.Findings[0].Rule != "age_limit" {
		t.Fatalf("findings = %+v", got.Findings)
	}
	// A justified finding keeps its justification when the check runs again.
	justified := got.Findings
	justified[0].Justification = "Apprendistato: la legge consente il limite di età"
	justified[0].JustifiedAt = ptr(time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC))
	mustNoError(t, s.ReplaceFindings(ctx, v.ID, justified), "justify finding")
	again := []matching.Finding{{Rule: "age_limit", Severity: "block", Excerpt: "età massima 30 anni", Message: "Limite di età"}}
	mustNoError(t, s.ReplaceFindings(ctx, v.ID, again), "check again")
	got, _ = s.Vacancy(ctx, v.ID)
	if got.Findings[0].Justification == "" {
		t.Error("the justification was lost when the check ran again")
	}

	list, total, err := s.Vacancies(ctx, store.VacancyFilter{EmployerID: e.ID, Status: matching.VacancyPublished})
	mustNoError(t, err, "list vacancies")
	if total != 1 || len(list) != 1 || list[0].Title != v.Title {
		t.Errorf("published vacancies of the employer = %v (total %d)", list, total)
	}
	if ops := outboxRows(t, s, matching.EntityVacancy, v.ID); len(ops) != 3 {
		t.Errorf("outbox rows for the vacancy = %v, want one per write", ops)
	}
}

func TestViolationsBecomeCodedErrorsNamingTheField(t *testing.T) {
	ctx := context.Background()
	s := MustStore(t)
	p := MustProvider(t, s)
	e := MustEmployer(t, s, p.ID)
	c := MustCandidate(t, s, matching.PresentNamed)
	missing := int64(987654)

	tests := []struct {
		name  string
		do    func() error
		code  string
		field string
	}{
		{"a second provider with the same code", func() error {
			q := p
			return s.CreateProvider(ctx, &q)
		}, matching.ECONFLICT, "code"},
		{"a second employer with the same codice fiscale", func() error {
			q := e
			q.VATNumber = ""
			return s.CreateEmployer(ctx, &q)
		}, matching.ECONFLICT, "tax_code"},
		{"an employer followed by a provider that does not exist", func() error {
			q := e
			q.TaxCode, q.VATNumber, q.ProviderID = vatNumber(t, 777777), "", &missing
			return s.CreateEmployer(ctx, &q)
		}, matching.EINVALID, "provider_id"},
		{"an employer with a wrong partita IVA", func() error {
			q := e
			q.VATNumber = "12345678901"
			return s.CreateEmployer(ctx, &q)
		}, matching.EINVALID, "vat_number"},
		{"an employer with an unknown ATECO code", func() error {
			q := e
			q.ATECOCode = "99.99.99"
			return s.CreateEmployer(ctx, &q)
		}, matching.EINVALID, "ateco_code"},
		{"a second candidate with the same e-mail", func() error {
			q := fullCandidate(c.Email)
			return s.CreateCandidate(ctx, &q)
		}, matching.ECONFLICT, "email"},
		{"a candidate with an unknown municipality", func() error {
			q := fullCandidate("nuova@example.org")
			q.HomeMunicipality, q.HomeLat, q.HomeLon = "999999", 0, 0
			return s.CreateCandidate(ctx, &q)
		}, matching.EINVALID, "home_municipality_code"},
		{"a candidate with a language listed twice", func() error {
			q := fullCandidate("doppia@example.org")
			q.Languages = append(q.Languages, matching.LanguageLevel{Language: "de", Level: "A1"})
			return s.CreateCandidate(ctx, &q)
		}, matching.EINVALID, "languages[3].language"},
		{"a candidate with a CEFR level that does not exist", func() error {
			q := fullCandidate("livello@example.org")
			q.Languages[1].Level = "B3"
			return s.CreateCandidate(ctx, &q)
		}, matching.EINVALID, "languages[1].level"},
		{"a candidate whose job ends before it starts", func() error {
			q := fullCandidate("date@example.org")
			q.Experiences[1].EndDate = day(2010, 1, 1)
			return s.CreateCandidate(ctx, &q)
		}, matching.EINVALID, "experiences[1].end_date"},
		{"a user whose e-mail is taken", func() error {
			u := MustOperator(t, s, p.ID)
			u2 := matching.User{Email: u.Email, Name: "Altro", Role: matching.RoleMonitor}
			return s.CreateUser(ctx, &u2)
		}, matching.ECONFLICT, "email"},
		{"an operator of a provider that does not exist", func() error {
			u := matching.User{Email: "nessuno@example.org", Name: "Nessuno", Role: matching.RoleOperator, ProviderID: &missing}
			return s.CreateUser(ctx, &u)
		}, matching.EINVALID, "provider_id"},
		{"an operator without a provider", func() error {
			u := matching.User{Email: "senza@example.org", Name: "Senza", Role: matching.RoleOperator}
			return s.CreateUser(ctx, &u)
		}, matching.EINVALID, "provider_id"},
		{"a vacancy of an employer that does not exist", func() error {
			v := matching.Vacancy{EmployerID: missing, Title: "Cuoco", MunicipalityCode: "022205", ContractType: "permanent"}
			return s.CreateVacancy(ctx, &v)
		}, matching.EINVALID, "employer_id"},
		{"a vacancy with two requirements of the same rank", func() error {
			v := matching.Vacancy{EmployerID: e.ID, Title: "Cuoco", MunicipalityCode: "022205", ContractType: "permanent",
				Requirements: []matching.Requirement{{Rank: 1, Kind: matching.ReqLicence, Code: "B"}, {Rank: 1, Kind: matching.ReqLanguage, Code: "de", Level: "B1"}}}
			return s.CreateVacancy(ctx, &v)
		}, matching.EINVALID, "requirements[1].rank"},
		{"a language requirement without a level", func() error {
			v := matching.Vacancy{EmployerID: e.ID, Title: "Cuoco", MunicipalityCode: "022205", ContractType: "permanent",
				Requirements: []matching.Requirement{{Rank: 1, Kind: matching.ReqLanguage, Code: "de"}}}
			return s.CreateVacancy(ctx, &v)
		}, matching.EINVALID, "requirements[0].level"},
		{"updating a candidate that does not exist", func() error {
			q := fullCandidate("fantasma@example.org")
			q.ID = missing
			return s.UpdateCandidate(ctx, &q)
		}, matching.ENOTFOUND, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var before int
			mustNoError(t, s.SQL().GetContext(ctx, &before, `SELECT count(*) FROM outbox`), "count outbox")
			wantError(t, tt.do(), tt.code, tt.field)
			var after int
			mustNoError(t, s.SQL().GetContext(ctx, &after, `SELECT count(*) FROM outbox`), "count outbox")
			if after != before {
				t.Errorf("a refused write changed the outbox (%d rows, then %d)", before, after)
			}
		})
	}
}

func TestCandidateIDsPagesInOrder(t *testing.T) {
	ctx := context.Background()
	s := MustStore(t)
	var want []int64
	for i := 0; i < 5; i++ {
		want = append(want, MustCandidate(t, s, matching.PresentNamed).ID)
	}
	first, err := s.CandidateIDs(ctx, 0, 3)
	mustNoError(t, err, "first page")
	rest, err := s.CandidateIDs(ctx, first[len(first)-1], 3)
	mustNoError(t, err, "second page")
	if got := append(first, rest...); !cmp.Equal(got, want) {
		t.Errorf("paged ids = %v, want %v", got, want)
	}
}

func TestAnAuditedCVUpdateCommitsWithItsRecordOrNotAtAll(t *testing.T) {
	ctx := context.Background()
	s := MustStore(t)
	c := MustCandidate(t, s, matching.PresentNamed)
	op := MustOperator(t, s, MustProvider(t, s).ID)
	c.Headline = "Cuoca esperta"
	ev := &matching.AuditEvent{UserID: &op.ID, Role: matching.RoleOperator, Action: "cv_updated", CandidateID: &c.ID}
	mustNoError(t, s.UpdateCandidateAudited(ctx, &c, ev), "audited update")
	events, err := s.AuditForCandidate(ctx, c.ID, 10)
	mustNoError(t, err, "audit")
	if len(events) != 1 || events[0].Action != "cv_updated" {
		t.Fatalf("audit of the candidate = %+v", events)
	}
	c.Headline = "Non deve restare"
	bad := &matching.AuditEvent{UserID: &op.ID, Role: matching.RoleOperator, Action: ""}
	if err := s.UpdateCandidateAudited(ctx, &c, bad); err == nil {
		t.Fatal("an update whose audit record is refused was saved")
	}
	got, err := s.Candidate(ctx, c.ID)
	mustNoError(t, err, "read")
	if got.Headline != "Cuoca esperta" {
		t.Errorf("the update survived its failed audit record: %q", got.Headline)
	}
}
