package ui

import (
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	_ "time/tzdata" // the pages show times in Europe/Rome wherever the server runs

	"incontro/matching"
	"incontro/reference"
)

// rome is the time zone of the pages' dates.
var rome = sync.OnceValue(func() *time.Location {
	loc, err := time.LoadLocation("Europe/Rome")
	if err != nil {
		return time.UTC
	}
	return loc
})

// DateTime formats a time for the page's language, in Italian time.
func (p Page) DateTime(t time.Time) string {
	t = t.In(rome())
	if p.Lang == English {
		return t.Format("2 Jan 2006 15:04")
	}
	return t.Format("02/01/2006 15:04")
}

// LoginData is the data of the "login" page.
type LoginData struct {
	Page
	Email  string
	Next   string
	Errors FieldErrors
	// SignedOut thanks a user who has just signed out; Required says that
	// the page asked for needs a signed-in user.
	SignedOut, Required bool
}

// SignupData is the data of the "signup" and "signup_sent" pages.
type SignupData struct {
	Page
}

// Municipality is an entry of a municipality choice.
type Municipality struct {
	Code string
	Name string
}

// TrentinoMunicipalities returns the municipalities of the Province of
// Trento by name, for the sign-up forms.
func TrentinoMunicipalities() []Municipality {
	ms := reference.MunicipalitiesInProvince(reference.ProvinceTrento)
	out := make([]Municipality, len(ms))
	for i, m := range ms {
		out[i] = Municipality{Code: m.Code, Name: m.Name}
	}
	return out
}

// Choice is an entry of a catalogue's list of suggestions (an HTML
// datalist): the code the server stores and the name a user types.
type Choice struct {
	Code string
	Name string
}

// OccupationChoices returns the occupations of the catalogue by title, for
// the forms that name an occupation.
func OccupationChoices() []Choice {
	occs := reference.Occupations()
	out := make([]Choice, len(occs))
	for i, o := range occs {
		out[i] = Choice{Code: o.Code, Name: o.Title}
	}
	slices.SortFunc(out, func(a, b Choice) int { return strings.Compare(reference.Fold(a.Name), reference.Fold(b.Name)) })
	return out
}

// SkillChoices returns the skills of the catalogue by label, for the forms
// that name a skill.
func SkillChoices() []Choice {
	sks := reference.Skills()
	out := make([]Choice, len(sks))
	for i, sk := range sks {
		out[i] = Choice{Code: sk.Code, Name: sk.Label}
	}
	slices.SortFunc(out, func(a, b Choice) int { return strings.Compare(reference.Fold(a.Name), reference.Fold(b.Name)) })
	return out
}

// JobseekerForm is what a jobseeker typed in the sign-up form.
type JobseekerForm struct {
	GivenName, FamilyName, Email string
	HomeMunicipality             string
	MobilityKm                   string
}

// SignupJobseekerData is the data of the "signup_jobseeker" page.
type SignupJobseekerData struct {
	Page
	Form           JobseekerForm
	Errors         FieldErrors
	Municipalities []Municipality
}

// EmployerForm is what an employer typed in the sign-up form.
type EmployerForm struct {
	CompanyName, TaxCode, VATNumber, ATECOCode, MunicipalityCode string
	Address, CompanyEmail, Phone, ContactPerson, Website         string
	Name, Email                                                  string
}

// SignupEmployerData is the data of the "signup_employer" page.
type SignupEmployerData struct {
	Page
	Form           EmployerForm
	Errors         FieldErrors
	Municipalities []Municipality
}

// AccountData is the data of the "account" page.
type AccountData struct {
	Page
	Account      matching.User
	ProviderName string
	Tokens       []matching.APIToken
	Sessions     []matching.Session
	SessionID    int64
	// TokenName is the name typed in the token form that came back.
	TokenName string
	Errors    FieldErrors
}

// RoleKey is the catalogue key of the account's role.
func (d AccountData) RoleKey() string { return RoleKey(d.Account.Role) }

// UserFilterForm is the filter of the accounts page as typed.
type UserFilterForm struct {
	Query      string
	Role       matching.Role
	Status     matching.UserStatus
	ProviderID int64
}

// NewStaffForm is what the admin typed in the form that creates an account.
type NewStaffForm struct {
	Email, Name string
	Role        matching.Role
	ProviderID  int64
}

// AdminUsersData is the data of the "admin_users" page.
type AdminUsersData struct {
	Page
	Filter           UserFilterForm
	Users            []matching.User
	Total, From, To  int
	PrevURL, NextURL string
	Providers        []matching.Provider
	// CanManage shows the forms (the admin); the monitor only reads.
	CanManage bool
	SelfID    int64
	Form      NewStaffForm
	Errors    FieldErrors
}

// Roles returns every role, for the filter.
func (AdminUsersData) Roles() []matching.Role { return matching.Roles() }

// StaffRoles returns the roles the admin gives and changes.
func (AdminUsersData) StaffRoles() []matching.Role {
	return []matching.Role{matching.RoleAdmin, matching.RoleMonitor, matching.RoleOperator}
}

// StaffRole reports whether an account's role may be changed here.
func (AdminUsersData) StaffRole(r matching.Role) bool { return r.IsStaff() }

// Statuses returns the account states, for the filter.
func (AdminUsersData) Statuses() []matching.UserStatus {
	return []matching.UserStatus{matching.UserActive, matching.UserPending, matching.UserDisabled}
}

// RoleKey is the catalogue key of a role.
func (AdminUsersData) RoleKey(r matching.Role) string { return RoleKey(r) }

// StatusKey is the catalogue key of an account state.
func (AdminUsersData) StatusKey(s matching.UserStatus) string { return "status." + string(s) }

// ProviderName names a provider of the list by id.
func (d AdminUsersData) ProviderName(id *int64) string {
	if id == nil {
		return ""
	}
	for _, p := range d.Providers {
		if p.ID == *id {
			return p.Name
		}
	}
	return "#" + strconv.FormatInt(*id, 10)
}

// SameProvider reports whether the account belongs to the provider id.
func (AdminUsersData) SameProvider(u matching.User, id int64) bool {
	return u.ProviderID != nil && *u.ProviderID == id
}

// VerifiedData is the data of the "verified" page.
type VerifiedData struct {
	Page
	Verified bool
	Message  string
}
