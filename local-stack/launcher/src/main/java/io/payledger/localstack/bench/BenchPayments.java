package io.payledger.localstack.bench;

import io.payledger.localstack.tokens.DevTokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;

/** Creates payments through the local stack's API for the benchmarks: a fresh reference and key each time. */
final class BenchPayments {

    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    static final String MERCHANT_TOKEN = DevTokens.merchant("bench-merchant");

    private BenchPayments() {
    }

    /** @return the new payment's id */
    static String create(String referencePrefix) throws Exception {
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
}
