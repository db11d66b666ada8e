package io.payledger.axon;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.extensions.kafka.eventhandling.KafkaMessageConverter;
import org.axonframework.messaging.Headers;

/**
 * axon-kafka's converter, with each event read also carrying its payload and revision as the topic holds them
 * (command-service publishes events as stored). Handlers get the event upcast to its current revision; whoever
 * keeps or verifies the stored form (query-service's audit trail, the hash chain) takes it from
 * {@link #STORED_PAYLOAD} and {@link #STORED_REVISION} in the metadata, and never stores those two keys.
 */
public final class StoredFormKafkaMessageConverter implements KafkaMessageConverter<String, byte[]> {

    /** The payload's JSON exactly as published: the record's own UTF-8 bytes (a byte[], not to be changed). */
    public static final String STORED_PAYLOAD = "payledger.stored.payload";
    /** The payload's revision as published, before any upcasting. */
    public static final String STORED_REVISION = "payledger.stored.revision";

    private final KafkaMessageConverter<String, byte[]> delegate;

    @SuppressWarnings("unchecked")
    public StoredFormKafkaMessageConverter(KafkaMessageConverter<?, ?> delegate) {
        this.delegate = (KafkaMessageConverter<String, byte[]>) delegate;
    }

    @Override
    public ProducerRecord<String, byte[]> createKafkaMessage(EventMessage<?> eventMessage, String topic) {
        return delegate.createKafkaMessage(eventMessage, topic);
    }

    @Override
    public Optional<EventMessage<?>> readKafkaMessage(ConsumerRecord<String, byte[]> record) {
        return delegate.readKafkaMessage(record).map(message -> {
            Header revision = record.headers().lastHeader(Headers.MESSAGE_REVISION);
            String storedRevision = revision == null || revision.value() == null ? ""
                    : new String(revision.value(), StandardCharsets.UTF_8);
            return message.andMetaData(Map.of(STORED_PAYLOAD, record.value(),
                    STORED_REVISION, storedRevision));
        });
    }

    /** The metadata without the stored form, as it was published. */
    public static Map<String, ?> published(Map<String, ?> metaData) {
        if (!metaData.containsKey(STORED_PAYLOAD) && !metaData.containsKey(STORED_REVISION)) {
            return metaData;
        }
        Map<String, Object> published = new java.util.HashMap<>(metaData);
        published.remove(STORED_PAYLOAD);
        published.remove(STORED_REVISION);
        return published;
    }
}
