package api

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"incontro/matching"
	"incontro/ui"
)

// Cookies of the pages: the language of an anonymous visitor, and the flash
// message a form leaves for the page it redirects to.
const (
	LangCookie  = "incontro_lang"
	flashCookie = "incontro_flash"
)

// Role homes: where each role lands after signing in.
const (
	pathWorkbench = "/operatore"
	pathEmployer  = "/datore"
	pathJobseeker = "/candidato"
	pathReports   = "/monitoraggio"
	pathAccounts  = "/admin/utenti"
	pathAccount   = "/account"
	pathLogin     = "/accedi"
)

// HomeOf returns the page a role lands on after signing in.
func HomeOf(r matching.Role) string {
	switch r {
	case matching.RoleAdmin:
		return pathAccounts
	case matching.RoleMonitor:
		return pathReports
	case matching.RoleOperator:
		return pathWorkbench
	case matching.RoleEmployer:
		return pathEmployer
	case matching.RoleJobseeker:
		return pathJobseeker
	}
	return "/"
}

// navOf returns the main navigation of a role (nil: anonymous); labels are
// catalogue keys.
func navOf(r matching.Role) []ui.NavItem {
	switch r {
	case matching.RoleAdmin:
		return []ui.NavItem{{Label: "nav.accounts", Href: pathAccounts}, {Label: "nav.account", Href: pathAccount}}
	case matching.RoleMonitor:
		return []ui.NavItem{{Label: "nav.reports", Href: pathReports}, {Label: "nav.candidates", Href: pathCandidates}, {Label: "nav.accounts", Href: pathAccounts}, {Label: "nav.account", Href: pathAccount}}
	case matching.RoleOperator:
		return []ui.NavItem{{Label: "nav.workbench", Href: pathWorkbench}, {Label: "nav.candidates", Href: pathCandidates}, {Label: "nav.reports", Href: pathReports}, {Label: "nav.account", Href: pathAccount}}
	case matching.RoleEmployer:
		return []ui.NavItem{{Label: "nav.employer", Href: pathEmployer}, {Label: "emp.nav.new_vacancy", Href: ui.EmpNewVacancyPath}, {Label: "nav.account", Href: pathAccount}}
	case matching.RoleJobseeker:
		return []ui.NavItem{{Label: "nav.js_home", Href: pathJobseeker}, {Label: "nav.js_cv", Href: pathJobseekerCV}, {Label: "nav.js_vacancies", Href: pathJobseekerVacancies}, {Label: "nav.account", Href: pathAccount}}
	}
	return []ui.NavItem{{Label: "nav.home", Href: "/"}, {Label: "pub.nav", Href: pathVacancies}, {Label: "nav.login", Href: pathLogin}, {Label: "nav.signup", Href: "/registrati"}}
}

// lang decides the language of a page: ?lang=, then the signed-in user's
// choice, then the visitor's cookie, then the browser's Accept-Language,
// then Italian.
func (s *Server) lang(c echo.Context) string {
	req := c.Request()
	if l := ui.LangFromRequest(req); l != "" {
		return l
	}
	if p := PrincipalFrom(req.Context()); p != nil && ui.SupportedLang(p.Language) {
		return p.Language
	}
	if ck, err := req.Cookie(LangCookie); err == nil && ui.SupportedLang(ck.Value) {
		return ck.Value
	}
	if l := ui.MatchLang(req.Header.Get("Accept-Language")); l != "" {
		return l
	}
	return ui.DefaultLang
}

// Page returns the common data of a page for the request: the title (a key
// of the message catalogue, translated here), language, the signed-in user
// and the CSRF token of their session, the navigation of their role, and
// the flash message left by the previous form, which it clears.
func (s *Server) Page(c echo.Context, titleKey string) ui.Page {
	ctx := c.Request().Context()
	loc := s.renderer.Locale(s.lang(c))
	p := ui.Page{
		Title: loc.T(titleKey), Lang: loc.Lang(), Version: s.version, RequestID: RequestID(ctx),
		Path: c.Request().URL.RequestURI(), Assets: s.renderer.AssetsPresent(), Locale: loc,
	}
	pr := PrincipalFrom(ctx)
	role := matching.Role("")
	if pr != nil {
		role = pr.Role
		p.User = &ui.User{Name: pr.Name, Email: pr.Email, Role: pr.Role, Home: HomeOf(pr.Role)}
	}
	if sess := sessionFrom(ctx); sess != nil {
		p.CSRFToken = sess.CSRFToken
		p.Flash = s.takeFlash(c, sess.CSRFToken)
	}
	for _, item := range navOf(role) {
		item.Current = c.Request().URL.Path == item.Href
		p.Nav = append(p.Nav, item)
	}
	return p
}

