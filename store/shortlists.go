package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"incontro/matching"
)

// The shortlist ("rosa") of a request: drafts the operator builds, versions
// presented to the employer with a frozen snapshot, the employer's feedback
// on each presented candidate, and the 4D records (competence
// verifications, selection-support sessions).

const shortlistColumns = `id, request_id, version, status, note, snapshot, created_at, created_by, presented_at,
	presented_by`

// prepareDraft numbers the items of a draft from 1 where they have no
// position and checks the lengths of its notes.
func prepareDraft(sl *matching.Shortlist) error {
	if sl.Items == nil {
		sl.Items = []matching.ShortlistItem{}
	}
	for i := range sl.Items {
		if sl.Items[i].Position == 0 {
			sl.Items[i].Position = i + 1
		}
		sl.Items[i].Note = strings.TrimSpace(sl.Items[i].Note)
		sl.Items[i].OverrideNote = strings.TrimSpace(sl.Items[i].OverrideNote)
	}
	if len([]rune(sl.Note)) > 2000 {
		return matching.FieldErrorf("note", "must be at most 2000 characters")
	}
	for i, it := range sl.Items {
		if len([]rune(it.Note)) > 2000 {
			return matching.FieldErrorf(fmt.Sprintf("items[%d].note", i), "must be at most 2000 characters")
		}
		if len([]rune(it.OverrideNote)) > 2000 {
			return matching.FieldErrorf(fmt.Sprintf("items[%d].override_note", i), "must be at most 2000 characters")
		}
	}
	return nil
}

// openRequest locks a request for the caller's transaction and refuses a
// closed one.
func openRequest(ctx context.Context, tx *sqlx.Tx, id int64) (matching.Request, error) {
	r, err := lockedRequest(ctx, tx, id)
	if err != nil {
		return r, err
	}
	if r.Status == matching.StatusClosed {
		return r, &matching.Error{Code: matching.ECONFLICT, Field: "status", Message: fmt.Sprintf("request %d is closed", id)}
	}
	return r, nil
}

// shortlistRequest returns the request a shortlist belongs to, locked and
// open, and the shortlist locked with it.
func shortlistRequest(ctx context.Context, tx *sqlx.Tx, id int64) (matching.Request, matching.Shortlist, error) {
	var sl matching.Shortlist
	var requestID int64
	if err := tx.QueryRowxContext(ctx, `SELECT request_id FROM shortlists WHERE id = $1`, id).Scan(&requestID); err != nil {
		return matching.Request{}, sl, mapNotFound(err, "shortlist", id)
	}
	r, err := openRequest(ctx, tx, requestID)
	if err != nil {
		return r, sl, err
	}
	err = scanShortlist(tx.QueryRowxContext(ctx, `SELECT `+shortlistColumns+` FROM shortlists WHERE id = $1 FOR UPDATE`, id), &sl)
	if err != nil {
		return r, sl, mapNotFound(err, "shortlist", id)
	}
	if sl.Status != matching.ShortlistDraft {
		return r, sl, &matching.Error{Code: matching.ECONFLICT, Field: "status",
			Message: fmt.Sprintf("shortlist version %d is %s: only a draft changes; start a new version", sl.Version, sl.Status)}
	}
	return r, sl, nil
}

