package seed

import (
	"fmt"
	"strings"

	"incontro/matching"
)

// DemoUser is an account made by the seed with the password to print for a
// demo. Links name what the account belongs to by its position in the
// generated lists, since IDs exist only once loaded.
type DemoUser struct {
	User     matching.User
	Password string
	// ProviderIndex, EmployerIndex and CandidateIndex are -1 when unused.
	ProviderIndex, EmployerIndex, CandidateIndex int
}

// DemoEmployers is how many employers, the first ones, can have demo
// accounts: their first vacancy is always published, so that each has a
// request in the demo workflow.
const DemoEmployers = 5

// DemoPassword is the password of every demo account.
const DemoPassword = "incontro-demo-2026"

type providerSpec struct {
	code, name, municipality string
	kind                     matching.ProviderKind
}

// The public job centres of Trentino and two accredited agencies (the
// agencies' names are invented).
var providerSpecs = []providerSpec{
	{"cpi-trento", "Centro per l'impiego di Trento", "022205", matching.PublicCentre},
	{"cpi-rovereto", "Centro per l'impiego di Rovereto", "022161", matching.PublicCentre},
	{"cpi-riva", "Centro per l'impiego di Riva del Garda", "022153", matching.PublicCentre},
	{"cpi-pergine", "Centro per l'impiego di Pergine Valsugana", "022139", matching.PublicCentre},
	{"cpi-cles", "Centro per l'impiego di Cles", "022062", matching.PublicCentre},
	{"cpi-cavalese", "Centro per l'impiego di Cavalese", "022050", matching.PublicCentre},
	{"cpi-tione", "Centro per l'impiego di Tione di Trento", "022199", matching.PublicCentre},
	{"cpi-borgo", "Centro per l'impiego di Borgo Valsugana", "022022", matching.PublicCentre},
	{"alpilavoro", "AlpiLavoro – agenzia per il lavoro accreditata", "022205", matching.AccreditedAgency},
	{"ponte-impiego", "Ponte Impiego – servizi accreditati per il lavoro", "022161", matching.AccreditedAgency},
}

var operatorNames = []string{
	"Elisa Dallapè", "Marco Tamanini", "Sara Pegoretti", "Luca Franceschini", "Anna Eccher",
	"Paolo Gasperi", "Chiara Osele", "Stefano Lunelli", "Michela Paoli", "Davide Pallaoro",
}

// Providers returns the providers of the demo network.
func (g *Generator) Providers() []matching.Provider {
	out := make([]matching.Provider, len(providerSpecs))
	for i, p := range providerSpecs {
		out[i] = matching.Provider{
			Code: p.code, Name: p.name, Kind: p.kind, MunicipalityCode: p.municipality,
			Email: p.code + "@example.org",
		}
	}
	return out
}

// StaffUsers returns the admin, the monitor of the Province and two
// operators per provider.
func (g *Generator) StaffUsers() []DemoUser {
	users := []DemoUser{
		{User: matching.User{Email: "admin@example.org", Name: "Amministratore incontro", Role: matching.RoleAdmin},
			ProviderIndex: -1, EmployerIndex: -1, CandidateIndex: -1},
		{User: matching.User{Email: "monitoraggio@example.org", Name: "Ufficio monitoraggio – Provincia", Role: matching.RoleMonitor},
			ProviderIndex: -1, EmployerIndex: -1, CandidateIndex: -1},
	}
	for i, p := range providerSpecs {
		for k := 0; k < 2; k++ {
			name := operatorNames[(2*i+k)%len(operatorNames)]
			users = append(users, DemoUser{
				User: matching.User{
					Email: fmt.Sprintf("operatore%d.%s@example.org", k+1, p.code),
					Name:  name, Role: matching.RoleOperator,
				},
				ProviderIndex: i, EmployerIndex: -1, CandidateIndex: -1,
			})
		}
	}
	for i := range users {
		users[i].Password = DemoPassword
		users[i].User.Language = "it"
		users[i].User.Status = matching.UserActive
	}
	return users
}

