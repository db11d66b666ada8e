package io.payledger.saga.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.payledger.events.money.Money;
import io.payledger.events.payment.PaymentId;
import io.payledger.localstack.servers.PostgresServer;
import io.payledger.localstack.servers.RealServers;
import io.payledger.saga.payment.SagaTimings;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The outbox between the saga and command-service, on a real PostgreSQL, with a stand-in
 * command-service that can be made to fail: a decision is reported once its transaction commits
 * and never if it rolls back, nothing recorded while command-service is away is lost, and a
 * payment's reports arrive in the order they were decided.
 */
class OutcomeRelayIT {

    private static final Money AMOUNT = Money.of(1500, "MYR");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger refusals = new AtomicInteger();
    private volatile int answer = 200;
    /** Calls for payments whose id starts so are answered only after a pause, as a command-service under load would. */
    private volatile String slowPayments = "none";
    private final AtomicInteger slowCallsUnderWay = new AtomicInteger();
    /** Answers given before the default one, to the next calls on a path ending so: status and problem code. */
    private final Map<String, java.util.Deque<String[]>> scripted = new ConcurrentHashMap<>();
    /** How the stand-in was used wrongly: a batch without the token, or two reports of one payment in a batch. */
    private final List<String> misuse = new CopyOnWriteArrayList<>();
    /** Whether the stand-in has the batch endpoint; without it, a batch is answered 404, as by an older command-service. */
    private final java.util.concurrent.atomic.AtomicBoolean batchesAnswered = new java.util.concurrent.atomic.AtomicBoolean(true);
    private final java.util.concurrent.atomic.AtomicBoolean shortAnswers = new java.util.concurrent.atomic.AtomicBoolean();
    private final AtomicInteger singleRequests = new AtomicInteger();
    private HttpServer commandService;
    private JdbcTemplate jdbc;
    private TransactionTemplate transaction;
    private OutcomeRelay relay;
    private PaymentOutcomes outcomes;

