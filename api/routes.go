package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"incontro/matching"
)

// routes is the route table: every route of incontro with who may call it.
// Ownership policies live in ownership.go, one per resource.
func (s *Server) routes() []Route {
	metrics := echo.WrapHandler(promhttp.HandlerFor(s.registry, promhttp.HandlerOpts{
		Registry: s.registry, ErrorLog: s.errorLog(), EnableOpenMetrics: true,
	}))
	return []Route{
		// Probes, metrics, pages and assets anyone may read.
		{http.MethodGet, "/healthz", public, s.healthz},
		{http.MethodGet, "/readyz", public, s.readyz},
		// Metrics are scraped with a monitor's or an admin's API token.
		{http.MethodGet, "/metrics", roles(matching.RoleAdmin, matching.RoleMonitor), metrics},
		{http.MethodGet, "/", public, s.homePage},
		{http.MethodGet, "/static/*", public, s.static},

		// Sessions.
		{http.MethodPost, "/api/v1/session", public, s.login},
		{http.MethodDelete, "/api/v1/session", ownAccount(), s.logout},
		{http.MethodDelete, "/api/v1/sessions", ownAccount(), s.logoutEverywhere},
		{http.MethodGet, "/api/v1/me", signedIn(), s.me},

		// Sign-up and e-mail verification (account.go).
		{http.MethodPost, "/api/v1/signup/employer", public, s.signupEmployer},
		{http.MethodPost, "/api/v1/signup/jobseeker", public, s.signupJobseeker},
		{http.MethodPost, "/api/v1/verify-email", public, s.verifyEmail},
		{http.MethodPost, "/api/v1/verify-email/resend", public, s.resendVerification},
		{http.MethodGet, "/account/verify", public, s.verifyEmailPage},

		// One's own password and API tokens (account.go).
		{http.MethodPut, "/api/v1/me/password", ownAccount(), s.changePassword},
		{http.MethodGet, "/api/v1/me/tokens", ownAccount(), s.apiTokens},
		{http.MethodPost, "/api/v1/me/tokens", ownAccount(), s.createAPIToken},
		{http.MethodDelete, "/api/v1/me/tokens/:id", ownAccount(), s.revokeAPIToken},

		// Accounts (admin.go): the admin manages them, the monitor reads them,
		// everyone reads their own.
		{http.MethodGet, "/api/v1/users", roles(matching.RoleAdmin, matching.RoleMonitor), s.users},
		{http.MethodPost, "/api/v1/users", roles(adminOnly...), s.createUser},
		{http.MethodGet, "/api/v1/users/:id", owned(userPolicy(), allRoles...), s.user},
		{http.MethodPatch, "/api/v1/users/:id", owned(userPolicy(), adminOnly...), s.updateUser},

		// Records, each behind its resource's ownership policy (records.go).
		{http.MethodGet, "/api/v1/candidates/search", roles(staff...), s.searchCandidates},
		{http.MethodGet, "/api/v1/candidates/:id", owned(candidatePolicy(s.store), append(staff, matching.RoleEmployer, matching.RoleJobseeker)...), s.candidate},
		{http.MethodPut, "/api/v1/candidates/:id", owned(candidatePolicy(s.store), matching.RoleOperator, matching.RoleJobseeker), s.updateCandidate},
		{http.MethodGet, "/api/v1/employers/:id", owned(employerPolicy(s.store), append(staff, matching.RoleEmployer)...), s.employer},
		{http.MethodGet, "/api/v1/requests/:id", owned(requestPolicy(s.store), append(staff, matching.RoleEmployer)...), s.request},

		// Vacancies (vacancies.go): employers write their own, operators those
		// of the employers they serve; the wording check runs on every save.
		{http.MethodPost, "/api/v1/vacancies/check", roles(matching.RoleOperator, matching.RoleEmployer), s.checkAd},
		{http.MethodPost, "/api/v1/vacancies", roles(matching.RoleOperator, matching.RoleEmployer), s.createVacancy},
		{http.MethodGet, "/api/v1/vacancies/:id", owned(vacancyPolicy(s.store), append(staff, matching.RoleEmployer)...), s.vacancy},
		{http.MethodPut, "/api/v1/vacancies/:id", owned(vacancyPolicy(s.store), matching.RoleOperator, matching.RoleEmployer), s.updateVacancy},
		{http.MethodPost, "/api/v1/vacancies/:id/publish", owned(vacancyPolicy(s.store), matching.RoleOperator, matching.RoleEmployer), s.publishVacancy},

		// Matching (matches.go): staff read a request's runs, the operator
		// runs them; reverse matching for the jobseeker and staff.
		{http.MethodPost, "/api/v1/requests/:id/matches", owned(requestPolicy(s.store), matching.RoleOperator), s.runMatch},
		{http.MethodGet, "/api/v1/requests/:id/matches", owned(requestPolicy(s.store), staff...), s.matchRuns},
		{http.MethodGet, "/api/v1/requests/:id/matches/:run", owned(requestPolicy(s.store), staff...), s.matchRun},
		{http.MethodGet, "/api/v1/candidates/:id/vacancies", owned(candidatePolicy(s.store), append(staff, matching.RoleJobseeker)...), s.candidateVacancies},

		// Pages (pages.go, pages_account.go): forms post with the session's
		// CSRF token in the csrf_token field, checked like the API's header.
		{http.MethodPost, "/lingua", public, s.chooseLanguage},
		{http.MethodGet, "/accedi", public, s.loginPage},
		{http.MethodPost, "/accedi", public, s.loginSubmit},
		{http.MethodPost, "/esci", ownAccount(), s.logoutSubmit},
		{http.MethodGet, "/registrati", public, s.signupPage},
		{http.MethodGet, "/registrati/inviata", public, s.signupSentPage},
		{http.MethodGet, "/registrati/candidato", public, s.signupJobseekerPage},
		{http.MethodPost, "/registrati/candidato", public, s.signupJobseekerSubmit},
		{http.MethodGet, "/registrati/datore", public, s.signupEmployerPage},
		{http.MethodPost, "/registrati/datore", public, s.signupEmployerSubmit},
		{http.MethodGet, "/account", ownAccount(), s.accountPage},
		{http.MethodPost, "/account/password", ownAccount(), s.passwordSubmit},
		{http.MethodPost, "/account/token", ownAccount(), s.tokenSubmit},
		{http.MethodPost, "/account/token/:id/revoca", ownAccount(), s.tokenRevokeSubmit},
		{http.MethodPost, "/account/esci-ovunque", ownAccount(), s.logoutEverywhereSubmit},
		{http.MethodGet, "/admin/utenti", roles(matching.RoleAdmin, matching.RoleMonitor), s.adminUsersPage},
		{http.MethodPost, "/admin/utenti", roles(adminOnly...), s.adminCreateSubmit},
		{http.MethodPost, "/admin/utenti/:id", owned(userPolicy(), adminOnly...), s.adminUpdateSubmit},
		// Each role's home; the workbench is the operators' alone.
		{http.MethodGet, "/operatore", roles(matching.RoleOperator), s.placeholder("workbench")},
		{http.MethodGet, "/datore", roles(matching.RoleEmployer), s.placeholder("employer_home")},
		{http.MethodGet, "/candidato", roles(matching.RoleJobseeker), s.placeholder("jobseeker_home")},
		{http.MethodGet, "/monitoraggio", roles(matching.RoleMonitor), s.placeholder("reports")},
	}
}

// register adds the route table to echo, each route behind its Access rule.
func (s *Server) register(e *echo.Echo, table []Route) error {
	seen := map[string]bool{}
	for _, r := range table {
		if err := r.Access.validate(r.Method, r.Path); err != nil {
			return err
		}
		key := r.Method + " " + r.Path
		if seen[key] {
			return &duplicateRoute{key}
		}
		seen[key] = true
		e.Add(r.Method, r.Path, authorize(r.Access, r.Handler))
		s.rules = append(s.rules, RouteRule{Method: r.Method, Path: r.Path, Access: r.Access})
	}
	return nil
}

type duplicateRoute struct{ key string }

func (d *duplicateRoute) Error() string { return "route " + d.key + " is declared twice" }
