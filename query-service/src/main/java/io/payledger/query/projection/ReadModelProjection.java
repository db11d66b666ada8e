package io.payledger.query.projection;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.payledger.events.ledger.Posting;
import io.payledger.events.payment.PaymentEvent;
import io.payledger.events.payment.PaymentHistory;
import io.payledger.events.payment.PaymentState;
import io.payledger.query.audit.AuditTrail;
import io.payledger.query.payment.PaymentDocument;
import io.payledger.query.payment.PaymentStatusCache;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.annotation.MessageIdentifier;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.serialization.AnnotationRevisionResolver;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Projects every payment event into the read models, in one transaction per event: the audit trail
 * (keyed by event id, so a redelivered event finds itself there and changes nothing), the payment
 * view (the payment's stored events folded with the shared {@link PaymentHistory}, so its state is
 * right whatever order or repetition the events came in), and the journal lines. The hot status in
 * Redis is refreshed after the commit. Time comes from the events, never from the clock, except for
 * the lag metric.
 */
@Component
@ProcessingGroup(ReadModelProjection.PROCESSING_GROUP)
public class ReadModelProjection {

    public static final String PROCESSING_GROUP = "read-models";

    private final AuditTrail audit;
    private final JdbcTemplate jdbc;
    private final PaymentStatusCache cache;
    private final ObjectMapper json;
    private final Clock clock;
    private final Timer lag;
    private final io.micrometer.core.instrument.Counter applied;
    private final AnnotationRevisionResolver revisions = new AnnotationRevisionResolver();

    ReadModelProjection(AuditTrail audit, JdbcTemplate jdbc, PaymentStatusCache cache, ObjectMapper json, Clock clock,
                        MeterRegistry meters) {
        this.audit = audit;
        this.jdbc = jdbc;
        this.cache = cache;
        this.json = json;
        this.clock = clock;
        this.lag = Timer.builder("payledger.projection.lag")
                .description("from an event's occurrence to its projection").tag("processor", PROCESSING_GROUP)
                .publishPercentiles(0.5, 0.99).register(meters);
        this.applied = io.micrometer.core.instrument.Counter.builder("payledger.projection.events")
                .description("events applied to the read models (rate() gives events per second)")
                .tag("processor", PROCESSING_GROUP).register(meters);
    }

    @EventHandler
    void on(PaymentEvent event, @SequenceNumber long sequenceNumber, @MessageIdentifier String eventId,
            MetaData metaData) throws JsonProcessingException {
        if (!audit.record(eventId, event, sequenceNumber, revisions.revisionOf(event.getClass()), metaData)) {
            return; // seen before
        }
        List<AuditTrail.Entry> history = audit.history(event.paymentId().value(), null);
        PaymentState state = PaymentHistory.replay(history.stream().map(AuditTrail::event).toList());
        long version = history.get(history.size() - 1).sequenceNumber();
        PaymentDocument document = PaymentDocument.of(state, version);
        String documentJson = json.writeValueAsString(document);
        jdbc.update("""
                INSERT INTO payment_view (payment_id, merchant_id, merchant_reference, status, amount, currency, version,
                                          document, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?)
                ON CONFLICT (payment_id) DO UPDATE SET status = excluded.status, version = excluded.version,
                    document = excluded.document, updated_at = excluded.updated_at""",
                document.id(), document.merchantId(), document.merchantReference(), document.status(), document.amount(),
                document.currency(), version, documentJson, Timestamp.from(state.createdAt()), Timestamp.from(state.updatedAt()));
        event.journal().ifPresent(entry -> {
            List<Posting> postings = entry.postings();
            for (int line = 0; line < postings.size(); line++) {
                Posting posting = postings.get(line);
                jdbc.update("""
                        INSERT INTO journal_line (event_id, line_number, payment_id, merchant_id, account, side, amount,
                                                  currency, occurred_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""",
                        eventId, line, document.id(), document.merchantId(), posting.account().code(), posting.side().code(),
                        posting.amount().amount(), posting.amount().currency(), AuditTrail.storedInstant(event.occurredAt()));
            }
        });
        Runnable refreshCache = () -> cache.put(document.id(), documentJson, version);
        if (CurrentUnitOfWork.isStarted()) {
            CurrentUnitOfWork.get().afterCommit(unitOfWork -> refreshCache.run());
        } else {
            refreshCache.run();
        }
        lag.record(Duration.between(event.occurredAt(), clock.instant()));
        applied.increment();
    }
}
