-- Money Fiuu holds or took under a payment's order that is not its authorisation (another currency or amount, a
-- second charge, a charge after the payment failed or expired): command-service records it, and this table is the
-- gateway's work list for giving it back (a reversal while only held, a refund once taken), one row per charge.
CREATE TABLE unexpected_charge (
    charge_id       VARCHAR(64)  NOT NULL,            -- Fiuu's tranID
    payment_id      VARCHAR(64)  NOT NULL,
    amount          BIGINT       NOT NULL,            -- minor units of currency, as charged
    currency        CHAR(3)      NOT NULL,
    captured        BOOLEAN      NOT NULL,            -- taken (refund it) rather than held (reverse it)
    reason          VARCHAR(32)  NOT NULL,
    status          VARCHAR(16)  NOT NULL DEFAULT 'releasing',  -- releasing, reported, waiting (for an operator), released
    attempts        INTEGER      NOT NULL DEFAULT 0,  -- calls Fiuu did not answer
    polls           INTEGER      NOT NULL DEFAULT 0,  -- answers that a refund is still pending
    accepted_at     TIMESTAMPTZ,                      -- Fiuu took the refund that gives it back (pending 7-14 days)
    next_attempt_at TIMESTAMPTZ  NOT NULL DEFAULT now(),
    claimed_until   TIMESTAMPTZ,                      -- a replica is calling Fiuu about it until then...
    claimed_by      UUID,                             -- ...and only that claim may record what happened
    last_error      VARCHAR(500),
    recorded_at     TIMESTAMPTZ  NOT NULL DEFAULT now(),
    released_at     TIMESTAMPTZ,
    CONSTRAINT unexpected_charge_pkey PRIMARY KEY (charge_id)
);
CREATE INDEX unexpected_charge_due ON unexpected_charge (next_attempt_at) WHERE status = 'releasing';
CREATE INDEX unexpected_charge_held ON unexpected_charge (recorded_at) WHERE status <> 'released';
CREATE INDEX unexpected_charge_not_accepted ON unexpected_charge (recorded_at) WHERE status <> 'released' AND accepted_at IS NULL;

-- a refund that gives an unexpected charge back names the charge, so its notification releases the charge
ALTER TABLE fiuu_refund ADD COLUMN charge_id VARCHAR(64);

-- what a reconciliation run found of each unexpected charge: given back on both sides (settled), or not
CREATE TABLE reconciliation_charge (
    run_id         VARCHAR(64) NOT NULL,
    payment_id     VARCHAR(64) NOT NULL,
    charge_id      VARCHAR(64) NOT NULL,
    currency       CHAR(3)     NOT NULL,
    amount         BIGINT      NOT NULL,
    ledger_status  VARCHAR(16) NOT NULL,   -- held, released
    gateway_status VARCHAR(32) NOT NULL,   -- what Fiuu says: held, taken, reversed, refunded
    settled        BOOLEAN     NOT NULL,   -- given back on both sides
    CONSTRAINT reconciliation_charge_pkey PRIMARY KEY (run_id, charge_id)
);
