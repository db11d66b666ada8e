package io.payledger.systemtests;

import io.payledger.localstack.LocalStack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.payledger.events.payment.PaymentState;
import io.payledger.events.payment.PaymentStatus;
import io.payledger.events.payment.Refund;
import io.payledger.events.payment.RefundStatus;
import io.payledger.systemtests.SystemUnderTest.Reply;
import io.payledger.localstack.tokens.DevTokens;
import io.payledger.saga.fiuu.FiuuSignatures;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The boundary with Fiuu under the answers real Fiuu can give and the sandbox plays: customers who change the
 * currency, pay again after a decline or after the ledger gave up; answers lost on the way back; refusals,
 * errors and unsigned answers; outcomes that meet a merchant's command on another command-service replica.
 * Every cent Fiuu holds must be one the ledger accounts for, or be given back.
 */
class GatewayEdgeIT {

    private static SystemUnderTest system;
    private static WebhookReceiver receiver;
    private final String merchant = "m-" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeAll
    static void useTheSharedSystem() {
        system = SharedSystem.get().system;
        receiver = SharedSystem.get().receiver;
    }

    @AfterEach
    void calmTheSandbox() {
        system.resetSandbox();
    }

    @Test
    void aCustomerWhoChangesTheCurrencyOnTheCheckoutUrlIsTurnedAwayByTheHostedPage() {
        String id = system.create(merchant, 1050, "manual");
        String checkout = checkoutOf(id);
        String tampered = checkout.replace("cur=MYR", "cur=USD");

        assertThat(system.open(checkout).status()).as("the page as the ledger signed it").isEqualTo(200);
        assertThat(system.open(tampered).status()).isEqualTo(400);
        assertThat(system.open(tampered).text()).contains("invalid vcode");
        assertThat(system.customerChooses(tampered, "pay").status()).isEqualTo(400);
        assertThat(transactionsOfOrder(orderIdOf(checkout))).isEmpty();
    }

    @Test
    void aChargeInAnotherCurrencyIsNeverTheAuthorisationAndIsGivenBackAtFiuu() {
        system.sandbox("/sandbox/faults", "{\"acceptBasicVcode\":true}");
        String id = system.create(SharedSystem.WEBHOOK_MERCHANT, 1050, "manual");
        String checkout = checkoutOf(id);

        system.customerChooses(withBasicVcode(checkout.replace("cur=MYR", "cur=USD")), "pay");

        JsonNode charge = awaitSandboxTransaction(orderIdOf(checkout), "USD");
        awaitEvent(id, "UnexpectedChargeReleased");
        assertThat(system.state(id).status()).isEqualTo(PaymentStatus.AWAITING_CUSTOMER);
        assertThat(system.state(id).authorised().isZero()).isTrue();
        assertThat(eventCount(id, "PaymentAuthorised")).isZero();
        await().atMost(Duration.ofSeconds(30)).until(() -> sandboxStatusOf(charge.get("tranID").asText()).equals("REVERSED"));
        await().atMost(Duration.ofSeconds(30)).until(() -> webhookTypes(id).containsAll(
                List.of("payment.unexpected_charge", "payment.unexpected_charge_released")));

        system.customerChooses(checkout, "pay");
        PaymentState authorised = awaitStatus(id, PaymentStatus.AUTHORISED);
        assertThat(authorised.authorised().amount()).isEqualTo(1050);
        assertThat(authorised.authorised().currency()).isEqualTo("MYR");
    }

    @Test
    void aSaleInAnotherCurrencyIsRefundedInFullAndThePaymentIsNotCaptured() {
        system.sandbox("/sandbox/faults", "{\"acceptBasicVcode\":true}");
        String id = system.create(merchant, 2500, "automatic");
        String checkout = checkoutOf(id);

        system.customerChooses(withBasicVcode(checkout.replace("cur=MYR", "cur=SGD")), "pay");

        JsonNode sale = awaitSandboxTransaction(orderIdOf(checkout), "SGD");
        awaitEvent(id, "UnexpectedChargeReleased");
        assertThat(system.state(id).captured().isZero()).isTrue();
        // still waiting for the customer's own payment, or expired waiting (this system expires checkouts in seconds)
        assertThat(system.state(id).status()).isIn(PaymentStatus.AWAITING_CUSTOMER, PaymentStatus.EXPIRED);
        await().atMost(Duration.ofSeconds(30)).until(() -> refundedAtSandbox(sale.get("tranID").asText()).equals(List.of("25.00")));
    }

