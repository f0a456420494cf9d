package index

import (
	"context"
	"fmt"
	"os"
	"slices"
	"testing"
	"time"

	"incontro/matching"
	"incontro/store"
	"incontro/store/storetest"
)

func TestMain(m *testing.M) { os.Exit(storetest.Main(m)) }

// syncWorld is a real database and an index kept by an indexer.
type syncWorld struct {
	db  *store.DB
	dir string
	ix  *Index
	r   *Indexer
}

func newSyncWorld(t *testing.T) *syncWorld {
	t.Helper()
	w := &syncWorld{db: store.New(storetest.MustDB(t)), dir: t.TempDir()}
	w.open(t)
	t.Cleanup(func() { w.ix.Close() })
	return w
}

func (w *syncWorld) open(t *testing.T) {
	t.Helper()
	ix, err := Open(w.dir)
	if err != nil {
		t.Fatal(err)
	}
	w.ix = ix
	w.r = NewIndexer(ix, w.db, nil)
	w.r.Batch = 3 // several batches even for a few rows
}

func (w *syncWorld) addCandidate(t *testing.T, n int, searchable bool) matching.Candidate {
	t.Helper()
	c := matching.Candidate{GivenName: "Carla", FamilyName: fmt.Sprintf("Prova %d", n), Email: fmt.Sprintf("carla.%d@example.org", n),
		HomeMunicipality: "022205", MobilityKm: 20, Searchable: searchable, Presentation: matching.PresentNamed,
		Headline: fmt.Sprintf("Cuoca numero %d", n)}
	if err := w.db.CreateCandidate(context.Background(), &c); err != nil {
		t.Fatal(err)
	}
	return c
}

// wantIndexed checks that the index holds exactly the searchable candidates.
func (w *syncWorld) wantIndexed(t *testing.T) {
	t.Helper()
	var want []int64
	if err := w.db.SQL().Select(&want, `SELECT id FROM candidates c WHERE searchable
		AND NOT EXISTS (SELECT 1 FROM users u WHERE u.candidate_id = c.id AND u.status <> 'active') ORDER BY id`); err != nil {
		t.Fatal(err)
	}
	got, err := w.ix.IDs()
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Fatalf("the index holds %v, PostgreSQL's searchable candidates are %v", got, want)
	}
}

func TestTheIndexerFollowsCreationsUpdatesAndErasures(t *testing.T) {
	ctx := context.Background()
	w := newSyncWorld(t)
	var cs []matching.Candidate
	for i := 0; i < 8; i++ {
		cs = append(cs, w.addCandidate(t, i, i%4 != 3))
	}
	if err := w.r.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	w.wantIndexed(t)

	hidden := cs[0]
	hidden.Searchable = false
	if err := w.db.UpdateCandidate(ctx, &hidden); err != nil {
		t.Fatal(err)
	}
	shown := cs[3]
	shown.Searchable = true
	if err := w.db.UpdateCandidate(ctx, &shown); err != nil {
		t.Fatal(err)
	}
	if err := w.db.EraseCandidate(ctx, cs[1].ID); err != nil {
		t.Fatal(err)
	}
	if err := w.r.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	w.wantIndexed(t)

	// The position is the last outbox row, kept inside the index.
	htx, hid, err := w.db.OutboxHead(ctx)
	if err != nil {
		t.Fatal(err)
	}
	pos, err := w.ix.Position()
	if err != nil || pos != (Position{TxID: htx, ID: hid}) {
		t.Fatalf("position %v, %v; want the outbox head %d/%d", pos, err, htx, hid)
	}
}

func TestTheIndexerResumesFromItsPositionAfterARestart(t *testing.T) {
	ctx := context.Background()
	w := newSyncWorld(t)
	for i := 0; i < 5; i++ {
		w.addCandidate(t, i, true)
	}
	if err := w.r.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	// Committed in the database, not yet applied: the process dies here.
	for i := 5; i < 9; i++ {
		w.addCandidate(t, i, true)
	}
	if n, err := w.r.Step(ctx); err != nil || n == 0 {
		t.Fatalf("one step applied %d rows (%v)", n, err)
	}
	if err := w.ix.Close(); err != nil {
		t.Fatal(err)
	}
	w.open(t)
	if why, err := w.r.NeedsRebuild(ctx); err != nil || why != "" {
		t.Fatalf("a reopened index wants a rebuild: %q, %v", why, err)
	}
	if err := w.r.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	w.wantIndexed(t)
}

