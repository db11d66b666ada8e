package io.payledger.query.projection;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.payledger.events.json.EventJson;
import io.payledger.events.ledger.Posting;
import io.payledger.events.payment.PaymentEvent;
import io.payledger.events.payment.PaymentHistory;
import io.payledger.events.payment.PaymentState;
import io.payledger.query.audit.AuditTrail;
import io.payledger.query.payment.PaymentDocument;
import io.payledger.query.payment.PaymentView;
import io.payledger.query.projection.PaymentFolds.Folded;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Writes batches of events into one set of read-model tables: the live ones, or a rebuild's fresh
 * copy in a schema of its own. The caller owns the transaction; a batch costs one statement per table
 * (the rows travel as arrays and are unnested by PostgreSQL), whatever its size.
 *
 * <p>The audit trail is keyed by event id, so an event seen before is recognised and changes nothing.
 * A payment's view is its state after the longest gap-free run of its events from the first: normally
 * the state it had plus the new events (see {@link PaymentFolds}), and otherwise a re-fold of the
 * stored history. An event that arrives after a gap waits in the audit trail until the gap is filled;
 * the re-fold then writes everything it had held back, journal lines included.
 */
public final class ReadModelWriter {

    /** What a batch changed: the events seen for the first time, and the payments whose view moved. */
    public record Written(List<ProjectedEvent> fresh, List<PaymentView> views, Map<String, Folded> folded) {

        static final Written NOTHING = new Written(List.of(), List.of(), Map.of());
    }

    private record JournalLine(String eventId, int lineNumber, String paymentId, String merchantId, Posting posting,
                               Instant occurredAt) { }

    private static final Pattern SCHEMA_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final ObjectMapper EVENTS = EventJson.newMapper();

    private final JdbcTemplate jdbc;
    private final String tables;
    private final ObjectMapper documents;
    private final PaymentFolds folds;

    /** @param schema where the tables are; null for the live ones on the connection's search path */
    public ReadModelWriter(JdbcTemplate jdbc, String schema, ObjectMapper documents, PaymentFolds folds) {
        if (schema != null && !SCHEMA_NAME.matcher(schema).matches()) {
            throw new IllegalArgumentException("not a schema name: " + schema);
        }
        this.jdbc = jdbc;
        this.tables = schema == null ? "" : schema + ".";
        this.documents = documents;
        this.folds = folds;
    }

    /** Writes a batch in the caller's transaction. Put {@link Written#folded()} into the folds after it commits. */
    public Written write(List<ProjectedEvent> batch) {
        if (batch.isEmpty()) {
            return Written.NOTHING;
        }
        return jdbc.execute((ConnectionCallback<Written>) connection -> {
            List<ProjectedEvent> fresh = recordAudit(connection, batch);
            if (fresh.isEmpty()) {
                return Written.NOTHING;
            }
            Map<String, List<ProjectedEvent>> byPayment = new LinkedHashMap<>();
            for (ProjectedEvent event : fresh) {
                byPayment.computeIfAbsent(event.paymentId(), id -> new ArrayList<>()).add(event);
            }
            byPayment.values().forEach(events -> events.sort(Comparator.comparingLong(ProjectedEvent::sequenceNumber)));
            Map<String, Long> gapFree = gapFreeLengths(connection, byPayment.keySet());

            Map<String, Folded> folded = new LinkedHashMap<>();
            List<JournalLine> journal = new ArrayList<>();
            List<String> refold = new ArrayList<>();
            byPayment.forEach((paymentId, events) -> {
                Folded from = foldedBefore(paymentId, events, gapFree.get(paymentId));
                if (from == null) {
                    refold.add(paymentId);
                    return;
                }
                PaymentState state = from.state();
                for (ProjectedEvent event : events) {
                    state = PaymentHistory.apply(state, event.event());
                    journal(event.eventId(), event.event(), state, journal);
                }
                folded.put(paymentId, new Folded(state, events.get(events.size() - 1).sequenceNumber()));
            });
            storedHistories(connection, refold).forEach((paymentId, history) -> {
                PaymentState state = null;
                long version = -1;
                for (AuditTrail.Entry entry : history) {
                    if (entry.sequenceNumber() != version + 1) {
                        break; // a gap: what follows waits for the missing event
                    }
                    PaymentEvent event = AuditTrail.event(entry);
                    state = PaymentHistory.apply(state, event);
                    journal(entry.eventId(), event, state, journal);
                    version = entry.sequenceNumber();
                }
                if (state != null) {
                    folded.put(paymentId, new Folded(state, version));
                }
            });

            List<PaymentView> views = new ArrayList<>(folded.size());
            folded.forEach((paymentId, fold) -> views.add(new PaymentView(paymentId,
                    fold.state().merchantId().value(), document(fold), fold.version())));
            upsertViews(connection, views, folded);
            insertJournal(connection, journal);
            return new Written(fresh, views, folded);
        });
    }

