package io.payledger.query.projection;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.payledger.events.payment.PaymentEvent;
import io.payledger.query.payment.PaymentStatusCache;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.annotation.MessageIdentifier;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Projects payment events into the live read models (audit trail, payment view, journal lines),
 * a batch at a time: the processor hands over a batch of events in one unit of work, the handler
 * collects them, and they are written together just before the unit of work commits, in the same
 * transaction as the processor's position. So a batch is applied wholly or not at all, and a
 * redelivered event finds itself in the audit trail and changes nothing. After the commit the hot
 * copies in Redis are refreshed and the lag of each event is recorded.
 */
@Component
@ProcessingGroup(ReadModelProjection.PROCESSING_GROUP)
public class ReadModelProjection {

    public static final String PROCESSING_GROUP = "read-models";
    private static final String BATCH = ReadModelProjection.class.getName() + ".batch";

    private final ReadModelWriter writer;
    private final PaymentFolds folds;
    private final PaymentStatusCache cache;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final Timer lag;
    private final Counter applied;
    private final PaymentFlowMetrics payments;

    ReadModelProjection(JdbcTemplate jdbc, ObjectMapper json, PaymentStatusCache cache, TransactionTemplate transactions,
                        Clock clock, MeterRegistry meters,
                        @Value("${payledger.query.projection.folds-kept:20000}") int foldsKept) {
        this.folds = new PaymentFolds(foldsKept);
        this.writer = new ReadModelWriter(jdbc, null, json, folds);
        this.cache = cache;
        this.transactions = transactions;
        this.clock = clock;
        this.lag = Timer.builder("payledger.projection.lag")
                .description("from an event's occurrence to its projection").tag("processor", PROCESSING_GROUP)
                .publishPercentiles(0.5, 0.99).publishPercentileHistogram()
                .maximumExpectedValue(Duration.ofMinutes(10)).register(meters);
        this.applied = Counter.builder("payledger.projection.events")
                .description("events applied to the read models (rate() gives events per second)")
                .tag("processor", PROCESSING_GROUP).register(meters);
        this.payments = new PaymentFlowMetrics(meters);
    }

    @EventHandler
    void on(PaymentEvent event, @SequenceNumber long sequenceNumber, @MessageIdentifier String eventId,
            MetaData metaData) {
        ProjectedEvent projected = ProjectedEvent.read(eventId, event, sequenceNumber, metaData);
        if (!CurrentUnitOfWork.isStarted()) {
            project(List.of(projected));
            return;
        }
        UnitOfWork<?> unitOfWork = CurrentUnitOfWork.get().root();
        unitOfWork.<List<ProjectedEvent>>getOrComputeResource(BATCH, key -> {
            List<ProjectedEvent> batch = new ArrayList<>();
            AtomicReference<ReadModelWriter.Written> written = new AtomicReference<>();
            unitOfWork.onPrepareCommit(u -> written.set(writer.write(batch)));
            unitOfWork.afterCommit(u -> committed(written.get()));
            return batch;
        }).add(projected);
    }

    /** Projects events outside a processor (tests, tools): one transaction, then the same after-commit work. */
    public void project(List<ProjectedEvent> events) {
        committed(transactions.execute(status -> writer.write(events)));
    }

    private void committed(ReadModelWriter.Written written) {
        if (written == null || written.fresh().isEmpty()) {
            return;
        }
        folds.putAll(written.folded());
        cache.putAll(written.views());
        Instant now = clock.instant();
        for (ProjectedEvent event : written.fresh()) {
            Duration behind = Duration.between(event.event().occurredAt(), now);
            lag.record(behind.isNegative() ? Duration.ZERO : behind); // a clock behind the writer's is not negative lag
            PaymentFolds.Folded folded = written.folded().get(event.event().paymentId().toString());
            payments.record(event.event(), folded == null ? null : folded.state());
        }
        applied.increment(written.fresh().size());
    }
}
