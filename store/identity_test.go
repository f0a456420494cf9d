package store_test

import (
	"context"
	"crypto/sha256"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"incontro/matching"
	"incontro/store"
)

// fakeHash is an encoded argon2id hash as the password package writes one.
const fakeHash = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaA"

// tokenHash is the hash the callers store for a token.
func tokenHash(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// setClock stops the store's clock at t; the caller moves it through the
// returned pointer.
func setClock(s *store.DB, t time.Time) *time.Time {
	cur := t
	s.Now = func() time.Time { return cur }
	return &cur
}

// countRows returns how many rows the table has.
func countRows(tb testing.TB, s *store.DB, table string) int {
	tb.Helper()
	var n int
	mustNoError(tb, s.SQL().GetContext(context.Background(), &n, `SELECT count(*) FROM `+table), "count "+table)
	return n
}

// mustSession creates a session of the user under the token's hash.
func mustSession(tb testing.TB, s *store.DB, sess matching.Session, token string) matching.Session {
	tb.Helper()
	if sess.CSRFToken == "" {
		sess.CSRFToken = "csrf-" + token
	}
	if sess.ExpiresAt.IsZero() {
		sess.ExpiresAt = clockStart.Add(12 * time.Hour)
	}
	mustNoError(tb, s.CreateSession(context.Background(), &sess, tokenHash(token)), "create session")
	return sess
}

// sessionIDs returns the ids of the user's sessions, newest first.
func sessionIDs(tb testing.TB, s *store.DB, userID int64) []int64 {
	tb.Helper()
	sessions, err := s.UserSessions(context.Background(), userID)
	mustNoError(tb, err, "list sessions")
	ids := []int64{}
	for _, sess := range sessions {
		ids = append(ids, sess.ID)
	}
	return ids
}

func TestSessionRoundTripsAndIsFoundByTokenHash(t *testing.T) {
	ctx := context.Background()
	s := MustStore(t)
	u := MustOperator(t, s, MustProvider(t, s).ID)

	sess := matching.Session{UserID: u.ID, CSRFToken: "csrf-secret", ExpiresAt: clockStart.Add(12 * time.Hour),
		IP: "192.0.2.10", UserAgent: "Mozilla/5.0 Firefox/140.0"}
	mustNoError(t, s.CreateSession(ctx, &sess, tokenHash("session-a")), "create session")
	if sess.ID == 0 || sess.CreatedAt.IsZero() || !sess.LastSeenAt.Equal(sess.CreatedAt) {
		t.Fatalf("created session = %+v, want an id and last seen when created", sess)
	}
	if sess.CreatedAt.Location() != time.UTC || !sess.ExpiresAt.Equal(clockStart.Add(12*time.Hour).Truncate(time.Microsecond)) {
		t.Errorf("session times = %v, %v; want UTC to the microsecond", sess.CreatedAt, sess.ExpiresAt)
	}

	gotSess, gotUser, err := s.SessionByTokenHash(ctx, tokenHash("session-a"))
	mustNoError(t, err, "find session")
	if diff := cmp.Diff(sess, gotSess); diff != "" {
		t.Errorf("session read back differs:\n%s", diff)
	}
	if diff := cmp.Diff(u, gotUser); diff != "" {
		t.Errorf("user of the session differs:\n%s", diff)
	}

	given := matching.Session{UserID: u.ID, CSRFToken: "csrf-2", CreatedAt: clockStart.Add(-time.Hour),
		LastSeenAt: clockStart.Add(-time.Minute), ExpiresAt: clockStart.Add(time.Hour)}
	mustNoError(t, s.CreateSession(ctx, &given, tokenHash("session-b")), "create session with its times")
	gotSess, _, err = s.SessionByTokenHash(ctx, tokenHash("session-b"))
	mustNoError(t, err, "find session")
	if !gotSess.CreatedAt.Equal(clockStart.Add(-time.Hour).Truncate(time.Microsecond)) ||
		!gotSess.LastSeenAt.Equal(clockStart.Add(-time.Minute).Truncate(time.Microsecond)) {
		t.Errorf("given times were not kept: %+v", gotSess)
	}

	_, _, err = s.SessionByTokenHash(ctx, tokenHash("no such session"))
	wantError(t, err, matching.ENOTFOUND, "")

	at := clockStart.Add(90 * time.Minute)
	mustNoError(t, s.TouchSession(ctx, sess.ID, at), "touch session")
	gotSess, _, err = s.SessionByTokenHash(ctx, tokenHash("session-a"))
	mustNoError(t, err, "find session")
	sess.LastSeenAt = at.UTC().Truncate(time.Microsecond)
	if diff := cmp.Diff(sess, gotSess); diff != "" {
		t.Errorf("touched session differs (only last_seen_at should change):\n%s", diff)
	}
	wantError(t, s.TouchSession(ctx, 999999, at), matching.ENOTFOUND, "")
}

func TestCreateSessionRefusals(t *testing.T) {
	ctx := context.Background()
	s := MustStore(t)
	u := MustOperator(t, s, MustProvider(t, s).ID)
	mustSession(t, s, matching.Session{UserID: u.ID}, "taken")
	expires := clockStart.Add(time.Hour)
	tests := []struct {
		name  string
		sess  matching.Session
		hash  []byte
		code  string
		field string
	}{
		{"a session without a token hash is invalid", matching.Session{UserID: u.ID, CSRFToken: "c", ExpiresAt: expires}, nil, matching.EINVALID, "token_hash"},
		{"a session without a CSRF token is invalid", matching.Session{UserID: u.ID, CSRFToken: " ", ExpiresAt: expires}, tokenHash("x1"), matching.EINVALID, "csrf_token"},
		{"a session without an expiry is invalid", matching.Session{UserID: u.ID, CSRFToken: "c"}, tokenHash("x2"), matching.EINVALID, "expires_at"},
		{"a session that expires when it starts is invalid", matching.Session{UserID: u.ID, CSRFToken: "c", CreatedAt: expires, ExpiresAt: expires}, tokenHash("x3"), matching.EINVALID, "expires_at"},
		{"a session of a user that does not exist is invalid", matching.Session{UserID: 999999, CSRFToken: "c", ExpiresAt: expires}, tokenHash("x4"), matching.EINVALID, "user_id"},
		{"a token hash in use conflicts", matching.Session{UserID: u.ID, CSRFToken: "c", ExpiresAt: expires}, tokenHash("taken"), matching.ECONFLICT, "token_hash"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantError(t, s.CreateSession(ctx, &tt.sess, tt.hash), tt.code, tt.field)
		})
	}
	if n := countRows(t, s, "sessions"); n != 1 {
		t.Errorf("%d sessions stored, want only the first", n)
	}
}

