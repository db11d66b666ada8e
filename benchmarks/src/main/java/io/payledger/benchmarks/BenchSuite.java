package io.payledger.benchmarks;

import io.payledger.localstack.traffic.PaymentTraffic;

import io.payledger.localstack.LocalStack;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every performance figure in one run on one machine, written as {@code target/bench/report.md} with PNG
 * charts beside it: payment creations at 16 and 64 clients beside raw PostgreSQL inserts of the same
 * row; end-to-end latency from creation to {@code captured} as the query API shows it, at a fixed rate;
 * projection lag over that run; {@code GET /v1/payments/{id}} throughput; each service's start-up time and
 * resident memory; then a rebuild of the read models from a log of {@code bench.events} events.
 *
 * <pre>benchmarks/run   (or ./mvnw -Pbench -Dbench.main=io.payledger.benchmarks.BenchSuite)
 *      settings: -Dbench.seconds=30 -Dbench.warmup=10 -Dbench.rate=100 -Dbench.events=1000000</pre>
 */
public final class BenchSuite {

    private static final Pattern BUCKET = Pattern.compile("^payledger_projection_lag_seconds_bucket\\{.*le=\"([^\"]+)\".*} (\\S+)$");

    private final Duration measured = Duration.ofSeconds(Integer.getInteger("bench.seconds", 30));
    private final Duration warmup = Duration.ofSeconds(Integer.getInteger("bench.warmup", 10));
    private final int rate = Integer.getInteger("bench.rate", 100);
    private final long events = Long.getLong("bench.events", 1_000_000);
    private final Path out;
    private final StringBuilder report = new StringBuilder();
    private final List<String> charts = new ArrayList<>();

    private BenchSuite(Path out) {
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        Path home = Path.of(System.getProperty("payledger.home", ".")).toAbsolutePath();
        Path out = home.resolve("target/bench");
        Files.createDirectories(out);
        new BenchSuite(out).run();
        System.out.println("\nReport: " + out.resolve("report.md"));
        System.exit(0);
    }

    private void run() throws Exception {
        report.append("# PayLedger benchmark, ").append(LocalDate.now()).append("\n\n")
                .append("One run on one machine: %d cores, %d MiB for this JVM, Java %s, %s. Every service in its own JVM, "
                        .formatted(Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20,
                                System.getProperty("java.version"), System.getProperty("os.name")))
                .append("embedded PostgreSQL (fsync on), Kafka and Redis, and the load generator, all on the same cores. ")
                .append("Reproduce with `benchmarks/run`.\n\n");
        LocalStack stack = new LocalStack(LocalStack.Ports.standard());
        try {
            long started = System.nanoTime();
            // the status reads come from one merchant as fast as 32 clients can: its limit is raised past what two
            // cores serve, so that they measure the read path and not the limiter's 429s (the limiter still runs)
            stack.start(StatusReadBenchmark.UNLIMITED_MERCHANT);
            long wholeStack = (System.nanoTime() - started) / 1_000_000;
            creations(stack);
            awaitQuiet();
            statusReads();
            awaitQuiet();
            report.append("## End to end, and projection lag\n\n")
                    .append("Payments at a fixed rate for %d s (automatic capture): create, read the checkout from the query API, ".formatted(measured.toSeconds()))
                    .append("the customer pays on the sandbox's page at once, then read until the query API says `captured` (polling after 20 ms, backing off by half each time up to 250 ms, so a slow system is not flooded). ")
                    .append("Target: p99 under 500 ms at 100 a second; also run at a fifth of that rate. Projection lag target: p99 under 100 ms. ")
                    .append("Lag quantiles come from query-service's histogram buckets, interpolated linearly as Prometheus does.\n\n")
                    .append("| rate | completed | failed | p50 ms | p95 ms | p99 ms | projection lag p50 / p95 / p99 ms (events) |\n")
                    .append("|---|---|---|---|---|---|---|\n");
            endToEnd(Math.max(1, rate / 5));
            awaitQuiet();
            endToEnd(rate);
            awaitQuiet();
            report.append('\n');
            charts.forEach(chart -> report.append(chart));
            report.append('\n');
            services(stack, wholeStack);
        } finally {
            stack.stop();
        }
        rebuild();
        Files.writeString(out.resolve("report.md"), report);
    }

