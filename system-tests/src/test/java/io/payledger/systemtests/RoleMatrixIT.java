package io.payledger.systemtests;

import static io.payledger.systemtests.SystemUnderTest.Api.COMMANDS;
import static io.payledger.systemtests.SystemUnderTest.Api.GATEWAY;
import static io.payledger.systemtests.SystemUnderTest.Api.QUERIES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import io.payledger.systemtests.SystemUnderTest.Api;
import io.payledger.systemtests.SystemUnderTest.Reply;
import io.payledger.localstack.tokens.DevTokens;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every endpoint of every service against every kind of caller, through the running system: a caller the
 * rules do not name never gets a 2xx, a caller they name is never turned away at the door (401/403), and
 * a merchant never reaches another merchant's payment.
 */
class RoleMatrixIT {

    private static final String OWNER = "m-owner-" + UUID.randomUUID().toString().substring(0, 6);
    private static final String STRANGER = "m-stranger-" + UUID.randomUUID().toString().substring(0, 6);

    /** Who calls, and with which token (null: no token at all). */
    enum Caller {
        ANONYMOUS(id -> null),
        NO_ROLES(id -> DevTokens.withRoles("nobody")),
        OWNER_MERCHANT(id -> DevTokens.merchant(OWNER)),
        OTHER_MERCHANT(id -> DevTokens.merchant(STRANGER)),
        /** a merchant token that does not say which merchant: it may reach nothing, and must never cause a 5xx */
        MERCHANT_WITHOUT_ID(id -> DevTokens.withRoles("merchant-nobody", "merchant")),
        FINANCE(id -> DevTokens.withRoles("finance-1", "finance")),
        AUDITOR(id -> DevTokens.withRoles("auditor-1", "auditor")),
        OPERATOR(id -> DevTokens.withRoles("operator-1", "operator")),
        GATEWAY_SERVICE(id -> DevTokens.withRoles("gateway-saga", "gateway"));

        final Function<String, String> token;

        Caller(Function<String, String> token) {
            this.token = token;
        }
    }

