package io.payledger.saga.reconciliation;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.payledger.events.json.EventJson;
import io.payledger.events.payment.PaymentState;
import io.payledger.events.payment.PaymentStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** Runs, their mismatches, and the ledger positions a run checks. */
@Repository
class Reconciliations {

    enum Status {
        QUEUED, RUNNING, COMPLETED, INCOMPLETE;

        @JsonValue
        String code() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    record Run(String id, String requestedBy, Instant windowFrom, Instant windowTo, Status status, Instant requestedAt,
               Instant startedAt, Instant finishedAt, int paymentsChecked, int paymentsMatched, int paymentsUnchecked,
               int mismatches) { }

    /** An unexpected charge a run looked at: whether the ledger and Fiuu both say it was given back. */
    record ChargeCheck(String paymentId, String chargeId, String currency, long amount, String ledgerStatus,
                       String gatewayStatus, boolean settled) { }

    record Mismatch(String paymentId, String merchantId, String orderId, String kind, String currency,
                    String ledgerStatus, long ledgerAmount, String ledgerTransactionId, String gatewayStatus,
                    String gatewayStatCode, Long gatewayAmount, String gatewayTransactionId, Instant detectedAt) { }

    private static final String RUN_COLUMNS = """
            id, requested_by, window_from, window_to, status, requested_at, started_at, finished_at,
            payments_checked, payments_matched, payments_unchecked, mismatches""";

    private final JdbcTemplate jdbc;
    private final ObjectMapper json = EventJson.newMapper();

