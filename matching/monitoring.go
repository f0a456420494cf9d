package matching

import (
	"fmt"
	"slices"
	"sort"
	"time"
)

// Monitoring: how the 4C/4D service is delivered, per period, for the
// Province and for each provider. The store gathers the facts of a period
// (MonitoringFacts); Monitor computes every figure from them here, so that
// each definition lives in one place: monitoringDefinitions, which the
// downloads and the pages quote.

// Period is a span of whole days in the service's time zone: from the first
// day at 00:00 to the day after the last at 00:00.
type Period struct {
	From  string    `json:"from"` // first day, YYYY-MM-DD
	To    string    `json:"to"`   // last day, YYYY-MM-DD
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
}

// Report periods: 90 days ending today unless asked, at most three years.
const (
	DefaultReportDays = 90
	MaxReportYears    = 3
)

// ParsePeriod reads a period from its first and last days (YYYY-MM-DD) in
// loc. An empty last day is today (the day of now in loc); an empty first
// day is 89 days before the last, so that the period has 90 days. A bad
// date, a first day after the last, or a period of three years or more is
// EINVALID naming the field.
func ParsePeriod(from, to string, now time.Time, loc *time.Location) (Period, error) {
	y, m, d := now.In(loc).Date()
	last := time.Date(y, m, d, 0, 0, 0, 0, loc)
	if to != "" {
		t, err := time.ParseInLocation(time.DateOnly, to, loc)
		if err != nil {
			return Period{}, FieldErrorf("to", "%q is not a date: use YYYY-MM-DD", to)
		}
		last = t
	}
	first := last.AddDate(0, 0, -(DefaultReportDays - 1))
	if from != "" {
		f, err := time.ParseInLocation(time.DateOnly, from, loc)
		if err != nil {
			return Period{}, FieldErrorf("from", "%q is not a date: use YYYY-MM-DD", from)
		}
		first = f
	}
	if last.Before(first) {
		return Period{}, FieldErrorf("to", "%s is before from (%s)", last.Format(time.DateOnly), first.Format(time.DateOnly))
	}
	if limit := first.AddDate(MaxReportYears, 0, 0); !last.Before(limit) {
		return Period{}, FieldErrorf("to", "a period is shorter than %d years: from %s, to must be before %s",
			MaxReportYears, first.Format(time.DateOnly), limit.Format(time.DateOnly))
	}
	return Period{From: first.Format(time.DateOnly), To: last.Format(time.DateOnly),
		Start: first, End: last.AddDate(0, 0, 1)}, nil
}

// Contains reports whether t is in the period: at or after its start and
// before its end.
func (p Period) Contains(t time.Time) bool { return !t.Before(p.Start) && t.Before(p.End) }

// containsPtr is Contains for an optional time.
func (p Period) containsPtr(t *time.Time) bool { return t != nil && p.Contains(*t) }

// MonitoringReport is how the service was delivered in a period, for the
// whole scope (every provider, or one), per provider and per operator.
//
// Every figure is defined in monitoringDefinitions below, and only there;
// the JSON answer, the downloads and the pages quote those definitions
// (MonitoringDefinitions, MonitoringPreamble), and Monitor computes each
// figure as its definition says.
type MonitoringReport struct {
	Period      Period          `json:"period"`
	GeneratedAt time.Time       `json:"generated_at"`
	Scope       MonitoringScope `json:"scope"`
	// FeedbackReminderDays and FeedbackGiveUpDays are the periods the
	// overdue feedback was computed with.
	FeedbackReminderDays int               `json:"feedback_reminder_days"`
	FeedbackGiveUpDays   int               `json:"feedback_giveup_days"`
	Total                MonitoringGroup   `json:"total"`
	Providers            []MonitoringGroup `json:"providers"`
	Operators            []MonitoringGroup `json:"operators"`
}

// Definition is the definition of the figures of one section of the
// monitoring report.
type Definition struct {
	Section string `json:"section"`
	Text    string `json:"text"`
}

