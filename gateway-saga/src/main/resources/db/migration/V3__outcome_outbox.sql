-- What the saga and the inbox relay decided, waiting to be reported to command-service. A row is
-- written in the same transaction as the decision (the saga's state and token, or the inbox entry
-- marked processed), so a decision is never lost between the two services; OutcomeRelay reports it
-- at least once, a payment's outcomes in the order they were decided, and keeps the row as the record.
CREATE TABLE outcome_outbox (
    id              BIGSERIAL    NOT NULL,
    payment_id      VARCHAR(64)  NOT NULL,
    outcome         VARCHAR(160) NOT NULL,   -- the path under /internal/v1/payments/{id}
    body            TEXT         NOT NULL,   -- the JSON report
    recorded_at     TIMESTAMPTZ  NOT NULL DEFAULT clock_timestamp(),
    attempts        INTEGER      NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ  NOT NULL DEFAULT now(),
    last_error      VARCHAR(500),
    delivered_at    TIMESTAMPTZ,
    result          VARCHAR(16),             -- reported, or refused (409: the payment's record says otherwise)
    CONSTRAINT outcome_outbox_pkey PRIMARY KEY (id)
);
CREATE INDEX outcome_outbox_due ON outcome_outbox (next_attempt_at, id) WHERE delivered_at IS NULL;
CREATE INDEX outcome_outbox_payment_order ON outcome_outbox (payment_id, id) WHERE delivered_at IS NULL;