func TestLogoutEndsOneSessionOrAllButTheCurrent(t *testing.T) {
	ctx := context.Background()
	s := MustStore(t)
	p := MustProvider(t, s)
	u, other := MustOperator(t, s, p.ID), MustOperator(t, s, p.ID)
	first := mustSession(t, s, matching.Session{UserID: u.ID}, "first")
	second := mustSession(t, s, matching.Session{UserID: u.ID}, "second")
	current := mustSession(t, s, matching.Session{UserID: u.ID}, "current")
	others := mustSession(t, s, matching.Session{UserID: other.ID}, "other")

	if got, want := sessionIDs(t, s, u.ID), []int64{current.ID, second.ID, first.ID}; !cmp.Equal(got, want) {
		t.Fatalf("sessions = %v, want newest first %v", got, want)
	}
	sessions, err := s.UserSessions(ctx, u.ID)
	mustNoError(t, err, "list sessions")
	if diff := cmp.Diff([]matching.Session{current, second, first}, sessions); diff != "" {
		t.Errorf("listed sessions differ:\n%s", diff)
	}

	mustNoError(t, s.DeleteSession(ctx, first.ID), "log out")
	if got, want := sessionIDs(t, s, u.ID), []int64{current.ID, second.ID}; !cmp.Equal(got, want) {
		t.Errorf("after logging out one session: %v, want %v", got, want)
	}
	_, _, err = s.SessionByTokenHash(ctx, tokenHash("first"))
	wantError(t, err, matching.ENOTFOUND, "")
	wantError(t, s.DeleteSession(ctx, first.ID), matching.ENOTFOUND, "")

	n, err := s.DeleteUserSessions(ctx, u.ID, current.ID)
	mustNoError(t, err, "log out everywhere else")
	if got, want := sessionIDs(t, s, u.ID), []int64{current.ID}; n != 1 || !cmp.Equal(got, want) {
		t.Errorf("after logging out elsewhere: ended %d, left %v; want 1 ended and %v left", n, got, want)
	}

	n, err = s.DeleteUserSessions(ctx, u.ID, 0)
	mustNoError(t, err, "log out everywhere")
	if got := sessionIDs(t, s, u.ID); n != 1 || len(got) != 0 {
		t.Errorf("after logging out everywhere: ended %d, left %v; want 1 ended and none left", n, got)
	}
	if got, want := sessionIDs(t, s, other.ID), []int64{others.ID}; !cmp.Equal(got, want) {
		t.Errorf("another user's sessions = %v, want %v untouched", got, want)
	}
	n, err = s.DeleteUserSessions(ctx, u.ID, 0)
	if err != nil || n != 0 {
		t.Errorf("logging out a user without sessions = %d, %v; want 0, nil", n, err)
	}
}

