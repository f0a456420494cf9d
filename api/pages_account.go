package api

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"incontro/matching"
	"incontro/store"
	"incontro/ui"
)

// --- Sign-up ---

// signupPage serves GET /registrati: jobseeker or employer.
func (s *Server) signupPage(c echo.Context) error {
	return s.render(c, http.StatusOK, "signup", ui.SignupData{Page: s.Page(c, "signup.title")})
}

// signupSentPage serves GET /registrati/inviata, where a sign-up lands.
func (s *Server) signupSentPage(c echo.Context) error {
	return s.render(c, http.StatusOK, "signup_sent", ui.SignupData{Page: s.Page(c, "signup.sent_title")})
}

var jobseekerLabels = map[string]string{
	"given_name": "form.given_name", "family_name": "form.family_name", "email": "form.email", "password": "form.new_password",
	"home_municipality_code": "form.home_municipality", "mobility_km": "form.mobility_km",
}

// signupJobseekerPage serves GET /registrati/candidato.
func (s *Server) signupJobseekerPage(c echo.Context) error {
	return s.render(c, http.StatusOK, "signup_jobseeker", ui.SignupJobseekerData{
		Page: s.Page(c, "signup.jobseeker_page"), Municipalities: ui.TrentinoMunicipalities()})
}

// signupJobseekerSubmit serves POST /registrati/candidato with the API's
// sign-up.
func (s *Server) signupJobseekerSubmit(c echo.Context) error {
	form := ui.JobseekerForm{GivenName: c.FormValue("given_name"), FamilyName: c.FormValue("family_name"),
		Email: c.FormValue("email"), HomeMunicipality: c.FormValue("home_municipality_code"),
		MobilityKm: strings.TrimSpace(c.FormValue("mobility_km"))}
	in := JobseekerSignupInput{GivenName: form.GivenName, FamilyName: form.FamilyName, Email: form.Email,
		Password: c.FormValue("password"), HomeMunicipality: form.HomeMunicipality}
	var err error
	if form.MobilityKm != "" {
		km, convErr := strconv.Atoi(form.MobilityKm)
		if convErr != nil {
			err = matching.FieldErrorf("mobility_km", "must be a whole number")
		}
		in.MobilityKm = &km
	}
	if err == nil {
		_, err = s.registerJobseeker(c, in)
	}
	if err == nil {
		return see303(c, "/registrati/inviata")
	}
	if !formError(err) {
		return err
	}
	data := ui.SignupJobseekerData{Page: s.Page(c, "signup.jobseeker_page"), Form: form, Municipalities: ui.TrentinoMunicipalities()}
	data.Errors = fieldErrors(data.Locale, err, jobseekerLabels)
	return s.render(c, formStatus(err), "signup_jobseeker", data)
}

var employerLabels = map[string]string{
	"company.name": "form.company_name", "company.tax_code": "form.tax_code", "company.vat_number": "form.vat_number",
	"company.ateco_code": "form.ateco_code", "company.municipality_code": "form.company_municipality",
	"company.address": "form.address", "company.email": "form.company_email", "company.phone": "form.phone",
	"company.contact_person": "form.contact_person", "company.website": "form.website",
	"name": "form.your_name", "email": "form.email", "password": "form.new_password",
}

// signupEmployerPage serves GET /registrati/datore.
func (s *Server) signupEmployerPage(c echo.Context) error {
	return s.render(c, http.StatusOK, "signup_employer", ui.SignupEmployerData{
		Page: s.Page(c, "signup.employer_page"), Municipalities: ui.TrentinoMunicipalities()})
}

// signupEmployerSubmit serves POST /registrati/datore with the API's
// sign-up.
func (s *Server) signupEmployerSubmit(c echo.Context) error {
	f := func(name string) string { return c.FormValue(name) }
	form := ui.EmployerForm{CompanyName: f("company.name"), TaxCode: f("company.tax_code"), VATNumber: f("company.vat_number"),
		ATECOCode: f("company.ateco_code"), MunicipalityCode: f("company.municipality_code"), Address: f("company.address"),
		CompanyEmail: f("company.email"), Phone: f("company.phone"), ContactPerson: f("company.contact_person"),
		Website: f("company.website"), Name: f("name"), Email: f("email")}
	in := EmployerSignupInput{
		Company: CompanyInput{Name: form.CompanyName, TaxCode: form.TaxCode, VATNumber: form.VATNumber, ATECOCode: form.ATECOCode,
			MunicipalityCode: form.MunicipalityCode, Address: form.Address, Email: form.CompanyEmail, Phone: form.Phone,
			ContactPerson: form.ContactPerson, Website: form.Website},
		Name: form.Name, Email: form.Email, Password: f("password"),
	}
	_, err := s.registerEmployer(c, in)
	if err == nil {
		return see303(c, "/registrati/inviata")
	}
	if !formError(err) {
		return err
	}
	data := ui.SignupEmployerData{Page: s.Page(c, "signup.employer_page"), Form: form, Municipalities: ui.TrentinoMunicipalities()}
	data.Errors = fieldErrors(data.Locale, err, employerLabels)
	return s.render(c, formStatus(err), "signup_employer", data)
}