// monitoringPreamble says what holds for every figure: the period, the
// groups, shares and medians.
const monitoringPreamble = "" +
	"The period runs from its first day at 00:00 to the day after its last day at 00:00, in Trento's " +
	"time zone (Europe/Rome); \"in the period\" means at or after its start and before its end. A " +
	"request counts for the provider that handles it and for its assigned operator (a request with " +
	"no operator counts for \"unassigned\"); its pipeline entries, contacts, rejections and time " +
	"entries count where the request does. Shares are rounded to 4 decimals and medians to 2; a " +
	"share or a median over nothing is empty (null). The median of an even number of values is the " +
	"mean of the two in the middle."

// monitoringDefinitions defines every figure of the report, section by
// section, in the order of the report.
var monitoringDefinitions = []Definition{
	{"requests", "" +
		"opened counts the requests whose opening (opened_at) is in the period; closed counts those " +
		"whose closing (closed_at) is in the period, whatever their outcome."},
	{"closed_by_outcome", "" +
		"the requests closed in the period, per outcome: filled, not_filled, withdrawn (by the employer) " +
		"and cancelled."},
	{"closed_by_reason", "" +
		"the requests closed in the period, per outcome and closing reason, named outcome:reason (e.g. " +
		"not_filled:no_answer)."},
	{"first_shortlist", "" +
		"requests counts the requests whose first shortlist presentation (the earliest presentation of " +
		"any of their shortlist versions) is in the period, wherever their opening falls; median_days is " +
		"the median, over those requests, of the days (of 24 hours, with decimals) from the request's " +
		"opening to that first presentation."},
	{"hours", "" +
		"the requests closed in the period, except those cancelled (duplicates and errors, to which the " +
		"standard does not apply), each with all the operator time ever recorded on it. requests counts " +
		"them; all_within counts those whose every phase (4C, and both 4D phases for a request with 4D) " +
		"is within its band; all_within_share is all_within / requests; median_total_hours is the median " +
		"of their hours in all phases together."},
	{"hours_4C", "" +
		"the requests of hours, their 4C time against the band of 4 to 8 hours: requests counts them; " +
		"under those with less than 4 h; within those with 4 h to 8 h, both included; over those with " +
		"more than 8 h; within_share is within / requests; median_hours is the median of their 4C hours."},
	{"hours_4D_verification", "" +
		"the requests of hours that have the 4D phases, their competence verification time against the " +
		"band of 2 to 6 hours: requests counts them; under those with less than 2 h; within those with 2 " +
		"h to 6 h, both included; over those with more than 6 h; within_share is within / requests; " +
		"median_hours is the median of their hours in this phase."},
	{"hours_4D_selection", "" +
		"the requests of hours that have the 4D phases, their selection support time against the band of " +
		"2 to 6 hours: requests counts them; under those with less than 2 h; within those with 2 h to 6 " +
		"h, both included; over those with more than 6 h; within_share is within / requests; " +
		"median_hours is the median of their hours in this phase."},
	{"contacts", "" +
		"contacts counts the contacts with candidates (any channel, any outcome) logged in the period; " +
		"requests counts the requests with at least one of those contacts; per_request is contacts / " +
		"requests."},
	{"availability", "" +
		"over the cohort of the funnel, contacted counts the entries at its contacted step and available " +
		"those at its available step; rate is available / contacted."},
	{"funnel", "" +
		"the cohort of the pipeline entries of the requests opened in the period, followed up to the " +
		"time of the report. An entry counts at every step up to the furthest one its stage history " +
		"reached, in the order found, contacted, available, presented, interviewed, hired: a step counts " +
		"the entries that reached its stage or a later one. Every entry is found; not_available and " +
		"unreachable count as contacted; shortlisted counts as available; rejected and withdrew add no " +
		"step."},
	{"rejections", "" +
		"the pipeline entries rejected in the period, each once: an entry whose stage changed to " +
		"rejected in the period, or on which the employer gave not_selected feedback in the period. " +
		"entries counts them; by_employer counts those with not_selected feedback in the period; " +
		"by_service counts the others, rejected by the operator."},
	{"rejection_reasons", "" +
		"the entries of rejections per reason code, the reason being that of the entry's latest " +
		"rejection in the period (the employer's feedback when both fall at the same time)."},
	{"rejection_reasons_by_employer", "" +
		"as rejection_reasons, only the entries counted in by_employer."},
	{"self_applications", "" +
		"entries counts the pipeline entries created in the period; self_applications counts those whose " +
		"source is a self-application; share is self_applications / entries."},
	{"overdue_feedback", "" +
		"a snapshot at the time of the report, whatever the period: the requests open at that time, " +
		"awaiting feedback on a presented shortlist (shortlist_presented or awaiting_feedback), with no " +
		"employer feedback since the latest presentation. reminder_due counts those presented at least " +
		"the reminder period before (INCONTRO_FEEDBACK_REMINDER_DAYS, 15 days by default); propose_close " +
		"counts those presented at least the give-up period before (INCONTRO_FEEDBACK_GIVEUP_DAYS, 45 " +
		"days), which are proposed for closing as no_answer. Both follow FeedbackDue."},
}

