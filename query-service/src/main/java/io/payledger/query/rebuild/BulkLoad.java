package io.payledger.query.rebuild;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.payledger.events.json.EventJson;
import io.payledger.events.ledger.Posting;
import io.payledger.events.payment.PaymentEvent;
import io.payledger.events.payment.PaymentHistory;
import io.payledger.events.payment.PaymentState;
import io.payledger.query.audit.AuditTrail;
import io.payledger.query.payment.PaymentDocument;
import io.payledger.query.projection.ProjectedEvent;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Fills a rebuild's tables the way a bulk load is done: into tables without keys or indexes, by COPY, with the keys
 * and indexes built once afterwards.
 *
 * <ol>
 *   <li>{@link #createTables} makes copies of the live tables and takes their keys and indexes off, remembering how
 *       to put them back (NOT NULL and CHECK constraints stay: they cost nothing to keep).</li>
 *   <li>{@link #auditRows} streams every event read from the log into the audit table in one COPY.</li>
 *   <li>{@link #keyAuditTrail} builds the audit table's keys. The log holds some events more than once (the
 *       publisher delivers at least once); when a key finds them, the copies after the first are deleted, as the live
 *       projection's {@code ON CONFLICT (event_id) DO NOTHING} ignores them. Two different events claiming one place
 *       in a payment fail the rebuild, as they stop the live projection.</li>
 *   <li>{@link #foldPayments} reads the audit table back in payment order, split by a hash of the payment id over
 *       parallel workers, folds each payment's gap-free run of events from the first into its view and journal lines
 *       exactly as the live projection does, and COPYs them.</li>
 *   <li>{@link #keyReadModels} builds the view's and journal's keys and indexes, and the statistics for the
 *       comparison's queries.</li>
 * </ol>
 *
 * The tables are unlogged: they are compared and inspected, never served.
 */
final class BulkLoad {

    private static final List<String> TABLES = List.of("audit_event", "payment_view", "journal_line");
    private static final ObjectMapper EVENTS = EventJson.newMapper();
    private static final int HAND_OVER_BYTES = 1 << 20;

    private final DataSource dataSource;
    private final JdbcTemplate jdbc;
    private final String schema;
    private final ObjectMapper documents;
    private final int workers;
    /** Per table, the statements that put its keys and indexes back. */
    private final Map<String, List<String>> keys = new LinkedHashMap<>();

    BulkLoad(JdbcTemplate jdbc, String schema, ObjectMapper documents, int workers) {
        this.dataSource = jdbc.getDataSource();
        this.jdbc = jdbc;
        this.schema = schema;
        this.documents = documents;
        this.workers = workers;
    }

    /** Creates the rebuild's schema with copies of the live tables, their primary keys, unique keys and indexes taken off. */
    void createTables(String liveSchema) {
        jdbc.execute("CREATE SCHEMA " + schema);
        for (String table : TABLES) {
            jdbc.execute("CREATE UNLOGGED TABLE %s.%s (LIKE %s.%s INCLUDING ALL)".formatted(schema, table, quoted(liveSchema), table));
            String copy = schema + "." + table;
            List<String> restore = new ArrayList<>();
            List<String> drop = new ArrayList<>();
            jdbc.query("""
                    SELECT c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c
                    WHERE c.conrelid = ?::regclass AND c.contype IN ('p', 'u') ORDER BY c.contype, c.conname""", row -> {
                restore.add("ALTER TABLE %s ADD CONSTRAINT %s %s".formatted(copy, quoted(row.getString(1)), row.getString(2)));
                drop.add("ALTER TABLE %s DROP CONSTRAINT %s".formatted(copy, quoted(row.getString(1))));
            }, copy);
            drop.forEach(jdbc::execute); // the indexes behind the keys go with them
            jdbc.query("""
                    SELECT i.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
                    WHERE x.indrelid = ?::regclass ORDER BY i.relname""", row -> {
                restore.add(row.getString(2));
                drop.add("DROP INDEX %s.%s".formatted(schema, quoted(row.getString(1))));
            }, copy);
            drop.stream().filter(statement -> statement.startsWith("DROP INDEX")).forEach(jdbc::execute);
            keys.put(table, restore);
        }
        // the order the log was read in, for keeping the first copy of a repeated event; dropped once the keys stand
        jdbc.execute("ALTER TABLE %s.audit_event ADD COLUMN load_ordinal BIGINT NOT NULL".formatted(schema));
    }

    /** A COPY into the audit table that stays open while the log is read. */
    AuditRows auditRows() {
        return new AuditRows();
    }

    /**
     * Builds the audit table's keys, first deleting the later copies of an event the log held more than once; returns
     * the audit rows, each event once.
     */
    long keyAuditTrail() {
        for (String statement : keys.get("audit_event")) {
            boolean primaryKey = statement.contains("PRIMARY KEY");
            try {
                jdbc.execute(statement);
            } catch (DuplicateKeyException duplicates) {
                if (!primaryKey) {
                    throw new IllegalStateException("two different events claim one place in a payment: " + duplicates
                            .getMostSpecificCause().getMessage(), duplicates);
                }
                // the copy read first stays, as the live projection's ON CONFLICT (event_id) DO NOTHING keeps it; the
                // read order is the load ordinal, not the rows' places in the table, which the free space map shuffles
                jdbc.update("""
                        DELETE FROM %1$s.audit_event a USING %1$s.audit_event b
                        WHERE a.event_id = b.event_id AND a.load_ordinal > b.load_ordinal""".formatted(schema));
                jdbc.execute(statement);
            }
        }
        jdbc.execute("ALTER TABLE %s.audit_event DROP COLUMN load_ordinal".formatted(schema));
        Long rows = jdbc.queryForObject("SELECT count(*) FROM %s.audit_event".formatted(schema), Long.class);
        return rows == null ? 0 : rows;
    }

    /**
     * Folds every payment into its view and journal lines, on parallel workers; {@code folded} counts audit rows read.
     * The first worker to fail stops the others: each looks between rows, and the query it waits on is cancelled.
     */
    void foldPayments(LongConsumer folded) throws InterruptedException {
        List<Workers.Task> shares = new ArrayList<>();
        for (int worker = 0; worker < workers; worker++) {
            int share = worker;
            shares.add(stop -> foldShare(share, folded, stop));
        }
        Workers.run("projection-rebuild-fold", "folding the rebuild", shares);
    }

    /** Builds the view's and journal's keys and indexes, and refreshes the statistics of all three tables. */
    void keyReadModels() throws InterruptedException {
        // the two tables' keys are built side by side, each on a connection of its own
        Workers.run("projection-rebuild-keys", "building the rebuild's keys", List.of("payment_view", "journal_line").stream()
                .<Workers.Task>map(table -> stop -> {
                    keys.get(table).forEach(jdbc::execute);
                    jdbc.execute("ANALYZE %s.%s".formatted(schema, table));
                }).toList());
        jdbc.execute("ANALYZE %s.audit_event".formatted(schema));
    }

    /** The payments whose id hashes to {@code share}, read in payment and sequence order and folded one at a time. */
    private void foldShare(int share, LongConsumer folded, Workers.Stop stop) throws SQLException {
        try (Connection reading = dataSource.getConnection(); Connection writing = dataSource.getConnection()) {
            reading.setAutoCommit(false); // a cursor: rows arrive in fetch-size pieces instead of all at once
            CopyManager copies = writing.unwrap(PGConnection.class).getCopyAPI();
            ReadModelRows rows = new ReadModelRows(copies);
            try (PreparedStatement select = reading.prepareStatement("""
                    SELECT payment_id, event_id, sequence_number, payload_type, payload_revision, payload, occurred_at
                    FROM %s.audit_event WHERE abs(hashtext(payment_id) %% ?) = ?
                    ORDER BY payment_id, sequence_number""".formatted(schema))) {
                select.setFetchSize(2_000);
                select.setInt(1, workers);
                select.setInt(2, share);
                stop.cancelOnStop(select); // the sort before the first row can take a while
                if (stop.requested()) {
                    stop.done(select);
                    return; // another worker failed before this one began: a cancel would not reach a query not begun
                }
                try (ResultSet stored = select.executeQuery()) {
                    PaymentFold payment = null;
                    long read = 0;
                    while (stored.next()) {
                        if (stop.requested()) {
                            return; // another worker failed: what this one has left is abandoned with the rebuild
                        }
                        String paymentId = stored.getString(1);
                        if (payment == null || !payment.paymentId.equals(paymentId)) {
                            rows.view(payment);
                            payment = new PaymentFold(paymentId);
                        }
                        payment.apply(new AuditTrail.Entry(stored.getString(2), stored.getLong(3), stored.getString(4),
                                stored.getString(5), stored.getBytes(6), null, null, null, stored.getTimestamp(7).toInstant()), rows);
                        rows.handOverIfLarge();
                        if (++read % 1_000 == 0) {
                            folded.accept(1_000);
                        }
                    }
                    rows.view(payment);
                    folded.accept(read % 1_000);
                } finally {
                    stop.done(select);
                }
            }
            rows.handOver();
            reading.commit();
        }
    }

    /** One payment's state after its gap-free run of events from the first; events after a gap wait, as live. */
    private static final class PaymentFold {

        private final String paymentId;
        private PaymentState state;
        private long version = -1;
        private boolean gap;

        PaymentFold(String paymentId) {
            this.paymentId = paymentId;
        }

        void apply(AuditTrail.Entry entry, ReadModelRows rows) {
            if (gap || entry.sequenceNumber() != version + 1) {
                gap = true;
                return;
            }
            PaymentEvent event = AuditTrail.event(entry);
            state = PaymentHistory.apply(state, event);
            version = entry.sequenceNumber();
            rows.journal(entry.eventId(), event, state);
        }
    }

    /** The view and journal rows folded so far, handed to COPY a megabyte or so at a time. */
    private final class ReadModelRows {

        private final CopyManager copies;
        private final CopyRows views = new CopyRows();
        private final CopyRows journal = new CopyRows();

        ReadModelRows(CopyManager copies) {
            this.copies = copies;
        }

        void journal(String eventId, PaymentEvent event, PaymentState state) {
            event.journal().ifPresent(entry -> {
                List<Posting> postings = entry.postings();
                for (int line = 0; line < postings.size(); line++) {
                    Posting posting = postings.get(line);
                    journal.text(eventId).number(line).text(state.paymentId().value()).text(state.merchantId().value())
                            .text(posting.account().code()).text(posting.side().code()).number(posting.amount().amount())
                            .text(posting.amount().currency()).text(stored(event.occurredAt())).endRow();
                }
            });
        }

        void view(PaymentFold payment) {
            if (payment == null || payment.state == null) {
                return; // no event 0 yet: nothing to show, as live
            }
            PaymentState state = payment.state;
            // a String, as the live projection writes it: Jackson's UTF-8 output escapes a lone surrogate that jsonb
            // refuses, where the driver encodes the String's as '?' for both
            String document;
            try {
                document = documents.writeValueAsString(PaymentDocument.of(state, payment.version));
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
            views.text(state.paymentId().value()).text(state.merchantId().value()).text(state.merchantReference())
                    .text(state.status().code()).number(state.amount().amount()).text(state.currency())
                    .number(payment.version).text(document).text(stored(state.createdAt())).text(stored(state.updatedAt()))
                    .endRow();
        }

        void handOverIfLarge() throws SQLException {
            if (views.length() + journal.length() > HAND_OVER_BYTES) {
                handOver();
            }
        }

        void handOver() throws SQLException {
            copy("""
                    COPY %s.payment_view (payment_id, merchant_id, merchant_reference, status, amount, currency, version,
                                          document, created_at, updated_at) FROM STDIN""", views);
            copy("""
                    COPY %s.journal_line (event_id, line_number, payment_id, merchant_id, account, side, amount, currency,
                                          occurred_at) FROM STDIN""", journal);
        }

        private void copy(String statement, CopyRows rows) throws SQLException {
            if (rows.rows() == 0) {
                return;
            }
            CopyIn copy = copies.copyIn(statement.formatted(schema));
            try {
                rows.handTo(copy);
                copy.endCopy();
            } finally {
                if (copy.isActive()) {
                    copy.cancelCopy();
                }
            }
        }
    }

    /** Every event read from the log, streamed into the audit table; closing without {@link #finish} abandons them. */
    final class AuditRows implements AutoCloseable {

        private final Connection connection;
        private final CopyIn copy;
        private final CopyRows rows = new CopyRows();
        private long ordinal;

        private AuditRows() {
            try {
                connection = dataSource.getConnection();
            } catch (SQLException e) {
                throw new IllegalStateException("could not start loading the audit trail", e);
            }
            try {
                copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn("""
                        COPY %s.audit_event (event_id, payment_id, sequence_number, payload_type, payload_revision, payload,
                                             meta_data, previous_hash, hash, occurred_at, load_ordinal) FROM STDIN"""
                        .formatted(schema));
            } catch (SQLException e) {
                closeQuietly(connection);
                throw new IllegalStateException("could not start loading the audit trail", e);
            }
        }

        /** Adds a batch of events as the live projection would record them, handed to COPY a megabyte or so at a time. */
        void write(List<ProjectedEvent> batch) {
            for (ProjectedEvent event : batch) {
                try {
                    rows.text(event.eventId()).text(event.paymentId()).number(event.sequenceNumber())
                            .text(event.event().getClass().getName()).text(event.revision())
                            .bytes(event.storedPayload() != null ? event.storedPayload() : EVENTS.writeValueAsBytes(event.event()))
                            .utf8(EVENTS.writeValueAsBytes(event.metaData())).text(event.previousHash()).text(event.hash())
                            .text(stored(event.event().occurredAt())).number(ordinal++).endRow();
                } catch (JsonProcessingException e) {
                    throw new UncheckedIOException(e);
                }
                if (rows.length() > HAND_OVER_BYTES) {
                    handOver();
                }
            }
            handOver();
        }

        private void handOver() {
            if (rows.rows() == 0) {
                return;
            }
            try {
                rows.handTo(copy);
            } catch (SQLException e) {
                throw new IllegalStateException("loading the audit trail failed", e);
            }
        }

        /** Ends the COPY; returns the rows it loaded. */
        long finish() {
            try {
                return copy.endCopy();
            } catch (SQLException e) {
                throw new IllegalStateException("loading the audit trail failed", e);
            }
        }

        @Override
        public void close() {
            try {
                if (copy.isActive()) {
                    copy.cancelCopy();
                }
            } catch (SQLException ignored) {
                // the connection is closed next either way
            } finally {
                closeQuietly(connection);
            }
        }
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // nothing more to release
        }
    }

    /** An instant as PostgreSQL will store it: microseconds, truncated (see {@link AuditTrail#storedInstant}). */
    private static String stored(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MICROS).toString();
    }

    private static String quoted(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }
}
