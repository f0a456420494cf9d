package matching_test

import (
	"strings"
	"testing"

	"incontro/matching"
)

func validProvider() matching.Provider {
	return matching.Provider{
		Code:             "cpi-trento",
		Name:             "Centro per l'impiego di Trento",
		Kind:             matching.PublicCentre,
		MunicipalityCode: trento,
		Email:            "cpi.trento@example.it",
		Phone:            "0461 000000",
	}
}

func TestProviderValidate(t *testing.T) {
	passes := []struct {
		name   string
		mutate func(*matching.Provider)
	}{
		{"a public job centre passes", func(*matching.Provider) {}},
		{"an accredited agency passes", func(p *matching.Provider) { p.Kind = matching.AccreditedAgency }},
		{"a provider without an e-mail address passes", func(p *matching.Provider) { p.Email = "" }},
		{"a code of two characters passes", func(p *matching.Provider) { p.Code = "a1" }},
		{"a code of forty characters passes", func(p *matching.Provider) { p.Code = "a" + strings.Repeat("-", 39) }},
	}
	for _, tc := range passes {
		t.Run(tc.name, func(t *testing.T) {
			p := validProvider()
			tc.mutate(&p)
			wantValid(t, p.Validate())
		})
	}

	fails := []struct {
		name   string
		mutate func(*matching.Provider)
		field  string
	}{
		{"a code of one character is refused", func(p *matching.Provider) { p.Code = "c" }, "code"},
		{"a code of forty-one characters is refused", func(p *matching.Provider) { p.Code = strings.Repeat("c", 41) }, "code"},
		{"an upper-case code is refused", func(p *matching.Provider) { p.Code = "CPI-Trento" }, "code"},
		{"a code starting with a dash is refused", func(p *matching.Provider) { p.Code = "-cpi" }, "code"},
		{"a code with an underscore is refused", func(p *matching.Provider) { p.Code = "cpi_trento" }, "code"},
		{"a blank name is refused", func(p *matching.Provider) { p.Name = " " }, "name"},
		{"a name of 201 characters is refused", func(p *matching.Provider) { p.Name = strings.Repeat("n", 201) }, "name"},
		{"an unknown kind is refused", func(p *matching.Provider) { p.Kind = "school" }, "kind"},
		{"an unknown municipality is refused", func(p *matching.Provider) { p.MunicipalityCode = nowhere }, "municipality_code"},
		{"an invalid e-mail address is refused", func(p *matching.Provider) { p.Email = "cpi.trento" }, "email"},
	}
	for _, tc := range fails {
		t.Run(tc.name, func(t *testing.T) {
			p := validProvider()
			tc.mutate(&p)
			wantInvalid(t, p.Validate(), tc.field)
		})
	}
}

// validUser returns a valid active user of the role, tied to what the role
// belongs to.
func validUser(role matching.Role) matching.User {
	u := matching.User{
		Email:    "utente@example.it",
		Name:     "Utente di prova",
		Role:     role,
		Language: "it",
		Status:   matching.UserActive,
	}
	switch role {
	case matching.RoleOperator:
		u.ProviderID = ptr(int64(1))
	case matching.RoleEmployer:
		u.EmployerID = ptr(int64(2))
	case matching.RoleJobseeker:
		u.CandidateID = ptr(int64(3))
	}
	return u
}