// MonitoringDefinitions returns the definitions of the monitoring report's
// figures, section by section.
func MonitoringDefinitions() []Definition { return slices.Clone(monitoringDefinitions) }

// MonitoringPreamble returns what holds for every figure: the period, the
// groups, shares and medians.
func MonitoringPreamble() string { return monitoringPreamble }

// MonitoringScope says whose figures a report holds: one provider's, or
// every provider's when ProviderID is nil.
type MonitoringScope struct {
	ProviderID   *int64 `json:"provider_id"`
	ProviderName string `json:"provider_name,omitempty"`
}

// Kinds of monitoring groups.
const (
	GroupTotal    = "total"
	GroupProvider = "provider"
	GroupOperator = "operator"
)

// ReportGroup names a group of a report: the whole scope, a provider, or
// an operator of a provider (OperatorID 0: the requests with no operator).
type ReportGroup struct {
	Kind         string `json:"kind"`
	ProviderID   int64  `json:"provider_id,omitempty"`
	ProviderName string `json:"provider_name,omitempty"`
	OperatorID   int64  `json:"operator_id,omitempty"`
	OperatorName string `json:"operator_name,omitempty"`
}

// MonitoringGroup is a group with its figures.
type MonitoringGroup struct {
	ReportGroup
	Figures MonitoringFigures `json:"figures"`
}

// MonitoringFigures are the figures of a group; MonitoringReport defines
// each.
type MonitoringFigures struct {
	Requests         RequestCounts          `json:"requests"`
	ClosedByOutcome  []OutcomeCount         `json:"closed_by_outcome"`
	ClosedByReason   []CloseReasonCount     `json:"closed_by_reason"`
	FirstShortlist   FirstShortlistFigures  `json:"first_shortlist"`
	Hours            HoursFigures           `json:"hours"`
	Contacts         ContactFigures         `json:"contacts"`
	Availability     AvailabilityFigures    `json:"availability"`
	Funnel           []FunnelStep           `json:"funnel"`
	Rejections       RejectionFigures       `json:"rejections"`
	SelfApplications SelfApplicationFigures `json:"self_applications"`
	OverdueFeedback  OverdueFeedback        `json:"overdue_feedback"`
}

// RequestCounts: requests opened and closed in the period.
type RequestCounts struct {
	Opened int `json:"opened"`
	Closed int `json:"closed"`
}

// OutcomeCount: requests closed with an outcome.
type OutcomeCount struct {
	Outcome  Outcome `json:"outcome"`
	Requests int     `json:"requests"`
}

// CloseReasonCount: requests closed with an outcome and a closing reason.
type CloseReasonCount struct {
	Outcome  Outcome     `json:"outcome"`
	Reason   CloseReason `json:"reason"`
	Requests int         `json:"requests"`
}

// FirstShortlistFigures: the time from intake to the first shortlist.
type FirstShortlistFigures struct {
	Requests   int      `json:"requests"`
	MedianDays *float64 `json:"median_days"`
}

// HoursFigures: operator hours per request against the standard.
type HoursFigures struct {
	Requests         int          `json:"requests"`
	AllWithin        int          `json:"all_within"`
	AllWithinShare   *float64     `json:"all_within_share"`
	MedianTotalHours *float64     `json:"median_total_hours"`
	Phases           []PhaseHours `json:"phases"`
}

// PhaseHours: the requests' time in one phase against its band.
type PhaseHours struct {
	Phase       Phase    `json:"phase"`
	Requests    int      `json:"requests"`
	Under       int      `json:"under"`
	Within      int      `json:"within"`
	Over        int      `json:"over"`
	WithinShare *float64 `json:"within_share"`
	MedianHours *float64 `json:"median_hours"`
}

