package io.payledger.localstack.events;

import io.payledger.axon.PayLedgerAxonConfiguration;
import io.payledger.events.chain.EventHashChain;
import io.payledger.events.json.EventJson;
import io.payledger.events.payment.PaymentEvent;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.extensions.kafka.eventhandling.DefaultKafkaMessageConverter;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.AnnotationRevisionResolver;

/**
 * Writes whole payment histories straight onto the events topic, in the very format command-service
 * publishes (axon-kafka's record layout, the shared event JSON, a real hash chain), for tests and
 * benchmarks of the read side that need more events than the command side can make in the time. The
 * histories are ones the aggregate could have written: declined, voided, captured, and captured then
 * refunded. Each record's timestamp is its event's occurrence, as the publisher sets it.
 */
public final class SyntheticLog implements AutoCloseable {

    private static final ObjectMapper EVENTS = EventJson.newMapper();
    private static final AnnotationRevisionResolver REVISIONS = new AnnotationRevisionResolver();

    private final KafkaProducer<String, byte[]> producer;
    private final DefaultKafkaMessageConverter converter;
    private final String topic;
    private final SyntheticHistories histories = new SyntheticHistories(20261122);

    public SyntheticLog(String bootstrapServers, String topic) {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        this.producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
        this.converter = DefaultKafkaMessageConverter.builder().serializer(PayLedgerAxonConfiguration.jackson()).build();
        this.topic = topic;
    }

    /** How a payment's history reaches the topic. */
    public enum Delivery {
        /** each event once, in order */
        AS_PUBLISHED,
        /** each event twice in a row, as a publisher that delivers at least once may */
        EACH_EVENT_TWICE,
        /** every event but the second, so that the events after it wait for one that never comes */
        SECOND_EVENT_MISSING,
        /**
         * each event once, then the first again under its id with different (longer) metadata, as a republish
         * after a change to the stored form might: the copy read first is the one that counts
         */
        FIRST_EVENT_AGAIN_CHANGED
    }

    /** Sends one payment's whole history, its events a millisecond apart from {@code at}; returns how many. */
    public int sendPayment(String merchant, Instant at) {
        return sendPayment(merchant, at, Delivery.AS_PUBLISHED);
    }

    /** Sends one payment's history as {@code delivery} says; returns how many records went onto the topic. */
    public int sendPayment(String merchant, Instant at, Delivery delivery) {
        List<PaymentEvent> events = histories.next(merchant, at);
        int records = 0;
        String previous = EventHashChain.GENESIS;
        String firstId = null;
        String firstHash = null;
        for (int sequence = 0; sequence < events.size(); sequence++) {
            PaymentEvent event = events.get(sequence);
            String paymentId = event.paymentId().value();
            String hash;
            try {
                hash = EventHashChain.hash(previous, paymentId, sequence, event.getClass().getName(),
                        REVISIONS.revisionOf(event.getClass()), EVENTS.writeValueAsBytes(event));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
            String eventId = UUID.randomUUID().toString();
            if (sequence == 0) {
                firstId = eventId;
                firstHash = hash;
            }
            var message = new GenericDomainEventMessage<>("Payment", paymentId, sequence, event,
                    MetaData.with(EventHashChain.PREVIOUS_HASH, previous).and(EventHashChain.HASH, hash),
                    eventId, event.occurredAt());
            if (!(delivery == Delivery.SECOND_EVENT_MISSING && sequence == 1)) {
                producer.send(converter.createKafkaMessage(message, topic));
                records++;
            }
            if (delivery == Delivery.EACH_EVENT_TWICE) {
                producer.send(converter.createKafkaMessage(message, topic));
                records++;
            }
            if (delivery == Delivery.FIRST_EVENT_AGAIN_CHANGED && sequence == events.size() - 1) {
                PaymentEvent first = events.get(0);
                producer.send(converter.createKafkaMessage(new GenericDomainEventMessage<>("Payment", paymentId, 0, first,
                        MetaData.with(EventHashChain.PREVIOUS_HASH, EventHashChain.GENESIS).and(EventHashChain.HASH, firstHash)
                                .and("republished", "a second copy, longer than the first, which must not replace it"),
                        firstId, first.occurredAt()), topic));
                records++;
            }
            previous = hash;
        }
        return records;
    }

    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close();
    }
}
