package api_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"incontro/api"
	"incontro/matching"
)

// roleOf is the role each actor signs in with.
var roleOf = map[string]matching.Role{
	admin: matching.RoleAdmin, monitor: matching.RoleMonitor, operatorA: matching.RoleOperator, operatorB: matching.RoleOperator,
	employer1: matching.RoleEmployer, employer2: matching.RoleEmployer, jobseeker1: matching.RoleJobseeker, jobseeker2: matching.RoleJobseeker,
}

// ownedBy says, independently of the server's policies, which actors may
// see the record each resource path parameter is filled with in the walk.
func (w *world) ownedBy() map[string]struct {
	id     int64
	actors []string
} {
	type rec = struct {
		id     int64
		actors []string
	}
	return map[string]rec{
		// Candidate 1 was presented to employer 1; operators share the pool.
		"candidate": {w.candidate1.ID, []string{admin, monitor, operatorA, operatorB, employer1, jobseeker1}},
		// Employer 1 is served by provider A.
		"employer": {w.employer1.ID, []string{admin, monitor, operatorA, employer1}},
		// Request 1 is provider A's, for employer 1.
		"request": {w.request1.ID, []string{admin, monitor, operatorA, employer1}},
		// Vacancy 1 is employer 1's, served by provider A.
		"vacancy": {w.vacancy1.ID, []string{admin, monitor, operatorA, employer1}},
		// Workflow records of request 1 (world.go says which).
		"pipeline entry":       {w.entry1.ID, []string{admin, monitor, operatorA, employer1, jobseeker1}},
		"shortlist":            {w.shortlist1.ID, []string{admin, monitor, operatorA, employer1}},
		"application":          {w.application1.ID, []string{admin, monitor, operatorA, jobseeker1}},
		"availability request": {w.availability1.ID, []string{admin, monitor, operatorA, jobseeker1}},
		"time entry":           {w.timeEntry1.ID, []string{admin, monitor, operatorA}},
		// The account of operator A.
		"user": {w.users[operatorA].ID, []string{admin, monitor, operatorA}},
	}
}

// TestEveryRouteEnforcesItsDeclaredRule walks every route of the table with
// every role and anonymously: a refused caller must get 401 (anonymous) or
// 403/404, an allowed one must not be refused.
func TestEveryRouteEnforcesItsDeclaredRule(t *testing.T) {
	w := newWorld(t)
	owned := w.ownedBy()
	rules := w.srv.Rules()
	if len(rules) < 8 {
		t.Fatalf("only %d routes in the table", len(rules))
	}
	registered := map[string]bool{}
	for _, r := range w.srv.Echo().Routes() {
		registered[r.Method+" "+r.Path] = true
	}
	declared := map[string]bool{}
	for _, r := range rules {
		declared[r.Method+" "+r.Path] = true
	}
	for k := range registered {
		if !declared[k] {
			t.Errorf("route %s is registered without a rule in the route table", k)
		}
	}

	for _, r := range rules {
		path := r.Path
		var owners []string
		if r.Access.Own != nil {
			rec, ok := owned[r.Access.Own.Resource]
			if !ok {
				t.Fatalf("route %s %s: the walk has no fixture for resource %q", r.Method, r.Path, r.Access.Own.Resource)
			}
			path = strings.Replace(path, ":"+r.Access.Own.Param, fmt.Sprint(rec.id), 1)
			owners = rec.actors
		}
		path = strings.ReplaceAll(strings.ReplaceAll(path, "*", "style.css"), ":id", "1")
		for _, actor := range actors {
			allowed := r.Access.Public
			if actor != anonymous && slices.Contains(r.Access.Roles, roleOf[actor]) {
				allowed = r.Access.Own == nil || slices.Contains(owners, actor)
			}
			t.Run(fmt.Sprintf("%s %s as %s", r.Method, r.Path, actor), func(t *testing.T) {
				c := w.signIn(actor)
				status, body := c.do(r.Method, path, nil)
				refused := status == http.StatusUnauthorized || status == http.StatusForbidden || status == http.StatusNotFound
				switch {
				case !allowed && !refused:
					t.Fatalf("answered %d to a caller the rule refuses: %s", status, body)
				case !allowed && actor == anonymous && status != http.StatusUnauthorized:
					t.Fatalf("anonymous caller got %d, want 401", status)
				case allowed && (status == http.StatusUnauthorized || status == http.StatusForbidden):
					t.Fatalf("refused (%d) a caller the rule allows: %s", status, body)
				}
			})
		}
	}
}

func TestTheMonitorChangesNothing(t *testing.T) {
	w := newWorld(t)
	for _, r := range w.srv.Rules() {
		if r.Method != http.MethodGet && r.Method != http.MethodHead && !r.Access.Self && slices.Contains(r.Access.Roles, matching.RoleMonitor) {
			t.Errorf("%s %s lets the monitor change data", r.Method, r.Path)
		}
	}
}