// ContactFigures: contacts per request.
type ContactFigures struct {
	Contacts   int      `json:"contacts"`
	Requests   int      `json:"requests"`
	PerRequest *float64 `json:"per_request"`
}

// AvailabilityFigures: the share of contacted candidates found available.
type AvailabilityFigures struct {
	Contacted int      `json:"contacted"`
	Available int      `json:"available"`
	Rate      *float64 `json:"rate"`
}

// FunnelStep: the entries that reached a stage or a later one.
type FunnelStep struct {
	Stage   Stage `json:"stage"`
	Entries int   `json:"entries"`
}

// RejectionFigures: the entries rejected in the period and why.
type RejectionFigures struct {
	Entries    int                    `json:"entries"`
	ByEmployer int                    `json:"by_employer"`
	ByService  int                    `json:"by_service"`
	Reasons    []RejectionReasonCount `json:"reasons"`
}

// RejectionReasonCount: rejected entries with a reason, and how many of
// them the employer rejected.
type RejectionReasonCount struct {
	Reason     string `json:"reason"`
	Entries    int    `json:"entries"`
	ByEmployer int    `json:"by_employer"`
}

// SelfApplicationFigures: the share of self-applications among new entries.
type SelfApplicationFigures struct {
	Entries          int      `json:"entries"`
	SelfApplications int      `json:"self_applications"`
	Share            *float64 `json:"share"`
}

// OverdueFeedback: open requests whose employer owes feedback.
type OverdueFeedback struct {
	ReminderDue  int     `json:"reminder_due"`
	ProposeClose int     `json:"propose_close"`
	RequestIDs   []int64 `json:"request_ids"`
}

// MonitoringFacts are what the store gathers for a report: the providers
// of the scope and the requests, pipeline entries and rejections that any
// figure of the period (or the snapshot at the report's time) may count.
// Monitor decides what counts; facts beyond that are harmless.
type MonitoringFacts struct {
	Providers  []ProviderName
	Requests   []MonitoredRequest
	Entries    []MonitoredEntry
	Rejections []MonitoredRejection
}

// ProviderName is a provider of the scope.
type ProviderName struct {
	ID   int64
	Name string
}

// MonitoredRequest is a request with what the figures look at.
type MonitoredRequest struct {
	Request
	ProviderName string
	OperatorName string
	// FirstPresentedAt and LastPresentedAt are the earliest and latest
	// presentations of its shortlist versions; LastFeedbackAt its latest
	// employer feedback.
	FirstPresentedAt, LastPresentedAt, LastFeedbackAt *time.Time
	// Minutes is all the operator time recorded on it, per phase.
	Minutes map[Phase]int
	// Contacts is the number of contacts logged in the period on its entries.
	Contacts int
}

// MonitoredEntry is a pipeline entry with every stage it has been in.
type MonitoredEntry struct {
	ID        int64
	RequestID int64
	Source    Source
	CreatedAt time.Time
	Stages    []Stage
}

// MonitoredRejection is an event that rejected an entry: its stage changed
// to rejected (ByEmployer false), or the employer gave not_selected
// feedback (ByEmployer true).
type MonitoredRejection struct {
	EntryID    int64
	RequestID  int64
	Reason     string
	ByEmployer bool
	At         time.Time
}

// funnelStages are the steps of the funnel, and funnelLevel the step each
// stage reaches (-1: none).
var funnelStages = []Stage{StageFound, StageContacted, StageAvailable, StagePresented, StageInterviewed, StageHired}

func funnelLevel(s Stage) int {
	switch s {
	case StageFound:
		return 0
	case StageContacted, StageNotAvailable, StageUnreachable:
		return 1
	case StageAvailable, StageShortlisted:
		return 2
	case StagePresented:
		return 3
	case StageInterviewed:
		return 4
	case StageHired:
		return 5
	}
	return -1
}

