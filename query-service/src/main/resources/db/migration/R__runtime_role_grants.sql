-- What query-service's runtime role may do: keep the read models it projects, and create the schemas a
-- rebuild writes into (rebuild_<id>, which it then owns and drops). Run by the schema's owner after
-- every migration. Everything here is derived from the events topic and can be rebuilt.
GRANT USAGE ON SCHEMA public TO "${runtime_role}";
GRANT SELECT, INSERT, UPDATE, DELETE ON token_entry, audit_event, payment_view, journal_line TO "${runtime_role}";
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO "${runtime_role}";
GRANT SELECT ON flyway_schema_history TO "${runtime_role}";
DO $$ BEGIN EXECUTE format('GRANT CREATE ON DATABASE %I TO %I', current_database(), '${runtime_role}'); END $$;
