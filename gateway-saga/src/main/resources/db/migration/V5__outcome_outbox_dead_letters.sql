-- Reports command-service cannot act on as sent (400, 404, 422) are dead-lettered instead of retried for ever:
-- they no longer hold up the payment's later reports, an operator sees them (GET /v1/gateway-reports) and
-- retries or discards each. problem keeps what command-service said, for refused and dead reports alike.
ALTER TABLE outcome_outbox
    ADD COLUMN dead_at  TIMESTAMPTZ,
    ADD COLUMN was_dead BOOLEAN NOT NULL DEFAULT false,
    ADD COLUMN problem  VARCHAR(500);

DROP INDEX outcome_outbox_due;
DROP INDEX outcome_outbox_payment_order;
CREATE INDEX outcome_outbox_due ON outcome_outbox (next_attempt_at, id) WHERE delivered_at IS NULL AND dead_at IS NULL;
CREATE INDEX outcome_outbox_payment_order ON outcome_outbox (payment_id, id) WHERE delivered_at IS NULL AND dead_at IS NULL;
CREATE INDEX outcome_outbox_dead ON outcome_outbox (dead_at) WHERE dead_at IS NOT NULL;
CREATE INDEX outcome_outbox_refused ON outcome_outbox (delivered_at) WHERE result = 'refused';