func TestDeleteExpiredSessionsByIdleAndAbsoluteTime(t *testing.T) {
	ctx := context.Background()
	s := MustStore(t)
	u := MustOperator(t, s, MustProvider(t, s).ID)
	now := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	idleBefore := now.Add(-2 * time.Hour)
	tests := []struct {
		name       string
		lastSeen   time.Time
		expires    time.Time
		wantDelete bool
	}{
		{"a recently used session stays", now.Add(-time.Minute), now.Add(time.Hour), false},
		{"a session idle since before the limit goes", idleBefore.Add(-time.Second), now.Add(time.Hour), true},
		{"a session last seen exactly at the idle limit stays", idleBefore, now.Add(time.Hour), false},
		{"a session past its absolute expiry goes", now.Add(-time.Minute), now.Add(-time.Second), true},
		{"a session expiring exactly now goes", now.Add(-time.Minute), now, true},
		{"a session both idle and expired goes", idleBefore.Add(-time.Hour), now.Add(-time.Hour), true},
	}
	ids := make([]int64, len(tests))
	for i, tt := range tests {
		sess := mustSession(t, s, matching.Session{UserID: u.ID, CreatedAt: now.Add(-10 * time.Hour),
			LastSeenAt: tt.lastSeen, ExpiresAt: tt.expires}, fmt.Sprintf("session-%d", i))
		ids[i] = sess.ID
	}
	n, err := s.DeleteExpiredSessions(ctx, idleBefore, now)
	mustNoError(t, err, "delete expired sessions")
	left := map[int64]bool{}
	for _, id := range sessionIDs(t, s, u.ID) {
		left[id] = true
	}
	deleted := 0
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if left[ids[i]] == tt.wantDelete {
				t.Errorf("session kept = %v, want %v", left[ids[i]], !tt.wantDelete)
			}
		})
		if tt.wantDelete {
			deleted++
		}
	}
	if n != deleted {
		t.Errorf("reported %d sessions deleted, want %d", n, deleted)
	}
}

