package io.payledger.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import io.payledger.systemtests.SystemUnderTest.Api;
import io.payledger.systemtests.SystemUnderTest.Reply;
import io.payledger.localstack.tokens.DevTokens;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * More than 10,000 malformed and adversarial requests against the command, query and Fiuu webhook
 * endpoints of the running system. Every generated request carries at least one defect, so the only
 * right answers are 4xx: never a success, never a server error. Afterwards nothing has changed (the
 * target payment's history and the attacker merchant's payments are as they were) and every service
 * is still healthy.
 */
class HostileInputIT {

    private static final String ATTACKER = "m-fuzz-" + UUID.randomUUID().toString().substring(0, 6);
    private static final AtomicInteger SENT = new AtomicInteger();
    private static SystemUnderTest system;
    private static String payment;
    private static long eventsBefore;

    /** One request: where, what, with which headers; {@code defect} says what is wrong with it. */
    record Hostile(Api api, String method, String path, String token, String body, Map<String, String> headers,
                   String defect) {

        @Override
        public String toString() {
            String shown = body == null ? "" : body.length() > 300 ? body.substring(0, 300) + "... (" + body.length() + " chars)" : body;
            return defect + ": " + method + " " + (path.length() > 200 ? path.substring(0, 200) + "..." : path) + " " + headers + " " + shown;
        }
    }

    @BeforeContainer
    static void theAttackerHasACapturedPayment() {
        system = SharedSystem.get().system;
        payment = system.capturedPayment(ATTACKER, 3000);
        eventsBefore = system.history(payment).size();
    }

    @Property(tries = 4000, shrinking = net.jqwik.api.ShrinkingMode.BOUNDED)
    void malformedCommandsAreRefusedWith4xx(@ForAll("commands") Hostile request) {
        assertRefused(request);
    }

    @Property(tries = 3000, shrinking = net.jqwik.api.ShrinkingMode.BOUNDED)
    void malformedQueriesAreRefusedWith4xx(@ForAll("queries") Hostile request) {
        assertRefused(request);
    }

    @Property(tries = 3200, shrinking = net.jqwik.api.ShrinkingMode.BOUNDED)
    void forgedReplayedAndMalformedFiuuNotificationsAreRefusedWith4xx(@ForAll("notifications") Hostile request) {
        assertRefused(request);
    }

    @AfterContainer
    static void nothingChangedAndEveryServiceIsStillHealthy() {
        assertThat(SENT.get()).as("hostile requests sent").isGreaterThanOrEqualTo(10_000);
        assertThat(system.history(payment)).as("the target payment's history").hasSize((int) eventsBefore);
        assertThat(system.countInCommandDatabase("SELECT count(*) FROM domain_event_entry WHERE "
                + "convert_from(payload, 'UTF8') LIKE '%\"merchantId\":\"" + ATTACKER + "\"%'"))
                .as("payments the attacker created").isEqualTo(1);
        for (Api api : Api.values()) {
            assertThat(system.call(api, "GET", "/v1/payments/" + payment, DevTokens.merchant(ATTACKER), null, Map.of()).status())
                    .as(api + " still answers").isLessThan(500);
        }
        assertThat(system.query("/v1/payments/" + payment, DevTokens.merchant(ATTACKER)).body().path("status").asText())
                .isEqualTo("captured");
    }

    private static void assertRefused(Hostile request) {
        Reply reply = system.call(request.api(), request.method(), request.path(), request.token(), request.body(), request.headers());
        SENT.incrementAndGet();
        assertThat(reply.status()).as(request + "\nanswered " + reply.status() + ": "
                + (reply.text().length() > 300 ? reply.text().substring(0, 300) : reply.text())).isBetween(400, 499);
    }

    // ---------------------------------------------------------------- commands

    @Provide
    Arbitrary<Hostile> commands() {
        return Arbitraries.oneOf(hostileCreates(), hostileCaptures(), hostileRefunds(), hostileVoids(), wrongContent());
    }

    private Arbitrary<Hostile> hostileCreates() {
        return createDefects().map(defect -> {
            Map<String, String> headers = new LinkedHashMap<>();
            if (!defect.getKey().equals("none")) {
                headers.put("Idempotency-Key", UUID.randomUUID().toString());
            }
            String what = defect.getKey().equals("none") ? "no Idempotency-Key" : defect.getKey();
            return new Hostile(Api.COMMANDS, "POST", "/v1/payments", DevTokens.merchant(ATTACKER), defect.getValue(), headers, what);
        });
    }

