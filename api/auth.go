package api

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"hash/fnv"
	"math"
	"net"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"incontro/matching"
	"incontro/password"
)

// Cookie, header and token names of the identity layer.
const (
	SessionCookie = "incontro_session"
	CSRFHeader    = "X-CSRF-Token"
	CSRFField     = "csrf_token"
	tokenPrefix   = "inc_"
)

// Log-in rate limits: failures counted over a sliding window, per account
// and per address.
const (
	loginWindow       = 15 * time.Minute
	maxFailuresPerKey = 5
	maxFailuresPerIP  = 50
)

type principalKey struct{}
type sessionKey struct{}

// PrincipalFrom returns who makes the request, or nil when nobody is signed in.
func PrincipalFrom(ctx context.Context) *matching.Principal {
	p, _ := ctx.Value(principalKey{}).(*matching.Principal)
	return p
}

func sessionFrom(ctx context.Context) *matching.Session {
	s, _ := ctx.Value(sessionKey{}).(*matching.Session)
	return s
}

// newSecret returns a random URL-safe secret of 32 bytes.
func newSecret() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // never fails
	return base64.RawURLEncoding.EncodeToString(b)
}

// hashSecret is how tokens are stored: SHA-256, since they are random and long.
func hashSecret(secret string) []byte {
	h := sha256.Sum256([]byte(secret))
	return h[:]
}

func unsafeMethod(m string) bool {
	return m != http.MethodGet && m != http.MethodHead && m != http.MethodOptions
}

// authenticate finds who makes the request, from an API token (Authorization:
// Bearer) or a session cookie, and checks the CSRF token of state-changing
// requests made with a cookie. Without credentials the request goes on
// anonymously; the route's Access decides.
func (s *Server) authenticate(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if s.store == nil {
			return next(c)
		}
		req := c.Request()
		ctx := req.Context()
		// A state-changing request that a browser says comes from another
		// site is refused, signed in or not (this stops log-in CSRF, which
		// the session's token cannot).
		if unsafeMethod(req.Method) && req.Header.Get("Sec-Fetch-Site") == "cross-site" {
			return matching.Errorf(matching.EFORBIDDEN, "cross-site requests may not change anything")
		}
		if auth := req.Header.Get(echo.HeaderAuthorization); auth != "" {
			secret, ok := strings.CutPrefix(auth, "Bearer ")
			if !ok || !strings.HasPrefix(secret, tokenPrefix) {
				return matching.Errorf(matching.EUNAUTHORIZED, "the Authorization header must be Bearer and an incontro API token")
			}
			tok, u, err := s.store.APITokenByHash(ctx, hashSecret(secret))
			if matching.ErrorCode(err) == matching.ENOTFOUND || (err == nil && (u.Status != matching.UserActive || !s.demoAllowed(u, req))) {
				return matching.Errorf(matching.EUNAUTHORIZED, "the API token is not valid or has been revoked")
			}
			if err != nil {
				return err
			}
			p := matching.PrincipalOf(u)
			p.TokenID = tok.ID
			c.SetRequest(req.WithContext(context.WithValue(ctx, principalKey{}, &p)))
			return next(c)
		}
		cookie, err := req.Cookie(SessionCookie)
		if err != nil || cookie.Value == "" {
			return next(c)
		}
		sess, u, err := s.store.SessionByTokenHash(ctx, hashSecret(cookie.Value))
		now := s.now()
		switch {
		case matching.ErrorCode(err) == matching.ENOTFOUND:
			s.clearSessionCookie(c)
			return next(c)
		case err != nil:
			return err
		case u.Status != matching.UserActive || !s.demoAllowed(u, req) || now.Sub(sess.LastSeenAt) > s.sessionIdle || !now.Before(sess.ExpiresAt):
			if err := s.store.DeleteSession(ctx, sess.ID); err != nil && matching.ErrorCode(err) != matching.ENOTFOUND {
				return err
			}
			s.clearSessionCookie(c)
			return next(c)
		}
		if now.Sub(sess.LastSeenAt) > time.Minute {
			if err := s.store.TouchSession(ctx, sess.ID, now); err != nil {
				return err
			}
			sess.LastSeenAt = now
		}
		p := matching.PrincipalOf(u)
		p.SessionID = sess.ID
		ctx = context.WithValue(ctx, principalKey{}, &p)
		ctx = context.WithValue(ctx, sessionKey{}, &sess)
		c.SetRequest(req.WithContext(ctx))
		if unsafeMethod(req.Method) && !validCSRF(c, sess.CSRFToken) {
			return matching.Errorf(matching.EFORBIDDEN, "missing or wrong CSRF token: send the session's token in the %s header or the %s field", CSRFHeader, CSRFField)
		}
		return next(c)
	}
}