    /**
     * One call and who may make it. {@code scoped}: the call reads or acts on the owner's payment, so another
     * merchant must get 404, as if it did not exist. {@code listsOwnData}: another merchant gets its own
     * (empty) data, which must not mention the owner's payment.
     */
    record Endpoint(Api api, String method, String path, String body, Set<Caller> allowed, boolean scoped,
                    boolean listsOwnData) {

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    private static SystemUnderTest system;
    private static String payment;

    @BeforeAll
    static void aMerchantHasACapturedPayment() {
        system = SharedSystem.get().system;
        payment = system.capturedPayment(OWNER, 5000);
        await().atMost(Duration.ofSeconds(30)).until(() -> system.query("/v1/payments/" + payment,
                DevTokens.merchant(OWNER)).status() == 200);
    }

    private static List<Endpoint> endpoints() {
        String p = "/v1/payments/" + payment;
        String now = Instant.now().toString();
        Set<Caller> merchants = Set.of(Caller.OWNER_MERCHANT, Caller.OTHER_MERCHANT);
        Set<Caller> owner = Set.of(Caller.OWNER_MERCHANT);
        return List.of(
                new Endpoint(COMMANDS, "POST", "/v1/payments", """
                        {"merchantReference":"ORD-%s","amount":100,"currency":"MYR","captureMethod":"manual",
                         "returnUrl":"https://shop.example/return"}""", merchants, false, false),
                new Endpoint(COMMANDS, "POST", p + "/captures", "{\"amount\":100}", owner, true, false),
                new Endpoint(COMMANDS, "POST", p + "/void", null, owner, true, false),
                new Endpoint(COMMANDS, "POST", p + "/refunds", "{\"amount\":1,\"reason\":\"matrix\"}", owner, true, false),
                new Endpoint(COMMANDS, "GET", p, null, Set.of(), false, false),
                // an operator passes the door; the payment needs no attention, so the command is refused (409)
                new Endpoint(COMMANDS, "POST", p + "/attention/retry", "{\"step\":\"capture\"}", Set.of(Caller.OPERATOR),
                        false, false),
                new Endpoint(COMMANDS, "POST", p + "/attention/resolve",
                        "{\"step\":\"capture\",\"outcome\":\"captured\",\"note\":\"matrix\"}", Set.of(Caller.OPERATOR),
                        false, false),
                new Endpoint(COMMANDS, "GET", "/v1/customers/by-payment/" + payment, null,
                        Set.of(Caller.OWNER_MERCHANT, Caller.AUDITOR), true, false),
                new Endpoint(COMMANDS, "POST", "/v1/customers/forget", "{\"paymentId\":\"" + payment + "\"}",
                        Set.of(Caller.OWNER_MERCHANT, Caller.OPERATOR), true, false),
                new Endpoint(COMMANDS, "POST", "/internal/v1/payments/" + payment + "/capture", "{}",
                        Set.of(Caller.GATEWAY_SERVICE), false, false),
                new Endpoint(COMMANDS, "POST", "/internal/v1/payment-reports",
                        "{\"reports\":[{\"paymentId\":\"" + payment + "\",\"outcome\":\"/capture\",\"body\":{}}]}",
                        Set.of(Caller.GATEWAY_SERVICE), false, false),
                new Endpoint(COMMANDS, "POST", "/internal/v1/payments/" + payment + "/refunds/" + UUID.randomUUID() + "/success",
                        "{\"gatewayRefundId\":\"1\"}", Set.of(Caller.GATEWAY_SERVICE), false, false),
                new Endpoint(QUERIES, "GET", p, null, Set.of(Caller.OWNER_MERCHANT, Caller.OTHER_MERCHANT, Caller.FINANCE,
                        Caller.AUDITOR), true, false),
                new Endpoint(QUERIES, "GET", "/v1/payments", null, Set.of(Caller.OWNER_MERCHANT, Caller.OTHER_MERCHANT,
                        Caller.FINANCE), false, true),
                new Endpoint(QUERIES, "GET", "/v1/payments?attention=true", null, Set.of(Caller.OWNER_MERCHANT,
                        Caller.OTHER_MERCHANT, Caller.FINANCE, Caller.OPERATOR), false, true),
                new Endpoint(QUERIES, "GET", "/v1/balances", null, Set.of(Caller.OWNER_MERCHANT, Caller.OTHER_MERCHANT,
                        Caller.FINANCE), false, true),
                new Endpoint(QUERIES, "GET", "/v1/journal", null, Set.of(Caller.FINANCE), false, false),
                new Endpoint(QUERIES, "GET", "/v1/reports/trial-balance", null, Set.of(Caller.FINANCE, Caller.AUDITOR), false, false),
                new Endpoint(QUERIES, "GET", "/v1/audit/payments/" + payment + "/events", null,
                        Set.of(Caller.AUDITOR, Caller.FINANCE), false, false),
                new Endpoint(QUERIES, "GET", "/v1/audit/payments/" + payment + "/state?asOf=" + now, null,
                        Set.of(Caller.AUDITOR), false, false),
                new Endpoint(QUERIES, "POST", "/v1/audit/verifications",
                        "{\"from\":\"2020-01-01T00:00:00Z\",\"to\":\"" + now + "\"}", Set.of(Caller.AUDITOR), false, false),
                // an unknown projection: the operator passes the door without starting a rebuild other tests would meet
                new Endpoint(QUERIES, "POST", "/v1/admin/projections/no-such-projection/rebuild", null,
                        Set.of(Caller.OPERATOR), false, false),
                new Endpoint(QUERIES, "GET", "/v1/admin/projections/read-models/rebuilds/" + UUID.randomUUID(), null,
                        Set.of(Caller.OPERATOR), false, false),
                new Endpoint(QUERIES, "DELETE", p, null, Set.of(), false, false),
                new Endpoint(GATEWAY, "POST", "/v1/reconciliations", "{\"from\":\"" + Instant.now().minusSeconds(60) + "\",\"to\":\""
                        + now + "\"}", Set.of(Caller.OPERATOR), false, false),
                new Endpoint(GATEWAY, "GET", "/v1/reconciliations", null, Set.of(Caller.OPERATOR, Caller.FINANCE, Caller.AUDITOR),
                        false, false),
                new Endpoint(GATEWAY, "GET", "/v1/reconciliations/rec_" + UUID.randomUUID(), null,
                        Set.of(Caller.OPERATOR, Caller.FINANCE, Caller.AUDITOR), false, false),
                new Endpoint(GATEWAY, "GET", "/v1/gateway-reports?state=dead", null, Set.of(Caller.OPERATOR), false, false),
                new Endpoint(GATEWAY, "POST", "/v1/gateway-reports/987654321/retry", null, Set.of(Caller.OPERATOR), false, false),
                new Endpoint(GATEWAY, "POST", "/v1/gateway-reports/987654321/discard", null, Set.of(Caller.OPERATOR), false, false),
                // Fiuu carries no token: only a valid signature opens these, and a matrix caller has none
                new Endpoint(GATEWAY, "POST", "/fiuu/notifications", null, Set.of(), false, false),
                new Endpoint(GATEWAY, "POST", "/fiuu/refund-notifications", null, Set.of(), false, false),
                new Endpoint(GATEWAY, "POST", "/fiuu/callbacks", null, Set.of(), false, false));
    }

    @Test
    void noCallerOutsideAnEndpointsRolesEverGetsA2xxAndEveryCallerItNamesGetsPastTheDoor() throws Exception {
        Map<java.nio.file.Path, Long> logsBefore = failuresLogged();
        List<String> violations = new ArrayList<>();
        int calls = 0;
        for (Endpoint endpoint : endpoints()) {
            for (Caller caller : Caller.values()) {
                Reply reply = call(endpoint, caller);
                calls++;
                String verdict = verdict(endpoint, caller, reply);
                if (verdict != null) {
                    violations.add(caller + " " + endpoint + " -> " + reply.status() + ": " + verdict);
                }
            }
        }

        assertThat(calls).isEqualTo(endpoints().size() * Caller.values().length);
        assertThat(violations).isEmpty();
        // a request that fails inside a service is a 500 even when the error page answers it 401 or 403
        assertThat(failuresLogged()).as("requests that failed inside a service during the matrix").isEqualTo(logsBefore);
    }

    /**
     * Per service log, how many requests failed inside the service so far: "Request processing failed" (an exception
     * out of a controller or filter), or command-service's "unexpected failure" (its catch-all 500).
     */
    private static Map<java.nio.file.Path, Long> failuresLogged() throws java.io.IOException {
        Map<java.nio.file.Path, Long> failures = new java.util.TreeMap<>();
        try (var logs = java.nio.file.Files.list(system.logDirectory())) {
            for (java.nio.file.Path log : logs.filter(path -> path.toString().endsWith(".log")).toList()) {
                try (var lines = java.nio.file.Files.lines(log, java.nio.charset.StandardCharsets.ISO_8859_1)) {
                    failures.put(log.getFileName(), lines.filter(line -> line.contains("Request processing failed")
                            || line.contains("unexpected failure")).count());
                }
            }
        }
        return failures;
    }

    @Test
    void forgedExpiredEarlyUnsignedAndMisaddressedTokensAreRefusedByEveryApi() {
        Instant now = Instant.now();
        Map<String, String> tokens = Map.of(
                "expired", DevTokens.sign(claims(now.minusSeconds(3600), now.minusSeconds(60)).build(), DevTokens.DEVELOPMENT_SECRET),
                "not yet valid", DevTokens.sign(claims(now, now.plusSeconds(3600)).notBeforeTime(Date.from(now.plusSeconds(600)))
                        .build(), DevTokens.DEVELOPMENT_SECRET),
                "signed with another key", DevTokens.sign(claims(now, now.plusSeconds(3600)).build(),
                        "an-attacker-key-that-is-long-enough-for-hs256"),
                "alg none", new PlainJWT(claims(now, now.plusSeconds(3600)).build()).serialize(),
                "another audience", DevTokens.sign(claims(now, now.plusSeconds(3600)).audience("another-api").build(),
                        DevTokens.DEVELOPMENT_SECRET),
                "another issuer", DevTokens.sign(claims(now, now.plusSeconds(3600)).issuer("https://evil.example").build(),
                        DevTokens.DEVELOPMENT_SECRET),
                "not a JWT", "definitely-not-a-token");

        tokens.forEach((what, token) -> {
            Reply create = system.call(COMMANDS, "POST", "/v1/payments", token, "{}", Map.of("Idempotency-Key", "k-" + what.length()));
            Reply read = system.call(QUERIES, "GET", "/v1/payments/" + payment, token, null, Map.of());
            Reply reconciliations = system.call(GATEWAY, "GET", "/v1/reconciliations", token, null, Map.of());
            assertThat(create.status()).as("command-service, " + what).isEqualTo(401);
            assertThat(reconciliations.status()).as("gateway-saga, " + what).isEqualTo(401);
            assertThat(read.status()).as("query-service, " + what).isEqualTo(401);
            assertThat(read.body().path("code").asText()).as(what).isEqualTo("unauthenticated");
            assertThat(read.text()).as(what).doesNotContain(payment);
        });
    }

    @Test
    void answersCarryStrictSecurityHeaders() {
        for (Api api : List.of(COMMANDS, QUERIES)) {
            String path = api == COMMANDS ? "/v1/payments" : "/v1/payments/" + payment;
            String token = api == COMMANDS ? null : DevTokens.merchant(OWNER);
            Reply reply = system.call(api, api == COMMANDS ? "POST" : "GET", path, token, null, Map.of());

            assertThat(reply.headers().firstValue("Content-Security-Policy")).as(api.name()).hasValue("default-src 'none'; frame-ancestors 'none'");
            assertThat(reply.headers().firstValue("X-Content-Type-Options")).as(api.name()).hasValue("nosniff");
            assertThat(reply.headers().firstValue("X-Frame-Options")).as(api.name()).hasValue("DENY");
            assertThat(reply.headers().firstValue("Referrer-Policy")).as(api.name()).hasValue("no-referrer");
            assertThat(reply.headers().firstValue("Cache-Control")).as(api.name()).hasValueSatisfying(value -> assertThat(value).contains("no-store"));
        }
    }

    @Test
    void onlyTheAllowedOriginsBrowserScriptsMayCallTheApis() {
        for (Api api : List.of(COMMANDS, QUERIES)) {
            Reply allowed = system.call(api, "OPTIONS", "/v1/payments", null, null, Map.of("Origin", SharedSystem.ALLOWED_ORIGIN,
                    "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "authorization,content-type"));
            Reply foreign = system.call(api, "OPTIONS", "/v1/payments", null, null, Map.of("Origin", "https://evil.example",
                    "Access-Control-Request-Method", "POST"));

            assertThat(allowed.status()).as(api.name()).isEqualTo(200);
            assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin")).as(api.name()).hasValue(SharedSystem.ALLOWED_ORIGIN);
            assertThat(foreign.status()).as(api.name()).isEqualTo(403);
            assertThat(foreign.headers().firstValue("Access-Control-Allow-Origin")).as(api.name()).isEmpty();
        }
    }

    @Test
    void aMerchantOverItsLimitIsAnswered429WithRetryAfterWhileOtherMerchantsAreServed() {
        String throttled = DevTokens.merchant(SharedSystem.THROTTLED_MERCHANT);
        for (Api api : List.of(COMMANDS, QUERIES)) {
            List<Integer> statuses = new ArrayList<>();
            Reply refused = null;
            for (int i = 0; i < 6; i++) {
                Reply reply = api == COMMANDS
                        ? system.call(COMMANDS, "POST", "/v1/payments", throttled, """
                                {"merchantReference":"ORD-%s","amount":100,"currency":"MYR","captureMethod":"manual",
                                 "returnUrl":"https://shop.example/return"}""".formatted(UUID.randomUUID().toString().substring(0, 12)),
                                Map.of("Idempotency-Key", UUID.randomUUID().toString()))
                        : system.call(QUERIES, "GET", "/v1/payments", throttled, null, Map.of());
                statuses.add(reply.status());
                refused = reply.status() == 429 ? reply : refused;
            }
            Reply someoneElse = system.call(QUERIES, "GET", "/v1/payments", DevTokens.merchant(OWNER), null, Map.of());

            assertThat(statuses.subList(0, 3)).as(api + ": the burst of 3").doesNotContain(429);
            assertThat(statuses).as(api.name()).contains(429);
            assertThat(refused.headers().firstValue("Retry-After")).as(api.name()).hasValue("1");
            assertThat(refused.body().path("code").asText()).isEqualTo("rate-limited");
            assertThat(someoneElse.status()).isEqualTo(200);
        }
        await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(250)).until(() ->
                system.call(QUERIES, "GET", "/v1/payments", throttled, null, Map.of()).status() == 200);
    }

    private static Reply call(Endpoint endpoint, Caller caller) {
        String body = endpoint.body() == null ? null
                : endpoint.body().replace("ORD-%s", "ORD-" + UUID.randomUUID().toString().substring(0, 12));
        return system.call(endpoint.api(), endpoint.method(), endpoint.path(), caller.token.apply(payment), body,
                Map.of("Idempotency-Key", UUID.randomUUID().toString()));
    }

    /** Null when the answer is what the rules say; otherwise what is wrong with it. */
    private static String verdict(Endpoint endpoint, Caller caller, Reply reply) {
        int status = reply.status();
        boolean success = status >= 200 && status < 300;
        if (status >= 500) {
            return "a server error";
        }
        if (!endpoint.allowed().contains(caller)) {
            if (success) {
                return "a caller the rules do not name got a 2xx";
            }
            boolean tokenDoor = endpoint.api() != GATEWAY || endpoint.path().startsWith("/v1/");
            if (caller == Caller.ANONYMOUS && tokenDoor && status != 401) {
                return "no token must be 401";
            }
            return null;
        }
        if (status == 401 || status == 403) {
            return "a caller the rules name was turned away";
        }
        if (caller == Caller.OTHER_MERCHANT && endpoint.scoped()) {
            String unknown = UUID.randomUUID().toString();
            Reply nowhere = call(new Endpoint(endpoint.api(), endpoint.method(), endpoint.path().replace(payment, unknown),
                    endpoint.body() == null ? null : endpoint.body().replace(payment, unknown), endpoint.allowed(), true,
                    false), caller);
            boolean sameAsMissing = status == nowhere.status()
                    && reply.text().replace(payment, "ID").equals(nowhere.text().replace(unknown, "ID"));
            return status == 404 && sameAsMissing ? null
                    : "another merchant's payment must answer exactly as one that does not exist (404)";
        }
        if (caller == Caller.OTHER_MERCHANT && endpoint.listsOwnData() && reply.text().contains(OWNER)) {
            return "another merchant's data leaked into a list";
        }
        if (caller == Caller.OTHER_MERCHANT && success && reply.text().contains(payment)) {
            return "another merchant's payment id leaked";
        }
        return null;
    }

    private static JWTClaimsSet.Builder claims(Instant issued, Instant expires) {
        return new JWTClaimsSet.Builder().subject("merchant-" + OWNER).issuer(DevTokens.ISSUER).audience(DevTokens.AUDIENCE)
                .issueTime(Date.from(issued)).expirationTime(Date.from(expires))
                .claim("roles", List.of("merchant", "finance", "auditor", "operator", "gateway")).claim("merchant_id", OWNER);
    }
}