// Monitor computes the report of a period at the time at, with the
// workflow periods s, from the facts gathered for the scope.
func Monitor(p Period, at time.Time, s WorkflowSettings, scope MonitoringScope, f MonitoringFacts) MonitoringReport {
	rep := MonitoringReport{Period: p, GeneratedAt: at, Scope: scope,
		FeedbackReminderDays: int(s.FeedbackReminder / Day), FeedbackGiveUpDays: int(s.FeedbackGiveUp / Day),
		Providers: []MonitoringGroup{}, Operators: []MonitoringGroup{}}
	all := func(*MonitoredRequest) bool { return true }
	rep.Total = MonitoringGroup{ReportGroup: ReportGroup{Kind: GroupTotal}, Figures: figuresOf(p, at, s, f, all)}

	providers := slices.Clone(f.Providers)
	sort.SliceStable(providers, func(i, j int) bool {
		return providers[i].Name < providers[j].Name || (providers[i].Name == providers[j].Name && providers[i].ID < providers[j].ID)
	})
	names := map[int64]string{}
	for _, pr := range providers {
		names[pr.ID] = pr.Name
		id := pr.ID
		rep.Providers = append(rep.Providers, MonitoringGroup{
			ReportGroup: ReportGroup{Kind: GroupProvider, ProviderID: id, ProviderName: pr.Name},
			Figures:     figuresOf(p, at, s, f, func(r *MonitoredRequest) bool { return r.ProviderID == id })})
	}

	type opKey struct{ provider, operator int64 }
	seen := map[opKey]ReportGroup{}
	for i := range f.Requests {
		r := &f.Requests[i]
		k := opKey{r.ProviderID, operatorOf(r)}
		if _, ok := seen[k]; !ok {
			name := r.OperatorName
			if k.operator == 0 {
				name = "unassigned"
			}
			pname := names[r.ProviderID]
			if pname == "" {
				pname = r.ProviderName
			}
			seen[k] = ReportGroup{Kind: GroupOperator, ProviderID: k.provider, ProviderName: pname, OperatorID: k.operator, OperatorName: name}
		}
	}
	groups := make([]ReportGroup, 0, len(seen))
	for _, g := range seen {
		groups = append(groups, g)
	}
	sort.Slice(groups, func(i, j int) bool {
		a, b := groups[i], groups[j]
		switch {
		case a.ProviderName != b.ProviderName:
			return a.ProviderName < b.ProviderName
		case a.ProviderID != b.ProviderID:
			return a.ProviderID < b.ProviderID
		case (a.OperatorID == 0) != (b.OperatorID == 0):
			return b.OperatorID == 0 // unassigned last
		case a.OperatorName != b.OperatorName:
			return a.OperatorName < b.OperatorName
		}
		return a.OperatorID < b.OperatorID
	})
	for _, g := range groups {
		rep.Operators = append(rep.Operators, MonitoringGroup{ReportGroup: g, Figures: figuresOf(p, at, s, f, func(r *MonitoredRequest) bool {
			return r.ProviderID == g.ProviderID && operatorOf(r) == g.OperatorID
		})})
	}
	return rep
}

func operatorOf(r *MonitoredRequest) int64 {
	if r.OperatorID == nil {
		return 0
	}
	return *r.OperatorID
}