func TestARouteWithoutARoleIsRefusedAtStart(t *testing.T) {
	for _, tc := range []struct {
		name string
		a    api.Access
	}{
		{"no role and not public", api.Access{}},
		{"public with roles", api.Access{Public: true, Roles: []matching.Role{matching.RoleAdmin}}},
		{"the monitor writing", api.Access{Roles: []matching.Role{matching.RoleMonitor}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := api.ValidateRoute(http.MethodPost, "/api/v1/x", tc.a); err == nil {
				t.Fatal("the rule was accepted")
			}
		})
	}
}

// TestTheRouteTableMatchesTheAccessRules states, independently of the
// table, who may call the routes that touch people's data, so that a wrong
// role in the table fails here and not only in production.
func TestTheRouteTableMatchesTheAccessRules(t *testing.T) {
	w := newWorld(t)
	const (
		A = matching.RoleAdmin
		M = matching.RoleMonitor
		O = matching.RoleOperator
		E = matching.RoleEmployer
		J = matching.RoleJobseeker
	)
	want := map[string][]matching.Role{
		// CVs: staff who work on them, employers (when presented), the jobseeker; not the admin.
		"GET /api/v1/candidates/:id":    {M, O, E, J},
		"PUT /api/v1/candidates/:id":    {O, J},
		"GET /api/v1/candidates/search": {M, O},
		"GET /api/v1/employers/:id":     {M, O, E},
		"GET /api/v1/requests/:id":      {M, O, E},
		// Matching: operators run it, staff read runs; reverse matching for the jobseeker too.
		"POST /api/v1/requests/:id/matches":     {O},
		"GET /api/v1/requests/:id/matches":      {M, O},
		"GET /api/v1/requests/:id/matches/:run": {M, O},
		"GET /api/v1/candidates/:id/vacancies":  {M, O, J},
		// Requests: opened by operators and employers, moved by operators (the employer only withdraws).
		"POST /api/v1/requests":                           {O, E},
		"GET /api/v1/requests":                            {M, O, E},
		"PATCH /api/v1/requests/:id":                      {O},
		"POST /api/v1/requests/:id/transitions":           {O, E},
		"GET /api/v1/requests/:id/history":                {M, O, E},
		"POST /api/v1/requests/:id/pipeline":              {O},
		"GET /api/v1/requests/:id/pipeline":               {M, O},
		"GET /api/v1/requests/:id/applications":           {M, O},
		"GET /api/v1/pipeline/:id":                        {M, O},
		"POST /api/v1/pipeline/:id/stage":                 {O},
		"POST /api/v1/pipeline/:id/notes":                 {O},
		"POST /api/v1/pipeline/:id/withdraw":              {J},
		"GET /api/v1/pipeline/:id/contacts":               {M, O},
		"POST /api/v1/pipeline/:id/contacts":              {O},
		"POST /api/v1/pipeline/:id/availability-requests": {O},
		"GET /api/v1/me/availability-requests":            {J},
		"POST /api/v1/availability-requests/:id/answer":   {J},
		"POST /api/v1/vacancies/:id/applications":         {J},
		"GET /api/v1/me/applications":                     {J},
		"POST /api/v1/applications/:id/withdraw":          {J},
		"POST /api/v1/applications/:id/verify":            {O},
		"GET /api/v1/candidates/:id/views":                {M, O, J},
		// Vacancies: written by employers and operators, read by staff too.
		"POST /api/v1/vacancies":             {O, E},
		"PUT /api/v1/vacancies/:id":          {O, E},
		"POST /api/v1/vacancies/:id/publish": {O, E},
		"GET /api/v1/vacancies/:id":          {M, O, E},
		"POST /api/v1/vacancies/check":       {O, E},
		// Accounts: the admin manages them, the monitor reads them.
		"GET /api/v1/users":            {A, M},
		"POST /api/v1/users":           {A},
		"PATCH /api/v1/users/:id":      {A},
		"GET /metrics":                 {A, M},
		"DELETE /api/v1/session":       {A, M, O, E, J},
		"POST /api/v1/me/tokens":       {A, M, O, E, J},
		"PUT /api/v1/me/password":      {A, M, O, E, J},
		"POST /api/v1/session":         nil, // public
		"POST /api/v1/signup/employer": nil,
		// Shortlists, feedback and 4D: the operator writes them, the employer
		// reads what was presented to it and gives feedback.
		"POST /api/v1/requests/:id/shortlists":         {O},
		"GET /api/v1/requests/:id/shortlists":          {M, O, E},
		"GET /api/v1/requests/:id/shortlist":           {M, O, E},
		"GET /api/v1/shortlists/:id":                   {M, O, E},
		"PUT /api/v1/shortlists/:id":                   {O},
		"POST /api/v1/shortlists/:id/present":          {O},
		"POST /api/v1/pipeline/:id/feedback":           {O, E},
		"GET /api/v1/requests/:id/feedback":            {M, O, E},
		"POST /api/v1/pipeline/:id/competence-checks":  {O},
		"GET /api/v1/requests/:id/competence-checks":   {M, O, E},
		"POST /api/v1/requests/:id/selection-sessions": {O},
		"GET /api/v1/requests/:id/selection-sessions":  {M, O, E},

		// Time against the standard: operators record their own, staff read a request's;
		// the author alone corrects (the store refuses colleagues); timers are an operator's own.
		"POST /api/v1/requests/:id/time-entries": {O},
		"GET /api/v1/requests/:id/time-entries":  {M, O},
		"PUT /api/v1/time-entries/:id":           {O},
		"DELETE /api/v1/time-entries/:id":        {O},
		"POST /api/v1/requests/:id/timer":        {O},
		"GET /api/v1/me/timer":                   {O},
		"POST /api/v1/me/timer/stop":             {O},
		"DELETE /api/v1/me/timer":                {O},
		// Monitoring: the Province reads every provider, an operator its own.
		"GET /api/v1/reports/monitoring": {M, O},

		// Pages: each role's home is its own; accounts as in the API.
		"GET /operatore": {O},
		// The workbench's pages: the operator's alone, as the routes they share a core with.
		"POST /operatore/richieste":                           {O},
		"GET /operatore/richieste/:id":                        {O},
		"POST /operatore/richieste/:id/stato":                 {O},
		"POST /operatore/richieste/:id/requisiti":             {O},
		"GET /operatore/richieste/:id/abbinamento":            {O},
		"POST /operatore/richieste/:id/abbinamento":           {O},
		"POST /operatore/richieste/:id/abbinamento/candidati": {O},
		"GET /datore":             {E},
		"GET /candidato":          {J},
		"GET /monitoraggio":       {M, O},
		"GET /admin/utenti":       {A, M},
		"POST /admin/utenti":      {A},
		"POST /admin/utenti/:id":  {A},
		"GET /account":            {A, M, O, E, J},
		"POST /account/token":     {A, M, O, E, J},
		"POST /esci":              {A, M, O, E, J},
		"POST /accedi":            nil,
		"POST /registrati/datore": nil,
		// The jobseeker's own record: their data and their erasure, the pages
		// of their CV, consent, reads and data; the erasure's last page is public.
		"GET /api/v1/me/data":        {J},
		"DELETE /api/v1/me":          {J},
		"GET /candidato/cv":          {J},
		"POST /candidato/cv":         {J},
		"GET /candidato/visibilita":  {J},
		"POST /candidato/visibilita": {J},
		"GET /candidato/visite":      {J},
		"GET /candidato/dati":        {J},
		"POST /candidato/cancella":   {J},
		"GET /candidato/cancellato":  nil,
		// Candidate search and the candidate page: staff, as the search and CV routes.
		"GET /operatore/candidati":               {M, O},
		"GET /operatore/candidati/:id":           {M, O},
		"POST /operatore/candidati/:id/pipeline": {O},
		// Monitoring's series: as the report, the Province's and operators' (their provider's).
		"GET /api/v1/reports/monitoring/series": {M, O},
		// Published vacancies for anyone; applying and the jobseeker's
		// vacancies, applications and availability questions are theirs alone.
		"GET /api/v1/public/vacancies":           nil,
		"GET /api/v1/public/vacancies/:id":       nil,
		"GET /offerte":                           nil,
		"GET /offerte/:id":                       nil,
		"POST /offerte/:id/candidatura":          {J},
		"GET /candidato/offerte":                 {J},
		"GET /candidato/candidature":             {J},
		"POST /candidato/candidature/:id/ritira": {J},
		"GET /candidato/disponibilita":           {J},
		"POST /candidato/disponibilita/:id":      {J},
		// The employer's portal: the employer's alone (its vacancies, its requests, the candidates presented to it).
		"GET /datore/offerte/nuova":                      {E},
		"POST /datore/offerte/nuova":                     {E},
		"GET /datore/offerte/:id":                        {E},
		"POST /datore/offerte/:id":                       {E},
		"GET /datore/richieste/:id":                      {E},
		"POST /datore/richieste/:id/ritiro":              {E},
		"POST /datore/candidati-richiesta/:id/riscontro": {E},
	}
	rules := map[string]api.Access{}
	for _, r := range w.srv.Rules() {
		rules[r.Method+" "+r.Path] = r.Access
	}
	for route, roles := range want {
		a, ok := rules[route]
		switch {
		case !ok:
			t.Errorf("%s is not in the route table", route)
		case roles == nil && !a.Public:
			t.Errorf("%s should be public", route)
		case roles != nil && !slices.Equal(slices.Sorted(slices.Values(a.Roles)), slices.Sorted(slices.Values(roles))):
			t.Errorf("%s allows %v, the rules say %v", route, a.Roles, roles)
		}
	}
}
