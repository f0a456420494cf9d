package seed

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/schollz/progressbar/v3"

	"incontro/matching"
	"incontro/password"
	"incontro/store"
)

// LoadOptions control how the data reach the database.
type LoadOptions struct {
	// BatchSize is the number of candidates per COPY batch.
	BatchSize int
	// Progress receives a progress bar; nil shows none.
	Progress io.Writer
	// EmployerUsers and JobseekerUsers are how many demo accounts to make.
	EmployerUsers, JobseekerUsers int
	// PasswordParams are the argon2id costs for demo accounts.
	PasswordParams password.Params
}

// Summary says what a load wrote and how fast.
type Summary struct {
	Providers, Users, Employers, Vacancies, Candidates int
	Elapsed                                            time.Duration
	Accounts                                           []DemoUser
	// Openings are the vacancies set aside for requests (see Workflow).
	Openings []Opening
}

// CandidatesPerSecond is the candidate load rate.
func (s Summary) CandidatesPerSecond() float64 {
	if s.Elapsed <= 0 {
		return 0
	}
	return float64(s.Candidates) / s.Elapsed.Seconds()
}

type batch struct {
	cs   []matching.Candidate
	prot []matching.Protected
}

// Load writes the generated data in one transaction: nothing is visible
// until everything is in. Timestamps of small records come from the store's
// clock, which the caller may fix for repeatable data.
func Load(ctx context.Context, db *store.DB, g *Generator, lo LoadOptions) (Summary, error) {
	start := time.Now()
	if lo.BatchSize <= 0 {
		lo.BatchSize = 2000
	}
	if lo.PasswordParams == (password.Params{}) {
		lo.PasswordParams = password.Default
	}
	var sum Summary
	b, err := db.BeginBulk(ctx)
	if err != nil {
		return sum, err
	}
	defer b.Rollback()

	providers := g.Providers()
	for i := range providers {
		if err := b.Provider(ctx, &providers[i]); err != nil {
			return sum, fmt.Errorf("provider %s: %w", providers[i].Code, err)
		}
	}
	sum.Providers = len(providers)
	employers, sectors := g.Employers()
	for i := range employers {
		employers[i].ProviderID = &providers[i%len(providers)].ID
		if err := b.Employer(ctx, &employers[i]); err != nil {
			return sum, fmt.Errorf("employer %s: %w", employers[i].Name, err)
		}
	}
	sum.Employers = len(employers)
	for i := range employers {
		for k := 0; k < 1+i%3; k++ {
			v := g.Vacancy(i, k, sectors[i])
			v.EmployerID = employers[i].ID
			if err := b.Vacancy(ctx, &v); err != nil {
				return sum, fmt.Errorf("vacancy %q of employer %d: %w", v.Title, i, err)
			}
			sum.Vacancies++
			// The first published vacancy of each employer becomes a 4C
			// request of its provider: Workflow opens and works it once
			// everything is loaded.
			if v.Status == matching.VacancyPublished && (len(sum.Openings) == 0 || sum.Openings[len(sum.Openings)-1].EmployerIndex != i) {
				pi := i % len(providers)
				sum.Openings = append(sum.Openings, Opening{EmployerIndex: i, EmployerID: employers[i].ID,
					ProviderIndex: pi, ProviderID: providers[pi].ID, VacancyID: v.ID})
			}
		}
	}

	// Candidates: generated on another goroutine while the previous batch
	// is copied.
	n := g.Options().Candidates
	var bar *progressbar.ProgressBar
	if lo.Progress != nil && n > 0 {
		bar = progressbar.NewOptions(n, progressbar.OptionSetWriter(lo.Progress), progressbar.OptionSetDescription("candidati"),
			progressbar.OptionShowCount(), progressbar.OptionShowIts(), progressbar.OptionSetItsString("cv"),
			progressbar.OptionThrottle(200*time.Millisecond), progressbar.OptionOnCompletion(func() { fmt.Fprintln(lo.Progress) }))
	}
	gctx, cancel := context.WithCancel(ctx)
	defer cancel()
	batches := make(chan batch, 2)
	go func() {
		defer close(batches)
		for from := 0; from < n; from += lo.BatchSize {
			to := min(from+lo.BatchSize, n)
			bt := batch{cs: make([]matching.Candidate, 0, to-from), prot: make([]matching.Protected, 0, to-from)}
			for i := from; i < to; i++ {
				c, p := g.Candidate(i)
				bt.cs = append(bt.cs, c)
				bt.prot = append(bt.prot, p)
			}
			select {
			case batches <- bt:
			case <-gctx.Done():
				return
			}
		}
	}()
	candidateIDs := make([]int64, 0, min(n, lo.JobseekerUsers))
	for bt := range batches {
		if err := b.Candidates(ctx, bt.cs, bt.prot); err != nil {
			return sum, err
		}
		for _, c := range bt.cs {
			if len(candidateIDs) < cap(candidateIDs) {
				candidateIDs = append(candidateIDs, c.ID)
			}
		}
		sum.Candidates += len(bt.cs)
		if bar != nil {
			_ = bar.Add(len(bt.cs))
		}
	}
	if err := ctx.Err(); err != nil {
		return sum, err
	}

	accounts := g.StaffUsers()
	accounts = append(accounts, g.EmployerUsers(employers, lo.EmployerUsers)...)
	accounts = append(accounts, g.JobseekerUsers(len(candidateIDs))...)
	for i := range accounts {
		a := &accounts[i]
		if a.ProviderIndex >= 0 {
			a.User.ProviderID = &providers[a.ProviderIndex].ID
		}
		if a.EmployerIndex >= 0 {
			a.User.EmployerID = &employers[a.EmployerIndex].ID
		}
		if a.CandidateIndex >= 0 {
			a.User.CandidateID = &candidateIDs[a.CandidateIndex]
		}
		h, err := password.Hash(a.Password, lo.PasswordParams)
		if err != nil {
			return sum, err
		}
		a.User.PasswordHash = h
		verified := db.Now().UTC().Truncate(time.Microsecond)
		a.User.EmailVerifiedAt = &verified
		a.User.Demo = true
		if err := b.User(ctx, &a.User); err != nil {
			return sum, fmt.Errorf("user %s: %w", a.User.Email, err)
		}
	}
	sum.Users = len(accounts)
	sum.Accounts = accounts
	if err := b.Commit(); err != nil {
		return sum, err
	}
	sum.Elapsed = time.Since(start)
	return sum, nil
}
