-- Outgoing merchant webhooks: which merchant a payment belongs to, and the delivery log
-- (one row per event, so a redelivered event is delivered once).
CREATE TABLE webhook_payment (
    payment_id  VARCHAR(64) NOT NULL,
    merchant_id VARCHAR(64) NOT NULL,
    CONSTRAINT webhook_payment_pkey PRIMARY KEY (payment_id)
);

CREATE TABLE webhook_delivery (
    event_id        VARCHAR(255) NOT NULL,
    merchant_id     VARCHAR(64)  NOT NULL,
    payment_id      VARCHAR(64)  NOT NULL,
    type            VARCHAR(64)  NOT NULL,
    body            TEXT         NOT NULL,
    recorded_at     TIMESTAMPTZ  NOT NULL DEFAULT clock_timestamp(),
    attempts        INTEGER      NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ  NOT NULL DEFAULT now(),
    last_outcome    VARCHAR(255),
    delivered_at    TIMESTAMPTZ,
    given_up_at     TIMESTAMPTZ,
    CONSTRAINT webhook_delivery_pkey PRIMARY KEY (event_id)
);
CREATE INDEX webhook_delivery_due ON webhook_delivery (next_attempt_at) WHERE delivered_at IS NULL AND given_up_at IS NULL;
CREATE INDEX webhook_delivery_payment_order ON webhook_delivery (payment_id, recorded_at) WHERE delivered_at IS NULL AND given_up_at IS NULL;
