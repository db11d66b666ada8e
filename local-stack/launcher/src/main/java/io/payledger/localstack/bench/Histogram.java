package io.payledger.localstack.bench;

import java.util.concurrent.atomic.AtomicLongArray;

/** Latencies in 10-microsecond buckets up to 10 s: exact enough for p50/p99, and lock-free. */
public final class Histogram {
    private static final long BUCKET_NANOS = 10_000;
    private final AtomicLongArray buckets = new AtomicLongArray(1_000_001);

    void record(long nanos) {
        buckets.incrementAndGet((int) Math.min(nanos / BUCKET_NANOS, buckets.length() - 1));
    }

    long count() {
        long total = 0;
        for (int i = 0; i < buckets.length(); i++) {
            total += buckets.get(i);
        }
        return total;
    }

    double percentileMillis(double percentile) {
        long target = (long) Math.ceil(count() * percentile / 100.0);
        long seen = 0;
        for (int i = 0; i < buckets.length(); i++) {
            seen += buckets.get(i);
            if (seen >= target && seen > 0) {
                return (i + 1) * BUCKET_NANOS / 1e6;
            }
        }
        return 0;
    }
}
