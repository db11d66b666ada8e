package io.payledger.command.audit;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.payledger.events.audit.Checkpoint;
import io.payledger.events.audit.ExportLines;
import io.payledger.events.audit.StoredEvent;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The log as auditors take it away: JSON Lines, each event exactly as stored (payload and metadata bytes,
 * revision, hashes), each checkpoint as published, just before the events it covers, and a first line that
 * says what the export holds and carries the public keys. An export is fixed when it is asked for (a scope and
 * the log's newest position then), so every download of it holds the same lines.
 * <p>
 * Scopes: {@code all} (the whole log: a verifier can prove nothing is missing), {@code merchant} (every
 * payment of one merchant) or {@code period} (every payment created in a period). A partial export holds
 * each of its payments' whole histories and lists its payments, so deletions are proven for those payments.
 */
public class LogExports {

    public static final String KIND = "log-export";

    /** What an export holds; {@code merchantId} and {@code from}/{@code to} narrow it. */
    public record Request(String merchantId, Instant from, Instant to) {

        String scope() {
            return merchantId != null ? "merchant" : from != null || to != null ? "period" : "all";
        }
    }

    /** A request fixed at the log's newest position when it was made. */
    public record Fixed(String scope, String merchantId, Instant from, Instant to, long upToPosition, Instant requestedAt) { }

    private final JdbcTemplate jdbc;
    private final EventStoreRows rows;
    private final CheckpointTopic topic;
    private final AuditJobs jobs;
    private final List<String> publicKeys;
    private final ObjectMapper json;

    public LogExports(JdbcTemplate jdbc, EventStoreRows rows, CheckpointTopic topic, AuditJobs jobs, List<String> publicKeys,
                      ObjectMapper json) {
        this.jdbc = jdbc;
        this.rows = rows;
        this.topic = topic;
        this.jobs = jobs;
        this.publicKeys = publicKeys;
        this.json = json;
    }

    public UUID request(Request request, String requestedBy) {
        Fixed fixed = new Fixed(request.scope(), request.merchantId(), request.from(), request.to(), rows.newestPosition(),
                Instant.now());
        return jobs.create(KIND, requestedBy, fixed, "ready");
    }

    public Fixed fixed(JsonNode request) {
        return json.convertValue(request, Fixed.class);
    }

    /** Writes the export's lines. */
    public void write(Fixed export, OutputStream out) throws IOException {
        List<String> payments = "all".equals(export.scope()) ? null : payments(export);
        JsonGenerator lines = json.getFactory().createGenerator(out);
        lines.setRootValueSeparator(null);
        ObjectNode header = ExportLines.header(export.scope(), export.upToPosition(), export.requestedAt().toString(),
                publicKeys);
        if (export.merchantId() != null) {
            header.put("merchantId", export.merchantId());
        }
        if (export.from() != null) {
            header.put("from", export.from().toString());
        }
        if (export.to() != null) {
            header.put("to", export.to().toString());
        }
        if (payments != null) {
            payments.forEach(header.putArray("payments")::add);
        }
        line(lines, out, header);
        List<Checkpoint> checkpoints = new ArrayList<>();
        topic.checkpoints(checkpoint -> {
            if (checkpoint.position() <= export.upToPosition()) {
                checkpoints.add(checkpoint);
            }
        });
        long position = 0;
        for (Checkpoint checkpoint : checkpoints) {
            line(lines, out, ExportLines.checkpoint(checkpoint));
            long to = Math.max(position, checkpoint.position());
            events(position, to, payments, lines, out);
            position = to;
        }
        events(position, export.upToPosition(), payments, lines, out);
        lines.flush();
    }

    private void events(long from, long to, List<String> payments, JsonGenerator lines, OutputStream out) {
        rows.read(from, to, payments, event -> {
            try {
                line(lines, out, ExportLines.event(event));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private List<String> payments(Fixed export) {
        if ("merchant".equals(export.scope())) {
            return jdbc.queryForList("""
                    SELECT aggregate_identifier FROM domain_event_entry
                    WHERE sequence_number = 0 AND global_index <= ?
                      AND convert_from(payload, 'UTF8')::jsonb ->> 'merchantId' = ?
                    ORDER BY global_index""", String.class, export.upToPosition(), export.merchantId());
        }
        return jdbc.queryForList("""
                SELECT aggregate_identifier FROM domain_event_entry
                WHERE sequence_number = 0 AND global_index <= ?
                  AND (?::timestamptz IS NULL OR time_stamp::timestamptz >= ?::timestamptz)
                  AND (?::timestamptz IS NULL OR time_stamp::timestamptz < ?::timestamptz)
                ORDER BY global_index""", String.class, export.upToPosition(), timestamp(export.from()),
                timestamp(export.from()), timestamp(export.to()), timestamp(export.to()));
    }

    private void line(JsonGenerator lines, OutputStream out, Object value) throws IOException {
        json.writeValue(lines, value);
        lines.flush();
        out.write('\n');
    }

    private static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }
}
