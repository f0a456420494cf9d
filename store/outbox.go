package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/jmoiron/sqlx"

	"incontro/matching"
)

// The outbox is an append-only log of changes to searchable data. Sequence
// order is not commit order: a transaction can take an id, then commit
// after a later one. Readers therefore go in (txid, id) order and only up to
// the oldest transaction still in progress (the xmin of a fresh snapshot):
// every transaction below it has ended, so no row can appear there later.

// safeHorizon is the SQL for the first transaction id that may still be in progress.
const safeHorizon = `pg_snapshot_xmin(pg_current_snapshot())`

// OutboxAfter returns up to limit outbox rows after the position (txid, id),
// in order, written by transactions that have all ended.
func (s *DB) OutboxAfter(ctx context.Context, txid uint64, id int64, limit int) ([]matching.OutboxEvent, error) {
	rows := []matching.OutboxEvent{}
	err := s.db.SelectContext(ctx, &rows, `
		SELECT id, txid::text::bigint AS txid, at, entity, entity_id, op FROM outbox
		WHERE (txid, id) > ($1::text::xid8, $2) AND txid < `+safeHorizon+`
		ORDER BY txid, id LIMIT $3`, txid, id, limit)
	return rows, mapError(err)
}

// OutboxHead returns the position of the last outbox row that is safe to
// read now (or the pruning horizon when there is none). An index rebuilt
// from a snapshot taken after this call is complete up to it.
func (s *DB) OutboxHead(ctx context.Context) (txid uint64, id int64, err error) {
	err = s.db.QueryRowxContext(ctx, `
		SELECT txid::text::bigint, id FROM outbox WHERE txid < `+safeHorizon+`
		ORDER BY txid DESC, id DESC LIMIT 1`).Scan(&txid, &id)
	if errors.Is(err, sql.ErrNoRows) {
		return s.OutboxHorizon(ctx)
	}
	return txid, id, mapError(err)
}

// OutboxHorizon returns the position up to which rows have been pruned
// (zero when none has): a reader behind it has missed changes.
func (s *DB) OutboxHorizon(ctx context.Context) (txid uint64, id int64, err error) {
	err = s.db.QueryRowxContext(ctx, `SELECT txid::text::bigint, id FROM outbox_horizon`).Scan(&txid, &id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, 0, nil
	}
	return txid, id, mapError(err)
}

// PruneOutbox deletes the rows written before the cutoff by transactions
// that have ended, and moves the horizon to the last of them. It returns
// how many rows it deleted.
func (s *DB) PruneOutbox(ctx context.Context, before time.Time) (int, error) {
	var n int
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		var last struct {
			TxID uint64 `db:"txid"`
			ID   int64  `db:"id"`
		}
		err := tx.GetContext(ctx, &last, `
			SELECT txid::text::bigint AS txid, id FROM outbox WHERE at < $1 AND txid < `+safeHorizon+`
			ORDER BY txid DESC, id DESC LIMIT 1`, before)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM outbox WHERE (txid, id) <= ($1::text::xid8, $2)`, last.TxID, last.ID)
		if err != nil {
			return err
		}
		deleted, _ := res.RowsAffected()
		n = int(deleted)
		_, err = tx.ExecContext(ctx, `
			INSERT INTO outbox_horizon (txid, id, pruned_at) VALUES ($1::text::xid8, $2, $3)
			ON CONFLICT (singleton) DO UPDATE SET txid = EXCLUDED.txid, id = EXCLUDED.id, pruned_at = EXCLUDED.pruned_at`,
			last.TxID, last.ID, s.now())
		return err
	})
	return n, err
}

// CandidatesAfter pages through every candidate with the whole CV, by id,
// for rebuilding the index.
func (s *DB) CandidatesAfter(ctx context.Context, afterID int64, limit int) ([]matching.Candidate, error) {
	ids, err := s.CandidateIDs(ctx, afterID, limit)
	if err != nil {
		return nil, err
	}
	return s.CandidatesByID(ctx, ids)
}