// see303 answers a form with a redirect to a page (post/redirect/get).
func see303(c echo.Context, path string) error { return c.Redirect(http.StatusSeeOther, path) }

// localPath returns next when it is a path of this site, and def
// otherwise, so that a crafted link cannot send a user elsewhere after
// signing in.
func localPath(next, def string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return def
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" {
		return def
	}
	return next
}

// fieldErrors turns a coded error into a form's errors: next to its field
// when the form has that field (labels maps each field to the catalogue key
// of its label), as a general error (key "") otherwise.
func fieldErrors(loc ui.Locale, err error, labels map[string]string) ui.FieldErrors {
	text := loc.ErrorText(err)
	field := matching.ErrorField(err)
	if label, ok := labels[field]; ok && field != "" {
		return ui.FieldErrors{field: loc.T(label) + ": " + text}
	}
	return ui.FieldErrors{"": text}
}

// formStatus is the status of a form that comes back with an error: 422
// for invalid input, the error's own status otherwise.
func formStatus(err error) int {
	if st, ok := StatusForCode(matching.ErrorCode(err)); ok && matching.ErrorCode(err) != matching.EINTERNAL {
		return st
	}
	return http.StatusInternalServerError
}

// formError reports whether err is one a form shows to its user; other
// errors (internal ones) go to the error handler.
func formError(err error) bool {
	switch matching.ErrorCode(err) {
	case matching.EINVALID, matching.ECONFLICT, matching.EUNAUTHORIZED, matching.EFORBIDDEN, matching.ERATELIMITED, matching.ENOTFOUND:
		return true
	}
	return false
}

// --- Flash messages ---

// flash is what a form leaves for the next page: a catalogue key with its
// arguments (strings: the messages a flash uses take %s), and possibly a
// secret shown once.
type flash struct {
	Kind        string   `json:"k"`
	Key         string   `json:"m"`
	Args        []string `json:"a,omitempty"`
	Secret      string   `json:"s,omitempty"`
	SecretLabel string   `json:"l,omitempty"`
	SecretArgs  []string `json:"la,omitempty"`
}

// flashAEAD seals flash cookies with a key derived from the session's CSRF
// token: only the session's own browser can read or forge its flash (which
// may carry a new API token), and every replica can open it.
func flashAEAD(csrf string) cipher.AEAD {
	key := sha256.Sum256([]byte("incontro flash\x00" + csrf))
	block, _ := aes.NewCipher(key[:]) // a 32-byte key never fails
	aead, _ := cipher.NewGCM(block)
	return aead
}

// setFlash leaves a flash message for the next page of this session.
func (s *Server) setFlash(c echo.Context, f flash) {
	sess := sessionFrom(c.Request().Context())
	if sess == nil {
		return
	}
	plain, _ := json.Marshal(f)
	aead := flashAEAD(sess.CSRFToken)
	nonce := make([]byte, aead.NonceSize())
	_, _ = rand.Read(nonce)
	sealed := aead.Seal(nonce, nonce, plain, nil)
	c.SetCookie(&http.Cookie{Name: flashCookie, Value: base64.RawURLEncoding.EncodeToString(sealed), Path: "/",
		MaxAge: 120, HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: c.Scheme() == "https"})
}

