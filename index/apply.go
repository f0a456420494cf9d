package index

import (
	"errors"
	"fmt"
	"time"
)

// Apply writes changes to the index and records upTo as its position, all in
// one bleve batch, so the index and its position never disagree: after a
// crash either both are there or neither. A change with a nil candidate, or
// with one that must not be indexed (see Document), removes the document.
// When a candidate changes more than once in changes, the last change wins.
// asOf is "today" for the documents built.
func (ix *Index) Apply(changes []Change, upTo Position, asOf time.Time) error {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.closed {
		return errors.New("index: apply to a closed index")
	}
	// Bump even on failure: a failed batch may have been partly applied.
	defer ix.gen.Add(1)

	last := make(map[int64]int, len(changes))
	for i, ch := range changes {
		last[ch.CandidateID] = i
	}
	batch := ix.cur.NewBatch()
	for i, ch := range changes {
		if last[ch.CandidateID] != i {
			continue
		}
		id := candidateDocID(ch.CandidateID)
		if ch.Candidate == nil {
			batch.Delete(id)
			continue
		}
		if ch.Candidate.ID != ch.CandidateID {
			return fmt.Errorf("index: change of candidate %d carries candidate %d", ch.CandidateID, ch.Candidate.ID)
		}
		doc, ok := Document(*ch.Candidate, asOf)
		if !ok {
			batch.Delete(id)
			continue
		}
		if err := batch.Index(id, doc); err != nil {
			return fmt.Errorf("index: candidate %d: %w", ch.CandidateID, err)
		}
	}
	batch.SetInternal(keyPosition, encodePosition(upTo))
	if err := ix.cur.Batch(batch); err != nil {
		return fmt.Errorf("index: apply up to %s: %w", upTo, err)
	}
	return nil
}