func TestAPITokensLifecycle(t *testing.T) {
	ctx := context.Background()
	s := MustStore(t)
	p := MustProvider(t, s)
	u, other := MustOperator(t, s, p.ID), MustOperator(t, s, p.ID)

	first := matching.APIToken{UserID: u.ID, Name: "  Export to the regional system "}
	mustNoError(t, s.CreateAPIToken(ctx, &first, tokenHash("tok-first")), "create token")
	if first.ID == 0 || first.CreatedAt.IsZero() || first.Name != "Export to the regional system" {
		t.Fatalf("created token = %+v, want an id, a creation time and a trimmed name", first)
	}
	second := matching.APIToken{UserID: u.ID, Name: "Backup"}
	mustNoError(t, s.CreateAPIToken(ctx, &second, tokenHash("tok-second")), "create token")
	theirs := matching.APIToken{UserID: other.ID, Name: "Theirs"}
	mustNoError(t, s.CreateAPIToken(ctx, &theirs, tokenHash("tok-theirs")), "create token")

	t.Run("refusals", func(t *testing.T) {
		tests := []struct {
			name  string
			token matching.APIToken
			hash  []byte
			code  string
			field string
		}{
			{"a token without a name is invalid", matching.APIToken{UserID: u.ID, Name: "  "}, tokenHash("r1"), matching.EINVALID, "name"},
			{"a token with a long name is invalid", matching.APIToken{UserID: u.ID, Name: strings.Repeat("n", 101)}, tokenHash("r2"), matching.EINVALID, "name"},
			{"a token without a hash is invalid", matching.APIToken{UserID: u.ID, Name: "x"}, nil, matching.EINVALID, "token_hash"},
			{"a token of a user that does not exist is invalid", matching.APIToken{UserID: 999999, Name: "x"}, tokenHash("r3"), matching.EINVALID, "user_id"},
			{"a token hash in use conflicts", matching.APIToken{UserID: u.ID, Name: "x"}, tokenHash("tok-first"), matching.ECONFLICT, "token_hash"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				wantError(t, s.CreateAPIToken(ctx, &tt.token, tt.hash), tt.code, tt.field)
			})
		}
	})

	tokens, err := s.APITokens(ctx, u.ID)
	mustNoError(t, err, "list tokens")
	if diff := cmp.Diff([]matching.APIToken{second, first}, tokens); diff != "" {
		t.Fatalf("tokens differ (newest first, others' left out):\n%s", diff)
	}

	gotTok, gotUser, err := s.APITokenByHash(ctx, tokenHash("tok-first"))
	mustNoError(t, err, "find token")
	if gotTok.LastUsedAt == nil || !gotTok.LastUsedAt.After(second.CreatedAt) {
		t.Fatalf("last used = %v, want the time of the look-up", gotTok.LastUsedAt)
	}
	first.LastUsedAt = gotTok.LastUsedAt
	if diff := cmp.Diff(first, gotTok); diff != "" {
		t.Errorf("token found by hash differs:\n%s", diff)
	}
	if diff := cmp.Diff(u, gotUser); diff != "" {
		t.Errorf("user of the token differs:\n%s", diff)
	}
	_, _, err = s.APITokenByHash(ctx, tokenHash("no such token"))
	wantError(t, err, matching.ENOTFOUND, "")

	wantError(t, s.RevokeAPIToken(ctx, other.ID, first.ID), matching.ENOTFOUND, "")
	wantError(t, s.RevokeAPIToken(ctx, u.ID, theirs.ID), matching.ENOTFOUND, "")
	wantError(t, s.RevokeAPIToken(ctx, u.ID, 999999), matching.ENOTFOUND, "")
	if _, _, err := s.APITokenByHash(ctx, tokenHash("tok-theirs")); err != nil {
		t.Errorf("another user's token stopped working after a refused revocation: %v", err)
	}

	mustNoError(t, s.RevokeAPIToken(ctx, u.ID, first.ID), "revoke token")
	wantError(t, s.RevokeAPIToken(ctx, u.ID, first.ID), matching.ECONFLICT, "")
	_, _, err = s.APITokenByHash(ctx, tokenHash("tok-first"))
	wantError(t, err, matching.ENOTFOUND, "")

	tokens, err = s.APITokens(ctx, u.ID)
	mustNoError(t, err, "list tokens")
	if len(tokens) != 2 || tokens[1].RevokedAt == nil {
		t.Fatalf("tokens after revocation = %+v, want the revoked one still listed", tokens)
	}
	first.RevokedAt = tokens[1].RevokedAt
	if diff := cmp.Diff([]matching.APIToken{second, first}, tokens); diff != "" {
		t.Errorf("tokens after revocation differ (a refused look-up must not touch last_used_at):\n%s", diff)
	}
}

