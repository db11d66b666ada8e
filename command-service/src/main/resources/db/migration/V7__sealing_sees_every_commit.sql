-- A global index is drawn while an INSERT builds its row; PostgreSQL gives the transaction its id only when the
-- row is stored. The sealer seals a position once every transaction in progress at a snapshot has ended, which
-- only holds if a transaction that has drawn an index already has an id: take it first, before the statement
-- builds any row (a statement-level BEFORE trigger runs before the index's DEFAULT is evaluated).
CREATE FUNCTION take_transaction_id_first() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_current_xact_id();
    RETURN NULL;
END
$$;

CREATE TRIGGER domain_event_entry_transaction_id_first
    BEFORE INSERT ON domain_event_entry
    FOR EACH STATEMENT EXECUTE FUNCTION take_transaction_id_first();

-- A checkpoint signed and about to be sent, committed before it is sent: whichever replica seals next sends these
-- same bytes again rather than sealing that number anew, so one number never names two checkpoints. Removed when
-- the checkpoint is recorded in log_checkpoint.
CREATE TABLE log_checkpoint_pending (
    number     BIGINT      NOT NULL,
    body       BYTEA       NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT log_checkpoint_pending_pkey PRIMARY KEY (number)
);