// takeFlash reads and clears the flash message of the session, if any.
func (s *Server) takeFlash(c echo.Context, csrf string) *ui.Flash {
	ck, err := c.Request().Cookie(flashCookie)
	if err != nil || ck.Value == "" {
		return nil
	}
	c.SetCookie(&http.Cookie{Name: flashCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		SameSite: http.SameSiteStrictMode, Secure: c.Scheme() == "https"})
	// Nothing that reads this page again may show the secret.
	c.Response().Header().Set("Cache-Control", "no-store")
	sealed, err := base64.RawURLEncoding.DecodeString(ck.Value)
	aead := flashAEAD(csrf)
	if err != nil || len(sealed) < aead.NonceSize() {
		return nil
	}
	plain, err := aead.Open(nil, sealed[:aead.NonceSize()], sealed[aead.NonceSize():], nil)
	if err != nil {
		return nil
	}
	var f flash
	if json.Unmarshal(plain, &f) != nil {
		return nil
	}
	loc := s.renderer.Locale(s.lang(c))
	switch f.Kind {
	case "success", "info", "warning", "danger":
	default:
		f.Kind = "info"
	}
	return &ui.Flash{Kind: f.Kind, Text: loc.T(f.Key, anys(f.Args)...), Secret: f.Secret, SecretLabel: loc.T(f.SecretLabel, anys(f.SecretArgs)...)}
}

func anys(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// --- Language ---

// chooseLanguage serves POST /lingua: the language switch. A signed-in
// user's choice is saved in their account, a visitor's in a cookie.
func (s *Server) chooseLanguage(c echo.Context) error {
	lang := c.FormValue("lang")
	if !ui.SupportedLang(lang) {
		return matching.FieldErrorf("lang", "must be it or en")
	}
	if p := PrincipalFrom(c.Request().Context()); p != nil && p.SessionID != 0 {
		if err := s.store.SetUserLanguage(c.Request().Context(), p.UserID, lang); err != nil {
			return err
		}
	}
	c.SetCookie(&http.Cookie{Name: LangCookie, Value: lang, Path: "/", MaxAge: 365 * 24 * 3600,
		SameSite: http.SameSiteLaxMode, Secure: c.Scheme() == "https", HttpOnly: true})
	return see303(c, localPath(stripLang(c.FormValue("next")), "/"))
}

// stripLang removes ?lang= from a local path, which would otherwise
// override the choice just made.
func stripLang(next string) string {
	u, err := url.Parse(next)
	if err != nil || !u.Query().Has("lang") {
		return next
	}
	q := u.Query()
	q.Del("lang")
	u.RawQuery = q.Encode()
	return u.RequestURI()
}

// --- Log-in and log-out ---

// loginPage serves GET /accedi; a signed-in user goes to their home.
func (s *Server) loginPage(c echo.Context) error {
	next := localPath(c.QueryParam("next"), "")
	if p := PrincipalFrom(c.Request().Context()); p != nil {
		return see303(c, localPath(next, HomeOf(p.Role)))
	}
	return s.render(c, http.StatusOK, "login", ui.LoginData{Page: s.Page(c, "login.title"), Next: next,
		SignedOut: c.QueryParam("uscito") == "1"})
}

// loginLabels are the fields of the log-in form.
var loginLabels = map[string]string{"email": "form.email", "password": "form.password"}

// loginSubmit serves POST /accedi: the same sign-in as the API, then the
// user's home (or the page that asked for it).
func (s *Server) loginSubmit(c echo.Context) error {
	in := LoginInput{Email: c.FormValue("email"), Password: c.FormValue("password")}
	next := localPath(c.FormValue("next"), "")
	u, _, err := s.signIn(c, in)
	if err == nil {
		return see303(c, localPath(next, HomeOf(u.Role)))
	}
	if !formError(err) {
		return err
	}
	data := ui.LoginData{Page: s.Page(c, "login.title"), Email: strings.TrimSpace(in.Email), Next: next}
	loc := data.Locale
	switch matching.ErrorCode(err) {
	case matching.EUNAUTHORIZED:
		data.Errors = ui.FieldErrors{"password": loc.T("login.wrong")}
	case matching.ERATELIMITED:
		wait, convErr := strconv.Atoi(c.Response().Header().Get("Retry-After"))
		if convErr != nil {
			wait = 60
		}
		data.Errors = ui.FieldErrors{"": loc.T("login.rate_limited", wait)}
	case matching.EFORBIDDEN:
		data.Errors = ui.FieldErrors{"email": loc.T("form.email") + ": " + loc.ErrorText(err)}
	default:
		data.Errors = fieldErrors(loc, err, loginLabels)
	}
	return s.render(c, formStatus(err), "login", data)
}

// logoutSubmit serves POST /esci: the session ends, the log-in page says so.
func (s *Server) logoutSubmit(c echo.Context) error {
	if err := s.endSession(c); err != nil {
		return err
	}
	return see303(c, pathLogin+"?uscito=1")
}
