package api

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"incontro/matching"
	"incontro/ui"
)

// verificationTTL is how long an e-mail verification link works.
const verificationTTL = 48 * time.Hour

// defaultMobilityKm is the distance a jobseeker who does not say otherwise
// is assumed willing to travel; they change it in their CV.
const defaultMobilityKm = 20

// CompanyInput is the company of an employer's sign-up.
type CompanyInput struct {
	Name             string `json:"name"`
	TaxCode          string `json:"tax_code"`
	VATNumber        string `json:"vat_number"`
	ATECOCode        string `json:"ateco_code"`
	MunicipalityCode string `json:"municipality_code"`
	Address          string `json:"address"`
	Email            string `json:"email"`
	Phone            string `json:"phone"`
	ContactPerson    string `json:"contact_person"`
	Website          string `json:"website"`
}

// EmployerSignupInput is the body of POST /api/v1/signup/employer: the
// company and its first user.
type EmployerSignupInput struct {
	Company  CompanyInput `json:"company"`
	Name     string       `json:"name"`
	Email    string       `json:"email"`
	Password string       `json:"password"`
}

// JobseekerSignupInput is the body of POST /api/v1/signup/jobseeker.
type JobseekerSignupInput struct {
	GivenName        string `json:"given_name"`
	FamilyName       string `json:"family_name"`
	Email            string `json:"email"`
	Password         string `json:"password"`
	HomeMunicipality string `json:"home_municipality_code"`
	MobilityKm       *int   `json:"mobility_km"`
}

// SignupResult answers a sign-up: the new, pending account and, on a
// development server only, the link that confirms its e-mail address.
type SignupResult struct {
	User             matching.User `json:"user"`
	VerificationLink string        `json:"verification_link,omitempty"`
}

// inField returns err with its field inside prefix, e.g. "company.tax_code".
func inField(err error, prefix string) error {
	return withField(err, func(f string) string { return prefix + "." + f })
}

// renamedField returns err naming field to instead of from.
func renamedField(err error, from, to string) error {
	return withField(err, func(f string) string {
		if f == from {
			return to
		}
		return f
	})
}

// withField returns a copy of the coded error in err with its field
// renamed, or err itself when it names no field.
func withField(err error, rename func(string) string) error {
	var me *matching.Error
	if !errors.As(err, &me) || me.Field == "" {
		return err
	}
	cp := *me
	cp.Field = rename(me.Field)
	return &cp
}

// signupEmployer registers a company and its first user, pending until the
// e-mail address is confirmed.
func (s *Server) signupEmployer(c echo.Context) error {
	var in EmployerSignupInput
	if err := bind(c, &in); err != nil {
		return err
	}
	res, err := s.registerEmployer(c, in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, res)
}

// registerEmployer validates and stores an employer's sign-up and sends
// the confirmation link: the sign-up of the API and of the page.
func (s *Server) registerEmployer(c echo.Context, in EmployerSignupInput) (SignupResult, error) {
	e := matching.Employer{
		Name: in.Company.Name, TaxCode: in.Company.TaxCode, VATNumber: in.Company.VATNumber, ATECOCode: in.Company.ATECOCode,
		MunicipalityCode: in.Company.MunicipalityCode, Address: strings.TrimSpace(in.Company.Address), Email: in.Company.Email,
		Phone: strings.TrimSpace(in.Company.Phone), ContactPerson: strings.TrimSpace(in.Company.ContactPerson),
		Website: strings.TrimSpace(in.Company.Website),
	}
	e.Normalize()
	if err := e.Validate(); err != nil {
		return SignupResult{}, inField(err, "company")
	}
	u := matching.User{Email: matching.NormalizeEmail(in.Email), Name: strings.TrimSpace(in.Name)}
	if err := s.prepareSignup(c.Request().Context(), &u, matching.RoleEmployer, in.Password); err != nil {
		return SignupResult{}, err
	}
	err := s.store.SignupEmployer(c.Request().Context(), &e, &u)
	if f := matching.ErrorField(err); matching.ErrorCode(err) == matching.ECONFLICT && (f == "tax_code" || f == "vat_number") {
		// The company's codes are unique, and so is the user's e-mail
		// address, which is not the company's field.
		return SignupResult{}, inField(err, "company")
	}
	if err != nil {
		return SignupResult{}, err
	}
	return s.signedUp(c, u, map[string]any{"employer_id": e.ID})
}

// signupJobseeker registers a jobseeker with a first, minimal CV, pending
// until the e-mail address is confirmed. The CV is neither searchable nor
// presentable until the jobseeker says so.
func (s *Server) signupJobseeker(c echo.Context) error {
	var in JobseekerSignupInput
	if err := bind(c, &in); err != nil {
		return err
	}
	res, err := s.registerJobseeker(c, in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, res)
}

