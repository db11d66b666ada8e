package io.payledger.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.payledger.localstack.LocalStack;
import io.payledger.localstack.tokens.DevTokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
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
 * Payments through Fiuu (the sandbox, answering immediately) at a fixed rate: creation to
 * authorised (checkout, the customer's "pay", Fiuu's notification, the inbox, the command) and
 * capture request to captured (publisher, Kafka, saga, Fiuu capture, the command). Latencies come
 * from the events' own occurredAt, read off the events topic.
 *
 * <pre>./mvnw -Pbench -Dbench.main=io.payledger.benchmarks.GatewayLatencyBenchmark
 *      (settings: -Dbench.rate=20 -Dbench.seconds=60)</pre>
 */
public final class GatewayLatencyBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final String MERCHANT = DevTokens.merchant("bench-merchant");

    private final Map<String, Map<String, CompletableFuture<JsonNode>>> events = new ConcurrentHashMap<>();

    public static void main(String[] args) throws Exception {
        int rate = Integer.getInteger("bench.rate", 20);
        int seconds = Integer.getInteger("bench.seconds", 60);
        LocalStack stack = new LocalStack(LocalStack.Ports.standard());
        try {
            stack.start();
            new GatewayLatencyBenchmark().run(rate, seconds);
        } finally {
            stack.stop();
        }
        System.exit(0);
    }

    private void run(int rate, int seconds) throws Exception {
        AtomicBoolean listening = new AtomicBoolean(true);
        Thread listener = new Thread(() -> listen(listening), "events-listener");
        listener.start();
        Thread.sleep(3000); // let the consumer join the topic

        List<long[]> results = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger failures = new AtomicInteger();
        ExecutorService flows = Executors.newFixedThreadPool(128);
        ScheduledExecutorService pace = Executors.newSingleThreadScheduledExecutor();
        long total = (long) rate * seconds;
        AtomicInteger started = new AtomicInteger();
        pace.scheduleAtFixedRate(() -> {
            if (started.incrementAndGet() <= total) {
                flows.submit(() -> {
                    try {
                        results.add(onePayment());
                    } catch (Exception e) {
                        failures.incrementAndGet();
                    }
                });
            }
        }, 0, 1_000_000 / rate, TimeUnit.MICROSECONDS);
        Thread.sleep(seconds * 1000L);
        pace.shutdown();
        flows.shutdown();
        flows.awaitTermination(2, TimeUnit.MINUTES);
        listening.set(false);
        listener.join();

        List<Long> authorise = results.stream().map(r -> r[0]).sorted().toList();
        List<Long> capture = results.stream().map(r -> r[1]).sorted().toList();
        List<Long> publish = results.stream().map(r -> r[2]).sorted().toList();
        List<Long> consume = results.stream().map(r -> r[3]).sorted().toList();
        System.out.printf("""

                | %d payments/s for %d s, %d cores | completed | p50 ms | p99 ms | max ms |
                |---|---|---|---|---|
                | creation -> authorised | %d | %d | %d | %d |
                | capture requested -> captured | %d | %d | %d | %d |
                |   of which: stored -> on Kafka (publisher) | %d | %d | %d | %d |
                |   of which: on Kafka -> captured (saga, Fiuu, command) | %d | %d | %d | %d |
                failed flows: %d
                %n""", rate, seconds, Runtime.getRuntime().availableProcessors(),
                authorise.size(), pct(authorise, 50), pct(authorise, 99), pct(authorise, 100),
                capture.size(), pct(capture, 50), pct(capture, 99), pct(capture, 100),
                publish.size(), pct(publish, 50), pct(publish, 99), pct(publish, 100),
                consume.size(), pct(consume, 50), pct(consume, 99), pct(consume, 100), failures.get());
    }

    /** @return {creation to authorised, capture request to captured} in milliseconds */
    private long[] onePayment() throws Exception {
        String reference = "B" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
        JsonNode created = post("http://localhost:8080/v1/payments", MERCHANT, """
                {"merchantReference":"%s","amount":1050,"currency":"MYR","captureMethod":"manual"}""".formatted(reference));
        String id = created.get("id").asText();
        JsonNode initiated = await(id, "PaymentInitiated");
        JsonNode checkout = await(id, "CheckoutPrepared");
        URI page = URI.create(checkout.get("redirectUrl").asText());
        HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:8070" + page.getPath() + "decide"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(page.getRawQuery() + "&outcome=pay")).build(),
                HttpResponse.BodyHandlers.discarding());
        JsonNode authorised = await(id, "PaymentAuthorised");
        post("http://localhost:8080/v1/payments/" + id + "/captures", MERCHANT, "{}");
        JsonNode captureRequested = await(id, "CaptureRequested");
        JsonNode captured = await(id, "PaymentCaptured");
        events.remove(id);
        long published = captureRequested.get("publishedAt").asLong();
        long requestedAt = Instant.parse(captureRequested.get("occurredAt").asText()).toEpochMilli();
        long capturedAt = Instant.parse(captured.get("occurredAt").asText()).toEpochMilli();
        return new long[] {millisBetween(initiated, authorised), millisBetween(captureRequested, captured),
                published - requestedAt, capturedAt - published};
    }

    private JsonNode await(String paymentId, String type) throws Exception {
        return future(paymentId, type).get(60, TimeUnit.SECONDS);
    }

    private CompletableFuture<JsonNode> future(String paymentId, String type) {
        return events.computeIfAbsent(paymentId, id -> new ConcurrentHashMap<>())
                .computeIfAbsent(type, t -> new CompletableFuture<>());
    }

    private void listen(AtomicBoolean listening) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:19092");
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "latency-bench-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of("payledger.payment-events"));
            while (listening.get()) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    String type = new String(record.headers().lastHeader("axon-message-type").value());
                    try {
                        JsonNode event = JSON.readTree(record.value());
                        ((com.fasterxml.jackson.databind.node.ObjectNode) event).put("publishedAt", record.timestamp());
                        future(record.key(), type.substring(type.lastIndexOf('.') + 1)).complete(event);
                    } catch (Exception ignored) {
                        // not a payment event
                    }
                }
            }
        }
    }

    private static JsonNode post(String url, String token, String body) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + token).header("Idempotency-Key", UUID.randomUUID().toString())
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(url + " answered " + response.statusCode());
        }
        return JSON.readTree(response.body());
    }

    private static long millisBetween(JsonNode from, JsonNode to) {
        return Duration.between(Instant.parse(from.get("occurredAt").asText()), Instant.parse(to.get("occurredAt").asText())).toMillis();
    }

    private static long pct(List<Long> sorted, int percentile) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int index = (int) Math.ceil(sorted.size() * percentile / 100.0) - 1;
        return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
    }
}
