-- A merchant's order reference is unique: Fiuu knows the payment by it (orderid).
-- Written in the same transaction as the payment's first event.
CREATE TABLE merchant_reference (
    merchant_id        VARCHAR(64) NOT NULL,
    merchant_reference VARCHAR(40) NOT NULL,
    payment_id         VARCHAR(64) NOT NULL,
    CONSTRAINT merchant_reference_pkey PRIMARY KEY (merchant_id, merchant_reference)
);

-- Idempotency-Key records, per merchant (Formance-style: the request hash detects a key reused
-- with another body). An in-flight key holds a lease, so a crash between reservation and
-- completion cannot block the key for ever.
CREATE TABLE idempotency_key (
    merchant_id     VARCHAR(64)  NOT NULL,
    idempotency_key VARCHAR(255) NOT NULL,
    request_hash    CHAR(64)     NOT NULL,
    state           VARCHAR(16)  NOT NULL CHECK (state IN ('in_flight', 'completed')),
    locked_until    TIMESTAMPTZ  NOT NULL,
    response_status INTEGER,
    response_location VARCHAR(255),
    response_body   TEXT,
    created_at      TIMESTAMPTZ  NOT NULL DEFAULT now(),
    completed_at    TIMESTAMPTZ,
    CONSTRAINT idempotency_key_pkey PRIMARY KEY (merchant_id, idempotency_key)
);
CREATE INDEX idempotency_key_created_at ON idempotency_key (created_at);
