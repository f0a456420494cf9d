package seed

import (
	"context"
	"fmt"
	"slices"
	"time"

	"incontro/matching"
	"incontro/store"
)

// Opening is a vacancy the loader set aside for a 4C request: the first
// published vacancy of an employer, with the provider that serves it.
type Opening struct {
	EmployerIndex int
	EmployerID    int64
	ProviderIndex int
	ProviderID    int64
	VacancyID     int64
}

// WorkflowSummary counts what Workflow did.
type WorkflowSummary struct {
	Requests      int
	ByStatus      map[matching.RequestStatus]int
	Entries       int
	Contacts      int
	Shortlists    int
	Feedback      int
	TimeEntries   int
	Applications  int
	Verifications int
}

// Workflow takes the loaded requests through the life cycle, each to a
// different point — intake, ranked requirements, search, contacts with
// confirmed, expired and pending availabilities, self-applications,
// shortlists in one or two versions, feedback overdue or given, 4D
// verification and selection, closing by every outcome — with time entries
// under, within and over the standard. Everything goes through the store's
// own actions, so the demo data obey the same rules as the pages: each step
// runs as the operator, the employer or the jobseeker who would take it, on
// a clock set to the step's moment in the days before asOf. The database's
// clock is restored at the end.
func Workflow(ctx context.Context, db *store.DB, g *Generator, sum Summary) (WorkflowSummary, error) {
	out := WorkflowSummary{ByStatus: map[matching.RequestStatus]int{}}
	if len(sum.Openings) == 0 {
		return out, nil
	}
	saved := db.Now
	defer func() { db.Now = saved }()
	f := &flow{ctx: ctx, db: db, asOf: g.Options().AsOf, sum: &out}
	f.operators = map[int][]int64{}
	f.employerUsers = map[int]int64{}
	for _, a := range sum.Accounts {
		switch {
		case a.User.Role == matching.RoleOperator && a.ProviderIndex >= 0:
			f.operators[a.ProviderIndex] = append(f.operators[a.ProviderIndex], a.User.ID)
		case a.User.Role == matching.RoleEmployer && a.EmployerIndex >= 0:
			f.employerUsers[a.EmployerIndex] = a.User.ID
		case a.User.Role == matching.RoleJobseeker && a.User.CandidateID != nil:
			f.jobseekers = append(f.jobseekers, jobseeker{userID: a.User.ID, candidateID: *a.User.CandidateID})
		}
	}
	if err := f.loadPool(); err != nil {
		return out, err
	}
	for i, o := range sum.Openings {
		sc := scenarios[i%len(scenarios)]
		r, err := f.run(o, sc)
		if err != nil {
			return out, fmt.Errorf("demo request %d (%s): %w", i+1, sc.name, err)
		}
		out.Requests++
		out.ByStatus[r.Status]++
	}
	return out, nil
}

type jobseeker struct{ userID, candidateID int64 }

// flow is the state of Workflow: the clock, who acts, the candidate pool.
type flow struct {
	ctx           context.Context
	db            *store.DB
	asOf          time.Time
	sum           *WorkflowSummary
	clock         time.Time
	operators     map[int][]int64
	employerUsers map[int]int64
	jobseekers    []jobseeker
	// pool holds the searchable candidates' profiles for choosing who each
	// request's operator finds.
	pool []matching.Candidate
	// used counts how often each candidate was put in a request, to spread
	// the demo across the pool.
	used map[int64]int
}

func (f *flow) loadPool() error {
	f.used = map[int64]int{}
	for after := int64(0); ; {
		ids, err := f.db.CandidateIDs(f.ctx, after, 1000)
		if err != nil {
			return err
		}
		if len(ids) == 0 {
			return nil
		}
		after = ids[len(ids)-1]
		cs, err := f.db.CandidateProfiles(f.ctx, ids)
		if err != nil {
			return err
		}
		for _, c := range cs {
			if c.Searchable {
				f.pool = append(f.pool, c)
			}
		}
	}
}