    private void creations(LocalStack stack) throws Exception {
        Map<Integer, CreationBenchmark.Result[]> results = new LinkedHashMap<>();
        for (int clients : new int[] {16, 64}) {
            CreationBenchmark.run("warm-up", clients, warmup, CreationBenchmark::createPayment);
            CreationBenchmark.Result api = CreationBenchmark.run("POST /v1/payments, " + clients + " clients", clients,
                    measured, CreationBenchmark::createPayment);
            int rowBytes = CreationBenchmark.storedRowBytes(stack.postgresJdbcUrl());
            try (CreationBenchmark.RawInserts raw = new CreationBenchmark.RawInserts(stack.postgresJdbcUrl(), rowBytes, clients)) {
                CreationBenchmark.run("warm-up", clients, warmup, raw::insert);
                CreationBenchmark.Result insert = CreationBenchmark.run("raw INSERT " + rowBytes + " B, " + clients + " clients",
                        clients, measured, raw::insert);
                results.put(clients, new CreationBenchmark.Result[] {api, insert});
            }
        }
        report.append("## Payment creations beside raw PostgreSQL inserts\n\n")
                .append("`POST /v1/payments` (each a new payment: event, merchant reference, idempotency record, then the ")
                .append("saga's checkout), and single-row autocommit INSERTs of a row as large as a stored creation event, ")
                .append("on the same PostgreSQL, %d s each after %d s of warm-up.\n\n".formatted(measured.toSeconds(), warmup.toSeconds()))
                .append("| what | per second | p50 ms | p99 ms | errors |\n|---|---|---|---|---|\n");
        results.values().forEach(pair -> report.append(pair[0].row()).append('\n').append(pair[1].row()).append('\n'));
        report.append('\n');
        results.forEach((clients, pair) -> report.append("- %d clients: creations at **%.1f%%** of the raw insert rate (target: 50%%).\n"
                .formatted(clients, 100 * pair[0].perSecond() / pair[1].perSecond())));
        LineChart latency = new LineChart("Creation latency by percentile", "percentile", "ms");
        LineChart throughput = new LineChart("Creations per second over the run", "second", "creations/s");
        results.forEach((clients, pair) -> {
            latency.addPercentiles(clients + " clients", pair[0].latencies());
            throughput.addThroughput(clients + " clients", pair[0].throughput());
        });
        latency.write(out.resolve("creation-latency.png"));
        throughput.write(out.resolve("creation-throughput.png"));
        report.append("\n![creation latency](creation-latency.png)\n![creation throughput](creation-throughput.png)\n\n");
    }

