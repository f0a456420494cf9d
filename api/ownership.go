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
