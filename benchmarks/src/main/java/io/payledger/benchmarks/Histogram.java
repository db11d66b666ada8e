package io.payledger.benchmarks;

import java.util.concurrent.atomic.AtomicLongArray;

/** Latencies in a million buckets (10 microseconds wide by default, so up to 10 s): exact enough for p50/p99, and lock-free. */
public final class Histogram {
    private final long bucketNanos;
    private final AtomicLongArray buckets = new AtomicLongArray(1_000_001);

    Histogram() {
        this(10_000);
    }

    /** Buckets of the given width; 1 ms buckets reach 1,000 s. */
    Histogram(long bucketNanos) {
        this.bucketNanos = bucketNanos;
    }

    void record(long nanos) {
        buckets.incrementAndGet((int) Math.min(nanos / bucketNanos, buckets.length() - 1));
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
                return (i + 1) * bucketNanos / 1e6;
            }
        }
        return 0;
    }
}