func validCSRF(c echo.Context, want string) bool {
	got := c.Request().Header.Get(CSRFHeader)
	if got == "" {
		ct := c.Request().Header.Get(echo.HeaderContentType)
		if strings.HasPrefix(ct, echo.MIMEApplicationForm) || strings.HasPrefix(ct, echo.MIMEMultipartForm) {
			got = c.FormValue(CSRFField)
		}
	}
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

func (s *Server) setSessionCookie(c echo.Context, secret string, expires time.Time) {
	c.SetCookie(&http.Cookie{
		Name: SessionCookie, Value: secret, Path: "/", Expires: expires,
		MaxAge: int(time.Until(expires).Seconds()), HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: c.Scheme() == "https",
	})
}

func (s *Server) clearSessionCookie(c echo.Context) {
	c.SetCookie(&http.Cookie{Name: SessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: c.Scheme() == "https"})
}

// fromLoopback reports whether the request comes straight from this machine
// (loopback peer, no proxy in between).
func fromLoopback(req *http.Request) bool {
	if req.Header.Get(echo.HeaderXForwardedFor) != "" || req.Header.Get("Forwarded") != "" || req.Header.Get(echo.HeaderXRealIP) != "" {
		return false
	}
	host, _, err := net.SplitHostPort(req.RemoteAddr)
	if err != nil {
		return false
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// demoAllowed reports whether a request may act as the user: a demo
// account, whose password is published, only on a development server or
// from this machine, at sign-in and at every later request.
func (s *Server) demoAllowed(u matching.User, req *http.Request) bool {
	return !u.Demo || s.dev || fromLoopback(req)
}

// clientIP is the address log-in failures are counted against.
func clientIP(c echo.Context) string { return c.RealIP() }

// LoginInput is the body of POST /api/v1/session.
type LoginInput struct {
	Email    string `json:"email" form:"email"`
	Password string `json:"password" form:"password"`
}

// SessionInfo answers a log-in and GET /api/v1/me.
type SessionInfo struct {
	User      matching.User `json:"user"`
	CSRFToken string        `json:"csrf_token,omitempty"`
	ExpiresAt *time.Time    `json:"expires_at,omitempty"`
}

// dummyHash is verified when the account does not exist, so that a log-in
// takes as long whether or not the e-mail address is known.
var dummyHash = func() string {
	h, _ := password.Hash("incontro: no such account", password.Default)
	return h
}()

// retryAfter returns the seconds until the oldest counted failure leaves the window.
func retryAfter(oldest, now time.Time) int {
	return max(1, int(math.Ceil(oldest.Add(loginWindow).Sub(now).Seconds())))
}

// loginLocks serialise the sign-ins of one account within this process,
// so that parallel guesses cannot all pass the failure count before any is
// recorded; hashSlots bound how many argon2 computations (19 MiB each) run
// at once, so that a flood of sign-ins cannot exhaust memory.
type loginGuard struct {
	locks     [64]sync.Mutex
	hashSlots chan struct{}
}

func newLoginGuard() *loginGuard {
	return &loginGuard{hashSlots: make(chan struct{}, 2*runtime.NumCPU())}
}

func (g *loginGuard) lock(email string) func() {
	h := fnv.New32a()
	h.Write([]byte(email))
	m := &g.locks[h.Sum32()%uint32(len(g.locks))]
	m.Lock()
	return m.Unlock
}

// hashing runs fn when a hashing slot is free, or gives up with ctx.
func (g *loginGuard) hashing(ctx context.Context, fn func()) error {
	select {
	case g.hashSlots <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-g.hashSlots }()
	fn()
	return nil
}

// hashPassword hashes a password within the bound on concurrent hashing.
func (s *Server) hashPassword(ctx context.Context, pw string) (string, error) {
	var h string
	var err error
	if gerr := s.guard.hashing(ctx, func() { h, err = password.Hash(pw, password.Default) }); gerr != nil {
		return "", gerr
	}
	return h, err
}

// verifyPassword checks a password against its hash within the bound on
// concurrent hashing.
func (s *Server) verifyPassword(ctx context.Context, hash, pw string) (bool, error) {
	var ok bool
	if err := s.guard.hashing(ctx, func() { ok, _ = password.Verify(hash, pw) }); err != nil {
		return false, err
	}
	return ok, nil
}

// rateLimited refuses a request for too many attempts, saying in the
// message and the Retry-After header when to try again.
func rateLimited(c echo.Context, oldest, now time.Time, what string) error {
	wait := retryAfter(oldest, now)
	c.Response().Header().Set("Retry-After", strconv.Itoa(wait))
	return matching.Errorf(matching.ERATELIMITED, "%s: try again in %d s", what, wait)
}

// login signs a user in with e-mail and password and starts a session.
func (s *Server) login(c echo.Context) error {
	var in LoginInput
	if err := bind(c, &in); err != nil {
		return err
	}
	u, sess, err := s.signIn(c, in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, SessionInfo{User: u, CSRFToken: sess.CSRFToken, ExpiresAt: &sess.ExpiresAt})
}

// signIn checks e-mail and password against the failure limits, starts a
// session and sets its cookie: the log-in of the API and of the page.
func (s *Server) signIn(c echo.Context, in LoginInput) (matching.User, matching.Session, error) {
	ctx := c.Request().Context()
	email := matching.NormalizeEmail(in.Email)
	if email == "" {
		return matching.User{}, matching.Session{}, matching.FieldErrorf("email", "is required")
	}
	if in.Password == "" {
		return matching.User{}, matching.Session{}, matching.FieldErrorf("password", "is required")
	}
	defer s.guard.lock(email)()
	now := s.now()
	ip := clientIP(c)
	counts, err := s.store.LoginFailures(ctx, email, ip, now.Add(-loginWindow))
	if err != nil {
		return matching.User{}, matching.Session{}, err
	}
	if counts.ByEmail >= maxFailuresPerKey || counts.ByIP >= maxFailuresPerIP {
		oldest := counts.OldestByEmail
		if counts.ByIP >= maxFailuresPerIP {
			oldest = counts.OldestByIP
		}
		s.audit(c, &matching.AuditEvent{Action: "login_refused", Detail: jsonDetail(map[string]any{"email": email, "reason": "rate_limited"})})
		return matching.User{}, matching.Session{}, rateLimited(c, oldest, now, "too many failed sign-in attempts")
	}
	u, err := s.store.UserByEmail(ctx, email)
	known := err == nil
	if err != nil && matching.ErrorCode(err) != matching.ENOTFOUND {
		return matching.User{}, matching.Session{}, err
	}
	hash := dummyHash
	if known && u.PasswordHash != "" {
		hash = u.PasswordHash
	}
	ok, err := s.verifyPassword(ctx, hash, in.Password)
	if err != nil {
		return matching.User{}, matching.Session{}, err
	}
	if !known || !ok {
		if err := s.store.RecordLoginFailure(ctx, email, ip); err != nil {
			return matching.User{}, matching.Session{}, err
		}
		ev := &matching.AuditEvent{Action: "login_failed", Detail: jsonDetail(map[string]any{"email": email})}
		if known {
			ev.UserID = &u.ID
		}
		s.audit(c, ev)
		return matching.User{}, matching.Session{}, matching.Errorf(matching.EUNAUTHORIZED, "wrong e-mail address or password")
	}
	switch {
	case !s.demoAllowed(u, c.Request()):
		s.audit(c, &matching.AuditEvent{UserID: &u.ID, Action: "login_refused", Detail: jsonDetail(map[string]any{"reason": "demo_account"})})
		return matching.User{}, matching.Session{}, matching.Errorf(matching.EFORBIDDEN, "demo accounts work only on a development server or from this machine")
	case u.Status == matching.UserPending:
		return matching.User{}, matching.Session{}, matching.Errorf(matching.EFORBIDDEN, "confirm your e-mail address first: follow the link we sent you")
	case u.Status == matching.UserDisabled:
		s.audit(c, &matching.AuditEvent{UserID: &u.ID, Action: "login_refused", Detail: jsonDetail(map[string]any{"reason": "disabled"})})
		return matching.User{}, matching.Session{}, matching.Errorf(matching.EFORBIDDEN, "this account is disabled")
	}
	if err := s.store.ClearLoginFailures(ctx, email); err != nil {
		return matching.User{}, matching.Session{}, err
	}
	secret := newSecret()
	sess := matching.Session{UserID: u.ID, CSRFToken: newSecret(), CreatedAt: now, LastSeenAt: now,
		ExpiresAt: now.Add(s.sessionMax), IP: ip, UserAgent: truncate(c.Request().UserAgent(), 300)}
	if err := s.store.CreateSession(ctx, &sess, hashSecret(secret)); err != nil {
		return matching.User{}, matching.Session{}, err
	}
	s.setSessionCookie(c, secret, sess.ExpiresAt)
	s.audit(c, &matching.AuditEvent{UserID: &u.ID, Role: u.Role, Action: "login", ObjectType: "session", ObjectID: &sess.ID})
	return u, sess, nil
}

// logout ends the current session.
func (s *Server) logout(c echo.Context) error {
	if err := s.endSession(c); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// endSession ends the caller's session and clears its cookie.
func (s *Server) endSession(c echo.Context) error {
	p := PrincipalFrom(c.Request().Context())
	if p.SessionID == 0 {
		return matching.Errorf(matching.EINVALID, "an API token has no session to end: revoke the token instead")
	}
	if err := s.store.DeleteSession(c.Request().Context(), p.SessionID); err != nil {
		return err
	}
	s.clearSessionCookie(c)
	s.audit(c, &matching.AuditEvent{Action: "logout", ObjectType: "session", ObjectID: &p.SessionID})
	return nil
}

// logoutEverywhere ends every session of the user, this one included.
func (s *Server) logoutEverywhere(c echo.Context) error {
	n, err := s.endAllSessions(c)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]int{"sessions_ended": n})
}

// endAllSessions ends every session of the caller and clears the cookie.
func (s *Server) endAllSessions(c echo.Context) (int, error) {
	p := PrincipalFrom(c.Request().Context())
	n, err := s.store.DeleteUserSessions(c.Request().Context(), p.UserID, 0)
	if err != nil {
		return 0, err
	}
	s.clearSessionCookie(c)
	s.audit(c, &matching.AuditEvent{Action: "logout_everywhere", Detail: jsonDetail(map[string]any{"sessions": n})})
	return n, nil
}

// me returns the signed-in user and, for a session, its CSRF token.
func (s *Server) me(c echo.Context) error {
	ctx := c.Request().Context()
	p := PrincipalFrom(ctx)
	u, err := s.store.User(ctx, p.UserID)
	if err != nil {
		return err
	}
	info := SessionInfo{User: u}
	if sess := sessionFrom(ctx); sess != nil {
		info.CSRFToken = sess.CSRFToken
		info.ExpiresAt = &sess.ExpiresAt
	}
	return c.JSON(http.StatusOK, info)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