// figuresOf computes the figures of the requests that belong to a group,
// with their entries and rejections.
func figuresOf(p Period, at time.Time, s WorkflowSettings, f MonitoringFacts, belongs func(*MonitoredRequest) bool) MonitoringFigures {
	var fig MonitoringFigures
	requests := map[int64]*MonitoredRequest{}
	for i := range f.Requests {
		if r := &f.Requests[i]; belongs(r) {
			requests[r.ID] = r
		}
	}
	ids := make([]int64, 0, len(requests))
	for id := range requests {
		ids = append(ids, id)
	}
	slices.Sort(ids)

	byOutcome := map[Outcome]int{}
	byReason := map[CloseReason]map[Outcome]int{}
	var firstDays, totalHours []float64
	phaseHours := map[Phase][]float64{}
	phaseStates := map[Phase]map[string]int{}
	contactRequests := 0
	cohort := map[int64]bool{} // requests opened in the period
	for _, id := range ids {
		r := requests[id]
		if p.Contains(r.OpenedAt) {
			fig.Requests.Opened++
			cohort[id] = true
		}
		if r.Status == StatusClosed && p.containsPtr(r.ClosedAt) && r.Outcome != nil {
			fig.Requests.Closed++
			byOutcome[*r.Outcome]++
			if r.CloseReason != nil {
				if byReason[*r.CloseReason] == nil {
					byReason[*r.CloseReason] = map[Outcome]int{}
				}
				byReason[*r.CloseReason][*r.Outcome]++
			}
			if *r.Outcome != OutcomeCancelled {
				fig.Hours.Requests++
				total, allWithin := 0, true
				for _, ph := range r.Phases() {
					b, _ := StandardBand(ph)
					m := r.Minutes[ph]
					state := BandState(m, b)
					if phaseStates[ph] == nil {
						phaseStates[ph] = map[string]int{}
					}
					phaseStates[ph][state]++
					phaseHours[ph] = append(phaseHours[ph], float64(m)/60)
					allWithin = allWithin && state == "within"
				}
				for _, m := range r.Minutes {
					total += m
				}
				totalHours = append(totalHours, float64(total)/60)
				if allWithin {
					fig.Hours.AllWithin++
				}
			}
		}
		if p.containsPtr(r.FirstPresentedAt) {
			firstDays = append(firstDays, r.FirstPresentedAt.Sub(r.OpenedAt).Hours()/24)
		}
		if r.Contacts > 0 {
			fig.Contacts.Contacts += r.Contacts
			contactRequests++
		}
		if r.Status != StatusClosed {
			fs := FeedbackDue(r.Status, r.LastPresentedAt, r.LastFeedbackAt, at, s)
			if fs.ReminderDue {
				fig.OverdueFeedback.ReminderDue++
				fig.OverdueFeedback.RequestIDs = append(fig.OverdueFeedback.RequestIDs, r.ID)
			}
			if fs.ProposeClose {
				fig.OverdueFeedback.ProposeClose++
			}
		}
	}
	if fig.OverdueFeedback.RequestIDs == nil {
		fig.OverdueFeedback.RequestIDs = []int64{}
	}
	for _, o := range Outcomes() {
		fig.ClosedByOutcome = append(fig.ClosedByOutcome, OutcomeCount{Outcome: o, Requests: byOutcome[o]})
		for _, reason := range CloseReasons(o) {
			fig.ClosedByReason = append(fig.ClosedByReason, CloseReasonCount{Outcome: o, Reason: reason, Requests: byReason[reason][o]})
		}
	}
	fig.FirstShortlist = FirstShortlistFigures{Requests: len(firstDays), MedianDays: median(firstDays, 2)}
	fig.Hours.AllWithinShare = shareOf(fig.Hours.AllWithin, fig.Hours.Requests)
	fig.Hours.MedianTotalHours = median(totalHours, 2)
	for _, ph := range []Phase{Phase4C, Phase4DVerification, Phase4DSelection} {
		st := phaseStates[ph]
		n := len(phaseHours[ph])
		fig.Hours.Phases = append(fig.Hours.Phases, PhaseHours{Phase: ph, Requests: n, Under: st["under"], Within: st["within"],
			Over: st["over"], WithinShare: shareOf(st["within"], n), MedianHours: median(phaseHours[ph], 2)})
	}
	fig.Contacts.Requests = contactRequests
	fig.Contacts.PerRequest = shareOf(fig.Contacts.Contacts, contactRequests)

	steps := make([]int, len(funnelStages))
	for _, e := range f.Entries {
		if _, ok := requests[e.RequestID]; !ok {
			continue
		}
		if p.Contains(e.CreatedAt) {
			fig.SelfApplications.Entries++
			if e.Source == SourceSelfApplication {
				fig.SelfApplications.SelfApplications++
			}
		}
		if !cohort[e.RequestID] {
			continue
		}
		level := 0 // an entry in the pipeline was found
		for _, st := range e.Stages {
			level = max(level, funnelLevel(st))
		}
		for i := 0; i <= level; i++ {
			steps[i]++
		}
	}
	for i, st := range funnelStages {
		fig.Funnel = append(fig.Funnel, FunnelStep{Stage: st, Entries: steps[i]})
	}
	fig.Availability = AvailabilityFigures{Contacted: steps[1], Available: steps[2], Rate: shareOf(steps[2], steps[1])}
	fig.SelfApplications.Share = shareOf(fig.SelfApplications.SelfApplications, fig.SelfApplications.Entries)
	fig.Rejections = rejectionsOf(p, f.Rejections, requests)
	return fig
}

