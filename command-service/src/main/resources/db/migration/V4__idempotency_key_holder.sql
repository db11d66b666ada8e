-- The request holding an in-flight Idempotency-Key, as a fencing token: a request that outlived its lease
-- and lost the key to a retry may neither store its outcome nor release the key (its transaction rolls back),
-- so exactly one outcome is ever stored and replayed.
ALTER TABLE idempotency_key ADD COLUMN holder UUID;