// registerJobseeker validates and stores a jobseeker's sign-up and sends
// the confirmation link: the sign-up of the API and of the page.
func (s *Server) registerJobseeker(c echo.Context, in JobseekerSignupInput) (SignupResult, error) {
	cand := matching.Candidate{GivenName: in.GivenName, FamilyName: in.FamilyName, Email: in.Email,
		HomeMunicipality: strings.TrimSpace(in.HomeMunicipality), MobilityKm: defaultMobilityKm}
	if in.MobilityKm != nil {
		cand.MobilityKm = *in.MobilityKm
	}
	cand.Normalize()
	if err := cand.Validate(); err != nil {
		return SignupResult{}, err
	}
	u := matching.User{Email: cand.Email, Name: cand.GivenName + " " + cand.FamilyName}
	if err := s.prepareSignup(c.Request().Context(), &u, matching.RoleJobseeker, in.Password); err != nil {
		return SignupResult{}, err
	}
	if err := s.store.SignupJobseeker(c.Request().Context(), &cand, &u); err != nil {
		return SignupResult{}, err
	}
	return s.signedUp(c, u, map[string]any{"candidate_id": cand.ID})
}

// prepareSignup validates a self-registered user and their password and
// sets the password's hash; the user is pending, in Italian.
func (s *Server) prepareSignup(ctx context.Context, u *matching.User, role matching.Role, pw string) error {
	u.Role, u.Status, u.Language = role, matching.UserPending, "it"
	// The record the user belongs to gets its id in the store's transaction;
	// a placeholder lets the user's own fields be checked before anything
	// is written.
	check := *u
	switch role {
	case matching.RoleEmployer:
		check.EmployerID = new(int64)
	case matching.RoleJobseeker:
		check.CandidateID = new(int64)
	}
	if err := check.Validate(); err != nil {
		return err
	}
	if err := matching.CheckPassword(pw, u.Email, u.Name); err != nil {
		return err
	}
	h, err := s.hashPassword(ctx, pw)
	if err != nil {
		return err
	}
	u.PasswordHash = h
	return nil
}

// signedUp sends the new user the link that confirms their e-mail address
// and records the sign-up.
func (s *Server) signedUp(c echo.Context, u matching.User, detail map[string]any) (SignupResult, error) {
	link, err := s.sendVerification(c, u)
	if err != nil {
		return SignupResult{}, err
	}
	s.audit(c, &matching.AuditEvent{UserID: &u.ID, Role: u.Role, Action: "signup", ObjectType: "user", ObjectID: &u.ID,
		Detail: jsonDetail(detail)})
	res := SignupResult{User: u}
	if s.dev {
		res.VerificationLink = link
	}
	return res, nil
}

// sendVerification stores a fresh verification token for the user, hashed,
// and makes the link that uses it.
func (s *Server) sendVerification(c echo.Context, u matching.User) (string, error) {
	ctx := c.Request().Context()
	secret := newSecret()
	if err := s.store.CreateEmailVerification(ctx, u.ID, hashSecret(secret), s.now().Add(verificationTTL)); err != nil {
		return "", err
	}
	// The link is built from the request's own scheme and host, which a
	// client can forge; a configured public URL should replace them once
	// links are really e-mailed.
	link := c.Scheme() + "://" + c.Request().Host + "/account/verify?token=" + url.QueryEscape(secret)
	// There is no mailer yet: the link is logged instead of being e-mailed.
	s.logger.LogAttrs(ctx, slog.LevelInfo, "e-mail verification link",
		slog.String("request_id", RequestID(ctx)), slog.Int64("user_id", u.ID),
		slog.String("email", u.Email), slog.String("link", link))
	return link, nil
}

// VerifyEmailInput is the body of POST /api/v1/verify-email.
type VerifyEmailInput struct {
	Token string `json:"token" form:"token"`
}

// consumeVerification uses up a verification token and records it.
func (s *Server) consumeVerification(c echo.Context, token string) (matching.User, error) {
	token = strings.TrimSpace(token)
	if token == "" {
		return matching.User{}, matching.FieldErrorf("token", "is required")
	}
	u, err := s.store.ConsumeEmailVerification(c.Request().Context(), hashSecret(token))
	if matching.ErrorCode(err) == matching.ENOTFOUND {
		return matching.User{}, matching.FieldErrorf("token", "is not valid or has expired")
	}
	if err != nil {
		return matching.User{}, err
	}
	s.audit(c, &matching.AuditEvent{UserID: &u.ID, Role: u.Role, Action: "email_verified", ObjectType: "user", ObjectID: &u.ID})
	return u, nil
}

