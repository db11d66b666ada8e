package io.payledger.localstack.traffic;

import io.payledger.localstack.tokens.DevTokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/** Payments made through the local stack's API by the benchmarks and the chaos suite: a fresh reference and key each time. */
public final class PaymentTraffic {

    public static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    public static final String MERCHANT_TOKEN = DevTokens.merchant("bench-merchant");

    private PaymentTraffic() {
    }

    /** @return the new payment's id */
    public static String create(String referencePrefix) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:8080/v1/payments"))
                .header("Authorization", "Bearer " + MERCHANT_TOKEN).header("Idempotency-Key", UUID.randomUUID().toString())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"merchantReference":"%s%s","amount":1050,"currency":"MYR","captureMethod":"manual"}"""
                        .formatted(referencePrefix, UUID.randomUUID().toString().replace("-", "").substring(0, 20)))).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw new IllegalStateException("create answered " + response.statusCode());
        }
        String body = response.body();
        int start = body.indexOf("\"id\":\"") + 6;
        return body.substring(start, body.indexOf('"', start));
    }

    /** A sale (automatic capture) through the whole flow: created, paid on the sandbox's page, captured. @return its id */
    public static String onePaymentToCaptured() throws Exception {
        String reference = "E" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
        HttpResponse<String> created = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:8080/v1/payments"))
                .header("Authorization", "Bearer " + MERCHANT_TOKEN).header("Idempotency-Key", reference)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("""
                        {"merchantReference":"%s","amount":1050,"currency":"MYR","captureMethod":"automatic"}""".formatted(reference)))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (created.statusCode() != 201) {
            throw new IllegalStateException("create answered " + created.statusCode());
        }
        String id = field(created.body(), "id");
        String page = awaitField(id, "\"redirectUrl\":\"", "awaiting_customer");
        URI checkout = URI.create(page);
        HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:8070" + checkout.getPath() + "decide"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(checkout.getRawQuery() + "&outcome=pay")).build(),
                HttpResponse.BodyHandlers.discarding());
        awaitField(id, null, "captured");
        return id;
    }

    /** Polls the payment until its status is {@code status}; returns the value of {@code field} then, if asked. */
    public static String awaitField(String id, String field, String status) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        long pause = 20;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(
                            URI.create("http://localhost:8100/v1/payments/" + id))
                    .header("Authorization", "Bearer " + MERCHANT_TOKEN).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() == 200 && answer.body().contains("\"status\":\"" + status + "\"")) {
                if (field == null) {
                    return null;
                }
                int at = answer.body().indexOf(field);
                if (at >= 0) {
                    int from = at + field.length();
                    return answer.body().substring(from, answer.body().indexOf('"', from));
                }
            }
            Thread.sleep(pause);
            pause = Math.min(250, pause * 3 / 2);   // back off, so that a slow system is not also flooded with polls
        }
        throw new IllegalStateException("payment " + id + " did not reach " + status);
    }

    private static String field(String json, String name) {
        int start = json.indexOf("\"" + name + "\":\"") + name.length() + 4;
        return json.substring(start, json.indexOf('"', start));
    }
}
