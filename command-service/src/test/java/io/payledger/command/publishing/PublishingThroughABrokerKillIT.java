package io.payledger.command.publishing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.payledger.command.support.Api;
import io.payledger.localstack.servers.FreePorts;
import io.payledger.localstack.servers.KafkaProcess;
import io.payledger.localstack.servers.PostgresServer;
import io.payledger.localstack.servers.RealServers;
import io.payledger.localstack.tokens.DevCheckpointKeys;
import io.payledger.localstack.tokens.DevPersonalDataKeys;
import io.payledger.localstack.tokens.DevTokens;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.axonframework.extensions.kafka.eventhandling.HeaderUtils;
import org.axonframework.messaging.Headers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The publisher against a broker killed outright (SIGKILL: no controlled shutdown, requests cut mid-flight) while
 * merchants keep creating and authorising payments and batches are on their way: once the broker is back, every
 * stored event is on the topic, and each payment's events first reach it in the order the log stored them. Kafka
 * may hold some twice (at least once); never one missing, never one ahead of its predecessor.
 * <p>
 * command-service runs on a broker and a database of its own here: the broker is killed, and no other publisher
 * may hold the position in the log.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class PublishingThroughABrokerKillIT {

    private static final String TOPIC = "payledger.payment-events";
    private static KafkaProcess broker;

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    MeterRegistry meters;

    @DynamicPropertySource
    static void aBrokerAndADatabaseOfItsOwn(DynamicPropertyRegistry properties) {
        broker = KafkaProcess.start(FreePorts.any(), Path.of("target", "broker-killed-" + ProcessHandle.current().pid()));
        PostgresServer postgres = RealServers.postgres();
        String database = postgres.createDatabase("broker_killed_it");
        properties.add("spring.datasource.url", () -> postgres.jdbcUrl(database));
        properties.add("spring.datasource.username", postgres::username);
        properties.add("spring.datasource.password", postgres::password);
        properties.add("axon.kafka.bootstrap-servers", broker::bootstrapServers);
        properties.add("management.server.port", () -> "0");
        properties.add("payledger.security.jwt.secret", () -> DevTokens.DEVELOPMENT_SECRET);
        properties.add("payledger.security.jwt.issuer", () -> DevTokens.ISSUER);
        DevPersonalDataKeys.settings().forEach((name, value) -> properties.add(name, () -> value));
        DevCheckpointKeys.settings().forEach((name, value) -> properties.add(name, () -> value));
        properties.add("payledger.checkpoints.topic", () -> "payledger.log-checkpoints.broker-kill-" + java.util.UUID.randomUUID());
        // small batches, so that many are in flight when the broker dies, and a quick verdict on an unanswered one
        properties.add("payledger.events-topic.publish-batch-size", () -> "20");
        properties.add("payledger.events-topic.acknowledgement-timeout", () -> "3s");
    }

    @AfterAll
    static void stopTheBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void aBrokerKilledMidBatchLosesNoStoredEventAndPutsNoPaymentsEventsOutOfOrder() throws Exception {
        Api api = Api.on(port);
        AtomicBoolean merchantsBusy = new AtomicBoolean(true);
        AtomicInteger payments = new AtomicInteger();
        ExecutorService merchants = Executors.newFixedThreadPool(4);
        for (int i = 0; i < 4; i++) {
            merchants.execute(() -> {
                String merchant = Api.newMerchant();
                while (merchantsBusy.get()) {
                    String id = api.authorisedPayment(merchant);
                    api.merchant(merchant, "/v1/payments/" + id + "/captures", null, "{}");
                    payments.incrementAndGet();
                }
            });
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> onTheTopic().size() >= 200);

        broker.kill();
        int atTheKill = payments.get();
        await().atMost(Duration.ofSeconds(60)).until(() -> payments.get() >= atTheKill + 50); // the log grows meanwhile
        broker.startAgain();
        await().atMost(Duration.ofSeconds(30)).until(() -> payments.get() >= atTheKill + 100);
        merchantsBusy.set(false);
        merchants.shutdown();
        assertThat(merchants.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

        Map<String, Long> stored = storedEventsPerPayment();
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertThat(distinctPerPayment(onTheTopic())).as("each payment's distinct events on the topic")
                        .containsExactlyInAnyOrderEntriesOf(stored));
        Map<String, List<Long>> firstArrivals = firstArrivalOrder(onTheTopic());
        firstArrivals.forEach((payment, sequence) -> assertThat(sequence).as("payment %s's events in the order they reached the topic", payment)
                .isSorted());
        assertThat(meters.get("payledger.events.publish.failures").counter().count())
                .as("a batch was under way when the broker died").isPositive();
    }

    private Map<String, Long> storedEventsPerPayment() {
        Map<String, Long> stored = new HashMap<>();
        jdbc.query("SELECT aggregate_identifier, count(*) FROM domain_event_entry GROUP BY aggregate_identifier",
                row -> {
                    stored.put(row.getString(1), row.getLong(2));
                });
        return stored;
    }

    private static Map<String, Long> distinctPerPayment(List<ConsumerRecord<String, byte[]>> records) {
        Map<String, Set<Long>> seen = new HashMap<>();
        records.forEach(record -> seen.computeIfAbsent(record.key(), key -> new LinkedHashSet<>()).add(sequenceOf(record)));
        Map<String, Long> counts = new HashMap<>();
        seen.forEach((payment, sequences) -> counts.put(payment, (long) sequences.size()));
        return counts;
    }

    /** Each payment's sequence numbers in the order they first appear in its partition. */
    private static Map<String, List<Long>> firstArrivalOrder(List<ConsumerRecord<String, byte[]>> records) {
        Map<String, Set<Long>> seen = new HashMap<>();
        records.forEach(record -> seen.computeIfAbsent(record.key(), key -> new LinkedHashSet<>()).add(sequenceOf(record)));
        Map<String, List<Long>> order = new HashMap<>();
        seen.forEach((payment, sequences) -> order.put(payment, new ArrayList<>(sequences)));
        return order;
    }

    private static long sequenceOf(ConsumerRecord<String, byte[]> record) {
        return HeaderUtils.valueAsLong(record.headers(), Headers.AGGREGATE_SEQ);
    }

    /** Everything on the topic, each partition read from its start in offset order. */
    private static List<ConsumerRecord<String, byte[]>> onTheTopic() {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(TOPIC).stream()
                    .map(partition -> new TopicPartition(TOPIC, partition.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(partition -> consumer.position(partition) < ends.get(partition))
                    && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        } catch (RuntimeException brokerAway) {
            return List.of();
        }
        return records;
    }
}
