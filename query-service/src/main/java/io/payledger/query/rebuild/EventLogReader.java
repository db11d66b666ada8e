package io.payledger.query.rebuild;

import io.payledger.events.payment.PaymentEvent;
import io.payledger.query.projection.ProjectedEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.extensions.kafka.eventhandling.KafkaMessageConverter;

/**
 * Reads the events topic from its start to where it ended when the read began, every partition,
 * in large batches, converting records exactly as the live processor's source does. It joins no
 * consumer group and commits nothing: it is a reader beside the live projection, not instead of it.
 */
final class EventLogReader {

    /** Where the log ended when the read began, in records (duplicates included). */
    record Extent(Map<TopicPartition, Long> start, Map<TopicPartition, Long> end) {

        long records() {
            return end.entrySet().stream().mapToLong(e -> e.getValue() - start.getOrDefault(e.getKey(), 0L)).sum();
        }
    }

    private final String bootstrapServers;
    private final String topic;
    private final KafkaMessageConverter<String, byte[]> converter;
    private final int batchSize;

    EventLogReader(String bootstrapServers, String topic, KafkaMessageConverter<String, byte[]> converter, int batchSize) {
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
        this.converter = converter;
        this.batchSize = batchSize;
    }

    /**
     * Hands every payment event up to the extent to {@code batches}, in order within each partition
     * (so within each payment). {@code onExtent} learns the size first, and {@code onRecords} how
     * many records each batch covered.
     */
    void read(Consumer<Extent> onExtent, Consumer<List<ProjectedEvent>> batches, Consumer<Integer> onRecords) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(settings(), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Extent extent = new Extent(consumer.beginningOffsets(partitions), consumer.endOffsets(partitions));
            onExtent.accept(extent);
            Map<TopicPartition, Long> remaining = new HashMap<>(extent.end());
            remaining.entrySet().removeIf(e -> e.getValue() <= extent.start().getOrDefault(e.getKey(), 0L));
            consumer.pause(partitions.stream().filter(p -> !remaining.containsKey(p)).toList());
            while (!remaining.isEmpty()) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofSeconds(1));
                List<ProjectedEvent> batch = new ArrayList<>(records.count());
                int counted = 0;
                for (TopicPartition partition : records.partitions()) {
                    Long end = remaining.get(partition);
                    for (ConsumerRecord<String, byte[]> record : records.records(partition)) {
                        if (end == null || record.offset() >= end) {
                            break; // written after the read began: the live projection's business
                        }
                        counted++;
                        converter.readKafkaMessage(record).ifPresent(message -> add(message, batch));
                    }
                    if (end != null && consumer.position(partition) >= end) {
                        remaining.remove(partition);
                        consumer.pause(List.of(partition));
                    }
                }
                if (!batch.isEmpty()) {
                    batches.accept(batch);
                }
                onRecords.accept(counted);
            }
        }
    }

    private void add(EventMessage<?> message, List<ProjectedEvent> batch) {
        if (message instanceof DomainEventMessage<?> event && event.getPayload() instanceof PaymentEvent payment) {
            batch.add(ProjectedEvent.read(event.getIdentifier(), payment, event.getSequenceNumber(), event.getMetaData()));
        }
    }

    private Properties settings() {
        Properties settings = new Properties();
        settings.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        settings.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, batchSize);
        settings.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 * 1024 * 1024);
        settings.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 * 1024 * 1024);
        settings.put(ConsumerConfig.CLIENT_ID_CONFIG, "query-service-rebuild");
        return settings;
    }
}
