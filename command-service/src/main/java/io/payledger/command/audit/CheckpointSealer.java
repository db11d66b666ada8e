package io.payledger.command.audit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.payledger.events.audit.Checkpoint;
import io.payledger.events.audit.CheckpointKeys;
import io.payledger.events.audit.LogDigest;
import io.payledger.events.audit.SealedEvent;
import io.payledger.events.audit.StoredEvent;
import io.payledger.events.chain.EventHashChain;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Seals the event log: when {@code interval} has passed since the newest checkpoint, or {@code events} are
 * waiting, the next checkpoint covers them (up to {@code events}), chained to the checkpoint before, signed,
 * published to the checkpoint topic and acknowledged, written to the directory if there is one, and only then
 * recorded here. Only committed positions are sealed: the sealer takes a snapshot, and seals up to the highest
 * position it sees once every transaction in progress at that snapshot has ended, so no insert still
 * committing below the sealed position is left out. One replica seals at a time (a PostgreSQL advisory lock
 * held for the round). A chain that does not hold is never sealed, and neither is anything while the topic
 * and this database disagree about the newest checkpoint: the round is refused, counted and alerted on, and
 * sealing waits for a person, because a checkpoint must only ever vouch for an intact log.
 */
public class CheckpointSealer {

    private static final Logger log = LoggerFactory.getLogger(CheckpointSealer.class);
    /** The advisory lock's key: "PLCKPT" in ASCII. */
    private static final long LOCK = 0x504C434B5054L;
    /** How long a round waits for the transactions in progress at its snapshot to end. */
    private static final Duration FENCE_WAIT = Duration.ofSeconds(1);

    /** A snapshot's first unassigned transaction id and the highest position it saw. */
    private record Fence(String xmax, long position) { }

    private enum Step { IN_STEP, ADOPTED, REFUSED }

    private final CheckpointProperties properties;
    private final CheckpointTopic topic;
    private final CheckpointStore store;
    private final EventStoreRows rows;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final PrivateKey signingKey;
    private final PublicKey publicKey;
    private final Counter sealed;
    private final Counter late;
    private final MeterRegistry meters;
    private final AtomicLong sealedPosition = new AtomicLong();
    private final AtomicLong sealedAt = new AtomicLong();
    private long lateCheckedFor;
    /** A snapshot whose transactions had not all ended when a round looked; a later round may seal up to it. */
    private volatile Fence fence;
    private final List<PublicKey> knownKeys;

    public CheckpointSealer(CheckpointProperties properties, CheckpointTopic topic, CheckpointStore store,
                            EventStoreRows rows, JdbcTemplate jdbc, TransactionTemplate transactions, Clock clock,
                            MeterRegistry meters, List<PublicKey> knownKeys) {
        this.properties = properties;
        this.topic = topic;
        this.store = store;
        this.rows = rows;
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.clock = clock;
        this.signingKey = CheckpointKeys.privateKey(properties.signingKey());
        this.publicKey = CheckpointKeys.publicKey(properties.publicKey());
        this.meters = meters;
        this.knownKeys = List.copyOf(knownKeys);
        requireAPair();
        this.sealed = Counter.builder("payledger.checkpoints.sealed").description("checkpoints sealed and published")
                .register(meters);
        this.late = Counter.builder("payledger.checkpoints.late.events")
                .description("events committed below a position already sealed: verification names them inserted")
                .register(meters);
        for (String reason : List.of("broken-chain", "topic-ahead", "topic-behind", "topic-differs", "failed")) {
            refusals(reason); // at zero from the start, so an alert on them can tell nothing from no data
        }
        Gauge.builder("payledger.checkpoints.sealed.position", sealedPosition, AtomicLong::get)
                .description("the global position the newest checkpoint covers").register(meters);
        Gauge.builder("payledger.checkpoints.newest.age", this, sealer -> sealer.newestAgeSeconds())
                .description("seconds since the newest checkpoint was sealed").baseUnit("seconds").register(meters);
        Gauge.builder("payledger.checkpoints.unsealed.events", this, sealer -> sealer.unsealedEvents())
                .description("global positions stored after the newest checkpoint").register(meters);
    }

