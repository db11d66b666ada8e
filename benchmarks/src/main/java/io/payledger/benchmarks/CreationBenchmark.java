package io.payledger.benchmarks;

import io.payledger.localstack.LocalStack;
import io.payledger.localstack.tokens.DevTokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Payment creations per second through the HTTP API, beside the same PostgreSQL's raw single-row
 * insert rate for a row of the same size. Both run on this machine against the durable local stack
 * (fsync on), one after the other, with the same number of concurrent clients.
 *
 * <pre>./mvnw -Pbench   (settings: -Dbench.clients=16 -Dbench.seconds=30 -Dbench.warmup=10
 *                  -Dbench.creationStack=command: command-service alone, nothing reacting to its events)</pre>
 */
public final class CreationBenchmark {

    private static final String BODY = """
            {"merchantReference":"%s","amount":1050,"currency":"MYR","captureMethod":"manual",
             "customer":{"name":"Aisyah","email":"a@example.com","phone":"+60123456789"},
             "description":"2 items","returnUrl":"https://shop.example/return","metadata":{"cart":"77"}}""";

    public static void main(String[] args) throws Exception {
        int clients = Integer.getInteger("bench.clients", 16);
        Duration measured = Duration.ofSeconds(Integer.getInteger("bench.seconds", 30));
        Duration warmup = Duration.ofSeconds(Integer.getInteger("bench.warmup", 10));

        boolean commandAlone = "command".equals(System.getProperty("bench.creationStack", "whole"));
        LocalStack stack = new LocalStack(LocalStack.Ports.standard());
        try {
            if (commandAlone) {
                stack.startCommandSide();
            } else {
                stack.start();
            }
            String jdbcUrl = stack.postgresJdbcUrl();
            int processors = Runtime.getRuntime().availableProcessors();

            run("warm-up (discarded)", clients, warmup, CreationBenchmark::createPayment);
            Result api = run("HTTP POST /v1/payments", clients, measured, CreationBenchmark::createPayment);

            int rowBytes = storedRowBytes(jdbcUrl);
            try (RawInserts raw = new RawInserts(jdbcUrl, rowBytes, clients)) {
                run("warm-up (discarded)", clients, warmup, raw::insert);
                Result insert = run("raw INSERT, " + rowBytes + "-byte row", clients, measured, raw::insert);

                System.out.printf("""

                        | what (%d clients, %d s, %d cores, %s) | per second | p50 ms | p99 ms | errors |
                        |---|---|---|---|---|
                        %s
                        %s

                        API creations reach %.0f%% of the raw single-row insert rate.
                        (A creation writes the idempotency record, the merchant reference and the event in one
                        transaction shared with the creations queued beside it; the publisher then reads it back for Kafka.)
                        %n""", clients, measured.toSeconds(), processors,
                        commandAlone ? "command-service alone" : "whole stack", api.row(), insert.row(),
                        100.0 * api.perSecond() / insert.perSecond());
                System.out.printf("Services after the load (start-up includes waiting for the cores the others use):%n%n%s%n",
                        ServiceFigures.table(stack));
            }
        } finally {
            stack.stop();
        }
        System.exit(0);
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final String TOKEN = DevTokens.merchant("bench-merchant");

    static boolean createPayment() throws Exception {
        String reference = UUID.randomUUID().toString().substring(0, 30);
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:8080/v1/payments"))
                .header("Authorization", "Bearer " + TOKEN)
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(BODY.formatted(reference)))
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 201;
    }

    /** The size of what one creation stores in the event table (payload plus metadata). */
    static int storedRowBytes(String jdbcUrl) throws Exception {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, "postgres", "postgres");
             Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery(
                     "SELECT avg(octet_length(payload) + octet_length(meta_data))::int FROM domain_event_entry")) {
            row.next();
            return row.getInt(1);
        }
    }

    public interface Operation {
        boolean call() throws Exception;
    }

    /**
     * @param latencies every call's latency
     * @param throughput successful calls in each second of the run
     */
    public record Result(String name, long count, long errors, double perSecond, double p50, double p99,
                         Histogram latencies, long[] throughput) {
        String row() {
            return "| %s | %.0f | %.1f | %.1f | %d |".formatted(name, perSecond, p50, p99, errors);
        }
    }

    public static Result run(String name, int clients, Duration duration, Operation operation) throws Exception {
        Histogram latencies = new Histogram();
        AtomicLong errors = new AtomicLong();
        java.util.concurrent.atomic.AtomicLongArray bySecond = new java.util.concurrent.atomic.AtomicLongArray(
                (int) duration.toSeconds() + 2);
        long deadline = System.nanoTime() + duration.toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<?>> running = new ArrayList<>();
        long started = System.nanoTime();
        for (int i = 0; i < clients; i++) {
            running.add(pool.submit(() -> {
                while (System.nanoTime() < deadline) {
                    long t0 = System.nanoTime();
                    boolean ok;
                    try {
                        ok = operation.call();
                    } catch (Exception e) {
                        ok = false;
                    }
                    long done = System.nanoTime();
                    latencies.record(done - t0);
                    if (!ok) {
                        errors.incrementAndGet();
                    } else {
                        bySecond.incrementAndGet((int) Math.min((done - started) / 1_000_000_000L, bySecond.length() - 1));
                    }
                }
                return null;
            }));
        }
        for (Future<?> client : running) {
            client.get();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        pool.shutdown();
        Result result = new Result(name, latencies.count(), errors.get(), (latencies.count() - errors.get()) / seconds,
                latencies.percentileMillis(50), latencies.percentileMillis(99), latencies,
                java.util.stream.IntStream.range(0, (int) seconds).mapToLong(bySecond::get).toArray());
        System.out.println(result.row());
        return result;
    }

    /** Single-row INSERTs, autocommit, one connection per client, into a table shaped like the event table. */
    static final class RawInserts implements AutoCloseable {
        private final ThreadLocal<PreparedStatement> statements;
        private final List<Connection> connections = new ArrayList<>();
        private final byte[] payload;

        RawInserts(String jdbcUrl, int rowBytes, int clients) throws Exception {
            payload = new byte[rowBytes];
            java.util.Arrays.fill(payload, (byte) 'x');
            try (Connection setup = DriverManager.getConnection(jdbcUrl, "postgres", "postgres");
                 Statement statement = setup.createStatement()) {
                statement.execute("DROP TABLE IF EXISTS bench_raw_insert");
                statement.execute("""
                        CREATE TABLE bench_raw_insert (id BIGSERIAL PRIMARY KEY, key VARCHAR(255) NOT NULL UNIQUE,
                        payload BYTEA NOT NULL)""");
            }
            statements = ThreadLocal.withInitial(() -> {
                try {
                    Connection connection = DriverManager.getConnection(jdbcUrl, "postgres", "postgres");
                    synchronized (connections) {
                        connections.add(connection);
                    }
                    return connection.prepareStatement("INSERT INTO bench_raw_insert (key, payload) VALUES (?, ?)");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        }

        boolean insert() throws Exception {
            PreparedStatement insert = statements.get();
            insert.setString(1, UUID.randomUUID().toString());
            insert.setBytes(2, payload);
            return insert.executeUpdate() == 1;
        }

        @Override
        public void close() throws Exception {
            for (Connection connection : connections) {
                connection.close();
            }
        }
    }
}