// verifyEmail confirms an e-mail address through the API.
func (s *Server) verifyEmail(c echo.Context) error {
	var in VerifyEmailInput
	if err := bind(c, &in); err != nil {
		return err
	}
	u, err := s.consumeVerification(c, in.Token)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]matching.User{"user": u})
}

// verifyEmailPage confirms an e-mail address from the link of the e-mail.
func (s *Server) verifyEmailPage(c echo.Context) error {
	_, err := s.consumeVerification(c, c.QueryParam("token"))
	switch matching.ErrorCode(err) {
	case "":
		return s.render(c, http.StatusOK, "verified", ui.VerifiedData{Page: s.Page(c, "verified.title"), Verified: true})
	case matching.EINVALID:
		data := ui.VerifiedData{Page: s.Page(c, "verified.invalid_title")}
		data.Message = data.Locale.T("verified.invalid")
		return s.render(c, http.StatusNotFound, "verified", data)
	}
	return err
}

// PasswordChangeInput is the body of PUT /api/v1/me/password.
type PasswordChangeInput struct {
	CurrentPassword string `json:"current_password"`
	NewPassword     string `json:"new_password"`
}

// changePassword replaces the caller's password after checking the current
// one, and ends every other session of theirs.
func (s *Server) changePassword(c echo.Context) error {
	var in PasswordChangeInput
	if err := bind(c, &in); err != nil {
		return err
	}
	n, err := s.changeOwnPassword(c, in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]int{"sessions_ended": n})
}

// changeOwnPassword checks and replaces the caller's password and ends
// their other sessions, returning how many ended.
func (s *Server) changeOwnPassword(c echo.Context, in PasswordChangeInput) (int, error) {
	if in.CurrentPassword == "" {
		return 0, matching.FieldErrorf("current_password", "is required")
	}
	if in.NewPassword == "" {
		return 0, matching.FieldErrorf("new_password", "is required")
	}
	ctx := c.Request().Context()
	p := PrincipalFrom(ctx)
	u, err := s.store.User(ctx, p.UserID)
	if err != nil {
		return 0, err
	}
	if err := s.checkOwnPassword(c, u, in.CurrentPassword, "current_password", "password_change_failed"); err != nil {
		return 0, err
	}
	if err := matching.CheckPassword(in.NewPassword, u.Email, u.Name); err != nil {
		return 0, renamedField(err, "password", "new_password")
	}
	if in.NewPassword == in.CurrentPassword {
		return 0, matching.FieldErrorf("new_password", "must differ from the current password")
	}
	h, err := s.hashPassword(ctx, in.NewPassword)
	if err != nil {
		return 0, err
	}
	if err := s.store.SetPassword(ctx, u.ID, h); err != nil {
		return 0, err
	}
	// With an API token there is no current session: every session ends.
	n, err := s.store.DeleteUserSessions(ctx, u.ID, p.SessionID)
	if err != nil {
		return 0, err
	}
	s.audit(c, &matching.AuditEvent{Action: "password_changed", ObjectType: "user", ObjectID: &u.ID,
		Detail: jsonDetail(map[string]int{"sessions_ended": n})})
	return n, nil
}

// checkOwnPassword checks the password a signed-in user typed again to
// confirm a change to their account (field names the form's field, action
// the audit event of a wrong one). Wrong passwords count as failed
// sign-ins, so that a stolen session cannot be used to guess the password
// faster than the log-in form allows.
func (s *Server) checkOwnPassword(c echo.Context, u matching.User, pw, field, action string) error {
	ctx := c.Request().Context()
	now, ip := s.now(), clientIP(c)
	counts, err := s.store.LoginFailures(ctx, u.Email, ip, now.Add(-loginWindow))
	if err != nil {
		return err
	}
	if counts.ByEmail >= maxFailuresPerKey {
		return rateLimited(c, counts.OldestByEmail, now, "too many wrong passwords")
	}
	ok, err := s.verifyPassword(ctx, u.PasswordHash, pw)
	if err != nil {
		return err
	}
	if !ok {
		if err := s.store.RecordLoginFailure(ctx, u.Email, ip); err != nil {
			return err
		}
		s.audit(c, &matching.AuditEvent{Action: action, ObjectType: "user", ObjectID: &u.ID})
		return matching.FieldErrorf(field, "is wrong")
	}
	return nil
}

// TokenInput is the body of POST /api/v1/me/tokens.
type TokenInput struct {
	Name string `json:"name"`
}

// NewToken answers the creation of an API token: the token itself, shown
// only this once, and what is stored about it.
type NewToken struct {
	matching.APIToken
	Token string `json:"token"`
}

