package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"incontro/matching"
	"incontro/store"
)

// The shortlist ("rosa") of a request: the operator builds a draft and
// presents it; the employer reads the versions presented to it. What the
// employer sees of each candidate is decided when it reads, from what the
// candidate allows now (matching.EmployerVisibility), and every candidate
// shown is a CV read in the audit log.

// workflowActor is the signed-in caller as the store's workflow actions
// record them.
func workflowActor(c echo.Context) store.Actor {
	p := PrincipalFrom(c.Request().Context())
	return store.Actor{UserID: p.UserID, Role: p.Role, IP: clientIP(c)}
}

// ShortlistInput is the body of a draft: its note and candidates in order.
type ShortlistInput struct {
	Note  string               `json:"note"`
	Items []ShortlistItemInput `json:"items"`
}

// ShortlistItemInput is a candidate of a draft: the pipeline entry, named
// or blind, the operator's note for the employer and, for a candidate
// whose confirmed availability is older than the period, the reason to
// present them anyway.
type ShortlistItemInput struct {
	EntryID      int64  `json:"entry_id"`
	Mode         string `json:"mode"`
	Note         string `json:"note"`
	OverrideNote string `json:"override_note"`
}

func (in *ShortlistInput) shortlist() matching.Shortlist {
	sl := matching.Shortlist{Note: in.Note, Items: make([]matching.ShortlistItem, len(in.Items))}
	for i, it := range in.Items {
		sl.Items[i] = matching.ShortlistItem{Position: i + 1, EntryID: it.EntryID, Mode: it.Mode, Note: it.Note, OverrideNote: it.OverrideNote}
	}
	return sl
}

// createShortlist starts a draft version of a request's shortlist.
func (s *Server) createShortlist(c echo.Context) error {
	ctx := c.Request().Context()
	id, err := pathID(c, "id", "request")
	if err != nil {
		return err
	}
	var in ShortlistInput
	if err := bind(c, &in); err != nil {
		return err
	}
	sl := in.shortlist()
	sl.RequestID = id
	if err := s.store.CreateShortlist(ctx, &sl, workflowActor(c)); err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, "/api/v1/shortlists/"+strconv.FormatInt(sl.ID, 10))
	return c.JSON(http.StatusCreated, sl)
}

// updateShortlist replaces the note and candidates of a draft.
func (s *Server) updateShortlist(c echo.Context) error {
	ctx := c.Request().Context()
	id, err := pathID(c, "id", "shortlist")
	if err != nil {
		return err
	}
	var in ShortlistInput
	if err := bind(c, &in); err != nil {
		return err
	}
	sl := in.shortlist()
	sl.ID = id
	if err := s.store.UpdateShortlist(ctx, &sl, workflowActor(c)); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, sl)
}

// presentShortlist presents a draft to the employer and answers with the
// shortlist as presented, snapshot included.
func (s *Server) presentShortlist(c echo.Context) error {
	ctx := c.Request().Context()
	id, err := pathID(c, "id", "shortlist")
	if err != nil {
		return err
	}
	sl, err := s.store.PresentShortlist(ctx, id, workflowActor(c), localDay(s.now()))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, sl)
}

// ShortlistSummary is a shortlist version in a request's list. Staff see
// its items; the employer, which sees only presented versions, how many
// candidates it has.
type ShortlistSummary struct {
	ID          int64                    `json:"id"`
	RequestID   int64                    `json:"request_id"`
	Version     int                      `json:"version"`
	Status      matching.ShortlistStatus `json:"status"`
	Note        string                   `json:"note"`
	CreatedAt   time.Time                `json:"created_at"`
	PresentedAt *time.Time               `json:"presented_at,omitempty"`
	Candidates  int                      `json:"candidates"`
	Items       []matching.ShortlistItem `json:"items,omitempty"`
}

// requestShortlists lists a request's shortlist versions, oldest first: all
// of them for staff, the presented and superseded ones for the employer.
func (s *Server) requestShortlists(c echo.Context) error {
	ctx := c.Request().Context()
	id, err := pathID(c, "id", "request")
	if err != nil {
		return err
	}
	employer := PrincipalFrom(ctx).Role == matching.RoleEmployer
	sls, err := s.store.Shortlists(ctx, id, employer)
	if err != nil {
		return err
	}
	out := make([]ShortlistSummary, len(sls))
	for i, sl := range sls {
		out[i] = ShortlistSummary{ID: sl.ID, RequestID: sl.RequestID, Version: sl.Version, Status: sl.Status, Note: sl.Note,
			CreatedAt: sl.CreatedAt, PresentedAt: sl.PresentedAt, Candidates: len(sl.Items)}
		if !employer {
			out[i].Items = sl.Items
		}
	}
	return c.JSON(http.StatusOK, map[string]any{"shortlists": out})
}

