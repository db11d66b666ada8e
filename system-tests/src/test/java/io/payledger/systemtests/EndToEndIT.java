package io.payledger.systemtests;

import io.payledger.localstack.LocalStack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.payledger.events.payment.PaymentState;
import io.payledger.events.payment.PaymentStatus;
import io.payledger.systemtests.monitoring.MonitoringQueries;
import io.payledger.systemtests.monitoring.PrometheusText;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Payments through the whole system on real PostgreSQL and Kafka, each service in its own JVM,
 * Fiuu played by the sandbox over its real protocol.
 */
class EndToEndIT {

    private static final String WEBHOOK_MERCHANT = SharedSystem.WEBHOOK_MERCHANT;
    private static final String WEBHOOK_SECRET = SharedSystem.WEBHOOK_SECRET;
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
    void aManualPaymentGoesFromCheckoutThroughCaptureToTwoPartialRefundsWithOneCaptureCall() {
        String id = system.create(merchant, 1050, "manual");
        PaymentState awaiting = awaitStatus(id, PaymentStatus.AWAITING_CUSTOMER);

        assertThat(system.customerChooses(awaiting.redirectUrl(), "pay").status()).isEqualTo(303);
        awaitStatus(id, PaymentStatus.AUTHORISED);
        assertThat(system.merchantPost(merchant, "/v1/payments/" + id + "/captures", "{}").status()).isEqualTo(202);
        awaitStatus(id, PaymentStatus.CAPTURED);
        system.merchantPost(merchant, "/v1/payments/" + id + "/refunds", "{\"amount\":400}");
        awaitStatus(id, PaymentStatus.PARTIALLY_REFUNDED);
        system.merchantPost(merchant, "/v1/payments/" + id + "/refunds", "{\"amount\":650}");
        PaymentState refunded = awaitStatus(id, PaymentStatus.REFUNDED);

        assertThat(refunded.refunded().amount()).isEqualTo(1050);
        assertThat(capturesOf(refunded.gatewayTransactionId())).extracting(call -> call.get("answeredCode").asText())
                .containsExactly("00");
        assertThat(system.sandboxCalls("refund")).filteredOn(call -> call.get("parameters").get("TxnID").asText()
                .equals(refunded.gatewayTransactionId())).extracting(call -> call.get("parameters").get("Amount").asText())
                .containsExactly("4.00", "6.50");
    }

    @Test
    void anAutomaticPaymentIsCapturedByTheSaleItselfWithoutACaptureCall() {
        String id = system.create(merchant, 2500, "automatic");
        PaymentState awaiting = awaitStatus(id, PaymentStatus.AWAITING_CUSTOMER);

        system.customerChooses(awaiting.redirectUrl(), "pay");
        PaymentState captured = awaitStatus(id, PaymentStatus.CAPTURED);

        assertThat(captured.captured().amount()).isEqualTo(2500);
        assertThat(capturesOf(captured.gatewayTransactionId())).isEmpty();
    }

    @Test
    void aDeclinedPaymentFails() {
        String id = system.create(merchant, 1050, "manual");
        system.customerChooses(awaitStatus(id, PaymentStatus.AWAITING_CUSTOMER).redirectUrl(), "decline");

        PaymentState failed = awaitStatus(id, PaymentStatus.FAILED);

        assertThat(failed.authorised().isZero()).isTrue();
    }

    @Test
    void aVoidReleasesTheAuthorisationAtFiuu() {
        String id = system.create(merchant, 1050, "manual");
        system.customerChooses(awaitStatus(id, PaymentStatus.AWAITING_CUSTOMER).redirectUrl(), "pay");
        awaitStatus(id, PaymentStatus.AUTHORISED);

        system.merchantPost(merchant, "/v1/payments/" + id + "/void", null);

        awaitStatus(id, PaymentStatus.VOIDED);
        assertThat(system.sandboxCalls("reversal")).extracting(call -> call.get("answeredCode").asText()).contains("00");
    }

