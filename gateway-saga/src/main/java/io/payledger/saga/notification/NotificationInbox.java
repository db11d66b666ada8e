package io.payledger.saga.notification;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Every notification Fiuu sent, exactly as received, with whether its signature verified. A verified
 * notification is stored once per (kind, tranID or RefID, status): a repeat is recognised and not
 * stored again. The relay works through the verified ones in order of arrival.
 */
@Repository
public class NotificationInbox {

    enum Kind { PAYMENT, REFUND }

    record Entry(long id, Kind kind, String reference, String status, Map<String, String> fields, int attempts) { }

    private final JdbcTemplate jdbc;
    private final ObjectMapper json = new ObjectMapper();

    NotificationInbox(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** @return true if stored, false if a verified notification with the same reference and status is there already */
    boolean store(Kind kind, String reference, String status, String channel, Map<String, String> fields, boolean verified) {
        return jdbc.update("""
                INSERT INTO fiuu_inbox (kind, reference, status, channel, raw, verified)
                VALUES (?, ?, ?, ?, ?::jsonb, ?) ON CONFLICT DO NOTHING""",
                kind.name(), reference, status, channel, write(fields), verified) == 1;
    }

    List<Entry> due(int limit) {
        return jdbc.query("""
                SELECT id, kind, reference, status, raw::text, attempts FROM fiuu_inbox
                WHERE verified AND processed_at IS NULL AND next_attempt_at <= now()
                ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED""",
                (row, n) -> new Entry(row.getLong(1), Kind.valueOf(row.getString(2)), row.getString(3), row.getString(4),
                        read(row.getString(5)), row.getInt(6)), limit);
    }

    void processed(long id, String outcome) {
        jdbc.update("UPDATE fiuu_inbox SET processed_at = now(), outcome = ? WHERE id = ?", outcome, id);
    }

    void retryLater(long id, int attempts, long delayMillis, String error) {
        jdbc.update("""
                UPDATE fiuu_inbox SET attempts = ?, outcome = ?, next_attempt_at = now() + make_interval(secs => ?)
                WHERE id = ?""", attempts, error, delayMillis / 1000.0, id);
    }

    /** An operator asked for a transaction's settled-as-unreadable paid notifications to be relayed again. */
    public int revive(String tranId) {
        return jdbc.update("""
                UPDATE fiuu_inbox SET processed_at = NULL, outcome = NULL, attempts = 0, next_attempt_at = now()
                WHERE kind = 'PAYMENT' AND verified AND reference = ? AND outcome = 'unreadable-amount'""", tranId);
    }

    private String write(Map<String, String> fields) {
        try {
            return json.writeValueAsString(fields);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, String> read(String raw) {
        try {
            return json.readValue(raw, Map.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