// shortlist returns a shortlist version as the caller may see it.
func (s *Server) shortlist(c echo.Context) error {
	ctx := c.Request().Context()
	id, err := pathID(c, "id", "shortlist")
	if err != nil {
		return err
	}
	sl, err := s.store.Shortlist(ctx, id)
	if err != nil {
		return err
	}
	return s.respondShortlist(c, sl)
}

// requestShortlist returns the version of a request's shortlist presented
// now: the employer's main view.
func (s *Server) requestShortlist(c echo.Context) error {
	ctx := c.Request().Context()
	id, err := pathID(c, "id", "request")
	if err != nil {
		return err
	}
	sl, err := s.store.LatestPresentedShortlist(ctx, id)
	if err != nil {
		return err
	}
	return s.respondShortlist(c, sl)
}

// ShortlistView is a shortlist version as the caller may see it: for a
// presented or superseded version, what was frozen at presentation (the
// vacancy, the weights, each candidate's note, score and explanation), and
// for each candidate what they allow now.
type ShortlistView struct {
	ID          int64                        `json:"id"`
	RequestID   int64                        `json:"request_id"`
	Version     int                          `json:"version"`
	Status      matching.ShortlistStatus     `json:"status"`
	Note        string                       `json:"note"`
	CreatedAt   time.Time                    `json:"created_at"`
	CreatedBy   *int64                       `json:"created_by,omitempty"`
	PresentedAt *time.Time                   `json:"presented_at,omitempty"`
	PresentedBy *int64                       `json:"presented_by,omitempty"`
	Vacancy     *matching.SnapshotVacancy    `json:"vacancy,omitempty"`
	Score       *matching.ScoreParams        `json:"score,omitempty"`
	Weights     []matching.RequirementWeight `json:"weights,omitempty"`
	Candidates  []ShortlistCandidate         `json:"candidates"`
}

// noLongerAvailable is what the employer reads for a candidate who took
// back their consent, withdrew or was erased.
const noLongerAvailable = "no longer available"

// ShortlistCandidate is a candidate of a shortlist. Shown says how the
// employer sees them now; names and contacts are there only when shown
// named (and always for staff), the professional parts of the CV while
// the candidate still agrees to be presented. Protected attributes never
// are.
type ShortlistCandidate struct {
	Position     int                   `json:"position"`
	EntryID      int64                 `json:"entry_id"`
	Pseudonym    string                `json:"pseudonym"`
	Mode         string                `json:"mode"`
	Shown        matching.Visibility   `json:"shown"`
	Notice       string                `json:"notice,omitempty"`
	Stage        matching.Stage        `json:"stage,omitempty"`
	Note         string                `json:"note,omitempty"`
	OverrideNote string                `json:"override_note,omitempty"`
	Score        *float64              `json:"score,omitempty"`
	Fit          *float64              `json:"fit,omitempty"`
	Explanation  *matching.Explanation `json:"explanation,omitempty"`
	CandidateID  *int64                `json:"candidate_id,omitempty"`
	GivenName    string                `json:"given_name,omitempty"`
	FamilyName   string                `json:"family_name,omitempty"`
	Email        string                `json:"email,omitempty"`
	Phone        string                `json:"phone,omitempty"`
	CV           *ProfessionalCV       `json:"cv,omitempty"`
}

// ProfessionalCV is the part of a CV an employer reads in a shortlist:
// what the candidate did and can do, and when they can start.
type ProfessionalCV struct {
	Headline       string                    `json:"headline"`
	Experiences    []matching.Experience     `json:"experiences"`
	Education      []matching.Education      `json:"education"`
	Skills         []matching.CandidateSkill `json:"skills"`
	Languages      []matching.LanguageLevel  `json:"languages"`
	Licences       []string                  `json:"licences"`
	Certifications []matching.Certification  `json:"certifications"`
	AvailableFrom  *matching.Date            `json:"available_from,omitempty"`
	WeeklyHours    *int                      `json:"weekly_hours,omitempty"`
	WorkingTime    []string                  `json:"working_time"`
}

func professionalCV(c *matching.Candidate) *ProfessionalCV {
	return &ProfessionalCV{Headline: c.Headline, Experiences: c.Experiences, Education: c.Education, Skills: c.Skills,
		Languages: c.Languages, Licences: c.Licences, Certifications: c.Certifications, AvailableFrom: c.AvailableFrom,
		WeeklyHours: c.WeeklyHours, WorkingTime: c.WorkingTime}
}