    @Test
    void aCustomerWhoPaysAgainAfterADeclineIsGivenTheMoneyBack() {
        String id = system.create(merchant, 1050, "manual");
        String checkout = checkoutOf(id);
        system.customerChooses(checkout, "decline");
        awaitStatus(id, PaymentStatus.FAILED);

        system.customerChooses(checkout, "pay");

        JsonNode paid = awaitSandboxTransaction(orderIdOf(checkout), "MYR", "AUTHORIZED", "REVERSED");
        awaitEvent(id, "UnexpectedChargeReleased");
        assertThat(system.state(id).status()).isEqualTo(PaymentStatus.FAILED);
        await().atMost(Duration.ofSeconds(30)).until(() -> sandboxStatusOf(paid.get("tranID").asText()).equals("REVERSED"));
    }

    @Test
    void aCustomerWhoPaysAfterThePaymentExpiredIsRefunded() {
        String id = system.create(merchant, 1200, "automatic");
        String checkout = checkoutOf(id);
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                .until(() -> system.state(id).status() == PaymentStatus.EXPIRED);

        system.customerChooses(checkout, "pay");

        JsonNode sale = awaitSandboxTransaction(orderIdOf(checkout), "MYR", "CAPTURED");
        awaitEvent(id, "UnexpectedChargeReleased");
        assertThat(system.state(id).status()).isEqualTo(PaymentStatus.EXPIRED);
        await().atMost(Duration.ofSeconds(30)).until(() -> refundedAtSandbox(sale.get("tranID").asText()).equals(List.of("12.00")));
    }