// at sets the clock to hour:00 (Trento's winter time is UTC+1; the hour is
// UTC) of the day daysBefore asOf.
func (f *flow) at(daysBefore, hour int) {
	t := f.asOf.AddDate(0, 0, -daysBefore).Add(time.Duration(hour) * time.Hour)
	if t.Before(f.clock) {
		t = f.clock.Add(time.Minute)
	}
	f.clock = t
	f.db.Now = func() time.Time { return t }
}

// request is one demo request being worked.
type request struct {
	f        *flow
	r        matching.Request
	op       store.Actor
	employer store.Actor // the employer's demo account, or the zero actor
	vacancy  matching.Vacancy
	entries  []matching.PipelineEntry
	// lean halves the time recorded: a request worked below the standard.
	lean bool
}

// scenario says how far a demo request goes.
type scenario struct {
	name   string
	with4D bool
	run    func(q *request) error
}

// scenarios are given to the openings in turn; the first employers, whose
// demo accounts sign in, get the first ones.
var scenarios = []scenario{
	{"shortlist presented, feedback awaited", false, presentedRecently},
	{"shortlist presented 20 days ago without feedback", false, feedbackOverdue},
	{"closed filled", false, closedFilled},
	{"contacting candidates", false, contacting},
	{"4D selection", true, fourDSelection},
	{"intake", false, func(q *request) error { return q.spend("intake_interview", 50) }},
	{"requirements ranked", false, func(q *request) error { return q.rank(2) }},
	{"searching", false, searching},
	{"second shortlist after a refusal, time over the standard", false, secondVersion},
	{"closed for lack of feedback", false, closedNoAnswer},
	{"withdrawn by the employer", false, withdrawn},
	{"cancelled as a duplicate", false, cancelled},
	{"4D competence verification", true, fourDVerification},
	{"interview planned", false, interviewPlanned},
	{"self-applications to verify", false, selfApplications},
	{"closed, every candidate refused", false, closedRefused},
}

// run opens the request for an opening at the scenario's first day and
// plays the scenario.
func (f *flow) run(o Opening, sc scenario) (matching.Request, error) {
	ops := f.operators[o.ProviderIndex]
	if len(ops) == 0 {
		return matching.Request{}, fmt.Errorf("provider %d has no operator", o.ProviderIndex)
	}
	opID := ops[o.EmployerIndex%len(ops)]
	q := &request{f: f, op: store.Actor{UserID: opID, Role: matching.RoleOperator}}
	if uid, ok := f.employerUsers[o.EmployerIndex]; ok {
		q.employer = store.Actor{UserID: uid, Role: matching.RoleEmployer}
	}
	v, err := f.db.Vacancy(f.ctx, o.VacancyID)
	if err != nil {
		return q.r, err
	}
	q.vacancy = v
	f.clock = time.Time{}
	f.at(startDay(sc), 9)
	q.r = matching.Request{ProviderID: o.ProviderID, EmployerID: o.EmployerID, VacancyID: o.VacancyID, OperatorID: &opID, With4D: sc.with4D}
	if err := f.db.OpenRequest(f.ctx, &q.r, q.op); err != nil {
		return q.r, err
	}
	if err := sc.run(q); err != nil {
		return q.r, err
	}
	return f.db.Request(f.ctx, q.r.ID)
}

// startDay is how many days before asOf a scenario's request opens.
func startDay(sc scenario) int {
	switch sc.name {
	case "intake":
		return 1
	case "requirements ranked":
		return 3
	case "searching":
		return 6
	case "contacting candidates", "self-applications to verify":
		return 26
	case "shortlist presented, feedback awaited", "cancelled as a duplicate", "interview planned":
		return 18
	case "shortlist presented 20 days ago without feedback", "withdrawn by the employer":
		return 34
	case "4D competence verification", "second shortlist after a refusal, time over the standard":
		return 45
	case "closed filled", "4D selection", "closed, every candidate refused":
		return 60
	case "closed for lack of feedback":
		return 80
	}
	return 10
}

