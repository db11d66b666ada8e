-- What gateway-saga is to ask Fiuu: a persistent queue between handling events and calling Fiuu. An item is
-- scheduled in the transaction that handled its event (one per event: a redelivery schedules nothing twice),
-- claimed by a worker for a while, and settled, put off (with its counts), or left waiting for an operator.
CREATE TABLE fiuu_work (
    id            BIGSERIAL    NOT NULL,
    event_id      VARCHAR(255) NOT NULL,            -- the event that asked for it
    payment_id    VARCHAR(64)  NOT NULL,
    step          VARCHAR(140) NOT NULL,            -- capture, void, authorisation (re-query), refund:<id>, release:<charge>
    state         VARCHAR(16)  NOT NULL DEFAULT 'due',  -- due, waiting (for an operator), done
    due_at        TIMESTAMPTZ  NOT NULL DEFAULT now(),
    attempts      INTEGER      NOT NULL DEFAULT 0,  -- calls Fiuu left unanswered, or answered pending
    polls         INTEGER      NOT NULL DEFAULT 0,  -- answers that a refund is still being processed
    not_found     INTEGER      NOT NULL DEFAULT 0,  -- re-queries Fiuu answered "no such payment"
    accepted      BOOLEAN      NOT NULL DEFAULT false,  -- Fiuu accepted the refund: ask about it, never send it again
    by_refund     BOOLEAN      NOT NULL DEFAULT false,  -- an unexpected charge is given back by refund, not reversal
    claimed_until TIMESTAMPTZ,
    claimed_by    UUID,
    last_error    VARCHAR(500),
    created_at    TIMESTAMPTZ  NOT NULL DEFAULT now(),
    done_at       TIMESTAMPTZ,
    CONSTRAINT fiuu_work_pkey PRIMARY KEY (id),
    CONSTRAINT fiuu_work_event UNIQUE (event_id)
);
CREATE INDEX fiuu_work_due ON fiuu_work (due_at) WHERE state = 'due';
CREATE INDEX fiuu_work_payment_step ON fiuu_work (payment_id, step) WHERE state <> 'done';

-- The payment saga and its deadlines are no longer used (the coordination is an event handler, the waits are work
-- items), but saga_entry and association_value_entry stay for one release: pods of the previous release run beside
-- this one during a rolling upgrade, and a rollback needs them. A later migration drops them.