    /**
     * The state the new events apply to, when that is certain without reading the history: the
     * stored events are exactly 0..last, and the new ones continue either nothing (they start the
     * payment) or the folded state we hold. Null when the history must be re-folded.
     */
    private Folded foldedBefore(String paymentId, List<ProjectedEvent> events, Long storedGapFree) {
        long first = events.get(0).sequenceNumber();
        long last = events.get(events.size() - 1).sequenceNumber();
        if (storedGapFree == null || storedGapFree != last + 1 || last - first + 1 != events.size()) {
            return null;
        }
        if (first == 0) {
            return new Folded(null, -1);
        }
        Folded held = folds.get(paymentId);
        return held != null && held.version() == first - 1 ? held : null;
    }

    private static void journal(String eventId, PaymentEvent event, PaymentState state, List<JournalLine> lines) {
        event.journal().ifPresent(entry -> {
            List<Posting> postings = entry.postings();
            for (int line = 0; line < postings.size(); line++) {
                lines.add(new JournalLine(eventId, line, state.paymentId().value(), state.merchantId().value(),
                        postings.get(line), event.occurredAt()));
            }
        });
    }

    private String document(Folded fold) {
        try {
            return documents.writeValueAsString(PaymentDocument.of(fold.state(), fold.version()));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<ProjectedEvent> recordAudit(Connection connection, List<ProjectedEvent> batch) throws SQLException {
        int n = batch.size();
        String[] ids = new String[n];
        String[] payments = new String[n];
        Long[] sequences = new Long[n];
        String[] types = new String[n];
        String[] revisions = new String[n];
        byte[][] payloads = new byte[n][];
        String[] metaData = new String[n];
        String[] previousHashes = new String[n];
        String[] hashes = new String[n];
        String[] occurred = new String[n];
        for (int i = 0; i < n; i++) {
            ProjectedEvent event = batch.get(i);
            ids[i] = event.eventId();
            payments[i] = event.paymentId();
            sequences[i] = event.sequenceNumber();
            types[i] = event.event().getClass().getName();
            revisions[i] = event.revision();
            try {
                payloads[i] = event.storedPayload() != null ? event.storedPayload() : EVENTS.writeValueAsBytes(event.event());
                metaData[i] = EVENTS.writeValueAsString(event.metaData());
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
            previousHashes[i] = event.previousHash();
            hashes[i] = event.hash();
            occurred[i] = stored(event.event().occurredAt());
        }
        // ON CONFLICT names the event id only: another event claiming a stored (payment, sequence) fails loudly
        Set<String> inserted = new HashSet<>();
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO %saudit_event (event_id, payment_id, sequence_number, payload_type, payload_revision, payload,
                                           meta_data, previous_hash, hash, occurred_at)
                SELECT id, payment, seq, type, revision, payload, meta::jsonb, previous, hash, occurred::timestamptz
                FROM unnest(?::varchar[], ?::varchar[], ?::int8[], ?::varchar[], ?::varchar[], ?::bytea[], ?::text[],
                            ?::varchar[], ?::varchar[], ?::text[])
                     AS e (id, payment, seq, type, revision, payload, meta, previous, hash, occurred)
                ON CONFLICT (event_id) DO NOTHING
                RETURNING event_id""".formatted(tables))) {
            insert.setArray(1, connection.createArrayOf("varchar", ids));
            insert.setArray(2, connection.createArrayOf("varchar", payments));
            insert.setArray(3, connection.createArrayOf("int8", sequences));
            insert.setArray(4, connection.createArrayOf("varchar", types));
            insert.setArray(5, connection.createArrayOf("varchar", revisions));
            insert.setArray(6, connection.createArrayOf("bytea", payloads));
            insert.setArray(7, connection.createArrayOf("text", metaData));
            insert.setArray(8, connection.createArrayOf("varchar", previousHashes));
            insert.setArray(9, connection.createArrayOf("varchar", hashes));
            insert.setArray(10, connection.createArrayOf("text", occurred));
            try (ResultSet rows = insert.executeQuery()) {
                while (rows.next()) {
                    inserted.add(rows.getString(1));
                }
            }
        }
        List<ProjectedEvent> fresh = new ArrayList<>(inserted.size());
        for (ProjectedEvent event : batch) {
            if (inserted.remove(event.eventId())) { // remove: a duplicate within the batch counts once
                fresh.add(event);
            }
        }
        return fresh;
    }

    /**
     * Per payment, the number of stored events when they are exactly 0..n-1 (sequence numbers are
     * unique per payment, so n events whose highest is n-1 have no gap); absent when there is a gap.
     */
    private Map<String, Long> gapFreeLengths(Connection connection, Set<String> paymentIds) throws SQLException {
        Map<String, Long> counts = new HashMap<>();
        try (PreparedStatement select = connection.prepareStatement("""
                SELECT payment_id, count(*) FROM %saudit_event WHERE payment_id = ANY(?) GROUP BY payment_id
                HAVING count(*) = max(sequence_number) + 1""".formatted(tables))) {
            select.setArray(1, connection.createArrayOf("varchar", paymentIds.toArray(String[]::new)));
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    counts.put(rows.getString(1), rows.getLong(2));
                }
            }
        }
        return counts;
    }

    private Map<String, List<AuditTrail.Entry>> storedHistories(Connection connection, List<String> paymentIds)
            throws SQLException {
        Map<String, List<AuditTrail.Entry>> histories = new LinkedHashMap<>();
        if (paymentIds.isEmpty()) {
            return histories;
        }
        try (PreparedStatement select = connection.prepareStatement("""
                SELECT payment_id, event_id, sequence_number, payload_type, payload_revision, payload, occurred_at
                FROM %saudit_event WHERE payment_id = ANY(?) ORDER BY payment_id, sequence_number""".formatted(tables))) {
            select.setArray(1, connection.createArrayOf("varchar", paymentIds.toArray(String[]::new)));
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    histories.computeIfAbsent(rows.getString(1), id -> new ArrayList<>()).add(new AuditTrail.Entry(
                            rows.getString(2), rows.getLong(3), rows.getString(4), rows.getString(5), rows.getBytes(6),
                            null, null, null, rows.getTimestamp(7).toInstant()));
                }
            }
        }
        return histories;
    }

    private void upsertViews(Connection connection, List<PaymentView> views, Map<String, Folded> folded) throws SQLException {
        if (views.isEmpty()) {
            return;
        }
        int n = views.size();
        String[] ids = new String[n];
        String[] merchants = new String[n];
        String[] references = new String[n];
        String[] statuses = new String[n];
        Long[] amounts = new Long[n];
        String[] currencies = new String[n];
        Long[] versions = new Long[n];
        String[] documents = new String[n];
        String[] created = new String[n];
        String[] updated = new String[n];
        for (int i = 0; i < n; i++) {
            PaymentView view = views.get(i);
            PaymentState state = folded.get(view.paymentId()).state();
            ids[i] = view.paymentId();
            merchants[i] = state.merchantId().value();
            references[i] = state.merchantReference();
            statuses[i] = state.status().code();
            amounts[i] = state.amount().amount();
            currencies[i] = state.currency();
            versions[i] = view.version();
            documents[i] = view.document();
            created[i] = stored(state.createdAt());
            updated[i] = stored(state.updatedAt());
        }
        try (PreparedStatement upsert = connection.prepareStatement("""
                INSERT INTO %1$spayment_view AS v (payment_id, merchant_id, merchant_reference, status, amount, currency,
                                                   version, document, created_at, updated_at)
                SELECT id, merchant, reference, status, amount, currency, version, document::jsonb,
                       created::timestamptz, updated::timestamptz
                FROM unnest(?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], ?::int8[], ?::varchar[], ?::int8[],
                            ?::text[], ?::text[], ?::text[])
                     AS p (id, merchant, reference, status, amount, currency, version, document, created, updated)
                ON CONFLICT (payment_id) DO UPDATE SET status = excluded.status, version = excluded.version,
                    document = excluded.document, updated_at = excluded.updated_at
                WHERE v.version < excluded.version""".formatted(tables))) {
            upsert.setArray(1, connection.createArrayOf("varchar", ids));
            upsert.setArray(2, connection.createArrayOf("varchar", merchants));
            upsert.setArray(3, connection.createArrayOf("varchar", references));
            upsert.setArray(4, connection.createArrayOf("varchar", statuses));
            upsert.setArray(5, connection.createArrayOf("int8", amounts));
            upsert.setArray(6, connection.createArrayOf("varchar", currencies));
            upsert.setArray(7, connection.createArrayOf("int8", versions));
            upsert.setArray(8, connection.createArrayOf("text", documents));
            upsert.setArray(9, connection.createArrayOf("text", created));
            upsert.setArray(10, connection.createArrayOf("text", updated));
            upsert.executeUpdate();
        }
    }

    private void insertJournal(Connection connection, List<JournalLine> lines) throws SQLException {
        if (lines.isEmpty()) {
            return;
        }
        int n = lines.size();
        String[] events = new String[n];
        Integer[] numbers = new Integer[n];
        String[] payments = new String[n];
        String[] merchants = new String[n];
        String[] accounts = new String[n];
        String[] sides = new String[n];
        Long[] amounts = new Long[n];
        String[] currencies = new String[n];
        String[] occurred = new String[n];
        for (int i = 0; i < n; i++) {
            JournalLine line = lines.get(i);
            events[i] = line.eventId();
            numbers[i] = line.lineNumber();
            payments[i] = line.paymentId();
            merchants[i] = line.merchantId();
            accounts[i] = line.posting().account().code();
            sides[i] = line.posting().side().code();
            amounts[i] = line.posting().amount().amount();
            currencies[i] = line.posting().amount().currency();
            occurred[i] = stored(line.occurredAt());
        }
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO %sjournal_line (event_id, line_number, payment_id, merchant_id, account, side, amount, currency,
                                            occurred_at)
                SELECT event, line, payment, merchant, account, side, amount, currency, occurred::timestamptz
                FROM unnest(?::varchar[], ?::int4[], ?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], ?::int8[],
                            ?::varchar[], ?::text[])
                     AS j (event, line, payment, merchant, account, side, amount, currency, occurred)
                ON CONFLICT (event_id, line_number) DO NOTHING""".formatted(tables))) {
            insert.setArray(1, connection.createArrayOf("varchar", events));
            insert.setArray(2, connection.createArrayOf("int4", numbers));
            insert.setArray(3, connection.createArrayOf("varchar", payments));
            insert.setArray(4, connection.createArrayOf("varchar", merchants));
            insert.setArray(5, connection.createArrayOf("varchar", accounts));
            insert.setArray(6, connection.createArrayOf("varchar", sides));
            insert.setArray(7, connection.createArrayOf("int8", amounts));
            insert.setArray(8, connection.createArrayOf("varchar", currencies));
            insert.setArray(9, connection.createArrayOf("text", occurred));
            insert.executeUpdate();
        }
    }

    /** An instant as PostgreSQL will store it: microseconds, truncated (see {@link AuditTrail#storedInstant}). */
    private static String stored(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MICROS).toString();
    }
}