// Steps shared by the scenarios. Each advances the clock to its day (days
// before asOf) where it takes one.

func (q *request) to(status matching.RequestStatus, note string) error {
	r, err := q.f.db.TransitionRequest(q.f.ctx, q.r.ID, matching.TransitionInput{To: status, Note: note}, q.op)
	if err == nil {
		q.r = r
	}
	return err
}

func (q *request) close(by store.Actor, o matching.Outcome, reason matching.CloseReason, note string) error {
	r, err := q.f.db.TransitionRequest(q.f.ctx, q.r.ID, matching.TransitionInput{To: matching.StatusClosed, Outcome: &o,
		CloseReason: reason, Note: note}, by)
	if err == nil {
		q.r = r
	}
	return err
}

func (q *request) spend(activity string, minutes int) error {
	if q.lean {
		minutes = max(1, minutes/2)
	}
	start := q.f.clock.Add(-time.Duration(minutes) * time.Minute)
	t := matching.TimeEntry{RequestID: q.r.ID, Activity: activity, StartedAt: start, Minutes: minutes}
	if err := q.f.db.RecordTimeEntry(q.f.ctx, &t, q.op); err != nil {
		return fmt.Errorf("time on %s: %w", activity, err)
	}
	q.f.sum.TimeEntries++
	return nil
}

// rank is the intake: the interview with the employer and the ranking of
// the requirements, on the day after opening.
func (q *request) rank(day int) error {
	if err := q.spend("intake_interview", 60); err != nil {
		return err
	}
	q.f.at(day, 10)
	if err := q.spend("profile_definition", 40); err != nil {
		return err
	}
	return q.to(matching.StatusRequirementsRanked, "")
}

// search finds the n best candidates of the pool for the vacancy with the
// domain's scorer (the operator's database search) and adds them to the
// pipeline; include puts demo jobseekers among them.
func (q *request) search(day, n int, include ...jobseeker) error {
	q.f.at(day, 11)
	if err := q.to(matching.StatusSearching, ""); err != nil {
		return err
	}
	sc, err := matching.NewScorer(&q.vacancy, matching.DefaultScoreParams(q.f.asOf))
	if err != nil {
		return err
	}
	in := make([]matching.Recalled, 0, len(q.f.pool))
	for i := range q.f.pool {
		in = append(in, matching.Recalled{Candidate: &q.f.pool[i]})
	}
	ranking := sc.Rank(in)
	picked := []int64{}
	for _, js := range include {
		if q.f.searchable(js.candidateID) {
			picked = append(picked, js.candidateID)
		}
	}
	for _, list := range [][]matching.Ranked{ranking.Main, ranking.NearMisses} {
		for _, rk := range list {
			if len(picked) >= n {
				break
			}
			// Spread the demo: skip candidates already in two requests.
			if q.f.used[rk.CandidateID] >= 2 || slices.Contains(picked, rk.CandidateID) {
				continue
			}
			picked = append(picked, rk.CandidateID)
		}
	}
	for _, id := range picked {
		e, err := q.f.db.AddCandidate(q.f.ctx, store.NewEntry{RequestID: q.r.ID, CandidateID: id, Source: matching.SourceSearch}, q.op)
		if err != nil {
			return fmt.Errorf("add candidate %d: %w", id, err)
		}
		q.f.used[id]++
		q.entries = append(q.entries, e)
		q.f.sum.Entries++
	}
	return q.spend("database_search", 75)
}

func (f *flow) searchable(id int64) bool {
	for i := range f.pool {
		if f.pool[i].ID == id {
			return true
		}
	}
	return false
}

func (f *flow) presentation(id int64) matching.Presentation {
	for i := range f.pool {
		if f.pool[i].ID == id {
			return f.pool[i].Presentation
		}
	}
	return matching.PresentNone
}

