package io.payledger.benchmarks;

import io.payledger.localstack.traffic.PaymentTraffic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.payledger.localstack.LocalStack;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Sales (automatic capture) at fixed rates, one step after the other, from the merchant's {@code POST /v1/payments}
 * to the query API answering {@code captured}: the whole system, as a merchant sees it. For each step it prints the
 * latency percentiles, how many payments per second reached {@code captured}, and what each payment cost
 * gateway-saga's database in commits (from {@code pg_stat_database}).
 * <p>
 * The benchmark plays customer and merchant without polling the system into the ground: it learns of the checkout
 * and of the capture from the events topic, then reads the query API every 10 ms until it says {@code captured}, so
 * the figure is what the API shows, to within 10 ms, and the polls do not load the system under test.
 *
 * <pre>./mvnw -Pbench -Dbench.main=io.payledger.benchmarks.EndToEndRateBenchmark
 *      (settings: -Dbench.rates=50 or a step-up such as 25,50,75,100,150; -Dbench.seconds=300 per step)</pre>
 */
public final class EndToEndRateBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private final Map<String, Map<String, CompletableFuture<JsonNode>>> events = new ConcurrentHashMap<>();
    private final LocalStack stack;
    /** Where the time goes, stage by stage: creation answered, checkout on the topic, captured on the topic, in the API. */
    private Histogram[] stages;
    private static final String[] STAGE_NAMES = {"POST /v1/payments answered", "-> checkout prepared (on the topic)",
            "customer pays -> captured (on the topic)", "-> captured in the query API"};

    private EndToEndRateBenchmark(LocalStack stack) {
        this.stack = stack;
    }

    public static void main(String[] args) throws Exception {
        int[] rates = Arrays.stream(System.getProperty("bench.rates", "50").split(",")).mapToInt(rate -> Integer.parseInt(rate.trim())).toArray();
        int seconds = Integer.getInteger("bench.seconds", 300);
        LocalStack stack = new LocalStack(LocalStack.Ports.standard());
        try {
            stack.start();
            new EndToEndRateBenchmark(stack).run(rates, seconds);
        } finally {
            stack.stop();
        }
        System.exit(0);
    }

    private void run(int[] rates, int seconds) throws Exception {
        AtomicBoolean listening = new AtomicBoolean(true);
        Thread listener = new Thread(() -> listen(listening), "events-listener");
        listener.start();
        Thread.sleep(3000); // let the consumer join the topic

        long idleCommits = gatewayCommits();
        Thread.sleep(10_000);
        double idlePerSecond = (gatewayCommits() - idleCommits) / 10.0;

        StringBuilder table = new StringBuilder("""
                | offered | for | created | captured | failed | captured/s | p50 ms | p95 ms | p99 ms | max ms | gateway-saga commits per payment |
                |---|---|---|---|---|---|---|---|---|---|---|
                """);
        for (int rate : rates) {
            table.append(step(rate, seconds, idlePerSecond)).append('\n');
            System.out.println(table);
            BenchSuite.awaitQuiet();
        }
        listening.set(false);
        listener.join();
        System.out.printf("%nEnd to end, creation -> captured in the query API, %d cores:%n%n%s%n"
                + "gateway-saga's database commits %.1f times a second when idle (its pollers); the last column includes them.%n",
                Runtime.getRuntime().availableProcessors(), table, idlePerSecond);
    }

    private String step(int rate, int seconds, double idlePerSecond) throws Exception {
        Histogram latencies = new Histogram(1_000_000);
        stages = new Histogram[] {new Histogram(1_000_000), new Histogram(1_000_000), new Histogram(1_000_000), new Histogram(1_000_000)};
        AtomicInteger created = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        ExecutorService flows = Executors.newFixedThreadPool(512);
        ScheduledExecutorService pace = Executors.newSingleThreadScheduledExecutor();
        long total = (long) rate * seconds;
        AtomicInteger launched = new AtomicInteger();
        long commitsBefore = gatewayCommits();
        long start = System.nanoTime();
        pace.scheduleAtFixedRate(() -> {
            if (launched.incrementAndGet() <= total) {
                flows.submit(() -> {
                    long t0 = System.nanoTime();
                    try {
                        aSaleToCaptured(created);
                        latencies.record(System.nanoTime() - t0);
                    } catch (Exception e) {
                        failures.incrementAndGet();
                    }
                });
            }
        }, 0, 1_000_000 / rate, TimeUnit.MICROSECONDS);
        Thread.sleep(seconds * 1000L);
        pace.shutdown();
        flows.shutdown();
        flows.awaitTermination(3, TimeUnit.MINUTES);
        double elapsed = (System.nanoTime() - start) / 1e9;
        long commits = gatewayCommits() - commitsBefore;
        for (int stage = 0; stage < stages.length; stage++) {
            System.out.printf("  %d/s, %-42s p50 %6.0f ms  p99 %6.0f ms  (%d)%n", rate, STAGE_NAMES[stage],
                    stages[stage].percentileMillis(50), stages[stage].percentileMillis(99), stages[stage].count());
        }
        return "| %d/s | %d s | %d | %d | %d | %.1f | %.0f | %.0f | %.0f | %.0f | %.1f (%.1f beyond idle) |".formatted(rate, seconds,
                created.get(), latencies.count(), failures.get(), latencies.count() / elapsed,
                latencies.percentileMillis(50), latencies.percentileMillis(95), latencies.percentileMillis(99),
                latencies.percentileMillis(100), commits / (double) Math.max(1, created.get()),
                (commits - idlePerSecond * elapsed) / Math.max(1, created.get()));
    }

    private void aSaleToCaptured(AtomicInteger created) throws Exception {
        long t0 = System.nanoTime();
        String reference = "R" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
        HttpResponse<String> answer = PaymentTraffic.HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:8080/v1/payments"))
                .header("Authorization", "Bearer " + PaymentTraffic.MERCHANT_TOKEN).header("Idempotency-Key", reference)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("""
                        {"merchantReference":"%s","amount":1050,"currency":"MYR","captureMethod":"automatic"}""".formatted(reference)))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 201) {
            throw new IllegalStateException("create answered " + answer.statusCode());
        }
        created.incrementAndGet();
        long t1 = System.nanoTime();
        stages[0].record(t1 - t0);
        String id = JSON.readTree(answer.body()).get("id").asText();
        try {
            URI page = URI.create(await(id, "CheckoutPrepared").get("redirectUrl").asText());
            long t2 = System.nanoTime();
            stages[1].record(t2 - t1);
            PaymentTraffic.HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:8070" + page.getPath() + "decide"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(page.getRawQuery() + "&outcome=pay")).build(),
                    HttpResponse.BodyHandlers.discarding());
            await(id, "PaymentCaptured");
            long t3 = System.nanoTime();
            stages[2].record(t3 - t2);
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (!read(id).contains("\"status\":\"captured\"")) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(id + " captured, but the query API does not say so");
                }
                Thread.sleep(10);
            }
            stages[3].record(System.nanoTime() - t3);
        } finally {
            events.remove(id);
        }
    }

    private static String read(String id) throws Exception {
        return PaymentTraffic.HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:8100/v1/payments/" + id))
                .header("Authorization", "Bearer " + PaymentTraffic.MERCHANT_TOKEN).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** Transactions gateway-saga's database has committed since it was created. */
    private long gatewayCommits() throws Exception {
        String url = stack.gatewayJdbcUrl();
        String database = url.substring(url.lastIndexOf('/') + 1);
        try (Connection connection = DriverManager.getConnection(url, stack.postgres().username(), stack.postgres().password());
             Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT xact_commit FROM pg_stat_database WHERE datname = '" + database + "'")) {
            row.next();
            return row.getLong(1);
        }
    }

    private JsonNode await(String paymentId, String type) throws Exception {
        return future(paymentId, type).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    }

    private CompletableFuture<JsonNode> future(String paymentId, String type) {
        return events.computeIfAbsent(paymentId, id -> new ConcurrentHashMap<>()).computeIfAbsent(type, t -> new CompletableFuture<>());
    }

    private void listen(AtomicBoolean listening) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "end-to-end-bench-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of("payledger.payment-events"));
            while (listening.get()) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(50))) {
                    String type = new String(record.headers().lastHeader("axon-message-type").value());
                    try {
                        future(record.key(), type.substring(type.lastIndexOf('.') + 1)).complete(JSON.readTree(record.value()));
                    } catch (Exception notAPaymentEvent) {
                        // skipped
                    }
                }
            }
        }
    }
}