    private void statusReads() throws Exception {
        List<String> payments = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            payments.add(PaymentTraffic.create("R"));
        }
        for (String id : payments) {
            while (read(id, "?consistentWith=0") != 200) {
                Thread.sleep(50);
            }
        }
        int clients = 32;
        CreationBenchmark.Operation get = () -> read(payments.get(ThreadLocalRandom.current().nextInt(payments.size())), "") == 200;
        CreationBenchmark.run("warm-up", clients, warmup, get);
        CreationBenchmark.Result reads = CreationBenchmark.run("GET /v1/payments/{id}, " + clients + " clients", clients, measured, get);
        report.append("## Status reads\n\n`GET /v1/payments/{id}` of 200 payments, %d clients, %d s (target: 10,000/s).\n\n"
                        .formatted(clients, measured.toSeconds()))
                .append("| what | per second | p50 ms | p99 ms | errors |\n|---|---|---|---|---|\n")
                .append(reads.row()).append("\n\n");
        new LineChart("Status reads", "second", "reads/s").addThroughput("GET /v1/payments/{id}", reads.throughput())
                .write(out.resolve("status-reads.png"));
        report.append("![status reads](status-reads.png)\n\n");
    }

    /** Payments at a fixed rate from creation to captured, as a merchant polling the query API sees them. */
    private void endToEnd(int rate) throws Exception {
        Map<Double, Double> lagBefore = lagBuckets();
        Histogram latencies = new Histogram(1_000_000);
        AtomicInteger failures = new AtomicInteger();
        ExecutorService flows = Executors.newFixedThreadPool(256);
        ScheduledExecutorService pace = Executors.newSingleThreadScheduledExecutor();
        long total = (long) rate * measured.toSeconds();
        AtomicInteger launched = new AtomicInteger();
        AtomicLongArray bySecond = new AtomicLongArray((int) measured.toSeconds() + 120);
        long start = System.nanoTime();
        pace.scheduleAtFixedRate(() -> {
            if (launched.incrementAndGet() <= total) {
                flows.submit(() -> {
                    long t0 = System.nanoTime();
                    try {
                        PaymentTraffic.onePaymentToCaptured();
                        long done = System.nanoTime();
                        latencies.record(done - t0);
                        bySecond.incrementAndGet((int) Math.min((done - start) / 1_000_000_000L, bySecond.length() - 1));
                    } catch (Exception e) {
                        failures.incrementAndGet();
                    }
                });
            }
        }, 0, 1_000_000 / rate, TimeUnit.MICROSECONDS);
        Thread.sleep(measured.toMillis());
        pace.shutdown();
        flows.shutdown();
        flows.awaitTermination(3, TimeUnit.MINUTES);
        Map<Double, Double> lagAfter = lagBuckets();
        System.out.printf("end to end at %d/s: %d completed, %d failed, p50 %.0f ms, p99 %.0f ms%n", rate, latencies.count(),
                failures.get(), latencies.percentileMillis(50), latencies.percentileMillis(99));

        report.append("| %d/s | %d | %d | %.0f | %.0f | %.0f | %.0f / %.0f / %.0f (%.0f) |\n".formatted(rate, latencies.count(),
                failures.get(), latencies.percentileMillis(50), latencies.percentileMillis(95), latencies.percentileMillis(99),
                quantile(lagBefore, lagAfter, 0.5) * 1000, quantile(lagBefore, lagAfter, 0.95) * 1000,
                quantile(lagBefore, lagAfter, 0.99) * 1000, count(lagBefore, lagAfter)));
        long[] series = new long[(int) measured.toSeconds() + 30];
        for (int i = 0; i < series.length; i++) {
            series[i] = bySecond.get(i);
        }
        new LineChart("Creation to captured at " + rate + "/s, by percentile", "percentile", "ms")
                .addPercentiles(rate + " payments/s", latencies).write(out.resolve("end-to-end-latency-" + rate + ".png"));
        new LineChart("Payments reaching captured per second (offered " + rate + "/s)", "second", "payments/s")
                .addThroughput("captured", series).write(out.resolve("end-to-end-throughput-" + rate + ".png"));
        charts.add("![end to end at %d/s](end-to-end-latency-%d.png)\n![captured per second at %d/s](end-to-end-throughput-%d.png)\n"
                .formatted(rate, rate, rate, rate));
    }

    /** Waits until the saga and the projections have caught up with the topic, so one phase's backlog does not load the next. */
    static void awaitQuiet() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        int quietScrapes = 0;
        while (quietScrapes < 3 && System.nanoTime() < deadline) {
            double lag = consumerLag(8091) + consumerLag(8101);
            quietScrapes = lag == 0 ? quietScrapes + 1 : 0;
            Thread.sleep(1000);
        }
    }

    private static double consumerLag(int managementPort) throws Exception {
        return PaymentTraffic.HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + managementPort + "/actuator/prometheus"))
                        .GET().build(), HttpResponse.BodyHandlers.ofString()).body().lines()
                .filter(line -> line.startsWith("payledger_events_consumer_lag_records"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    private void services(LocalStack stack, long wholeStackMillis) throws IOException {
        report.append("## Services: start-up and resident memory\n\n")
                .append("All services start at once, so each start-up time includes waiting for the 2 cores the others ")
                .append("use. The whole stack (servers, then services) was ready in %.1f s. Resident memory (VmRSS) is read after the load above.\n\n"
                        .formatted(wholeStackMillis / 1000.0))
                .append(ServiceFigures.table(stack)).append('\n')
                .append("Each service stopped and started again alone, while the rest of the stack idles (`StartupBenchmark` ")
                .append("does three rounds): from launching its JVM until its readiness answered.\n\n")
                .append("| service | ready after s, alone |\n|---|---|\n");
        for (String service : List.of("command-service", "gateway-saga", "query-service")) {
            report.append("| %s | %.1f |\n".formatted(service, stack.restartAlone(service).toMillis() / 1000.0));
        }
        report.append('\n');
    }

    private void rebuild() throws Exception {
        LocalStack stack = new LocalStack(LocalStack.Ports.standard());
        try {
            stack.startReadSide();
            RebuildBenchmark.LiveLog log = RebuildBenchmark.writeAndAwaitLive(stack, events);
            long sent = log.sent();
            double live = log.liveEventsPerSecond();
            RebuildBenchmark.Outcome rebuilt = RebuildBenchmark.rebuildAndCompare();
            report.append("## Rebuild\n\n")
                    .append("%,d events of whole payment histories written onto the topic; the live projection applied them at %,.0f events/s. ".formatted(sent, live))
                    .append("Then a rebuild of every read model from the topic into shadow tables, compared with the live ones (target: 50,000 events/s).\n\n")
                    .append("| what | records read | events applied | records/s | equal to live |\n|---|---|---|---|---|\n")
                    .append("| rebuild | %,d | %,d | %,d | %s |\n\n".formatted(rebuilt.recordsRead(), rebuilt.eventsApplied(),
                            rebuilt.recordsPerSecond(), rebuilt.equal()));
        } finally {
            stack.stop();
        }
    }

    private static int read(String id, String query) throws Exception {
        return PaymentTraffic.HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:8100/v1/payments/" + id + query))
                .header("Authorization", "Bearer " + PaymentTraffic.MERCHANT_TOKEN).GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** Cumulative counts of the projection-lag histogram by upper bound in seconds, summed over its series. */
    private static Map<Double, Double> lagBuckets() throws Exception {
        Map<Double, Double> buckets = new TreeMap<>();
        for (String line : QueryMetrics.lines("payledger_projection_lag_seconds_bucket")) {
            Matcher bucket = BUCKET.matcher(line);
            if (bucket.matches()) {
                double le = bucket.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(bucket.group(1));
                buckets.merge(le, Double.parseDouble(bucket.group(2)), Double::sum);
            }
        }
        return buckets;
    }

    private static double count(Map<Double, Double> before, Map<Double, Double> after) {
        return after.getOrDefault(Double.POSITIVE_INFINITY, 0.0) - before.getOrDefault(Double.POSITIVE_INFINITY, 0.0);
    }

    /** A quantile of what the histogram counted between two scrapes, as Prometheus's histogram_quantile takes it. */
    static double quantile(Map<Double, Double> before, Map<Double, Double> after, double q) {
        double total = count(before, after);
        if (total <= 0) {
            return Double.NaN;
        }
        double rank = q * total;
        double previousBound = 0;
        double previousCount = 0;
        for (Map.Entry<Double, Double> bucket : after.entrySet()) {
            double cumulative = bucket.getValue() - before.getOrDefault(bucket.getKey(), 0.0);
            if (cumulative >= rank) {
                if (bucket.getKey().isInfinite()) {
                    return previousBound;
                }
                double inBucket = cumulative - previousCount;
                return previousBound + (bucket.getKey() - previousBound) * (inBucket == 0 ? 1 : (rank - previousCount) / inBucket);
            }
            previousBound = bucket.getKey();
            previousCount = cumulative;
        }
        return previousBound;
    }
}