    @Test
    void aReversalRetriedAfterItsAnswerWasLostEndsVoidedNotFailed() {
        String id = system.create(merchant, 1050, "manual");
        system.customerChooses(checkoutOf(id), "pay");
        String tranId = awaitStatus(id, PaymentStatus.AUTHORISED).gatewayTransactionId();
        system.sandbox("/sandbox/faults", "{\"loseNextAnswers\":1}");

        system.merchantPost(merchant, "/v1/payments/" + id + "/void", null);

        PaymentState settled = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> system.state(id), state -> state.status() == PaymentStatus.VOIDED
                        || eventCount(id, "VoidFailed") > 0);
        assertThat(sandboxStatusOf(tranId)).isEqualTo("REVERSED");
        assertThat(settled.status()).isEqualTo(PaymentStatus.VOIDED);
        assertThat(system.sandboxCalls("reversal")).filteredOn(call -> call.get("parameters").get("txnID").asText().equals(tranId))
                .extracting(call -> call.get("answeredStatus").asInt() + "/" + call.get("answeredCode").asText())
                .startsWith("503/00", "200/21");
    }

    /**
     * The merchant's second refund commits its event while the gateway's report of the first refund has already read
     * the payment: the report meets a concurrent change on the other command-service replica, and must be sent again.
     * The order is made certain with two locks: the log is held until the merchant's command waits to append; then
     * the merchant's Idempotency-Key table is held, and the log released, so the merchant's command appends and stops
     * before it commits (storing its response); the report then reads the payment without that event and waits to
     * append behind it; once the merchant's command commits, the report's append fails as a concurrent change.
     * gateway-saga keeps its connection to command-service open, so its reports reach one replica: when the report
     * went to the merchant's replica (where it waits for the merchant's command in the JVM and nothing conflicts),
     * the next try sends the merchant's refund to the other replica.
     */
    @Test
    void aRefundOutcomeThatMeetsAMerchantsCommandOnTheOtherReplicaIsRetriedAndNeverLeftPending() throws Exception {
        int merchantsReplica = 1;
        for (int attempt = 1; ; attempt++) {
            assertThat(attempt).as("the report reached the other replica in one of four tries").isLessThanOrEqualTo(4);
            String id = system.capturedPayment(merchant, 1000);
            system.sandbox("/sandbox/faults", "{\"latencyMillis\":2000}");
            Reply first = system.merchantPost(merchant, "/v1/payments/" + id + "/refunds", "{\"amount\":200}");
            assertThat(first.status()).isEqualTo(202);
            String firstRefund = first.body().get("refunds").get(0).get("id").asText();
            int replica = merchantsReplica;
            String merchantsName = "command-service-" + replica;
            String reportsName = "command-service-" + (3 - replica);
            CompletableFuture<Reply> second;
            boolean met;
            try (Connection log = system.commandDatabase(); Connection keys = system.commandDatabase()) {
                log.setAutoCommit(false);
                keys.setAutoCommit(false);
                log.createStatement().execute("LOCK TABLE domain_event_entry IN SHARE ROW EXCLUSIVE MODE");
                second = CompletableFuture.supplyAsync(() -> system.callCommandReplica(replica, "POST",
                        "/v1/payments/" + id + "/refunds", DevTokens.merchant(merchant), "{\"amount\":300}",
                        Map.of("Idempotency-Key", UUID.randomUUID().toString())));
                await().atMost(Duration.ofSeconds(10)).until(() -> waitingForALock(log, merchantsName) == 1);
                assertThat(waitingForALock(log, reportsName)).as("the report came before the merchant's refund").isZero();
                keys.createStatement().execute("LOCK TABLE idempotency_key IN EXCLUSIVE MODE");
                log.commit(); // the merchant's refund appends, then waits to store its response
                await().atMost(Duration.ofSeconds(10)).until(() -> waitingOn(log, merchantsName, "idempotency_key"));
                met = waitsForALock(log, reportsName);
                keys.commit(); // the merchant's refund commits; the report's append meets it
            }
            Reply merchantsRefund = second.get();
            system.resetSandbox();
            assertThat(merchantsRefund.status()).as(merchantsRefund.text()).isEqualTo(202);
            PaymentState state = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> system.state(id), now -> now.refunds().size() == 2
                            && now.refunds().stream().allMatch(refund -> refund.status() != RefundStatus.PENDING));
            assertThat(state.refunds()).extracting(refund -> refund.refundId().value() + "=" + refund.status())
                    .contains(firstRefund + "=" + RefundStatus.SUCCEEDED);
            assertThat(state.refunds()).extracting(Refund::status).containsOnly(RefundStatus.SUCCEEDED);
            assertThat(state.refunded().amount()).isEqualTo(500);
            if (!met) {
                merchantsReplica = 3 - merchantsReplica;
                continue;
            }
            assertThat(system.countInGatewayDatabase("SELECT max(attempts) FROM outcome_outbox WHERE outcome = '/refunds/"
                    + firstRefund + "/success'")).as("the report was sent again after meeting the merchant's command")
                    .isGreaterThanOrEqualTo(2);
            return;
        }
    }

    @Test
    void fiuuRefusingACaptureRequestPutsThatPaymentBeforeAnOperatorWhileOtherPaymentsCarryOn() {
        String stuck = system.create(merchant, 1337, "manual");
        system.customerChooses(checkoutOf(stuck), "pay");
        String tranId = awaitStatus(stuck, PaymentStatus.AUTHORISED).gatewayTransactionId();
        system.sandbox("/sandbox/faults", "{\"refuseTransaction\":\"" + tranId + "\"}");

        system.merchantPost(merchant, "/v1/payments/" + stuck + "/captures", "{}");

        String operator = DevTokens.withRoles("operator-1", "operator");
        JsonNode attention = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> system.query("/v1/payments?attention=true", operator).body(),
                        page -> page.path("data").findValuesAsText("id").contains(stuck));
        JsonNode listed = findById(attention.get("data"), stuck);
        assertThat(listed.get("status").asText()).isEqualTo("capture_pending");
        assertThat(listed.get("attention").get(0).get("step").asText()).isEqualTo("capture");
        assertThat(listed.get("attention").get(0).get("reasonCode").asText()).isEqualTo("fiuu-refused-request");
        assertThat(listed.get("attention").get(0).get("actions").toString()).contains("retry", "resolve:captured");

        // the payments the same part of the gateway handles carry on meanwhile
        // each is paid as soon as it is created: a checkout left unpaid expires in seconds in this system
        List<String> others = new ArrayList<>();
        while (others.stream().filter(other -> sameSegment(other, stuck)).count() < 2) {
            others.add(paid(system.create(merchant, 500, "manual")));
        }
        others.parallelStream().forEach(other -> {
            awaitStatus(other, PaymentStatus.AUTHORISED);
            system.merchantPost(merchant, "/v1/payments/" + other + "/captures", "{}");
            awaitStatus(other, PaymentStatus.CAPTURED);
        });

        system.resetSandbox();
        Reply retried = system.call(SystemUnderTest.Api.COMMANDS, "POST", "/v1/payments/" + stuck + "/attention/retry",
                operator, "{\"step\":\"capture\"}", Map.of());
        assertThat(retried.status()).as(retried.text()).isEqualTo(202);
        awaitStatus(stuck, PaymentStatus.CAPTURED);
        await().atMost(Duration.ofSeconds(30)).until(() -> !system.query("/v1/payments?attention=true", operator).body()
                .path("data").findValuesAsText("id").contains(stuck));
    }

    /**
     * gateway-saga calls Fiuu from workers, off the thread that handles the events topic: while Fiuu takes 10 s over
     * one payment's capture, the payments handled in the same segment of the topic are captured meanwhile. (10 s:
     * under this system's 15 s Fiuu timeout, and more than capturing three payments takes on a loaded 2-core machine.)
     */
    @Test
    void aFiuuAnsweringInTenSecondsDoesNotDelayAnotherPaymentsHandling() {
        String slow = paid(system.create(merchant, 1000, "manual"));
        String slowTransaction = awaitStatus(slow, PaymentStatus.AUTHORISED).gatewayTransactionId();
        // each is paid as soon as it is created: a checkout left unpaid expires in seconds in this system
        List<String> others = new ArrayList<>();
        while (others.stream().filter(other -> sameSegment(other, slow)).count() < 3) {
            others.add(paid(system.create(merchant, 500, "manual")));
        }
        others.forEach(other -> awaitStatus(other, PaymentStatus.AUTHORISED));
        system.sandbox("/sandbox/faults", "{\"latencyMillis\":10000,\"slowTransaction\":\"" + slowTransaction + "\"}");

        system.merchantPost(merchant, "/v1/payments/" + slow + "/captures", "{}");
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> system.countInGatewayDatabase(
                "SELECT count(*) FROM fiuu_work WHERE step = 'capture' AND state = 'due' AND claimed_by IS NOT NULL"
                        + " AND payment_id = '" + slow + "'") == 1);
        others.forEach(other -> system.merchantPost(merchant, "/v1/payments/" + other + "/captures", "{}"));

        others.forEach(other -> awaitStatus(other, PaymentStatus.CAPTURED));
        assertThat(system.state(slow).status()).as("Fiuu is still answering the slow capture").isEqualTo(PaymentStatus.CAPTURE_PENDING);
        assertThat(awaitStatus(slow, PaymentStatus.CAPTURED).captured().amount()).isEqualTo(1000);
        assertThat(system.sandboxCalls("capture")).filteredOn(call -> call.get("parameters").toString().contains(slowTransaction))
                .as("answered once, in 10 s, and never asked twice").hasSize(1);
    }

    /** The customer pays the payment's checkout at once. */
    private String paid(String payment) {
        system.customerChooses(awaitStatus(payment, PaymentStatus.AWAITING_CUSTOMER).redirectUrl(), "pay");
        return payment;
    }

    @Test
    void statusQueriesAnsweredWithAnErrorNeverExpireAPayment() {
        system.sandbox("/sandbox/faults", "{\"queryErrorCode\":\"18\"}");
        String id = system.create(merchant, 1050, "manual");
        String checkout = checkoutOf(id);

        // two re-queries 3 s apart would expire it if errors counted as "no such payment"
        await().during(Duration.ofSeconds(20)).atMost(Duration.ofSeconds(25))
                .until(() -> system.state(id).status() == PaymentStatus.AWAITING_CUSTOMER);
        assertThat(system.sandboxCalls("query-order")).filteredOn(call -> call.get("parameters").get("oID").asText()
                .equals(orderIdOf(checkout))).hasSizeGreaterThanOrEqualTo(4);

        system.resetSandbox();
        system.customerChooses(checkout, "pay");
        awaitStatus(id, PaymentStatus.AUTHORISED);
    }

    @Test
    void anUnsignedStatusAnswerIsNeverBelieved() {
        system.sandbox("/sandbox/faults", "{\"dropNotifications\":true,\"unsignedQueryAnswers\":true}");
        String id = system.create(merchant, 1050, "manual");
        String checkout = checkoutOf(id);
        system.customerChooses(checkout, "pay");

        await().atMost(Duration.ofSeconds(20)).until(() -> system.sandboxCalls("query-order").stream()
                .anyMatch(call -> call.get("parameters").get("oID").asText().equals(orderIdOf(checkout))));
        await().during(Duration.ofSeconds(8)).atMost(Duration.ofSeconds(10))
                .until(() -> system.state(id).status() == PaymentStatus.AWAITING_CUSTOMER);

        system.resetSandbox();
        awaitStatus(id, PaymentStatus.AUTHORISED);
    }

    @Test
    void aDeclineNotifiedWithAnEmptyErrorCodeFailsThePayment() {
        system.sandbox("/sandbox/faults", "{\"emptyFailureCodes\":true}");
        String id = system.create(merchant, 1050, "manual");

        system.customerChooses(checkoutOf(id), "decline");

        PaymentState failed = awaitStatus(id, PaymentStatus.FAILED);
        assertThat(failed.failureCode()).isNotBlank();
    }

    @Test
    void twoMerchantsMayUseTheSameReferenceAndBothPaymentsGoThroughFiuu() {
        String reference = "ORD-SAME-" + UUID.randomUUID().toString().substring(0, 8);
        String other = "m-" + UUID.randomUUID().toString().substring(0, 8);
        String first = createWithReference(merchant, reference);
        String second = createWithReference(other, reference);

        String firstCheckout = checkoutOf(first);
        String secondCheckout = checkoutOf(second);
        system.customerChooses(firstCheckout, "pay");
        system.customerChooses(secondCheckout, "pay");

        assertThat(awaitStatus(first, PaymentStatus.AUTHORISED).merchantReference()).isEqualTo(reference);
        assertThat(awaitStatus(second, PaymentStatus.AUTHORISED).merchantReference()).isEqualTo(reference);
        assertThat(orderIdOf(firstCheckout)).isNotEqualTo(orderIdOf(secondCheckout));
        assertThat(parameters(firstCheckout).get("bill_desc")).contains(reference);
    }

    // helpers

    private String createWithReference(String merchantId, String reference) {
        Reply created = system.call(SystemUnderTest.Api.COMMANDS, "POST", "/v1/payments", DevTokens.merchant(merchantId), """
                {"merchantReference":"%s","amount":1050,"currency":"MYR","captureMethod":"manual",
                 "returnUrl":"https://shop.example/return"}""".formatted(reference), Map.of("Idempotency-Key", UUID.randomUUID().toString()));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        return created.body().get("id").asText();
    }

    private static String checkoutOf(String id) {
        return awaitStatus(id, PaymentStatus.AWAITING_CUSTOMER).redirectUrl();
    }

    private static PaymentState awaitStatus(String id, PaymentStatus status) {
        return system.awaitStatus(id, status);
    }

    private static void awaitEvent(String id, String type) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> eventCount(id, type) > 0);
    }

    private static long eventCount(String id, String type) {
        return system.countInCommandDatabase("SELECT count(*) FROM domain_event_entry WHERE aggregate_identifier = '" + id
                + "' AND payload_type = 'io.payledger.events.payment." + type + "'");
    }

    private static Map<String, String> parameters(String url) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String pair : url.substring(url.indexOf('?') + 1).split("&")) {
            int equals = pair.indexOf('=');
            parameters.put(pair.substring(0, equals), URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
        }
        return parameters;
    }

    private static String orderIdOf(String checkout) {
        return parameters(checkout).get("orderid");
    }

    /** The page's URL signed with the basic vcode, which leaves the currency out, as an account without the extended one takes. */
    private static String withBasicVcode(String checkout) {
        Map<String, String> parameters = parameters(checkout);
        parameters.put("vcode", FiuuSignatures.vcode(parameters.get("amount"), LocalStack.SANDBOX_MERCHANT,
                parameters.get("orderid"), LocalStack.SANDBOX_VERIFY_KEY));
        return checkout.substring(0, checkout.indexOf('?') + 1) + parameters.entrySet().stream()
                .map(entry -> entry.getKey() + "=" + URLEncoder.encode(entry.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    private static List<JsonNode> transactionsOfOrder(String orderId) {
        return system.sandboxTransactions().stream().filter(t -> t.get("orderid").asText().equals(orderId)).toList();
    }

    /** Waits for the sandbox to hold a transaction of the order in that currency (and one of those statuses, if given). */
    private static JsonNode awaitSandboxTransaction(String orderId, String currency, String... statuses) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> transactionsOfOrder(orderId).stream()
                .filter(t -> t.get("currency").asText().equals(currency))
                .filter(t -> statuses.length == 0 || List.of(statuses).contains(t.get("status").asText()))
                .filter(t -> !t.get("status").asText().equals("FAILED")).findFirst().orElse(null), t -> t != null);
    }

    private static String sandboxStatusOf(String tranId) {
        return system.sandboxTransactions().stream().filter(t -> t.get("tranID").asText().equals(tranId))
                .map(t -> t.get("status").asText()).findFirst().orElse("none");
    }

    /** The amounts refunded at the sandbox for a transaction, refunds it rejected left out. */
    private static List<String> refundedAtSandbox(String tranId) {
        return system.sandboxTransactions().stream().filter(t -> t.get("tranID").asText().equals(tranId))
                .flatMap(t -> {
                    List<JsonNode> refunds = new ArrayList<>();
                    t.get("refunds").forEach(refunds::add);
                    return refunds.stream();
                })
                .filter(refund -> refund.get("status").asText().equals("00"))
                .map(refund -> refund.get("amount").asText()).toList();
    }

    private static List<String> webhookTypes(String paymentId) {
        return receiver.deliveries.stream().filter(delivery -> delivery.answered() == 200)
                .map(delivery -> json(delivery.body()))
                .filter(body -> body.path("data").path("paymentId").asText().equals(paymentId))
                .map(body -> body.get("type").asText()).toList();
    }

    private static JsonNode json(String text) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static JsonNode findById(JsonNode payments, String id) {
        for (JsonNode payment : payments) {
            if (payment.get("id").asText().equals(id)) {
                return payment;
            }
        }
        throw new AssertionError("no payment " + id + " in " + payments);
    }

    /** Whether gateway-saga's event processor handles both payments in the same one of its 4 segments (Axon's hashing). */
    private static boolean sameSegment(String one, String other) {
        return (one.hashCode() & 3) == (other.hashCode() & 3);
    }

    /** How many of a replica's database sessions wait for a lock (a table's, or another transaction's row). */
    private static long waitingForALock(Connection connection, String replica) throws Exception {
        try (ResultSet rows = connection.createStatement().executeQuery("""
                SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND application_name = '%s'"""
                .formatted(replica))) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /** Whether a replica's session waits for a lock while running a statement on that table. */
    private static boolean waitingOn(Connection connection, String replica, String table) throws Exception {
        try (ResultSet rows = connection.createStatement().executeQuery("""
                SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND application_name = '%s'
                AND query LIKE '%%%s%%'""".formatted(replica, table))) {
            rows.next();
            return rows.getLong(1) > 0;
        }
    }

    /** Whether, within 15 s, a command on that replica starts waiting for a lock (the gateway's report). */
    private static boolean waitsForALock(Connection connection, String replica) {
        try {
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50))
                    .until(() -> waitingForALock(connection, replica) == 1);
            return true;
        } catch (org.awaitility.core.ConditionTimeoutException notThere) {
            return false;
        }
    }
}