func TestLoginFailuresAreCountedByEmailAndIPInTheWindow(t *testing.T) {
	ctx := context.Background()
	s := MustStore(t)
	t0 := time.Date(2025, 6, 1, 10, 0, 0, 0, time.FixedZone("CEST", 2*3600))
	clock := setClock(s, t0)
	record := func(at time.Duration, email, ip string) {
		t.Helper()
		*clock = t0.Add(at)
		mustNoError(t, s.RecordLoginFailure(ctx, email, ip), "record failure")
	}
	record(0, "anna@example.it", "198.51.100.1")
	record(time.Minute, " Anna@Example.IT ", "198.51.100.2")
	record(2*time.Minute, "bruno@example.it", "198.51.100.1")
	record(10*time.Minute, "anna@example.it", "198.51.100.1")
	at := func(d time.Duration) time.Time { return t0.Add(d).UTC() }

	tests := []struct {
		name  string
		email string
		ip    string
		since time.Duration
		want  store.LoginFailureCounts
	}{
		{"every failure counts from the start of the window", "anna@example.it", "198.51.100.1", 0,
			store.LoginFailureCounts{ByEmail: 3, ByIP: 3, OldestByEmail: at(0), OldestByIP: at(0)}},
		{"a failure exactly at the start of the window counts", "ANNA@example.it", "198.51.100.1", time.Minute,
			store.LoginFailureCounts{ByEmail: 2, ByIP: 2, OldestByEmail: at(time.Minute), OldestByIP: at(2 * time.Minute)}},
		{"failures before the window do not count", "anna@example.it", "198.51.100.2", 3 * time.Minute,
			store.LoginFailureCounts{ByEmail: 1, OldestByEmail: at(10 * time.Minute)}},
		{"another address counts its own failures", "bruno@example.it", "198.51.100.2", 0,
			store.LoginFailureCounts{ByEmail: 1, ByIP: 1, OldestByEmail: at(2 * time.Minute), OldestByIP: at(time.Minute)}},
		{"no failures count nothing and have no oldest time", "carla@example.it", "203.0.113.9", 0,
			store.LoginFailureCounts{}},
		{"a window after every failure counts nothing", "anna@example.it", "198.51.100.1", 11 * time.Minute,
			store.LoginFailureCounts{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.LoginFailures(ctx, tt.email, tt.ip, t0.Add(tt.since))
			mustNoError(t, err, "count failures")
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("counts differ:\n%s", diff)
			}
		})
	}

	mustNoError(t, s.ClearLoginFailures(ctx, " ANNA@example.it"), "clear failures")
	got, err := s.LoginFailures(ctx, "anna@example.it", "198.51.100.1", t0)
	mustNoError(t, err, "count failures")
	if want := (store.LoginFailureCounts{ByIP: 1, OldestByIP: at(2 * time.Minute)}); !cmp.Equal(want, got) {
		t.Errorf("after clearing = %+v, want only bruno's failure from the address: %+v", got, want)
	}

	record(20*time.Minute, "carla@example.it", "203.0.113.9")
	n, err := s.PruneLoginFailures(ctx, t0.Add(5*time.Minute))
	mustNoError(t, err, "prune failures")
	if n != 1 {
		t.Errorf("pruned %d failures, want 1", n)
	}
	for email, want := range map[string]int{"bruno@example.it": 0, "carla@example.it": 1} {
		got, err := s.LoginFailures(ctx, email, "", t0)
		mustNoError(t, err, "count failures")
		if got.ByEmail != want {
			t.Errorf("failures of %s after pruning = %d, want %d", email, got.ByEmail, want)
		}
	}
}

// mustPendingUser creates an operator whose account waits for verification.
func mustPendingUser(tb testing.TB, s *store.DB, status matching.UserStatus) matching.User {
	tb.Helper()
	p := MustProvider(tb, s)
	n := nextSeq()
	u := matching.User{Email: fmt.Sprintf("nuovo%d@example.it", n), Name: fmt.Sprintf("Nuovo %d", n),
		Role: matching.RoleOperator, ProviderID: &p.ID, Status: status}
	mustNoError(tb, s.CreateUser(context.Background(), &u), "create user")
	return u
}

