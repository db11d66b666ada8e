package io.payledger.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.payledger.systemtests.SystemUnderTest.Api;
import io.payledger.systemtests.SystemUnderTest.Database;
import io.payledger.localstack.servers.RealServers;
import io.payledger.localstack.servers.RedisServer;
import io.payledger.localstack.tokens.DevTokens;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

/**
 * A customer's name, email and phone through a whole payment, then forgotten: before, they are stored
 * nowhere in clear (three databases, the Kafka topic, Redis); after, nobody can open them, while the
 * payment, its balances and its hash chain are exactly as they were.
 */
class ForgettingACustomerIT {

    private static final String AUDITOR = DevTokens.withRoles("auditor-forget", "auditor");
    private static final String FINANCE = DevTokens.withRoles("finance-forget", "finance");

    private final SystemUnderTest system = SharedSystem.get().system;

    @Test
    void aCustomersDataIsStoredOnlySealedAndOnceForgottenIsUnreadableEverywhereWhileThePaymentStillVerifies() {
        String unique = UUID.randomUUID().toString().substring(0, 8);
        String name = "Zainab Forgettable " + unique;
        String email = "zainab." + unique + "@example.com";
        String phone = "+6017" + Math.abs(unique.hashCode() % 10_000_000);
        String merchant = "m-forget-" + unique;
        String token = DevTokens.merchant(merchant);
        String id = system.partlyRefundedPayment(merchant, """
                {"merchantReference":"ORD-F-%s","amount":3000,"currency":"MYR","captureMethod":"manual",
                 "customer":{"name":"%s","email":"%s","phone":"%s"},"returnUrl":"https://shop.example/return"}"""
                .formatted(unique, name, email, phone), 700);
        await().atMost(Duration.ofSeconds(30)).until(() -> system.query("/v1/payments/" + id, token).body()
                .path("status").asText().equals("partially_refunded"));
        system.query("/v1/payments/" + id, token);   // read once more, so the status is in Redis too

        List<String> plainTexts = List.of(name, email, phone);
        assertThat(wherePlainTextIsStored(plainTexts)).as("personal data stored in clear").isEmpty();
        JsonNode opened = system.call(Api.COMMANDS, "GET", "/v1/customers/by-payment/" + id, AUDITOR, null, Map.of()).body();
        assertThat(opened.get("name").asText()).isEqualTo(name);
        assertThat(opened.get("email").asText()).isEqualTo(email);
        assertThat(opened.get("phone").asText()).isEqualTo(phone);
        JsonNode statusBefore = system.query("/v1/payments/" + id, token).body();
        JsonNode auditBefore = system.query("/v1/audit/payments/" + id + "/events", AUDITOR).body();
        JsonNode balancesBefore = system.query("/v1/balances", token).body().get("balances");

        SystemUnderTest.Reply forgotten = system.call(Api.COMMANDS, "POST", "/v1/customers/forget", token,
                "{\"email\":\"" + email.toUpperCase() + "\"}", Map.of());

        assertThat(forgotten.status()).as(forgotten.text()).isEqualTo(200);
        assertThat(forgotten.body().get("erasedKeys").asInt()).isEqualTo(1);
        JsonNode after = system.call(Api.COMMANDS, "GET", "/v1/customers/by-payment/" + id, AUDITOR, null, Map.of()).body();
        assertThat(after.get("forgotten").asBoolean()).isTrue();
        assertThat(after.has("name") || after.has("email") || after.has("phone")).isFalse();
        assertThat(system.countInCommandDatabase("SELECT count(*) FROM customer_key WHERE merchant_id = '" + merchant + "'"))
                .as("the customer's keys").isZero();
        assertThat(system.query("/v1/payments/" + id, token).body()).isEqualTo(statusBefore);
        assertThat(system.query("/v1/balances", token).body().get("balances")).isEqualTo(balancesBefore);
        JsonNode auditAfter = system.query("/v1/audit/payments/" + id + "/events", AUDITOR).body();
        assertThat(auditAfter).isEqualTo(auditBefore);
        assertThat(auditAfter.get("chain").get("intact").asBoolean()).isTrue();
        assertThat(system.query("/v1/reports/trial-balance", FINANCE).body().get("balanced").asBoolean()).isTrue();
        assertThat(wherePlainTextIsStored(plainTexts)).isEmpty();
    }

    /** Where any of the texts is found in clear, or as the hex PostgreSQL prints bytea in. */
    private List<String> wherePlainTextIsStored(List<String> texts) {
        List<String> found = new ArrayList<>();
        for (Database database : Database.values()) {
            String stored = system.everythingStoredIn(database);
            texts.stream().filter(text -> stored.contains(text) || stored.contains(hex(text)))
                    .forEach(text -> found.add(database + " database holds " + text));
        }
        String topic = everythingInTheEventsTopic();
        texts.stream().filter(topic::contains).forEach(text -> found.add("the Kafka topic holds " + text));
        String cache = everythingInRedis();
        texts.stream().filter(cache::contains).forEach(text -> found.add("Redis holds " + text));
        return found;
    }

    private String everythingInTheEventsTopic() {
        Properties settings = new Properties();
        settings.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, system.kafkaBootstrapServers());
        settings.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        settings.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        StringBuilder all = new StringBuilder();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(settings)) {
            List<TopicPartition> partitions = consumer.partitionsFor("payledger.payment-events").stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(partition -> consumer.position(partition) < ends.get(partition))) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    all.append(new String(record.value(), StandardCharsets.UTF_8));
                    record.headers().forEach(header -> all.append(new String(header.value(), StandardCharsets.UTF_8)));
                }
            }
        }
        return all.toString();
    }

    private String everythingInRedis() {
        RedisServer redis = RealServers.redis();
        RedisClient client = RedisClient.create(RedisURI.create(redis.host(), redis.port()));
        StringBuilder all = new StringBuilder();
        try (StatefulRedisConnection<byte[], byte[]> connection = client.connect(ByteArrayCodec.INSTANCE)) {
            var redisCommands = connection.sync();
            for (byte[] key : redisCommands.keys("*".getBytes(StandardCharsets.UTF_8))) {
                all.append(new String(key, StandardCharsets.UTF_8));
                switch (redisCommands.type(key)) {
                    case "string" -> all.append(new String(redisCommands.get(key), StandardCharsets.UTF_8));
                    case "hash" -> redisCommands.hgetall(key).forEach((field, value) ->
                            all.append(new String(field, StandardCharsets.UTF_8)).append(new String(value, StandardCharsets.UTF_8)));
                    default -> { }
                }
            }
        } finally {
            client.shutdown();
        }
        return all.toString();
    }

    private static String hex(String text) {
        return HexFormat.of().formatHex(text.getBytes(StandardCharsets.UTF_8));
    }
}
