package api

import (
	"fmt"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"incontro/matching"
	"incontro/store"
)

// Time against the standard: operators record their time on a request by
// activity, by hand or with a running timer; a request's hours against the
// 4C and 4D bands are derived from its entries on every read.

// timeActor is the signed-in caller as the actor of a time change.
func timeActor(c echo.Context) store.Actor {
	p := PrincipalFrom(c.Request().Context())
	return store.Actor{UserID: p.UserID, Role: p.Role, IP: clientIP(c)}
}

// TimeEntryInput is the body of POST /api/v1/requests/{id}/time-entries.
// The phase follows from the activity and may be left out; when given it
// must be the activity's.
type TimeEntryInput struct {
	Activity  string         `json:"activity"`
	Phase     matching.Phase `json:"phase"`
	StartedAt *time.Time     `json:"started_at"`
	Minutes   int            `json:"minutes"`
	Note      string         `json:"note"`
}

// addTimeEntry records the caller's time on a request.
func (s *Server) addTimeEntry(c echo.Context) error {
	id, err := pathID(c, "id", "request")
	if err != nil {
		return err
	}
	var in TimeEntryInput
	if err := bind(c, &in); err != nil {
		return err
	}
	if in.StartedAt == nil {
		return matching.FieldErrorf("started_at", "is required: when the time was spent")
	}
	a := timeActor(c)
	t := matching.TimeEntry{RequestID: id, UserID: &a.UserID, Phase: in.Phase, Activity: in.Activity,
		StartedAt: *in.StartedAt, Minutes: in.Minutes, Note: in.Note}
	if err := s.store.RecordTimeEntry(c.Request().Context(), &t, a); err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, t)
}

// TimeSheet is a request's time: its entries, with the operators' names,
// and the summary against the standard derived from them.
type TimeSheet struct {
	RequestID int64                `json:"request_id"`
	Entries   []matching.TimeEntry `json:"entries"`
	Summary   matching.TimeSummary `json:"summary"`
}

// timeEntries lists a request's time entries with their summary.
func (s *Server) timeEntries(c echo.Context) error {
	ctx := c.Request().Context()
	id, err := pathID(c, "id", "request")
	if err != nil {
		return err
	}
	r, err := s.store.Request(ctx, id)
	if err != nil {
		return err
	}
	entries, err := s.store.TimeEntries(ctx, id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, TimeSheet{RequestID: id, Entries: entries, Summary: matching.SummarizeTime(&r, entries)})
}

// TimeEntryChangeInput is the body of PUT /api/v1/time-entries/{id}: the
// fields given replace the entry's, the others stay.
type TimeEntryChangeInput struct {
	Activity  *string         `json:"activity"`
	Phase     *matching.Phase `json:"phase"`
	StartedAt *time.Time      `json:"started_at"`
	Minutes   *int            `json:"minutes"`
	Note      *string         `json:"note"`
}

// updateTimeEntry corrects one of the caller's entries on an open request.
func (s *Server) updateTimeEntry(c echo.Context) error {
	id, err := pathID(c, "id", "time entry")
	if err != nil {
		return err
	}
	var in TimeEntryChangeInput
	if err := bind(c, &in); err != nil {
		return err
	}
	t, err := s.store.UpdateTimeEntry(c.Request().Context(), id, store.TimeEntryChange{Activity: in.Activity, Phase: in.Phase,
		StartedAt: in.StartedAt, Minutes: in.Minutes, Note: in.Note}, timeActor(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, t)
}

// deleteTimeEntry deletes one of the caller's entries on an open request.
func (s *Server) deleteTimeEntry(c echo.Context) error {
	id, err := pathID(c, "id", "time entry")
	if err != nil {
		return err
	}
	if err := s.store.DeleteTimeEntry(c.Request().Context(), id, timeActor(c)); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// TimerInput is the body of POST /api/v1/requests/{id}/timer.
type TimerInput struct {
	Activity string `json:"activity"`
	Note     string `json:"note"`
}

// RunningTimer is an operator's running timer as shown: the phase its
// activity counts against and the whole minutes elapsed so far.
type RunningTimer struct {
	matching.Timer
	Phase          matching.Phase `json:"phase"`
	ElapsedMinutes int            `json:"elapsed_minutes"`
}

func (s *Server) runningTimerView(t matching.Timer) RunningTimer {
	p, _ := matching.ActivityPhase(t.Activity)
	return RunningTimer{Timer: t, Phase: p, ElapsedMinutes: t.ElapsedMinutes(s.now())}
}

// TimerStarted answers the start of a timer. When another timer was
// running it was stopped first and its time saved: Stopped is that entry
// and Message says so.
type TimerStarted struct {
	Timer   RunningTimer        `json:"timer"`
	Stopped *matching.TimeEntry `json:"stopped"`
	Message string              `json:"message"`
}

// startTimer starts the caller's timer on a request's activity.
func (s *Server) startTimer(c echo.Context) error {
	id, err := pathID(c, "id", "request")
	if err != nil {
		return err
	}
	var in TimerInput
	if err := bind(c, &in); err != nil {
		return err
	}
	t, stopped, err := s.store.StartTimer(c.Request().Context(), id, in.Activity, in.Note, timeActor(c))
	if err != nil {
		return err
	}
	out := TimerStarted{Timer: s.runningTimerView(t), Stopped: stopped,
		Message: fmt.Sprintf("timer started on request %d for %s", id, in.Activity)}
	if stopped != nil {
		out.Message = fmt.Sprintf("the timer running on request %d (%s) was stopped and its %s saved as time entry %d; %s",
			stopped.RequestID, stopped.Activity, matching.FormatMinutes(stopped.Minutes), stopped.ID, out.Message)
	}
	return c.JSON(http.StatusCreated, out)
}

// runningTimer answers the caller's running timer, or null.
func (s *Server) runningTimer(c echo.Context) error {
	t, err := s.store.RunningTimer(c.Request().Context(), PrincipalFrom(c.Request().Context()).UserID)
	if err != nil {
		return err
	}
	if t == nil {
		return c.JSON(http.StatusOK, nil)
	}
	return c.JSON(http.StatusOK, s.runningTimerView(*t))
}

// stopTimer stops the caller's timer and answers the time entry it saved.
func (s *Server) stopTimer(c echo.Context) error {
	t, err := s.store.StopTimer(c.Request().Context(), timeActor(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, t)
}

// discardTimer throws the caller's timer away without saving its time.
func (s *Server) discardTimer(c echo.Context) error {
	if err := s.store.DiscardTimer(c.Request().Context(), timeActor(c)); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