// contact logs a phone call with the i-th candidate found.
func (q *request) contact(i int, outcome string) error {
	if i >= len(q.entries) {
		return nil
	}
	c := matching.Contact{EntryID: q.entries[i].ID, Channel: "phone", Outcome: outcome, At: q.f.clock}
	e, err := q.f.db.LogContact(q.f.ctx, &c, q.op)
	if err != nil {
		return fmt.Errorf("contact: %w", err)
	}
	q.entries[i] = e
	q.f.sum.Contacts++
	return nil
}

// contactAll calls the candidates found with the outcomes in turn, then
// moves the request to contacting.
func (q *request) contactAll(day int, outcomes ...string) error {
	q.f.at(day, 9)
	if err := q.to(matching.StatusContacting, ""); err != nil {
		return err
	}
	for i := range q.entries {
		q.f.at(day, 9+i%6)
		if err := q.contact(i, outcomes[i%len(outcomes)]); err != nil {
			return err
		}
	}
	return q.spend("candidate_contact", 30+10*len(q.entries))
}

// presentable returns up to n entries standing available whose candidates
// agreed to be presented, and how each may be presented; with stale, also
// those whose confirmation is older than the period (the caller writes the
// override note).
func (q *request) presentable(n int, stale bool) []matching.ShortlistItem {
	var items []matching.ShortlistItem
	settings := q.f.db.Workflow
	for _, e := range q.entries {
		if len(items) == n {
			break
		}
		if e.Stage != matching.StageAvailable || e.CandidateID == nil {
			continue
		}
		if !stale && !matching.AvailabilityFresh(e.AvailabilityConfirmedAt, q.f.clock, settings) {
			continue
		}
		switch q.f.presentation(*e.CandidateID) {
		case matching.PresentNamed:
			items = append(items, matching.ShortlistItem{EntryID: e.ID, Mode: "named",
				Note: "Disponibilità confermata telefonicamente; profilo in linea con i requisiti principali."})
		case matching.PresentBlind:
			items = append(items, matching.ShortlistItem{EntryID: e.ID, Mode: "blind",
				Note: "Presentato in forma anonima, come scelto dal candidato."})
		}
	}
	return items
}

// present drafts and presents a shortlist of up to n available candidates.
func (q *request) present(day, n int) (matching.Shortlist, error) {
	q.f.at(day, 15)
	items := q.presentable(n, false)
	if len(items) == 0 {
		return matching.Shortlist{}, fmt.Errorf("no candidate to present")
	}
	sl := matching.Shortlist{RequestID: q.r.ID, Items: items, Note: "Rosa di candidati selezionati dal centro per l'impiego."}
	if err := q.f.db.CreateShortlist(q.f.ctx, &sl, q.op); err != nil {
		return sl, fmt.Errorf("draft: %w", err)
	}
	q.f.at(day, 16)
	sl, err := q.f.db.PresentShortlist(q.f.ctx, sl.ID, q.op, q.f.asOf)
	if err != nil {
		return sl, fmt.Errorf("present: %w", err)
	}
	q.f.sum.Shortlists++
	if err := q.refresh(); err != nil {
		return sl, err
	}
	r, err := q.f.db.Request(q.f.ctx, q.r.ID)
	q.r = r
	if err != nil {
		return sl, err
	}
	return sl, q.spend("shortlist_presentation", 60)
}

// refresh reads the entries back after actions that moved them.
func (q *request) refresh() error {
	for i, e := range q.entries {
		got, err := q.f.db.PipelineEntry(q.f.ctx, e.ID)
		if err != nil {
			return err
		}
		q.entries[i] = got
	}
	return nil
}

// entry returns the entry with the id.
func (q *request) entry(id int64) (matching.PipelineEntry, bool) {
	for _, e := range q.entries {
		if e.ID == id {
			return e, true
		}
	}
	return matching.PipelineEntry{}, false
}

// presented returns the entries presented to the employer.
func (q *request) presented() []matching.PipelineEntry {
	var out []matching.PipelineEntry
	for _, e := range q.entries {
		if e.Stage == matching.StagePresented || e.Stage == matching.StageInterviewed {
			out = append(out, e)
		}
	}
	return out
}