func TestARebuildIsNeededWhenNewOrBehindThePrunedLog(t *testing.T) {
	ctx := context.Background()
	w := newSyncWorld(t)
	for i := 0; i < 4; i++ {
		w.addCandidate(t, i, true)
	}
	if why, _ := w.r.NeedsRebuild(ctx); why == "" {
		t.Fatal("a new index does not ask for a rebuild")
	}
	if err := w.r.Rebuild(ctx, nil); err != nil {
		t.Fatal(err)
	}
	w.wantIndexed(t)
	if why, err := w.r.NeedsRebuild(ctx); err != nil || why != "" {
		t.Fatalf("right after a rebuild: %q, %v", why, err)
	}
	if err := w.ix.Close(); err != nil {
		t.Fatal(err)
	}
	w.open(t)
	if why, err := w.r.NeedsRebuild(ctx); err != nil || why != "" {
		t.Fatalf("after a rebuild: %q, %v", why, err)
	}
	// More rows are written and pruned before this replica reads them.
	for i := 4; i < 7; i++ {
		w.addCandidate(t, i, true)
	}
	if _, err := w.db.PruneOutbox(ctx, time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	why, err := w.r.NeedsRebuild(ctx)
	if err != nil || why == "" {
		t.Fatalf("an index behind the pruned log does not ask for a rebuild (%v)", err)
	}
	if err := w.r.Rebuild(ctx, nil); err != nil {
		t.Fatal(err)
	}
	w.wantIndexed(t)
}

func TestRunRebuildsThenTailsTheLog(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	w := newSyncWorld(t)
	for i := 0; i < 5; i++ {
		w.addCandidate(t, i, true)
	}
	w.r.Poll = 10 * time.Millisecond
	done := make(chan error)
	go func() { done <- w.r.Run(ctx) }()
	added := w.addCandidate(t, 99, true)
	deadline := time.Now().Add(10 * time.Second)
	for {
		ids, err := w.ix.IDs()
		if err == nil && slices.Contains(ids, added.ID) && len(ids) == 6 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the new CV never reached the index: %v, %v", ids, err)
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	w.wantIndexed(t)
}

// slowSource holds the rebuild's first page until released.
type slowSource struct {
	*store.DB
	started, release chan struct{}
	once             bool
}

func (s *slowSource) CandidatesAfter(ctx context.Context, afterID int64, limit int) ([]matching.Candidate, error) {
	if !s.once {
		s.once = true
		close(s.started)
		<-s.release
	}
	return s.DB.CandidatesAfter(ctx, afterID, limit)
}

func TestChangesStayVisibleWhileARebuildRuns(t *testing.T) {
	ctx := context.Background()
	w := newSyncWorld(t)
	for i := 0; i < 4; i++ {
		w.addCandidate(t, i, true)
	}
	if err := w.r.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	src := &slowSource{DB: w.db, started: make(chan struct{}), release: make(chan struct{})}
	w.r.src = src
	done := make(chan error)
	go func() { done <- w.r.Rebuild(ctx, nil) }()
	<-src.started

	// The rebuild is reading the table; a CV saved now reaches the live index.
	during := w.addCandidate(t, 50, true)
	stepped := make(chan error)
	go func() { stepped <- w.r.CatchUp(ctx) }()
	select {
	case err := <-stepped:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("tailing the log waited for the rebuild")
	}
	if ids, _ := w.ix.IDs(); !slices.Contains(ids, during.ID) {
		t.Fatalf("the CV saved during the rebuild is not searchable: %v", ids)
	}
	close(src.release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	// The swapped-in index caught up with what happened meanwhile.
	w.wantIndexed(t)
}

func TestADisabledJobseekerIsNotSearched(t *testing.T) {
	ctx := context.Background()
	w := newSyncWorld(t)
	c := w.addCandidate(t, 1, true)
	w.addCandidate(t, 2, true)
	u := matching.User{Email: c.Email, Name: "Carla", Role: matching.RoleJobseeker, CandidateID: &c.ID}
	if err := w.db.CreateUser(ctx, &u); err != nil {
		t.Fatal(err)
	}
	for _, status := range []matching.UserStatus{matching.UserDisabled, matching.UserActive} {
		if err := w.db.SetUserStatus(ctx, u.ID, status); err != nil {
			t.Fatal(err)
		}
		if err := w.r.CatchUp(ctx); err != nil {
			t.Fatal(err)
		}
		ids, err := w.ix.IDs()
		if err != nil {
			t.Fatal(err)
		}
		if slices.Contains(ids, c.ID) != (status == matching.UserActive) {
			t.Fatalf("account %s: the index holds %v", status, ids)
		}
		w.wantIndexed(t)
	}
}