var legalForms = []string{"S.r.l.", "S.p.A.", "S.n.c.", "S.a.s.", "Soc. coop."}

var sectorNouns = map[string][]string{
	"turismo":     {"Hotel", "Albergo", "Ristorante", "Bar Pasticceria", "Residence", "Rifugio"},
	"manifattura": {"Meccanica", "Officine", "Industrie", "Lavorazioni", "Caseificio", "Cantina"},
	"commercio":   {"Market", "Supermercati", "Commerciale", "Ferramenta", "Emporio"},
	"edilizia":    {"Costruzioni", "Edilizia", "Impianti", "Coperture", "Restauri"},
	"cura":        {"RSA", "Cooperativa sociale", "Servizi alla persona", "Casa di riposo"},
	"logistica":   {"Trasporti", "Logistica", "Spedizioni", "Autotrasporti"},
	"agricoltura": {"Azienda agricola", "Frutticoltura", "Vivai", "Consorzio ortofrutticolo"},
	"ufficio":     {"Studio associato", "Servizi amministrativi", "Consulenze"},
	"ict":         {"Software", "Sistemi informativi", "Digital Lab"},
}

// Employers returns the demo employers; employer i's sector is Sectors()[i].
func (g *Generator) Employers() ([]matching.Employer, []string) {
	sectors := sortedSectors()
	weights := make([]float64, len(sectors))
	for i, s := range sectors {
		weights[i] = sectorShare[s]
	}
	out := make([]matching.Employer, g.opts.Employers)
	of := make([]string, g.opts.Employers)
	for i := range out {
		r := g.rng(streamEmployer, uint64(i))
		sector := sectors[pickWeighted(r, weights)]
		home := g.homes[pickWeighted(r, g.homeWeights)]
		name := fmt.Sprintf("%s %s %s", pick(r, sectorNouns[sector]), pick(r, companyWords), pick(r, legalForms))
		vat := syntheticVATNumber(i + 1)
		slug := asciiFold(strings.Fields(name)[0]) + fmt.Sprint(i+1)
		out[i] = matching.Employer{
			Name:             name,
			TaxCode:          vat,
			VATNumber:        vat,
			ATECOCode:        pick(r, sectorATECO[sector]),
			MunicipalityCode: home.Code,
			Address:          fmt.Sprintf("Via %s %d", pick(r, companyWords), 1+r.IntN(120)),
			Email:            "info." + slug + "@example.org",
			ContactPerson:    pick(r, givenNamesF) + " " + pick(r, familyNames),
		}
		of[i] = sector
	}
	return out, of
}

// EmployerUsers returns one account for each of the first n employers.
func (g *Generator) EmployerUsers(employers []matching.Employer, n int) []DemoUser {
	n = min(n, len(employers))
	out := make([]DemoUser, n)
	for i := 0; i < n; i++ {
		out[i] = DemoUser{
			User: matching.User{
				Email: fmt.Sprintf("azienda%d@example.org", i+1), Name: employers[i].ContactPerson,
				Role: matching.RoleEmployer, Language: "it", Status: matching.UserActive,
			},
			Password: DemoPassword, ProviderIndex: -1, EmployerIndex: i, CandidateIndex: -1,
		}
	}
	return out
}

// JobseekerUsers returns an account for each of the first n candidates.
func (g *Generator) JobseekerUsers(n int) []DemoUser {
	n = min(n, g.opts.Candidates)
	out := make([]DemoUser, n)
	for i := 0; i < n; i++ {
		c, _ := g.Candidate(i)
		out[i] = DemoUser{
			User: matching.User{
				Email: c.Email, Name: c.GivenName + " " + c.FamilyName,
				Role: matching.RoleJobseeker, Language: "it", Status: matching.UserActive,
			},
			Password: DemoPassword, ProviderIndex: -1, EmployerIndex: -1, CandidateIndex: i,
		}
	}
	return out
}
