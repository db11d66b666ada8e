package io.payledger.benchmarks;

import io.payledger.localstack.traffic.PaymentTraffic;

import io.payledger.localstack.LocalStack;
import io.payledger.localstack.events.SyntheticLog;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Projection lag (an event's occurrence to its projection, as query-service's own
 * {@code payledger_projection_lag_seconds} records it) under a steady event rate.
 *
 * <ul>
 *   <li>{@code -Dbench.stack=read-side} (the default) measures the projection alone: PostgreSQL, Kafka,
 *       Redis and query-service run, and whole payment histories are written onto the topic in
 *       command-service's format ({@link SyntheticLog}) at the given event rate;</li>
 *   <li>{@code -Dbench.stack=whole} runs everything and creates payments through the API; each
 *       creation yields two events (initiated, and checkout prepared by the saga), so the lag
 *       includes publishing and the saga.</li>
 * </ul>
 *
 * The lag is reported for the whole run and for the run after its first {@code bench.warmup} seconds
 * (10 by default), when query-service has joined the topic and warmed up.
 *
 * <pre>./mvnw -Pbench -Dbench.main=io.payledger.benchmarks.ProjectionLagBenchmark -Dbench.rate=200 -Dbench.seconds=60</pre>
 */
public final class ProjectionLagBenchmark {

    public static void main(String[] args) throws Exception {
        int rate = Integer.getInteger("bench.rate", 200);
        int seconds = Integer.getInteger("bench.seconds", 60);
        int warmup = Integer.getInteger("bench.warmup", 10);
        boolean whole = "whole".equals(System.getProperty("bench.stack", "read-side"));
        LocalStack stack = new LocalStack(LocalStack.Ports.standard());
        try {
            long sent;
            if (whole) {
                stack.start();
                sent = throughTheApi(rate, seconds, warmup);
            } else {
                stack.startReadSide();
                sent = ontoTheTopic(stack.kafkaBootstrapServers(), rate, seconds, warmup);
            }
            long waitedFrom = System.nanoTime();
            QueryMetrics.awaitApplied(sent, 300_000);
            System.out.printf("%n%s: %d events/s offered for %d s, %d events; all applied %d ms after the last was sent.%n",
                    whole ? "whole stack, payments created through the API" : "read side alone, events written onto the topic",
                    rate, seconds, sent, (System.nanoTime() - waitedFrom) / 1_000_000);
            QueryMetrics.LagHistogram all = QueryMetrics.lag();
            System.out.println("whole run:          " + all.describe());
            System.out.println("after the warm-up:  " + all.since(afterWarmup).describe());
            System.out.println("query-service reports:");
            QueryMetrics.lines("payledger_projection_").forEach(line -> System.out.println("  " + line));
        } finally {
            stack.stop();
        }
        System.exit(0);
    }

    /** Whole payment histories at {@code rate} events per second, each event timestamped as it is sent. */
    /** The lag histogram as it stood when the warm-up ended. */
    private static volatile QueryMetrics.LagHistogram afterWarmup = new QueryMetrics.LagHistogram(java.util.List.of());

    private static void markWarmupEnd(ScheduledExecutorService timer, int warmup) {
        timer.schedule(() -> {
            try {
                afterWarmup = QueryMetrics.lag();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, warmup, TimeUnit.SECONDS);
    }

    private static long ontoTheTopic(String kafka, int rate, int seconds, int warmup) throws Exception {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        markWarmupEnd(timer, warmup);
        long sent = 0;
        try (SyntheticLog log = new SyntheticLog(kafka, "payledger.payment-events")) {
            long start = System.nanoTime();
            long end = start + TimeUnit.SECONDS.toNanos(seconds);
            while (System.nanoTime() < end) {
                long due = (System.nanoTime() - start) * rate / 1_000_000_000L;
                while (sent < due) {
                    sent += log.sendPayment("bench-merchant", Instant.now());
                }
                log.flush();
                Thread.sleep(5);
            }
            log.flush();
        }
        timer.shutdown();
        return sent;
    }

    private static long throughTheApi(int rate, int seconds, int warmup) throws Exception {
        AtomicInteger failures = new AtomicInteger();
        ExecutorService senders = Executors.newFixedThreadPool(64);
        ScheduledExecutorService pace = Executors.newSingleThreadScheduledExecutor();
        int creations = Math.max(1, rate / 2);
        long total = (long) creations * seconds;
        AtomicInteger started = new AtomicInteger();
        markWarmupEnd(pace, warmup);
        pace.scheduleAtFixedRate(() -> {
            if (started.incrementAndGet() <= total) {
                senders.submit(() -> {
                    try {
                        PaymentTraffic.create("L");
                    } catch (Exception e) {
                        failures.incrementAndGet();
                    }
                });
            }
        }, 0, 1_000_000 / creations, TimeUnit.MICROSECONDS);
        Thread.sleep(seconds * 1000L);
        pace.shutdown();
        senders.shutdown();
        senders.awaitTermination(1, TimeUnit.MINUTES);
        if (failures.get() > 0) {
            System.out.println(failures.get() + " creations failed");
        }
        return 2 * (total - failures.get());
    }
}
