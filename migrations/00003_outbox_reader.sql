-- The outbox is read in (txid, id) order by every index replica, only up to
-- the oldest transaction still in progress, so that no row is skipped when
-- transactions commit out of order. Pruning old rows moves a horizon: a
-- replica whose position is behind it rebuilds its index from the tables.

-- +goose Up
CREATE INDEX outbox_txid_id_idx ON outbox (txid, id);

CREATE TABLE outbox_horizon (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    txid      xid8 NOT NULL,
    id        bigint NOT NULL,
    pruned_at timestamptz NOT NULL
);

-- +goose Down
DROP TABLE outbox_horizon;
DROP INDEX outbox_txid_id_idx;