// CreateShortlist inserts a draft version of a request's shortlist with its
// items in order (items without a position are numbered from 1); the
// version is one more than the request's latest. Every item must be a
// candidate in the request's pipeline; candidates standing available become
// shortlisted. A request has one draft at a time and a closed request none
// (ECONFLICT).
func (s *DB) CreateShortlist(ctx context.Context, sl *matching.Shortlist, a Actor) error {
	if sl.RequestID <= 0 {
		return matching.FieldErrorf("request_id", "is required")
	}
	if err := prepareDraft(sl); err != nil {
		return err
	}
	sl.Status = matching.ShortlistDraft
	sl.Snapshot, sl.PresentedAt, sl.PresentedBy = nil, nil, nil
	now := s.now()
	sl.CreatedAt, sl.CreatedBy = now, a.by()
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		if _, err := openRequest(ctx, tx, sl.RequestID); err != nil {
			return err
		}
		var draft int
		err := tx.GetContext(ctx, &draft, `SELECT version FROM shortlists WHERE request_id = $1 AND status = 'draft'`, sl.RequestID)
		if err == nil {
			return &matching.Error{Code: matching.ECONFLICT, Field: "status", Message: fmt.Sprintf(
				"request %d already has a draft shortlist (version %d): change it or present it", sl.RequestID, draft)}
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if err := tx.GetContext(ctx, &sl.Version, `SELECT COALESCE(max(version), 0) + 1 FROM shortlists WHERE request_id = $1`,
			sl.RequestID); err != nil {
			return err
		}
		if err := sl.Validate(); err != nil {
			return err
		}
		err = tx.QueryRowxContext(ctx, `
			INSERT INTO shortlists (request_id, version, status, note, created_at, created_by)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
			sl.RequestID, sl.Version, sl.Status, sl.Note, sl.CreatedAt, sl.CreatedBy).Scan(&sl.ID)
		if err != nil {
			return err
		}
		if err := insertShortlistItems(ctx, tx, sl); err != nil {
			return err
		}
		moved, err := syncDraftStages(ctx, tx, nil, itemEntries(sl.Items), sl.Version, now, a)
		if err != nil {
			return err
		}
		return writeAudit(ctx, tx, a.event(now, "shortlist_draft", "shortlist", &sl.ID, &sl.RequestID, nil,
			map[string]any{"version": sl.Version, "entries": itemEntries(sl.Items), "stages": moved}))
	})
}

// UpdateShortlist replaces the note and the items of a draft (ECONFLICT
// for a version already presented). Candidates added and standing
// available become shortlisted; candidates taken out go back from
// shortlisted to available. sl.ID names the draft; the rest of sl is set
// from the store.
func (s *DB) UpdateShortlist(ctx context.Context, sl *matching.Shortlist, a Actor) error {
	if err := prepareDraft(sl); err != nil {
		return err
	}
	now := s.now()
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		_, cur, err := shortlistRequest(ctx, tx, sl.ID)
		if err != nil {
			return err
		}
		var old []int64
		if err := tx.SelectContext(ctx, &old, `SELECT entry_id FROM shortlist_items WHERE shortlist_id = $1 ORDER BY position`,
			sl.ID); err != nil {
			return err
		}
		sl.RequestID, sl.Version, sl.Status, sl.CreatedAt, sl.CreatedBy = cur.RequestID, cur.Version, cur.Status, cur.CreatedAt, cur.CreatedBy
		sl.Snapshot, sl.PresentedAt, sl.PresentedBy = nil, nil, nil
		if err := sl.Validate(); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE shortlists SET note = $2 WHERE id = $1`, sl.ID, sl.Note); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM shortlist_items WHERE shortlist_id = $1`, sl.ID); err != nil {
			return err
		}
		if err := insertShortlistItems(ctx, tx, sl); err != nil {
			return err
		}
		moved, err := syncDraftStages(ctx, tx, old, itemEntries(sl.Items), sl.Version, now, a)
		if err != nil {
			return err
		}
		return writeAudit(ctx, tx, a.event(now, "shortlist_draft_updated", "shortlist", &sl.ID, &sl.RequestID, nil,
			map[string]any{"version": sl.Version, "entries": itemEntries(sl.Items), "stages": moved}))
	})
}

func itemEntries(items []matching.ShortlistItem) []int64 {
	out := make([]int64, len(items))
	for i, it := range items {
		out[i] = it.EntryID
	}
	return out
}

// stageMoved is a pipeline stage change made by a shortlist action, for its
// audit event.
type stageMoved struct {
	EntryID int64          `json:"entry_id"`
	From    matching.Stage `json:"from"`
	To      matching.Stage `json:"to"`
}

// syncDraftStages moves the entries a draft gained from available to
// shortlisted and those it lost from shortlisted back to available.
func syncDraftStages(ctx context.Context, tx *sqlx.Tx, old, now []int64, version int, at time.Time, a Actor) ([]stageMoved, error) {
	var ids []int64
	for _, id := range old {
		if !slices.Contains(now, id) {
			ids = append(ids, id)
		}
	}
	for _, id := range now {
		if !slices.Contains(old, id) {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return []stageMoved{}, nil
	}
	var rows []struct {
		ID    int64          `db:"id"`
		Stage matching.Stage `db:"stage"`
	}
	if err := tx.SelectContext(ctx, &rows, `SELECT id, stage FROM pipeline_entries WHERE id = ANY($1) ORDER BY id FOR UPDATE`,
		pq.Array(ids)); err != nil {
		return nil, err
	}
	moved := []stageMoved{}
	for _, r := range rows {
		var to matching.Stage
		note := fmt.Sprintf("shortlist version %d", version)
		switch {
		case slices.Contains(now, r.ID) && r.Stage == matching.StageAvailable:
			to = matching.StageShortlisted
		case !slices.Contains(now, r.ID) && r.Stage == matching.StageShortlisted:
			to, note = matching.StageAvailable, fmt.Sprintf("taken out of shortlist version %d", version)
		default:
			continue
		}
		if err := applyStageMove(ctx, tx, r.ID, r.Stage, to, "", note, at, a.by()); err != nil {
			return nil, err
		}
		moved = append(moved, stageMoved{r.ID, r.Stage, to})
	}
	return moved, nil
}

// applyStageMove moves a pipeline entry, locked or not, from one stage to
// another in the caller's transaction if the domain allows it, with its
// history row. Unlike a contact, it does not touch the confirmation of
// availability: going back from shortlisted to available confirms nothing.
func applyStageMove(ctx context.Context, tx *sqlx.Tx, entryID int64, from, to matching.Stage, reason, note string,
	at time.Time, by *int64) error {
	if err := matching.CheckStageMove(from, to); err != nil {
		return err
	}
	res, err := tx.ExecContext(ctx, `
		UPDATE pipeline_entries SET stage = $3, rejection_reason = NULLIF($4, ''), updated_at = $5
		WHERE id = $1 AND stage = $2`, entryID, from, to, reason, at)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return &matching.Error{Code: matching.ECONFLICT, Field: "stage",
			Message: fmt.Sprintf("pipeline entry %d is no longer %s", entryID, from)}
	}
	return insertStageChange(ctx, tx, entryID, &from, to, reason, note, at, by)
}

// insertShortlistItems inserts the items of a shortlist in one statement,
// after checking that each is a candidate of the shortlist's request.
func insertShortlistItems(ctx context.Context, tx *sqlx.Tx, sl *matching.Shortlist) error {
	n := len(sl.Items)
	if n == 0 {
		return nil
	}
	positions, entries := make([]int64, n), make([]int64, n)
	modes, notes, overrides := make([]string, n), make([]string, n), make([]string, n)
	for i, it := range sl.Items {
		positions[i], entries[i], modes[i], notes[i], overrides[i] = int64(it.Position), it.EntryID, it.Mode, it.Note, it.OverrideNote
	}
	var foreign []int64
	err := tx.SelectContext(ctx, &foreign, `
		SELECT e.id FROM unnest($1::bigint[]) AS e (id)
		WHERE NOT EXISTS (SELECT 1 FROM pipeline_entries p WHERE p.id = e.id AND p.request_id = $2)`,
		pq.Array(entries), sl.RequestID)
	if err != nil {
		return err
	}
	if len(foreign) > 0 {
		i := slices.Index(entries, foreign[0])
		return matching.FieldErrorf(fmt.Sprintf("items[%d].entry_id", i),
			"pipeline entry %d is not a candidate of request %d", foreign[0], sl.RequestID)
	}
	_, err = tx.ExecContext(ctx, `
		INSERT INTO shortlist_items (shortlist_id, position, entry_id, mode, note, override_note)
		SELECT $1, i.position, i.entry_id, i.mode, i.note, i.override_note
		FROM unnest($2::int[], $3::bigint[], $4::text[], $5::text[], $6::text[]) AS i (position, entry_id, mode, note, override_note)`,
		sl.ID, pq.Array(positions), pq.Array(entries), pq.Array(modes), pq.Array(notes), pq.Array(overrides))
	return fieldError(err, "items")
}

// Shortlist returns a shortlist version with its items in order.
func (s *DB) Shortlist(ctx context.Context, id int64) (matching.Shortlist, error) {
	var sl matching.Shortlist
	err := scanShortlist(s.db.QueryRowxContext(ctx, `SELECT `+shortlistColumns+` FROM shortlists WHERE id = $1`, id), &sl)
	if err != nil {
		return sl, mapNotFound(err, "shortlist", id)
	}
	sls := []matching.Shortlist{sl}
	if err := s.loadShortlistItems(ctx, sls); err != nil {
		return sl, err
	}
	return sls[0], nil
}

// LatestPresentedShortlist returns the version of a request's shortlist the
// employer has now (the presented one); ENOTFOUND before the first
// presentation.
func (s *DB) LatestPresentedShortlist(ctx context.Context, requestID int64) (matching.Shortlist, error) {
	var id int64
	err := s.db.GetContext(ctx, &id, `SELECT id FROM shortlists WHERE request_id = $1 AND status = 'presented'`, requestID)
	if errors.Is(err, sql.ErrNoRows) {
		return matching.Shortlist{}, matching.Errorf(matching.ENOTFOUND, "request %d has no presented shortlist yet", requestID)
	}
	if err != nil {
		return matching.Shortlist{}, mapError(err)
	}
	return s.Shortlist(ctx, id)
}

// scanShortlist scans a row of shortlistColumns. The snapshot goes through
// *[]byte, which is how database/sql reads a NULL into a byte slice.
func scanShortlist(row interface{ Scan(...any) error }, sl *matching.Shortlist) error {
	return row.Scan(&sl.ID, &sl.RequestID, &sl.Version, &sl.Status, &sl.Note, (*[]byte)(&sl.Snapshot),
		&sl.CreatedAt, &sl.CreatedBy, &sl.PresentedAt, &sl.PresentedBy)
}

// Shortlists returns every shortlist version of a request, oldest first,
// with their items; presentedOnly leaves the draft out (what an employer
// may see).
func (s *DB) Shortlists(ctx context.Context, requestID int64, presentedOnly bool) ([]matching.Shortlist, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+shortlistColumns+` FROM shortlists
		WHERE request_id = $1 AND (NOT $2 OR status <> 'draft') ORDER BY version`, requestID, presentedOnly)
	if err != nil {
		return nil, mapError(err)
	}
	defer rows.Close()
	out := []matching.Shortlist{}
	for rows.Next() {
		var sl matching.Shortlist
		if err := scanShortlist(rows, &sl); err != nil {
			return nil, mapError(err)
		}
		out = append(out, sl)
	}
	if err := rows.Err(); err != nil {
		return nil, mapError(err)
	}
	if err := s.loadShortlistItems(ctx, out); err != nil {
		return nil, err
	}
	return out, nil
}

// loadShortlistItems fills the items of the shortlists with one query.
func (s *DB) loadShortlistItems(ctx context.Context, sls []matching.Shortlist) error {
	if len(sls) == 0 {
		return nil
	}
	ids := make([]int64, len(sls))
	byID := make(map[int64]*matching.Shortlist, len(sls))
	for i := range sls {
		ids[i] = sls[i].ID
		sls[i].Items = []matching.ShortlistItem{}
		byID[sls[i].ID] = &sls[i]
	}
	var items []struct {
		ShortlistID int64 `db:"shortlist_id"`
		matching.ShortlistItem
	}
	err := s.db.SelectContext(ctx, &items, `SELECT shortlist_id, position, entry_id, mode, note, override_note
		FROM shortlist_items WHERE shortlist_id = ANY($1) ORDER BY shortlist_id, position`, pq.Array(ids))
	if err != nil {
		return mapError(err)
	}
	for _, it := range items {
		sl := byID[it.ShortlistID]
		sl.Items = append(sl.Items, it.ShortlistItem)
	}
	return nil
}

// presentedItem is a shortlist item with what presenting it looks at.
type presentedItem struct {
	matching.ShortlistItem
	Stage        matching.Stage         `db:"stage"`
	Pseudonym    string                 `db:"pseudonym"`
	CandidateID  *int64                 `db:"candidate_id"`
	ConfirmedAt  *time.Time             `db:"availability_confirmed_at"`
	Presentation *matching.Presentation `db:"presentation"`
	// Relevance is the candidate's text relevance in the match run that
	// found them, if any (the index is not asked again).
	Relevance float64 `db:"relevance"`
}

// PresentShortlist presents a draft to the employer, in one transaction
// with the request locked: the request moves to shortlist_presented
// (matching.ActionPresent: from contacting, or from a presented shortlist
// for a new version); every candidate is checked (matching.CheckPresentable:
// consent, stage, a confirmation of availability within the period or an
// override note); the snapshot is built with each candidate's score and
// explanation computed now (asOf is the day scoring counts from; zero:
// now); the version presented before is kept as superseded; candidates not
// yet presented move to presented; and the presentation is audited, with
// one event per candidate so that each jobseeker can see it. It returns the
// shortlist as presented.
func (s *DB) PresentShortlist(ctx context.Context, id int64, a Actor, asOf time.Time) (matching.Shortlist, error) {
	now := s.now()
	if asOf.IsZero() {
		asOf = now
	}
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		r, sl, err := shortlistRequest(ctx, tx, id)
		if err != nil {
			return err
		}
		// The request's state is checked first: presenting from the wrong
		// state says so before anything about the candidates.
		in := matching.TransitionInput{To: matching.StatusShortlistPresented, Action: matching.ActionPresent,
			Note: fmt.Sprintf("shortlist version %d", sl.Version)}
		if err := s.transition(ctx, tx, &r, in, a); err != nil {
			return err
		}
		var items []presentedItem
		err = tx.SelectContext(ctx, &items, `
			SELECT i.position, i.entry_id, i.mode, i.note, i.override_note, p.stage, p.pseudonym, p.candidate_id,
				p.availability_confirmed_at, c.presentation,
				COALESCE((SELECT COALESCE(m.explanation->>'text_relevance', m.explanation_text::json->>'text_relevance')::float8
					FROM match_results m
					WHERE m.run_id = p.match_run_id AND m.candidate_id = p.candidate_id LIMIT 1), 0) AS relevance
			FROM shortlist_items i JOIN pipeline_entries p ON p.id = i.entry_id
				LEFT JOIN candidates c ON c.id = p.candidate_id
			WHERE i.shortlist_id = $1 ORDER BY i.position
			FOR UPDATE OF p`, id)
		if err != nil {
			return err
		}
		check := make([]matching.PresentableItem, len(items))
		for i, it := range items {
			check[i] = matching.PresentableItem{Position: it.Position, Stage: it.Stage, Presentation: it.Presentation,
				Mode: it.Mode, ConfirmedAt: it.ConfirmedAt, Override: it.OverrideNote}
		}
		if err := matching.CheckPresentable(check, now, s.Workflow); err != nil {
			return err
		}
		snap, err := s.snapshot(ctx, &r, &sl, items, now, asOf)
		if err != nil {
			return err
		}
		var superseded []int
		if err := tx.SelectContext(ctx, &superseded, `UPDATE shortlists SET status = 'superseded'
			WHERE request_id = $1 AND status = 'presented' RETURNING version`, r.ID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `
			UPDATE shortlists SET status = 'presented', snapshot = $2, presented_at = $3, presented_by = $4
			WHERE id = $1`, id, string(snap), now, a.by()); err != nil {
			return err
		}
		moved := []stageMoved{}
		note := fmt.Sprintf("presented in shortlist version %d", sl.Version)
		for _, it := range items {
			path, err := matching.PresentationPath(it.Stage)
			if err != nil {
				return err
			}
			from := it.Stage
			for _, to := range path {
				if err := applyStageMove(ctx, tx, it.EntryID, from, to, "", note, now, a.by()); err != nil {
					return err
				}
				from = to
			}
			if from != it.Stage {
				moved = append(moved, stageMoved{it.EntryID, it.Stage, from})
			}
		}
		overrides := []int{}
		for _, it := range items {
			if !matching.AvailabilityFresh(it.ConfirmedAt, now, s.Workflow) {
				overrides = append(overrides, it.Position)
			}
		}
		detail := map[string]any{"version": sl.Version, "candidates": len(items), "stages": moved, "overrides": overrides}
		if len(superseded) > 0 {
			detail["superseded_version"] = superseded[0]
		}
		if err := writeAudit(ctx, tx, a.event(now, "shortlist_presented", "shortlist", &id, &r.ID, nil, detail)); err != nil {
			return err
		}
		for _, it := range items {
			ev := a.event(now, "candidate_presented", "shortlist", &id, &r.ID, it.CandidateID,
				map[string]any{"version": sl.Version, "position": it.Position, "mode": it.Mode, "employer_id": r.EmployerID})
			if err := writeAudit(ctx, tx, ev); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return matching.Shortlist{}, err
	}
	return s.Shortlist(ctx, id)
}

// snapshot builds what the employer is shown: each candidate, in order,
// scored and explained now against the request's vacancy from the
// candidate's scoring profile (which holds no name, contact or protected
// attribute).
func (s *DB) snapshot(ctx context.Context, r *matching.Request, sl *matching.Shortlist, items []presentedItem,
	now, asOf time.Time) ([]byte, error) {
	vac, err := s.Vacancy(ctx, r.VacancyID)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, 0, len(items))
	for _, it := range items {
		ids = append(ids, *it.CandidateID) // CheckPresentable refused erased candidates
	}
	profiles, err := s.CandidateProfiles(ctx, ids)
	if err != nil {
		return nil, err
	}
	byID := make(map[int64]*matching.Candidate, len(profiles))
	for i := range profiles {
		byID[profiles[i].ID] = &profiles[i]
	}
	params := matching.DefaultScoreParams(asOf)
	scorer, err := matching.NewScorer(&vac, params)
	if err != nil {
		return nil, err
	}
	snap := matching.ShortlistSnapshot{RequestID: r.ID, Version: sl.Version, PresentedAt: now, Note: sl.Note,
		Vacancy: matching.SnapshotVacancy{ID: vac.ID, Title: vac.Title}, Score: params, Weights: scorer.Weights(),
		Candidates: make([]matching.SnapshotCandidate, len(items))}
	for i, it := range items {
		c, ok := byID[*it.CandidateID]
		if !ok {
			return nil, &matching.Error{Code: matching.ECONFLICT, Field: fmt.Sprintf("items[%d].entry_id", i),
				Message: fmt.Sprintf("the candidate at position %d was erased", it.Position)}
		}
		e := scorer.Explain(c, it.Relevance)
		snap.Candidates[i] = matching.SnapshotCandidate{Position: it.Position, EntryID: it.EntryID, Pseudonym: it.Pseudonym,
			Mode: it.Mode, Note: it.Note, OverrideNote: it.OverrideNote, AvailabilityConfirmedAt: it.ConfirmedAt,
			Score: e.Score, Fit: e.Fit, Explanation: e}
	}
	b, err := json.Marshal(snap)
	if err != nil {
		return nil, fmt.Errorf("store: encode the snapshot of shortlist %d: %w", sl.ID, err)
	}
	return b, nil
}

const feedbackColumns = `id, entry_id, shortlist_id, decision, COALESCE(reason, '') AS reason, comment, interview_at,
	start_date, contract_type, requirement_id, at, by_user AS "by"`

// presentedEntry is a pipeline entry that an action on a presented
// candidate (feedback, a competence verification) reaches: its request,
// locked and open, and the latest presented or superseded shortlist
// version that contains it (ECONFLICT when there is none).
type presentedEntry struct {
	Request     matching.Request
	Stage       matching.Stage
	CandidateID *int64
	Pseudonym   string
	ShortlistID int64
}

func lockPresentedEntry(ctx context.Context, tx *sqlx.Tx, entryID int64) (presentedEntry, error) {
	var pe presentedEntry
	var requestID int64
	if err := tx.GetContext(ctx, &requestID, `SELECT request_id FROM pipeline_entries WHERE id = $1`, entryID); err != nil {
		return pe, mapNotFound(err, "pipeline entry", entryID)
	}
	r, err := openRequest(ctx, tx, requestID)
	if err != nil {
		return pe, err
	}
	pe.Request = r
	err = tx.QueryRowxContext(ctx, `SELECT stage, candidate_id, pseudonym FROM pipeline_entries WHERE id = $1 FOR UPDATE`,
		entryID).Scan(&pe.Stage, &pe.CandidateID, &pe.Pseudonym)
	if err != nil {
		return pe, mapNotFound(err, "pipeline entry", entryID)
	}
	err = tx.GetContext(ctx, &pe.ShortlistID, `
		SELECT s.id FROM shortlist_items i JOIN shortlists s ON s.id = i.shortlist_id
		WHERE i.entry_id = $1 AND s.status <> 'draft' ORDER BY s.presented_at DESC, s.version DESC LIMIT 1`, entryID)
	if errors.Is(err, sql.ErrNoRows) {
		return pe, &matching.Error{Code: matching.ECONFLICT, Field: "entry_id", Message: fmt.Sprintf(
			"candidate %s has not been presented to the employer in a shortlist", pe.Pseudonym)}
	}
	return pe, err
}

// checkRequirement checks that a requirement, when named, is one of the
// vacancy's.
func checkRequirement(ctx context.Context, tx *sqlx.Tx, vacancyID int64, id *int64) error {
	if id == nil {
		return nil
	}
	var ok bool
	if err := tx.GetContext(ctx, &ok, `SELECT EXISTS (SELECT 1 FROM vacancy_requirements WHERE id = $1 AND vacancy_id = $2)`,
		*id, vacancyID); err != nil {
		return err
	}
	if !ok {
		return matching.FieldErrorf("requirement_id", "requirement %d is not one of the request's vacancy", *id)
	}
	return nil
}

// AddFeedback records the employer's feedback on a presented candidate —
// given by the employer or recorded by the operator who collected it — in
// one transaction with the request locked: the request must be open, the
// candidate presented in a shortlist version (the feedback refers to the
// latest that contains them), a named requirement one of the vacancy's; the
// decision moves the candidate's stage (matching.FeedbackMove: interviewed,
// hired, rejected with the reason); and the feedback is audited. It sets
// the feedback's ID, shortlist, time and author.
func (s *DB) AddFeedback(ctx context.Context, f *matching.Feedback, a Actor) error {
	if f.StartDate != nil {
		d := time.Date(f.StartDate.Year(), f.StartDate.Month(), f.StartDate.Day(), 0, 0, 0, 0, time.UTC)
		f.StartDate = &d
	}
	if f.InterviewAt != nil {
		t := dbTime(*f.InterviewAt)
		f.InterviewAt = &t
	}
	if err := f.Validate(); err != nil {
		return err
	}
	now := s.now()
	f.At, f.By = now, a.by()
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		pe, err := lockPresentedEntry(ctx, tx, f.EntryID)
		if err != nil {
			return err
		}
		if err := checkRequirement(ctx, tx, pe.Request.VacancyID, f.RequirementID); err != nil {
			return err
		}
		to, move, err := matching.FeedbackMove(pe.Stage, f.Decision)
		if err != nil {
			return err
		}
		f.ShortlistID = &pe.ShortlistID
		err = tx.QueryRowxContext(ctx, `
			INSERT INTO feedback (entry_id, shortlist_id, decision, reason, comment, interview_at, start_date, contract_type,
				requirement_id, at, by_user)
			VALUES ($1, $2, $3, NULLIF($4, ''), $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
			f.EntryID, f.ShortlistID, f.Decision, f.Reason, f.Comment, f.InterviewAt, f.StartDate, f.ContractType,
			f.RequirementID, f.At, f.By).Scan(&f.ID)
		if err != nil {
			return err
		}
		detail := map[string]any{"decision": f.Decision, "shortlist_id": pe.ShortlistID, "pseudonym": pe.Pseudonym}
		if f.Reason != "" {
			detail["reason"] = f.Reason
		}
		if move {
			reason := ""
			if to == matching.StageRejected {
				reason = f.Reason
			}
			if err := applyStageMove(ctx, tx, f.EntryID, pe.Stage, to, reason, "feedback: "+f.Decision, now, a.by()); err != nil {
				return err
			}
			detail["from"], detail["to"] = pe.Stage, to
		}
		return writeAudit(ctx, tx, a.event(now, "feedback", "pipeline_entry", &f.EntryID, &pe.Request.ID, pe.CandidateID, detail))
	})
}

