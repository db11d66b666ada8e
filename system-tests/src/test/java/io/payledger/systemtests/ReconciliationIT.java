package io.payledger.systemtests;

import static io.payledger.systemtests.SystemUnderTest.Api.GATEWAY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.payledger.systemtests.SystemUnderTest.Reply;
import io.payledger.localstack.tokens.DevTokens;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Reconciliation through the running system: the ledger's payments against the sandbox's own
 * records, started by an operator, read by finance. Agreeing records give a clean run; a payment Fiuu
 * reversed, or a refund it rejected, without telling anyone is reported, with both sides of the story,
 * and shows in the metric the alert reads.
 */
class ReconciliationIT {

    private static final String MERCHANT = "m-reconcile-" + UUID.randomUUID().toString().substring(0, 6);
    private static final String OPERATOR = DevTokens.withRoles("operator-1", "operator");
    private static final String FINANCE = DevTokens.withRoles("finance-1", "finance");

    private static SystemUnderTest system;

    @BeforeAll
    static void useTheSharedSystem() {
        system = SharedSystem.get().system;
    }

    @Test
    void paymentsOnWhichTheLedgerAndFiuuAgreeGiveACompleteRunWithoutMismatches() {
        Instant from = Instant.now().minusSeconds(1);
        List<String> payments = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            payments.add(system.capturedPayment(MERCHANT, 1000 + i));
        }
        payments.forEach(payment -> awaitLedgerSays(payment, "captured"));

        JsonNode report = reconcile(from);

        assertThat(report.path("run").path("status").asText()).isEqualTo("completed");
        assertThat(report.path("run").path("paymentsChecked").asInt()).isGreaterThanOrEqualTo(3);
        assertThat(report.path("mismatches").findValuesAsText("paymentId")).doesNotContainAnyElementsOf(payments);
    }

    @Test
    void aPaymentFiuuReversedBehindTheLedgersBackIsReportedWithBothSidesAndRaisesTheMismatchMetric() {
        Instant from = Instant.now().minusSeconds(1);
        String payment = system.capturedPayment(MERCHANT, 4200);
        awaitLedgerSays(payment, "captured");
        String order = SystemUnderTest.fiuuOrderOf(system.state(payment));
        system.sandbox("/sandbox/orders/" + order + "/status", "{\"status\":\"REVERSED\"}");

        JsonNode report = reconcile(from);

        JsonNode mismatch = mismatchOf(report, payment);
        assertThat(mismatch.path("kind").asText()).isEqualTo("missing-at-gateway");
        assertThat(mismatch.path("merchantId").asText()).isEqualTo(MERCHANT);
        assertThat(mismatch.path("ledgerStatus").asText()).isEqualTo("captured");
        assertThat(mismatch.path("ledgerAmount").asLong()).isEqualTo(4200);
        assertThat(mismatch.path("gatewayStatus").asText()).isEqualTo("failed");
        assertThat(mismatch.path("gatewayStatCode").asText()).isEqualTo("11");
        assertThat(report.path("run").path("mismatches").asInt()).isGreaterThanOrEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(system.gatewayMetrics())
                .containsPattern("(?m)^payledger_reconciliation_mismatches\\{[^}]*} [1-9]"));

        Reply asFinance = system.call(GATEWAY, "GET", "/v1/reconciliations/" + report.path("run").path("id").asText(), FINANCE,
                null, Map.of());
        assertThat(asFinance.status()).isEqualTo(200);
        assertThat(mismatchOf(asFinance.body(), payment).path("kind").asText()).isEqualTo("missing-at-gateway");
    }

    @Test
    void aRefundFiuuRejectedAfterTheLedgerRecordedItPaidIsReportedAsARefundMismatch() {
        Instant from = Instant.now().minusSeconds(1);
        String payment = system.partlyRefundedPayment(MERCHANT, """
                {"merchantReference":"ORD-%s","amount":3000,"currency":"MYR","captureMethod":"manual",
                 "returnUrl":"https://shop.example/return"}""".formatted(UUID.randomUUID().toString().substring(0, 12)), 1000);
        awaitLedgerSays(payment, "partially_refunded");
        String refund = system.state(payment).refunds().get(0).refundId().value();
        system.sandbox("/sandbox/refunds/" + refund + "/status", "{\"status\":\"11\"}");

        JsonNode mismatch = mismatchOf(reconcile(from), payment);

        assertThat(mismatch.path("kind").asText()).isEqualTo("refund-differs");
        assertThat(mismatch.path("ledgerStatus").asText()).isEqualTo("refund-succeeded");
        assertThat(mismatch.path("ledgerAmount").asLong()).isEqualTo(1000);
        assertThat(mismatch.path("ledgerTransactionId").asText()).isEqualTo(refund);
        assertThat(mismatch.path("gatewayStatus").asText()).isEqualTo("refund-rejected");
    }

    @Test
    void aWindowThatEndsBeforeItStartsIsRefusedAndNothingIsQueued() {
        int before = runs().size();
        Reply refused = system.call(GATEWAY, "POST", "/v1/reconciliations", OPERATOR,
                "{\"from\":\"2026-11-22T10:00:00Z\",\"to\":\"2026-11-22T09:00:00Z\"}", Map.of());
        Reply unreadable = system.call(GATEWAY, "POST", "/v1/reconciliations", OPERATOR, "{\"from\": 42}", Map.of());

        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.body().path("code").asText()).isEqualTo("invalid-window");
        assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).contains("problem+json"));
        assertThat(unreadable.status()).isEqualTo(400);
        assertThat(runs()).hasSize(before);
    }

    private static JsonNode reconcile(Instant from) {
        Reply started = system.call(GATEWAY, "POST", "/v1/reconciliations", OPERATOR,
                "{\"from\":\"" + from + "\",\"to\":\"" + Instant.now().plusSeconds(1) + "\"}", Map.of());
        assertThat(started.status()).as(started.text()).isEqualTo(202);
        String location = started.headers().firstValue("Location").orElseThrow();
        assertThat(started.body().path("run").path("requestedBy").asText()).isEqualTo("operator-1");
        JsonNode[] report = new JsonNode[1];
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            report[0] = system.call(GATEWAY, "GET", location, OPERATOR, null, Map.of()).body();
            return List.of("completed", "incomplete").contains(report[0].path("run").path("status").asText());
        });
        return report[0];
    }

    private static List<JsonNode> runs() {
        List<JsonNode> runs = new ArrayList<>();
        system.call(GATEWAY, "GET", "/v1/reconciliations?limit=100", OPERATOR, null, Map.of()).body().path("items")
                .forEach(runs::add);
        return runs;
    }

    private static JsonNode mismatchOf(JsonNode report, String payment) {
        for (JsonNode mismatch : report.path("mismatches")) {
            if (mismatch.path("paymentId").asText().equals(payment)) {
                return mismatch;
            }
        }
        throw new AssertionError("no mismatch for " + payment + " in " + report);
    }

    private static void awaitLedgerSays(String payment, String status) {
        await().atMost(Duration.ofSeconds(30)).until(() -> system.countInGatewayDatabase(
                "SELECT count(*) FROM ledger_payment WHERE payment_id = '" + payment + "' AND status = '" + status + "'") == 1);
    }
}
