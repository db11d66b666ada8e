-- GET /v1/payments?attention=true: the payments with a step waiting for a person, newest first, without a scan
CREATE INDEX payment_view_attention ON payment_view (created_at DESC, payment_id DESC) WHERE document ? 'attention';
