package io.payledger.command.audit;

import io.payledger.events.audit.Checkpoint;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The checkpoints' home outside the database: one partition, so they stay in order, kept for ever and
 * never compacted. Each checkpoint is sent and acknowledged by every in-sync replica before the sealer
 * moves on; a send that is not acknowledged has failed for good before {@link #publish} gives up on it (the
 * producer's delivery timeout is shorter than the wait), so a checkpoint is never still in flight when the
 * sealer's next round looks at the topic. Readers go through the whole topic from the start; a checkpoint sent twice (a sealer that
 * failed after sending) appears twice with the same bytes and is read once.
 */
public class CheckpointTopic implements AutoCloseable {

    private static final int MAX_BYTES = 4 * 1024 * 1024;
    /** The producer's delivery timeout; {@link #publish} waits longer than this. */
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(5);

    private final String topic;
    private final Map<String, Object> consumerSettings;
    private final KafkaProducer<String, byte[]> producer;

    public CheckpointTopic(String topic, Map<String, Object> producerSettings, Map<String, Object> consumerSettings,
                           Map<String, Object> adminSettings, short replicationFactor) {
        this.topic = topic;
        this.consumerSettings = consumerSettings;
        create(adminSettings, replicationFactor);
        Map<String, Object> producing = new java.util.HashMap<>(producerSettings);
        producing.put(ProducerConfig.ACKS_CONFIG, "all");
        producing.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producing.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MAX_BYTES);
        producing.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd");
        producing.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        producing.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) SEND_TIMEOUT.dividedBy(3).toMillis());
        producing.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) SEND_TIMEOUT.toMillis());
        this.producer = new KafkaProducer<>(producing, new StringSerializer(), new ByteArraySerializer());
    }

    /** Sends a checkpoint and waits until Kafka has it. */
    public void publish(Checkpoint checkpoint) {
        try {
            producer.send(new ProducerRecord<>(topic, 0, Long.toString(checkpoint.number()), checkpoint.toJson()))
                    .get(SEND_TIMEOUT.toSeconds() + 10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing checkpoint " + checkpoint.number(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("checkpoint " + checkpoint.number() + " was not published", e);
        }
    }

    /** The newest checkpoint on the topic. */
    public Optional<Checkpoint> newest() {
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            // bounded: a broker that does not answer (or a topic not made yet) fails this round of sealing in seconds
            // instead of holding the scheduler's thread, and a shutdown waiting for it, for Kafka's default minute
            long end = consumer.endOffsets(List.of(partition), READ_TIMEOUT).get(partition);
            long start = consumer.beginningOffsets(List.of(partition), READ_TIMEOUT).get(partition);
            if (end <= start) {
                return Optional.empty();
            }
            consumer.seek(partition, end - 1);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofSeconds(1))) {
                    return Optional.of(Checkpoint.fromJson(record.value()));
                }
            }
            throw new IllegalStateException("the newest record of " + topic + " could not be read in 30 s");
        }
    }

    /**
     * Every checkpoint on the topic, oldest first; one sent twice with the same bytes (a sealer that failed after
     * sending it) is handed on once. A checkpoint that differs from the one before under the same number is handed
     * on, for verification to name.
     */
    public void checkpoints(Consumer<Checkpoint> checkpoints) {
        checkpoints(end(), checkpoints);
    }

    /** {@link #checkpoints(Consumer)} up to {@code end}, an {@link #end()} taken earlier. */
    public void checkpoints(long end, Consumer<Checkpoint> checkpoints) {
        Checkpoint[] previous = {null};
        readAll(end, record -> {
            Checkpoint checkpoint = Checkpoint.fromJson(record);
            if (previous[0] == null || previous[0].number() != checkpoint.number()
                    || !previous[0].hash().equals(checkpoint.hash())) {
                checkpoints.accept(checkpoint);
            }
            previous[0] = checkpoint;
        });
    }

    /** The offset the next checkpoint sent will have: what the topic holds now ends before it. */
    public long end() {
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            TopicPartition partition = new TopicPartition(topic, 0);
            return consumer.endOffsets(List.of(partition), READ_TIMEOUT).get(partition);
        }
    }

    private void readAll(long end, Consumer<byte[]> records) {
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            while (consumer.position(partition) < end) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofSeconds(1))) {
                    if (record.offset() < end) {
                        records.accept(record.value());
                    }
                }
            }
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }

    private KafkaConsumer<String, byte[]> consumer() {
        Map<String, Object> reading = new java.util.HashMap<>(consumerSettings);
        reading.remove(ConsumerConfig.GROUP_ID_CONFIG);
        reading.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        reading.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        reading.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, MAX_BYTES);
        return new KafkaConsumer<>(reading, new StringDeserializer(), new ByteArrayDeserializer());
    }

    private void create(Map<String, Object> adminSettings, short replicationFactor) {
        NewTopic checkpoints = new NewTopic(topic, 1, replicationFactor).configs(Map.of(
                TopicConfig.RETENTION_MS_CONFIG, "-1", TopicConfig.RETENTION_BYTES_CONFIG, "-1",
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(MAX_BYTES),
                TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, replicationFactor > 2 ? "2" : "1"));
        try (Admin admin = Admin.create(adminSettings)) {
            admin.createTopics(List.of(checkpoints)).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("the checkpoint topic " + topic + " could not be created", e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the checkpoint topic " + topic + " could not be created in time", e);
        }
    }
}
