package io.payledger.saga.work;

import io.payledger.events.payment.PaymentId;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * What gateway-saga is to ask Fiuu, as rows (fiuu_work): the persistent, bounded queue between handling events
 * and calling Fiuu. An event that needs Fiuu schedules an item in the same transaction as the rest of its handling
 * (keyed by the event's id, so a redelivered event schedules nothing twice); workers claim due items for a while,
 * call Fiuu outside any transaction, and record what happened under their claim only. An item that waits for a
 * person stays until an operator asks for it again. Items survive a restart; a claim that lapsed is taken again.
 */
@Repository
public class FiuuWork {

    /** One item as a worker claimed it, with its counts so far. */
    public record Item(long id, PaymentId paymentId, String step, int attempts, int polls, int notFound,
                       boolean accepted, boolean byRefund, UUID claim) { }

    private final JdbcTemplate jdbc;

    FiuuWork(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Schedules a step of a payment, due after {@code delay}. {@code byRefund}: an unexpected charge Fiuu took is
     * given back by refund, one it holds by reversal. @return false when the event scheduled it before
     */
    public boolean schedule(String eventId, PaymentId payment, String step, Duration delay, boolean byRefund) {
        return jdbc.update("""
                INSERT INTO fiuu_work (event_id, payment_id, step, due_at, by_refund)
                VALUES (?, ?, ?, now() + make_interval(secs => ?), ?) ON CONFLICT (event_id) DO NOTHING""",
                eventId, payment.value(), step, delay.toMillis() / 1000.0, byRefund) == 1;
    }

    /** An operator asked for a stuck step to be tried again. @return whether one was waiting */
    public boolean revive(PaymentId payment, String step) {
        return jdbc.update("""
                UPDATE fiuu_work SET state = 'due', attempts = 0, polls = 0, due_at = now(), claimed_until = NULL,
                       claimed_by = NULL WHERE payment_id = ? AND step = ? AND state = 'waiting'""", payment.value(), step) > 0;
    }

    /** Claims up to {@code limit} due items for {@code lease}, oldest due first; other replicas skip them. */
    List<Item> claimDue(int limit, Duration lease) {
        UUID claim = UUID.randomUUID();
        return jdbc.query("""
                UPDATE fiuu_work SET claimed_until = now() + make_interval(secs => ?), claimed_by = ?
                WHERE id IN (SELECT id FROM fiuu_work WHERE state = 'due' AND due_at <= now()
                               AND (claimed_until IS NULL OR claimed_until < now())
                             ORDER BY due_at LIMIT ? FOR UPDATE SKIP LOCKED)
                RETURNING id, payment_id, step, attempts, polls, not_found, accepted, by_refund""",
                (row, n) -> new Item(row.getLong(1), PaymentId.of(row.getString(2)), row.getString(3), row.getInt(4),
                        row.getInt(5), row.getInt(6), row.getBoolean(7), row.getBoolean(8), claim),
                lease.toMillis() / 1000.0, claim, limit);
    }

    // what happened, recorded under the claim only: a worker whose claim lapsed changes nothing

    boolean done(Item item) {
        return update(item, "state = 'done', done_at = now()", List.of());
    }

    boolean later(Item item, Duration delay, boolean polled, boolean accepted, String note) {
        return update(item, polled
                ? "polls = polls + 1, accepted = accepted OR ?, last_error = left(?, 500), due_at = now() + make_interval(secs => ?)"
                : "attempts = attempts + 1, accepted = accepted OR ?, last_error = left(?, 500), due_at = now() + make_interval(secs => ?)",
                List.of(accepted, note, delay.toMillis() / 1000.0));
    }

    boolean notYet(Item item, Duration delay) {
        return update(item, "not_found = not_found + 1, due_at = now() + make_interval(secs => ?)",
                List.of(delay.toMillis() / 1000.0));
    }

    boolean otherWay(Item item, String note) {
        return update(item, "by_refund = NOT by_refund, accepted = false, attempts = attempts + 1,"
                        + " last_error = left(?, 500), due_at = now()",
                List.of(note));
    }

    boolean waiting(Item item, String detail) {
        return update(item, "state = 'waiting', last_error = left(?, 500)", List.of(detail));
    }

    private boolean update(Item item, String set, List<Object> values) {
        Object[] arguments = new Object[values.size() + 2];
        for (int i = 0; i < values.size(); i++) {
            arguments[i] = values.get(i);
        }
        arguments[values.size()] = item.id();
        arguments[values.size() + 1] = item.claim();
        return jdbc.update("UPDATE fiuu_work SET " + set + ", claimed_until = NULL WHERE id = ? AND claimed_by = ? AND state = 'due'",
                arguments) == 1;
    }

    long due() {
        return Optional.ofNullable(jdbc.queryForObject("SELECT count(*) FROM fiuu_work WHERE state = 'due' AND due_at <= now()",
                Long.class)).orElse(0L);
    }

    double oldestDueSeconds() {
        return Optional.ofNullable(jdbc.queryForObject("""
                SELECT extract(epoch FROM now() - min(due_at)) FROM fiuu_work WHERE state = 'due' AND due_at <= now()""",
                Double.class)).orElse(0.0);
    }

    long waitingForAPerson() {
        return Optional.ofNullable(jdbc.queryForObject("SELECT count(*) FROM fiuu_work WHERE state = 'waiting'", Long.class))
                .orElse(0L);
    }
}