// respondShortlist answers with the caller's view of a shortlist.
func (s *Server) respondShortlist(c echo.Context, sl matching.Shortlist) error {
	view, err := s.shortlistView(c, sl)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, view)
}

// shortlistView is the caller's view of a shortlist, after writing a CV
// read to the audit log for every candidate it shows (the read fails if
// they cannot be written); the JSON route and the pages share it.
func (s *Server) shortlistView(c echo.Context, sl matching.Shortlist) (ShortlistView, error) {
	ctx := c.Request().Context()
	p := PrincipalFrom(ctx)
	employer := p.Role == matching.RoleEmployer
	view := ShortlistView{ID: sl.ID, RequestID: sl.RequestID, Version: sl.Version, Status: sl.Status, Note: sl.Note,
		CreatedAt: sl.CreatedAt, PresentedAt: sl.PresentedAt, Candidates: []ShortlistCandidate{}}
	if !employer {
		view.CreatedBy, view.PresentedBy = sl.CreatedBy, sl.PresentedBy
	}
	// A presented version shows its snapshot; a draft its items as they are.
	var rows []matching.SnapshotCandidate
	presented := len(sl.Snapshot) > 0
	if presented {
		var snap matching.ShortlistSnapshot
		if err := json.Unmarshal(sl.Snapshot, &snap); err != nil {
			return view, fmt.Errorf("shortlist %d: read the snapshot: %w", sl.ID, err)
		}
		view.Vacancy, view.Score, view.Weights, rows = &snap.Vacancy, &snap.Score, snap.Weights, snap.Candidates
	} else {
		for _, it := range sl.Items {
			rows = append(rows, matching.SnapshotCandidate{Position: it.Position, EntryID: it.EntryID, Mode: it.Mode,
				Note: it.Note, OverrideNote: it.OverrideNote})
		}
	}
	entries, err := s.store.PipelineEntries(ctx, sl.RequestID)
	if err != nil {
		return view, err
	}
	byEntry := make(map[int64]matching.PipelineEntry, len(entries))
	var ids []int64
	for _, e := range entries {
		byEntry[e.ID] = e
	}
	for _, r := range rows {
		if e, ok := byEntry[r.EntryID]; ok && e.CandidateID != nil {
			ids = append(ids, *e.CandidateID)
		}
	}
	cands, err := s.store.CandidatesByID(ctx, ids)
	if err != nil {
		return view, err
	}
	byID := make(map[int64]*matching.Candidate, len(cands))
	for i := range cands {
		byID[cands[i].ID] = &cands[i]
	}
	var reads []*matching.AuditEvent
	for _, r := range rows {
		e := byEntry[r.EntryID]
		var cand *matching.Candidate
		var current *matching.Presentation
		if e.CandidateID != nil {
			if cand = byID[*e.CandidateID]; cand != nil {
				current = &cand.Presentation
			}
		}
		pseudonym := r.Pseudonym
		if pseudonym == "" {
			pseudonym = e.Pseudonym
		}
		sc := ShortlistCandidate{Position: r.Position, EntryID: r.EntryID, Pseudonym: pseudonym, Mode: r.Mode,
			Shown: matching.EmployerVisibility(r.Mode, current, e.Stage)}
		if sc.Shown == matching.ShownGone {
			sc.Notice = noLongerAvailable
			if employer {
				view.Candidates = append(view.Candidates, sc)
				continue
			}
		}
		sc.Stage, sc.Note, sc.OverrideNote = e.Stage, r.Note, r.OverrideNote
		if presented {
			score, fit, ex := r.Score, r.Fit, r.Explanation
			sc.Score, sc.Fit, sc.Explanation = &score, &fit, &ex
		}
		if cand != nil {
			sc.CV = professionalCV(cand)
			if !employer || sc.Shown == matching.ShownNamed {
				sc.GivenName, sc.FamilyName, sc.Email, sc.Phone = cand.GivenName, cand.FamilyName, cand.Email, cand.Phone
			}
			if !employer {
				sc.CandidateID = e.CandidateID
			}
			cid := cand.ID
			reads = append(reads, &matching.AuditEvent{UserID: &p.UserID, Role: p.Role, Action: "cv_read", ObjectType: "candidate",
				ObjectID: &cid, RequestID: &sl.RequestID, CandidateID: &cid, IP: clientIP(c),
				Detail: jsonDetail(map[string]any{"purpose": "shortlist", "shortlist_id": sl.ID, "version": sl.Version,
					"shown": sc.Shown})})
		}
		view.Candidates = append(view.Candidates, sc)
	}
	if err := s.store.AuditBatch(ctx, reads); err != nil {
		return view, err
	}
	return view, nil
}
