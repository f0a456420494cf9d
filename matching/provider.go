package matching

import (
	"regexp"
	"time"

	"incontro/reference"
)

// ProviderKind tells a public job centre from an accredited private agency.
type ProviderKind string

// Provider kinds.
const (
	PublicCentre     ProviderKind = "public_centre"
	AccreditedAgency ProviderKind = "accredited_agency"
)

// Provider is a member of the employment network that delivers the 4C/4D
// services: a Centro per l'impiego or an accredited agency.
type Provider struct {
	ID               int64        `json:"id" db:"id"`
	Code             string       `json:"code" db:"code"`
	Name             string       `json:"name" db:"name"`
	Kind             ProviderKind `json:"kind" db:"kind"`
	MunicipalityCode string       `json:"municipality_code" db:"municipality_code"`
	Email            string       `json:"email" db:"email"`
	Phone            string       `json:"phone" db:"phone"`
	CreatedAt        time.Time    `json:"created_at" db:"created_at"`
}

var providerCode = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,39}$`)

// Validate checks the provider's fields.
func (p *Provider) Validate() error {
	var c checker
	c.check(providerCode.MatchString(p.Code), "code", "must be 2–40 lower-case letters, digits or dashes")
	c.required(p.Name, "name")
	c.maxLen(p.Name, 200, "name")
	c.check(p.Kind == PublicCentre || p.Kind == AccreditedAgency, "kind", "must be public_centre or accredited_agency")
	c.check(validMunicipality(p.MunicipalityCode), "municipality_code", "is not a known ISTAT municipality code")
	c.check(p.Email == "" || ValidEmail(p.Email), "email", "is not a valid e-mail address")
	return c.result()
}

func validMunicipality(code string) bool {
	_, ok := reference.MunicipalityByCode(code)
	return ok
}

// Role is what a user may do.
type Role string

// Roles.
const (
	RoleAdmin     Role = "admin"
	RoleMonitor   Role = "monitor"
	RoleOperator  Role = "operator"
	RoleEmployer  Role = "employer"
	RoleJobseeker Role = "jobseeker"
)

// Roles returns every role.
func Roles() []Role {
	return []Role{RoleAdmin, RoleMonitor, RoleOperator, RoleEmployer, RoleJobseeker}
}

// UserStatus is the state of an account.
type UserStatus string

// Account states.
const (
	UserPending  UserStatus = "pending"
	UserActive   UserStatus = "active"
	UserDisabled UserStatus = "disabled"
)

// User is a person who signs in. An operator belongs to a provider, an
// employer user to an employer, a jobseeker owns one candidate record.
type User struct {
	ID              int64      `json:"id" db:"id"`
	Email           string     `json:"email" db:"email"`
	Name            string     `json:"name" db:"name"`
	Role            Role       `json:"role" db:"role"`
	ProviderID      *int64     `json:"provider_id,omitempty" db:"provider_id"`
	EmployerID      *int64     `json:"employer_id,omitempty" db:"employer_id"`
	CandidateID     *int64     `json:"candidate_id,omitempty" db:"candidate_id"`
	PasswordHash    string     `json:"-" db:"password_hash"`
	Language        string     `json:"language" db:"language"`
	Status          UserStatus `json:"status" db:"status"`
	EmailVerifiedAt *time.Time `json:"email_verified_at,omitempty" db:"email_verified_at"`
	// Demo marks the seed's demo accounts, whose shared password works only
	// on a development or loopback server.
	Demo      bool      `json:"demo" db:"demo"`
	CreatedAt time.Time `json:"created_at" db:"created_at"`
	UpdatedAt time.Time `json:"updated_at" db:"updated_at"`
}

// Validate checks the user's fields and that the role is tied to what it
// belongs to.
func (u *User) Validate() error {
	var c checker
	c.check(ValidEmail(u.Email) && u.Email == NormalizeEmail(u.Email), "email", "is not a valid lower-case e-mail address")
	c.required(u.Name, "name")
	c.maxLen(u.Name, 200, "name")
	known := false
	for _, r := range Roles() {
		known = known || r == u.Role
	}
	c.check(known, "role", "must be one of admin, monitor, operator, employer, jobseeker")
	c.check((u.Role == RoleOperator) == (u.ProviderID != nil), "provider_id", "is required for operators and only for them")
	c.check((u.Role == RoleEmployer) == (u.EmployerID != nil), "employer_id", "is required for employer users and only for them")
	c.check((u.Role == RoleJobseeker) == (u.CandidateID != nil), "candidate_id", "is required for jobseekers and only for them")
	c.check(u.Language == "it" || u.Language == "en", "language", "must be it or en")
	c.check(u.Status == UserPending || u.Status == UserActive || u.Status == UserDisabled, "status", "must be pending, active or disabled")
	return c.result()
}

// IsStaff reports whether the role belongs to the employment services or the Province.
func (r Role) IsStaff() bool { return r == RoleAdmin || r == RoleMonitor || r == RoleOperator }
