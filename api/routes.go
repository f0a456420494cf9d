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

		// Requests (requests.go): operators and employers open them, the queue
		// shows each role its own; operators move them along the life cycle,
		// the employer only withdraws. Their pipeline is the staff's.
		{http.MethodPost, "/api/v1/requests", roles(matching.RoleOperator, matching.RoleEmployer), s.createRequest},
		{http.MethodGet, "/api/v1/requests", roles(append(staff, matching.RoleEmployer)...), s.requests},
		{http.MethodPatch, "/api/v1/requests/:id", owned(requestPolicy(s.store), matching.RoleOperator), s.updateRequest},
		{http.MethodPost, "/api/v1/requests/:id/transitions", owned(requestPolicy(s.store), matching.RoleOperator, matching.RoleEmployer), s.transitionRequest},
		{http.MethodGet, "/api/v1/requests/:id/history", owned(requestPolicy(s.store), append(staff, matching.RoleEmployer)...), s.requestHistory},
		{http.MethodPost, "/api/v1/requests/:id/pipeline", owned(requestPolicy(s.store), matching.RoleOperator), s.addEntry},
		{http.MethodGet, "/api/v1/requests/:id/pipeline", owned(requestPolicy(s.store), staff...), s.pipeline},
		{http.MethodGet, "/api/v1/requests/:id/applications", owned(requestPolicy(s.store), staff...), s.requestApplications},

		// Pipeline, contacts, availability and self-applications (pipeline.go):
		// operators work the candidates; jobseekers answer, apply and withdraw;
		// a jobseeker sees who read their CV.
		{http.MethodGet, "/api/v1/pipeline/:id", owned(entryPolicy(s.store), staff...), s.entry},
		{http.MethodPost, "/api/v1/pipeline/:id/stage", owned(entryPolicy(s.store), matching.RoleOperator), s.moveEntry},
		{http.MethodPost, "/api/v1/pipeline/:id/notes", owned(entryPolicy(s.store), matching.RoleOperator), s.addEntryNote},
		{http.MethodPost, "/api/v1/pipeline/:id/withdraw", owned(entryPolicy(s.store), matching.RoleJobseeker), s.withdrawEntry},
		{http.MethodGet, "/api/v1/pipeline/:id/contacts", owned(entryPolicy(s.store), staff...), s.contacts},
		{http.MethodPost, "/api/v1/pipeline/:id/contacts", owned(entryPolicy(s.store), matching.RoleOperator), s.logContact},
		{http.MethodPost, "/api/v1/pipeline/:id/availability-requests", owned(entryPolicy(s.store), matching.RoleOperator), s.askAvailability},
		{http.MethodGet, "/api/v1/me/availability-requests", roles(matching.RoleJobseeker), s.myAvailabilityRequests},
		{http.MethodPost, "/api/v1/availability-requests/:id/answer", owned(availabilityRequestPolicy(s.store), matching.RoleJobseeker), s.answerAvailability},
		// Any jobseeker applies to a published vacancy; a draft is not found.
		{http.MethodPost, "/api/v1/vacancies/:id/applications", roles(matching.RoleJobseeker), s.apply},
		{http.MethodGet, "/api/v1/me/applications", roles(matching.RoleJobseeker), s.myApplications},
		{http.MethodPost, "/api/v1/applications/:id/withdraw", owned(applicationPolicy(s.store), matching.RoleJobseeker), s.withdrawApplication},
		{http.MethodPost, "/api/v1/applications/:id/verify", owned(applicationPolicy(s.store), matching.RoleOperator), s.verifyApplication},
		{http.MethodGet, "/api/v1/candidates/:id/views", owned(candidatePolicy(s.store), append(staff, matching.RoleJobseeker)...), s.cvViews},

		// Shortlists, feedback and 4D (shortlists.go, feedback.go)
		{http.MethodPost, "/api/v1/requests/:id/shortlists", owned(requestPolicy(s.store), matching.RoleOperator), s.createShortlist},
		{http.MethodGet, "/api/v1/requests/:id/shortlists", owned(requestPolicy(s.store), append(staff, matching.RoleEmployer)...), s.requestShortlists},
		{http.MethodGet, "/api/v1/requests/:id/shortlist", owned(requestPolicy(s.store), append(staff, matching.RoleEmployer)...), s.requestShortlist},
		{http.MethodGet, "/api/v1/shortlists/:id", owned(shortlistPolicy(s.store), append(staff, matching.RoleEmployer)...), s.shortlist},
		{http.MethodPut, "/api/v1/shortlists/:id", owned(shortlistPolicy(s.store), matching.RoleOperator), s.updateShortlist},
		{http.MethodPost, "/api/v1/shortlists/:id/present", owned(shortlistPolicy(s.store), matching.RoleOperator), s.presentShortlist},
		{http.MethodPost, "/api/v1/pipeline/:id/feedback", owned(entryPolicy(s.store), matching.RoleOperator, matching.RoleEmployer), s.addFeedback},
		{http.MethodGet, "/api/v1/requests/:id/feedback", owned(requestPolicy(s.store), append(staff, matching.RoleEmployer)...), s.requestFeedback},
		{http.MethodPost, "/api/v1/pipeline/:id/competence-checks", owned(entryPolicy(s.store), matching.RoleOperator), s.addCompetenceCheck},
		{http.MethodGet, "/api/v1/requests/:id/competence-checks", owned(requestPolicy(s.store), append(staff, matching.RoleEmployer)...), s.requestCompetenceChecks},
		{http.MethodPost, "/api/v1/requests/:id/selection-sessions", owned(requestPolicy(s.store), matching.RoleOperator), s.addSelectionSession},
		{http.MethodGet, "/api/v1/requests/:id/selection-sessions", owned(requestPolicy(s.store), append(staff, matching.RoleEmployer)...), s.requestSelectionSessions},

		// Time against the standard and monitoring (time.go, monitoring.go)
		{http.MethodPost, "/api/v1/requests/:id/time-entries", owned(requestPolicy(s.store), matching.RoleOperator), s.addTimeEntry},
		{http.MethodGet, "/api/v1/requests/:id/time-entries", owned(requestPolicy(s.store), staff...), s.timeEntries},
		{http.MethodPut, "/api/v1/time-entries/:id", owned(timeEntryPolicy(s.store), matching.RoleOperator), s.updateTimeEntry},
		{http.MethodDelete, "/api/v1/time-entries/:id", owned(timeEntryPolicy(s.store), matching.RoleOperator), s.deleteTimeEntry},
		{http.MethodPost, "/api/v1/requests/:id/timer", owned(requestPolicy(s.store), matching.RoleOperator), s.startTimer},
		{http.MethodGet, "/api/v1/me/timer", roles(matching.RoleOperator), s.runningTimer},
		{http.MethodPost, "/api/v1/me/timer/stop", roles(matching.RoleOperator), s.stopTimer},
		{http.MethodDelete, "/api/v1/me/timer", roles(matching.RoleOperator), s.discardTimer},
		{http.MethodGet, "/api/v1/reports/monitoring", roles(matching.RoleMonitor, matching.RoleOperator), s.monitoringReport},

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
		// The operator's work on a request (pages_requestwork.go): the
		// pipeline board and a candidate's page, the shortlist builder with
		// feedback and 4D, the time against the standard.
		{http.MethodGet, "/operatore/richieste/:id/candidati", owned(requestPolicy(s.store), matching.RoleOperator), s.candidatesPage},
		{http.MethodPost, "/operatore/candidature/:id/verifica", owned(applicationPolicy(s.store), matching.RoleOperator), s.verifyApplicationSubmit},
		{http.MethodGet, "/operatore/candidati-richiesta/:id", owned(entryPolicy(s.store), matching.RoleOperator), s.entryPage},
		{http.MethodPost, "/operatore/candidati-richiesta/:id/contatto", owned(entryPolicy(s.store), matching.RoleOperator), s.contactSubmit},
		{http.MethodPost, "/operatore/candidati-richiesta/:id/disponibilita", owned(entryPolicy(s.store), matching.RoleOperator), s.askSubmit},
		{http.MethodPost, "/operatore/candidati-richiesta/:id/nota", owned(entryPolicy(s.store), matching.RoleOperator), s.noteSubmit},
		{http.MethodPost, "/operatore/candidati-richiesta/:id/fase", owned(entryPolicy(s.store), matching.RoleOperator), s.stageSubmit},
		{http.MethodGet, "/operatore/richieste/:id/rosa", owned(requestPolicy(s.store), matching.RoleOperator), s.shortlistPage},
		{http.MethodPost, "/operatore/richieste/:id/rosa", owned(requestPolicy(s.store), matching.RoleOperator), s.shortlistSubmit},
		{http.MethodPost, "/operatore/candidati-richiesta/:id/riscontro", owned(entryPolicy(s.store), matching.RoleOperator), s.feedbackSubmit},
		{http.MethodPost, "/operatore/candidati-richiesta/:id/competenza", owned(entryPolicy(s.store), matching.RoleOperator), s.competenceSubmit},
		{http.MethodPost, "/operatore/richieste/:id/selezione", owned(requestPolicy(s.store), matching.RoleOperator), s.selectionSubmit},
		{http.MethodGet, "/operatore/richieste/:id/tempo", owned(requestPolicy(s.store), matching.RoleOperator), s.timePage},
		{http.MethodPost, "/operatore/richieste/:id/tempo", owned(requestPolicy(s.store), matching.RoleOperator), s.timeEntrySubmit},
		{http.MethodPost, "/operatore/tempo/:id/elimina", owned(timeEntryPolicy(s.store), matching.RoleOperator), s.timeEntryDeleteSubmit},
		{http.MethodPost, "/operatore/richieste/:id/timer", owned(requestPolicy(s.store), matching.RoleOperator), s.timerStartSubmit},
		{http.MethodPost, "/operatore/timer/ferma", roles(matching.RoleOperator), s.timerStopSubmit},
		// Each role's home; the workbench is the operators' alone.
		{http.MethodGet, "/operatore", roles(matching.RoleOperator), s.queuePage},
		{http.MethodGet, "/datore", roles(matching.RoleEmployer), s.employerHomePage},
		{http.MethodGet, "/candidato", roles(matching.RoleJobseeker), s.jobseekerHomePage},
		// Candidate search and the candidate page (pages_candidates.go): the
		// search route's and the CV route's cores; the monitor reads them too.
		{http.MethodGet, "/operatore/candidati", roles(staff...), s.candidateSearchPage},
		{http.MethodGet, "/operatore/candidati/:id", owned(candidatePolicy(s.store), staff...), s.candidatePage},
		{http.MethodPost, "/operatore/candidati/:id/pipeline", owned(candidatePolicy(s.store), matching.RoleOperator), s.addToRequestSubmit},

		// Published vacancies for anyone, and the jobseeker's vacancies,
		// applications and availability questions (public.go,
		// pages_vacancies.go): the JSON routes and pages on the same cores;
		// any jobseeker applies to a published vacancy, as in the API.
		{http.MethodGet, "/api/v1/public/vacancies", public, s.publicVacancies},
		{http.MethodGet, "/api/v1/public/vacancies/:id", public, s.publicVacancyRoute},
		{http.MethodGet, "/offerte", public, s.vacancyListPage},
		{http.MethodGet, "/offerte/:id", public, s.vacancyPage},
		{http.MethodPost, "/offerte/:id/candidatura", roles(matching.RoleJobseeker), s.applySubmit},
		{http.MethodGet, "/candidato/offerte", roles(matching.RoleJobseeker), s.recommendedPage},
		{http.MethodGet, "/candidato/candidature", roles(matching.RoleJobseeker), s.applicationsPage},
		{http.MethodPost, "/candidato/candidature/:id/ritira", owned(applicationPolicy(s.store), matching.RoleJobseeker), s.withdrawSubmit},
		{http.MethodGet, "/candidato/disponibilita", roles(matching.RoleJobseeker), s.availabilityPage},
		{http.MethodPost, "/candidato/disponibilita/:id", owned(availabilityRequestPolicy(s.store), matching.RoleJobseeker), s.answerSubmit},
		// The jobseeker's own record (pages_jobseeker.go, me.go): the CV and
		// the consent on the core of PUT /api/v1/candidates/:id, who read the
		// CV, all their data as a file, and the erasure of the account (its
		// last page is shown once the account is gone, hence public).
		{http.MethodGet, "/api/v1/me/data", roles(matching.RoleJobseeker), s.myData},
		{http.MethodDelete, "/api/v1/me", roles(matching.RoleJobseeker), s.eraseMe},
		{http.MethodGet, "/candidato/cv", roles(matching.RoleJobseeker), s.cvPage},
		{http.MethodPost, "/candidato/cv", roles(matching.RoleJobseeker), s.cvSubmit},
		{http.MethodGet, "/candidato/visibilita", roles(matching.RoleJobseeker), s.visibilityPage},
		{http.MethodPost, "/candidato/visibilita", roles(matching.RoleJobseeker), s.visibilitySubmit},
		{http.MethodGet, "/candidato/visite", roles(matching.RoleJobseeker), s.viewsPage},
		{http.MethodGet, "/candidato/dati", roles(matching.RoleJobseeker), s.dataPage},
		{http.MethodPost, "/candidato/cancella", roles(matching.RoleJobseeker), s.eraseSubmit},
		{http.MethodGet, "/candidato/cancellato", public, s.erasedPage},

		// The operator's workbench (pages_workbench.go): the queue, a request's
		// page with its life cycle and requirements, the match page.
		{http.MethodPost, "/operatore/richieste", roles(matching.RoleOperator), s.newRequestSubmit},
		{http.MethodGet, "/operatore/richieste/:id", owned(requestPolicy(s.store), matching.RoleOperator), s.requestPage},
		{http.MethodPost, "/operatore/richieste/:id/stato", owned(requestPolicy(s.store), matching.RoleOperator), s.transitionSubmit},
		{http.MethodPost, "/operatore/richieste/:id/requisiti", owned(requestPolicy(s.store), matching.RoleOperator), s.requirementsSubmit},
		{http.MethodGet, "/operatore/richieste/:id/abbinamento", owned(requestPolicy(s.store), matching.RoleOperator), s.matchPage},
		{http.MethodPost, "/operatore/richieste/:id/abbinamento", owned(requestPolicy(s.store), matching.RoleOperator), s.matchSubmit},
		{http.MethodPost, "/operatore/richieste/:id/abbinamento/candidati", owned(requestPolicy(s.store), matching.RoleOperator), s.matchAddSubmit},

		// Monitoring (monitoring_series.go, pages_monitoring.go): the report's
		// series by month and per request, and the reports' page, the
		// Province's for every provider or one, an operator's for its own.
		{http.MethodGet, "/api/v1/reports/monitoring/series", roles(matching.RoleMonitor, matching.RoleOperator), s.monitoringSeriesRoute},
		{http.MethodGet, "/monitoraggio", roles(matching.RoleMonitor, matching.RoleOperator), s.monitoringPage},
		// The employer's portal (pages_employer.go): the vacancy form (a new
		// vacancy, a draft, a vacancy sent without its request), a request's
		// page with the shortlist presented, the feedback on each candidate
		// and the withdrawal; the employer's home is above.
		{http.MethodGet, "/datore/offerte/nuova", roles(matching.RoleEmployer), s.newVacancyPage},
		{http.MethodPost, "/datore/offerte/nuova", roles(matching.RoleEmployer), s.newVacancySubmit},
		{http.MethodGet, "/datore/offerte/:id", owned(vacancyPolicy(s.store), matching.RoleEmployer), s.employerVacancyPage},
		{http.MethodPost, "/datore/offerte/:id", owned(vacancyPolicy(s.store), matching.RoleEmployer), s.vacancySubmit},
		{http.MethodGet, "/datore/richieste/:id", owned(requestPolicy(s.store), matching.RoleEmployer), s.employerRequestPage},
		{http.MethodPost, "/datore/richieste/:id/ritiro", owned(requestPolicy(s.store), matching.RoleEmployer), s.employerWithdrawSubmit},
		{http.MethodPost, "/datore/candidati-richiesta/:id/riscontro", owned(entryPolicy(s.store), matching.RoleEmployer), s.employerFeedbackSubmit},
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