func TestConsumeEmailVerification(t *testing.T) {
	ctx := context.Background()
	s := MustStore(t)
	t0 := time.Date(2025, 6, 1, 10, 0, 0, 0, time.UTC)
	clock := setClock(s, t0)

	t.Run("it verifies the address and activates a pending account, once", func(t *testing.T) {
		u := mustPendingUser(t, s, matching.UserPending)
		mustNoError(t, s.CreateEmailVerification(ctx, u.ID, tokenHash("verify-1"), t0.Add(24*time.Hour)), "create verification")
		*clock = t0.Add(time.Hour)
		got, err := s.ConsumeEmailVerification(ctx, tokenHash("verify-1"))
		mustNoError(t, err, "consume verification")
		want := u
		want.Status, want.EmailVerifiedAt, want.UpdatedAt = matching.UserActive, ptr(t0.Add(time.Hour)), t0.Add(time.Hour)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("verified user differs:\n%s", diff)
		}
		stored, err := s.User(ctx, u.ID)
		mustNoError(t, err, "read user")
		if diff := cmp.Diff(want, stored); diff != "" {
			t.Errorf("stored user differs:\n%s", diff)
		}
		_, err = s.ConsumeEmailVerification(ctx, tokenHash("verify-1"))
		wantError(t, err, matching.ENOTFOUND, "")
		wantMessage(t, err, "link not valid or expired")
	})

	t.Run("an expired link is not found and changes nothing", func(t *testing.T) {
		*clock = t0
		u := mustPendingUser(t, s, matching.UserPending)
		mustNoError(t, s.CreateEmailVerification(ctx, u.ID, tokenHash("verify-2"), t0.Add(time.Hour)), "create verification")
		*clock = t0.Add(time.Hour)
		_, err := s.ConsumeEmailVerification(ctx, tokenHash("verify-2"))
		wantError(t, err, matching.ENOTFOUND, "")
		wantMessage(t, err, "link not valid or expired")
		stored, err := s.User(ctx, u.ID)
		mustNoError(t, err, "read user")
		if diff := cmp.Diff(u, stored); diff != "" {
			t.Errorf("user changed by an expired link:\n%s", diff)
		}
	})

	t.Run("an unknown link is not found", func(t *testing.T) {
		_, err := s.ConsumeEmailVerification(ctx, tokenHash("never issued"))
		wantError(t, err, matching.ENOTFOUND, "")
	})

	t.Run("a disabled account is verified but stays disabled", func(t *testing.T) {
		*clock = t0
		u := mustPendingUser(t, s, matching.UserDisabled)
		mustNoError(t, s.CreateEmailVerification(ctx, u.ID, tokenHash("verify-3"), t0.Add(time.Hour)), "create verification")
		got, err := s.ConsumeEmailVerification(ctx, tokenHash("verify-3"))
		mustNoError(t, err, "consume verification")
		if got.Status != matching.UserDisabled || got.EmailVerifiedAt == nil {
			t.Errorf("user = status %s, verified %v; want disabled and verified", got.Status, got.EmailVerifiedAt)
		}
	})

	t.Run("refusals", func(t *testing.T) {
		*clock = t0
		u := mustPendingUser(t, s, matching.UserPending)
		mustNoError(t, s.CreateEmailVerification(ctx, u.ID, tokenHash("verify-4"), t0.Add(time.Hour)), "create verification")
		tests := []struct {
			name    string
			userID  int64
			hash    []byte
			expires time.Time
			code    string
			field   string
		}{
			{"a link without a token hash is invalid", u.ID, nil, t0.Add(time.Hour), matching.EINVALID, "token_hash"},
			{"a link that has already expired is invalid", u.ID, tokenHash("v5"), t0, matching.EINVALID, "expires_at"},
			{"a link for a user that does not exist is invalid", 999999, tokenHash("v6"), t0.Add(time.Hour), matching.EINVALID, "user_id"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				wantError(t, s.CreateEmailVerification(ctx, tt.userID, tt.hash, tt.expires), tt.code, tt.field)
			})
		}
		// Only the code: the field this primary key names is being settled in db.go.
		err := s.CreateEmailVerification(ctx, u.ID, tokenHash("verify-4"), t0.Add(time.Hour))
		if code := matching.ErrorCode(err); code != matching.ECONFLICT {
			t.Errorf("a token hash in use: got %s (%v), want %s", code, err, matching.ECONFLICT)
		}
	})
}

func TestSetPasswordStatusAndLanguage(t *testing.T) {
	ctx := context.Background()
	s := MustStore(t)
	tests := []struct {
		name  string
		set   func(id int64) error
		code  string
		field string
		check func(u matching.User) bool
	}{
		{"a password hash is replaced", func(id int64) error { return s.SetPassword(ctx, id, fakeHash) }, "", "",
			func(u matching.User) bool { return u.PasswordHash == fakeHash }},
		{"a plain password is refused as a hash", func(id int64) error { return s.SetPassword(ctx, id, "correct horse battery staple") },
			matching.EINVALID, "password_hash", nil},
		{"an empty password hash is refused", func(id int64) error { return s.SetPassword(ctx, id, "") },
			matching.EINVALID, "password_hash", nil},
		{"an account is disabled", func(id int64) error { return s.SetUserStatus(ctx, id, matching.UserDisabled) }, "", "",
			func(u matching.User) bool { return u.Status == matching.UserDisabled }},
		{"an unknown status is refused", func(id int64) error { return s.SetUserStatus(ctx, id, "banned") },
			matching.EINVALID, "status", nil},
		{"the language becomes English", func(id int64) error { return s.SetUserLanguage(ctx, id, "en") }, "", "",
			func(u matching.User) bool { return u.Language == "en" }},
		{"a language without pages is refused", func(id int64) error { return s.SetUserLanguage(ctx, id, "de") },
			matching.EINVALID, "language", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := MustOperator(t, s, MustProvider(t, s).ID)
			err := tt.set(before.ID)
			after, readErr := s.User(ctx, before.ID)
			mustNoError(t, readErr, "read user")
			if tt.code != "" {
				wantError(t, err, tt.code, tt.field)
				if diff := cmp.Diff(before, after); diff != "" {
					t.Errorf("refused change altered the user:\n%s", diff)
				}
				return
			}
			mustNoError(t, err, "set")
			if !tt.check(after) || !after.UpdatedAt.After(before.UpdatedAt) {
				t.Errorf("user after the change = %+v, want the new value and a later update time", after)
			}
			want := after
			want.PasswordHash, want.Status, want.Language, want.UpdatedAt = before.PasswordHash, before.Status, before.Language, before.UpdatedAt
			if diff := cmp.Diff(before, want); diff != "" {
				t.Errorf("other fields changed:\n%s", diff)
			}
		})
	}

	t.Run("a user that does not exist is not found", func(t *testing.T) {
		wantError(t, s.SetPassword(ctx, 999999, fakeHash), matching.ENOTFOUND, "")
		wantError(t, s.SetUserStatus(ctx, 999999, matching.UserActive), matching.ENOTFOUND, "")
		wantError(t, s.SetUserLanguage(ctx, 999999, "it"), matching.ENOTFOUND, "")
	})
}

