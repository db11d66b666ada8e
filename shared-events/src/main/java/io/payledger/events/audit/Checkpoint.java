package io.payledger.events.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.payledger.events.chain.CanonicalJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A seal over the event log up to a global position. It lists every event it covers (so a verifier can
 * name what changed), the running {@link LogDigest} after them, and the hash of the checkpoint before it,
 * so checkpoints form a chain of their own; it is signed with Ed25519 over its canonical JSON without
 * the signature. Checkpoint 1 starts at position 0 with the genesis digest and the genesis previous hash.
 *
 * @param number             1, 2, 3... without gaps
 * @param fromPosition       the previous checkpoint's position (exclusive); 0 for the first
 * @param position           the highest global index covered (inclusive)
 * @param totalEvents        events covered by this checkpoint and all before it
 * @param previousDigest     the log digest at {@code fromPosition}
 * @param digest             the log digest at {@code position}
 * @param previousCheckpoint {@link #hash()} of the checkpoint before, or {@link LogDigest#GENESIS}
 * @param sealedAt           when it was sealed
 * @param keyId              which key signed it ({@link CheckpointKeys#keyId})
 * @param events             the events covered, in global order; each is published as
 *                           {@code [globalIndex, eventId, paymentId, sequenceNumber, hash, timeStamp, merchantId]}
 * @param signature          base64 Ed25519 signature of {@link #signedBytes()}; null before signing
 */
public record Checkpoint(long number, long fromPosition, long position, long totalEvents, String previousDigest,
                         String digest, String previousCheckpoint, Instant sealedAt, String keyId,
                         List<SealedEvent> events, String signature) {

    public static final String FORMAT = "payledger-log-checkpoint/2";
    private static final ObjectMapper JSON = new ObjectMapper();

    public Checkpoint {
        events = List.copyOf(events);
    }

    /** What the signature covers: the canonical JSON of everything but the signature. */
    public byte[] signedBytes() {
        return CanonicalJson.canonicalize(bytes(body())).getBytes(StandardCharsets.UTF_8);
    }

    /** The hash the next checkpoint names as its previous one. */
    public String hash() {
        return LogDigest.sha256(signedBytes());
    }

    public Checkpoint signedWith(String signature) {
        return new Checkpoint(number, fromPosition, position, totalEvents, previousDigest, digest, previousCheckpoint,
                sealedAt, keyId, events, signature);
    }

    /** The published form: canonical JSON with the signature. */
    public byte[] toJson() {
        ObjectNode node = body();
        node.put("signature", signature);
        return CanonicalJson.canonicalize(bytes(node)).getBytes(StandardCharsets.UTF_8);
    }

    public static Checkpoint fromJson(byte[] json) {
        try {
            return fromJson(JSON.readTree(json));
        } catch (IOException e) {
            throw new IllegalArgumentException("a checkpoint is JSON", e);
        }
    }

    public static Checkpoint fromJson(JsonNode node) {
        if (!FORMAT.equals(node.path("format").asText())) {
            throw new IllegalArgumentException("not a " + FORMAT + ": " + node.path("format").asText());
        }
        List<SealedEvent> events = new ArrayList<>();
        for (JsonNode leaf : node.path("events")) {
            events.add(new SealedEvent(leaf.get(0).asLong(), leaf.get(1).asText(), leaf.get(2).asText(),
                    leaf.get(3).asLong(), leaf.get(4).asText(), textOrNull(leaf.get(5)), textOrNull(leaf.get(6))));
        }
        return new Checkpoint(node.path("number").asLong(), node.path("fromPosition").asLong(),
                node.path("position").asLong(), node.path("totalEvents").asLong(), node.path("previousDigest").asText(),
                node.path("digest").asText(), node.path("previousCheckpoint").asText(),
                Instant.parse(node.path("sealedAt").asText()), node.path("keyId").asText(), events,
                node.hasNonNull("signature") ? node.get("signature").asText() : null);
    }

    private ObjectNode body() {
        ObjectNode node = JSON.createObjectNode();
        node.put("format", FORMAT);
        node.put("number", number);
        node.put("fromPosition", fromPosition);
        node.put("position", position);
        node.put("totalEvents", totalEvents);
        node.put("previousDigest", previousDigest);
        node.put("digest", digest);
        node.put("previousCheckpoint", previousCheckpoint);
        node.put("sealedAt", sealedAt.toString());
        node.put("keyId", keyId);
        ArrayNode leaves = node.putArray("events");
        for (SealedEvent event : events) {
            leaves.addArray().add(event.globalIndex()).add(event.eventId()).add(event.paymentId())
                    .add(event.sequenceNumber()).add(event.hash()).add(event.timeStamp()).add(event.merchantId());
        }
        return node;
    }

    private static String textOrNull(JsonNode value) {
        return value == null || value.isNull() ? null : value.asText();
    }

    private static byte[] bytes(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
