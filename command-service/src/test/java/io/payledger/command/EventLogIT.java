package io.payledger.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.payledger.command.support.Api;
import io.payledger.command.support.RealServersIT;
import io.payledger.localstack.servers.RealServers;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

class EventLogIT extends RealServersIT {

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    MeterRegistry meters;

    @Test
    void aCreatedPaymentIsAByteaJsonRowInTheEventTableAndAKafkaRecordKeyedByItsId() throws Exception {
        Api.Reply created = api().create(Api.newMerchant(), UUID.randomUUID().toString(),
                Api.createBody("ORD-1001", 1050, "manual"));
        String id = created.body().get("id").asText();

        assertThat(created.status()).isEqualTo(201);
        Map<String, Object> row = jdbc.queryForMap("""
                SELECT pg_typeof(payload)::text AS payload_type_name, convert_from(payload, 'UTF8') AS json,
                       payload_type, payload_revision, sequence_number
                FROM domain_event_entry WHERE aggregate_identifier = ?""", id);
        assertThat(row.get("payload_type_name")).isEqualTo("bytea");
        assertThat((String) row.get("json")).contains("\"merchantReference\":\"ORD-1001\"").contains("\"amount\":1050");
        assertThat(row.get("payload_type")).isEqualTo("io.payledger.events.payment.PaymentInitiated");
        assertThat(row.get("payload_revision")).isEqualTo("2");

        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            consumer.subscribe(List.of("payledger.payment-events"));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                boolean found = false;
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    found |= record.key().equals(id) && new String(record.value()).contains("ORD-1001");
                }
                assertThat(found).isTrue();
            });
        }
    }

    @Test
    void thePublishersPositionInTheLogIsKeptInPostgresBesideTheLog() {
        api().authorisedPayment(Api.newMerchant());

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(jdbc.queryForObject(
                "SELECT count(*) FROM token_entry WHERE processor_name = '__axon-kafka-event-publishing-group'"
                        + " AND token IS NOT NULL", Long.class)).isPositive());
    }

    @Test
    void theEventsTopicHasTheConfiguredPartitionsAndKeepsEventsForEver() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                RealServers.kafka().bootstrapServers()))) {
            TopicDescription topic = admin.describeTopics(List.of("payledger.payment-events"))
                    .allTopicNames().get().get("payledger.payment-events");
            Config config = admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC,
                    "payledger.payment-events"))).all().get().values().iterator().next();

            assertThat(topic.partitions()).hasSize(12);
            assertThat(config.get(TopicConfig.RETENTION_MS_CONFIG).value()).isEqualTo("-1");
            assertThat(config.get(TopicConfig.RETENTION_BYTES_CONFIG).value()).isEqualTo("-1");
        }
    }

    @Test
    void commandsAreTimedByCommandAndOutcome() {
        String merchant = Api.newMerchant();
        String id = api().authorisedPayment(merchant);
        api().merchant(merchant, "/v1/payments/" + id + "/captures", null, "{\"amount\":99999}");

        assertThat(meters.get("payledger.commands").tags("command", "InitiatePayment", "outcome", "applied").timer().count())
                .isPositive();
        assertThat(meters.get("payledger.commands").tags("command", "CapturePayment", "outcome", "amount-exceeds-authorised")
                .timer().count()).isPositive();
    }

    private static KafkaConsumer<String, byte[]> consumer() {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, RealServers.kafka().bootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
    }
}
