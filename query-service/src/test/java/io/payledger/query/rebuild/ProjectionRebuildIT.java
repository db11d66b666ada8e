package io.payledger.query.rebuild;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.payledger.localstack.events.SyntheticLog;
import io.payledger.localstack.servers.RealServers;
import io.payledger.localstack.tokens.DevTokens;
import io.payledger.query.QueryServiceOnRealServers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The live projection and its rebuild, fed through a topic of its own on real Kafka, PostgreSQL and
 * Redis, with payment histories written in command-service's format. The tests run in order: each
 * adds to the same log, the fourth builds keys over hand-made rows, the fifth tampers with the live
 * model and the sixth with the rebuild it made.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProjectionRebuildIT {

    private static final String TOPIC = "rebuild-it-" + UUID.randomUUID();
    private static final String OPERATOR = DevTokens.withRoles("operator-user", "operator");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @DynamicPropertySource
    static void realServers(DynamicPropertyRegistry properties) {
        QueryServiceOnRealServers.register(properties, "rebuild_it");
        properties.add("axon.kafka.default-topic", () -> TOPIC);
    }

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    ObjectMapper json;
    @LocalServerPort
    int port;

    /** Writes payments onto the topic, each stamped {@code step} seconds after the one before; returns the events written. */
    static long writePayments(int payments, Instant first, long step) {
        long events = 0;
        try (SyntheticLog log = new SyntheticLog(RealServers.kafka().bootstrapServers(), TOPIC)) {
            for (int i = 0; i < payments; i++) {
                events += log.sendPayment("m-rebuild-" + (i % 3), first.plusSeconds(step * i));
            }
            log.flush();
        }
        return events;
    }

    long count(String sql) {
        return jdbc.queryForObject(sql, Long.class);
    }

    HttpResponse<String> call(String method, String path, String token) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Authorization", "Bearer " + token).method(method, HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    JsonNode rebuildToTheEnd() throws Exception {
        HttpResponse<String> started = call("POST", "/v1/admin/projections/read-models/rebuild", OPERATOR);
        assertThat(started.statusCode()).isEqualTo(202);
        String report = started.headers().firstValue("Location").orElseThrow();
        JsonNode[] finished = new JsonNode[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            finished[0] = json.readTree(call("GET", report, OPERATOR).body());
            return finished[0].get("status").asText().matches("completed|failed");
        });
        return finished[0];
    }

    @Test
    @Order(1)
    void everyEventOnTheTopicIsProjectedEvenWhenRecordTimestampsRunBackwards() {
        // each payment stamped before the last: a buffer that re-sorts by timestamp makes the processor skip events
        long written = writePayments(400, Instant.parse("2026-11-22T12:00:00Z"), -1);

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(count("SELECT count(*) FROM audit_event")).isEqualTo(written));
        assertThat(count("SELECT count(*) FROM payment_view")).isEqualTo(400);
    }

    @Test
    @Order(2)
    void aRebuildFromTheStartOfTheLogEqualsTheLiveReadModelsAndItsTrialBalanceBalances() throws Exception {
        writePayments(200, Instant.parse("2026-11-23T09:00:00Z"), 1);
        await().atMost(Duration.ofSeconds(60)).until(() -> count("SELECT count(*) FROM payment_view") == 600);

        JsonNode rebuild = rebuildToTheEnd();

        assertThat(rebuild.get("status").asText()).isEqualTo("completed");
        assertThat(rebuild.get("equal").asBoolean()).as(rebuild.toPrettyString()).isTrue();
        assertThat(rebuild.get("progress").get("ratio").asDouble()).isEqualTo(1.0);
        assertThat(rebuild.get("progress").get("eventsApplied").asLong()).isEqualTo(count("SELECT count(*) FROM audit_event"));
        assertThat(rebuild.get("comparison").get("rebuiltTrialBalanceBalances").asBoolean()).isTrue();
        assertThat(rebuild.get("comparison").get("tables")).extracting(table -> table.get("compared").asLong())
                .allMatch(compared -> compared > 0);
        assertThat(count("SELECT count(*) FROM " + rebuild.get("schema").asText() + ".payment_view")).isEqualTo(600);
        assertThat(count("""
                SELECT count(*) FROM (SELECT currency FROM journal_line GROUP BY currency
                HAVING sum(CASE WHEN side = 'debit' THEN amount ELSE -amount END) <> 0) unbalanced""")).isZero();
    }

    @Test
    @Order(3)
    void aRebuildOfALogHoldingRepeatedEventsAChangedRepublishAndAGapEqualsTheLiveModel() throws Exception {
        long auditBefore = count("SELECT count(*) FROM audit_event");
        long viewsBefore = count("SELECT count(*) FROM payment_view");
        long distinct = 0;
        try (SyntheticLog log = new SyntheticLog(RealServers.kafka().bootstrapServers(), TOPIC)) {
            for (int i = 0; i < 30; i++) {
                distinct += log.sendPayment("m-rebuild-twice", Instant.parse("2026-11-24T09:00:00Z").plusSeconds(i),
                        SyntheticLog.Delivery.EACH_EVENT_TWICE) / 2;
                distinct += log.sendPayment("m-rebuild-gap", Instant.parse("2026-11-24T10:00:00Z").plusSeconds(i),
                        SyntheticLog.Delivery.SECOND_EVENT_MISSING);
                distinct += log.sendPayment("m-rebuild-republished", Instant.parse("2026-11-24T11:00:00Z").plusSeconds(i),
                        SyntheticLog.Delivery.FIRST_EVENT_AGAIN_CHANGED) - 1;
            }
            log.flush();
        }
        long expected = auditBefore + distinct;
        await().atMost(Duration.ofSeconds(60)).until(() -> count("SELECT count(*) FROM audit_event") == expected
                && count("SELECT count(*) FROM payment_view") == viewsBefore + 90);

        JsonNode rebuild = rebuildToTheEnd();

        assertThat(rebuild.get("equal").asBoolean()).as(rebuild.toPrettyString()).isTrue();
        assertThat(rebuild.get("progress").get("recordsRead").asLong()).isGreaterThan(expected);
        assertThat(rebuild.get("progress").get("eventsApplied").asLong()).isEqualTo(expected);
        String rebuilt = rebuild.get("schema").asText();
        // a payment whose second event never came shows its first event's state, and nothing after it is journaled
        assertThat(count("SELECT count(*) FROM " + rebuilt + ".payment_view WHERE merchant_id = 'm-rebuild-gap' AND version = 0"))
                .isEqualTo(30);
        assertThat(count("SELECT count(*) FROM " + rebuilt + ".journal_line WHERE merchant_id = 'm-rebuild-gap'")).isZero();
        assertThat(count("SELECT count(*) FROM " + rebuilt + ".journal_line WHERE merchant_id = 'm-rebuild-twice'"))
                .isEqualTo(count("SELECT count(*) FROM journal_line WHERE merchant_id = 'm-rebuild-twice'")).isPositive();
        // the republished copy, read after the first, is dropped in both
        assertThat(count("SELECT count(*) FROM " + rebuilt + ".audit_event WHERE meta_data ? 'republished'")).isZero();
        assertThat(count("SELECT count(*) FROM audit_event WHERE meta_data ? 'republished'")).isZero();
    }

    @Test
    @Order(4)
    void theCopyOfARepeatedEventReadFirstStaysWhereverTheTableHoldsItAndTwoEventsInOnePlaceFailTheKeys() {
        String live = jdbc.queryForObject("SELECT current_schema()", String.class);
        BulkLoad load = new BulkLoad(jdbc, "rebuild_keys_it", json, 2);
        load.createTables(live);
        // the copy read second lies first in the table, as the free space map can place it
        insertAudit("rebuild_keys_it", "e-repeated", "p-repeated", 0, "{\"copy\": \"second\"}", 2);
        insertAudit("rebuild_keys_it", "e-repeated", "p-repeated", 0, "{\"copy\": \"first\"}", 1);
        insertAudit("rebuild_keys_it", "e-other", "p-repeated", 1, "{}", 3);

        assertThat(load.keyAuditTrail()).isEqualTo(2);
        assertThat(jdbc.queryForObject("SELECT meta_data ->> 'copy' FROM rebuild_keys_it.audit_event WHERE event_id = 'e-repeated'",
                String.class)).isEqualTo("first");

        BulkLoad clash = new BulkLoad(jdbc, "rebuild_clash_it", json, 2);
        clash.createTables(live);
        insertAudit("rebuild_clash_it", "e-one", "p-clash", 0, "{}", 1);
        insertAudit("rebuild_clash_it", "e-two", "p-clash", 0, "{}", 2);
        assertThatThrownBy(clash::keyAuditTrail).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("two different events claim one place in a payment");
    }

    void insertAudit(String schema, String eventId, String paymentId, long sequence, String metaData, long ordinal) {
        jdbc.update("""
                INSERT INTO %s.audit_event (event_id, payment_id, sequence_number, payload_type, payload, meta_data,
                                            occurred_at, load_ordinal)
                VALUES (?, ?, ?, 'PaymentInitiated', '\\x7b7d', ?::jsonb, now(), ?)""".formatted(schema),
                eventId, paymentId, sequence, metaData, ordinal);
    }

    @Test
    @Order(5)
    void aRebuildNamesTheLiveRowsThatNoLongerMatchTheLog() throws Exception {
        String altered = jdbc.queryForObject("SELECT payment_id FROM payment_view ORDER BY payment_id LIMIT 1", String.class);
        String line = jdbc.queryForObject("SELECT event_id FROM journal_line ORDER BY event_id LIMIT 1", String.class);
        jdbc.update("UPDATE payment_view SET amount = amount + 1 WHERE payment_id = ?", altered);
        jdbc.update("DELETE FROM journal_line WHERE event_id = ? AND line_number = 0", line);

        JsonNode rebuild = rebuildToTheEnd();

        assertThat(rebuild.get("equal").asBoolean()).isFalse();
        JsonNode tables = rebuild.get("comparison").get("tables");
        assertThat(tables.get(0).get("differing").asLong()).isZero();
        assertThat(tables.get(1).get("differing").asLong()).isEqualTo(1);
        assertThat(tables.get(1).get("examples").get(0).get("key").asText()).isEqualTo(altered);
        assertThat(tables.get(1).get("examples").get(0).get("difference").asText()).isEqualTo("differs");
        assertThat(tables.get(2).get("differing").asLong()).isEqualTo(1);
        assertThat(tables.get(2).get("examples").get(0).get("key").asText()).isEqualTo(line + "#0");
        assertThat(tables.get(2).get("examples").get(0).get("difference").asText()).isEqualTo("missing from the live model");
    }

    @Test
    @Order(6)
    void aRebuiltViewBehindTheEventsTheRebuildReadIsADifferenceNotSomethingTheLiveModelLearnedLater() {
        String rebuilt = jdbc.queryForObject("""
                SELECT nspname FROM pg_namespace WHERE nspname LIKE 'rebuild\\_%' AND nspname NOT LIKE '%\\_it'""",
                String.class);
        String live = jdbc.queryForObject("SELECT current_schema()", String.class);
        String stopped = jdbc.queryForObject("SELECT payment_id FROM " + rebuilt + ".payment_view WHERE version >= 1"
                + " ORDER BY payment_id LIMIT 1", String.class);
        jdbc.update("UPDATE " + rebuilt + ".payment_view SET version = version - 1 WHERE payment_id = ?", stopped);

        ReadModelComparison.Result result = new ReadModelComparison(jdbc, rebuilt, live).compare();

        assertThat(result.equal()).isFalse();
        assertThat(result.tables().get(1).examples())
                .contains(new ReadModelComparison.Difference(stopped, "behind in the rebuild"));
    }

    @Test
    @Order(7)
    void onlyAnOperatorMayRebuildAndAnUnknownProjectionIsNotFound() throws Exception {
        assertThat(call("POST", "/v1/admin/projections/read-models/rebuild", DevTokens.withRoles("a", "auditor")).statusCode())
                .isEqualTo(403);
        HttpResponse<String> unknown = call("POST", "/v1/admin/projections/nonsense/rebuild", OPERATOR);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json.readTree(unknown.body()).get("code").asText()).isEqualTo("unknown-projection");
    }
}