// rejectionsOf counts the entries rejected in the period, each once.
func rejectionsOf(p Period, events []MonitoredRejection, requests map[int64]*MonitoredRequest) RejectionFigures {
	type rejected struct {
		latest     MonitoredRejection
		byEmployer bool
	}
	entries := map[int64]*rejected{}
	for _, ev := range events {
		if _, ok := requests[ev.RequestID]; !ok || !p.Contains(ev.At) {
			continue
		}
		e := entries[ev.EntryID]
		if e == nil {
			e = &rejected{latest: ev}
			entries[ev.EntryID] = e
		}
		if ev.At.After(e.latest.At) || (ev.At.Equal(e.latest.At) && ev.ByEmployer) {
			e.latest = ev
		}
		e.byEmployer = e.byEmployer || ev.ByEmployer
	}
	var reasons []string
	for _, t := range RejectionReasons() {
		reasons = append(reasons, t.Code)
	}
	var unknown []string
	for _, e := range entries {
		if !slices.Contains(reasons, e.latest.Reason) && !slices.Contains(unknown, e.latest.Reason) {
			unknown = append(unknown, e.latest.Reason)
		}
	}
	slices.Sort(unknown)
	out := RejectionFigures{Reasons: []RejectionReasonCount{}}
	index := map[string]int{}
	for i, r := range append(reasons, unknown...) {
		out.Reasons = append(out.Reasons, RejectionReasonCount{Reason: r})
		index[r] = i
	}
	for _, e := range entries {
		out.Entries++
		c := &out.Reasons[index[e.latest.Reason]]
		c.Entries++
		if e.byEmployer {
			out.ByEmployer++
			c.ByEmployer++
		} else {
			out.ByService++
		}
	}
	return out
}

// shareOf returns n / d rounded to 4 decimals, nil when d is 0.
func shareOf(n, d int) *float64 {
	if d == 0 {
		return nil
	}
	return roundedPtr(float64(n)/float64(d), 4)
}

// median returns the median of the values rounded to the decimals, nil
// for none.
func median(values []float64, decimals int) *float64 {
	if len(values) == 0 {
		return nil
	}
	v := slices.Sorted(slices.Values(values))
	n := len(v)
	m := v[n/2]
	if n%2 == 0 {
		m = (v[n/2-1] + v[n/2]) / 2
	}
	return roundedPtr(m, decimals)
}

func roundedPtr(x float64, decimals int) *float64 {
	r := round(x, decimals)
	return &r
}

// MonitoringTable is a section of the report as a table, for the CSV and
// XLSX downloads: a row per group, a column per figure (a nil value is an
// empty cell).
type MonitoringTable struct {
	Section string
	Title   string
	Columns []string
	Rows    []MonitoringRow
}

// MonitoringRow is a group's row of a table.
type MonitoringRow struct {
	Group  ReportGroup
	Values []*float64
}

// monitoringSection turns one section of the figures into columns.
type monitoringSection struct {
	section, title string
	columns        func(f *MonitoringFigures) ([]string, []*float64)
}

func num(n int) *float64 { v := float64(n); return &v }

