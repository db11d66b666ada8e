package io.payledger.systemtests.drill;

import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The read models a query-service built from a restored log, row by row against the live ones, on
 * the columns query-service's own rebuild compares: the audit trail, the payment views and the journal.
 * Only what the restored log holds is compared: the live models may have moved on since the backup
 * (newer events, or a payment view a later event advanced), which is counted, never a difference.
 */
public final class ReadModelsCompared {

    /** One table: rows of the rebuild compared, those that differ (with the first few), live rows newer than the backup. */
    public record Table(String name, long compared, long differing, List<String> examples, long advancedSinceBackup) { }

    public record Result(List<Table> tables, boolean rebuiltTrialBalanceBalances) {

        public boolean equal() {
            return rebuiltTrialBalanceBalances && tables.stream().allMatch(table -> table.differing() == 0);
        }
    }

    private record Spec(String table, String key, String version, String columns) { }

    private static final List<Spec> TABLES = List.of(
            new Spec("audit_event", "event_id", null, """
                    payment_id, sequence_number, payload_type, payload_revision, payload, meta_data, previous_hash, hash,
                    occurred_at"""),
            new Spec("payment_view", "payment_id", "version", """
                    merchant_id, merchant_reference, status, amount, currency, document, created_at, updated_at"""),
            new Spec("journal_line", "event_id || '#' || line_number", null, """
                    payment_id, merchant_id, account, side, amount, currency, occurred_at"""));

    private ReadModelsCompared() {
    }

    public static Result of(String liveJdbcUrl, String rebuiltJdbcUrl, String user, String password) {
        try (Connection live = DriverManager.getConnection(liveJdbcUrl, user, password);
             Connection rebuilt = DriverManager.getConnection(rebuiltJdbcUrl, user, password)) {
            List<Table> tables = new ArrayList<>();
            for (Spec spec : TABLES) {
                tables.add(compare(spec, live, rebuilt));
            }
            boolean balanced;
            try (PreparedStatement query = rebuilt.prepareStatement("""
                    SELECT count(*) FROM (SELECT currency FROM journal_line GROUP BY currency
                    HAVING sum(CASE WHEN side = 'debit' THEN amount ELSE -amount END) <> 0) unbalanced""");
                 ResultSet rows = query.executeQuery()) {
                rows.next();
                balanced = rows.getLong(1) == 0;
            }
            return new Result(tables, balanced);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot compare the read models: " + e.getMessage(), e);
        }
    }

    private static Table compare(Spec spec, Connection live, Connection rebuilt) throws SQLException {
        Map<String, String[]> rebuiltRows = rows(spec, rebuilt, null);
        Map<String, String[]> liveRows = rows(spec, live, rebuiltRows.keySet().toArray(String[]::new));
        long differing = 0;
        long advanced = 0;
        List<String> examples = new ArrayList<>();
        for (Map.Entry<String, String[]> row : rebuiltRows.entrySet()) {
            String[] theirs = liveRows.get(row.getKey());
            String difference = null;
            if (theirs == null) {
                difference = "missing from the live model";
            } else if (spec.version() != null && Long.parseLong(theirs[0]) > Long.parseLong(row.getValue()[0])) {
                advanced++;
            } else if (!java.util.Arrays.equals(theirs, row.getValue())) {
                difference = "differs";
            }
            if (difference != null) {
                differing++;
                if (examples.size() < 20) {
                    examples.add(row.getKey() + ": " + difference);
                }
            }
        }
        return new Table(spec.table(), rebuiltRows.size(), differing, examples, advanced);
    }

    /** Key -> [version (or ""), the compared columns as text]; {@code keys} null means every row. */
    private static Map<String, String[]> rows(Spec spec, Connection connection, String[] keys) throws SQLException {
        String sql = "SELECT " + spec.key() + ", " + (spec.version() == null ? "''" : spec.version()) + "::text, ROW("
                + spec.columns() + ")::text FROM " + spec.table() + (keys == null ? "" : " WHERE " + spec.key() + " = ANY(?)");
        Map<String, String[]> rows = new HashMap<>();
        try (PreparedStatement query = connection.prepareStatement(sql)) {
            if (keys != null) {
                Array array = connection.createArrayOf("text", keys);
                query.setArray(1, array);
            }
            try (ResultSet result = query.executeQuery()) {
                while (result.next()) {
                    rows.put(result.getString(1), new String[] {result.getString(2), result.getString(3)});
                }
            }
        }
        return rows;
    }
}
