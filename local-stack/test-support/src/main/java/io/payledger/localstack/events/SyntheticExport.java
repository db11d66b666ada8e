package io.payledger.localstack.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.payledger.events.audit.Checkpoint;
import io.payledger.events.audit.CheckpointKeys;
import io.payledger.events.audit.ExportLines;
import io.payledger.events.audit.ExportScope;
import io.payledger.events.audit.LogDigest;
import io.payledger.events.audit.SealedEvent;
import io.payledger.events.audit.StoredEvent;
import io.payledger.events.chain.EventHashChain;
import io.payledger.events.json.EventJson;
import io.payledger.events.payment.PaymentEvent;
import io.payledger.localstack.tokens.DevCheckpointKeys;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.axonframework.serialization.AnnotationRevisionResolver;

/**
 * Writes a log export in the format of {@code POST /v1/audit/exports} without a server: synthetic payment
 * histories ({@link SyntheticHistories}) with real hash chains, interleaved in the log as concurrent payments
 * are (with a gap in the global index now and then, as rolled-back transactions leave), sealed every
 * {@code perCheckpoint} events by checkpoints signed with the development key. For the
 * offline verifier's tests and its benchmark.
 */
public final class SyntheticExport {

    private static final ObjectMapper EVENTS = EventJson.newMapper();
    private static final AnnotationRevisionResolver REVISIONS = new AnnotationRevisionResolver();

    /** One event line, before it is written, so a test can change it as a tamperer would. */
    public record Line(long globalIndex, String eventId, String paymentId, long sequenceNumber, String timeStamp,
                       String payloadType, String payloadRevision, String payload, String previousHash, String hash) { }

    private SyntheticExport() {
    }

    /** The events of about {@code events} events' worth of payments, {@code concurrent} of them interleaved. */
    public static List<Line> lines(int events, int concurrent, long seed) {
        Generator generator = new Generator(events, concurrent, seed);
        List<Line> lines = new ArrayList<>(events + 10);
        for (Line line = generator.next(); line != null; line = generator.next()) {
            lines.add(line);
        }
        return lines;
    }

    /** Writes a whole-log export of about {@code events} events without holding them, for benchmarks; returns how many. */
    public static long write(Path file, int events, int concurrent, long seed, int perCheckpoint) {
        long written = 0;
        Generator generator = new Generator(events, concurrent, seed);
        try (Writer out = new Writer(file)) {
            out.header(-1);
            List<Line> chunk = new ArrayList<>(perCheckpoint);
            Line line = generator.next();
            while (line != null) {
                chunk.add(line);
                written++;
                line = generator.next();
                if (chunk.size() == perCheckpoint || line == null) {
                    out.sealed(chunk);
                    chunk.clear();
                }
            }
        }
        return written;
    }

    /** Payments' events in log order, one at a time. */
    private static final class Generator {

        private final SyntheticHistories histories;
        private final int events;
        private final int concurrent;
        private final List<List<PaymentEvent>> open = new ArrayList<>();
        private final Map<String, String> heads = new HashMap<>();
        private final Map<String, Integer> next = new HashMap<>();
        private final Instant t = Instant.parse("2026-12-01T00:00:00Z");
        private long globalIndex;
        private int emitted;
        private int started;

        Generator(int events, int concurrent, long seed) {
            this.histories = new SyntheticHistories(seed);
            this.events = events;
            this.concurrent = concurrent;
        }

