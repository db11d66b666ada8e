package io.payledger.command.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Auditors' long-running requests (verifications of the store, exports), in the database so that any replica
 * answers about them. A job whose replica stopped working on it is reported abandoned: its heartbeat, the
 * last progress it wrote, is older than {@link #ABANDONED_AFTER}. A job's request is fixed when it is made and its
 * result once it ends: the database's triggers refuse any other change, so what an auditor was told stays told.
 */
public class AuditJobs {

    static final Duration ABANDONED_AFTER = Duration.ofMinutes(2);

    public record Job(UUID id, String kind, String state, String requestedBy, JsonNode request, JsonNode progress,
                      JsonNode result, Instant createdAt, Instant updatedAt) { }

    private final JdbcTemplate jdbc;
    private final TransactionTemplate ownTransaction;
    private final ObjectMapper json;

    /** @param ownTransaction writes commit on their own, also from inside a verification's read-only snapshot */
    public AuditJobs(JdbcTemplate jdbc, TransactionTemplate ownTransaction, ObjectMapper json) {
        this.jdbc = jdbc;
        this.ownTransaction = ownTransaction;
        this.json = json;
    }

    public UUID create(String kind, String requestedBy, Object request, String state) {
        UUID id = UUID.randomUUID();
        update("INSERT INTO audit_job (id, kind, state, requested_by, request, created_at, updated_at)"
                + " VALUES (?, ?, ?, ?, ?::jsonb, now(), now())", id, kind, state, requestedBy, write(request));
        return id;
    }

    public void progress(UUID id, Object progress) {
        update("UPDATE audit_job SET progress = ?::jsonb, updated_at = now() WHERE id = ? AND state = 'running'",
                write(progress), id);
    }

    /** Ends a running job; a job's end is final (the database refuses to change it afterwards). */
    public void finish(UUID id, String state, Object progress, Object result) {
        update("UPDATE audit_job SET state = ?, progress = ?::jsonb, result = ?::jsonb, updated_at = now()"
                + " WHERE id = ? AND state = 'running'", state, write(progress), write(result), id);
    }

    private void update(String sql, Object... arguments) {
        ownTransaction.executeWithoutResult(status -> jdbc.update(sql, arguments));
    }

    public Optional<Job> find(UUID id, String kind) {
        return jdbc.query("""
                SELECT id, kind, CASE WHEN state = 'running' AND updated_at < now() - make_interval(secs => ?)
                                      THEN 'abandoned' ELSE state END,
                       requested_by, request::text, progress::text, result::text, created_at, updated_at
                FROM audit_job WHERE id = ? AND kind = ?""",
                (row, n) -> new Job(UUID.fromString(row.getString(1)), row.getString(2), row.getString(3), row.getString(4),
                        read(row.getString(5)), read(row.getString(6)), read(row.getString(7)),
                        row.getTimestamp(8).toInstant(), row.getTimestamp(9).toInstant()),
                (double) ABANDONED_AFTER.toSeconds(), id, kind).stream().findFirst();
    }

    private String write(Object value) {
        try {
            return value == null ? null : json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private JsonNode read(String text) {
        try {
            return text == null ? null : json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