// --- One's own account ---

// accountData loads what the account page shows.
func (s *Server) accountData(c echo.Context) (ui.AccountData, error) {
	ctx := c.Request().Context()
	p := PrincipalFrom(ctx)
	data := ui.AccountData{Page: s.Page(c, "account.title"), SessionID: p.SessionID}
	var err error
	if data.Account, err = s.store.User(ctx, p.UserID); err != nil {
		return data, err
	}
	if data.Account.ProviderID != nil {
		prov, err := s.store.Provider(ctx, *data.Account.ProviderID)
		if err != nil {
			return data, err
		}
		data.ProviderName = prov.Name
	}
	if data.Tokens, err = s.store.APITokens(ctx, p.UserID); err != nil {
		return data, err
	}
	if data.Sessions, err = s.store.UserSessions(ctx, p.UserID); err != nil {
		return data, err
	}
	return data, nil
}

// accountPage serves GET /account.
func (s *Server) accountPage(c echo.Context) error {
	data, err := s.accountData(c)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "account", data)
}

// accountFormFailed shows the account page again with a form's error, or
// hands an internal error to the error handler.
func (s *Server) accountFormFailed(c echo.Context, err error, labels map[string]string, keep func(*ui.AccountData)) error {
	if !formError(err) {
		return err
	}
	data, lerr := s.accountData(c)
	if lerr != nil {
		return lerr
	}
	data.Errors = fieldErrors(data.Locale, err, labels)
	if keep != nil {
		keep(&data)
	}
	return s.render(c, formStatus(err), "account", data)
}

var passwordLabels = map[string]string{"current_password": "form.current_password", "new_password": "form.new_password"}

// passwordSubmit serves POST /account/password with the API's password change.
func (s *Server) passwordSubmit(c echo.Context) error {
	n, err := s.changeOwnPassword(c, PasswordChangeInput{CurrentPassword: c.FormValue("current_password"), NewPassword: c.FormValue("new_password")})
	if err != nil {
		return s.accountFormFailed(c, err, passwordLabels, nil)
	}
	s.setFlash(c, flash{Kind: "success", Key: "account.password_changed", Args: []string{strconv.Itoa(n)}})
	return see303(c, pathAccount)
}

// tokenSubmit serves POST /account/token: the new token is shown once, on
// the account page it redirects to.
func (s *Server) tokenSubmit(c echo.Context) error {
	name := c.FormValue("name")
	t, err := s.mintAPIToken(c, TokenInput{Name: name})
	if err != nil {
		return s.accountFormFailed(c, err, map[string]string{"name": "account.token_name"}, func(d *ui.AccountData) { d.TokenName = name })
	}
	s.setFlash(c, flash{Kind: "success", Key: "account.token_created", Args: []string{t.Name}, Secret: t.Token, SecretLabel: "account.token_value"})
	return see303(c, pathAccount)
}

// tokenRevokeSubmit serves POST /account/token/:id/revoca.
func (s *Server) tokenRevokeSubmit(c echo.Context) error {
	id, err := pathID(c, "id", "API token")
	if err != nil {
		return err
	}
	if err := s.revokeOwnToken(c, PrincipalFrom(c.Request().Context()).UserID, id); err != nil {
		return err
	}
	s.setFlash(c, flash{Kind: "success", Key: "account.token_revoked"})
	return see303(c, pathAccount)
}

// logoutEverywhereSubmit serves POST /account/esci-ovunque.
func (s *Server) logoutEverywhereSubmit(c echo.Context) error {
	if _, err := s.endAllSessions(c); err != nil {
		return err
	}
	return see303(c, pathLogin+"?uscito=1")
}

// --- Accounts (admin) ---

const accountsPageSize = 25

// adminUsersData loads the accounts page for the filter of the query.
func (s *Server) adminUsersData(c echo.Context) (ui.AdminUsersData, error) {
	ctx := c.Request().Context()
	p := PrincipalFrom(ctx)
	data := ui.AdminUsersData{Page: s.Page(c, "admin.title"), CanManage: p.Role == matching.RoleAdmin, SelfID: p.UserID}
	var err error
	if data.Providers, err = s.store.Providers(ctx); err != nil {
		return data, err
	}
	f, err := userFilter(c)
	if err != nil {
		// A filter typed by hand into the address: the list shows
		// everyone and says what was wrong.
		data.Errors = fieldErrors(data.Locale, err, nil)
		f = f0()
	}
	data.Filter = ui.UserFilterForm{Query: f.Query, Role: f.Role, Status: f.Status, ProviderID: f.ProviderID}
	f.Limit = accountsPageSize
	if data.Users, data.Total, err = s.store.Users(ctx, f); err != nil {
		return data, err
	}
	if len(data.Users) > 0 {
		data.From, data.To = f.Offset+1, f.Offset+len(data.Users)
	}
	if f.Offset > 0 {
		data.PrevURL = accountsPageURL(c, max(0, f.Offset-accountsPageSize))
	}
	if f.Offset+len(data.Users) < data.Total {
		data.NextURL = accountsPageURL(c, f.Offset+accountsPageSize)
	}
	return data, nil
}

