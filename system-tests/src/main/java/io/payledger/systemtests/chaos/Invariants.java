package io.payledger.systemtests.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.payledger.localstack.audit.EventStoreAudit;
import io.payledger.localstack.servers.PostgresServer;
import io.payledger.localstack.tokens.DevTokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * What must hold after any fault, checked from the outside once the system is quiet: each check
 * answers "ok" or says what it found.
 */
final class Invariants {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final String OPERATOR = DevTokens.withRoles("chaos-operator", "operator");
    private static final String FINANCE = DevTokens.withRoles("chaos-finance", "finance");

    static final List<String> NAMES = List.of("ledger = Fiuu", "no money moved twice", "trial balance",
            "store = topic = audit", "read models = rebuild", "hash chains");

    private final PostgresServer postgres;
    private final String kafka;
    private final String topic;

    Invariants(PostgresServer postgres, String kafkaBootstrapServers, String topic) {
        this.postgres = postgres;
        this.kafka = kafkaBootstrapServers;
        this.topic = topic;
    }

    /** Waits until the event store stops growing and every event has reached the audit trail. */
    Duration awaitQuiet(Duration patience) throws Exception {
        long started = System.nanoTime();
        long deadline = started + patience.toNanos();
        long last = -1;
        long stableSince = System.nanoTime();
        while (System.nanoTime() < deadline) {
            long stored = count("payledger_command", "SELECT count(*) FROM domain_event_entry");
            long audited = count("payledger_query", "SELECT count(*) FROM audit_event");
            if (stored != last) {
                last = stored;
                stableSince = System.nanoTime();
            } else if (stored == audited && System.nanoTime() - stableSince > Duration.ofSeconds(20).toNanos()) {
                return Duration.ofNanos(System.nanoTime() - started);
            }
            Thread.sleep(1000);
        }
        throw new IllegalStateException("the system did not become quiet in " + patience.toSeconds() + " s");
    }

    /** Every invariant, by name: "ok", or what broke it. */
    Map<String, String> check(Instant since) throws Exception {
        Map<String, String> results = new LinkedHashMap<>();
        results.put(NAMES.get(0), safely(() -> ledgerMatchesFiuu(since)));
        results.put(NAMES.get(1), safely(this::noMoneyMovedTwice));
        results.put(NAMES.get(2), safely(this::trialBalanceBalances));
        results.put(NAMES.get(3), safely(this::storeTopicAndAuditAgree));
        results.put(NAMES.get(4), safely(this::readModelsEqualARebuild));
        results.put(NAMES.get(5), safely(this::hashChainsVerify));
        return results;
    }

    private interface Check {
        String run() throws Exception;
    }

    private static String safely(Check check) {
        try {
            return check.run();
        } catch (Exception e) {
            return "could not check: " + e.getMessage();
        }
    }

