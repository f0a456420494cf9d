package api

import (
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"incontro/matching"
	"incontro/ui"
)

// ErrorBody is the JSON body of every error response under /api.
type ErrorBody struct {
	Error ErrorDetail `json:"error"`
}

// ErrorDetail describes an error: its code (one of the matching codes), a
// message for the client, the offending field if any and the request id.
type ErrorDetail struct {
	Code      string `json:"code"`
	Message   string `json:"message"`
	Field     string `json:"field,omitempty"`
	RequestID string `json:"request_id,omitempty"`
}

// StatusForCode returns the HTTP status of a matching error code, and false
// for an unknown code.
func StatusForCode(code string) (int, bool) {
	switch code {
	case matching.EINVALID:
		return http.StatusUnprocessableEntity, true
	case matching.ENOTFOUND:
		return http.StatusNotFound, true
	case matching.ECONFLICT:
		return http.StatusConflict, true
	case matching.EUNAUTHORIZED:
		return http.StatusUnauthorized, true
	case matching.EFORBIDDEN:
		return http.StatusForbidden, true
	case matching.ERATELIMITED:
		return http.StatusTooManyRequests, true
	case matching.EINTERNAL:
		return http.StatusInternalServerError, true
	}
	return 0, false
}

// codeForStatus returns the matching code closest to an HTTP status produced
// by echo itself (router misses, bad bindings, middleware refusals).
func codeForStatus(status int) string {
	switch {
	case status == http.StatusNotFound || status == http.StatusGone:
		return matching.ENOTFOUND
	case status == http.StatusUnauthorized:
		return matching.EUNAUTHORIZED
	case status == http.StatusForbidden:
		return matching.EFORBIDDEN
	case status == http.StatusConflict:
		return matching.ECONFLICT
	case status == http.StatusTooManyRequests:
		return matching.ERATELIMITED
	case status >= 400 && status < 500:
		return matching.EINVALID
	}
	return matching.EINTERNAL
}

// internalMessage is the only message clients see for internal errors.
const internalMessage = "internal error"

// classified is an error reduced to what the client is told.
type classified struct {
	status  int
	code    string
	message string
	field   string
	// domain is true for a *matching.Error, whose message is meant for users.
	domain bool
}

// classify maps err to a status and code: a *matching.Error by its code, an
// *echo.HTTPError by its status (kept), anything else as internal.
func classify(err error) classified {
	var me *matching.Error
	if errors.As(err, &me) {
		status, ok := StatusForCode(me.Code)
		if !ok || me.Code == matching.EINTERNAL {
			return classified{status: http.StatusInternalServerError, code: matching.EINTERNAL, message: internalMessage}
		}
		return classified{status: status, code: me.Code, message: me.Message, field: me.Field, domain: true}
	}
	var he *echo.HTTPError
	if errors.As(err, &he) {
		if inner, ok := he.Internal.(*echo.HTTPError); ok {
			he = inner
		}
		status := he.Code
		code := codeForStatus(status)
		if code == matching.EINTERNAL {
			if status < 500 || status > 599 {
				status = http.StatusInternalServerError
			}
			return classified{status: status, code: code, message: internalMessage}
		}
		return classified{status: status, code: code, message: httpErrorMessage(he)}
	}
	return classified{status: http.StatusInternalServerError, code: matching.EINTERNAL, message: internalMessage}
}

// httpErrorMessage returns the message of an echo error as a string.
func httpErrorMessage(he *echo.HTTPError) string {
	switch m := he.Message.(type) {
	case string:
		return m
	case error:
		return m.Error()
	case nil:
		return http.StatusText(he.Code)
	default:
		return fmt.Sprint(m)
	}
}