// FeedbackForEntry returns the feedback on a pipeline entry, oldest first.
func (s *DB) FeedbackForEntry(ctx context.Context, entryID int64) ([]matching.Feedback, error) {
	out := []matching.Feedback{}
	err := s.db.SelectContext(ctx, &out, `SELECT `+feedbackColumns+` FROM feedback WHERE entry_id = $1
		ORDER BY at, id`, entryID)
	if err != nil {
		return nil, mapError(err)
	}
	return out, nil
}

// FeedbackForRequest returns the feedback on every candidate of a request,
// oldest first.
func (s *DB) FeedbackForRequest(ctx context.Context, requestID int64) ([]matching.Feedback, error) {
	out := []matching.Feedback{}
	err := s.db.SelectContext(ctx, &out, `SELECT `+feedbackColumns+` FROM feedback
		WHERE entry_id IN (SELECT id FROM pipeline_entries WHERE request_id = $1)
		ORDER BY at, id`, requestID)
	if err != nil {
		return nil, mapError(err)
	}
	return out, nil
}

// FeedbackTimes are when a request's shortlist was last presented and when
// the employer last gave feedback, for matching.FeedbackDue.
type FeedbackTimes struct {
	PresentedAt    *time.Time `db:"presented_at"`
	LastFeedbackAt *time.Time `db:"last_feedback_at"`
}

