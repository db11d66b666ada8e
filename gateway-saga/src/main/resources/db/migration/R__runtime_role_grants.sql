-- What gateway-saga's runtime role may do: read and write its Fiuu work queue, order registry, inbox,
-- outcome outbox, webhook log, reconciliation and unexpected charges, and nothing to the schema itself. Run by the schema's owner after every migration.
GRANT USAGE ON SCHEMA public TO "${runtime_role}";
GRANT SELECT, INSERT, UPDATE, DELETE ON token_entry, scheduled_tasks, fiuu_work, saga_entry, association_value_entry,
    fiuu_order, fiuu_refund, fiuu_inbox, webhook_payment, webhook_delivery, outcome_outbox,
    ledger_payment, reconciliation_run, reconciliation_mismatch, reconciliation_charge, unexpected_charge TO "${runtime_role}";
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO "${runtime_role}";
GRANT SELECT ON flyway_schema_history TO "${runtime_role}";
