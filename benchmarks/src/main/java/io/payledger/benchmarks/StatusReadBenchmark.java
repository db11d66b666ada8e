package io.payledger.benchmarks;

import io.payledger.localstack.traffic.PaymentTraffic;

import io.payledger.localstack.LocalStack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code GET /v1/payments/{id}} on the query service: requests per second and latency with N
 * concurrent clients reading random payments of one merchant (Redis first, PostgreSQL behind).
 *
 * <pre>./mvnw -Pbench -Dbench.main=io.payledger.benchmarks.StatusReadBenchmark
 *      (settings: -Dbench.clients=16 -Dbench.seconds=30 -Dbench.warmup=10)</pre>
 */
public final class StatusReadBenchmark {

    /**
     * One merchant reads here as fast as it can: its limit is raised past what two cores can serve, so that the figure
     * is the read path's and not the limiter's answer (the limiter still runs and is counted in the cost).
     */
    static final Map<String, String> UNLIMITED_MERCHANT = Map.of("payledger.rate-limits.defaults.per-second", "100000",
            "payledger.rate-limits.defaults.burst", "200000");

    private static final HttpClient HTTP = PaymentTraffic.HTTP;
    private static final String TOKEN = PaymentTraffic.MERCHANT_TOKEN;

    public static void main(String[] args) throws Exception {
        int clients = Integer.getInteger("bench.clients", 16);
        Duration measured = Duration.ofSeconds(Integer.getInteger("bench.seconds", 30));
        Duration warmup = Duration.ofSeconds(Integer.getInteger("bench.warmup", 10));
        LocalStack stack = new LocalStack(LocalStack.Ports.standard());
        try {
            stack.start(UNLIMITED_MERCHANT);
            List<String> payments = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                payments.add(PaymentTraffic.create("R"));
            }
            for (String id : payments) {
                while (get(id, "?consistentWith=0") != 200) {
                    Thread.sleep(50);
                }
            }
            CreationBenchmark.Operation read = () -> get(payments.get(ThreadLocalRandom.current().nextInt(payments.size())), "") == 200;
            CreationBenchmark.run("warm-up (discarded)", clients, warmup, read);
            CreationBenchmark.Result result = CreationBenchmark.run("GET /v1/payments/{id}", clients, measured, read);
            System.out.printf("""

                    | what (%d clients, %d s, %d cores) | per second | p50 ms | p99 ms | errors |
                    |---|---|---|---|---|
                    %s
                    %n""", clients, measured.toSeconds(), Runtime.getRuntime().availableProcessors(), result.row());
        } finally {
            stack.stop();
        }
        System.exit(0);
    }


    private static int get(String id, String query) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:8100/v1/payments/" + id + query))
                .header("Authorization", "Bearer " + TOKEN).GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