// FeedbackTimes returns, in one query, the latest presentation and the
// latest feedback of each of the requests (a page of a list); a request
// never presented has neither.
func (s *DB) FeedbackTimes(ctx context.Context, requestIDs []int64) (map[int64]FeedbackTimes, error) {
	out := make(map[int64]FeedbackTimes, len(requestIDs))
	if len(requestIDs) == 0 {
		return out, nil
	}
	var rows []struct {
		RequestID int64 `db:"request_id"`
		FeedbackTimes
	}
	err := s.db.SelectContext(ctx, &rows, `
		SELECT r.id AS request_id,
			(SELECT max(s.presented_at) FROM shortlists s WHERE s.request_id = r.id AND s.status <> 'draft') AS presented_at,
			(SELECT max(f.at) FROM feedback f JOIN pipeline_entries p ON p.id = f.entry_id WHERE p.request_id = r.id)
				AS last_feedback_at
		FROM unnest($1::bigint[]) AS r (id)`, pq.Array(requestIDs))
	if err != nil {
		return nil, mapError(err)
	}
	for _, r := range rows {
		out[r.RequestID] = r.FeedbackTimes
	}
	return out, nil
}

// AddCompetenceCheck records a 4D verification of a competence a presented
// candidate declares, in one transaction with the request locked: the
// request must be in competence verification or selection
// (matching.CheckCompetenceStep), a named requirement one of the vacancy's;
// the check is audited. It sets the check's ID, time and author.
func (s *DB) AddCompetenceCheck(ctx context.Context, c *matching.CompetenceCheck, a Actor) error {
	c.Competence, c.Note = strings.TrimSpace(c.Competence), strings.TrimSpace(c.Note)
	if err := c.Validate(); err != nil {
		return err
	}
	if len([]rune(c.Competence)) > 200 {
		return matching.FieldErrorf("competence", "must be at most 200 characters")
	}
	if len([]rune(c.Note)) > 2000 {
		return matching.FieldErrorf("note", "must be at most 2000 characters")
	}
	now := s.now()
	c.At, c.By = now, a.by()
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		pe, err := lockPresentedEntry(ctx, tx, c.EntryID)
		if err != nil {
			return err
		}
		if err := matching.CheckCompetenceStep(pe.Request.Status); err != nil {
			return err
		}
		if err := checkRequirement(ctx, tx, pe.Request.VacancyID, c.RequirementID); err != nil {
			return err
		}
		err = tx.QueryRowxContext(ctx, `
			INSERT INTO competence_checks (entry_id, requirement_id, competence, method, result, note, at, by_user)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
			c.EntryID, c.RequirementID, c.Competence, c.Method, c.Result, c.Note, c.At, c.By).Scan(&c.ID)
		if err != nil {
			return err
		}
		return writeAudit(ctx, tx, a.event(now, "competence_check", "pipeline_entry", &c.EntryID, &pe.Request.ID, pe.CandidateID,
			map[string]any{"check_id": c.ID, "competence": c.Competence, "method": c.Method, "result": c.Result,
				"pseudonym": pe.Pseudonym}))
	})
}

const competenceCheckColumns = `c.id, c.entry_id, c.requirement_id, c.competence, c.method, c.result, c.note, c.at,
	c.by_user AS "by"`

// CompetenceChecks returns the competence verifications of a pipeline
// entry, oldest first.
func (s *DB) CompetenceChecks(ctx context.Context, entryID int64) ([]matching.CompetenceCheck, error) {
	out := []matching.CompetenceCheck{}
	err := s.db.SelectContext(ctx, &out, `SELECT `+competenceCheckColumns+` FROM competence_checks c
		WHERE c.entry_id = $1 ORDER BY c.at, c.id`, entryID)
	if err != nil {
		return nil, mapError(err)
	}
	return out, nil
}

// CompetenceChecksForRequest returns the competence verifications of a
// request's candidates, oldest first; presentedOnly keeps those of
// candidates presented in a shortlist version (what the employer sees).
func (s *DB) CompetenceChecksForRequest(ctx context.Context, requestID int64, presentedOnly bool) ([]matching.CompetenceCheck, error) {
	out := []matching.CompetenceCheck{}
	err := s.db.SelectContext(ctx, &out, `SELECT `+competenceCheckColumns+`
		FROM competence_checks c JOIN pipeline_entries p ON p.id = c.entry_id
		WHERE p.request_id = $1 AND (NOT $2 OR EXISTS (SELECT 1 FROM shortlist_items i JOIN shortlists s ON s.id = i.shortlist_id
			WHERE i.entry_id = p.id AND s.status <> 'draft'))
		ORDER BY c.at, c.id`, requestID, presentedOnly)
	if err != nil {
		return nil, mapError(err)
	}
	return out, nil
}

// AddSelectionSession records a 4D selection-support session with the
// employer, in one transaction with the request locked: the request must be
// in selection (matching.CheckSelectionStep); the candidate proposed for
// hiring, if any, must be one presented in this request; the session is
// audited. It sets the session's ID, time and author.
func (s *DB) AddSelectionSession(ctx context.Context, ss *matching.SelectionSession, a Actor) error {
	ss.Participants, ss.Note = strings.TrimSpace(ss.Participants), strings.TrimSpace(ss.Note)
	ss.HeldAt = dbTime(ss.HeldAt)
	if err := ss.Validate(); err != nil {
		return err
	}
	now := s.now()
	ss.At, ss.By = now, a.by()
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		r, err := openRequest(ctx, tx, ss.RequestID)
		if err != nil {
			return err
		}
		if err := matching.CheckSelectionStep(r.Status); err != nil {
			return err
		}
		detail := map[string]any{"held_at": ss.HeldAt}
		if ss.ProposedEntryID != nil {
			var p struct {
				RequestID int64  `db:"request_id"`
				Presented bool   `db:"presented"`
				Pseudonym string `db:"pseudonym"`
			}
			err := tx.GetContext(ctx, &p, `SELECT p.request_id, p.pseudonym, EXISTS (SELECT 1 FROM shortlist_items i
				JOIN shortlists s ON s.id = i.shortlist_id WHERE i.entry_id = p.id AND s.status <> 'draft') AS presented
				FROM pipeline_entries p WHERE p.id = $1`, *ss.ProposedEntryID)
			if errors.Is(err, sql.ErrNoRows) || (err == nil && p.RequestID != r.ID) {
				return matching.FieldErrorf("proposed_entry_id", "pipeline entry %d is not a candidate of request %d", *ss.ProposedEntryID, r.ID)
			}
			if err != nil {
				return err
			}
			if !p.Presented {
				return &matching.Error{Code: matching.ECONFLICT, Field: "proposed_entry_id", Message: fmt.Sprintf(
					"candidate %s has not been presented to the employer: only a presented candidate is proposed for hiring", p.Pseudonym)}
			}
			detail["proposed_entry_id"], detail["pseudonym"] = *ss.ProposedEntryID, p.Pseudonym
		}
		err = tx.QueryRowxContext(ctx, `
			INSERT INTO selection_sessions (request_id, held_at, participants, note, proposed_entry_id, at, by_user)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
			ss.RequestID, ss.HeldAt, ss.Participants, ss.Note, ss.ProposedEntryID, ss.At, ss.By).Scan(&ss.ID)
		if err != nil {
			return err
		}
		return writeAudit(ctx, tx, a.event(now, "selection_session", "selection_session", &ss.ID, &r.ID, nil, detail))
	})
}

// SelectionSessions returns the selection-support sessions of a request in
// the order they were held.
func (s *DB) SelectionSessions(ctx context.Context, requestID int64) ([]matching.SelectionSession, error) {
	out := []matching.SelectionSession{}
	err := s.db.SelectContext(ctx, &out, `SELECT id, request_id, held_at, participants, note, proposed_entry_id, at,
		by_user AS "by" FROM selection_sessions WHERE request_id = $1 ORDER BY held_at, id`, requestID)
	if err != nil {
		return nil, mapError(err)
	}
	return out, nil
}