    @Scheduled(fixedDelayString = "${payledger.checkpoints.check-every:2s}", initialDelayString = "${payledger.checkpoints.check-every:2s}")
    void sealIfDue() {
        try {
            sealNow();
        } catch (RuntimeException e) {
            refused("failed");
            log.warn("sealing the log failed; the next round tries again: {}", e.toString());
        }
    }

    /** Seals the next checkpoint if one is due; empty when none was (or another replica holds the round). */
    public Optional<Checkpoint> sealNow() {
        return transactions.execute(status -> {
            if (!Boolean.TRUE.equals(jdbc.queryForObject("SELECT pg_try_advisory_xact_lock(?)", Boolean.class, LOCK))) {
                return Optional.<Checkpoint>empty();
            }
            return sealHoldingTheLock();
        });
    }

    private Optional<Checkpoint> sealHoldingTheLock() {
        Checkpoint last = store.newest().orElse(null);
        if (last != null) {
            remember(last);
            countLateEvents(last);
        }
        long lastNumber = last == null ? 0 : last.number();
        Checkpoint pending = store.pending().orElse(null);
        if (pending != null && pending.number() <= lastNumber) {
            store.clearPending(lastNumber); // recorded, by a round that could not clear it
            pending = null;
        }
        if (pending != null && !follows(pending, last)) {
            refuse("topic-differs", "the pending checkpoint " + pending.number() + " does not follow checkpoint " + lastNumber);
            return Optional.empty();
        }
        long from = last == null ? 0 : last.position();
        List<StoredEvent> waiting = pending != null ? List.of() : rows.after(from, Long.MAX_VALUE, properties.events());
        boolean due = pending != null || waiting.size() >= properties.events()
                || !waiting.isEmpty() && (last == null || !last.sealedAt().plus(properties.interval()).isAfter(clock.instant()));
        if (!due) {
            return Optional.empty();
        }
        long committed = pending != null ? 0 : committedPosition(); // before anything here writes: an id of ours would never end
        // read again now that every insert up to the fence has ended: one committing since the look above is in it
        List<StoredEvent> sealable = pending != null || committed <= from ? List.of()
                : rows.after(from, committed, properties.events());
        if (pending == null && sealable.isEmpty() || reconcile(last, pending) != Step.IN_STEP) {
            return Optional.empty();
        }
        Checkpoint checkpoint = pending;
        if (checkpoint == null) {
            Optional<String> broken = brokenLink(sealable);
            if (broken.isPresent()) {
                refused("broken-chain");
                log.error("not sealing: {}", broken.get());
                return Optional.empty();
            }
            checkpoint = seal(last, sealable, clock.instant());
            store.savePending(checkpoint); // committed before it is sent: whoever seals next sends these bytes again
        }
        topic.publish(checkpoint);
        record(checkpoint);
        sealed.increment();
        log.info("sealed checkpoint {}: {} events up to position {}", checkpoint.number(), checkpoint.events().size(),
                checkpoint.position());
        return Optional.of(checkpoint);
    }

    private void record(Checkpoint checkpoint) {
        writeFile(checkpoint);
        store.insert(checkpoint);
        store.clearPending(checkpoint.number());
        remember(checkpoint);
    }

    /**
     * The highest position below which every insert has committed or rolled back: the newest position of a
     * snapshot once each transaction in progress at that snapshot has ended. A round waits {@link #FENCE_WAIT}
     * for its own snapshot; else it seals up to an earlier round's snapshot that has cleared meanwhile.
     */
    private long committedPosition() {
        Fence now = jdbc.queryForObject("""
                SELECT pg_snapshot_xmax(pg_current_snapshot())::text,
                       (SELECT coalesce(max(global_index), 0) FROM domain_event_entry)""",
                (row, n) -> new Fence(row.getString(1), row.getLong(2)));
        long deadline = System.nanoTime() + FENCE_WAIT.toNanos();
        while (!cleared(now)) {
            if (System.nanoTime() > deadline) {
                Fence earlier = fence;
                if (earlier == null || cleared(earlier)) {
                    fence = now; // the older one, if it has not cleared yet, clears sooner: keep it
                    return earlier == null ? 0 : earlier.position();
                }
                return 0;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 0;
            }
        }
        fence = null;
        return now.position();
    }