func TestUserValidate(t *testing.T) {
	for _, role := range matching.Roles() {
		t.Run("a user with role "+string(role)+" and its tie passes", func(t *testing.T) {
			u := validUser(role)
			wantValid(t, u.Validate())
		})
	}
	passes := []struct {
		name   string
		mutate func(*matching.User)
	}{
		{"a pending user speaking English passes", func(u *matching.User) { u.Status, u.Language = matching.UserPending, "en" }},
		{"a disabled user passes", func(u *matching.User) { u.Status = matching.UserDisabled }},
		{"a name of 200 characters passes", func(u *matching.User) { u.Name = strings.Repeat("n", 200) }},
	}
	for _, tc := range passes {
		t.Run(tc.name, func(t *testing.T) {
			u := validUser(matching.RoleAdmin)
			tc.mutate(&u)
			wantValid(t, u.Validate())
		})
	}

	fails := []struct {
		name   string
		role   matching.Role
		mutate func(*matching.User)
		field  string
	}{
		{"an upper-case e-mail address is refused", matching.RoleAdmin, func(u *matching.User) { u.Email = "Utente@Example.it" }, "email"},
		{"an e-mail address with spaces around is refused", matching.RoleAdmin, func(u *matching.User) { u.Email = " utente@example.it" }, "email"},
		{"an invalid e-mail address is refused", matching.RoleAdmin, func(u *matching.User) { u.Email = "utente" }, "email"},
		{"a blank name is refused", matching.RoleMonitor, func(u *matching.User) { u.Name = "" }, "name"},
		{"a name of 201 characters is refused", matching.RoleMonitor, func(u *matching.User) { u.Name = strings.Repeat("n", 201) }, "name"},
		{"an unknown role is refused", matching.RoleAdmin, func(u *matching.User) { u.Role = "superuser" }, "role"},
		{"an empty role is refused", matching.RoleAdmin, func(u *matching.User) { u.Role = "" }, "role"},

		{"an operator without a provider is refused", matching.RoleOperator, func(u *matching.User) { u.ProviderID = nil }, "provider_id"},
		{"an admin with a provider is refused", matching.RoleAdmin, func(u *matching.User) { u.ProviderID = ptr(int64(1)) }, "provider_id"},
		{"a monitor with a provider is refused", matching.RoleMonitor, func(u *matching.User) { u.ProviderID = ptr(int64(1)) }, "provider_id"},
		{"an employer user with a provider is refused", matching.RoleEmployer, func(u *matching.User) { u.ProviderID = ptr(int64(1)) }, "provider_id"},
		{"a jobseeker with a provider is refused", matching.RoleJobseeker, func(u *matching.User) { u.ProviderID = ptr(int64(1)) }, "provider_id"},

		{"an employer user without an employer is refused", matching.RoleEmployer, func(u *matching.User) { u.EmployerID = nil }, "employer_id"},
		{"an operator with an employer is refused", matching.RoleOperator, func(u *matching.User) { u.EmployerID = ptr(int64(2)) }, "employer_id"},
		{"an admin with an employer is refused", matching.RoleAdmin, func(u *matching.User) { u.EmployerID = ptr(int64(2)) }, "employer_id"},
		{"a jobseeker with an employer is refused", matching.RoleJobseeker, func(u *matching.User) { u.EmployerID = ptr(int64(2)) }, "employer_id"},

		{"a jobseeker without a candidate record is refused", matching.RoleJobseeker, func(u *matching.User) { u.CandidateID = nil }, "candidate_id"},
		{"an employer user with a candidate record is refused", matching.RoleEmployer, func(u *matching.User) { u.CandidateID = ptr(int64(3)) }, "candidate_id"},
		{"an operator with a candidate record is refused", matching.RoleOperator, func(u *matching.User) { u.CandidateID = ptr(int64(3)) }, "candidate_id"},
		{"a monitor with a candidate record is refused", matching.RoleMonitor, func(u *matching.User) { u.CandidateID = ptr(int64(3)) }, "candidate_id"},

		{"a language other than Italian or English is refused", matching.RoleAdmin, func(u *matching.User) { u.Language = "de" }, "language"},
		{"a missing language is refused", matching.RoleAdmin, func(u *matching.User) { u.Language = "" }, "language"},
		{"an unknown status is refused", matching.RoleAdmin, func(u *matching.User) { u.Status = "banned" }, "status"},
	}
	for _, tc := range fails {
		t.Run(tc.name, func(t *testing.T) {
			u := validUser(tc.role)
			tc.mutate(&u)
			wantInvalid(t, u.Validate(), tc.field)
		})
	}
}

func TestRoleIsStaff(t *testing.T) {
	want := map[matching.Role]bool{
		matching.RoleAdmin: true, matching.RoleMonitor: true, matching.RoleOperator: true,
		matching.RoleEmployer: false, matching.RoleJobseeker: false, "": false,
	}
	for role, staff := range want {
		t.Run("role "+quoted(string(role))+" is staff: "+map[bool]string{true: "yes", false: "no"}[staff], func(t *testing.T) {
			if got := role.IsStaff(); got != staff {
				t.Fatalf("%q.IsStaff() = %v, want %v", role, got, staff)
			}
		})
	}
}