    Reconciliations(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    Run create(String requestedBy, Instant from, Instant to) {
        String id = "rec_" + UUID.randomUUID().toString().replace("-", "");
        jdbc.update("INSERT INTO reconciliation_run (id, requested_by, window_from, window_to, status) VALUES (?, ?, ?, ?, 'queued')",
                id, requestedBy, Timestamp.from(from), Timestamp.from(to));
        return find(id).orElseThrow();
    }

    Optional<Run> find(String id) {
        return jdbc.query("SELECT " + RUN_COLUMNS + " FROM reconciliation_run WHERE id = ?", Reconciliations::run, id)
                .stream().findFirst();
    }

    List<Run> latest(int limit) {
        return jdbc.query("SELECT " + RUN_COLUMNS + " FROM reconciliation_run ORDER BY requested_at DESC, id LIMIT ?",
                Reconciliations::run, limit);
    }

    /** @return false if the run is not waiting (it ran already: a task executed twice) */
    boolean start(String id) {
        return jdbc.update("UPDATE reconciliation_run SET status = 'running', started_at = now() WHERE id = ? AND status IN ('queued', 'running')",
                id) == 1;
    }

    void finish(String id, Status status, int checked, int matched, int unchecked, int mismatches) {
        jdbc.update("""
                UPDATE reconciliation_run SET status = ?, finished_at = now(), payments_checked = ?, payments_matched = ?,
                       payments_unchecked = ?, mismatches = ? WHERE id = ?""",
                status.name().toLowerCase(Locale.ROOT), checked, matched, unchecked, mismatches, id);
    }

    void record(String runId, Mismatch mismatch) {
        jdbc.update("""
                INSERT INTO reconciliation_mismatch (run_id, payment_id, merchant_id, order_id, kind, currency, ledger_status,
                    ledger_amount, ledger_transaction_id, gateway_status, gateway_stat_code, gateway_amount, gateway_transaction_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (run_id, payment_id) DO NOTHING""",
                runId, mismatch.paymentId(), mismatch.merchantId(), mismatch.orderId(), mismatch.kind(), mismatch.currency(),
                mismatch.ledgerStatus(), mismatch.ledgerAmount(), mismatch.ledgerTransactionId(), mismatch.gatewayStatus(),
                mismatch.gatewayStatCode(), mismatch.gatewayAmount(), mismatch.gatewayTransactionId());
    }

    void record(String runId, ChargeCheck check) {
        jdbc.update("""
                INSERT INTO reconciliation_charge (run_id, payment_id, charge_id, currency, amount, ledger_status,
                    gateway_status, settled)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (run_id, charge_id) DO NOTHING""",
                runId, check.paymentId(), check.chargeId(), check.currency(), check.amount(), check.ledgerStatus(),
                check.gatewayStatus(), check.settled());
    }

    List<ChargeCheck> charges(String runId) {
        return jdbc.query("""
                SELECT payment_id, charge_id, currency, amount, ledger_status, gateway_status, settled
                FROM reconciliation_charge WHERE run_id = ? ORDER BY payment_id, charge_id""",
                (row, n) -> new ChargeCheck(row.getString(1), row.getString(2), row.getString(3).trim(), row.getLong(4),
                        row.getString(5), row.getString(6), row.getBoolean(7)), runId);
    }

    List<Mismatch> mismatches(String runId) {
        return jdbc.query("""
                SELECT payment_id, merchant_id, order_id, kind, currency, ledger_status, ledger_amount, ledger_transaction_id,
                       gateway_status, gateway_stat_code, gateway_amount, gateway_transaction_id, detected_at
                FROM reconciliation_mismatch WHERE run_id = ? ORDER BY merchant_id, payment_id""",
                (row, n) -> new Mismatch(row.getString(1), row.getString(2), row.getString(3), row.getString(4),
                        row.getString(5).trim(), row.getString(6), row.getLong(7), row.getString(8), row.getString(9),
                        row.getString(10), (Long) row.getObject(11), row.getString(12), instant(row, 13)), runId);
    }

    /** Payments whose last event falls in the window, least recently moved first, past the "created" stage. */
    List<Comparison.LedgerPosition> positions(Instant from, Instant to, int limit) {
        return jdbc.query("""
                SELECT payment_id, merchant_id, order_id, currency, amount, status, authorised, captured, gateway_transaction_id,
                       state
                FROM ledger_payment WHERE updated_at >= ? AND updated_at < ? AND status <> 'created'
                ORDER BY updated_at LIMIT ?""",
                (row, n) -> {
                    PaymentState state = state(row.getString(10));
                    return new Comparison.LedgerPosition(row.getString(1), row.getString(2), row.getString(3),
                            row.getString(4).trim(), row.getLong(5), PaymentStatus.valueOf(row.getString(6).toUpperCase(Locale.ROOT)),
                            row.getLong(7), row.getLong(8), row.getString(9), state.refunds(), state.unexpectedCharges());
                },
                Timestamp.from(from), Timestamp.from(to), limit);
    }

    private PaymentState state(String stored) {
        try {
            return json.readValue(stored, PaymentState.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot read a stored payment state", e);
        }
    }

    /** The mismatches of the last finished run; NaN before any run finished. */
    double lastMismatches() {
        return jdbc.query("SELECT mismatches FROM reconciliation_run WHERE finished_at IS NOT NULL ORDER BY finished_at DESC LIMIT 1",
                (row, n) -> row.getDouble(1)).stream().findFirst().orElse(Double.NaN);
    }

    /** Seconds since the last run finished; NaN before any run finished. */
    double secondsSinceLastRun() {
        return jdbc.query("SELECT extract(epoch FROM now() - max(finished_at)) FROM reconciliation_run",
                (row, n) -> row.getObject(1) == null ? Double.NaN : row.getDouble(1)).stream().findFirst().orElse(Double.NaN);
    }

    private static Run run(ResultSet row, int n) throws SQLException {
        return new Run(row.getString(1), row.getString(2), instant(row, 3), instant(row, 4),
                Status.valueOf(row.getString(5).toUpperCase(Locale.ROOT)), instant(row, 6), instant(row, 7), instant(row, 8),
                row.getInt(9), row.getInt(10), row.getInt(11), row.getInt(12));
    }

    private static Instant instant(ResultSet row, int column) throws SQLException {
        Timestamp timestamp = row.getTimestamp(column);
        return timestamp == null ? null : timestamp.toInstant();
    }
}