// feedback records the employer's decision on a presented candidate: in
// the portal when the employer has a demo account, otherwise as the
// operator who collected it by phone.
func (q *request) feedback(e matching.PipelineEntry, fb matching.Feedback) error {
	by := q.employer
	if by.UserID == 0 {
		by = q.op
	}
	fb.EntryID = e.ID
	if err := q.f.db.AddFeedback(q.f.ctx, &fb, by); err != nil {
		return fmt.Errorf("feedback %s: %w", fb.Decision, err)
	}
	q.f.sum.Feedback++
	return q.refresh()
}

func (q *request) day(daysBefore int) *time.Time {
	t := q.f.asOf.AddDate(0, 0, -daysBefore)
	return &t
}

// The scenarios.

func presentedRecently(q *request) error {
	if err := q.rank(17); err != nil {
		return err
	}
	if err := q.search(16, 7, q.f.demoJobseeker(1)); err != nil {
		return err
	}
	if err := q.contactAll(8, "available", "available", "no_answer", "available", "not_available", "available", "message_left"); err != nil {
		return err
	}
	_, err := q.present(3, 3)
	return err
}

func feedbackOverdue(q *request) error {
	if err := q.rank(33); err != nil {
		return err
	}
	if err := q.search(32, 6); err != nil {
		return err
	}
	if err := q.contactAll(26, "available", "available", "wrong_contact", "available", "available", "not_available"); err != nil {
		return err
	}
	if _, err := q.present(20, 3); err != nil {
		return err
	}
	q.f.at(19, 10)
	return q.to(matching.StatusAwaitingFeedback, "Rosa inviata per e-mail al referente aziendale.")
}

func closedFilled(q *request) error {
	if err := q.rank(59); err != nil {
		return err
	}
	if err := q.search(58, 6); err != nil {
		return err
	}
	if err := q.contactAll(52, "available", "available", "available", "no_answer", "not_available", "available"); err != nil {
		return err
	}
	if _, err := q.present(45, 3); err != nil {
		return err
	}
	q.f.at(44, 10)
	if err := q.to(matching.StatusAwaitingFeedback, ""); err != nil {
		return err
	}
	p := q.presented()
	q.f.at(40, 11)
	if err := q.feedback(p[0], matching.Feedback{Decision: matching.DecisionInterviewPlanned, InterviewAt: q.day(36)}); err != nil {
		return err
	}
	if len(p) > 1 {
		if err := q.feedback(p[1], matching.Feedback{Decision: matching.DecisionNotSelected, Reason: "experience",
			Comment: "Esperienza nel ruolo inferiore a quella richiesta."}); err != nil {
			return err
		}
	}
	if err := q.spend("feedback_collection", 40); err != nil {
		return err
	}
	q.f.at(35, 17)
	if err := q.feedback(p[0], matching.Feedback{Decision: matching.DecisionInterviewHeld, Comment: "Colloquio positivo."}); err != nil {
		return err
	}
	q.f.at(32, 10)
	if err := q.feedback(p[0], matching.Feedback{Decision: matching.DecisionHired, StartDate: q.day(20), ContractType: q.vacancy.ContractType,
		Comment: "Assunzione confermata."}); err != nil {
		return err
	}
	q.f.at(31, 10)
	if err := q.spend("outcome_recording", 30); err != nil {
		return err
	}
	return q.close(q.op, matching.OutcomeFilled, matching.CloseHired, "")
}

func contacting(q *request) error {
	if err := q.rank(25); err != nil {
		return err
	}
	if err := q.search(24, 6, q.f.demoJobseeker(0)); err != nil {
		return err
	}
	// An availability confirmed three weeks ago has expired; others are
	// fresh; the demo jobseeker is asked in the portal and has not answered.
	q.f.at(22, 9)
	if err := q.to(matching.StatusContacting, ""); err != nil {
		return err
	}
	if err := q.contact(1, "available"); err != nil {
		return err
	}
	q.f.at(4, 10)
	for i, outcome := range []string{"", "", "available", "message_left", "available", "no_answer"} {
		if i < 2 || i >= len(q.entries) {
			continue
		}
		if err := q.contact(i, outcome); err != nil {
			return err
		}
	}
	if len(q.entries) > 0 {
		q.f.at(2, 11)
		if _, err := q.f.db.AskAvailability(q.f.ctx, q.entries[0].ID,
			"Buongiorno, le proponiamo un'offerta in linea con il suo profilo: è interessato?", q.op); err != nil {
			return fmt.Errorf("ask availability: %w", err)
		}
	}
	return q.spend("candidate_contact", 90)
}

