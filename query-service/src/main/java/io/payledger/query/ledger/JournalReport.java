package io.payledger.query.ledger;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * {@code GET /v1/reports/journal?from=&to=} for finance: the journal of a period as CSV, account by account and
 * currency by currency: an {@code opening} row (the balance of everything before {@code from}), each line of
 * the period in the order it happened with the running balance after it, and a {@code closing} row (the balance
 * of everything before {@code to}). Balances are debits minus credits in minor units, as {@code /v1/balances}
 * reports them; every account with a balance or a line is listed, so the closing rows sum to zero per currency
 * (the trial balance).
 */
@RestController
class JournalReport {

    static final String HEADER = "record,account,currency,occurred_at,event_id,line_number,payment_id,merchant_id,side,amount,balance\n";

    private record Key(String account, String currency) implements Comparable<Key> {
        @Override
        public int compareTo(Key other) {
            int byAccount = account.compareTo(other.account);
            return byAccount != 0 ? byAccount : currency.compareTo(other.currency);
        }
    }

    private final JdbcTemplate jdbc;
    private final TransactionTemplate snapshot;

    JournalReport(JdbcTemplate jdbc, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.snapshot = new TransactionTemplate(transactions);
        snapshot.setReadOnly(true); // one snapshot: the openings, the lines and the closings agree with each other
        snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
    }

    @GetMapping(value = "/v1/reports/journal", produces = {"text/csv", MediaType.ALL_VALUE})
    ResponseEntity<StreamingResponseBody> journal(@RequestParam(value = "from", required = false) Instant from,
                                                  @RequestParam(value = "to", required = false) Instant to) {
        if (from == null || to == null || !from.isBefore(to)) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "from and to are required, and from is before to");
        }
        StreamingResponseBody body = output -> snapshot.executeWithoutResult(status -> {
            try {
                write(from, to, output);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        return ResponseEntity.ok().contentType(MediaType.parseMediaType("text/csv"))
                .header("Content-Disposition", "attachment; filename=\"journal-" + from + "-" + to + ".csv\"").body(body);
    }

    private void write(Instant from, Instant to, java.io.OutputStream output) throws IOException {
        Writer writer = new OutputStreamWriter(output, StandardCharsets.UTF_8);
        writer.write(HEADER);
        Map<Key, Long> opening = balancesBefore(from);
        Map<Key, Long> keys = new TreeMap<>(opening);
        jdbc.query("SELECT DISTINCT account, currency FROM journal_line WHERE occurred_at >= ? AND occurred_at < ?",
                row -> { keys.putIfAbsent(new Key(row.getString(1), row.getString(2)), 0L); },
                Timestamp.from(from), Timestamp.from(to));
        for (Key key : keys.keySet()) {
            long[] balance = {opening.getOrDefault(key, 0L)};
            writer.write("opening," + key.account() + "," + key.currency() + "," + from + ",,,,,,," + balance[0] + "\n");
            jdbc.query(connection -> {
                var statement = connection.prepareStatement("""
                        SELECT occurred_at, event_id, line_number, payment_id, merchant_id, side, amount FROM journal_line
                        WHERE account = ? AND currency = ? AND occurred_at >= ? AND occurred_at < ?
                        ORDER BY occurred_at, event_id, line_number""");
                statement.setFetchSize(1000);
                statement.setString(1, key.account());
                statement.setString(2, key.currency());
                statement.setTimestamp(3, Timestamp.from(from));
                statement.setTimestamp(4, Timestamp.from(to));
                return statement;
            }, row -> {
                long amount = row.getLong(7);
                balance[0] += "debit".equals(row.getString(6)) ? amount : -amount;
                try {
                    writer.write("line," + key.account() + "," + key.currency() + "," + row.getTimestamp(1).toInstant()
                            + "," + row.getString(2) + "," + row.getInt(3) + "," + row.getString(4) + ","
                            + csv(row.getString(5)) + "," + row.getString(6) + "," + amount + "," + balance[0] + "\n");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            writer.write("closing," + key.account() + "," + key.currency() + "," + to + ",,,,,,," + balance[0] + "\n");
        }
        writer.flush();
    }

    private Map<Key, Long> balancesBefore(Instant instant) {
        Map<Key, Long> balances = new TreeMap<>();
        List<Object[]> rows = jdbc.query("""
                SELECT account, currency, COALESCE(SUM(CASE WHEN side = 'debit' THEN amount ELSE -amount END), 0)
                FROM journal_line WHERE occurred_at < ? GROUP BY account, currency""",
                (row, n) -> new Object[] {row.getString(1), row.getString(2), row.getLong(3)}, Timestamp.from(instant));
        rows.forEach(row -> balances.put(new Key((String) row[0], (String) row[1]), (Long) row[2]));
        return balances;
    }

    /** A value as a CSV field: quoted when it holds a comma, a quote or a line break. */
    private static String csv(String value) {
        if (value == null) {
            return "";
        }
        return value.matches("(?s).*[,\"\\r\\n].*") ? "\"" + value.replace("\"", "\"\"") + "\"" : value;
    }
}
