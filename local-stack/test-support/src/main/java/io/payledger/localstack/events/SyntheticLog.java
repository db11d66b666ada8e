package io.payledger.localstack.events;

import io.payledger.axon.PayLedgerAxonConfiguration;
import io.payledger.events.chain.EventHashChain;
import io.payledger.events.json.EventJson;
import io.payledger.events.ledger.JournalEntries;
import io.payledger.events.money.Money;
import io.payledger.events.payment.AuthorisationFailed;
import io.payledger.events.payment.CaptureMethod;
import io.payledger.events.payment.CaptureRequested;
import io.payledger.events.payment.CheckoutPrepared;
import io.payledger.events.payment.Customer;
import io.payledger.events.payment.MerchantId;
import io.payledger.events.payment.PaymentAuthorised;
import io.payledger.events.payment.PaymentCaptured;
import io.payledger.events.payment.PaymentEvent;
import io.payledger.events.payment.PaymentId;
import io.payledger.events.payment.PaymentInitiated;
import io.payledger.events.payment.PaymentVoided;
import io.payledger.events.payment.RefundId;
import io.payledger.events.payment.RefundRequested;
import io.payledger.events.payment.RefundSucceeded;
import io.payledger.events.payment.VoidRequested;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.extensions.kafka.eventhandling.DefaultKafkaMessageConverter;
import org.axonframework.messaging.MetaData;

/**
 * Writes whole payment histories straight onto the events topic, in the very format command-service
 * publishes (axon-kafka's record layout, the shared event JSON, a real hash chain), for tests and
 * benchmarks of the read side that need more events than the command side can make in the time. The
 * histories are ones the aggregate could have written: declined, voided, captured, and captured then
 * refunded. Each record's timestamp is its event's occurrence, as the publisher sets it.
 */
public final class SyntheticLog implements AutoCloseable {

    private static final ObjectMapper EVENTS = EventJson.newMapper();

    private final KafkaProducer<String, byte[]> producer;
    private final DefaultKafkaMessageConverter converter;
    private final String topic;
    private final SplittableRandom random = new SplittableRandom(20261122);

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

    /** Sends one payment's whole history, its events a millisecond apart from {@code at}; returns how many. */
    public int sendPayment(String merchant, Instant at) {
        List<PaymentEvent> events = history(merchant, at);
        String previous = EventHashChain.GENESIS;
        for (int sequence = 0; sequence < events.size(); sequence++) {
            PaymentEvent event = events.get(sequence);
            String paymentId = event.paymentId().value();
            String hash;
            try {
                hash = EventHashChain.hash(previous, paymentId, sequence, event.getClass().getName(), "1",
                        EVENTS.writeValueAsBytes(event));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
            var message = new GenericDomainEventMessage<>("Payment", paymentId, sequence, event,
                    MetaData.with(EventHashChain.PREVIOUS_HASH, previous).and(EventHashChain.HASH, hash),
                    UUID.randomUUID().toString(), event.occurredAt());
            producer.send(converter.createKafkaMessage(message, topic));
            previous = hash;
        }
        return events.size();
    }

    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close();
    }

    private List<PaymentEvent> history(String merchant, Instant t) {
        PaymentId payment = PaymentId.random();
        Money amount = Money.of(100 + random.nextInt(500_000), "MYR");
        List<PaymentEvent> events = new ArrayList<>();
        events.add(new PaymentInitiated(payment, MerchantId.of(merchant), "ORD-" + payment.value().substring(0, 12), amount,
                CaptureMethod.MANUAL, Customer.guest(), "synthetic", null, Map.of(), t));
        events.add(new CheckoutPrepared(payment, "http://localhost/pay/" + payment.value(), t.plusMillis(1)));
        int outcome = random.nextInt(100);
        if (outcome < 15) {
            events.add(new AuthorisationFailed(payment, "T" + random.nextInt(1_000_000), "11", "declined", t.plusMillis(2)));
            return events;
        }
        String transaction = Long.toString(30_000_000L + random.nextInt(1_000_000));
        events.add(new PaymentAuthorised(payment, amount, transaction, JournalEntries.authorisation(amount), t.plusMillis(2)));
        if (outcome < 30) {
            events.add(new VoidRequested(payment, t.plusMillis(3)));
            events.add(new PaymentVoided(payment, amount, JournalEntries.releaseHold(amount), t.plusMillis(4)));
            return events;
        }
        events.add(new CaptureRequested(payment, amount, t.plusMillis(3)));
        events.add(new PaymentCaptured(payment, amount, transaction, JournalEntries.capture(amount, amount), t.plusMillis(4)));
        if (outcome < 80) {
            return events;
        }
        Money refund = Money.of(1 + random.nextLong(amount.amount()), "MYR");
        RefundId refundId = RefundId.random();
        events.add(new RefundRequested(payment, refundId, refund, "synthetic", JournalEntries.refundRequested(refund),
                t.plusMillis(5)));
        events.add(new RefundSucceeded(payment, refundId, refund, "R" + transaction, JournalEntries.refundSucceeded(refund),
                t.plusMillis(6)));
        return events;
    }
}
