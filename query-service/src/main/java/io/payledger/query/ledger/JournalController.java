package io.payledger.query.ledger;

import io.payledger.query.payment.Cursor;
import java.io.IOException;
import java.io.Writer;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * {@code GET /v1/journal} for finance: journal lines in the order they happened, filtered by
 * account, payment and time range; JSON one page at a time with a cursor, or, with
 * {@code Accept: text/csv}, every matching line streamed as CSV without holding them in memory.
 */
@RestController
class JournalController {

    record Line(String eventId, int lineNumber, String paymentId, String merchantId, String account, String side,
                long amount, String currency, Instant occurredAt) { }

    record Page(List<Line> data, String nextCursor) { }

    private final JdbcTemplate jdbc;

    JournalController(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @GetMapping(value = "/v1/journal", produces = MediaType.APPLICATION_JSON_VALUE)
    Page page(@RequestParam(value = "account", required = false) String account,
              @RequestParam(value = "payment", required = false) String payment,
              @RequestParam(value = "from", required = false) Instant from,
              @RequestParam(value = "to", required = false) Instant to,
              @RequestParam(value = "limit", defaultValue = "100") int limit,
              @RequestParam(value = "cursor", required = false) String cursor) {
        if (limit < 1 || limit > 1000) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "limit must be 1 to 1000");
        }
        Cursor after;
        try {
            after = cursor == null ? null : Cursor.decode(cursor);
        } catch (IllegalArgumentException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, e.getMessage());
        }
        if (after != null && !after.id().matches(".+#\\d{1,9}")) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "not a journal cursor");
        }
        List<Object> arguments = new ArrayList<>();
        String sql = query(account, payment, from, to, after, arguments) + " LIMIT ?";
        arguments.add(limit + 1);
        List<Line> lines = jdbc.query(sql, (row, n) -> line(row), arguments.toArray());
        String next = null;
        if (lines.size() > limit) {
            Line last = lines.get(limit - 1);
            next = new Cursor(last.occurredAt(), last.eventId() + "#" + last.lineNumber()).encode();
            lines = lines.subList(0, limit);
        }
        return new Page(lines, next);
    }

    @GetMapping(value = "/v1/journal", produces = "text/csv")
    ResponseEntity<StreamingResponseBody> csv(@RequestParam(value = "account", required = false) String account,
                                              @RequestParam(value = "payment", required = false) String payment,
                                              @RequestParam(value = "from", required = false) Instant from,
                                              @RequestParam(value = "to", required = false) Instant to) {
        List<Object> arguments = new ArrayList<>();
        String sql = query(account, payment, from, to, null, arguments);
        StreamingResponseBody body = output -> {
            Writer writer = new java.io.OutputStreamWriter(output, java.nio.charset.StandardCharsets.UTF_8);
            writer.write("occurred_at,event_id,line_number,payment_id,merchant_id,account,side,amount,currency\n");
            jdbc.query(connection -> {
                var statement = connection.prepareStatement(sql);
                statement.setFetchSize(1000);
                for (int i = 0; i < arguments.size(); i++) {
                    statement.setObject(i + 1, arguments.get(i));
                }
                return statement;
            }, row -> {
                Line line = line(row);
                try {
                    writer.write(line.occurredAt() + "," + line.eventId() + "," + line.lineNumber() + "," + line.paymentId()
                            + "," + line.merchantId() + "," + line.account() + "," + line.side() + "," + line.amount()
                            + "," + line.currency() + "\n");
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            writer.flush();
        };
        return ResponseEntity.ok().contentType(MediaType.parseMediaType("text/csv")).body(body);
    }

    private static String query(String account, String payment, Instant from, Instant to, Cursor after,
                                List<Object> arguments) {
        StringBuilder sql = new StringBuilder("""
                SELECT event_id, line_number, payment_id, merchant_id, account, side, amount, currency, occurred_at
                FROM journal_line WHERE true""");
        if (account != null) {
            sql.append(" AND account = ?");
            arguments.add(account);
        }
        if (payment != null) {
            sql.append(" AND payment_id = ?");
            arguments.add(payment);
        }
        if (from != null) {
            sql.append(" AND occurred_at >= ?");
            arguments.add(Timestamp.from(from));
        }
        if (to != null) {
            sql.append(" AND occurred_at < ?");
            arguments.add(Timestamp.from(to));
        }
        if (after != null) {
            String[] position = after.id().split("#", 2);
            sql.append(" AND (occurred_at, event_id, line_number) > (?, ?, ?)");
            arguments.add(Timestamp.from(after.at()));
            arguments.add(position[0]);
            arguments.add(Integer.parseInt(position[1]));
        }
        return sql.append(" ORDER BY occurred_at, event_id, line_number").toString();
    }

    private static Line line(java.sql.ResultSet row) throws java.sql.SQLException {
        return new Line(row.getString(1), row.getInt(2), row.getString(3), row.getString(4), row.getString(5),
                row.getString(6), row.getLong(7), row.getString(8), row.getTimestamp(9).toInstant());
    }
}
