package io.payledger.command.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.payledger.command.support.Api;
import io.payledger.command.support.RealServersIT;
import io.payledger.events.audit.Checkpoint;
import io.payledger.events.audit.CheckpointKeys;
import io.payledger.events.audit.Finding;
import io.payledger.events.audit.Finding.Kind;
import io.payledger.events.audit.LogVerification;
import io.payledger.events.chain.EventHashChain;
import io.payledger.localstack.servers.RealServers;
import io.payledger.localstack.tokens.DevCheckpointKeys;
import io.payledger.localstack.tokens.DevTokens;
import io.payledger.verifier.OfflineVerifier;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The tamper suite: a log sealed by checkpoints, then changed by a database superuser with the append-only trigger
 * off, in every way the audit must catch. The store verification (the API) and the offline verifier (on an export)
 * each name every change; before it, both find the log clean. The tests run in order on one database.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "payledger.checkpoints.interval=0s", "payledger.checkpoints.events=7",
        "payledger.checkpoints.check-every=1h"}) // sealed by the test, when it says
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LogTamperingIT {

    private static final String DATABASE = RealServers.postgres().createDatabase("tamper_it");
    private static final String AUDITOR = DevTokens.withRoles("auditor-1", "auditor");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The payments each kind of change is made to, created by the first test. */
    private static final Map<String, String> PAYMENTS = new java.util.LinkedHashMap<>();
    private static final Map<String, String> MERCHANTS = new java.util.HashMap<>();

    @DynamicPropertySource
    static void ownDatabase(DynamicPropertyRegistry properties) {
        RealServersIT.serviceOn(properties, () -> DATABASE);
    }

    @LocalServerPort
    int port;
    @Autowired
    CheckpointSealer sealer;
    @Autowired
    StoreVerifications verifications;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    CheckpointTopic topic;
    @Autowired
    CheckpointStore checkpointStore;
    @Autowired
    EventStoreRows rows;
    @Autowired
    javax.sql.DataSource dataSource;
    @Autowired
    io.micrometer.core.instrument.MeterRegistry meters;
    @TempDir
    Path directory;

    @Test
    @Order(0)
    void anEventCommittingAfterHigherOnesIsSealedWithThemNotLeftBehindTheSeal() throws Exception {
        String template = capturedAndRefunded();
        String late = "late-" + UUID.randomUUID();
        long lateIndex;
        try (java.sql.Connection open = dataSource.getConnection()) {
            open.setAutoCommit(false);
            lateIndex = insertFirstEventLike(open, template, late); // drawn now, committed after the events below
            capturedAndRefunded();
            assertThat(rows.newestPosition()).isGreaterThan(lateIndex);
            assertThat(sealer.sealNow()).as("sealed past an insert still in progress").isEmpty();
            open.commit();
        }
        sealEverything();
        assertThat(jdbc.queryForObject("SELECT max(position) FROM log_checkpoint", Long.class)).isEqualTo(rows.newestPosition());
        LogVerification.Report report = verifications.verifyNow();
        assertThat(report.intact()).as(report.findings().toString()).isTrue();
        assertThat(report.unsealedEventsChecked()).isZero();
    }

    /** Inserts, on {@code open}, a first event for {@code payment} with {@code template}'s content, chained; its index. */
    private long insertFirstEventLike(java.sql.Connection open, String template, String payment) throws Exception {
        Map<String, Object> row = jdbc.queryForMap("""
                SELECT type, time_stamp, payload_type, payload_revision, payload, meta_data FROM domain_event_entry
                WHERE aggregate_identifier = ? AND sequence_number = 0""", template);
        String hash = EventHashChain.hash(EventHashChain.GENESIS, payment, 0, (String) row.get("payload_type"),
                (String) row.get("payload_revision"), (byte[]) row.get("payload"));
        ObjectNode meta = (ObjectNode) JSON.readTree((byte[]) row.get("meta_data"));
        meta.put(EventHashChain.PREVIOUS_HASH, EventHashChain.GENESIS).put(EventHashChain.HASH, hash);
        try (var insert = open.prepareStatement("""
                INSERT INTO domain_event_entry (event_identifier, aggregate_identifier, sequence_number, type, time_stamp,
                        payload_type, payload_revision, payload, meta_data)
                VALUES (?, ?, 0, ?, ?, ?, ?, ?, ?) RETURNING global_index""")) {
            insert.setString(1, UUID.randomUUID().toString());
            insert.setString(2, payment);
            insert.setString(3, (String) row.get("type"));
            insert.setString(4, (String) row.get("time_stamp"));
            insert.setString(5, (String) row.get("payload_type"));
            insert.setString(6, (String) row.get("payload_revision"));
            insert.setBytes(7, (byte[]) row.get("payload"));
            insert.setBytes(8, JSON.writeValueAsBytes(meta));
            try (var result = insert.executeQuery()) {
                result.next();
                return result.getLong(1);
            }
        }
    }

    @Test
    @Order(1)
    void anUntouchedSealedLogVerifiesCleanThroughTheApiAndOffline() throws IOException {
        for (String kind : List.of("modified", "recomputed", "newest-deleted", "payment-deleted", "reordered", "time-moved",
                "merchant-changed", "untouched")) {
            PAYMENTS.put(kind, capturedAndRefunded());
            if (kind.equals("newest-deleted")) {
                jdbc.queryForObject("SELECT nextval('domain_event_entry_global_index_seq')", Long.class); // a rolled-back insert's gap
            }
        }
        sealEverything();

        JsonNode checkpoints = api().get("/v1/audit/checkpoints", AUDITOR).body();
        assertThat(checkpoints.get("checkpoints").size()).isGreaterThanOrEqualTo(4);
        JsonNode newest = checkpoints.get("checkpoints").get(checkpoints.get("checkpoints").size() - 1);
        assertThat(newest.get("hash").asText()).isEqualTo(store().find(newest.get("number").asLong()).orElseThrow().hash());
        JsonNode key = api().get("/v1/audit/checkpoints/public-key", AUDITOR).body();
        assertThat(key.get("keyId").asText()).isEqualTo(CheckpointKeys.keyId(CheckpointKeys.publicKey(DevCheckpointKeys.PUBLIC_KEY)));
        assertThat(api().get("/v1/audit/checkpoints", DevTokens.merchant("m-1")).status()).isEqualTo(403);

        JsonNode result = verifiedThroughTheApi();
        assertThat(result.get("intact").asBoolean()).as(result.toString()).isTrue();
        assertThat(result.get("unsealedEventsChecked").asLong()).isZero();
        OfflineVerifier.Outcome offline = exportedAndVerifiedOffline("{}");
        assertThat(offline.log().intact()).isTrue();
        assertThat(offline.clean()).as("replayed, journal balanced").isTrue();
        OfflineVerifier.Outcome merchant = exportedAndVerifiedOffline(ofMerchant("merchant-changed"));
        assertThat(merchant.log().intact()).as(merchant.log().findings().toString()).isTrue();
        assertThat(merchant.header().get("payments")).extracting(JsonNode::asText).containsExactly(PAYMENTS.get("merchant-changed"));
        OfflineVerifier.Outcome period = exportedAndVerifiedOffline(today());
        assertThat(period.log().intact()).as(period.log().findings().toString()).isTrue();
        assertThat(period.header().get("payments")).extracting(JsonNode::asText).contains(PAYMENTS.get("time-moved"));

        String job = jdbc.queryForObject("SELECT id::text FROM audit_job WHERE state = 'finished' LIMIT 1", String.class);
        assertThatThrownBy(() -> jdbc.update("UPDATE audit_job SET result = '{\"intact\":true}' WHERE id = ?::uuid", job))
                .as("an ended audit job is rewritten").isInstanceOf(org.springframework.dao.DataAccessException.class);
        assertThatThrownBy(() -> jdbc.update("DELETE FROM audit_job WHERE id = ?::uuid", job))
                .isInstanceOf(org.springframework.dao.DataAccessException.class);
    }

    @Test
    @Order(2)
    void everyKindOfChangeBehindTheTriggersBackIsNamedByTheApiAndByTheOfflineVerifier() throws IOException {
        // a global index no transaction committed (the first test left one), found before anything is deleted
        long gap = jdbc.queryForObject("""
                SELECT s.i FROM generate_series(1, (SELECT max(global_index) FROM domain_event_entry)) s(i)
                WHERE NOT EXISTS (SELECT 1 FROM domain_event_entry WHERE global_index = s.i)
                  AND s.i < (SELECT min(global_index) FROM domain_event_entry WHERE aggregate_identifier = '%s')
                ORDER BY s.i DESC LIMIT 1""".formatted(PAYMENTS.get("reordered")), Long.class);
        String modified = PAYMENTS.get("modified");
        superuser("""
                UPDATE domain_event_entry
                   SET payload = convert_to(replace(convert_from(payload, 'UTF8'), '"amount":1050', '"amount":10'), 'UTF8')
                 WHERE aggregate_identifier = '%s' AND sequence_number = 1""".formatted(modified));
        String recomputed = PAYMENTS.get("recomputed");
        changeAndRecomputeTheChain(recomputed, 1);
        String newest = PAYMENTS.get("newest-deleted");
        superuser("DELETE FROM domain_event_entry WHERE aggregate_identifier = '%s' AND sequence_number = 4".formatted(newest));
        String deleted = PAYMENTS.get("payment-deleted");
        superuser("DELETE FROM domain_event_entry WHERE aggregate_identifier = '%s'".formatted(deleted));
        String reordered = PAYMENTS.get("reordered");
        superuser("""
                UPDATE domain_event_entry SET global_index = -global_index WHERE aggregate_identifier = '%1$s' AND sequence_number IN (1, 2);
                UPDATE domain_event_entry d SET global_index = (SELECT -o.global_index FROM domain_event_entry o
                        WHERE o.aggregate_identifier = d.aggregate_identifier AND o.sequence_number = 3 - d.sequence_number)
                 WHERE aggregate_identifier = '%1$s' AND global_index < 0""".formatted(reordered));
        superuser("""
                INSERT INTO domain_event_entry (global_index, event_identifier, aggregate_identifier, sequence_number, type,
                        time_stamp, payload_type, payload_revision, payload, meta_data)
                SELECT %d, 'forged-event', 'forged-payment', 0, type, time_stamp, payload_type, payload_revision, payload, meta_data
                FROM domain_event_entry WHERE aggregate_identifier = '%s' AND sequence_number = 0""".formatted(gap, PAYMENTS.get("untouched")));

        String timeMoved = PAYMENTS.get("time-moved");
        superuser("UPDATE domain_event_entry SET time_stamp = '2001-01-01T00:00:00Z' WHERE aggregate_identifier = '%s'"
                .formatted(timeMoved) + " AND sequence_number = 0");
        String merchantChanged = PAYMENTS.get("merchant-changed");
        changeAndRecomputeTheChain(merchantChanged, 0, "\"merchantId\":\"" + MERCHANTS.get(merchantChanged) + "\"",
                "\"merchantId\":\"m-someone-else\"");

        JsonNode api = verifiedThroughTheApi();
        List<Finding> offline = exportedAndVerifiedOffline("{}").log().findings();
        LogVerification.Report direct = verifications.verifyNow();

        for (List<Finding> findings : List.of(direct.findings(), findingsOf(api), offline)) {
            assertThat(findings).extracting(Finding::kind, Finding::paymentId, Finding::sequenceNumber).contains(
                    tuple(Kind.MODIFIED, modified, 1L),
                    tuple(Kind.MODIFIED, recomputed, 1L), tuple(Kind.RECOMPUTED, recomputed, 2L), tuple(Kind.RECOMPUTED, recomputed, 4L),
                    tuple(Kind.DELETED, newest, 4L),
                    tuple(Kind.PAYMENT_DELETED, deleted, null),
                    tuple(Kind.REORDERED, reordered, 2L), tuple(Kind.REORDERED, reordered, 1L),
                    tuple(Kind.INSERTED, "forged-payment", 0L),
                    tuple(Kind.MODIFIED, timeMoved, 0L),
                    tuple(Kind.MODIFIED, merchantChanged, 0L), tuple(Kind.RECOMPUTED, merchantChanged, 1L));
            assertThat(findings).extracting(Finding::paymentId).doesNotContain(PAYMENTS.get("untouched"));
        }
        assertThat(direct.findings()).filteredOn(finding -> timeMoved.equals(finding.paymentId())).first()
                .extracting(Finding::detail).asString().contains("time stamp is 2001-01-01T00:00:00Z");
        // partial exports that the changes would have quietly narrowed: each leaves a sealed payment out, and says so
        assertThat(exportedAndVerifiedOffline(ofMerchant("merchant-changed")).log().findings())
                .extracting(Finding::kind, Finding::paymentId).contains(tuple(Kind.LEFT_OUT, merchantChanged));
        assertThat(exportedAndVerifiedOffline(today()).log().findings())
                .extracting(Finding::kind, Finding::paymentId).contains(tuple(Kind.LEFT_OUT, timeMoved));
        assertThat(findingsOf(api)).filteredOn(finding -> finding.paymentId() != null && finding.paymentId().equals(modified))
                .first().extracting(Finding::detail).asString().contains("no longer matches the sealed hash");
        assertThat(api.get("intact").asBoolean()).isFalse();
    }

    @Test
    @Order(3)
    void aCheckpointSignedButNotRecordedBeforeARoundFailedIsSentAgainAsItIsNotSealedAnew() {
        capturedAndRefunded();
        Checkpoint last = store().newest().orElseThrow();
        List<io.payledger.events.audit.SealedEvent> leaves = new java.util.ArrayList<>();
        rows.read(last.position(), rows.newestPosition(), null, event -> leaves.add(io.payledger.events.audit.SealedEvent.of(event)));
        String digest = last.digest();
        for (io.payledger.events.audit.SealedEvent leaf : leaves) {
            digest = io.payledger.events.audit.LogDigest.next(digest, leaf);
        }
        Checkpoint unsigned = new Checkpoint(last.number() + 1, last.position(), leaves.get(leaves.size() - 1).globalIndex(),
                last.totalEvents() + leaves.size(), last.digest(), digest, last.hash(), java.time.Instant.now(),
                last.keyId(), leaves, null);
        Checkpoint pending = unsigned.signedWith(CheckpointKeys.sign(unsigned, CheckpointKeys.privateKey(DevCheckpointKeys.PRIVATE_KEY)));
        store().savePending(pending); // what a round leaves when it fails after signing

        Checkpoint sealed = sealer.sealNow().orElseThrow();

        assertThat(sealed.hash()).isEqualTo(pending.hash());
        assertThat(topic.newest()).hasValueSatisfying(newest -> assertThat(newest.hash()).isEqualTo(pending.hash()));
        assertThat(store().pending()).isEmpty();
    }

    @Test
    @Order(4)
    void aCheckpointOnTheTopicThatIsNotTheOneRecordedHereStopsSealing() {
        Checkpoint recorded = store().newest().orElseThrow();
        Checkpoint forged = new Checkpoint(recorded.number(), recorded.fromPosition(), recorded.position(),
                recorded.totalEvents(), recorded.previousDigest(), recorded.digest(), recorded.previousCheckpoint(),
                recorded.sealedAt().plusSeconds(1), recorded.keyId(), recorded.events(), null);
        topic.publish(forged.signedWith(CheckpointKeys.sign(forged, CheckpointKeys.privateKey(DevCheckpointKeys.PRIVATE_KEY))));
        double before = meters.counter("payledger.checkpoints.refused", "reason", "topic-differs").count();
        capturedAndRefunded(); // events waiting to be sealed

        assertThat(sealer.sealNow()).isEmpty();
        assertThat(meters.counter("payledger.checkpoints.refused", "reason", "topic-differs").count()).isEqualTo(before + 1);
        assertThat(store().newest().orElseThrow().number()).isEqualTo(recorded.number());
    }

    private CheckpointStore store() {
        return checkpointStore;
    }

    private String ofMerchant(String kind) {
        return "{\"merchantId\":\"" + MERCHANTS.get(PAYMENTS.get(kind)) + "\"}";
    }

    private static String today() {
        java.time.Instant now = java.time.Instant.now();
        return "{\"from\":\"" + now.minus(Duration.ofHours(1)) + "\",\"to\":\"" + now.plus(Duration.ofHours(1)) + "\"}";
    }

    private String capturedAndRefunded() {
        String merchant = Api.newMerchant();
        String id = api().authorisedPayment(merchant);
        MERCHANTS.put(id, merchant);
        api().merchant(merchant, "/v1/payments/" + id + "/captures", null, "{\"amount\":1050}");
        api().gateway(id, "/capture", "{}");
        api().merchant(merchant, "/v1/payments/" + id + "/refunds", null, "{\"amount\":300,\"reason\":\"damaged\"}");
        return id;
    }

    private void sealEverything() {
        while (sealer.sealNow().isPresent()) {
            // seal until nothing waits
        }
    }

    private JsonNode verifiedThroughTheApi() {
        Api.Reply started = api().post("/v1/audit/store-verifications", AUDITOR, null, "");
        assertThat(started.status()).as(started.raw().body()).isEqualTo(202);
        String location = started.header("Location");
        JsonNode job = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> api().get(location, AUDITOR).body(), body -> !"running".equals(body.get("state").asText()));
        assertThat(job.get("state").asText()).as(job.toString()).isEqualTo("finished");
        return job.get("result");
    }

    private OfflineVerifier.Outcome exportedAndVerifiedOffline(String scope) throws IOException {
        Api.Reply requested = api().post("/v1/audit/exports", AUDITOR, null, scope);
        assertThat(requested.status()).as(requested.raw().body()).isEqualTo(202);
        Api.Reply content = api().get(requested.body().get("content").asText(), AUDITOR);
        assertThat(content.status()).isEqualTo(200);
        Path export = Files.writeString(directory.resolve("export-" + System.nanoTime() + ".jsonl"), content.raw().body());
        return OfflineVerifier.verify(export, CheckpointKeys.publicKey(DevCheckpointKeys.PUBLIC_KEY), null, null);
    }

    private static List<Finding> findingsOf(JsonNode result) {
        return JSON.convertValue(result.get("findings"), JSON.getTypeFactory().constructCollectionType(List.class, Finding.class));
    }

    /** Changes the amount in one event and writes every later hash of the payment again, as a careful tamperer would. */
    private void changeAndRecomputeTheChain(String payment, long changed) throws IOException {
        changeAndRecomputeTheChain(payment, changed, "\"amount\":1050", "\"amount\":10");
    }

    /** Replaces {@code was} by {@code now} in one event and writes every hash of the payment again. */
    private void changeAndRecomputeTheChain(String payment, long changed, String was, String now) throws IOException {
        List<Map<String, Object>> rows = jdbc.queryForList("""
                SELECT sequence_number, payload_type, payload_revision, payload, meta_data FROM domain_event_entry
                WHERE aggregate_identifier = ? ORDER BY sequence_number""", payment);
        String previous = EventHashChain.GENESIS;
        StringBuilder sql = new StringBuilder();
        for (Map<String, Object> row : rows) {
            long sequence = ((Number) row.get("sequence_number")).longValue();
            String payload = new String((byte[]) row.get("payload"), StandardCharsets.UTF_8);
            if (sequence == changed) {
                assertThat(payload).contains(was);
                payload = payload.replace(was, now);
            }
            String hash = EventHashChain.hash(previous, payment, sequence, (String) row.get("payload_type"),
                    (String) row.get("payload_revision"), payload.getBytes(StandardCharsets.UTF_8));
            ObjectNode meta = (ObjectNode) JSON.readTree((byte[]) row.get("meta_data"));
            meta.put(EventHashChain.PREVIOUS_HASH, previous).put(EventHashChain.HASH, hash);
            sql.append("UPDATE domain_event_entry SET payload = '\\x%s'::bytea, meta_data = '\\x%s'::bytea WHERE aggregate_identifier = '%s' AND sequence_number = %d;\n"
                    .formatted(HexFormat.of().formatHex(payload.getBytes(StandardCharsets.UTF_8)),
                            HexFormat.of().formatHex(JSON.writeValueAsBytes(meta)), payment, sequence));
            previous = hash;
        }
        superuser(sql.toString());
    }

    private static void superuser(String sql) {
        RealServers.postgres().execute(DATABASE, "SET session_replication_role = replica;\n" + sql);
    }

    private Api api() {
        return Api.on(port);
    }
}