    /** A create body with one field made wrong (or, for "none", a valid body sent without its Idempotency-Key). */
    private Arbitrary<Map.Entry<String, String>> createDefects() {
        Arbitrary<String> reference = Arbitraries.of("\"\"", "\"ORD 1\"", "\"ORD/../1\"", "\"" + "R".repeat(41) + "\"", "null",
                "\"ORD-ü\"", "\"ORD';DROP TABLE domain_event_entry;--\"", "42", "[]");
        Arbitrary<String> amount = Arbitraries.of("-1", "0", "1.5", "\"100\"", "1e3", "null", "true", "[]", "{}",
                "99999999999999999999999", "-9223372036854775808", "100000000000000");
        Arbitrary<String> currency = Arbitraries.of("\"\"", "\"XXX\"", "\"myr\"", "\"MYRR\"", "123", "null", "\"<script>\"", "\"US$\"");
        Arbitrary<String> method = Arbitraries.of("\"maybe\"", "\"\"", "null", "5", "\"AUTOMATIC\"");
        Arbitrary<String> url = Arbitraries.of("\"javascript:alert(1)\"", "\"ftp://shop.example/x\"", "\"not a url\"",
                "\"https://" + "a".repeat(2100) + ".example\"", "\"file:///etc/passwd\"", "7");
        Arbitrary<String> customer = Arbitraries.of("{\"name\":\"" + "N".repeat(129) + "\"}", "{\"email\":\"not-an-email\"}",
                "{\"phone\":\"call me\"}", "{\"name\":{\"first\":\"x\"}}", "\"Aisyah\"", "{\"ssn\":\"123\"}");
        Arbitrary<String> metadata = Arbitraries.of(manyKeys(21), "{\"" + "k".repeat(41) + "\":\"v\"}",
                "{\"k\":\"" + "v".repeat(501) + "\"}", "{\"k\":{\"nested\":1}}", "{\"k\":null}", "[1,2]");
        Arbitrary<String> description = Arbitraries.strings().ofMinLength(256).ofMaxLength(5000).alpha().map(text -> "\"" + text + "\"");
        return Arbitraries.oneOf(
                reference.map(value -> Map.entry("merchantReference " + value, createBody(Map.of("merchantReference", value)))),
                amount.map(value -> Map.entry("amount " + value, createBody(Map.of("amount", value)))),
                currency.map(value -> Map.entry("currency " + value, createBody(Map.of("currency", value)))),
                method.map(value -> Map.entry("captureMethod " + value, createBody(Map.of("captureMethod", value)))),
                url.map(value -> Map.entry("returnUrl", createBody(Map.of("returnUrl", value)))),
                customer.map(value -> Map.entry("customer " + value, createBody(Map.of("customer", value)))),
                metadata.map(value -> Map.entry("metadata", createBody(Map.of("metadata", value)))),
                description.map(value -> Map.entry("description of " + value.length() + " chars", createBody(Map.of("description", value)))),
                Arbitraries.of("merchantReference", "amount", "currency", "captureMethod")
                        .map(missing -> Map.entry("without " + missing, createBody(Map.of(missing, "<drop>")))),
                Arbitraries.of(Map.entry("an unknown field", createBody(Map.of("merchantId", "\"m-other\""))),
                        Map.entry("a body that is not JSON", "{\"amount\": 100,"),
                        Map.entry("JSON null", "null"),
                        Map.entry("a JSON array", "[" + createBody(Map.of()) + "]"),
                        Map.entry("deep nesting", "[".repeat(5000) + "]".repeat(5000)),
                        Map.entry("an empty body", ""),
                        Map.entry("none", createBody(Map.of()))),
                Arbitraries.strings().ofMaxLength(200).map(noise -> Map.entry("noise", noise)));
    }

