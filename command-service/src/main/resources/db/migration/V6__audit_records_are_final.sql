-- What an auditor was told stays told. log_checkpoint cannot be emptied either (V5 refused UPDATE and DELETE row
-- by row); an audit job's request is fixed when it is made, and once it ends (finished, failed, refused) nothing
-- about it changes; while it runs, only its progress and its end are written. No job is ever deleted.
CREATE TRIGGER log_checkpoint_no_truncate
    BEFORE TRUNCATE ON log_checkpoint
    FOR EACH STATEMENT EXECUTE FUNCTION reject_event_log_change();

CREATE FUNCTION audit_job_only_runs_to_its_end() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'UPDATE' THEN
        RAISE EXCEPTION 'audit_job is kept: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF OLD.state <> 'running' THEN
        RAISE EXCEPTION 'audit job % has ended (%): it cannot be changed', OLD.id, OLD.state
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NEW.id <> OLD.id OR NEW.kind <> OLD.kind OR NEW.request <> OLD.request
       OR NEW.requested_by IS DISTINCT FROM OLD.requested_by OR NEW.created_at <> OLD.created_at THEN
        RAISE EXCEPTION 'audit job %: only its progress and its end are written', OLD.id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER audit_job_final
    BEFORE UPDATE OR DELETE ON audit_job
    FOR EACH ROW EXECUTE FUNCTION audit_job_only_runs_to_its_end();

CREATE TRIGGER audit_job_no_truncate
    BEFORE TRUNCATE ON audit_job
    FOR EACH STATEMENT EXECUTE FUNCTION audit_job_only_runs_to_its_end();