    private boolean cleared(Fence fence) {
        return Boolean.TRUE.equals(jdbc.queryForObject("SELECT pg_snapshot_xmin(pg_current_snapshot()) >= ?::xid8",
                Boolean.class, fence.xmax()));
    }

    /**
     * Whether the topic's newest checkpoint is the newest recorded here, the same bytes. One a failed round sent
     * but did not record is adopted when it is exactly what this log's rows would seal (and sealing goes on next
     * round); any other difference stops sealing for a person.
     */
    private Step reconcile(Checkpoint last, Checkpoint pending) {
        Checkpoint published = topic.newest().orElse(null);
        long lastNumber = last == null ? 0 : last.number();
        long publishedNumber = published == null ? 0 : published.number();
        if (publishedNumber == lastNumber) {
            if (published == null || published.hash().equals(last.hash())) {
                return Step.IN_STEP;
            }
            return refuse("topic-differs", "the checkpoint topic's checkpoint " + publishedNumber
                    + " is not the one recorded here");
        }
        if (publishedNumber == lastNumber + 1 && (pending != null && pending.hash().equals(published.hash())
                || follows(published, last) && sealsItsRows(published))) {
            record(published); // sent by a round that failed before recording it
            log.warn("adopted checkpoint {} from the topic: sent by a round that failed before recording it", publishedNumber);
            return Step.ADOPTED;
        }
        return refuse(publishedNumber > lastNumber ? "topic-ahead" : "topic-behind", "the checkpoint topic's newest"
                + " checkpoint is " + publishedNumber + " but " + lastNumber + " were sealed here");
    }

    /** Whether {@code next} is signed by a key of ours and chains to {@code last}, its digest over its own events. */
    private boolean follows(Checkpoint next, Checkpoint last) {
        if (knownKeys.stream().noneMatch(key -> CheckpointKeys.verify(next, key))
                || next.fromPosition() != (last == null ? 0 : last.position())
                || !next.previousDigest().equals(last == null ? LogDigest.GENESIS : last.digest())
                || !next.previousCheckpoint().equals(last == null ? LogDigest.GENESIS : last.hash())
                || next.totalEvents() != (last == null ? 0 : last.totalEvents()) + next.events().size()) {
            return false;
        }
        String digest = next.previousDigest();
        for (SealedEvent event : next.events()) {
            digest = LogDigest.next(digest, event);
        }
        return digest.equals(next.digest());
    }

    /** Whether {@code checkpoint} seals exactly the rows stored in its range, for one no round here has sealed. */
    private boolean sealsItsRows(Checkpoint checkpoint) {
        List<SealedEvent> stored = new ArrayList<>();
        rows.read(checkpoint.fromPosition(), checkpoint.position(), null, event -> stored.add(SealedEvent.of(event)));
        return stored.equals(checkpoint.events());
    }

    private Step refuse(String reason, String why) {
        refused(reason);
        log.error("{}; sealing stops until a person looks", why);
        return Step.REFUSED;
    }

    private Checkpoint seal(Checkpoint last, List<StoredEvent> events, Instant now) {
        String digest = last == null ? LogDigest.GENESIS : last.digest();
        List<SealedEvent> leaves = new ArrayList<>(events.size());
        for (StoredEvent event : events) {
            SealedEvent leaf = SealedEvent.of(event);
            digest = LogDigest.next(digest, leaf);
            leaves.add(leaf);
        }
        Checkpoint unsigned = new Checkpoint(last == null ? 1 : last.number() + 1, last == null ? 0 : last.position(),
                events.get(events.size() - 1).globalIndex(), (last == null ? 0 : last.totalEvents()) + leaves.size(),
                last == null ? LogDigest.GENESIS : last.digest(), digest, last == null ? LogDigest.GENESIS : last.hash(),
                now, CheckpointKeys.keyId(publicKey), leaves, null);
        return unsigned.signedWith(CheckpointKeys.sign(unsigned, signingKey));
    }

