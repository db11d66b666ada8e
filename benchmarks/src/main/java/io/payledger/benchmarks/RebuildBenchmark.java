package io.payledger.benchmarks;

import io.payledger.localstack.traffic.PaymentTraffic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.payledger.localstack.LocalStack;
import io.payledger.localstack.events.SyntheticLog;
import io.payledger.localstack.tokens.DevTokens;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;

/**
 * Rebuild speed: writes {@code bench.events} events (whole payment histories, {@link SyntheticLog})
 * onto the topic as fast as it can, lets the live projection catch up (its catch-up rate is printed
 * too), then rebuilds the read models from the start of the log through the operator API and
 * prints the records read per second and whether the rebuild equals the live model.
 *
 * <pre>./mvnw -Pbench -Dbench.main=io.payledger.benchmarks.RebuildBenchmark -Dbench.events=100000</pre>
 */
public final class RebuildBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OPERATOR = DevTokens.withRoles("bench-operator", "operator");

    public static void main(String[] args) throws Exception {
        long events = Long.getLong("bench.events", 100_000);
        LocalStack stack = new LocalStack(LocalStack.Ports.standard());
        try {
            stack.startReadSide();
            LiveLog log = writeAndAwaitLive(stack, events);
            System.out.printf("%n%d events written onto the topic in %d ms (%d/s); the live projection had applied them all"
                            + " after %d ms: %d events/s.%n", log.sent(), (log.written() - log.start()) / 1_000_000,
                    log.sent() * 1_000_000_000L / (log.written() - log.start()), (log.applied() - log.start()) / 1_000_000,
                    (long) log.liveEventsPerSecond());

            Outcome outcome = rebuildAndCompare();
            System.out.printf("rebuild: %d records read at %d records/s, %d events applied; equal to the live model: %s%n",
                    outcome.recordsRead(), outcome.recordsPerSecond(), outcome.eventsApplied(), outcome.equal());
            System.out.println(outcome.comparison());
        } finally {
            stack.stop();
        }
        System.exit(0);
    }

    /** What a finished rebuild reports. */
    record Outcome(long recordsRead, long recordsPerSecond, long eventsApplied, String equal, String comparison) { }

    /** Starts a rebuild of every read model through the operator API and waits until it has compared. */
    static Outcome rebuildAndCompare() throws Exception {
        HttpResponse<String> started = PaymentTraffic.HTTP.send(HttpRequest.newBuilder(
                        URI.create("http://localhost:8100/v1/admin/projections/read-models/rebuild"))
                .header("Authorization", "Bearer " + OPERATOR).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        if (started.statusCode() != 202) {
            throw new IllegalStateException("rebuild answered " + started.statusCode() + ": " + started.body());
        }
        URI report = URI.create("http://localhost:8100" + started.headers().firstValue("Location").orElseThrow());
        JsonNode status;
        do {
            Thread.sleep(500);
            status = JSON.readTree(PaymentTraffic.HTTP.send(HttpRequest.newBuilder(report)
                    .header("Authorization", "Bearer " + OPERATOR).GET().build(), HttpResponse.BodyHandlers.ofString()).body());
        } while (status.get("status").asText().equals("running") || status.get("status").asText().equals("comparing"));
        return new Outcome(status.get("progress").get("recordsRead").asLong(), status.get("progress").get("recordsPerSecond").asLong(),
                status.get("progress").get("eventsApplied").asLong(), status.path("equal").asText(),
                JSON.writerWithDefaultPrettyPrinter().writeValueAsString(status.path("comparison")));
    }

    /** A synthetic log written onto the topic: how many events, and when writing started, ended and was all applied (nanoTime). */
    record LiveLog(long sent, long start, long written, long applied) {
        double liveEventsPerSecond() {
            return sent * 1e9 / (applied - start);
        }
    }

    /** Writes whole payment histories until there are {@code events}, then waits for the live projection to apply them. */
    static LiveLog writeAndAwaitLive(LocalStack stack, long events) throws Exception {
        long sent = 0;
        long start = System.nanoTime();
        try (SyntheticLog log = new SyntheticLog(stack.kafkaBootstrapServers(), "payledger.payment-events")) {
            while (sent < events) {
                sent += log.sendPayment("bench-merchant-" + (sent % 7), Instant.now());
            }
            log.flush();
        }
        long written = System.nanoTime();
        return new LiveLog(sent, start, written, QueryMetrics.awaitApplied(sent, 3_600_000));
    }
}
