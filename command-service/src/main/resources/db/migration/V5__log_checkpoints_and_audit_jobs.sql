-- command-service's own copy of the checkpoints it sealed (the evidence is the checkpoint topic, outside this
-- database; this copy answers the API and says where the next checkpoint starts). Append-only like the log.
CREATE TABLE log_checkpoint (
    number       BIGINT      NOT NULL,
    position     BIGINT      NOT NULL,                -- the highest global index covered
    total_events BIGINT      NOT NULL,
    digest       VARCHAR(64) NOT NULL,
    sealed_at    TIMESTAMPTZ NOT NULL,
    body         BYTEA       NOT NULL,                -- the signed checkpoint exactly as published
    CONSTRAINT log_checkpoint_pkey PRIMARY KEY (number),
    CONSTRAINT log_checkpoint_position UNIQUE (position)
);

CREATE TRIGGER log_checkpoint_append_only
    BEFORE UPDATE OR DELETE ON log_checkpoint
    FOR EACH ROW EXECUTE FUNCTION reject_event_log_change();

-- Auditors' long-running requests: verifications of the store and exports of the log, so that any replica
-- answers about them.
CREATE TABLE audit_job (
    id           UUID         NOT NULL,
    kind         VARCHAR(32)  NOT NULL,                -- store-verification, log-export
    state        VARCHAR(16)  NOT NULL,                -- running, finished, failed, refused; ready (an export)
    requested_by VARCHAR(255),
    request      JSONB        NOT NULL,
    progress     JSONB,
    result       JSONB,
    created_at   TIMESTAMPTZ  NOT NULL,
    updated_at   TIMESTAMPTZ  NOT NULL,
    CONSTRAINT audit_job_pkey PRIMARY KEY (id)
);
