package io.payledger.command.publishing;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.extensions.kafka.eventhandling.KafkaMessageConverter;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the event log onto the events topic, a batch at a time: a tracking processor reads up to a batch of
 * stored events in one unit of work, each is sent as it is handled (nothing waits), and the batch's
 * acknowledgements are awaited together just before the processor stores its position in the same transaction.
 * One round trip to Kafka per batch, not per event, and the position never passes an event Kafka has not
 * acknowledged.
 * <p>
 * At least once, in order: a batch whose acknowledgement fails or does not come in time is sent again from the
 * stored position (Kafka may then hold some of its events twice; every reader skips a payment's sequence number it
 * has seen). The producer is idempotent, so within one producer a partition's records land in the order sent. When
 * a send fails the producer is discarded with whatever it still holds, so none of this batch's later records can
 * land after a gap, and the repeat starts on a new producer: a payment's events first reach the topic in order.
 * <p>
 * The records are axon-kafka's ({@link KafkaMessageConverter}): keyed by payment id, with its headers, so readers
 * see exactly what they saw from axon-kafka's own publisher, which awaited each event's acknowledgement in turn.
 * Each event goes out as it is stored, never as the store upcast it ({@link StoredForm}).
 */
@ProcessingGroup(EventsTopicPublisher.PROCESSING_GROUP)
class EventsTopicPublisher {

    /** The processing group axon-kafka's publisher used: its stored position carries over, nothing is sent again. */
    static final String PROCESSING_GROUP = "__axon-kafka-event-publishing-group";

    private static final Logger log = LoggerFactory.getLogger(EventsTopicPublisher.class);
    private static final String BATCH = EventsTopicPublisher.class.getName() + ".batch";

    private final Map<String, Object> producerSettings;
    private final KafkaMessageConverter<String, byte[]> records;
    private final StoredForm storedForm;
    private final String topic;
    private final Duration acknowledgementTimeout;
    private final Timer awaiting;
    private final DistributionSummary batchSizes;
    private final Counter failures;
    private Producer<String, byte[]> producer;

    EventsTopicPublisher(Map<String, Object> producerSettings, KafkaMessageConverter<String, byte[]> records,
                         StoredForm storedForm, String topic, Duration acknowledgementTimeout, MeterRegistry meters) {
        this.producerSettings = Map.copyOf(producerSettings);
        this.records = records;
        this.storedForm = storedForm;
        this.topic = topic;
        this.acknowledgementTimeout = acknowledgementTimeout;
        this.awaiting = Timer.builder("payledger.events.publish.acknowledgement")
                .description("Waiting for Kafka to acknowledge a batch of events, once per batch").register(meters);
        this.batchSizes = DistributionSummary.builder("payledger.events.publish.batch")
                .description("Events sent to the topic per batch").register(meters);
        this.failures = Counter.builder("payledger.events.publish.failures")
                .description("Batches Kafka did not acknowledge; each is sent again from the stored position").register(meters);
    }

    /** The events of one unit of work, as sent, with the producer that sent them. */
    private record Batch(Producer<String, byte[]> producer, List<Future<RecordMetadata>> sends) { }

    @EventHandler
    void publish(EventMessage<?> event) {
        UnitOfWork<?> unitOfWork = CurrentUnitOfWork.get().root();
        Batch batch = unitOfWork.getOrComputeResource(BATCH, key -> {
            Batch started = new Batch(producer(), new ArrayList<>());
            unitOfWork.onPrepareCommit(committing -> awaitAcknowledgements(started));
            return started;
        });
        try {
            batch.sends().add(batch.producer().send(storedForm.of(event, records.createKafkaMessage(event, topic))));
        } catch (RuntimeException failed) {
            discard(batch.producer());
            throw failed;
        }
    }

    private void awaitAcknowledgements(Batch batch) {
        long started = System.nanoTime();
        long deadline = started + acknowledgementTimeout.toNanos();
        // no flush: it would wait out the producer's delivery timeout; linger.ms sends the batch's last records
        try {
            for (Future<RecordMetadata> send : batch.sends()) {
                send.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (ExecutionException | TimeoutException failed) {
            failures.increment();
            discard(batch.producer());
            Throwable cause = failed instanceof ExecutionException ? failed.getCause() : failed;
            throw new EventPublicationFailed("Kafka did not acknowledge a batch of " + batch.sends().size()
                    + " events; it is sent again from the stored position: " + cause, cause);
        } catch (InterruptedException stopping) {
            Thread.currentThread().interrupt();
            discard(batch.producer());
            throw new EventPublicationFailed("stopped while awaiting Kafka's acknowledgements", stopping);
        } finally {
            awaiting.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        }
        batchSizes.record(batch.sends().size());
    }

    private synchronized Producer<String, byte[]> producer() {
        if (producer == null) {
            producer = new KafkaProducer<>(producerSettings);
        }
        return producer;
    }

    /** Drops a producer that failed, with every record it still holds: none of them may land after the gap. */
    private synchronized void discard(Producer<String, byte[]> failed) {
        if (producer == failed) {
            producer = null;
        }
        try {
            failed.close(Duration.ZERO);
        } catch (RuntimeException closing) {
            log.debug("closing a failed producer: {}", closing.getMessage());
        }
    }

    synchronized void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(10));
            producer = null;
        }
    }

    /** Kafka did not take a batch: the processor retries it from its stored position. */
    static final class EventPublicationFailed extends RuntimeException {
        EventPublicationFailed(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