// handleError is the echo HTTPErrorHandler: the one place where errors become
// responses. Internal errors are logged with the request id and their detail
// is hidden; the response is JSON under /api or when the client asks for
// JSON, the HTML error page otherwise.
func (s *Server) handleError(err error, c echo.Context) {
	ce := classify(err)
	if ce.code == matching.EINTERNAL {
		s.logInternal(c, err)
	}
	if c.Response().Committed {
		return
	}
	req := c.Request()
	rid := RequestID(req.Context())
	if req.Method == http.MethodHead {
		s.writeFailed(c, c.NoContent(ce.status))
		return
	}
	if wantsJSON(req) {
		s.writeFailed(c, c.JSON(ce.status, ErrorBody{Error: ErrorDetail{
			Code: ce.code, Message: ce.message, Field: ce.field, RequestID: rid,
		}}))
		return
	}
	if ce.status == http.StatusUnauthorized && req.Method == http.MethodGet {
		// A page that needs a signed-in user answers with the log-in form,
		// which brings the user back here.
		data := ui.LoginData{Page: s.Page(c, "error.unauthorized_title"), Required: true, Next: localPath(req.URL.RequestURI(), "")}
		if rerr := s.render(c, ce.status, "login", data); rerr == nil {
			return
		}
	}
	titleKey, messageKey := pageText(ce.status)
	data := ui.ErrorData{Page: s.Page(c, titleKey), Status: ce.status, SignIn: ce.status == http.StatusUnauthorized}
	data.Message = data.Locale.T(messageKey)
	// The domain message says more than the status: in the page's language
	// when the catalogue has it, as it was written otherwise.
	if ce.domain && ce.message != "" {
		data.Detail = ce.message
		if key := "error." + ce.message; data.Locale.Has(key) {
			data.Detail = data.Locale.T(key)
		}
	}
	if rerr := s.render(c, ce.status, "error", data); rerr != nil {
		s.logger.LogAttrs(req.Context(), slog.LevelError, "render error page",
			slog.String("request_id", rid), slog.String("error", rerr.Error()))
		s.writeFailed(c, c.String(ce.status, data.Title+". "+data.Message+" Codice di riferimento: "+rid))
	}
}

// writeFailed logs the failure to write an error response, if any.
func (s *Server) writeFailed(c echo.Context, err error) {
	if err != nil {
		s.logger.LogAttrs(c.Request().Context(), slog.LevelWarn, "write error response",
			slog.String("request_id", RequestID(c.Request().Context())), slog.String("error", err.Error()))
	}
}

// logInternal logs an internal error with the request id and, for a
// recovered panic, its stack.
func (s *Server) logInternal(c echo.Context, err error) {
	req := c.Request()
	attrs := []slog.Attr{
		slog.String("request_id", RequestID(req.Context())),
		slog.String("method", req.Method),
		slog.String("path", req.URL.Path),
		slog.String("route", c.Path()),
		slog.String("error", err.Error()),
	}
	var pe *panicError
	if errors.As(err, &pe) {
		attrs = append(attrs, slog.String("stack", string(pe.stack)))
	}
	s.logger.LogAttrs(req.Context(), slog.LevelError, "internal error", attrs...)
}

// wantsJSON reports whether the error response should be JSON: always under
// /api, elsewhere when the client lists a JSON type and does not list HTML
// (wildcards do not count, so browsers and curl get the HTML page).
func wantsJSON(req *http.Request) bool {
	p := req.URL.Path
	if p == "/api" || strings.HasPrefix(p, "/api/") {
		return true
	}
	jsonListed, htmlListed := false, false
	for _, part := range strings.Split(req.Header.Get(echo.HeaderAccept), ",") {
		mt, _, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		switch {
		case mt == "application/json" || strings.HasSuffix(mt, "+json"):
			jsonListed = true
		case mt == "text/html" || mt == "application/xhtml+xml":
			htmlListed = true
		}
	}
	return jsonListed && !htmlListed
}

// pageText returns the catalogue keys of the error page's title and
// default message for a status.
func pageText(status int) (title, message string) {
	switch {
	case status == http.StatusNotFound || status == http.StatusGone:
		return "error.not_found_title", "error.not_found"
	case status == http.StatusMethodNotAllowed:
		return "error.method_title", "error.method"
	case status == http.StatusUnauthorized:
		return "error.unauthorized_title", "error.unauthorized"
	case status == http.StatusForbidden:
		return "error.forbidden_title", "error.forbidden"
	case status == http.StatusConflict:
		return "error.conflict_title", "error.conflict"
	case status == http.StatusTooManyRequests:
		return "error.rate_limited_title", "error.rate_limited"
	case status >= 400 && status < 500:
		return "error.invalid_title", "error.invalid"
	}
	return "error.internal_title", "error.internal"
}