func TestPrincipalOfCopiesTheUserAndItsTies(t *testing.T) {
	u := validUser(matching.RoleEmployer)
	u.ID, u.Language = 42, "en"
	p := matching.PrincipalOf(u)
	want := matching.Principal{UserID: 42, Email: u.Email, Name: u.Name, Role: matching.RoleEmployer, EmployerID: 2, Language: "en"}
	if p != want {
		t.Fatalf("PrincipalOf = %+v, want %+v", p, want)
	}
	op := matching.PrincipalOf(validUser(matching.RoleOperator))
	if op.ProviderID != 1 || op.EmployerID != 0 || op.CandidateID != 0 {
		t.Fatalf("PrincipalOf(operator) ties = %d, %d, %d; want 1, 0, 0", op.ProviderID, op.EmployerID, op.CandidateID)
	}
	js := matching.PrincipalOf(validUser(matching.RoleJobseeker))
	if js.CandidateID != 3 || js.ProviderID != 0 || js.EmployerID != 0 {
		t.Fatalf("PrincipalOf(jobseeker) ties = %d, %d, %d; want 0, 0, 3", js.ProviderID, js.EmployerID, js.CandidateID)
	}
}

func validEmployer() matching.Employer {
	return matching.Employer{
		Name:             "Ristorante Al Duomo srl",
		TaxCode:          "12345678903",
		VATNumber:        "12345678903",
		ATECOCode:        "56.10.11",
		MunicipalityCode: rovereto,
		Address:          "Piazza del Duomo 1",
		Email:            "info@alduomo.example.it",
		ContactPerson:    "Mario Rossi",
		Website:          "https://alduomo.example.it",
	}
}

func TestEmployerValidate(t *testing.T) {
	passes := []struct {
		name   string
		mutate func(*matching.Employer)
	}{
		{"a company with codice fiscale and partita IVA passes", func(*matching.Employer) {}},
		{"a sole trader with a personal codice fiscale passes", func(e *matching.Employer) { e.TaxCode = "RSSMRA85T10A562S" }},
		{"an employer without a partita IVA passes", func(e *matching.Employer) { e.VATNumber = "" }},
		{"an ATECO class with a dot passes", func(e *matching.Employer) { e.ATECOCode = "56.10" }},
		{"an employer in Trento passes", func(e *matching.Employer) { e.MunicipalityCode = trento }},
	}
	for _, tc := range passes {
		t.Run(tc.name, func(t *testing.T) {
			e := validEmployer()
			tc.mutate(&e)
			wantValid(t, e.Validate())
		})
	}

	fails := []struct {
		name   string
		mutate func(*matching.Employer)
		field  string
	}{
		{"a blank name is refused", func(e *matching.Employer) { e.Name = "  " }, "name"},
		{"a name of 201 characters is refused", func(e *matching.Employer) { e.Name = strings.Repeat("n", 201) }, "name"},
		{"a codice fiscale with a wrong check digit is refused", func(e *matching.Employer) { e.TaxCode = "12345678904" }, "tax_code"},
		{"a missing codice fiscale is refused", func(e *matching.Employer) { e.TaxCode = "" }, "tax_code"},
		{"a lower-case personal codice fiscale is refused", func(e *matching.Employer) { e.TaxCode = "rssmra85t10a562s" }, "tax_code"},
		{"a partita IVA with a wrong check digit is refused", func(e *matching.Employer) { e.VATNumber = "12345678900" }, "vat_number"},
		{"a partita IVA with the IT prefix is refused before normalization", func(e *matching.Employer) { e.VATNumber = "IT12345678903" }, "vat_number"},
		{"an unknown ATECO code is refused", func(e *matching.Employer) { e.ATECOCode = "56.10.99" }, "ateco_code"},
		{"an ATECO code without dots is refused", func(e *matching.Employer) { e.ATECOCode = "561011" }, "ateco_code"},
		{"an ATECO section letter is refused", func(e *matching.Employer) { e.ATECOCode = "I" }, "ateco_code"},
		{"a missing ATECO code is refused", func(e *matching.Employer) { e.ATECOCode = "" }, "ateco_code"},
		{"an unknown municipality is refused", func(e *matching.Employer) { e.MunicipalityCode = nowhere }, "municipality_code"},
		{"an invalid e-mail address is refused", func(e *matching.Employer) { e.Email = "info@alduomo" }, "email"},
		{"an address of 301 characters is refused", func(e *matching.Employer) { e.Address = strings.Repeat("a", 301) }, "address"},
		{"a website of 301 characters is refused", func(e *matching.Employer) { e.Website = "https://" + strings.Repeat("w", 293) }, "website"},
	}
	for _, tc := range fails {
		t.Run(tc.name, func(t *testing.T) {
			e := validEmployer()
			tc.mutate(&e)
			wantInvalid(t, e.Validate(), tc.field)
		})
	}
}