    /** Reconciliation over the scenario's window finds nothing: each payment stands where Fiuu says. */
    private String ledgerMatchesFiuu(Instant since) throws Exception {
        HttpResponse<String> started = send("POST", "http://localhost:8090/v1/reconciliations", OPERATOR,
                "{\"from\":\"" + since.minusSeconds(5) + "\",\"to\":\"" + Instant.now().plusSeconds(1) + "\"}");
        if (started.statusCode() != 202) {
            return "reconciliation answered " + started.statusCode();
        }
        String location = started.headers().firstValue("Location").orElseThrow();
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode report = JSON.readTree(send("GET", "http://localhost:8090" + location, OPERATOR, null).body());
            String status = report.path("run").path("status").asText();
            if (status.equals("completed") || status.equals("incomplete")) {
                int mismatches = report.path("run").path("mismatches").asInt();
                int checked = report.path("run").path("paymentsChecked").asInt();
                if (mismatches == 0 && status.equals("completed")) {
                    return "ok (" + checked + " payments)";
                }
                return status + ", " + mismatches + " mismatches of " + checked + ": " + report.path("mismatches").toString()
                        .substring(0, Math.min(300, report.path("mismatches").toString().length()));
            }
            Thread.sleep(1000);
        }
        return "reconciliation did not finish";
    }

    /** Fiuu accepted at most one capture per transaction and one refund per RefID; the ledger recorded one capture per payment. */
    private String noMoneyMovedTwice() throws Exception {
        JsonNode calls = JSON.readTree(send("GET", "http://localhost:8070/sandbox/calls", null, null).body());
        Map<String, Integer> captures = new HashMap<>();
        Map<String, Integer> refunds = new HashMap<>();
        for (JsonNode call : calls) {
            String code = call.path("answeredCode").asText();
            if (call.path("path").asText().equals("capture") && code.equals("00")) {
                captures.merge(call.path("parameters").path("tranID").asText(), 1, Integer::sum);
            }
            if (call.path("path").asText().equals("refund") && (code.equals("00") || code.equals("22"))) {
                refunds.merge(call.path("parameters").path("RefID").asText(), 1, Integer::sum);
            }
        }
        long twiceCaptured = captures.values().stream().filter(n -> n > 1).count();
        long twiceRefunded = refunds.values().stream().filter(n -> n > 1).count();
        long ledgerTwice = count("payledger_command", """
                SELECT count(*) FROM (SELECT aggregate_identifier FROM domain_event_entry
                WHERE payload_type LIKE '%PaymentCaptured' GROUP BY aggregate_identifier HAVING count(*) > 1) twice""");
        if (twiceCaptured + twiceRefunded + ledgerTwice == 0) {
            return "ok (" + captures.size() + " captures, " + refunds.size() + " refunds at Fiuu)";
        }
        return twiceCaptured + " transactions captured twice at Fiuu, " + twiceRefunded + " refunds accepted twice, "
                + ledgerTwice + " payments captured twice in the ledger";
    }

    private String trialBalanceBalances() throws Exception {
        JsonNode trialBalance = JSON.readTree(send("GET", "http://localhost:8100/v1/reports/trial-balance", FINANCE, null).body());
        return trialBalance.path("balanced").asBoolean(false) ? "ok" : "does not balance: " + trialBalance;
    }

    /** The same events, each once, in the event store, on the topic and in the audit trail. */
    private String storeTopicAndAuditAgree() throws Exception {
        Set<String> stored = strings("payledger_command", "SELECT event_identifier FROM domain_event_entry");
        Set<String> audited = strings("payledger_query", "SELECT event_id FROM audit_event");
        Set<String> onTopic = eventIdsOnTopic();
        if (stored.equals(audited) && stored.equals(onTopic)) {
            return "ok (" + stored.size() + " events)";
        }
        return "store " + stored.size() + ", topic " + onTopic.size() + " distinct, audit " + audited.size();
    }

    private String readModelsEqualARebuild() throws Exception {
        HttpResponse<String> started = send("POST", "http://localhost:8100/v1/admin/projections/read-models/rebuild",
                OPERATOR, null);
        if (started.statusCode() != 202) {
            return "rebuild answered " + started.statusCode() + ": " + started.body();
        }
        String location = started.headers().firstValue("Location").orElseThrow();
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode report = JSON.readTree(send("GET", "http://localhost:8100" + location, OPERATOR, null).body());
            if (report.hasNonNull("equal")) {
                return report.path("equal").asBoolean() ? "ok" : "differs: " + report.path("comparison");
            }
            if (report.path("status").asText().equals("failed")) {
                return "rebuild failed: " + report.path("failure").asText();
            }
            Thread.sleep(1000);
        }
        return "rebuild did not finish";
    }

    private String hashChainsVerify() {
        EventStoreAudit.Summary audit = EventStoreAudit.of(postgres.jdbcUrl("payledger_command"), postgres.username(),
                postgres.password());
        return audit.chainsIntact() ? "ok (" + audit.payments() + " payments)" : "broken: " + audit.broken();
    }

    private Set<String> eventIdsOnTopic() {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        Set<String> ids = new HashSet<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    Header id = record.headers().lastHeader("axon-message-id");
                    if (id != null) {
                        ids.add(new String(id.value(), StandardCharsets.UTF_8));
                    }
                }
            }
        }
        return ids;
    }

    private long count(String database, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl(database), postgres.username(),
                postgres.password()); ResultSet rows = connection.createStatement().executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private Set<String> strings(String database, String sql) throws SQLException {
        Set<String> values = new HashSet<>();
        try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl(database), postgres.username(),
                postgres.password()); ResultSet rows = connection.createStatement().executeQuery(sql)) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }

    private static HttpResponse<String> send(String method, String url, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
