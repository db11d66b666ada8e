-- query-service's own database: its position in the events topic and the read models.
-- Every read model is derived from the events and can be rebuilt from them.

CREATE TABLE token_entry (
    processor_name VARCHAR(255) NOT NULL,
    segment        INTEGER      NOT NULL,
    token          BYTEA,
    token_type     VARCHAR(255),
    time_stamp     VARCHAR(255),
    owner          VARCHAR(255),
    CONSTRAINT token_entry_pkey PRIMARY KEY (processor_name, segment)
);

-- the audit trail: every event once (keyed by its id, so redelivery changes nothing), with its hashes
CREATE TABLE audit_event (
    event_id         VARCHAR(255) NOT NULL,
    payment_id       VARCHAR(64)  NOT NULL,
    sequence_number  BIGINT       NOT NULL,
    payload_type     VARCHAR(255) NOT NULL,
    payload_revision VARCHAR(32),
    payload          BYTEA        NOT NULL,
    meta_data        JSONB        NOT NULL,
    previous_hash    CHAR(64),
    hash             CHAR(64),
    occurred_at      TIMESTAMPTZ  NOT NULL,
    recorded_at      TIMESTAMPTZ  NOT NULL DEFAULT now(),
    CONSTRAINT audit_event_pkey PRIMARY KEY (event_id),
    CONSTRAINT audit_event_payment_sequence UNIQUE (payment_id, sequence_number)
);
CREATE INDEX audit_event_occurred_at ON audit_event (occurred_at);

-- the payment as its events say it stands, and the version (sequence number) it reflects
CREATE TABLE payment_view (
    payment_id         VARCHAR(64)  NOT NULL,
    merchant_id        VARCHAR(64)  NOT NULL,
    merchant_reference VARCHAR(40)  NOT NULL,
    status             VARCHAR(32)  NOT NULL,
    amount             BIGINT       NOT NULL,
    currency           CHAR(3)      NOT NULL,
    version            BIGINT       NOT NULL,
    document           JSONB        NOT NULL,
    created_at         TIMESTAMPTZ  NOT NULL,
    updated_at         TIMESTAMPTZ  NOT NULL,
    CONSTRAINT payment_view_pkey PRIMARY KEY (payment_id)
);
CREATE INDEX payment_view_merchant_created ON payment_view (merchant_id, created_at, payment_id);

-- journal lines: every posting of every money-moving event; balances are their sums
CREATE TABLE journal_line (
    event_id    VARCHAR(255) NOT NULL,
    line_number INTEGER      NOT NULL,
    payment_id  VARCHAR(64)  NOT NULL,
    merchant_id VARCHAR(64)  NOT NULL,
    account     VARCHAR(64)  NOT NULL,
    side        VARCHAR(6)   NOT NULL CHECK (side IN ('debit', 'credit')),
    amount      BIGINT       NOT NULL CHECK (amount > 0),
    currency    CHAR(3)      NOT NULL,
    occurred_at TIMESTAMPTZ  NOT NULL,
    CONSTRAINT journal_line_pkey PRIMARY KEY (event_id, line_number)
);
CREATE INDEX journal_line_balances ON journal_line (merchant_id, account, currency, occurred_at);
CREATE INDEX journal_line_occurred_at ON journal_line (occurred_at);