func fourD(q *request, verificationOnly bool, start int) error {
	if err := q.rank(start - 1); err != nil {
		return err
	}
	if err := q.search(start-2, 6); err != nil {
		return err
	}
	if err := q.contactAll(start-6, "available", "available", "available", "not_available", "available", "no_answer"); err != nil {
		return err
	}
	if _, err := q.present(start-12, 3); err != nil {
		return err
	}
	if err := q.spend("skill_gap_support", 45); err != nil {
		return err
	}
	p := q.presented()
	q.f.at(start-16, 10)
	for i, e := range p {
		if i == 2 {
			break
		}
		if err := q.feedback(e, matching.Feedback{Decision: matching.DecisionInterviewHeld, Comment: "Colloquio conoscitivo svolto."}); err != nil {
			return err
		}
	}
	if err := q.spend("feedback_collection", 30); err != nil {
		return err
	}
	q.f.at(start-17, 9)
	if err := q.to(matching.StatusCompetenceVerification, "L'azienda chiede la verifica delle competenze dichiarate."); err != nil {
		return err
	}
	q.f.at(start-19, 10)
	for i, e := range q.presented() {
		if i == 2 {
			break
		}
		result := []string{"confirmed", "partly_confirmed"}[i]
		c := matching.CompetenceCheck{EntryID: e.ID, Competence: q.vacancy.Title, Method: "practical_test", Result: result,
			Note: "Prova pratica presso la sede del centro per l'impiego."}
		if err := q.f.db.AddCompetenceCheck(q.f.ctx, &c, q.op); err != nil {
			return fmt.Errorf("competence check: %w", err)
		}
	}
	if err := q.spend("competence_verification", 150); err != nil {
		return err
	}
	if verificationOnly {
		return nil
	}
	q.f.at(start-22, 9)
	if err := q.to(matching.StatusSelection, ""); err != nil {
		return err
	}
	best := q.presented()[0]
	q.f.at(start-24, 10)
	ss := matching.SelectionSession{RequestID: q.r.ID, HeldAt: q.f.clock, Participants: "Referente aziendale, operatore del centro",
		Note: "Confronto sui profili verificati: si propone l'assunzione del primo candidato.", ProposedEntryID: &best.ID}
	if err := q.f.db.AddSelectionSession(q.f.ctx, &ss, q.op); err != nil {
		return fmt.Errorf("selection session: %w", err)
	}
	return q.spend("selection_support", 180)
}

func fourDSelection(q *request) error    { return fourD(q, false, 60) }
func fourDVerification(q *request) error { return fourD(q, true, 45) }

func searching(q *request) error {
	if err := q.rank(5); err != nil {
		return err
	}
	return q.search(4, 5)
}

