-- gateway-saga's own database: where it is in the events topic, its sagas, its deadlines,
-- and every notification Fiuu sent.

CREATE TABLE token_entry (
    processor_name VARCHAR(255) NOT NULL,
    segment        INTEGER      NOT NULL,
    token          BYTEA,
    token_type     VARCHAR(255),
    time_stamp     VARCHAR(255),
    owner          VARCHAR(255),
    CONSTRAINT token_entry_pkey PRIMARY KEY (processor_name, segment)
);

CREATE TABLE saga_entry (
    saga_id         VARCHAR(255) NOT NULL,
    revision        VARCHAR(255),
    saga_type       VARCHAR(255),
    serialized_saga BYTEA,
    CONSTRAINT saga_entry_pkey PRIMARY KEY (saga_id)
);

CREATE TABLE association_value_entry (
    id                BIGSERIAL    NOT NULL,
    association_key   VARCHAR(255) NOT NULL,
    association_value VARCHAR(255),
    saga_type         VARCHAR(255) NOT NULL,
    saga_id           VARCHAR(255) NOT NULL,
    CONSTRAINT association_value_entry_pkey PRIMARY KEY (id)
);
-- the two look-ups the saga store makes (ANCHORS.md 4.4)
CREATE INDEX association_value_entry_lookup ON association_value_entry (saga_type, association_key, association_value);
CREATE INDEX association_value_entry_saga ON association_value_entry (saga_id, saga_type);

-- db-scheduler: persistent deadlines (re-queries, retries) that survive restarts
CREATE TABLE scheduled_tasks (
    task_name            TEXT                     NOT NULL,
    task_instance        TEXT                     NOT NULL,
    task_data            BYTEA,
    execution_time       TIMESTAMP WITH TIME ZONE NOT NULL,
    picked               BOOLEAN                  NOT NULL,
    picked_by            TEXT,
    last_success         TIMESTAMP WITH TIME ZONE,
    last_failure         TIMESTAMP WITH TIME ZONE,
    consecutive_failures INT,
    last_heartbeat       TIMESTAMP WITH TIME ZONE,
    version              BIGINT                   NOT NULL,
    priority             SMALLINT,
    PRIMARY KEY (task_name, task_instance)
);
CREATE INDEX scheduled_tasks_execution_time ON scheduled_tasks (execution_time);
CREATE INDEX scheduled_tasks_last_heartbeat ON scheduled_tasks (last_heartbeat);
CREATE INDEX scheduled_tasks_priority_execution_time ON scheduled_tasks (priority DESC, execution_time ASC);

-- which payment a Fiuu order id and a refund's RefID belong to
CREATE TABLE fiuu_order (
    order_id   VARCHAR(40)  NOT NULL,
    payment_id VARCHAR(64)  NOT NULL,
    currency   CHAR(3)      NOT NULL,
    return_url VARCHAR(2048),
    created_at TIMESTAMPTZ  NOT NULL DEFAULT now(),
    CONSTRAINT fiuu_order_pkey PRIMARY KEY (order_id)
);

CREATE TABLE fiuu_refund (
    ref_id     VARCHAR(64) NOT NULL,
    payment_id VARCHAR(64) NOT NULL,
    CONSTRAINT fiuu_refund_pkey PRIMARY KEY (ref_id)
);

-- every notification as received; verified ones once per (kind, tranID or RefID, status)
CREATE TABLE fiuu_inbox (
    id              BIGSERIAL    NOT NULL,
    kind            VARCHAR(16)  NOT NULL,
    reference       VARCHAR(64)  NOT NULL,
    status          VARCHAR(16)  NOT NULL,
    channel         VARCHAR(16)  NOT NULL,
    raw             JSONB        NOT NULL,
    verified        BOOLEAN      NOT NULL,
    received_at     TIMESTAMPTZ  NOT NULL DEFAULT now(),
    attempts        INTEGER      NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ  NOT NULL DEFAULT now(),
    processed_at    TIMESTAMPTZ,
    outcome         VARCHAR(500),
    CONSTRAINT fiuu_inbox_pkey PRIMARY KEY (id)
);
CREATE UNIQUE INDEX fiuu_inbox_once ON fiuu_inbox (kind, reference, status) WHERE verified;
CREATE INDEX fiuu_inbox_due ON fiuu_inbox (next_attempt_at) WHERE verified AND processed_at IS NULL;
