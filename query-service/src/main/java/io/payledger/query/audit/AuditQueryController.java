package io.payledger.query.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.payledger.events.chain.ChainCheck;
import io.payledger.events.chain.EventHashChain;
import io.payledger.events.payment.PaymentHistory;
import io.payledger.query.payment.PaymentDocument;
import java.time.Instant;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** An auditor's view of one payment: its full history with the chain check, and its state at any instant. */
@RestController
class AuditQueryController {

    record AuditedEvent(String eventId, long sequenceNumber, String type, String revision, Instant occurredAt,
                        String previousHash, String hash, JsonNode payload, JsonNode metaData) { }

    record History(String paymentId, List<AuditedEvent> events, ChainCheck chain) { }

    private final AuditTrail audit;
    private final ObjectMapper json;

    AuditQueryController(AuditTrail audit, ObjectMapper json) {
        this.audit = audit;
        this.json = json;
    }

    @GetMapping("/v1/audit/payments/{id}/events")
    History events(@PathVariable("id") String id) {
        List<AuditTrail.Entry> history = existing(id, null);
        // occurredAt as the event says it, to the nanosecond (the column keeps microseconds)
        List<AuditedEvent> events = history.stream().map(entry -> new AuditedEvent(entry.eventId(), entry.sequenceNumber(),
                entry.payloadType(), entry.payloadRevision(), AuditTrail.event(entry).occurredAt(), entry.previousHash(),
                entry.hash(),
                read(entry.payload()), read(entry.metaData().getBytes(java.nio.charset.StandardCharsets.UTF_8)))).toList();
        return new History(id, events, EventHashChain.verify(history.stream().map(entry -> entry.chained(id)).toList()));
    }

    @GetMapping("/v1/audit/payments/{id}/state")
    PaymentDocument state(@PathVariable("id") String id, @RequestParam("asOf") Instant asOf) {
        List<AuditTrail.Entry> history = existing(id, asOf);
        return PaymentDocument.of(PaymentHistory.replay(history.stream().map(AuditTrail::event).toList()),
                history.get(history.size() - 1).sequenceNumber());
    }

    private List<AuditTrail.Entry> existing(String id, Instant asOf) {
        List<AuditTrail.Entry> history = audit.history(id, asOf);
        if (history.isEmpty()) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no payment " + id + (asOf == null ? "" : " at " + asOf));
        }
        return history;
    }

    private JsonNode read(byte[] bytes) {
        try {
            return json.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
