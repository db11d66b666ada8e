package io.payledger.command.audit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.payledger.events.audit.LogVerification;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Verifies the event store itself against the checkpoints on the checkpoint topic, read-only: each
 * checkpoint is checked (signature, chain, digest), then the rows it covers are matched to what it sealed,
 * then the rows after the newest checkpoint are checked against their own chains. It runs in the background,
 * one at a time per replica, in one read-only snapshot of the store, and writes its progress as it goes (in
 * transactions of its own).
 */
public class StoreVerifications implements AutoCloseable {

    public static final String KIND = "store-verification";
    private static final Logger log = LoggerFactory.getLogger(StoreVerifications.class);
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(2);

    public record Progress(long eventsChecked, long eventsToCheck, long checkpointsRead) { }

    private final CheckpointTopic topic;
    private final EventStoreRows rows;
    private final AuditJobs jobs;
    private final List<PublicKey> keys;
    private final TransactionTemplate readOnly;
    private final MeterRegistry meters;
    private final ThreadPoolExecutor worker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(4), runnable -> {
                Thread thread = new Thread(runnable, "store-verification");
                thread.setDaemon(true);
                return thread;
            });

    public StoreVerifications(CheckpointTopic topic, EventStoreRows rows, AuditJobs jobs, List<PublicKey> keys,
                              TransactionTemplate readOnly, MeterRegistry meters) {
        this.topic = topic;
        this.rows = rows;
        this.jobs = jobs;
        this.keys = keys;
        this.readOnly = readOnly;
        this.meters = meters;
        verified(true);
        verified(false); // both at zero from the start
    }

    private Counter verified(boolean intact) {
        return Counter.builder("payledger.audit.store.verifications").tag("intact", Boolean.toString(intact))
                .description("verifications of the event store against its checkpoints").register(meters);
    }

    /** Starts a verification; {@link RejectedExecutionException} when this replica has too many waiting. */
    public UUID start(String requestedBy) {
        UUID id = jobs.create(KIND, requestedBy, java.util.Map.of(), "running");
        try {
            worker.execute(() -> run(id));
        } catch (RejectedExecutionException busy) {
            jobs.finish(id, "refused", null, java.util.Map.of("reason", "too many verifications waiting on this replica"));
            throw busy;
        }
        return id;
    }

    /** Runs a verification here and now (tests and tools). */
    public LogVerification.Report verifyNow() {
        return verify(progress -> { });
    }

    private void run(UUID id) {
        try {
            LogVerification.Report report = verify(progress -> jobs.progress(id, progress));
            jobs.finish(id, "finished", new Progress(report.eventsChecked(), report.eventsChecked(), report.checkpointsVerified()),
                    report);
            verified(report.intact()).increment();
            if (!report.intact()) {
                log.error("verification {} of the event store found {}", id, report.counts());
            }
        } catch (RuntimeException e) {
            log.error("verification {} of the event store failed: {}", id, e.toString());
            jobs.finish(id, "failed", null, java.util.Map.of("reason", String.valueOf(e.getMessage())));
        }
    }

    /**
     * The checkpoints are those on the topic before the store's snapshot is taken: each one seals only events
     * committed before it was sent, so every event it names is in the snapshot unless it was deleted. They are read
     * one at a time, each followed by the rows it covers, so memory holds one checkpoint.
     */
    private LogVerification.Report verify(java.util.function.Consumer<Progress> onProgress) {
        long checkpointsEnd = topic.end();
        return readOnly.execute(status -> {
            long newest = rows.newestPosition();
            long toCheck = rows.count(0, newest);
            LogVerification verification = LogVerification.ofWholeLog(keys);
            Instant[] reported = {Instant.now()};
            long[] read = {0};
            java.util.function.Consumer<io.payledger.events.audit.StoredEvent> check = event -> {
                verification.event(event);
                if (Instant.now().isAfter(reported[0].plus(PROGRESS_EVERY))) {
                    reported[0] = Instant.now();
                    onProgress.accept(new Progress(verification.eventsChecked(), toCheck, read[0]));
                }
            };
            long[] position = {0};
            topic.checkpoints(checkpointsEnd, checkpoint -> {
                verification.checkpoint(checkpoint);
                read[0]++;
                long to = Math.max(position[0], checkpoint.position());
                rows.read(position[0], to, null, check);
                position[0] = to;
            });
            rows.read(position[0], newest, null, check);
            return verification.finish();
        });
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
