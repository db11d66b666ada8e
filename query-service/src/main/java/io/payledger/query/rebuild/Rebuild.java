package io.payledger.query.rebuild;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/** One rebuild's progress and outcome, updated by the thread that runs it and read by anyone. */
public final class Rebuild {

    public enum Status { RUNNING, COMPARING, COMPLETED, FAILED }

    private final String id;
    private final String projection;
    private final String schema;
    private final Instant startedAt;
    private final AtomicLong recordsRead = new AtomicLong();
    private final AtomicLong eventsApplied = new AtomicLong();
    private final AtomicLong eventsFolded = new AtomicLong();
    private volatile long recordsTotal = -1;
    private volatile Status status = Status.RUNNING;
    private volatile Instant readAt;
    private volatile Instant finishedAt;
    private volatile ReadModelComparison.Result comparison;
    private volatile boolean liveCaughtUp;
    private volatile String failure;

    Rebuild(String id, String projection, String schema, Instant startedAt) {
        this.id = id;
        this.projection = projection;
        this.schema = schema;
        this.startedAt = startedAt;
    }

    void reading(long records) {
        recordsTotal = records;
    }

    void read(int records) {
        recordsRead.addAndGet(records);
    }

    /** The events the rebuild recorded in its audit trail, each once. */
    void applied(long events) {
        eventsApplied.set(events);
    }

    void folded(long events) {
        eventsFolded.addAndGet(events);
    }

    void comparing(Instant now) {
        readAt = now;
        status = Status.COMPARING;
    }

    void completed(ReadModelComparison.Result result, boolean caughtUp, Instant now) {
        comparison = result;
        liveCaughtUp = caughtUp;
        finishedAt = now;
        status = Status.COMPLETED;
    }

    void failed(String reason, Instant now) {
        failure = reason;
        finishedAt = now;
        status = Status.FAILED;
    }

    boolean isFinished() {
        return status == Status.COMPLETED || status == Status.FAILED;
    }

    /** Reading the log is the first half of the work, folding the payments from the audit trail the second. */
    double progress() {
        long total = recordsTotal;
        if (isFinished() || status == Status.COMPARING) {
            return 1;
        }
        if (total <= 0) {
            return 0;
        }
        double reading = Math.min(1, (double) recordsRead.get() / total);
        long events = eventsApplied.get();
        double folding = events <= 0 ? 0 : Math.min(1, (double) eventsFolded.get() / events);
        return Math.min(0.99, (reading + folding) / 2);
    }

    /** Log records per second from the start until the tables were ready to compare (the rebuild speed). */
    long recordsPerSecond() {
        Instant end = readAt;
        Duration elapsed = Duration.between(startedAt, end == null ? Instant.now() : end);
        return elapsed.toMillis() <= 0 ? 0 : recordsRead.get() * 1000 / elapsed.toMillis();
    }

    public String id() {
        return id;
    }

    public String projection() {
        return projection;
    }

    public String schema() {
        return schema;
    }

    public Instant startedAt() {
        return startedAt;
    }

    public Status status() {
        return status;
    }

    long recordsRead() {
        return recordsRead.get();
    }

    long recordsTotal() {
        return recordsTotal;
    }

    long eventsApplied() {
        return eventsApplied.get();
    }

    Instant readAt() {
        return readAt;
    }

    Instant finishedAt() {
        return finishedAt;
    }

    ReadModelComparison.Result comparison() {
        return comparison;
    }

    boolean liveCaughtUp() {
        return liveCaughtUp;
    }

    String failure() {
        return failure;
    }
}