// signupEmployer returns a new employer and its first user, not yet stored.
func signupEmployer(tb testing.TB) (matching.Employer, matching.User) {
	tb.Helper()
	n := nextSeq()
	vat := vatNumber(tb, n)
	e := matching.Employer{Name: fmt.Sprintf(" Albergo %d ", n), TaxCode: vat, VATNumber: "IT" + vat, ATECOCode: "55.10.00",
		MunicipalityCode: "022205", Email: fmt.Sprintf("Info%d@Albergo.example.it", n), ContactPerson: "Paola Fedrizzi"}
	u := matching.User{Email: fmt.Sprintf(" Paola.Fedrizzi%d@Albergo.example.it", n), Name: "Paola Fedrizzi",
		PasswordHash: fakeHash}
	return e, u
}

// rowCounts returns how many rows each of the tables has.
func rowCounts(tb testing.TB, s *store.DB, tables ...string) map[string]int {
	tb.Helper()
	counts := map[string]int{}
	for _, table := range tables {
		counts[table] = countRows(tb, s, table)
	}
	return counts
}

func TestSignupEmployer(t *testing.T) {
	ctx := context.Background()
	s := MustStore(t)
	e, u := signupEmployer(t)
	wantEmail := strings.ToLower(strings.TrimSpace(u.Email))
	mustNoError(t, s.SignupEmployer(ctx, &e, &u), "sign up")
	if e.ID == 0 || u.ID == 0 || u.EmployerID == nil || *u.EmployerID != e.ID {
		t.Fatalf("employer %d, user %d of employer %v: want both created and tied", e.ID, u.ID, u.EmployerID)
	}
	if u.Role != matching.RoleEmployer || u.Status != matching.UserPending || u.Language != "it" || u.Email != wantEmail {
		t.Errorf("user = %+v, want a pending Italian employer user with a normalised address", u)
	}
	gotE, err := s.Employer(ctx, e.ID)
	mustNoError(t, err, "read employer")
	if diff := cmp.Diff(e, gotE); diff != "" {
		t.Errorf("employer read back differs:\n%s", diff)
	}
	gotU, err := s.User(ctx, u.ID)
	mustNoError(t, err, "read user")
	if diff := cmp.Diff(u, gotU); diff != "" {
		t.Errorf("user read back differs:\n%s", diff)
	}

	existing := MustOperator(t, s, MustProvider(t, s).ID)
	tests := []struct {
		name   string
		change func(e *matching.Employer, u *matching.User)
		code   string
		field  string
	}{
		{"a tax code in use conflicts", func(ne *matching.Employer, _ *matching.User) { ne.TaxCode, ne.VATNumber = e.TaxCode, "" },
			matching.ECONFLICT, "tax_code"},
		{"a user e-mail address in use conflicts", func(_ *matching.Employer, nu *matching.User) { nu.Email = strings.ToUpper(existing.Email) },
			matching.ECONFLICT, "email"},
		{"an invalid tax code is refused", func(ne *matching.Employer, _ *matching.User) { ne.TaxCode = "123" },
			matching.EINVALID, "tax_code"},
		{"a user without a name is refused", func(_ *matching.Employer, nu *matching.User) { nu.Name = "" },
			matching.EINVALID, "name"},
		{"a user tied to a provider is refused", func(_ *matching.Employer, nu *matching.User) { nu.ProviderID = &existing.ID },
			matching.EINVALID, "provider_id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := rowCounts(t, s, "employers", "users")
			ne, nu := signupEmployer(t)
			tt.change(&ne, &nu)
			wantError(t, s.SignupEmployer(ctx, &ne, &nu), tt.code, tt.field)
			if after := rowCounts(t, s, "employers", "users"); !cmp.Equal(before, after) {
				t.Errorf("rows before %v, after %v: a refused sign-up wrote something", before, after)
			}
			if ne.ID != 0 || nu.ID != 0 || nu.EmployerID != nil {
				t.Errorf("ids after a refused sign-up: employer %d, user %d of employer %v; want none", ne.ID, nu.ID, nu.EmployerID)
			}
		})
	}
}

