package io.payledger.query.projection;

import static org.assertj.core.api.Assertions.assertThat;

import io.payledger.events.chain.EventHashChain;
import io.payledger.events.ledger.JournalEntries;
import io.payledger.events.money.Money;
import io.payledger.events.payment.CaptureMethod;
import io.payledger.events.payment.CaptureRequested;
import io.payledger.events.payment.CheckoutPrepared;
import io.payledger.events.payment.Customer;
import io.payledger.events.payment.MerchantId;
import io.payledger.events.payment.PaymentAuthorised;
import io.payledger.events.payment.PaymentCaptured;
import io.payledger.events.payment.PaymentEvent;
import io.payledger.events.payment.PaymentHistory;
import io.payledger.events.payment.PaymentId;
import io.payledger.events.payment.PaymentInitiated;
import io.payledger.events.payment.RefundId;
import io.payledger.events.payment.RefundRequested;
import io.payledger.localstack.tokens.DevTokens;
import io.payledger.query.QueryServiceOnRealServers;
import io.payledger.query.payment.PaymentDocument;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.axonframework.messaging.MetaData;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The projection on real PostgreSQL and Redis, fed events directly (as its processor would). */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ReadModelProjectionIT {

    @DynamicPropertySource
    static void realServers(DynamicPropertyRegistry properties) {
        QueryServiceOnRealServers.register(properties, "query_it");
    }

    @Autowired
    ReadModelProjection projection;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    ObjectMapper json;

    record Delivered(String eventId, PaymentEvent event, long sequenceNumber) { }

    /** A captured, partly refunded payment's events, as the command side would have published them. */
    static List<Delivered> lifecycle(String merchant) {
        return lifecycle(merchant, Instant.parse("2026-11-22T10:00:00.123456789Z"));
    }

    static List<Delivered> lifecycle(String merchant, Instant t) {
        PaymentId payment = PaymentId.random();
        Money amount = Money.of(1050, "MYR");
        Money refund = Money.of(300, "MYR");
        List<PaymentEvent> events = List.of(
                new PaymentInitiated(payment, MerchantId.of(merchant), "ORD-" + payment.value().substring(0, 8), amount,
                        CaptureMethod.MANUAL, Customer.guest(), null, null, Map.of(), t),
                new CheckoutPrepared(payment, "https://pay.example/x", t.plusMillis(1)),
                new PaymentAuthorised(payment, amount, "300", JournalEntries.authorisation(amount), t.plusMillis(2)),
                new CaptureRequested(payment, amount, t.plusMillis(3)),
                new PaymentCaptured(payment, amount, "300", JournalEntries.capture(amount, amount), t.plusMillis(4)),
                new RefundRequested(payment, RefundId.random(), refund, null, JournalEntries.refundRequested(refund), t.plusMillis(5)));
        List<Delivered> delivered = new ArrayList<>();
        for (int sequence = 0; sequence < events.size(); sequence++) {
            delivered.add(new Delivered(UUID.randomUUID().toString(), events.get(sequence), sequence));
        }
        return delivered;
    }

    @Test
    void aRefundReasonHoldingANulCharacterIsProjectedWithTheReplacementCharacterInsteadOfStoppingTheProjection() {
        List<Delivered> delivered = new ArrayList<>(lifecycle("m-nul"));
        Delivered refund = delivered.remove(delivered.size() - 1);
        RefundRequested requested = (RefundRequested) refund.event();
        delivered.add(new Delivered(refund.eventId(), new RefundRequested(requested.paymentId(), requested.refundId(),
                requested.amount(), "customer\u0000returned it", requested.journalEntry(), requested.occurredAt()),
                refund.sequenceNumber()));

        delivered.forEach(this::project);

        String document = jdbc.queryForObject("SELECT document::text FROM payment_view WHERE payment_id = ?", String.class,
                requested.paymentId().value());
        assertThat(document).contains("customer\uFFFDreturned it");
    }

    void project(Delivered delivered) {
        projection.project(List.of(projected(delivered,
                MetaData.with(EventHashChain.PREVIOUS_HASH, "0".repeat(64)).and(EventHashChain.HASH, "1".repeat(64)))));
    }

    static ProjectedEvent projected(Delivered delivered, MetaData metaData) {
        return new ProjectedEvent(delivered.eventId(), delivered.event(), delivered.sequenceNumber(), "1", metaData);
    }

    List<Map<String, Object>> snapshot(String paymentId) {
        List<Map<String, Object>> rows = new ArrayList<>();
        rows.addAll(jdbc.queryForList("SELECT event_id, sequence_number FROM audit_event WHERE payment_id = ? ORDER BY 2", paymentId));
        rows.addAll(jdbc.queryForList("SELECT version, status, document::text FROM payment_view WHERE payment_id = ?", paymentId));
        rows.addAll(jdbc.queryForList("""
                SELECT event_id, line_number, account, side, amount FROM journal_line WHERE payment_id = ?
                ORDER BY event_id, line_number""", paymentId));
        return rows;
    }

    @org.springframework.boot.test.web.server.LocalServerPort
    int port;

    java.net.http.HttpResponse<String> get(String path, String token, String accept) throws Exception {
        return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://localhost:" + port + path))
                .header("Authorization", "Bearer " + token).header("Accept", accept).GET().build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aMerchantPagesThroughItsOwnPaymentsWithACursorThatNeitherSkipsNorRepeats() throws Exception {
        String merchant = "m-list-" + UUID.randomUUID().toString().substring(0, 6);
        List<String> own = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            List<Delivered> payment = lifecycle(merchant);
            own.add(payment.get(0).event().paymentId().value());
            for (Delivered delivered : payment) {
                project(delivered);
            }
        }
        for (Delivered delivered : lifecycle("someone-else")) {
            project(delivered);
        }

        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            var answer = json.readTree(get("/v1/payments?limit=2" + (cursor == null ? "" : "&cursor=" + cursor),
                    DevTokens.merchant(merchant), "application/json").body());
            answer.get("data").forEach(payment -> seen.add(payment.get("id").asText()));
            cursor = answer.path("nextCursor").isMissingNode() || answer.get("nextCursor").isNull()
                    ? null : answer.get("nextCursor").asText();
            pages++;
        } while (cursor != null);

        assertThat(pages).isEqualTo(3);
        assertThat(seen).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(own);
        assertThat(json.readTree(get("/v1/payments?status=captured&merchantReference=nope", DevTokens.merchant(merchant),
                "application/json").body()).get("data")).isEmpty();
        assertThat(get("/v1/payments?cursor=not-a-cursor", DevTokens.merchant(merchant), "application/json").statusCode())
                .isEqualTo(400);
    }

    @Test
    void financeReadsThePaymentsJournalAsPagesOrAsOneCsvStream() throws Exception {
        List<Delivered> payment = lifecycle("m-journal-" + UUID.randomUUID().toString().substring(0, 6));
        for (Delivered delivered : payment) {
            project(delivered);
        }
        String id = payment.get(0).event().paymentId().value();
        String finance = DevTokens.withRoles("finance-user", "finance");

        var first = json.readTree(get("/v1/journal?payment=" + id + "&limit=5", finance, "application/json").body());
        var second = json.readTree(get("/v1/journal?payment=" + id + "&limit=5&cursor=" + first.get("nextCursor").asText(),
                finance, "application/json").body());
        var csv = get("/v1/journal?payment=" + id, finance, "text/csv");

        assertThat(first.get("data")).hasSize(5);
        assertThat(second.get("data")).hasSize(3);
        assertThat(second.path("nextCursor").isNull() || second.path("nextCursor").isMissingNode()).isTrue();
        assertThat(csv.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
        assertThat(csv.body().lines()).hasSize(1 + 8).first().asString().startsWith("occurred_at,event_id");
        assertThat(get("/v1/journal", DevTokens.merchant("m-1"), "application/json").statusCode()).isEqualTo(403);
    }

    @Test
    void financeTakesAPeriodsJournalAsCsvWithOpeningAndClosingBalancesAndARunningBalancePerAccount() throws Exception {
        Instant period = Instant.parse("2031-03-01T00:00:00Z");
        projectChained(lifecycle("m-period", period.minusSeconds(3_600)));   // before the period: in the opening balances
        projectChained(lifecycle("m-period", period.plusSeconds(3_600)));    // in it
        String finance = DevTokens.withRoles("finance-user", "finance");

        var csv = get("/v1/reports/journal?from=" + period + "&to=" + period.plus(java.time.Duration.ofDays(1)), finance, "text/csv");

        assertThat(csv.statusCode()).isEqualTo(200);
        List<String[]> rows = csv.body().lines().skip(1).map(line -> line.split(",", -1)).toList();
        Map<String, Long> closingByCurrency = new java.util.HashMap<>();
        String account = null;
        long running = 0;
        for (String[] row : rows) {
            switch (row[0]) {
                case "opening" -> {
                    account = row[1] + " " + row[2];
                    running = Long.parseLong(row[10]);
                    var asOf = json.readTree(get("/v1/balances?asOf=" + period.minusNanos(1000), finance, "application/json").body());
                    long expected = 0;
                    for (var balance : asOf.get("balances")) {
                        if (balance.get("account").asText().equals(row[1]) && balance.get("currency").asText().equals(row[2])) {
                            expected = balance.get("net").asLong();
                        }
                    }
                    assertThat(running).as("opening of " + account).isEqualTo(expected);
                }
                case "line" -> {
                    assertThat(row[1] + " " + row[2]).isEqualTo(account);
                    running += ("debit".equals(row[8]) ? 1 : -1) * Long.parseLong(row[9]);
                    assertThat(Long.parseLong(row[10])).as("running balance").isEqualTo(running);
                }
                case "closing" -> {
                    assertThat(Long.parseLong(row[10])).as("closing of " + account).isEqualTo(running);
                    closingByCurrency.merge(row[2], running, Long::sum);
                }
                default -> throw new AssertionError("unknown record " + row[0]);
            }
        }
        assertThat(rows).filteredOn(row -> row[0].equals("line")).hasSize(8);
        assertThat(closingByCurrency).as("closing balances sum to zero per currency").containsEntry("MYR", 0L);
        assertThat(get("/v1/reports/journal?from=" + period, finance, "text/csv").statusCode()).isEqualTo(400);
        assertThat(get("/v1/reports/journal?from=" + period + "&to=" + period, finance, "text/csv").statusCode()).isEqualTo(400);
        assertThat(get("/v1/reports/journal?from=" + period + "&to=" + period.plusSeconds(1), DevTokens.merchant("m-1"), "text/csv")
                .statusCode()).isEqualTo(403);
    }

    @Test
    void aRevisionOnePaymentInitiatedFromTheGoldenFileIsReadFromTheTopicProjectedAndItsChainVerifiesOverTheStoredBytes()
            throws Exception {
        byte[] stored = java.nio.file.Files.readAllBytes(java.nio.file.Path.of(
                "../shared-events/src/test/resources/golden/PaymentInitiated.v1.json"));
        com.fasterxml.jackson.databind.JsonNode golden = json.readTree(stored);
        String paymentId = golden.get("paymentId").asText();
        String hash = EventHashChain.hash(EventHashChain.GENESIS, paymentId, 0, PaymentInitiated.class.getName(), "1", stored);
        PaymentInitiated asRead = io.payledger.events.json.EventJson.newMapper().readValue(stored, PaymentInitiated.class);
        var message = new org.axonframework.eventhandling.GenericDomainEventMessage<>("Payment", paymentId, 0, asRead,
                MetaData.with(EventHashChain.PREVIOUS_HASH, EventHashChain.GENESIS).and(EventHashChain.HASH, hash),
                UUID.randomUUID().toString(), asRead.occurredAt());
        var converter = org.axonframework.extensions.kafka.eventhandling.DefaultKafkaMessageConverter.builder()
                .serializer(io.payledger.axon.PayLedgerAxonConfiguration.jackson()).build();
        var record = converter.createKafkaMessage(message, "payledger.payment-events");
        record.headers().remove(org.axonframework.messaging.Headers.MESSAGE_REVISION);
        record.headers().add(org.axonframework.messaging.Headers.MESSAGE_REVISION, "1".getBytes());
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<String, byte[]>(Map.of(
                "bootstrap.servers", io.payledger.localstack.servers.RealServers.kafka().bootstrapServers()),
                new org.apache.kafka.common.serialization.StringSerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(record.topic(), null, record.timestamp(),
                    record.key(), stored, record.headers())).get();
        }

        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() ->
                jdbc.queryForObject("SELECT count(*) FROM payment_view WHERE payment_id = ?", Long.class, paymentId) == 1);
        assertThat(jdbc.queryForMap("SELECT payload_revision, payload FROM audit_event WHERE payment_id = ?", paymentId))
                .containsEntry("payload_revision", "1").containsEntry("payload", stored);
        assertThat(jdbc.queryForObject("SELECT status FROM payment_view WHERE payment_id = ?", String.class, paymentId))
                .isEqualTo("created");
        var verification = json.readTree(postVerification(
                "{\"from\":\"2026-11-22T07:00:00Z\",\"to\":\"2026-11-22T09:00:00Z\"}").body());
        assertThat(verification.get("intact").asBoolean()).as(verification.toString()).isTrue();
        assertThat(verification.get("eventsChecked").asLong()).isGreaterThanOrEqualTo(1);
    }

    /** Projects a payment with its real hash chain, computed as the command side computes it. */
    void projectChained(List<Delivered> events) throws Exception {
        String previous = EventHashChain.GENESIS;
        for (Delivered delivered : events) {
            byte[] payload = io.payledger.events.json.EventJson.newMapper().writeValueAsBytes(delivered.event());
            String hash = EventHashChain.hash(previous, delivered.event().paymentId().value(), delivered.sequenceNumber(),
                    delivered.event().getClass().getName(), "1", payload);
            projection.project(List.of(projected(delivered,
                    MetaData.with(EventHashChain.PREVIOUS_HASH, previous).and(EventHashChain.HASH, hash))));
            previous = hash;
        }
    }

    java.net.http.HttpResponse<String> postVerification(String body) throws Exception {
        return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://localhost:" + port + "/v1/audit/verifications"))
                .header("Authorization", "Bearer " + DevTokens.withRoles("auditor-user", "auditor"))
                .header("Content-Type", "application/json").POST(java.net.http.HttpRequest.BodyPublishers.ofString(body))
                .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aVerificationOverARangeFindsTheChainsIntactAndThenTheFirstAlteredEvent() throws Exception {
        Instant day = Instant.parse("2030-01-01T00:00:00Z");
        List<List<Delivered>> payments = List.of(lifecycle("m-audit", day.plusSeconds(60)),
                lifecycle("m-audit", day.plusSeconds(120)), lifecycle("m-audit", day.plusSeconds(180)));
        for (List<Delivered> payment : payments) {
            projectChained(payment);
        }
        String range = "{\"from\":\"2030-01-01T00:00:00Z\",\"to\":\"2030-01-02T00:00:00Z\"}";

        var intact = json.readTree(postVerification(range).body());
        assertThat(intact.get("intact").asBoolean()).isTrue();
        assertThat(intact.get("paymentsChecked").asLong()).isEqualTo(3);
        assertThat(intact.get("eventsChecked").asLong()).isEqualTo(18);

        String altered = payments.get(1).get(0).event().paymentId().value();
        jdbc.update("""
                UPDATE audit_event SET payload = convert_to(replace(convert_from(payload, 'UTF8'), '"amount":1050', '"amount":5'), 'UTF8')
                WHERE payment_id = ? AND sequence_number = 2""", altered);
        var broken = json.readTree(postVerification(range).body());

        assertThat(broken.get("intact").asBoolean()).isFalse();
        assertThat(broken.get("firstBroken").get("paymentId").asText()).isEqualTo(altered);
        assertThat(broken.get("firstBroken").get("sequenceNumber").asLong()).isEqualTo(2);
        assertThat(postVerification("{}").statusCode()).isEqualTo(200);
    }

    @Test
    void redeliveredAndDuplicatedEventsChangeNothing() throws Exception {
        List<Delivered> events = lifecycle("m-" + UUID.randomUUID().toString().substring(0, 6));
        String paymentId = events.get(0).event().paymentId().value();
        for (Delivered delivered : events) {
            project(delivered);
        }
        List<Map<String, Object>> once = snapshot(paymentId);

        for (Delivered delivered : events) {
            project(delivered);
            project(delivered);
        }

        assertThat(snapshot(paymentId)).isEqualTo(once);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM journal_line WHERE payment_id = ?", Long.class, paymentId))
                .isEqualTo(2 + 4 + 2);
    }

    @Test
    void eventsOfManyPaymentsInterleavedGiveWhatEachPaymentAloneGives() throws Exception {
        List<List<Delivered>> payments = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            payments.add(lifecycle("m-" + i + "-" + UUID.randomUUID().toString().substring(0, 6)));
        }

        for (int position = 0; position < 6; position++) {
            for (List<Delivered> payment : payments) {
                project(payment.get(position));
            }
        }

        for (List<Delivered> payment : payments) {
            List<PaymentEvent> alone = payment.stream().map(Delivered::event).toList();
            PaymentDocument expected = PaymentDocument.of(PaymentHistory.replay(alone), alone.size() - 1);
            String paymentId = alone.get(0).paymentId().value();
            PaymentDocument projected = json.readValue(jdbc.queryForObject(
                    "SELECT document::text FROM payment_view WHERE payment_id = ?", String.class, paymentId), PaymentDocument.class);
            assertThat(projected).isEqualTo(expected);
        }
        assertThat(jdbc.queryForObject("""
                SELECT count(*) FROM (SELECT currency FROM journal_line GROUP BY currency
                HAVING SUM(CASE WHEN side = 'debit' THEN amount ELSE -amount END) <> 0) unbalanced""", Long.class)).isZero();
    }
}
