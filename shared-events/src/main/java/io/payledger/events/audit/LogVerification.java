package io.payledger.events.audit;

import io.payledger.events.audit.Finding.Kind;
import io.payledger.events.chain.EventHashChain;
import java.security.PublicKey;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Verifies an event log against its signed checkpoints, as a stream: hand it each checkpoint, then the
 * stored events that checkpoint covers, in global order, then the next checkpoint, and so on; events after
 * the newest checkpoint come last. Memory holds one checkpoint's events and one head per payment, so the
 * same code checks the live store (command-service) and a million-event export (the offline verifier).
 * <p>
 * Against a checkpoint, every sealed position is matched to the row now at it: a row nobody sealed is
 * {@link Kind#INSERTED}, a sealed event without a row {@link Kind#DELETED}, a position that holds another
 * event {@link Kind#REORDERED}; a row whose content no longer hashes to the sealed hash is
 * {@link Kind#MODIFIED}, and one whose content is unchanged but whose chain link was recomputed after an
 * earlier change {@link Kind#RECOMPUTED}. Events after the newest checkpoint can only be checked against
 * their own chain ({@link Kind#BROKEN_CHAIN}). Every check is over the bytes as stored.
 */
public final class LogVerification {

    /** The findings kept in full; the counts cover all of them. */
    public static final int FINDINGS_KEPT = 1_000;

    public record NewestCheckpoint(long number, long position, long totalEvents, Instant sealedAt) { }

    public record Report(boolean intact, long checkpointsVerified, NewestCheckpoint newestCheckpoint,
                         long eventsChecked, long sealedEventsChecked, long unsealedEventsChecked, long paymentsChecked,
                         Map<Kind, Long> counts, List<Finding> findings, boolean findingsTruncated) { }

    private record Head(long sequenceNumber, String hash) { }

    private final Map<String, PublicKey> keys = new HashMap<>();
    private final Predicate<String> deletionsCountFor;
    private final ExportScope scope;
    private final Deque<SealedEvent> sealed = new ArrayDeque<>();
    private final Map<String, String> sealedHeads = new HashMap<>();
    private final Map<String, Head> storedHeads = new HashMap<>();
    private final Map<String, Integer> deletedByPayment = new HashMap<>();
    private final Set<String> stored = new HashSet<>();
    private final Map<Kind, Long> counts = new EnumMap<>(Kind.class);
    private final List<Finding> findings = new ArrayList<>();
    private Checkpoint previous;
    private long checkpoints;
    private long sealedEvents;
    private long unsealedEvents;

    /**
     * @param keys              the public keys checkpoints may be signed with
     * @param deletionsCountFor which payments the events handed in are complete for: every payment for the
     *                          whole log, only an export's own payments for part of it
     * @param scope             what the events handed in were chosen by: a payment a checkpoint seals as within
     *                          it that {@code deletionsCountFor} does not hold is {@link Kind#LEFT_OUT}
     */
    public LogVerification(Collection<PublicKey> keys, Predicate<String> deletionsCountFor, ExportScope scope) {
        keys.forEach(key -> this.keys.put(CheckpointKeys.keyId(key), key));
        this.deletionsCountFor = deletionsCountFor;
        this.scope = scope;
    }

    /** For the whole log. */
    public static LogVerification ofWholeLog(Collection<PublicKey> keys) {
        return new LogVerification(keys, payment -> true, ExportScope.of(null, null, null));
    }

    /** The next checkpoint, after every event the one before it covers. A repeat of the last is ignored. */
    public void checkpoint(Checkpoint checkpoint) {
        if (previous != null && checkpoint.number() == previous.number() && checkpoint.hash().equals(previous.hash())) {
            return; // the topic delivered it twice
        }
        drainSealedBefore(Long.MAX_VALUE);
        checkCheckpoint(checkpoint);
        for (SealedEvent event : checkpoint.events()) {
            if (event.sequenceNumber() == 0 && !deletionsCountFor.test(event.paymentId()) && scope.covers(event)) {
                found(Kind.LEFT_OUT, event.paymentId(), 0L, event.globalIndex(), "sealed as within this export's "
                        + scope.scope() + " scope, but the export leaves the payment out");
            }
        }
        sealed.addAll(checkpoint.events());
        previous = checkpoint;
        checkpoints++;
    }

    /** The next stored event in global order. */
    public void event(StoredEvent event) {
        drainSealedBefore(event.globalIndex());
        SealedEvent seal = sealed.peekFirst();
        if (seal != null && seal.globalIndex() == event.globalIndex()) {
            sealed.removeFirst();
            compare(event, seal);
            sealedEvents++;
        } else if (previous != null && event.globalIndex() <= previous.position()) {
            found(Kind.INSERTED, event.paymentId(), event.sequenceNumber(), event.globalIndex(),
                    "no checkpoint sealed an event at this position");
            sealedEvents++;
        } else {
            checkOwnChain(event);
            unsealedEvents++;
        }
        storedHeads.put(event.paymentId(), new Head(event.sequenceNumber(), event.hash()));
        stored.add(event.paymentId());
    }

    public long eventsChecked() {
        return sealedEvents + unsealedEvents;
    }

    public Report finish() {
        drainSealedBefore(Long.MAX_VALUE);
        deletedByPayment.keySet().stream().filter(payment -> !stored.contains(payment)).sorted()
                .forEach(payment -> found(Kind.PAYMENT_DELETED, payment, null, null,
                        "every sealed event of this payment is gone (" + deletedByPayment.get(payment) + ")"));
        NewestCheckpoint newest = previous == null ? null
                : new NewestCheckpoint(previous.number(), previous.position(), previous.totalEvents(), previous.sealedAt());
        return new Report(findings.isEmpty() && counts.isEmpty(), checkpoints, newest, eventsChecked(), sealedEvents,
                unsealedEvents, stored.size(), Map.copyOf(counts), List.copyOf(findings),
                counts.values().stream().mapToLong(Long::longValue).sum() > findings.size());
    }

    private void drainSealedBefore(long globalIndex) {
        while (!sealed.isEmpty() && sealed.peekFirst().globalIndex() < globalIndex) {
            SealedEvent gone = sealed.removeFirst();
            if (deletionsCountFor.test(gone.paymentId())) {
                found(Kind.DELETED, gone.paymentId(), gone.sequenceNumber(), gone.globalIndex(),
                        "sealed in a checkpoint, no longer in the log");
                deletedByPayment.merge(gone.paymentId(), 1, Integer::sum);
            }
            sealedHeads.put(gone.paymentId(), gone.hash());
        }
    }

    private void compare(StoredEvent event, SealedEvent seal) {
        String sealedPrevious = sealedHeads.getOrDefault(seal.paymentId(), EventHashChain.GENESIS);
        sealedHeads.put(seal.paymentId(), seal.hash());
        if (!event.paymentId().equals(seal.paymentId()) || event.sequenceNumber() != seal.sequenceNumber()) {
            found(Kind.REORDERED, event.paymentId(), event.sequenceNumber(), event.globalIndex(),
                    "this position holds %s #%d; the checkpoint sealed %s #%d here".formatted(event.paymentId(),
                            event.sequenceNumber(), seal.paymentId(), seal.sequenceNumber()));
            return;
        }
        if (!event.eventId().equals(seal.eventId())) {
            found(Kind.MODIFIED, event.paymentId(), event.sequenceNumber(), event.globalIndex(),
                    "event identifier is %s; sealed %s".formatted(event.eventId(), seal.eventId()));
            return;
        }
        String content = event.contentHash(Objects.requireNonNullElse(event.previousHash(), ""));
        if (content.equals(seal.hash())) {
            if (!seal.hash().equals(event.hash())) {
                found(Kind.MODIFIED, event.paymentId(), event.sequenceNumber(), event.globalIndex(),
                        "the recorded hash was changed; the content still matches the seal");
            } else if (!Objects.equals(seal.timeStamp(), event.timeStamp())) {
                found(Kind.MODIFIED, event.paymentId(), event.sequenceNumber(), event.globalIndex(),
                        "time stamp is %s; sealed %s".formatted(event.timeStamp(), seal.timeStamp()));
            }
            return;
        }
        if (event.contentHash(sealedPrevious).equals(seal.hash())) {
            found(Kind.RECOMPUTED, event.paymentId(), event.sequenceNumber(), event.globalIndex(),
                    "content as sealed, but its chain was recomputed after an earlier change");
            return;
        }
        String hidden = content.equals(event.hash()) ? "; its stored hashes were recomputed to hide the change"
                : "; its stored hash no longer matches it either";
        found(Kind.MODIFIED, event.paymentId(), event.sequenceNumber(), event.globalIndex(),
                "content (" + event.payloadType() + " revision " + event.payloadRevision()
                        + ") no longer matches the sealed hash" + hidden);
    }

    private void checkOwnChain(StoredEvent event) {
        Head head = storedHeads.get(event.paymentId());
        long expectedSequence = head == null ? 0 : head.sequenceNumber() + 1;
        String expectedPrevious = head == null ? EventHashChain.GENESIS : head.hash();
        if (event.sequenceNumber() != expectedSequence) {
            found(Kind.BROKEN_CHAIN, event.paymentId(), event.sequenceNumber(), event.globalIndex(),
                    "sequence " + expectedSequence + " was expected next");
        } else if (!expectedPrevious.equals(event.previousHash())) {
            found(Kind.BROKEN_CHAIN, event.paymentId(), event.sequenceNumber(), event.globalIndex(),
                    "previous hash does not match the event before it");
        } else if (!event.contentHash(expectedPrevious).equals(event.hash())) {
            found(Kind.BROKEN_CHAIN, event.paymentId(), event.sequenceNumber(), event.globalIndex(),
                    "content does not match its recorded hash");
        }
    }

    private void checkCheckpoint(Checkpoint checkpoint) {
        long expectedNumber = previous == null ? 1 : previous.number() + 1;
        List<String> wrong = new ArrayList<>();
        if (checkpoint.number() != expectedNumber) {
            wrong.add("number " + checkpoint.number() + " where " + expectedNumber + " was expected");
        }
        PublicKey key = keys.get(checkpoint.keyId());
        if (key == null) {
            wrong.add("signed with unknown key " + checkpoint.keyId());
        } else if (!CheckpointKeys.verify(checkpoint, key)) {
            wrong.add("signature does not verify");
        }
        String previousHash = previous == null ? LogDigest.GENESIS : previous.hash();
        if (!previousHash.equals(checkpoint.previousCheckpoint())) {
            wrong.add("does not chain to the checkpoint before it");
        }
        long from = previous == null ? 0 : previous.position();
        String fromDigest = previous == null ? LogDigest.GENESIS : previous.digest();
        if (checkpoint.fromPosition() != from || !fromDigest.equals(checkpoint.previousDigest())) {
            wrong.add("does not start where the checkpoint before it ended");
        }
        String digest = checkpoint.previousDigest();
        long last = checkpoint.fromPosition();
        for (SealedEvent event : checkpoint.events()) {
            if (event.globalIndex() <= last || event.globalIndex() > checkpoint.position()) {
                wrong.add("event at " + event.globalIndex() + " is out of order or outside the checkpoint");
                break;
            }
            last = event.globalIndex();
            digest = LogDigest.next(digest, event);
        }
        if (!digest.equals(checkpoint.digest())) {
            wrong.add("digest does not match its events");
        }
        long total = (previous == null ? 0 : previous.totalEvents()) + checkpoint.events().size();
        if (checkpoint.totalEvents() != total) {
            wrong.add("counts " + checkpoint.totalEvents() + " events in all where " + total + " were sealed");
        }
        if (!wrong.isEmpty()) {
            found(Kind.CHECKPOINT_INVALID, null, null, checkpoint.position(),
                    "checkpoint " + checkpoint.number() + ": " + String.join("; ", wrong));
        }
    }

    private void found(Kind kind, String paymentId, Long sequenceNumber, Long globalIndex, String detail) {
        counts.merge(kind, 1L, Long::sum);
        if (findings.size() < FINDINGS_KEPT) {
            findings.add(new Finding(kind, paymentId, sequenceNumber, globalIndex, detail));
        }
    }
}
