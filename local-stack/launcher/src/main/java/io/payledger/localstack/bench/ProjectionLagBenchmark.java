package io.payledger.localstack.bench;

import io.payledger.localstack.LocalStack;
import io.payledger.localstack.tokens.DevTokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Projection lag (an event's occurrence to its projection, as query-service's own
 * {@code payledger_projection_lag_seconds} records it) under a steady event rate: each payment
 * creation yields two events (initiated, and checkout prepared by the saga).
 *
 * <pre>./mvnw -Pbench -Dbench.main=io.payledger.localstack.bench.ProjectionLagBenchmark -Dbench.rate=100 -Dbench.seconds=60</pre>
 */
public final class ProjectionLagBenchmark {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final String TOKEN = DevTokens.merchant("bench-merchant");

    public static void main(String[] args) throws Exception {
        int rate = Integer.getInteger("bench.rate", 100);
        int seconds = Integer.getInteger("bench.seconds", 60);
        LocalStack stack = new LocalStack(LocalStack.Ports.standard());
        try {
            stack.start();
            AtomicInteger failures = new AtomicInteger();
            ExecutorService senders = Executors.newFixedThreadPool(64);
            ScheduledExecutorService pace = Executors.newSingleThreadScheduledExecutor();
            long total = (long) rate * seconds;
            AtomicInteger started = new AtomicInteger();
            pace.scheduleAtFixedRate(() -> {
                if (started.incrementAndGet() <= total) {
                    senders.submit(() -> {
                        try {
                            create();
                        } catch (Exception e) {
                            failures.incrementAndGet();
                        }
                    });
                }
            }, 0, 1_000_000 / rate, TimeUnit.MICROSECONDS);
            Thread.sleep(seconds * 1000L);
            pace.shutdown();
            senders.shutdown();
            senders.awaitTermination(1, TimeUnit.MINUTES);
            Thread.sleep(5000); // let the projection catch up before reading its lag
            String metrics = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:8101/actuator/prometheus")).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            System.out.printf("%n%d payment creations/s (%d events/s) for %d s, %d failed; query-service reports:%n",
                    rate, 2 * rate, seconds, failures.get());
            metrics.lines().filter(line -> line.startsWith("payledger_projection_lag_seconds")
                    || line.startsWith("payledger_projection_events_total")).forEach(line -> System.out.println("  " + line));
        } finally {
            stack.stop();
        }
        System.exit(0);
    }

    private static void create() throws Exception {
        HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:8080/v1/payments"))
                .header("Authorization", "Bearer " + TOKEN).header("Idempotency-Key", UUID.randomUUID().toString())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"merchantReference":"L%s","amount":1050,"currency":"MYR","captureMethod":"manual"}"""
                        .formatted(UUID.randomUUID().toString().replace("-", "").substring(0, 20)))).build(),
                HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() != 201) {
            throw new IllegalStateException("create answered " + response.statusCode());
        }
    }
}