    /** The first link among {@code events} that does not hold, checked against the rows before them. */
    private Optional<String> brokenLink(List<StoredEvent> events) {
        Map<String, String> heads = previousHashes(events);
        for (StoredEvent event : events) {
            String previous = event.sequenceNumber() == 0 ? EventHashChain.GENESIS : heads.get(event.paymentId());
            if (previous == null) {
                return Optional.of("payment " + event.paymentId() + " #" + event.sequenceNumber() + " has no event before it");
            }
            if (!previous.equals(event.previousHash()) || !event.contentHash(previous).equals(event.hash())) {
                return Optional.of("payment " + event.paymentId() + " #" + event.sequenceNumber()
                        + " does not chain to the event before it");
            }
            heads.put(event.paymentId(), event.hash());
        }
        return Optional.empty();
    }

    /** Each payment's recorded hash just before its first event among {@code events}. */
    private Map<String, String> previousHashes(List<StoredEvent> events) {
        Map<String, Long> first = new HashMap<>();
        events.forEach(event -> first.putIfAbsent(event.paymentId(), event.sequenceNumber()));
        Map<String, String> heads = new HashMap<>();
        first.forEach((payment, sequence) -> {
            if (sequence > 0) {
                String hash = rows.recordedHashBefore(payment, sequence);
                if (hash != null) {
                    heads.put(payment, hash);
                }
            }
        });
        return heads;
    }

    private void countLateEvents(Checkpoint last) {
        if (lateCheckedFor == last.number()) {
            return;
        }
        lateCheckedFor = last.number();
        long stored = rows.count(last.fromPosition(), last.position());
        if (stored > last.events().size()) {
            late.increment(stored - last.events().size());
            log.error("{} events were committed below checkpoint {}'s position after it was sealed; verification names them",
                    stored - last.events().size(), last.number());
        }
    }

    private void writeFile(Checkpoint checkpoint) {
        Path directory = properties.directory();
        if (directory == null) {
            return;
        }
        try {
            Files.createDirectories(directory);
            Path file = directory.resolve("checkpoint-%010d.json".formatted(checkpoint.number()));
            if (Files.exists(file)) {
                if (java.util.Arrays.equals(Files.readAllBytes(file), checkpoint.toJson())) {
                    return; // written by the round that sent it
                }
                throw new IllegalStateException(file + " holds another checkpoint " + checkpoint.number() + "; not replaced");
            }
            Path partial = directory.resolve(file.getFileName() + ".partial");
            Files.write(partial, checkpoint.toJson());
            Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("checkpoint " + checkpoint.number() + " could not be written to " + directory, e);
        }
    }

    private void remember(Checkpoint checkpoint) {
        sealedPosition.set(checkpoint.position());
        sealedAt.set(checkpoint.sealedAt().toEpochMilli());
    }

    private double newestAgeSeconds() {
        long at = sealedAt.get();
        return at == 0 ? Double.NaN : Duration.between(Instant.ofEpochMilli(at), clock.instant()).toMillis() / 1000.0;
    }

    private double unsealedEvents() {
        try {
            return Math.max(0, rows.newestPosition() - sealedPosition.get());
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }

    private void refused(String reason) {
        refusals(reason).increment();
    }

    private Counter refusals(String reason) {
        return Counter.builder("payledger.checkpoints.refused").tag("reason", reason)
                .description("sealing rounds that did not seal: a broken chain, a topic out of step, a failure")
                .register(meters);
    }

    private void requireAPair() {
        Checkpoint probe = new Checkpoint(0, 0, 0, 0, LogDigest.GENESIS, LogDigest.GENESIS, LogDigest.GENESIS,
                Instant.EPOCH, "probe", List.of(), null);
        if (!CheckpointKeys.verify(probe.signedWith(CheckpointKeys.sign(probe, signingKey)), publicKey)) {
            throw new IllegalArgumentException("payledger.checkpoints.public-key is not the signing key's public key");
        }
    }
}
