-- What command-service's runtime role may do; the schema's owner (the migration role) runs this after
-- every migration whose tables the service uses. The event log is append-only for the service itself:
-- it may read and append events, and nothing else on domain_event_entry (the trigger of V1 refuses
-- UPDATE, DELETE and TRUNCATE even to the owner).
-- ${runtime_role} is spring.datasource.username at start, or PAYLEDGER_RUNTIME_ROLE in the migration Job.
GRANT USAGE ON SCHEMA public TO "${runtime_role}";
DO $$ BEGIN
    IF '${runtime_role}' <> (SELECT tableowner FROM pg_tables WHERE schemaname = 'public' AND tablename = 'domain_event_entry') THEN
        EXECUTE format('REVOKE ALL ON domain_event_entry FROM %I', '${runtime_role}');
    END IF;
END $$;
GRANT SELECT, INSERT ON domain_event_entry TO "${runtime_role}";
GRANT USAGE ON SEQUENCE domain_event_entry_global_index_seq TO "${runtime_role}";
GRANT SELECT, INSERT, DELETE ON snapshot_event_entry TO "${runtime_role}";
GRANT SELECT, INSERT, UPDATE, DELETE ON token_entry TO "${runtime_role}";
GRANT SELECT, INSERT, UPDATE, DELETE ON merchant_reference, idempotency_key TO "${runtime_role}";
GRANT SELECT ON flyway_schema_history TO "${runtime_role}";
GRANT SELECT, INSERT, UPDATE, DELETE ON customer_key TO "${runtime_role}";
GRANT SELECT, INSERT ON customer_erasure TO "${runtime_role}";
GRANT SELECT, INSERT ON log_checkpoint TO "${runtime_role}";
GRANT SELECT, INSERT, UPDATE ON audit_job TO "${runtime_role}";
GRANT SELECT, INSERT, DELETE ON log_checkpoint_pending TO "${runtime_role}";
