package io.payledger.query.audit;

import io.payledger.events.chain.ChainCheck;
import io.payledger.events.chain.EventHashChain;
import java.sql.Timestamp;
import java.time.Instant;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /v1/audit/verifications}: checks the hash chain of every payment that has events in a
 * time range (the whole log when the range is open), each from its first event, and reports how
 * much was checked and the first broken link, if any.
 */
@RestController
class VerificationController {

    record Range(Instant from, Instant to) { }

    record BrokenLink(String paymentId, long sequenceNumber, String reason) { }

    record Verification(Instant from, Instant to, long paymentsChecked, long eventsChecked, boolean intact,
                        BrokenLink firstBroken) { }

    private final JdbcTemplate jdbc;
    private final AuditTrail audit;

    VerificationController(JdbcTemplate jdbc, AuditTrail audit) {
        this.jdbc = jdbc;
        this.audit = audit;
    }

    @PostMapping("/v1/audit/verifications")
    Verification verify(@RequestBody(required = false) Range range) {
        Instant from = range == null ? null : range.from();
        Instant to = range == null ? null : range.to();
        if (from != null && to != null && !from.isBefore(to)) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "from must be before to");
        }
        List<String> payments = jdbc.queryForList("""
                SELECT DISTINCT payment_id FROM audit_event
                WHERE (?::timestamptz IS NULL OR occurred_at >= ?::timestamptz)
                  AND (?::timestamptz IS NULL OR occurred_at < ?::timestamptz)
                ORDER BY payment_id""", String.class, timestamp(from), timestamp(from), timestamp(to), timestamp(to));
        long events = 0;
        BrokenLink firstBroken = null;
        for (String payment : payments) {
            ChainCheck check = EventHashChain.verify(audit.history(payment, null).stream()
                    .map(entry -> entry.chained(payment)).toList());
            events += check.eventsChecked();
            if (!check.intact() && firstBroken == null) {
                firstBroken = new BrokenLink(payment, check.brokenSequenceNumber(), check.reason());
            }
        }
        return new Verification(from, to, payments.size(), events, firstBroken == null, firstBroken);
    }

    private static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }
}
