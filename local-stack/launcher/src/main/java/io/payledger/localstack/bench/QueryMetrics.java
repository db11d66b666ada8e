package io.payledger.localstack.bench;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

/** Reads query-service's own figures from its Prometheus endpoint, as an operator's dashboard would. */
final class QueryMetrics {

    private static final URI PROMETHEUS = URI.create("http://localhost:8101/actuator/prometheus");

    private QueryMetrics() {
    }

    static List<String> lines(String prefix) throws Exception {
        return BenchPayments.HTTP.send(HttpRequest.newBuilder(PROMETHEUS).GET().build(), HttpResponse.BodyHandlers.ofString())
                .body().lines().filter(line -> line.startsWith(prefix)).toList();
    }

    /** The value of the first sample whose line starts with {@code prefix}, or 0. */
    static double value(String prefix) throws Exception {
        return lines(prefix).stream().findFirst().map(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .orElse(0.0);
    }

    static long eventsApplied() throws Exception {
        return (long) value("payledger_projection_events_total");
    }

    /** Waits until query-service has applied {@code events} in all, or the patience runs out; returns when it got there (nanoTime). */
    static long awaitApplied(long events, long patienceMillis) throws Exception {
        long deadline = System.currentTimeMillis() + patienceMillis;
        while (eventsApplied() < events) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("query-service applied " + eventsApplied() + " of " + events + " events in time");
            }
            Thread.sleep(50);
        }
        return System.nanoTime();
    }
}
