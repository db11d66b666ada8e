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
import org.apache.kafka.clients.consumer.ConsumerConfig;
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
        assertThat(row.get("payload_revision")).isEqualTo("1");

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

    private static KafkaConsumer<String, byte[]> consumer() {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, RealServers.kafka().bootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
    }
}
