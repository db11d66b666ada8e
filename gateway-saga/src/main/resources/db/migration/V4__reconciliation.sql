-- Reconciliation with Fiuu. ledger_payment is the ledger's view of each payment, folded from the
-- events topic (PaymentHistory, as the aggregate folds it); a run asks Fiuu about the payments that
-- moved in its window and keeps every disagreement as a row finance can read.
CREATE TABLE ledger_payment (
    payment_id             VARCHAR(64)  NOT NULL,
    merchant_id            VARCHAR(64)  NOT NULL,
    order_id               VARCHAR(64)  NOT NULL,
    currency               CHAR(3)      NOT NULL,
    amount                 BIGINT       NOT NULL,
    status                 VARCHAR(32)  NOT NULL,
    authorised             BIGINT       NOT NULL,
    captured               BIGINT       NOT NULL,
    refunded               BIGINT       NOT NULL,
    gateway_transaction_id VARCHAR(64),
    state                  TEXT         NOT NULL,   -- the PaymentState as JSON, to fold the next event onto
    last_sequence          BIGINT       NOT NULL,   -- the payment's last event applied; a redelivered one is skipped
    updated_at             TIMESTAMPTZ  NOT NULL,   -- when the last event happened
    CONSTRAINT ledger_payment_pkey PRIMARY KEY (payment_id)
);
CREATE INDEX ledger_payment_updated ON ledger_payment (updated_at);

CREATE TABLE reconciliation_run (
    id                VARCHAR(64)  NOT NULL,
    requested_by      VARCHAR(128) NOT NULL,       -- "schedule", or the operator's token subject
    window_from       TIMESTAMPTZ  NOT NULL,
    window_to         TIMESTAMPTZ  NOT NULL,
    status            VARCHAR(16)  NOT NULL,       -- queued, running, completed, incomplete (Fiuu did not answer for some)
    requested_at      TIMESTAMPTZ  NOT NULL DEFAULT now(),
    started_at        TIMESTAMPTZ,
    finished_at       TIMESTAMPTZ,
    payments_checked  INTEGER      NOT NULL DEFAULT 0,
    payments_matched  INTEGER      NOT NULL DEFAULT 0,
    payments_unchecked INTEGER     NOT NULL DEFAULT 0,
    mismatches        INTEGER      NOT NULL DEFAULT 0,
    CONSTRAINT reconciliation_run_pkey PRIMARY KEY (id)
);
CREATE INDEX reconciliation_run_requested ON reconciliation_run (requested_at DESC);

CREATE TABLE reconciliation_mismatch (
    run_id                 VARCHAR(64)  NOT NULL,
    payment_id             VARCHAR(64)  NOT NULL,
    merchant_id            VARCHAR(64)  NOT NULL,
    order_id               VARCHAR(64)  NOT NULL,
    kind                   VARCHAR(32)  NOT NULL,
    currency               CHAR(3)      NOT NULL,
    ledger_status          VARCHAR(32)  NOT NULL,
    ledger_amount          BIGINT       NOT NULL,   -- what the ledger says the gateway holds or took
    ledger_transaction_id  VARCHAR(64),
    gateway_status         VARCHAR(32)  NOT NULL,
    gateway_stat_code      VARCHAR(16),
    gateway_amount         BIGINT,
    gateway_transaction_id VARCHAR(64),
    detected_at            TIMESTAMPTZ  NOT NULL DEFAULT now(),
    CONSTRAINT reconciliation_mismatch_pkey PRIMARY KEY (run_id, payment_id)
);