func secondVersion(q *request) error {
	if err := q.rank(44); err != nil {
		return err
	}
	if err := q.search(43, 8); err != nil {
		return err
	}
	// The first call confirms candidate 0 on day 42; v1 goes out on day
	// 25 with that confirmation expired, presented on the operator's
	// override.
	q.f.at(42, 9)
	if err := q.to(matching.StatusContacting, ""); err != nil {
		return err
	}
	if err := q.contact(0, "available"); err != nil {
		return err
	}
	q.f.at(27, 9)
	for i := 1; i < 4; i++ {
		if err := q.contact(i, "available"); err != nil {
			return err
		}
	}
	if err := q.spend("candidate_contact", 120); err != nil {
		return err
	}
	q.f.at(25, 15)
	items := q.presentable(3, true)
	for i := range items {
		if e, _ := q.entry(items[i].EntryID); !matching.AvailabilityFresh(e.AvailabilityConfirmedAt, q.f.clock, q.f.db.Workflow) {
			items[i].OverrideNote = "Il candidato ha confermato per e-mail la disponibilità, registrata in ritardo."
		}
	}
	sl := matching.Shortlist{RequestID: q.r.ID, Items: items}
	if err := q.f.db.CreateShortlist(q.f.ctx, &sl, q.op); err != nil {
		return err
	}
	if _, err := q.f.db.PresentShortlist(q.f.ctx, sl.ID, q.op, q.f.asOf); err != nil {
		return fmt.Errorf("present v1: %w", err)
	}
	q.f.sum.Shortlists++
	if err := q.refresh(); err != nil {
		return err
	}
	if err := q.spend("shortlist_presentation", 90); err != nil {
		return err
	}
	q.f.at(20, 10)
	for _, e := range q.presented() {
		if err := q.feedback(e, matching.Feedback{Decision: matching.DecisionNotSelected, Reason: "skills_gap",
			Comment: "Mancano le competenze tecniche richieste."}); err != nil {
			return err
		}
	}
	q.f.at(19, 9)
	if err := q.to(matching.StatusContacting, "L'azienda non ha scelto nessuno: nuova ricerca."); err != nil {
		return err
	}
	if err := q.spend("skill_gap_support", 90); err != nil {
		return err
	}
	q.f.at(12, 9)
	for i := 4; i < len(q.entries); i++ {
		if err := q.contact(i, "available"); err != nil {
			return err
		}
	}
	if err := q.spend("candidate_contact", 150); err != nil {
		return err
	}
	if _, err := q.present(8, 3); err != nil {
		return err
	}
	q.f.at(7, 10)
	return q.spend("feedback_collection", 25)
}

func closedNoAnswer(q *request) error {
	q.lean = true
	if err := q.rank(79); err != nil {
		return err
	}
	if err := q.search(78, 5); err != nil {
		return err
	}
	if err := q.contactAll(74, "available", "available", "no_answer", "available", "not_available"); err != nil {
		return err
	}
	if _, err := q.present(70, 2); err != nil {
		return err
	}
	q.f.at(69, 10)
	if err := q.to(matching.StatusAwaitingFeedback, ""); err != nil {
		return err
	}
	q.f.at(22, 10)
	return q.close(q.op, matching.OutcomeNotFilled, matching.CloseNoAnswer,
		"L'azienda non ha più risposto dopo la presentazione della rosa; ore sotto lo standard perché il servizio si è interrotto.")
}

func withdrawn(q *request) error {
	if err := q.rank(33); err != nil {
		return err
	}
	if err := q.search(32, 4); err != nil {
		return err
	}
	q.f.at(28, 12)
	by := q.employer
	if by.UserID == 0 {
		by = q.op
	}
	return q.close(by, matching.OutcomeWithdrawn, matching.CloseEmployerWithdrew, "L'azienda ha sospeso la ricerca.")
}

func cancelled(q *request) error {
	q.f.at(17, 10)
	return q.close(q.op, matching.OutcomeCancelled, matching.CloseDuplicate, "Richiesta duplicata.")
}

func interviewPlanned(q *request) error {
	if err := q.rank(17); err != nil {
		return err
	}
	if err := q.search(16, 5); err != nil {
		return err
	}
	if err := q.contactAll(12, "available", "available", "available", "message_left", "available"); err != nil {
		return err
	}
	if _, err := q.present(9, 3); err != nil {
		return err
	}
	q.f.at(8, 10)
	if err := q.to(matching.StatusAwaitingFeedback, ""); err != nil {
		return err
	}
	p := q.presented()
	q.f.at(5, 10)
	when := q.f.asOf.AddDate(0, 0, 3).Add(9 * time.Hour)
	return q.feedback(p[0], matching.Feedback{Decision: matching.DecisionInterviewPlanned, InterviewAt: &when})
}

