package io.payledger.query.payment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.payledger.query.security.Reader;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * {@code GET /v1/payments/{id}}: Redis first, PostgreSQL behind it. With {@code consistentWith} the
 * answer waits (bounded) until the view has reached that version, and says {@code Consistency: stale}
 * if it has not. A merchant sees only its own payments; another's is 404.
 */
@RestController
class PaymentQueryController {

    private final PaymentStatusCache cache;
    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final Duration maxWait;

    PaymentQueryController(PaymentStatusCache cache, JdbcTemplate jdbc, ObjectMapper json,
                           @Value("${payledger.query.consistency-max-wait:2s}") Duration maxWait) {
        this.cache = cache;
        this.jdbc = jdbc;
        this.json = json;
        this.maxWait = maxWait;
    }

    @GetMapping("/v1/payments/{id}")
    ResponseEntity<PaymentDocument> payment(@AuthenticationPrincipal Jwt token, @PathVariable("id") String id,
                                            @RequestParam(value = "consistentWith", required = false) Long consistentWith)
            throws InterruptedException {
        if (consistentWith != null && consistentWith < 0) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "consistentWith is a version: 0 or more");
        }
        Reader reader = Reader.of(token);
        long deadline = System.nanoTime() + maxWait.toNanos();
        PaymentDocument document = find(id).orElse(null);
        while (consistentWith != null && (document == null || document.version() < consistentWith)
                && System.nanoTime() < deadline) {
            Thread.sleep(10);
            document = find(id).orElse(null);
        }
        if (document == null || !reader.maySee(document.merchantId())) {
            throw new ResponseStatusException(org.springframework.http.HttpStatus.NOT_FOUND, "no payment " + id);
        }
        ResponseEntity.BodyBuilder answer = ResponseEntity.ok();
        if (consistentWith != null && document.version() < consistentWith) {
            answer.header("Consistency", "stale");
        }
        return answer.body(document);
    }

    private Optional<PaymentDocument> find(String id) {
        Optional<String> cached = cache.get(id);
        String document = cached.orElseGet(() -> {
            List<String> rows = jdbc.queryForList("SELECT document::text FROM payment_view WHERE payment_id = ?", String.class, id);
            return rows.isEmpty() ? null : rows.get(0);
        });
        try {
            return document == null ? Optional.empty() : Optional.of(json.readValue(document, PaymentDocument.class));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored payment view is unreadable", e);
        }
    }
}