    @Test
    void aForgedNotificationIsRefusedRecordedAndChangesNothing() {
        String id = system.create(merchant, 1050, "manual");
        PaymentState awaiting = awaitStatus(id, PaymentStatus.AWAITING_CUSTOMER);
        String orderId = SystemUnderTest.fiuuOrderOf(awaiting);

        SystemUnderTest.Reply forged = system.postToGateway("/fiuu/notifications", "nbcb=2&tranID=99999999&orderid="
                + orderId + "&status=00&domain=payledger_sandbox&amount=10.50&currency=MYR"
                + "&paydate=2026-11-22+10%3A00%3A00&appcode=A1&skey=00000000000000000000000000000000");

        assertThat(forged.status()).isEqualTo(401);
        assertThat(system.countInGatewayDatabase(
                "SELECT count(*) FROM fiuu_inbox WHERE NOT verified AND reference = '99999999'")).isEqualTo(1);
        assertThat(system.state(id).status()).isEqualTo(PaymentStatus.AWAITING_CUSTOMER);
        assertThat(system.state(id).updatedAt()).isEqualTo(awaiting.updatedAt());
    }

    @Test
    void aPaymentWhoseNotificationsAreLostIsFoundByReQueryingFiuu() {
        system.sandbox("/sandbox/faults", "{\"dropNotifications\":true}");
        String id = system.create(merchant, 1050, "manual");

        system.customerChooses(awaitStatus(id, PaymentStatus.AWAITING_CUSTOMER).redirectUrl(), "pay");

        awaitStatus(id, PaymentStatus.AUTHORISED);
        assertThat(system.sandboxCalls("query-order")).isNotEmpty();
    }

