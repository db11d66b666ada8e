package io.payledger.query.payment;

import io.payledger.query.security.Reader;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * {@code GET /v1/payments/{id}}: from memory, Redis or PostgreSQL ({@link PaymentStatusCache}), answered as the
 * bytes the projection wrote. With {@code consistentWith} the answer waits (bounded) until the view has reached
 * that version, and says {@code Consistency: stale} if it has not. A merchant sees only its own payments;
 * another's is 404.
 */
@RestController
class PaymentQueryController {

    private final PaymentStatusCache statuses;
    private final Duration maxWait;

    PaymentQueryController(PaymentStatusCache statuses,
                           @Value("${payledger.query.consistency-max-wait:2s}") Duration maxWait) {
        this.statuses = statuses;
        this.maxWait = maxWait;
    }

    @GetMapping("/v1/payments/{id}")
    ResponseEntity<byte[]> payment(@AuthenticationPrincipal Jwt token, @PathVariable("id") String id,
                                   @RequestParam(value = "consistentWith", required = false) Long consistentWith)
            throws InterruptedException {
        if (consistentWith != null && consistentWith < 0) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "consistentWith is a version: 0 or more");
        }
        Reader reader = Reader.of(token);
        long atLeast = consistentWith == null ? -1 : consistentWith;
        long deadline = System.nanoTime() + maxWait.toNanos();
        PaymentStatusCache.Status status = statuses.find(id, atLeast).orElse(null);
        long pause = 10; // doubling to 200 ms: a waiting read that PostgreSQL answers each time costs ~15 queries, not 200
        while (consistentWith != null && (status == null || status.version() < consistentWith)
                && System.nanoTime() < deadline) {
            Thread.sleep(Math.min(pause, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
            pause = Math.min(200, pause * 2);
            status = statuses.find(id, atLeast).orElse(null);
        }
        if (status == null || !reader.maySee(status.merchantId())) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no payment " + id);
        }
        ResponseEntity.BodyBuilder answer = ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON);
        if (consistentWith != null && status.version() < consistentWith) {
            answer.header("Consistency", "stale");
        }
        return answer.body(status.body());
    }
}