    @BeforeEach
    void start() throws Exception {
        PostgresServer postgres = RealServers.postgres();
        String database = postgres.createDatabase("outcome_relay_it");
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(postgres.jdbcUrl(database));
        dataSource.setUser(postgres.username());
        dataSource.setPassword(postgres.password());
        Flyway.configure().dataSource(dataSource).placeholders(Map.of("runtime_role", postgres.username())).load().migrate();
        jdbc = new JdbcTemplate(dataSource);
        transaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));

        commandService = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        commandService.createContext("/internal/v1/payment-reports", exchange -> {
            JsonNode batch = JSON.readTree(exchange.getRequestBody());
            if (!"Bearer development-gateway-token".equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                misuse.add("a batch without the gateway's token");
            }
            java.util.Set<String> payments = new java.util.HashSet<>();
            for (JsonNode report : batch.path("reports")) {
                if (!payments.add(report.path("paymentId").asText())) {
                    misuse.add("two reports of " + report.path("paymentId").asText() + " in one batch");
                }
            }
            boolean tooLarge = batch.path("reports").findValuesAsText("paymentId").stream()
                    .anyMatch(id -> id.startsWith("pay-huge"));
            int whole = !batchesAnswered.get() ? 404 : answer >= 500 ? answer : 200;
            if (whole == 200 && tooLarge) {
                whole = 413;
            }
            if (whole != 200) {
                exchange.sendResponseHeaders(whole, -1);
                exchange.close();
                return;
            }
            ArrayNode answers = JSON.createArrayNode();
            for (JsonNode report : batch.path("reports")) {
                answers.add(answerTo(report.path("paymentId").asText() + report.path("outcome").asText()));
            }
            if (shortAnswers.getAndSet(false)) {
                answers.remove(answers.size() - 1);
            }
            byte[] body = JSON.createObjectNode().set("answers", answers).toString().getBytes();
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        commandService.createContext("/internal/v1/payments/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            String path = exchange.getRequestURI().getPath().substring("/internal/v1/payments/".length());
            ObjectNode answered = answerTo(path);
            singleRequests.incrementAndGet();
            exchange.sendResponseHeaders(answered.get("status").asInt(), -1);
            exchange.close();
        });
        commandService.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(8));
        commandService.start();

        var properties = new CommandServiceProperties("http://127.0.0.1:" + commandService.getAddress().getPort(),
                "development-gateway-token", null, null);
        OutcomeOutbox outbox = new OutcomeOutbox(jdbc);
        relay = new OutcomeRelay(outbox, new CommandServiceClient(properties, new GatewayToken(properties)), transaction,
                new SagaTimings(null, 0, Duration.ofMillis(50), Duration.ofMillis(200), 0, 0), new SimpleMeterRegistry(),
                Duration.ofMillis(100), 4, 3, 5);
        outcomes = new PaymentOutcomes(outbox, relay);
        relay.start();
    }

    @AfterEach
    void stop() {
        relay.stop();
        commandService.stop(0);
        assertThat(misuse).as("gateway-saga's batches carry its token and at most one report per payment").isEmpty();
    }

    @Test
    void aDecisionIsReportedOnceItsTransactionCommitsAndNeverIfItRollsBack() {
        transaction.executeWithoutResult(status -> outcomes.authorised(PaymentId.of("pay-kept"), AMOUNT, "T1"));
        transaction.executeWithoutResult(status -> {
            outcomes.authorised(PaymentId.of("pay-undone"), AMOUNT, "T2");
            status.setRollbackOnly();
        });

        await().atMost(Duration.ofSeconds(10)).until(() -> received.contains("pay-kept/authorisation"));
        assertThat(received).noneMatch(path -> path.startsWith("pay-undone"));
        assertThat(jdbc.queryForObject("SELECT count(*) FROM outcome_outbox WHERE payment_id = 'pay-undone'", Long.class))
                .isZero();
    }

    @Test
    void reportsRecordedWhileCommandServiceIsDownArriveOnceItIsBackEachPaymentsInTheOrderDecided() {
        answer = 503;
        for (int payment = 0; payment < 20; payment++) {
            PaymentId id = PaymentId.of("pay-" + payment);
            transaction.executeWithoutResult(status -> outcomes.checkoutPrepared(id, "https://pay.example/" + id));
            transaction.executeWithoutResult(status -> outcomes.authorised(id, AMOUNT, "T-" + id));
            transaction.executeWithoutResult(status -> outcomes.captured(id, "T-" + id));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> attemptsOfOldest() >= 2);
        assertThat(received).isEmpty();

        answer = 200;

        await().atMost(Duration.ofSeconds(30)).until(() -> received.size() == 60);
        Map<String, List<String>> byPayment = new ConcurrentHashMap<>();
        received.forEach(path -> byPayment.computeIfAbsent(path.substring(0, path.indexOf('/')), p -> new CopyOnWriteArrayList<>())
                .add(path.substring(path.indexOf('/') + 1)));
        assertThat(byPayment).hasSize(20);
        assertThat(byPayment.values()).allSatisfy(reports ->
                assertThat(reports).containsExactly("checkout", "authorisation", "capture"));
        assertThat(jdbc.queryForObject("SELECT count(*) FROM outcome_outbox WHERE delivered_at IS NULL", Long.class)).isZero();
    }

    @Test
    void aSlowAnswerForOnePaymentDoesNotHoldUpTheReportsOfOthersRecordedAfterIt() {
        slowPayments = "pay-slow";
        transaction.executeWithoutResult(status -> outcomes.checkoutPrepared(PaymentId.of("pay-slow"), "https://pay.example/slow"));
        transaction.executeWithoutResult(status -> outcomes.captured(PaymentId.of("pay-slow"), "T-slow"));
        await().atMost(Duration.ofSeconds(5)).until(() -> slowCallsUnderWay.get() == 1);
        for (int payment = 0; payment < 10; payment++) {
            PaymentId id = PaymentId.of("pay-fast-" + payment);
            transaction.executeWithoutResult(status -> outcomes.checkoutPrepared(id, "https://pay.example/" + id));
            transaction.executeWithoutResult(status -> outcomes.authorised(id, AMOUNT, "T-" + id));
        }

        await().atMost(Duration.ofSeconds(3)).until(() -> received.stream().filter(path -> path.startsWith("pay-fast-")).count() == 20);
        assertThat(received).noneMatch(path -> path.startsWith("pay-slow"));
        await().atMost(Duration.ofSeconds(15)).until(() -> received.containsAll(List.of("pay-slow/checkout", "pay-slow/capture")));
        assertThat(received.stream().filter(path -> path.startsWith("pay-slow")))
                .containsExactly("pay-slow/checkout", "pay-slow/capture");
    }

    /** What the stand-in answers one report at this path (payment id and outcome): slow, scripted, or the default. */
    private ObjectNode answerTo(String path) {
        if (path.startsWith(slowPayments)) {
            slowCallsUnderWay.incrementAndGet();
            pause(Duration.ofSeconds(4));
        }
        String[] script = scripted.entrySet().stream().filter(entry -> path.endsWith(entry.getKey()))
                .map(entry -> entry.getValue().poll()).filter(java.util.Objects::nonNull).findFirst().orElse(null);
        int status = script == null ? answer : Integer.parseInt(script[0]);
        if (status == 200) {
            received.add(path);
        } else if (status == 409) {
            refusals.incrementAndGet();
        }
        ObjectNode answered = JSON.createObjectNode().put("status", status);
        if (script != null && script[1] != null) {
            answered.put("code", script[1]);
        }
        return answered;
    }

    private static void pause(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aReportThePaymentsRecordContradictsIsSettledAsRefusedAndNotSentAgain() {
        answer = 409;
        transaction.executeWithoutResult(status -> outcomes.voided(PaymentId.of("pay-captured")));

        await().atMost(Duration.ofSeconds(10)).until(() -> "refused".equals(jdbc.queryForObject(
                "SELECT coalesce(result, '') FROM outcome_outbox WHERE payment_id = 'pay-captured'", String.class)));
        answer = 200;
        transaction.executeWithoutResult(status -> outcomes.expired(PaymentId.of("pay-later")));
        await().atMost(Duration.ofSeconds(10)).until(() -> received.contains("pay-later/expiry"));
        assertThat(refusals).hasValue(1);
        assertThat(received).doesNotContain("pay-captured/void");
    }

    @Test
    void aReportThatMetAConcurrentChangeOfThePaymentIsSentAgainUntilItIsTaken() {
        script("/refunds/r-1/success", "409", "concurrent-modification");
        script("/refunds/r-1/success", "409", "concurrent-modification");
        transaction.executeWithoutResult(status -> outcomes.refundSucceeded(PaymentId.of("pay-raced"),
                io.payledger.events.payment.RefundId.of("r-1"), "777"));

        await().atMost(Duration.ofSeconds(10)).until(() -> received.contains("pay-raced/refunds/r-1/success"));
        assertThat(refusals).hasValue(2);
        assertThat(jdbc.queryForObject("SELECT result FROM outcome_outbox WHERE payment_id = 'pay-raced'", String.class))
                .isEqualTo("reported");
    }

    @Test
    void aReportCommandServiceCannotReadIsDeadLetteredAndThePaymentsLaterReportsStillArrive() {
        script("/authorisation-failure", "400", "validation-failed");
        transaction.executeWithoutResult(status -> outcomes.authorisationFailed(PaymentId.of("pay-odd"), "T9", "", ""));
        transaction.executeWithoutResult(status -> outcomes.expired(PaymentId.of("pay-odd")));

        await().atMost(Duration.ofSeconds(10)).until(() -> received.contains("pay-odd/expiry"));
        assertThat(received).doesNotContain("pay-odd/authorisation-failure");
        assertThat(jdbc.queryForObject("""
                SELECT result FROM outcome_outbox WHERE payment_id = 'pay-odd' AND outcome = '/authorisation-failure'""",
                String.class)).isEqualTo("dead");
    }

    @Test
    void aBatchRefusedAsAWholeForOneReportIsSplitUntilThatReportIsDeadLetteredAndItsNeighboursArrive() {
        transaction.executeWithoutResult(status -> {
            outcomes.checkoutPrepared(PaymentId.of("pay-huge"), "https://pay.example/huge");
            for (int payment = 0; payment < 4; payment++) {
                outcomes.checkoutPrepared(PaymentId.of("pay-near-" + payment), "https://pay.example/" + payment);
            }
        });

        await().atMost(Duration.ofSeconds(10)).until(() -> received.stream().filter(path -> path.startsWith("pay-near-")).count() == 4);
        await().atMost(Duration.ofSeconds(10)).until(() -> "dead".equals(jdbc.queryForObject("""
                SELECT coalesce(result, '') FROM outcome_outbox WHERE payment_id = 'pay-huge' AND outcome = '/checkout'""",
                String.class)));
        assertThat(received).noneMatch(path -> path.startsWith("pay-huge/checkout"));
    }

    @Test
    void anAnswerThatDoesNotMatchTheBatchSendsEveryReportInItAgain() {
        shortAnswers.set(true);
        transaction.executeWithoutResult(status -> {
            for (int payment = 0; payment < 3; payment++) {
                outcomes.checkoutPrepared(PaymentId.of("pay-short-" + payment), "https://pay.example/" + payment);
            }
        });

        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.queryForObject("""
                SELECT count(*) FROM outcome_outbox WHERE payment_id LIKE 'pay-short-%' AND result = 'reported'""",
                Long.class) == 3);
        assertThat(jdbc.queryForObject("""
                SELECT min(attempts) FROM outcome_outbox WHERE payment_id LIKE 'pay-short-%'""", Integer.class))
                .as("no answer of the mismatched batch was believed").isEqualTo(2);
    }

    @Test
    void aReportNotAttemptedInItsBatchIsSentAgainAndThePaymentsOrderHolds() {
        script("pay-late/checkout", "503", "not-attempted");
        transaction.executeWithoutResult(status -> outcomes.checkoutPrepared(PaymentId.of("pay-late"), "https://pay.example/late"));
        transaction.executeWithoutResult(status -> outcomes.captured(PaymentId.of("pay-late"), "T-late"));
        transaction.executeWithoutResult(status -> outcomes.checkoutPrepared(PaymentId.of("pay-neighbour"), "https://pay.example/n"));

        await().atMost(Duration.ofSeconds(10)).until(() -> received.contains("pay-late/capture"));
        assertThat(received.stream().filter(path -> path.startsWith("pay-late")))
                .containsExactly("pay-late/checkout", "pay-late/capture");
        assertThat(received).contains("pay-neighbour/checkout");
        // a report its batch never began is not a failed try: it is not counted, so it does not back off
        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.queryForObject(
                "SELECT count(*) FROM outcome_outbox WHERE payment_id = 'pay-late' AND delivered_at IS NOT NULL", Long.class) == 2);
        assertThat(jdbc.queryForObject("SELECT attempts FROM outcome_outbox WHERE payment_id = 'pay-late' AND outcome = '/checkout'",
                Integer.class)).isEqualTo(1);
    }

    @Test
    void aCommandServiceWithoutTheBatchEndpointIsSentEachReportAsItsOwnRequestInOrder() {
        batchesAnswered.set(false);
        for (int payment = 0; payment < 5; payment++) {
            PaymentId id = PaymentId.of("pay-old-" + payment);
            transaction.executeWithoutResult(status -> outcomes.checkoutPrepared(id, "https://pay.example/" + id));
            transaction.executeWithoutResult(status -> outcomes.captured(id, "T-" + id));
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> received.stream().filter(path -> path.startsWith("pay-old-")).count() == 10);
        assertThat(singleRequests).hasValue(10);
        for (int payment = 0; payment < 5; payment++) {
            String id = "pay-old-" + payment;
            assertThat(received.stream().filter(path -> path.startsWith(id + "/")))
                    .containsExactly(id + "/checkout", id + "/capture");
        }
    }

    private void script(String pathEnd, String status, String code) {
        scripted.computeIfAbsent(pathEnd, end -> new java.util.concurrent.ConcurrentLinkedDeque<>()).add(new String[] {status, code});
    }

    private int attemptsOfOldest() {
        return jdbc.queryForObject("SELECT coalesce(max(attempts), 0) FROM outcome_outbox", Integer.class);
    }
}