    @Test
    void fiuuAnswering5xxOpensTheCircuitAndThePaymentCompletesOnceFiuuIsBackWithOneCaptureAccepted() {
        String id = system.create(merchant, 1050, "manual");
        system.customerChooses(awaitStatus(id, PaymentStatus.AWAITING_CUSTOMER).redirectUrl(), "pay");
        String tranId = awaitStatus(id, PaymentStatus.AUTHORISED).gatewayTransactionId();
        system.sandbox("/sandbox/faults", "{\"failNextCalls\":12}");

        system.merchantPost(merchant, "/v1/payments/" + id + "/captures", "{}");

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() ->
                system.gatewayMetrics().lines().anyMatch(line -> line.startsWith("resilience4j_circuitbreaker_state")
                        && line.contains("name=\"fiuu\"") && line.contains("state=\"open\"") && line.endsWith(" 1.0")));
        awaitStatus(id, PaymentStatus.CAPTURED);
        List<JsonNode> captures = capturesOf(tranId);
        // the injected 503s hit whatever calls Fiuu next, so this capture met some of them, at least one
        // whole round of retries; the breaker counted them all
        assertThat(captures).filteredOn(call -> call.get("answeredStatus").asInt() == 503).hasSizeGreaterThanOrEqualTo(3);
        assertThat(captures).filteredOn(call -> call.get("answeredStatus").asInt() == 200)
                .extracting(call -> call.get("answeredCode").asText()).containsExactly("00");
    }

    @Test
    void repeatedNotificationsAreStoredOnceAndAuthoriseThePaymentOnce() {
        system.sandbox("/sandbox/faults", "{\"duplicateNotifications\":3}");
        String id = system.create(merchant, 1050, "manual");

        system.customerChooses(awaitStatus(id, PaymentStatus.AWAITING_CUSTOMER).redirectUrl(), "pay");
        String tranId = awaitStatus(id, PaymentStatus.AUTHORISED).gatewayTransactionId();

        await().atMost(Duration.ofSeconds(30)).until(() -> system.countInGatewayDatabase(
                "SELECT count(*) FROM fiuu_inbox WHERE verified AND reference = '" + tranId + "' AND processed_at IS NOT NULL") == 1);
        assertThat(system.countInGatewayDatabase(
                "SELECT count(*) FROM fiuu_inbox WHERE verified AND reference = '" + tranId + "'")).isEqualTo(1);
        assertThat(system.state(id).status()).isEqualTo(PaymentStatus.AUTHORISED);
    }

    @Test
    void aPendingPaymentWhoseNotificationsArriveOutOfOrderEndsAuthorised() {
        system.sandbox("/sandbox/scenario", "{\"mode\":\"pending\",\"settleAfterMillis\":300}");
        system.sandbox("/sandbox/faults", "{\"reorderNotifications\":true}");
        String id = system.create(merchant, 1050, "manual");

        system.customerChooses(awaitStatus(id, PaymentStatus.AWAITING_CUSTOMER).redirectUrl(), "pay");
        String tranId = awaitStatus(id, PaymentStatus.AUTHORISED).gatewayTransactionId();

        await().atMost(Duration.ofSeconds(30)).until(() -> system.countInGatewayDatabase(
                "SELECT count(*) FROM fiuu_inbox WHERE verified AND reference = '" + tranId + "' AND processed_at IS NOT NULL") == 2);
        assertThat(system.countInGatewayDatabase("SELECT max(id) FROM fiuu_inbox WHERE reference = '" + tranId + "' AND status = '22'"))
                .as("the pending notification arrived last").isGreaterThan(system.countInGatewayDatabase(
                        "SELECT max(id) FROM fiuu_inbox WHERE reference = '" + tranId + "' AND status = '00'"));
        assertThat(system.state(id).status()).isEqualTo(PaymentStatus.AUTHORISED);
    }

    @Test
    void aGenuineButLateFailureNotificationNeverMovesAnAuthorisedPaymentBackwards() {
        String id = system.create(merchant, 1050, "manual");
        system.customerChooses(awaitStatus(id, PaymentStatus.AWAITING_CUSTOMER).redirectUrl(), "pay");
        PaymentState authorised = awaitStatus(id, PaymentStatus.AUTHORISED);
        String orderId = SystemUnderTest.fiuuOrderOf(authorised);
        String paydate = "2026-11-22 10:00:00";
        String skey = io.payledger.saga.fiuu.FiuuSignatures.notificationSkey(authorised.gatewayTransactionId(), orderId,
                "11", LocalStack.SANDBOX_MERCHANT, "10.50", "MYR", paydate, "", LocalStack.SANDBOX_SECRET_KEY);

        SystemUnderTest.Reply late = system.postToGateway("/fiuu/notifications", "nbcb=2&tranID="
                + authorised.gatewayTransactionId() + "&orderid=" + orderId + "&status=11&domain="
                + LocalStack.SANDBOX_MERCHANT + "&amount=10.50&currency=MYR&paydate=2026-11-22+10%3A00%3A00&appcode=&skey=" + skey);

        assertThat(late.status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> system.countInGatewayDatabase(
                "SELECT count(*) FROM fiuu_inbox WHERE verified AND status = '11' AND reference = '"
                        + authorised.gatewayTransactionId() + "' AND processed_at IS NOT NULL") == 1);
        assertThat(system.countInGatewayDatabase("SELECT count(*) FROM fiuu_inbox WHERE verified AND status = '11' AND reference = '"
                + authorised.gatewayTransactionId() + "' AND outcome = 'reported'")).as("the failure reached command-service").isEqualTo(1);
        assertThat(system.state(id).status()).isEqualTo(PaymentStatus.AUTHORISED);
        assertThat(system.state(id).updatedAt()).isEqualTo(authorised.updatedAt());
    }

    @Test
    void theMerchantReceivesEachStatusChangeSignedOnceRetriedAfterARefusal() {
        receiver.refuseNext(1);
        String id = system.create(WEBHOOK_MERCHANT, 1050, "manual");
        system.customerChooses(awaitStatus(id, PaymentStatus.AWAITING_CUSTOMER).redirectUrl(), "pay");
        awaitStatus(id, PaymentStatus.AUTHORISED);

        await().atMost(Duration.ofSeconds(30)).until(() -> accepted(id).size() == 3);
        List<WebhookReceiver.Delivery> accepted = accepted(id);
        assertThat(accepted).extracting(delivery -> json(delivery.body()).get("type").asText())
                .containsExactly("payment.created", "payment.awaiting_customer", "payment.authorised");
        assertThat(accepted).extracting(WebhookReceiver.Delivery::eventId).doesNotHaveDuplicates();
        assertThat(receiver.deliveries).filteredOn(delivery -> delivery.answered() == 500).hasSize(1);
        assertThat(accepted).allSatisfy(delivery -> {
            String t = delivery.signature().replaceAll("t=(\\d+),v1=.*", "$1");
            assertThat(delivery.signature()).isEqualTo(
                    io.payledger.saga.webhook.WebhookSignature.header(Long.parseLong(t), delivery.body(), WEBHOOK_SECRET));
            assertThat(delivery.body()).doesNotContain("journalEntry").doesNotContain("Aisyah");
        });
    }

    @Test
    void aLifecycleIsVisibleThroughEveryQueryCallAndOnlyToThoseWhoMaySeeIt() {
        String id = capturedPayment(1050);
        long version = system.merchantPost(merchant, "/v1/payments/" + id + "/refunds", "{\"amount\":400}").body()
                .get("version").asLong();
        String merchantToken = io.payledger.localstack.tokens.DevTokens.merchant(merchant);
        String finance = io.payledger.localstack.tokens.DevTokens.withRoles("finance-user", "finance");
        String auditor = io.payledger.localstack.tokens.DevTokens.withRoles("auditor-user", "auditor");

        SystemUnderTest.Reply seen = system.query("/v1/payments/" + id + "?consistentWith=" + version, merchantToken);
        assertThat(seen.status()).isEqualTo(200);
        assertThat(seen.body().get("version").asLong()).isGreaterThanOrEqualTo(version);
        assertThat(seen.body().get("capturedAmount").asLong()).isEqualTo(1050);
        assertThat(system.query("/v1/payments/" + id, io.payledger.localstack.tokens.DevTokens.merchant("someone-else"))
                .status()).isEqualTo(404);
        assertThat(system.query("/v1/payments/" + id, finance).status()).isEqualTo(200);

        awaitStatus(id, PaymentStatus.PARTIALLY_REFUNDED);
        await().atMost(Duration.ofSeconds(30)).until(() -> system.query("/v1/payments/" + id, finance).body()
                .path("status").asText().equals("partially_refunded"));
        JsonNode balances = system.query("/v1/balances", merchantToken).body().get("balances");
        assertThat(balances).anySatisfy(balance -> {
            assertThat(balance.get("account").asText()).isEqualTo("merchant_payable");
            assertThat(balance.get("credits").asLong() - balance.get("debits").asLong()).isEqualTo(1050 - 400);
        });
        JsonNode trialBalance = system.query("/v1/reports/trial-balance", finance).body();
        assertThat(trialBalance.get("balanced").asBoolean()).isTrue();
        assertThat(system.query("/v1/reports/trial-balance", merchantToken).status()).isEqualTo(403);

        JsonNode audit = system.query("/v1/audit/payments/" + id + "/events", auditor).body();
        assertThat(audit.get("chain").get("intact").asBoolean()).isTrue();
        List<io.payledger.events.payment.PaymentEvent> commandSide = system.history(id);
        assertThat(audit.get("events")).hasSize(commandSide.size());
        for (JsonNode event : audit.get("events")) {
            java.time.Instant at = java.time.Instant.parse(event.get("occurredAt").asText());
            JsonNode asOf = system.query("/v1/audit/payments/" + id + "/state?asOf=" + at, auditor).body();
            PaymentState then = io.payledger.events.payment.PaymentHistory.replay(commandSide.stream()
                    .filter(past -> !past.occurredAt().isAfter(at)).toList());
            assertThat(asOf.get("status").asText()).as("state as of %s", at).isEqualTo(then.status().code());
            assertThat(asOf.get("capturedAmount").asLong()).isEqualTo(then.captured().amount());
            assertThat(asOf.get("refundedAmount").asLong()).isEqualTo(then.refunded().amount());
        }
        assertThat(system.query("/v1/audit/payments/" + id + "/events", merchantToken).status()).isEqualTo(403);
    }

    @Test
    void aRebuildAfterAFewHundredRandomPaymentsEqualsTheLiveReadModelsAndTheTrialBalanceBalances() throws Exception {
        // customers on an account that takes the basic vcode can change the currency of what they pay
        system.sandbox("/sandbox/faults", "{\"acceptBasicVcode\":true}");
        Instant began = Instant.now();
        java.util.Random random = new java.util.Random(20261122);
        java.util.concurrent.ExecutorService customers = java.util.concurrent.Executors.newFixedThreadPool(8);
        List<java.util.concurrent.Future<String>> flows = new java.util.ArrayList<>();
        for (int i = 0; i < 280; i++) {
            int kind = i < 240 ? random.nextInt(6) : 6 + (i - 240) % 4;
            long amount = 100 + random.nextInt(100_000);
            flows.add(customers.submit(() -> randomFlow(kind, amount)));
        }
        List<String> payments = new java.util.ArrayList<>();
        for (java.util.concurrent.Future<String> flow : flows) {
            payments.add(flow.get(5, java.util.concurrent.TimeUnit.MINUTES));
        }
        customers.shutdown();
        String operator = io.payledger.localstack.tokens.DevTokens.withRoles("operator-user", "operator");
        String finance = io.payledger.localstack.tokens.DevTokens.withRoles("finance-user", "finance");
        await().atMost(Duration.ofSeconds(60)).until(() -> payments.stream().allMatch(this::settled));
        long stored = system.countInCommandDatabase("SELECT count(*) FROM domain_event_entry");
        await().atMost(Duration.ofSeconds(60))
                .until(() -> system.countInQueryDatabase("SELECT count(*) FROM audit_event") == stored);

        SystemUnderTest.Reply started = system.queryPost("/v1/admin/projections/read-models/rebuild", operator);
        assertThat(started.status()).isEqualTo(202);
        String report = "/v1/admin/projections/read-models/rebuilds/" + started.body().get("id").asText();
        JsonNode rebuild = await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
                .until(() -> system.query(report, operator).body(), body -> body.get("status").asText().matches("completed|failed"));

        assertThat(rebuild.get("equal").asBoolean()).as(rebuild.toPrettyString()).isTrue();
        assertThat(rebuild.get("progress").get("eventsApplied").asLong()).isEqualTo(stored);
        JsonNode trialBalance = system.query("/v1/reports/trial-balance", finance).body();
        assertThat(trialBalance.get("balanced").asBoolean()).as(trialBalance.toPrettyString()).isTrue();
        assertThat(heldAtTheSandbox(payments)).as("money held or taken at the sandbox, per payment and currency")
                .isEqualTo(heldByTheLedger(payments));
        JsonNode reconciliation = reconcileSince(began, operator);
        assertThat(reconciliation.path("run").path("status").asText()).isEqualTo("completed");
        assertThat(ofThese(reconciliation.get("mismatches"), payments)).as(reconciliation.toPrettyString()).isEmpty();
        assertThat(ofThese(reconciliation.get("unexpectedCharges"), payments)).as("one per customer who changed the currency, paid after a decline or after expiry").hasSize(30)
                .allSatisfy(charge -> assertThat(charge.get("settled").asBoolean()).as(charge.toString()).isTrue());
    }

    /**
     * One customer's payment, ending in one of ten ways. None is left waiting for its customer: the saga would
     * re-query it at Fiuu later and take faults other tests inject for themselves.
     * <ul>
     *   <li>0 refunded in full, 1 declined, 2 voided, 3 captured, 4 partly captured then partly refunded,
     *       5 an automatic sale partly refunded;</li>
     *   <li>6 the customer first pays in another currency (given back), then as asked;</li>
     *   <li>7 the customer declines, then pays anyway (given back);</li>
     *   <li>8 the payment expires, then the customer pays a sale (refunded);</li>
     *   <li>9 two refunds at once through both command-service replicas, each meeting the other's gateway outcome.</li>
     * </ul>
     */
    private String randomFlow(int kind, long amount) {
        String id = system.create(merchant, amount, kind == 5 || kind == 8 ? "automatic" : "manual");
        PaymentState awaiting = awaitStatus(id, PaymentStatus.AWAITING_CUSTOMER);
        if (kind == 8) {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                    .until(() -> system.state(id).status() == PaymentStatus.EXPIRED);
            system.customerChooses(awaiting.redirectUrl(), "pay");
            return id;
        }
        if (kind == 6) {
            system.customerChooses(inAnotherCurrency(awaiting.redirectUrl()), "pay");
            await().atMost(Duration.ofSeconds(60)).until(() -> !system.state(id).unexpectedCharges().isEmpty());
        }
        system.customerChooses(awaiting.redirectUrl(), kind == 1 || kind == 7 ? "decline" : "pay");
        if (kind == 1 || kind == 7) {
            awaitStatus(id, PaymentStatus.FAILED);
            if (kind == 7) {
                system.customerChooses(awaiting.redirectUrl(), "pay");
            }
            return id;
        }
        if (kind == 5) {
            awaitStatus(id, PaymentStatus.CAPTURED);
        } else {
            awaitStatus(id, PaymentStatus.AUTHORISED);
            if (kind == 2) {
                merchantCommand("/v1/payments/" + id + "/void", null);
                awaitStatus(id, PaymentStatus.VOIDED);
                return id;
            }
            merchantCommand("/v1/payments/" + id + "/captures",
                    kind == 3 || kind == 6 || kind == 9 ? "{}" : "{\"amount\":" + Math.max(1, amount / 2) + "}");
            awaitStatus(id, PaymentStatus.CAPTURED);
            if (kind == 3 || kind == 6) {
                return id;
            }
        }
        long captured = system.state(id).captured().amount();
        if (kind == 9) {
            raceTwoRefunds(id, Math.max(1, captured / 3));
            return id;
        }
        long refund = kind == 0 ? captured : Math.max(1, captured / 3);
        merchantCommand("/v1/payments/" + id + "/refunds", "{\"amount\":" + refund + "}");
        awaitStatus(id, kind == 0 ? PaymentStatus.REFUNDED : PaymentStatus.PARTIALLY_REFUNDED);
        return id;
    }

    /**
     * A merchant's command, sent again (as API.md tells merchants) while it meets a concurrent change of the payment:
     * the gateway's outcome of an earlier step may be landing on the other command-service replica at that moment.
     */
    private void merchantCommand(String path, String body) {
        for (int attempt = 1; ; attempt++) {
            SystemUnderTest.Reply reply = system.merchantPost(merchant, path, body);
            boolean raced = reply.status() == 409 && reply.body().path("code").asText().equals("concurrent-modification");
            if (!raced || attempt == 5) {
                assertThat(reply.status()).as(path + ": " + reply.text()).isBetween(200, 299);
                return;
            }
        }
    }

    private void raceTwoRefunds(String id, long each) {
        String token = io.payledger.localstack.tokens.DevTokens.merchant(merchant);
        List<java.util.concurrent.CompletableFuture<SystemUnderTest.Reply>> refunds = java.util.stream.IntStream.of(1, 2)
                .mapToObj(replica -> java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                    for (int attempt = 0; ; attempt++) {
                        SystemUnderTest.Reply reply = system.callCommandReplica(replica, "POST", "/v1/payments/" + id + "/refunds",
                                token, "{\"amount\":" + each + "}", Map.of("Idempotency-Key", id + "-refund-" + replica));
                        boolean raced = reply.status() == 409 && reply.body().path("code").asText().equals("concurrent-modification");
                        if (!raced || attempt == 5) {
                            return reply; // a merchant retries a refund that met another change, with the same key
                        }
                    }
                })).toList();
        refunds.forEach(refund -> assertThat(refund.join().status()).as(refund.join().text()).isEqualTo(202));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            PaymentState state = system.state(id);
            return state.refunds().size() == 2
                    && state.refunds().stream().allMatch(refund -> refund.status() == io.payledger.events.payment.RefundStatus.SUCCEEDED);
        });
    }

    /** Nothing of the payment is still on its way: no unexpected charge held, no refund pending. */
    private boolean settled(String id) {
        PaymentState state = system.state(id);
        return state.unexpectedCharges().stream().noneMatch(io.payledger.events.payment.UnexpectedCharge::isHeld)
                && state.refunds().stream().noneMatch(refund -> refund.status() == io.payledger.events.payment.RefundStatus.PENDING);
    }

    /** The checkout URL with its currency changed and re-signed with the basic vcode, which leaves the currency out. */
    private static String inAnotherCurrency(String checkout) {
        String changed = checkout.replace("cur=MYR", "cur=SGD");
        java.util.Map<String, String> fields = new java.util.LinkedHashMap<>();
        for (String pair : changed.substring(changed.indexOf('?') + 1).split("&")) {
            fields.put(pair.substring(0, pair.indexOf('=')), java.net.URLDecoder.decode(pair.substring(pair.indexOf('=') + 1),
                    java.nio.charset.StandardCharsets.UTF_8));
        }
        fields.put("vcode", io.payledger.saga.fiuu.FiuuSignatures.vcode(fields.get("amount"), LocalStack.SANDBOX_MERCHANT,
                fields.get("orderid"), LocalStack.SANDBOX_VERIFY_KEY));
        return changed.substring(0, changed.indexOf('?') + 1) + fields.entrySet().stream()
                .map(field -> field.getKey() + "=" + java.net.URLEncoder.encode(field.getValue(), java.nio.charset.StandardCharsets.UTF_8))
                .collect(java.util.stream.Collectors.joining("&"));
    }

    /** What the sandbox holds (authorised) or took (captured, less refunds paid), per payment and currency, in minor units. */
    private static Map<String, Long> heldAtTheSandbox(List<String> payments) {
        Map<String, String> paymentOfOrder = new java.util.HashMap<>();
        payments.forEach(id -> paymentOfOrder.put(id.replace("-", ""), id));
        Map<String, Long> held = new TreeMap<>();
        for (JsonNode transaction : system.sandboxTransactions()) {
            String payment = paymentOfOrder.get(transaction.get("orderid").asText());
            if (payment == null) {
                continue;
            }
            String currency = transaction.get("currency").asText();
            long amount = minor(transaction.get("amount").asText(), currency);
            long refunded = 0;
            for (JsonNode refund : transaction.get("refunds")) {
                refunded += refund.get("status").asText().equals("00") ? minor(refund.get("amount").asText(), currency) : 0;
            }
            long money = switch (transaction.get("status").asText()) {
                case "AUTHORIZED" -> amount;
                case "CAPTURED" -> minor(transaction.get("capturedAmount").asText(), currency) - refunded;
                default -> 0;
            };
            if (money != 0) {
                held.merge(payment + " " + currency, money, Long::sum);
            }
        }
        return held;
    }

    /** What the ledger says Fiuu holds or took, per payment and currency: the hold, the capture less refunds paid, unexpected charges not given back. */
    private static Map<String, Long> heldByTheLedger(List<String> payments) {
        Map<String, Long> held = new TreeMap<>();
        for (String id : payments) {
            PaymentState state = system.state(id);
            long money = switch (state.status()) {
                case AUTHORISED, CAPTURE_PENDING, VOID_PENDING -> state.authorised().amount();
                case CAPTURED, PARTIALLY_REFUNDED, REFUNDED -> state.captured().amount() - state.refunded().amount();
                default -> 0;
            };
            if (money != 0) {
                held.merge(id + " " + state.currency(), money, Long::sum);
            }
            state.unexpectedCharges().stream().filter(io.payledger.events.payment.UnexpectedCharge::isHeld).forEach(charge ->
                    held.merge(id + " " + charge.amount().currency(), charge.amount().amount(), Long::sum));
        }
        return held;
    }

    private static long minor(String wire, String currency) {
        return new java.math.BigDecimal(wire).movePointRight(java.util.Currency.getInstance(currency).getDefaultFractionDigits())
                .longValueExact();
    }

    /** The rows of a reconciliation's list that are about these payments (other tests' payments may share the window). */
    private static List<JsonNode> ofThese(JsonNode rows, List<String> payments) {
        List<JsonNode> ours = new java.util.ArrayList<>();
        rows.forEach(row -> {
            if (payments.contains(row.get("paymentId").asText())) {
                ours.add(row);
            }
        });
        return ours;
    }

    /** A reconciliation of everything since {@code from}, run by an operator and read to its end. */
    private static JsonNode reconcileSince(Instant from, String operator) {
        SystemUnderTest.Reply queued = system.call(SystemUnderTest.Api.GATEWAY, "POST", "/v1/reconciliations", operator,
                "{\"from\":\"" + from.minusSeconds(60) + "\",\"to\":\"" + Instant.now().plusSeconds(1) + "\"}", Map.of());
        assertThat(queued.status()).as(queued.text()).isEqualTo(202);
        String location = queued.headers().firstValue("Location").orElseThrow();
        return await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                .until(() -> system.call(SystemUnderTest.Api.GATEWAY, "GET", location, operator, null, Map.of()).body(),
                        run -> run.path("run").path("status").asText().matches("completed|incomplete"));
    }

    private static List<WebhookReceiver.Delivery> accepted(String paymentId) {
        return receiver.deliveries.stream().filter(delivery -> delivery.answered() == 200)
                .filter(delivery -> json(delivery.body()).path("data").path("paymentId").asText().equals(paymentId)).toList();
    }

    private static JsonNode json(String body) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(body);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void everyMetricTheAlertsAndDashboardsReadIsExposedByARunningService() {
        String id = capturedPayment(1050);
        system.merchantPost(merchant, "/v1/payments/" + id + "/refunds", "{\"amount\":50}");
        awaitStatus(id, PaymentStatus.PARTIALLY_REFUNDED);
        Map<String, Set<String>> used = MonitoringQueries.metricNames();
        assertThat(used).containsKeys("payledger_payments_total", "payledger_events_consumer_lag_records",
                "resilience4j_circuitbreaker_state", "hikaricp_connections_pending");

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            Set<String> exposed = new TreeSet<>();
            system.allServiceMetrics().values().forEach(text -> exposed.addAll(PrometheusText.sampleNames(text)));
            Map<String, Set<String>> unknown = new TreeMap<>(used);
            unknown.keySet().removeAll(exposed);
            assertThat(unknown).as("metric names that alert rules or dashboard panels read but no service exposes").isEmpty();
        });
    }

    private String capturedPayment(long amount) {
        return system.capturedPayment(merchant, amount);
    }

    private static List<JsonNode> capturesOf(String tranId) {
        return system.sandboxCalls("capture").stream()
                .filter(call -> tranId.equals(call.get("parameters").path("tranID").asText())).toList();
    }

    private static PaymentState awaitStatus(String id, PaymentStatus status) {
        return system.awaitStatus(id, status);
    }
}