    private static String manyKeys(int count) {
        StringBuilder keys = new StringBuilder("{");
        for (int i = 0; i < count; i++) {
            keys.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":\"v\"");
        }
        return keys.append('}').toString();
    }

    private static String createBody(Map<String, String> replaced) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("merchantReference", "\"ORD-" + UUID.randomUUID().toString().substring(0, 12) + "\"");
        fields.put("amount", "1050");
        fields.put("currency", "\"MYR\"");
        fields.put("captureMethod", "\"manual\"");
        fields.put("returnUrl", "\"https://shop.example/return\"");
        fields.putAll(replaced);
        StringBuilder body = new StringBuilder("{");
        fields.forEach((name, value) -> {
            if (!value.equals("<drop>")) {
                body.append(body.length() > 1 ? "," : "").append('"').append(name).append("\":").append(value);
            }
        });
        return body.append('}').toString();
    }

    private Arbitrary<Hostile> hostileCaptures() {
        // the target is captured already: any capture is refused, whatever the amount
        Arbitrary<String> bodies = Arbitraries.of("{}", "{\"amount\":1}", "{\"amount\":-1}", "{\"amount\":0}", "{\"amount\":\"1\"}",
                "{\"amount\":1.5}", "{\"amount\":1,\"currency\":\"USD\"}", "{\"amount\":1,\"currency\":\"nope\"}", "{\"amt\":1}", "[]");
        return Combinators.combine(bodies, paymentPaths()).as((body, path) ->
                new Hostile(Api.COMMANDS, "POST", path + "/captures", DevTokens.merchant(ATTACKER), body,
                        Map.of("Idempotency-Key", UUID.randomUUID().toString()), "capture " + body));
    }

    private Arbitrary<Hostile> hostileRefunds() {
        Arbitrary<String> bodies = Arbitraries.of("{\"amount\":-1}", "{\"amount\":0}", "{\"amount\":\"100\"}", "{\"amount\":1.5}",
                "{\"amount\":3001}", "{\"amount\":9223372036854775807}", "{}", "{\"amount\":null}",
                "{\"amount\":100,\"currency\":\"SGD\"}", "{\"amount\":100,\"reason\":\"" + "r".repeat(256) + "\"}",
                "{\"amount\":100,\"refundId\":\"mine\"}");
        return Combinators.combine(bodies, Arbitraries.of("/v1/payments/" + payment)).as((body, path) ->
                new Hostile(Api.COMMANDS, "POST", path + "/refunds", DevTokens.merchant(ATTACKER), body,
                        Map.of("Idempotency-Key", UUID.randomUUID().toString()), "refund " + body));
    }

    private Arbitrary<Hostile> hostileVoids() {
        // a captured payment cannot be voided; nor can ids that are not payments
        return paymentPaths().map(path -> new Hostile(Api.COMMANDS, "POST", path + "/void", DevTokens.merchant(ATTACKER), null,
                Map.of("Idempotency-Key", UUID.randomUUID().toString()), "void"));
    }

    private Arbitrary<Hostile> wrongContent() {
        Arbitrary<String> types = Arbitraries.of("text/plain", "application/xml", "application/x-www-form-urlencoded",
                "multipart/form-data; boundary=x", "application/json-patch+json", "image/png");
        return types.map(type -> new Hostile(Api.COMMANDS, "POST", "/v1/payments", DevTokens.merchant(ATTACKER),
                createBody(Map.of()), Map.of("Idempotency-Key", UUID.randomUUID().toString(), "Content-Type", type),
                "Content-Type " + type));
    }

    private Arbitrary<String> paymentPaths() {
        return Arbitraries.oneOf(Arbitraries.of("/v1/payments/" + payment), hostileIds().map(id -> "/v1/payments/" + id));
    }

    private Arbitrary<String> hostileIds() {
        return Arbitraries.oneOf(
                Arbitraries.of("..%2F..%2Fetc%2Fpasswd", "%27%20OR%201%3D1--", "%00", "00000000-0000-0000-0000-000000000000",
                        UUID.randomUUID().toString(), "x".repeat(5000), "%E2%80%AE", "null", "-1"),
                Arbitraries.strings().withCharRange('a', 'z').numeric().ofMinLength(1).ofMaxLength(64));
    }

    // ---------------------------------------------------------------- queries

    @Provide
    Arbitrary<Hostile> queries() {
        String merchant = DevTokens.merchant(ATTACKER);
        String finance = DevTokens.withRoles("finance-fuzz", "finance");
        String auditor = DevTokens.withRoles("auditor-fuzz", "auditor");
        Arbitrary<String> badInstant = Arbitraries.of("yesterday", "2026-13-01T00:00:00Z", "1700000000", "", "%27", "2026-01-01",
                "+999999999-12-31T23:59:59Z");
        Arbitrary<String> badLimit = Arbitraries.of("-1", "0", "abc", "100000", "1.5", "9999999999999");
        Arbitrary<String> badCursor = Arbitraries.of("garbage", "eyJ0b3RhbGx5IjoiZmFrZSJ9", "%00", "x".repeat(3000), "e30");
        Arbitrary<String> badStatus = Arbitraries.of("paid", "CAPTURED", "", "captured,failed", "%27%20OR%201%3D1");
        return Arbitraries.oneOf(
                badLimit.map(limit -> get(merchant, "/v1/payments?limit=" + limit, "limit " + limit)),
                badCursor.map(cursor -> get(merchant, "/v1/payments?cursor=" + cursor, "cursor " + cursor)),
                badStatus.map(status -> get(merchant, "/v1/payments?status=" + status, "status " + status)),
                badInstant.map(at -> get(merchant, "/v1/payments?createdFrom=" + at, "createdFrom " + at)),
                Arbitraries.of("/v1/payments?createdFrom=2026-02-01T00:00:00Z&createdTo=2026-01-01T00:00:00Z",
                        "/v1/payments?merchantReference=" + "R".repeat(41))
                        .map(path -> get(merchant, path, "an impossible filter")),
                hostileIds().map(id -> get(merchant, "/v1/payments/" + id, "payment id")),
                Arbitraries.of("abc", "-1", "1.5", "99999999999999999999").map(v -> get(merchant,
                        "/v1/payments/" + payment + "?consistentWith=" + v, "consistentWith " + v)),
                badInstant.map(at -> get(finance, "/v1/balances?asOf=" + at, "balances asOf " + at)),
                badInstant.map(at -> get(finance, "/v1/reports/trial-balance?asOf=" + at, "trial balance asOf " + at)),
                Combinators.combine(badLimit, badCursor).as((limit, cursor) -> get(finance,
                        "/v1/journal?limit=" + limit + "&cursor=" + cursor, "journal limit/cursor")),
                badInstant.map(at -> get(finance, "/v1/journal?from=" + at, "journal from " + at)),
                badInstant.map(at -> get(auditor, "/v1/audit/payments/" + payment + "/state?asOf=" + at, "state asOf " + at)),
                hostileIds().map(id -> get(auditor, "/v1/audit/payments/" + id + "/events", "audit id")),
                // an open range is the whole log, so only impossible or malformed ranges are hostile
                Arbitraries.of("{\"from\":\"later\",\"to\":\"now\"}", "{\"from\":\"2026-02-01T00:00:00Z\",\"to\":\"2026-01-01T00:00:00Z\"}",
                        "[]", "{\"from\":1,\"to\":2}", "{\"from\":\"2020-01-01T00:00:00Z\",\"to\":\"2030-01-01T00:00:00Z\",\"x\":1}",
                        "{\"from\":\"2020-01-01\"}", "\"2020-01-01T00:00:00Z\"")
                        .map(body -> new Hostile(Api.QUERIES, "POST", "/v1/audit/verifications", auditor, body, Map.of(), "verification " + body)),
                Arbitraries.of("PUT", "DELETE", "PATCH").map(method -> new Hostile(Api.QUERIES, method, "/v1/payments/" + payment,
                        merchant, null, Map.of(), method)));
    }

    private static Hostile get(String token, String path, String defect) {
        return new Hostile(Api.QUERIES, "GET", path, token, null, Map.of(), defect);
    }

    // ---------------------------------------------------------------- Fiuu's webhooks

    @Provide
    Arbitrary<Hostile> notifications() {
        Arbitrary<String> tranId = Arbitraries.longs().between(1, 99_999_999L).map(Object::toString);
        Arbitrary<String> status = Arbitraries.of("00", "11", "22", "99", "", "0");
        Arbitrary<String> skey = Arbitraries.oneOf(Arbitraries.strings().withCharRange('a', 'f').numeric().ofLength(32),
                Arbitraries.of("", "0".repeat(32), "not-a-signature"));
        Arbitrary<String> amount = Arbitraries.of("30.00", "-1", "abc", "1e9", "0.001", "");
        Arbitrary<String> forged = Combinators.combine(tranId, status, skey, amount).as((tran, stat, key, amt) ->
                "nbcb=1&tranID=" + tran + "&orderid=" + payment.substring(0, 8) + "&status=" + stat + "&domain=payledger_sandbox"
                        + "&amount=" + amt + "&currency=MYR&paydate=2026-11-22+10%3A00%3A00&appcode=123456&skey=" + key);
        Arbitrary<String> broken = Arbitraries.of("", "tranID=", "skey=" + "a".repeat(5000), "%%%", "nbcb=2",
                "tranID=1&tranID=2&skey=x", "{\"tranID\":\"1\",\"skey\":\"x\"}", "status=00&skey=" + "0".repeat(32));
        Arbitrary<String> path = Arbitraries.of("/fiuu/notifications", "/fiuu/callbacks", "/fiuu/refund-notifications");
        Arbitrary<String> type = Arbitraries.of("application/x-www-form-urlencoded", "application/json", "text/plain");
        return Combinators.combine(path, Arbitraries.oneOf(forged, broken), type).as((where, form, contentType) ->
                new Hostile(Api.GATEWAY, "POST", where, null, form, Map.of("Content-Type", contentType),
                        "a forged or malformed notification"));
    }
}
