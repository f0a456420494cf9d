package api

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"incontro/matching"
)

// bind decodes a JSON or form body into in; a malformed body is EINVALID
// naming the field when the decoder can tell it.
func bind(c echo.Context, in any) error {
	req := c.Request()
	if req.ContentLength == 0 && req.Header.Get(echo.HeaderContentType) == "" {
		return nil
	}
	if strings.HasPrefix(req.Header.Get(echo.HeaderContentType), echo.MIMEApplicationJSON) {
		dec := json.NewDecoder(http.MaxBytesReader(c.Response(), req.Body, 1<<20))
		dec.DisallowUnknownFields()
		if err := dec.Decode(in); err != nil {
			var te *json.UnmarshalTypeError
			if errors.As(err, &te) {
				return matching.FieldErrorf(te.Field, "has the wrong type: want %s", te.Type)
			}
			if f, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
				return matching.FieldErrorf(strings.Trim(f, `"`), "is not a known field")
			}
			return matching.Errorf(matching.EINVALID, "the body is not valid JSON: %v", err)
		}
		return nil
	}
	if err := (&echo.DefaultBinder{}).BindBody(c, in); err != nil {
		return matching.Errorf(matching.EINVALID, "the body could not be read: %v", err)
	}
	return nil
}

// jsonDetail encodes the detail of an audit event.
func jsonDetail(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		return json.RawMessage(`{}`)
	}
	return b
}

// recordAudit writes an audit event for the request, filling in who and
// from where; the caller decides whether a failure stops the request.
func (s *Server) recordAudit(c echo.Context, ev *matching.AuditEvent) error {
	if s.store == nil {
		return nil
	}
	ctx := c.Request().Context()
	if p := PrincipalFrom(ctx); p != nil {
		if ev.UserID == nil {
			ev.UserID = &p.UserID
		}
		if ev.Role == "" {
			ev.Role = p.Role
		}
	}
	ev.IP = clientIP(c)
	ev.At = s.now()
	return s.store.Audit(ctx, ev)
}

// audit writes an audit event that must not fail the request it records
// (a failed sign-in, a logout); a failure is logged as an internal error.
func (s *Server) audit(c echo.Context, ev *matching.AuditEvent) {
	if err := s.recordAudit(c, ev); err != nil {
		s.logger.LogAttrs(c.Request().Context(), slog.LevelError, "audit", slog.String("request_id", RequestID(c.Request().Context())),
			slog.String("action", ev.Action), slog.String("error", err.Error()))
	}
}
