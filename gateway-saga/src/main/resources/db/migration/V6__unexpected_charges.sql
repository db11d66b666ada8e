-- Money Fiuu holds or took under a payment's order that is not its authorisation (another currency or amount, a
-- second charge, a charge after the payment failed or expired): command-service records it, and this table is the
-- gateway's register of them until each is given back (the giving back itself is a Fiuu work item, V7).
CREATE TABLE unexpected_charge (
    charge_id       VARCHAR(64)  NOT NULL,            -- Fiuu's tranID
    payment_id      VARCHAR(64)  NOT NULL,
    amount          BIGINT       NOT NULL,            -- minor units of currency, as charged
    currency        CHAR(3)      NOT NULL,
    captured        BOOLEAN      NOT NULL,            -- taken (refund it) rather than held (reverse it)
    reason          VARCHAR(32)  NOT NULL,
    status          VARCHAR(16)  NOT NULL DEFAULT 'held',  -- held, released
    recorded_at     TIMESTAMPTZ  NOT NULL DEFAULT now(),
    released_at     TIMESTAMPTZ,
    CONSTRAINT unexpected_charge_pkey PRIMARY KEY (charge_id)
);
CREATE INDEX unexpected_charge_held ON unexpected_charge (recorded_at) WHERE status <> 'released';

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