// selfApplications: the vacancy is published and jobseekers apply; the
// operator verifies one as fitting and one as not fitting, a third waits.
func selfApplications(q *request) error {
	if err := q.rank(25); err != nil {
		return err
	}
	if err := q.search(24, 3); err != nil {
		return err
	}
	if err := q.contactAll(20, "available", "message_left", "available"); err != nil {
		return err
	}
	if q.vacancy.Status != matching.VacancyPublished {
		return nil
	}
	var apps []matching.Application
	for i, js := range []jobseeker{q.f.demoJobseeker(2), q.f.demoJobseeker(3), q.f.demoJobseeker(4)} {
		if js.userID == 0 || !q.f.searchable(js.candidateID) {
			continue
		}
		q.f.at(15-2*i, 20)
		a, err := q.f.db.Apply(q.f.ctx, q.vacancy.ID, js.candidateID, "Buongiorno, vorrei candidarmi per questa posizione.",
			q.f.clock, store.Actor{UserID: js.userID, Role: matching.RoleJobseeker})
		if err != nil {
			return fmt.Errorf("apply: %w", err)
		}
		q.f.sum.Applications++
		apps = append(apps, a)
	}
	q.f.at(9, 10)
	for i, a := range apps {
		var err error
		switch i {
		case 0:
			_, err = q.f.db.VerifyApplication(q.f.ctx, a.ID, matching.ApplicationVerified, "", "Profilo coerente con la richiesta.", q.op)
		case 1:
			_, err = q.f.db.VerifyApplication(q.f.ctx, a.ID, matching.ApplicationNotFitting, "experience", "Esperienza non pertinente.", q.op)
		default:
			continue
		}
		if err != nil {
			return fmt.Errorf("verify application: %w", err)
		}
		q.f.sum.Verifications++
	}
	return q.spend("self_application_review", 30)
}

func closedRefused(q *request) error {
	if err := q.rank(59); err != nil {
		return err
	}
	if err := q.search(58, 5); err != nil {
		return err
	}
	if err := q.contactAll(54, "available", "available", "available", "not_available", "no_answer"); err != nil {
		return err
	}
	if _, err := q.present(50, 3); err != nil {
		return err
	}
	q.f.at(49, 10)
	if err := q.to(matching.StatusAwaitingFeedback, ""); err != nil {
		return err
	}
	q.f.at(40, 10)
	for i, e := range q.presented() {
		reason := []string{"salary", "distance", "interview"}[i%3]
		if err := q.feedback(e, matching.Feedback{Decision: matching.DecisionNotSelected, Reason: reason}); err != nil {
			return err
		}
	}
	if err := q.spend("feedback_collection", 45); err != nil {
		return err
	}
	if err := q.spend("skill_gap_support", 60); err != nil {
		return err
	}
	q.f.at(38, 10)
	return q.close(q.op, matching.OutcomeNotFilled, matching.CloseCandidatesRejected, "")
}

// demoJobseeker returns the i-th demo jobseeker, or the zero value.
func (f *flow) demoJobseeker(i int) jobseeker {
	if i < len(f.jobseekers) {
		return f.jobseekers[i]
	}
	return jobseeker{}
}

// OpenRanked opens a request for every opening and takes it to
// requirements_ranked, acting as the system on behalf of the provider's
// operators: requests ready to be matched, for the benchmark, without the
// rest of the demo's workflow. It returns how many it opened.
func OpenRanked(ctx context.Context, db *store.DB, sum Summary) (int, error) {
	sys := store.Actor{Role: matching.RoleOperator}
	for i, o := range sum.Openings {
		r := matching.Request{ProviderID: o.ProviderID, EmployerID: o.EmployerID, VacancyID: o.VacancyID}
		if err := db.OpenRequest(ctx, &r, sys); err != nil {
			return i, err
		}
		if _, err := db.TransitionRequest(ctx, r.ID, matching.TransitionInput{To: matching.StatusRequirementsRanked}, sys); err != nil {
			return i, err
		}
	}
	return len(sum.Openings), nil
}
