package io.payledger.benchmarks;

import io.payledger.localstack.traffic.PaymentTraffic;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads query-service's own figures from its Prometheus endpoint, as an operator's dashboard would. */
final class QueryMetrics {

    private static final URI PROMETHEUS = URI.create("http://localhost:8101/actuator/prometheus");

    private QueryMetrics() {
    }

    static List<String> lines(String prefix) throws Exception {
        return PaymentTraffic.HTTP.send(HttpRequest.newBuilder(PROMETHEUS).GET().build(), HttpResponse.BodyHandlers.ofString())
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

    private static final Pattern LAG_BUCKET =
            Pattern.compile("^payledger_projection_lag_seconds_bucket\\{.*le=\"([^\"]+)\".*\\} (\\S+)$");

    /** query-service's projection-lag histogram as it stands: cumulative counts per upper bound (seconds). */
    static LagHistogram lag() throws Exception {
        List<double[]> buckets = new ArrayList<>();
        for (String line : lines("payledger_projection_lag_seconds_bucket")) {
            Matcher m = LAG_BUCKET.matcher(line);
            if (m.matches() && !m.group(1).equals("+Inf")) {
                buckets.add(new double[] {Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2))});
            }
        }
        return new LagHistogram(buckets);
    }

    /** Cumulative buckets of the lag histogram; two readings subtract to the events applied in between. */
    record LagHistogram(List<double[]> buckets) {

        LagHistogram since(LagHistogram earlier) {
            List<double[]> diff = new ArrayList<>();
            for (int i = 0; i < buckets.size(); i++) {
                double before = i < earlier.buckets.size() ? earlier.buckets.get(i)[1] : 0;
                diff.add(new double[] {buckets.get(i)[0], buckets.get(i)[1] - before});
            }
            return new LagHistogram(diff);
        }

        long count() {
            return buckets.isEmpty() ? 0 : (long) buckets.get(buckets.size() - 1)[1];
        }

        /** The upper bound (ms) of the bucket holding the q-quantile: "p99 <= this". */
        long quantileMillis(double q) {
            double wanted = q * count();
            for (double[] bucket : buckets) {
                if (bucket[1] >= wanted) {
                    return Math.round(bucket[0] * 1000);
                }
            }
            return -1;
        }

        String describe() {
            return String.format("%,d events: lag p50 <= %,d ms, p95 <= %,d ms, p99 <= %,d ms (bucket upper bounds)",
                    count(), quantileMillis(0.50), quantileMillis(0.95), quantileMillis(0.99));
        }
    }
}
