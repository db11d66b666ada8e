package io.payledger.events.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * The lines of a log export ({@value #FORMAT}), written by command-service and by the synthetic exports of the
 * tests, read by the offline verifier: one place, so the three cannot drift apart. An event's payload is the
 * stored JSON as text when its bytes are valid UTF-8 (what the event store writes), else base64.
 */
public final class ExportLines {

    public static final String FORMAT = "payledger-log-export/1";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private ExportLines() {
    }

    /** The first line, with what narrows the export; a partial export's caller adds its {@code payments}. */
    public static ObjectNode header(ExportScope scope, long upToPosition, String requestedAt, List<String> publicKeys) {
        ObjectNode header = NODES.objectNode().put("kind", "export").put("format", FORMAT).put("scope", scope.scope())
                .put("upToPosition", upToPosition).put("requestedAt", requestedAt);
        putIfPresent(header, "merchantId", scope.merchantId());
        putIfPresent(header, "from", scope.from() == null ? null : scope.from().toString());
        putIfPresent(header, "to", scope.to() == null ? null : scope.to().toString());
        publicKeys.forEach(header.putArray("publicKeys")::add);
        return header;
    }

    /** What a header says the export holds. */
    public static ExportScope scopeOf(JsonNode header) {
        String scope = header.path("scope").asText();
        ExportScope read = ExportScope.of(text(header, "merchantId"), instant(header, "from"), instant(header, "to"));
        if (!read.scope().equals(scope)) {
            throw new IllegalArgumentException("the export's header says scope " + scope + " but names " + read);
        }
        return read;
    }

    private static java.time.Instant instant(JsonNode line, String field) {
        return line.hasNonNull(field) ? java.time.Instant.parse(line.get(field).asText()) : null;
    }

    public static boolean isHeader(JsonNode line) {
        return line != null && "export".equals(line.path("kind").asText()) && FORMAT.equals(line.path("format").asText());
    }

    public static ObjectNode event(StoredEvent event) {
        ObjectNode line = NODES.objectNode().put("kind", "event").put("globalIndex", event.globalIndex())
                .put("eventId", event.eventId()).put("paymentId", event.paymentId())
                .put("sequenceNumber", event.sequenceNumber()).put("timeStamp", event.timeStamp())
                .put("payloadType", event.payloadType());
        putIfPresent(line, "payloadRevision", event.payloadRevision());
        String text = utf8(event.payload());
        if (text != null) {
            line.put("payload", text);
        } else {
            line.put("payloadBase64", Base64.getEncoder().encodeToString(event.payload()));
        }
        putIfPresent(line, "previousHash", event.previousHash());
        putIfPresent(line, "hash", event.hash());
        return line;
    }

    public static StoredEvent eventOf(JsonNode line) {
        byte[] payload = line.hasNonNull("payload") ? line.get("payload").asText().getBytes(StandardCharsets.UTF_8)
                : Base64.getDecoder().decode(line.path("payloadBase64").asText());
        return new StoredEvent(line.path("globalIndex").asLong(), line.path("eventId").asText(), line.path("paymentId").asText(),
                line.path("sequenceNumber").asLong(), line.path("timeStamp").asText(), line.path("payloadType").asText(),
                text(line, "payloadRevision"), payload, text(line, "previousHash"), text(line, "hash"));
    }

    /** A checkpoint's line: the checkpoint exactly as published. */
    public static ObjectNode checkpoint(Checkpoint checkpoint) {
        ObjectNode line = NODES.objectNode().put("kind", "checkpoint");
        try {
            line.set("checkpoint", JSON.readTree(checkpoint.toJson()));
        } catch (java.io.IOException impossible) {
            throw new java.io.UncheckedIOException(impossible);
        }
        return line;
    }

    private static void putIfPresent(ObjectNode line, String field, String value) {
        if (value != null) {
            line.put(field, value);
        }
    }

    private static String text(JsonNode line, String field) {
        return line.hasNonNull(field) ? line.get(field).asText() : null;
    }

    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
