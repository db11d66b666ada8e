package io.payledger.localstack.bench;

import io.payledger.localstack.LocalStack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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

    private static final HttpClient HTTP = BenchPayments.HTTP;

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
                            BenchPayments.create("L");
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

}
