package matching

import (
	"strings"
	"time"

	"incontro/reference"
)

// Employer is a company (or sole trader) that asks for candidates.
type Employer struct {
	ID               int64     `json:"id" db:"id"`
	Name             string    `json:"name" db:"name"`
	TaxCode          string    `json:"tax_code" db:"tax_code"`
	VATNumber        string    `json:"vat_number,omitempty" db:"vat_number"`
	ATECOCode        string    `json:"ateco_code" db:"ateco_code"`
	MunicipalityCode string    `json:"municipality_code" db:"municipality_code"`
	Address          string    `json:"address" db:"address"`
	Email            string    `json:"email" db:"email"`
	Phone            string    `json:"phone" db:"phone"`
	ContactPerson    string    `json:"contact_person" db:"contact_person"`
	Website          string    `json:"website" db:"website"`
	ProviderID       *int64    `json:"provider_id,omitempty" db:"provider_id"`
	CreatedAt        time.Time `json:"created_at" db:"created_at"`
	UpdatedAt        time.Time `json:"updated_at" db:"updated_at"`
}

// Normalize trims the employer's fields and upper-cases its codes.
func (e *Employer) Normalize() {
	e.Name = strings.TrimSpace(e.Name)
	e.TaxCode = strings.ToUpper(strings.TrimSpace(e.TaxCode))
	e.VATNumber = strings.TrimSpace(e.VATNumber)
	if len(e.VATNumber) == 13 && strings.EqualFold(e.VATNumber[:2], "IT") {
		e.VATNumber = e.VATNumber[2:]
	}
	e.ATECOCode = strings.TrimSpace(e.ATECOCode)
	if a, ok := reference.ATECOByCode(e.ATECOCode); ok {
		e.ATECOCode = a.Code // the dotted form, whichever was typed
	}
	e.Email = NormalizeEmail(e.Email)
}

// Validate checks the employer's fields: codice fiscale and partita IVA with
// their check digits, a known ATECO code and municipality.
func (e *Employer) Validate() error {
	var c checker
	c.required(e.Name, "name")
	c.maxLen(e.Name, 200, "name")
	c.check(ValidCompanyTaxCode(e.TaxCode), "tax_code", "is not a valid codice fiscale (11 digits, or 16 characters for a sole trader)")
	c.check(e.VATNumber == "" || ValidVATNumber(e.VATNumber), "vat_number", "is not a valid partita IVA (11 digits with check digit)")
	_, ateco := reference.ATECOByCode(e.ATECOCode)
	c.check(ateco && strings.Contains(e.ATECOCode, "."), "ateco_code", "is not a known ATECO code (e.g. 56.10.11)")
	c.check(validMunicipality(e.MunicipalityCode), "municipality_code", "is not a known ISTAT municipality code")
	c.check(ValidEmail(e.Email), "email", "is not a valid e-mail address")
	c.maxLen(e.Address, 300, "address")
	c.maxLen(e.Website, 300, "website")
	return c.result()
}