        Line next() {
            while (open.size() < concurrent && emitted + open.size() * 5 < events) {
                open.add(histories.next("m-synthetic-" + (started % 50), t.plusMillis(started++)));
            }
            if (open.isEmpty()) {
                return null;
            }
            int which = emitted % open.size();
            List<PaymentEvent> history = open.get(which);
            String payment = history.get(0).paymentId().value();
            int sequence = next.getOrDefault(payment, 0);
            PaymentEvent event = history.get(sequence);
            String payload = json(event);
            String revision = REVISIONS.revisionOf(event.getClass());
            String previous = heads.getOrDefault(payment, EventHashChain.GENESIS);
            String hash = EventHashChain.hash(previous, payment, sequence, event.getClass().getName(), revision,
                    payload.getBytes(StandardCharsets.UTF_8));
            globalIndex += globalIndex % 100 == 98 ? 2 : 1; // a rolled-back transaction's index now and then: a gap
            emitted++;
            if (sequence == history.size() - 1) {
                open.remove(which);
                next.remove(payment);
                heads.remove(payment);
            } else {
                next.put(payment, sequence + 1);
                heads.put(payment, hash);
            }
            return new Line(globalIndex, UUID.nameUUIDFromBytes((payment + "/" + sequence).getBytes()).toString(),
                    payment, sequence, event.occurredAt().toString(), event.getClass().getName(), revision, payload,
                    previous, hash);
        }
    }

    /** Writes {@code lines} as a whole-log export, sealed every {@code perCheckpoint} events. */
    public static void write(Path file, List<Line> lines, int perCheckpoint) {
        try (Writer out = new Writer(file)) {
            out.header(lines.isEmpty() ? 0 : lines.get(lines.size() - 1).globalIndex());
            for (int from = 0; from < lines.size(); from += perCheckpoint) {
                out.sealed(lines.subList(from, Math.min(lines.size(), from + perCheckpoint)));
            }
        }
    }

    /** An export being written: the header, then each checkpoint followed by the events it seals. */
    private static final class Writer implements AutoCloseable {

        private final BufferedWriter out;
        private final PrivateKey key = CheckpointKeys.privateKey(DevCheckpointKeys.PRIVATE_KEY);
        private final PublicKey publicKey = CheckpointKeys.publicKey(DevCheckpointKeys.PUBLIC_KEY);
        private Checkpoint previous;

        Writer(Path file) {
            try {
                this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void header(long upToPosition) {
            line(ExportLines.header(ExportScope.of(null, null, null), upToPosition, "2026-12-02T00:00:00Z", List.of(DevCheckpointKeys.PUBLIC_KEY)).toString());
        }

        void sealed(List<Line> lines) {
            previous = seal(previous, lines, key, publicKey);
            line(ExportLines.checkpoint(previous).toString());
            lines.forEach(line -> line(eventLine(line)));
        }

        private void line(String line) {
            try {
                out.write(line);
                out.write('\n');
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() {
            try {
                out.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The export line of one event, as command-service writes it. */
    public static String eventLine(Line line) {
        return ExportLines.event(stored(line)).toString();
    }

    private static StoredEvent stored(Line line) {
        return new StoredEvent(line.globalIndex(), line.eventId(), line.paymentId(), line.sequenceNumber(),
                line.timeStamp(), line.payloadType(), line.payloadRevision(), line.payload().getBytes(StandardCharsets.UTF_8),
                line.previousHash(), line.hash());
    }

    private static Checkpoint seal(Checkpoint previous, List<Line> lines, PrivateKey key, PublicKey publicKey) {
        String digest = previous == null ? LogDigest.GENESIS : previous.digest();
        List<SealedEvent> sealed = new ArrayList<>(lines.size());
        for (Line line : lines) {
            SealedEvent event = SealedEvent.of(stored(line));
            digest = LogDigest.next(digest, event);
            sealed.add(event);
        }
        Checkpoint unsigned = new Checkpoint(previous == null ? 1 : previous.number() + 1,
                previous == null ? 0 : previous.position(), lines.get(lines.size() - 1).globalIndex(),
                (previous == null ? 0 : previous.totalEvents()) + sealed.size(),
                previous == null ? LogDigest.GENESIS : previous.digest(), digest,
                previous == null ? LogDigest.GENESIS : previous.hash(), Instant.parse("2026-12-01T12:00:00Z"),
                CheckpointKeys.keyId(publicKey), sealed, null);
        return unsigned.signedWith(CheckpointKeys.sign(unsigned, key));
    }

    private static String json(PaymentEvent event) {
        try {
            return EVENTS.writeValueAsString(event);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