// apiTokens lists the caller's API tokens, revoked ones included; the
// tokens themselves are never stored, so never shown.
func (s *Server) apiTokens(c echo.Context) error {
	ctx := c.Request().Context()
	tokens, err := s.store.APITokens(ctx, PrincipalFrom(ctx).UserID)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"items": tokens, "total": len(tokens)})
}

// createAPIToken makes an API token for the caller, acting with their role.
func (s *Server) createAPIToken(c echo.Context) error {
	var in TokenInput
	if err := bind(c, &in); err != nil {
		return err
	}
	t, err := s.mintAPIToken(c, in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, t)
}

// mintAPIToken makes an API token for the signed-in caller and records it.
func (s *Server) mintAPIToken(c echo.Context, in TokenInput) (NewToken, error) {
	ctx := c.Request().Context()
	p := PrincipalFrom(ctx)
	if p.TokenID != 0 {
		// A leaked token must not be able to outlive its revocation by
		// minting others.
		return NewToken{}, matching.Errorf(matching.EFORBIDDEN, "an API token cannot create API tokens: sign in to create one")
	}
	secret := tokenPrefix + newSecret()
	t := matching.APIToken{UserID: p.UserID, Name: in.Name}
	if err := s.store.CreateAPIToken(ctx, &t, hashSecret(secret)); err != nil {
		return NewToken{}, err
	}
	s.audit(c, &matching.AuditEvent{Action: "token_created", ObjectType: "api_token", ObjectID: &t.ID,
		Detail: jsonDetail(map[string]string{"name": t.Name})})
	return NewToken{APIToken: t, Token: secret}, nil
}

// revokeAPIToken revokes one of the caller's API tokens; another user's
// token is not found.
func (s *Server) revokeAPIToken(c echo.Context) error {
	ctx := c.Request().Context()
	p := PrincipalFrom(ctx)
	id, err := pathID(c, "id", "API token")
	if err != nil {
		return err
	}
	if err := s.revokeOwnToken(c, p.UserID, id); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// revokeOwnToken revokes one of the user's API tokens and records it.
func (s *Server) revokeOwnToken(c echo.Context, userID, id int64) error {
	if err := s.store.RevokeAPIToken(c.Request().Context(), userID, id); err != nil {
		return err
	}
	s.audit(c, &matching.AuditEvent{Action: "token_revoked", ObjectType: "api_token", ObjectID: &id})
	return nil
}

// pathID returns the numeric id in the path parameter param; a malformed
// one means the record of that kind does not exist.
func pathID(c echo.Context, param, kind string) (int64, error) {
	id, err := strconv.ParseInt(c.Param(param), 10, 64)
	if err != nil || id <= 0 {
		return 0, matching.Errorf(matching.ENOTFOUND, "%s not found", kind)
	}
	return id, nil
}

// ResendInput is the body of POST /api/v1/verify-email/resend.
type ResendInput struct {
	Email string `json:"email" form:"email"`
}

// resendVerification sends a new confirmation link to an account that
// waits for one. The answer is the same whether or not such an account
// exists, so that it tells nobody which addresses are registered; requests
// count against the log-in limit of the address, so that it cannot flood
// anyone's mailbox.
func (s *Server) resendVerification(c echo.Context) error {
	var in ResendInput
	if err := bind(c, &in); err != nil {
		return err
	}
	email := matching.NormalizeEmail(in.Email)
	if !matching.ValidEmail(email) {
		return matching.FieldErrorf("email", "is not a valid e-mail address")
	}
	ctx := c.Request().Context()
	now := s.now()
	counts, err := s.store.LoginFailures(ctx, email, clientIP(c), now.Add(-loginWindow))
	if err != nil {
		return err
	}
	if counts.ByEmail >= maxFailuresPerKey {
		return rateLimited(c, counts.OldestByEmail, now, "too many requests for this address")
	}
	if err := s.store.RecordLoginFailure(ctx, email, clientIP(c)); err != nil {
		return err
	}
	u, err := s.store.UserByEmail(ctx, email)
	switch {
	case matching.ErrorCode(err) == matching.ENOTFOUND:
	case err != nil:
		return err
	case u.Status == matching.UserPending:
		if _, err := s.sendVerification(c, u); err != nil {
			return err
		}
		s.audit(c, &matching.AuditEvent{UserID: &u.ID, Role: u.Role, Action: "verification_resent", ObjectType: "user", ObjectID: &u.ID})
	}
	return c.JSON(http.StatusAccepted, map[string]string{
		"message": "if an account with this address is waiting for confirmation, a new link is on its way",
	})
}
