package io.payledger.systemtests.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.payledger.localstack.tokens.DevTokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Merchants' traffic for the chaos suite, through the documented ports (the balancers in front of
 * the replicas): complete payments (create, the customer pays, capture, a third of them partly
 * refunded) and payments voided after authorisation, from a few concurrent merchants. A flow that
 * meets an error or runs out of patience is counted and abandoned, never retried blindly: what
 * the system accepted is judged by the invariants afterwards, not by the flow.
 */
final class PaymentMix {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(3)).build();
    private static final String MERCHANT = "chaos-merchant";
    private static final String TOKEN = DevTokens.merchant(MERCHANT);
    private static final Duration PATIENCE = Duration.ofSeconds(90);

    /** Payments the API accepted (201), the ones the invariants are about. */
    final Set<String> accepted = ConcurrentHashMap.newKeySet();
    final AtomicInteger started = new AtomicInteger();
    final AtomicInteger completed = new AtomicInteger();
    final AtomicInteger abandoned = new AtomicInteger();

    /** Runs {@code flows} concurrent merchants for {@code duration}, then waits for the flows under way to end. */
    void run(int flows, Duration duration) throws InterruptedException {
        long end = System.nanoTime() + duration.toNanos();
        ExecutorService merchants = Executors.newFixedThreadPool(flows);
        for (int i = 0; i < flows; i++) {
            merchants.submit(() -> {
                while (System.nanoTime() < end) {
                    started.incrementAndGet();
                    try {
                        onePayment();
                        completed.incrementAndGet();
                    } catch (Exception abandonedFlow) {
                        abandoned.incrementAndGet();
                    }
                }
            });
        }
        merchants.shutdown();
        merchants.awaitTermination(duration.toSeconds() + PATIENCE.toSeconds() * 4, TimeUnit.SECONDS);
    }

    private void onePayment() throws Exception {
        String reference = "CH" + UUID.randomUUID().toString().replace("-", "").substring(0, 18);
        long amount = 1000 + ThreadLocalRandom.current().nextInt(9000);
        HttpResponse<String> created = send("POST", "http://localhost:8080/v1/payments", """
                {"merchantReference":"%s","amount":%d,"currency":"MYR","captureMethod":"manual"}""".formatted(reference, amount));
        if (created.statusCode() != 201) {
            throw new IllegalStateException("create answered " + created.statusCode());
        }
        String id = JSON.readTree(created.body()).path("id").asText();
        accepted.add(id);
        JsonNode awaiting = await(id, "awaiting_customer");
        URI checkout = URI.create(awaiting.path("nextAction").path("redirectUrl").asText());
        HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:8070" + checkout.getPath() + "decide"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(checkout.getRawQuery() + "&outcome=pay")).build(),
                HttpResponse.BodyHandlers.discarding());
        await(id, "authorised");
        if (ThreadLocalRandom.current().nextInt(4) == 0) {
            send("POST", "http://localhost:8080/v1/payments/" + id + "/void", null);
            await(id, "voided");
            return;
        }
        send("POST", "http://localhost:8080/v1/payments/" + id + "/captures", "{}");
        await(id, "captured");
        if (ThreadLocalRandom.current().nextInt(3) == 0) {
            send("POST", "http://localhost:8080/v1/payments/" + id + "/refunds", "{\"amount\":" + amount / 2 + ",\"reason\":\"chaos\"}");
            await(id, "partially_refunded");
        }
    }

    private static JsonNode await(String id, String status) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        long pause = 100;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:8100/v1/payments/" + id))
                    .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + TOKEN).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() == 200) {
                JsonNode payment = JSON.readTree(answer.body());
                if (status.equals(payment.path("status").asText())) {
                    return payment;
                }
            }
            Thread.sleep(pause);
            pause = Math.min(1000, pause * 3 / 2);
        }
        throw new IllegalStateException(id + " did not reach " + status);
    }

    private static HttpResponse<String> send(String method, String url, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(15))
                .header("Authorization", "Bearer " + TOKEN).header("Idempotency-Key", UUID.randomUUID().toString())
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
