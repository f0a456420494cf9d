package api

import (
	"context"

	"incontro/matching"
	"incontro/store"
)

// The ownership policies, one per resource: the single place where who may
// see which record is decided. A refusal is ENOTFOUND, so that a record's
// existence does not leak to who may not see it.

func notFound(resource string) error {
	return matching.Errorf(matching.ENOTFOUND, "%s not found", resource)
}

// candidatePolicy: staff see the shared pool; a jobseeker only their own
// record; an employer only candidates presented to it.
func candidatePolicy(db *store.DB) *Ownership {
	return &Ownership{Param: "id", Resource: "candidate", check: func(ctx context.Context, p *matching.Principal, id int64) error {
		switch p.Role {
		case matching.RoleAdmin, matching.RoleMonitor, matching.RoleOperator:
			return nil
		case matching.RoleJobseeker:
			if p.CandidateID == id {
				return nil
			}
		case matching.RoleEmployer:
			_, presented, err := db.PresentedMode(ctx, id, p.EmployerID)
			if err != nil {
				return err
			}
			if presented {
				return nil
			}
		}
		return notFound("candidate")
	}}
}

// employerPolicy: admin and monitor see every employer; an operator those
// its provider serves; an employer user only its own company.
func employerPolicy(db *store.DB) *Ownership {
	return &Ownership{Param: "id", Resource: "employer", check: func(ctx context.Context, p *matching.Principal, id int64) error {
		switch p.Role {
		case matching.RoleAdmin, matching.RoleMonitor:
			return nil
		case matching.RoleEmployer:
			if p.EmployerID == id {
				return nil
			}
		case matching.RoleOperator:
			ok, err := db.EmployerServedBy(ctx, id, p.ProviderID)
			if err != nil {
				return err
			}
			if ok {
				return nil
			}
		}
		return notFound("employer")
	}}
}

// requestPolicy: admin and monitor see every request; an operator its
// provider's; an employer its own.
func requestPolicy(db *store.DB) *Ownership {
	return &Ownership{Param: "id", Resource: "request", check: func(ctx context.Context, p *matching.Principal, id int64) error {
		switch p.Role {
		case matching.RoleAdmin, matching.RoleMonitor:
			return nil
		case matching.RoleOperator, matching.RoleEmployer:
			r, err := db.Request(ctx, id)
			if matching.ErrorCode(err) == matching.ENOTFOUND {
				return notFound("request")
			}
			if err != nil {
				return err
			}
			if (p.Role == matching.RoleOperator && r.ProviderID == p.ProviderID) ||
				(p.Role == matching.RoleEmployer && r.EmployerID == p.EmployerID) {
				return nil
			}
		}
		return notFound("request")
	}}
}

// userPolicy: the admin manages every account, the monitor reads them all,
// anyone else only their own.
func userPolicy() *Ownership {
	return &Ownership{Param: "id", Resource: "user", check: func(_ context.Context, p *matching.Principal, id int64) error {
		if p.Role == matching.RoleAdmin || p.Role == matching.RoleMonitor || p.UserID == id {
			return nil
		}
		return notFound("user")
	}}
}

// vacancyPolicy: admin and monitor see every vacancy; an employer its own;
// an operator those of the employers its provider serves.
func vacancyPolicy(db *store.DB) *Ownership {
	return &Ownership{Param: "id", Resource: "vacancy", check: func(ctx context.Context, p *matching.Principal, id int64) error {
		switch p.Role {
		case matching.RoleAdmin, matching.RoleMonitor:
			return nil
		case matching.RoleOperator, matching.RoleEmployer:
			employerID, err := db.VacancyEmployer(ctx, id)
			if matching.ErrorCode(err) == matching.ENOTFOUND {
				return notFound("vacancy")
			}
			if err != nil {
				return err
			}
			if p.Role == matching.RoleEmployer && employerID == p.EmployerID {
				return nil
			}
			if p.Role == matching.RoleOperator {
				ok, err := db.EmployerServedBy(ctx, employerID, p.ProviderID)
				if err != nil {
					return err
				}
				if ok {
					return nil
				}
			}
		}
		return notFound("vacancy")
	}}
}

// workflowPolicy is the policy of a workflow record reached by its own id
// (a pipeline entry, a shortlist, an application, an availability request,
// a time entry): admin and monitor see all; an operator those of its
// provider's requests; the employer those of its own requests that it may
// see (see); a jobseeker their own.
func workflowPolicy(db *store.DB, param, kind string, employerSees func(o store.Owners) bool) *Ownership {
	return &Ownership{Param: param, Resource: kind, check: func(ctx context.Context, p *matching.Principal, id int64) error {
		o, err := db.OwnersOf(ctx, kind, id)
		if matching.ErrorCode(err) == matching.ENOTFOUND {
			return notFound(kind)
		}
		if err != nil {
			return err
		}
		switch p.Role {
		case matching.RoleAdmin, matching.RoleMonitor:
			return nil
		case matching.RoleOperator:
			if o.ProviderID != 0 && o.ProviderID == p.ProviderID {
				return nil
			}
		case matching.RoleEmployer:
			if o.EmployerID == p.EmployerID && employerSees != nil && employerSees(o) {
				return nil
			}
		case matching.RoleJobseeker:
			if o.CandidateID != 0 && o.CandidateID == p.CandidateID {
				return nil
			}
		}
		return notFound(kind)
	}}
}

// entryPolicy: a candidate in a request's pipeline; the employer sees only
// those presented to it.
func entryPolicy(db *store.DB) *Ownership {
	return workflowPolicy(db, "id", "pipeline entry", func(o store.Owners) bool { return o.Presented })
}

// shortlistPolicy: the employer sees presented versions, never drafts.
func shortlistPolicy(db *store.DB) *Ownership {
	return workflowPolicy(db, "id", "shortlist", func(o store.Owners) bool { return o.Presented })
}

// applicationPolicy: a self-application; the employer does not see who
// applied until the operator presents them.
func applicationPolicy(db *store.DB) *Ownership {
	return workflowPolicy(db, "id", "application", nil)
}

// availabilityRequestPolicy: the jobseeker asked and the provider asking.
func availabilityRequestPolicy(db *store.DB) *Ownership {
	return workflowPolicy(db, "id", "availability request", nil)
}

// timeEntryPolicy: operator time, seen by the provider and the Province.
func timeEntryPolicy(db *store.DB) *Ownership {
	return workflowPolicy(db, "id", "time entry", nil)
}