func TestEmployerNormalize(t *testing.T) {
	e := validEmployer()
	e.Name = "  Ristorante Al Duomo srl "
	e.TaxCode = " rssmra85t10a562s "
	e.VATNumber = " IT12345678903 "
	e.ATECOCode = " 56.10.11\t"
	e.Email = " Info@AlDuomo.Example.IT"
	e.Normalize()
	if e.Name != "Ristorante Al Duomo srl" || e.TaxCode != "RSSMRA85T10A562S" || e.VATNumber != "12345678903" ||
		e.ATECOCode != "56.10.11" || e.Email != "info@alduomo.example.it" {
		t.Fatalf("after Normalize: name %q, tax code %q, VAT %q, ATECO %q, e-mail %q", e.Name, e.TaxCode, e.VATNumber, e.ATECOCode, e.Email)
	}
	wantValid(t, e.Validate())
}

func TestAPITokenValidate(t *testing.T) {
	tests := []struct {
		name    string
		token   string
		wantErr bool
	}{
		{"a named token passes", "gestionale paghe", false},
		{"a name of 100 characters passes", strings.Repeat("t", 100), false},
		{"a blank name is refused", " ", true},
		{"a name of 101 characters is refused", strings.Repeat("t", 101), true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tok := matching.APIToken{Name: tc.token}
			if tc.wantErr {
				wantInvalid(t, tok.Validate(), "name")
			} else {
				wantValid(t, tok.Validate())
			}
		})
	}
}

func TestCheckPassword(t *testing.T) {
	const email, name = "giulia.bianchi@example.it", "Giulia Bianchi"
	tests := []struct {
		name    string
		pw      string
		wantErr bool
	}{
		{"a long passphrase passes", "correct horse battery staple", false},
		{"twelve varied characters pass", "vK7#pQ2!mZ9x", false},
		{"128 characters pass", strings.Repeat("abcdefgh", 16), false},
		{"eleven characters are refused", "vK7#pQ2!mZ9", true},
		{"twelve accented letters count as twelve characters", "àèìòùéàèìòùé", false},
		{"129 characters are refused", strings.Repeat("abcdefgh", 16) + "x", true},
		{"a common password is refused", "123456789012", true},
		{"a common password in another case is refused", "PASSWORD1234", true},
		{"fewer than four distinct characters are refused", "abcabcabcabcabc", true},
		{"the e-mail local part with a short suffix is refused", "giulia.bianchi12", true},
		{"the family name with a short suffix is refused", "bianchi12345", true},
		{"incontro followed only by digits is refused", "incontro2026", true},
		{"trento followed only by digits and symbols is refused", "trento#2026!", true},
		{"lavoro followed by digits is refused", "lavoro123456", true},
		{"incontro with a long suffix passes", "incontro#x9q-long-enough", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := matching.CheckPassword(tc.pw, email, name)
			if tc.wantErr {
				wantInvalid(t, err, "password")
			} else if err != nil {
				t.Fatalf("CheckPassword(%q) = %v, want nil", tc.pw, err)
			}
		})
	}
}