// signupJobseeker returns a new candidate with a CV and its user, not yet
// stored.
func signupJobseeker() (matching.Candidate, matching.User) {
	n := nextSeq()
	c := fullCandidate(fmt.Sprintf("martina%d@example.org", n))
	u := matching.User{Email: fmt.Sprintf("Martina%d@Example.org", n), Name: "Martina Dalpiaz", PasswordHash: fakeHash, Language: "en"}
	return c, u
}

func TestSignupJobseeker(t *testing.T) {
	ctx := context.Background()
	s := MustStore(t)
	c, u := signupJobseeker()
	mustNoError(t, s.SignupJobseeker(ctx, &c, &u), "sign up")
	if c.ID == 0 || u.ID == 0 || u.CandidateID == nil || *u.CandidateID != c.ID {
		t.Fatalf("candidate %d, user %d of candidate %v: want both created and tied", c.ID, u.ID, u.CandidateID)
	}
	if u.Role != matching.RoleJobseeker || u.Status != matching.UserPending || u.Language != "en" {
		t.Errorf("user = %+v, want a pending jobseeker keeping the chosen language", u)
	}
	gotC, err := s.Candidate(ctx, c.ID)
	mustNoError(t, err, "read candidate")
	if !gotC.AccountInactive {
		t.Error("the CV of an account waiting for confirmation reads as active")
	}
	c.AccountInactive = true
	if diff := cmp.Diff(c, gotC); diff != "" {
		t.Errorf("candidate read back differs:\n%s", diff)
	}
	gotU, err := s.User(ctx, u.ID)
	mustNoError(t, err, "read user")
	if diff := cmp.Diff(u, gotU); diff != "" {
		t.Errorf("user read back differs:\n%s", diff)
	}
	if ops := outboxRows(t, s, matching.EntityCandidate, c.ID); !cmp.Equal(ops, []string{matching.OpUpsert}) {
		t.Errorf("outbox rows for the candidate = %v, want one upsert", ops)
	}

	tables := []string{"candidates", "candidate_experiences", "candidate_skills", "users", "outbox"}
	tests := []struct {
		name   string
		change func(c *matching.Candidate, u *matching.User)
		code   string
		field  string
	}{
		{"a candidate e-mail address in use conflicts", func(nc *matching.Candidate, _ *matching.User) { nc.Email = c.Email },
			matching.ECONFLICT, "email"},
		{"a user e-mail address in use conflicts", func(_ *matching.Candidate, nu *matching.User) { nu.Email = u.Email },
			matching.ECONFLICT, "email"},
		{"a candidate without a given name is refused", func(nc *matching.Candidate, _ *matching.User) { nc.GivenName = " " },
			matching.EINVALID, "given_name"},
		{"a user with an unknown language is refused", func(_ *matching.Candidate, nu *matching.User) { nu.Language = "fr" },
			matching.EINVALID, "language"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := rowCounts(t, s, tables...)
			nc, nu := signupJobseeker()
			tt.change(&nc, &nu)
			wantError(t, s.SignupJobseeker(ctx, &nc, &nu), tt.code, tt.field)
			if after := rowCounts(t, s, tables...); !cmp.Equal(before, after) {
				t.Errorf("rows before %v, after %v: a refused sign-up wrote something", before, after)
			}
			if nc.ID != 0 || nu.ID != 0 || nu.CandidateID != nil {
				t.Errorf("ids after a refused sign-up: candidate %d, user %d of candidate %v; want none", nc.ID, nu.ID, nu.CandidateID)
			}
		})
	}
}
