package io.payledger.command.audit;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.payledger.events.audit.ExportLines;
import io.payledger.events.audit.ExportScope;
import io.payledger.events.audit.SealedEvent;
import io.payledger.events.audit.StoredEvent;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The log as auditors take it away: JSON Lines, each event exactly as stored (payload bytes, revision, time stamp,
 * hashes; not its metadata beyond the hashes), each checkpoint as published, just before the events it covers, and
 * a first line that says what the export holds and carries the public keys.
 * <p>
 * An export is asked for at the log's newest position then, and runs to the first checkpoint that covers that
 * position, so every event in it is sealed once that checkpoint exists (until then the export ends with the
 * events after the newest checkpoint, which only their own chains vouch for, and the header says up to where it
 * is sealed). Its request is fixed in the database when it is made, and each download is read in one snapshot.
 * <p>
 * Scopes ({@link ExportScope}): {@code all} (the whole log: a verifier can prove nothing is missing),
 * {@code merchant} (every payment of one merchant) or {@code period} (every payment created in a period). A
 * partial export holds each of its payments' whole histories and lists its payments; the checkpoints seal each
 * payment's merchant and time stamp, so a verifier proves no payment of the scope was left out and no event of
 * the listed payments deleted.
 */
public class LogExports {

    public static final String KIND = "log-export";

    /** A request fixed at the log's newest position when it was made. */
    public record Fixed(String scope, String merchantId, Instant from, Instant to, long upToPosition, Instant requestedAt) {

        ExportScope exportScope() {
            return ExportScope.of(merchantId, from, to);
        }
    }

    private final JdbcTemplate streaming;
    private final EventStoreRows rows;
    private final CheckpointTopic topic;
    private final AuditJobs jobs;
    private final TransactionTemplate snapshot;
    private final List<String> publicKeys;
    private final ObjectMapper json;

    /** @param snapshot a read-only, repeatable-read transaction: one download, one snapshot of the store */
    public LogExports(JdbcTemplate streaming, EventStoreRows rows, CheckpointTopic topic, AuditJobs jobs,
                      TransactionTemplate snapshot, List<String> publicKeys, ObjectMapper json) {
        this.streaming = streaming;
        this.rows = rows;
        this.topic = topic;
        this.jobs = jobs;
        this.snapshot = snapshot;
        this.publicKeys = publicKeys;
        this.json = json;
    }

    public UUID request(ExportScope scope, String requestedBy) {
        Fixed fixed = new Fixed(scope.scope(), scope.merchantId(), scope.from(), scope.to(), rows.newestPosition(),
                Instant.now());
        return jobs.create(KIND, requestedBy, fixed, "ready");
    }

    public Fixed fixed(JsonNode request) {
        return json.convertValue(request, Fixed.class);
    }

    /** Writes the export's lines. */
    public void write(Fixed export, OutputStream out) throws IOException {
        long checkpointsEnd = topic.end(); // before the snapshot: every event these seal is in it
        try {
            snapshot.executeWithoutResult(status -> {
                try {
                    write(export, checkpointsEnd, out);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private void write(Fixed export, long checkpointsEnd, OutputStream out) throws IOException {
        ExportScope scope = export.exportScope();
        long[] sealedUpTo = {0};
        long[] through = {export.upToPosition()};
        boolean[] covered = {false};
        topic.checkpoints(checkpointsEnd, checkpoint -> {
            if (!covered[0]) {
                sealedUpTo[0] = checkpoint.position();
                covered[0] = checkpoint.position() >= export.upToPosition();
                through[0] = Math.max(through[0], checkpoint.position());
            }
        });
        List<String> payments = scope.isWholeLog() ? null : payments(scope, through[0]);

        JsonGenerator lines = json.getFactory().createGenerator(out);
        lines.setRootValueSeparator(null);
        ObjectNode header = ExportLines.header(scope, through[0], export.requestedAt().toString(), publicKeys);
        header.put("requestedUpToPosition", export.upToPosition()).put("sealedUpToPosition", sealedUpTo[0]);
        if (payments != null) {
            payments.forEach(header.putArray("payments")::add);
        }
        line(lines, out, header);
        long[] position = {0};
        topic.checkpoints(checkpointsEnd, checkpoint -> {
            if (checkpoint.position() <= through[0]) {
                try {
                    line(lines, out, ExportLines.checkpoint(checkpoint));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                long to = Math.max(position[0], checkpoint.position());
                events(position[0], to, payments, lines, out);
                position[0] = to;
            }
        });
        events(position[0], through[0], payments, lines, out);
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

    /** The payments in the scope, decided on each one's first event as a checkpoint seals it. */
    private List<String> payments(ExportScope scope, long upTo) {
        List<String> payments = new ArrayList<>();
        streaming.query("""
                SELECT global_index, event_identifier, aggregate_identifier, time_stamp, payload
                FROM domain_event_entry WHERE sequence_number = 0 AND global_index <= ? ORDER BY global_index""",
                row -> {
                    SealedEvent first = SealedEvent.of(new StoredEvent(row.getLong(1), row.getString(2), row.getString(3),
                            0, row.getString(4), null, null, row.getBytes(5), null, null));
                    if (scope.covers(first)) {
                        payments.add(first.paymentId());
                    }
                }, upTo);
        return payments;
    }

    private void line(JsonGenerator lines, OutputStream out, Object value) throws IOException {
        json.writeValue(lines, value);
        lines.flush();
        out.write('\n');
    }
}
