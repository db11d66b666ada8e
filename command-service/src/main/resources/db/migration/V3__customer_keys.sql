-- Customers' data keys (issue 6). A customer's name, email and phone are sealed in the events with a
-- data key of their own; the key is stored here wrapped (AES-256-GCM) by a master key named in
-- master_key_id. Deleting a customer's rows is forgetting them: the sealed values in the event log,
-- the Kafka topic and every read model can no longer be opened, while the events stay as they were.
-- subject is a keyed hash (HMAC-SHA256) of the merchant and the customer's email or phone, never the
-- email or phone itself.
CREATE TABLE customer_key (
    key_id        VARCHAR(64)  NOT NULL,
    merchant_id   VARCHAR(64)  NOT NULL,
    subject       CHAR(64)     NOT NULL,
    master_key_id VARCHAR(64)  NOT NULL,
    wrapped_key   BYTEA        NOT NULL,
    created_at    TIMESTAMPTZ  NOT NULL DEFAULT now(),
    CONSTRAINT customer_key_pkey PRIMARY KEY (key_id)
);
CREATE INDEX customer_key_subject ON customer_key (subject, created_at DESC);
CREATE INDEX customer_key_master_key ON customer_key (master_key_id);

-- The record that a customer was forgotten: when, by whom and how many keys went. It names the
-- subject's hash only, which no longer leads to anything once the keys are gone.
CREATE TABLE customer_erasure (
    subject     CHAR(64)     NOT NULL,
    merchant_id VARCHAR(64)  NOT NULL,
    erased_keys INTEGER      NOT NULL,
    erased_by   VARCHAR(255) NOT NULL,
    erased_at   TIMESTAMPTZ  NOT NULL DEFAULT now()
);
CREATE INDEX customer_erasure_subject ON customer_erasure (subject);