// f0 is the filter that selects every account.
func f0() store.UserFilter { return store.UserFilter{} }

// accountsPageURL is the accounts page with the request's filter at offset.
func accountsPageURL(c echo.Context, offset int) string {
	q := url.Values{}
	for _, k := range []string{"q", "role", "status", "provider_id"} {
		if v := c.QueryParam(k); v != "" {
			q.Set(k, v)
		}
	}
	if offset > 0 {
		q.Set("offset", strconv.Itoa(offset))
	}
	if len(q) == 0 {
		return pathAccounts
	}
	return pathAccounts + "?" + q.Encode()
}

// adminUsersPage serves GET /admin/utenti.
func (s *Server) adminUsersPage(c echo.Context) error {
	data, err := s.adminUsersData(c)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "admin_users", data)
}

var staffLabels = map[string]string{"email": "form.email", "name": "account.name", "role": "account.role", "provider_id": "admin.provider"}

// formID reads an optional id from a form field.
func formID(c echo.Context, field string) (*int64, error) {
	v := strings.TrimSpace(c.FormValue(field))
	if v == "" {
		return nil, nil
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return nil, matching.FieldErrorf(field, "must be a whole number")
	}
	return &id, nil
}

// adminCreateSubmit serves POST /admin/utenti with the API's creation of a
// staff account; the generated password is shown once after the redirect.
func (s *Server) adminCreateSubmit(c echo.Context) error {
	form := ui.NewStaffForm{Email: c.FormValue("email"), Name: c.FormValue("name"), Role: matching.Role(c.FormValue("role"))}
	pid, err := formID(c, "provider_id")
	if pid != nil {
		form.ProviderID = *pid
	}
	var res CreatedUser
	if err == nil {
		if form.Role == "" {
			err = matching.FieldErrorf("role", "is required")
		} else {
			res, err = s.createStaff(c, NewUserInput{Email: form.Email, Name: form.Name, Role: form.Role, ProviderID: pid})
		}
	}
	if err != nil {
		if !formError(err) {
			return err
		}
		data, lerr := s.adminUsersData(c)
		if lerr != nil {
			return lerr
		}
		data.Form = form
		data.Errors = fieldErrors(data.Locale, err, staffLabels)
		return s.render(c, formStatus(err), "admin_users", data)
	}
	s.setFlash(c, flash{Kind: "success", Key: "admin.created", Args: []string{res.User.Email},
		Secret: res.Password, SecretLabel: "admin.password_value", SecretArgs: []string{res.User.Email}})
	return see303(c, pathAccounts)
}

// adminUpdateSubmit serves POST /admin/utenti/:id: enable, disable or
// change the role of an account, with the API's update.
func (s *Server) adminUpdateSubmit(c echo.Context) error {
	id, err := pathID(c, "id", "user")
	if err != nil {
		return err
	}
	var in UserPatch
	if st := matching.UserStatus(c.FormValue("status")); st != "" {
		in.Status = &st
	}
	if r := matching.Role(c.FormValue("role")); r != "" {
		in.Role = &r
		in.ProviderID, err = formID(c, "provider_id")
	}
	back := localPath(c.FormValue("back"), pathAccounts)
	if !strings.HasPrefix(back, pathAccounts) {
		back = pathAccounts
	}
	var before, after matching.User
	if err == nil {
		before, err = s.store.User(c.Request().Context(), id)
	}
	if err == nil {
		after, err = s.patchUser(c, id, in)
	}
	if err != nil {
		if !formError(err) {
			return err
		}
		data, lerr := s.adminUsersData(c)
		if lerr != nil {
			return lerr
		}
		data.Errors = fieldErrors(data.Locale, err, nil)
		return s.render(c, formStatus(err), "admin_users", data)
	}
	loc := s.renderer.Locale(s.lang(c))
	switch {
	case after.Status != before.Status && after.Status == matching.UserDisabled:
		s.setFlash(c, flash{Kind: "success", Key: "admin.disabled", Args: []string{after.Email}})
	case after.Status != before.Status:
		s.setFlash(c, flash{Kind: "success", Key: "admin.enabled", Args: []string{after.Email}})
	case after.Role != before.Role || !sameProvider(after.ProviderID, before.ProviderID):
		s.setFlash(c, flash{Kind: "success", Key: "admin.role_changed", Args: []string{after.Email, loc.T(ui.RoleKey(after.Role))}})
	default:
		s.setFlash(c, flash{Kind: "info", Key: "admin.unchanged", Args: []string{after.Email}})
	}
	return see303(c, back)
}