var monitoringSections = []monitoringSection{
	{"requests", "Requests", func(f *MonitoringFigures) ([]string, []*float64) {
		return []string{"opened", "closed"}, []*float64{num(f.Requests.Opened), num(f.Requests.Closed)}
	}},
	{"closed_by_outcome", "Closed by outcome", func(f *MonitoringFigures) (cols []string, vals []*float64) {
		for _, c := range f.ClosedByOutcome {
			cols, vals = append(cols, string(c.Outcome)), append(vals, num(c.Requests))
		}
		return cols, vals
	}},
	{"closed_by_reason", "Closed by reason", func(f *MonitoringFigures) (cols []string, vals []*float64) {
		for _, c := range f.ClosedByReason {
			cols, vals = append(cols, string(c.Outcome)+":"+string(c.Reason)), append(vals, num(c.Requests))
		}
		return cols, vals
	}},
	{"first_shortlist", "First shortlist", func(f *MonitoringFigures) ([]string, []*float64) {
		return []string{"requests", "median_days"}, []*float64{num(f.FirstShortlist.Requests), f.FirstShortlist.MedianDays}
	}},
	{"hours", "Hours", func(f *MonitoringFigures) ([]string, []*float64) {
		h := f.Hours
		return []string{"requests", "all_within", "all_within_share", "median_total_hours"},
			[]*float64{num(h.Requests), num(h.AllWithin), h.AllWithinShare, h.MedianTotalHours}
	}},
	phaseSection(Phase4C, "Hours 4C"),
	phaseSection(Phase4DVerification, "Hours 4D verification"),
	phaseSection(Phase4DSelection, "Hours 4D selection"),
	{"contacts", "Contacts", func(f *MonitoringFigures) ([]string, []*float64) {
		c := f.Contacts
		return []string{"contacts", "requests", "per_request"}, []*float64{num(c.Contacts), num(c.Requests), c.PerRequest}
	}},
	{"availability", "Availability", func(f *MonitoringFigures) ([]string, []*float64) {
		a := f.Availability
		return []string{"contacted", "available", "rate"}, []*float64{num(a.Contacted), num(a.Available), a.Rate}
	}},
	{"funnel", "Funnel", func(f *MonitoringFigures) (cols []string, vals []*float64) {
		for _, s := range f.Funnel {
			cols, vals = append(cols, string(s.Stage)), append(vals, num(s.Entries))
		}
		return cols, vals
	}},
	{"rejections", "Rejections", func(f *MonitoringFigures) ([]string, []*float64) {
		r := f.Rejections
		return []string{"entries", "by_employer", "by_service"}, []*float64{num(r.Entries), num(r.ByEmployer), num(r.ByService)}
	}},
	{"rejection_reasons", "Rejection reasons", func(f *MonitoringFigures) (cols []string, vals []*float64) {
		for _, r := range f.Rejections.Reasons {
			cols, vals = append(cols, r.Reason), append(vals, num(r.Entries))
		}
		return cols, vals
	}},
	{"rejection_reasons_by_employer", "Rejection reasons (employer)", func(f *MonitoringFigures) (cols []string, vals []*float64) {
		for _, r := range f.Rejections.Reasons {
			cols, vals = append(cols, r.Reason), append(vals, num(r.ByEmployer))
		}
		return cols, vals
	}},
	{"self_applications", "Self-applications", func(f *MonitoringFigures) ([]string, []*float64) {
		s := f.SelfApplications
		return []string{"entries", "self_applications", "share"}, []*float64{num(s.Entries), num(s.SelfApplications), s.Share}
	}},
	{"overdue_feedback", "Overdue feedback", func(f *MonitoringFigures) ([]string, []*float64) {
		o := f.OverdueFeedback
		return []string{"reminder_due", "propose_close"}, []*float64{num(o.ReminderDue), num(o.ProposeClose)}
	}},
}

func phaseSection(ph Phase, title string) monitoringSection {
	return monitoringSection{"hours_" + string(ph), title, func(f *MonitoringFigures) ([]string, []*float64) {
		for _, h := range f.Hours.Phases {
			if h.Phase == ph {
				return []string{"requests", "under", "within", "over", "within_share", "median_hours"},
					[]*float64{num(h.Requests), num(h.Under), num(h.Within), num(h.Over), h.WithinShare, h.MedianHours}
			}
		}
		panic(fmt.Sprintf("matching: no hours for phase %s", ph))
	}}
}

// Tables returns the report's sections as tables, in the order of the
// definitions: rows for the total, each provider and each operator.
func (r *MonitoringReport) Tables() []MonitoringTable {
	groups := append([]MonitoringGroup{r.Total}, r.Providers...)
	groups = append(groups, r.Operators...)
	out := make([]MonitoringTable, 0, len(monitoringSections))
	for _, sec := range monitoringSections {
		t := MonitoringTable{Section: sec.section, Title: sec.title}
		for _, g := range groups {
			cols, vals := sec.columns(&g.Figures)
			if t.Columns == nil {
				t.Columns = cols
			}
			t.Rows = append(t.Rows, MonitoringRow{Group: g.ReportGroup, Values: vals})
		}
		out = append(out, t)
	}
	return out
}
