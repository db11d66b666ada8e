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
 * in large batches, the partitions shared among parallel consumers, converting records exactly as
 * the live processor's source does. It joins no consumer group and commits nothing: it is a reader
 * beside the live projection, not instead of it.
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
    private final int readers;

    EventLogReader(String bootstrapServers, String topic, KafkaMessageConverter<String, byte[]> converter, int batchSize,
                   int readers) {
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
        this.converter = converter;
        this.batchSize = batchSize;
        this.readers = readers;
    }

    /**
     * Hands every payment event up to the extent to {@code batches}, in order within each partition
     * (so within each payment). {@code onExtent} learns the size first, and {@code onRecords} how
     * many records each batch covered. The partitions are shared among {@code readers} consumers,
     * each on a thread of its own, so that one waits for the broker while another converts; both
     * sinks are called from those threads. The first reader to fail stops the others.
     */
    void read(Consumer<Extent> onExtent, Consumer<List<ProjectedEvent>> batches, Consumer<Integer> onRecords)
            throws InterruptedException {
        Extent extent;
        List<TopicPartition> partitions;
        try (KafkaConsumer<String, byte[]> consumer = consumer("query-service-rebuild")) {
            partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            extent = new Extent(consumer.beginningOffsets(partitions), consumer.endOffsets(partitions));
        }
        onExtent.accept(extent);
        int count = Math.max(1, Math.min(readers, partitions.size()));
        List<Workers.Task> shares = new ArrayList<>();
        for (int reader = 0; reader < count; reader++) {
            int share = reader;
            List<TopicPartition> own = partitions.stream().filter(p -> p.partition() % count == share).toList();
            shares.add(stop -> readPartitions("query-service-rebuild-" + share, own, extent, batches, onRecords, stop));
        }
        Workers.run("projection-rebuild-reader", "reading the log", shares);
    }

    private void readPartitions(String clientId, List<TopicPartition> partitions, Extent extent, Consumer<List<ProjectedEvent>> batches,
                                Consumer<Integer> onRecords, Workers.Stop stop) {
        Map<TopicPartition, Long> remaining = new HashMap<>();
        partitions.forEach(p -> {
            long end = extent.end().getOrDefault(p, 0L);
            if (end > extent.start().getOrDefault(p, 0L)) {
                remaining.put(p, end);
            }
        });
        if (remaining.isEmpty()) {
            return;
        }
        try (KafkaConsumer<String, byte[]> consumer = consumer(clientId)) {
            consumer.assign(remaining.keySet());
            remaining.keySet().forEach(p -> consumer.seek(p, extent.start().getOrDefault(p, 0L)));
            while (!remaining.isEmpty() && !stop.requested()) {
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
                }
                if (!batch.isEmpty()) {
                    batches.accept(batch);
                }
                onRecords.accept(counted);
                // every partition, not only those that just returned records: one can reach its end without a record
                // (a transaction marker last), and must not be waited on for ever
                for (TopicPartition partition : List.copyOf(remaining.keySet())) {
                    if (consumer.position(partition) >= remaining.get(partition)) {
                        remaining.remove(partition);
                        consumer.pause(List.of(partition));
                    }
                }
            }
        }
    }

    private KafkaConsumer<String, byte[]> consumer(String clientId) {
        return new KafkaConsumer<>(settings(clientId), new StringDeserializer(), new ByteArrayDeserializer());
    }

    private void add(EventMessage<?> message, List<ProjectedEvent> batch) {
        if (message instanceof DomainEventMessage<?> event && event.getPayload() instanceof PaymentEvent payment) {
            batch.add(ProjectedEvent.read(event.getIdentifier(), payment, event.getSequenceNumber(), event.getMetaData()));
        }
    }

    private Properties settings(String clientId) {
        Properties settings = new Properties();
        settings.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // a start the log no longer holds (records deleted, the topic made again) fails the read instead of skipping
        settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        settings.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, batchSize);
        // large enough to fetch in few round trips, small enough not to crowd the live caches out of a small heap
        settings.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 16 * 1024 * 1024);
        settings.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 2 * 1024 * 1024);
        settings.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        return settings;
    }
}
