package io.payledger.command.idempotency;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.payledger.command.idempotency.IdempotencyKeyRefused.Reason;
import io.payledger.events.Randomness;
import java.net.URI;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Supplier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs a merchant request at most once per Idempotency-Key, as API.md states it:
 * <ul>
 *   <li>same key, same request: the first response again, marked {@code Idempotent-Replayed: true};</li>
 *   <li>same key, another request: refused (422);</li>
 *   <li>same key while the first request still runs: refused (409).</li>
 * </ul>
 * The command and the stored response commit in one transaction, so a response is stored exactly
 * when the command's events are. A request that fails releases its key and changed nothing. An in-flight key
 * holds a lease; a request that outlives it may lose the key to a retry, and then it can neither store its
 * outcome (its transaction, events included, rolls back) nor release the key: the retry's outcome is the one.
 */
@Component
public class IdempotentRequests {

    public static final String REPLAYED_HEADER = "Idempotent-Replayed";

    private final IdempotencyStore store;
    private final TransactionTemplate transaction;
    private final ObjectMapper json;
    private final Duration lease;

    IdempotentRequests(IdempotencyStore store, TransactionTemplate transaction, ObjectMapper json,
                       @Value("${payledger.idempotency.lease:30s}") Duration lease) {
        this.store = store;
        this.transaction = transaction;
        this.json = json;
        this.lease = lease;
    }

    public <T> ResponseEntity<T> execute(IdempotencyKey key, Class<T> bodyType, Supplier<ResponseEntity<T>> request) {
        UUID holder = Randomness.uuid();
        if (!store.reserve(key, holder, lease)) {
            IdempotencyStore.Stored stored = store.find(key).orElse(null);
            if (stored == null) {
                // the key was released between our insert and our read: its request failed, so run ours
                return execute(key, bodyType, request);
            }
            if (!stored.requestHash().equals(key.requestHash())) {
                throw new IdempotencyKeyRefused(Reason.REUSED_WITH_ANOTHER_REQUEST,
                        "this Idempotency-Key was used with a different request");
            }
            if (stored.completed()) {
                return replay(stored, bodyType);
            }
            if (!stored.leaseExpired() || !store.takeOverExpired(key, holder, lease)) {
                throw new IdempotencyKeyRefused(Reason.IN_FLIGHT, "a request with this Idempotency-Key is in progress");
            }
        }
        try {
            return transaction.execute(status -> {
                ResponseEntity<T> response = request.get();
                URI location = response.getHeaders().getLocation();
                if (!store.complete(key, holder, response.getStatusCode().value(),
                        location == null ? null : location.toString(), write(response.getBody()))) {
                    throw new KeyTakenOver();
                }
                return response;
            });
        } catch (KeyTakenOver lost) {
            // rolled back: the request that took the key over decides; answer what it answered, once it has
            return store.find(key).filter(IdempotencyStore.Stored::completed).map(done -> replay(done, bodyType))
                    .orElseThrow(() -> new IdempotencyKeyRefused(Reason.IN_FLIGHT,
                            "a request with this Idempotency-Key is in progress"));
        } catch (RuntimeException failed) {
            store.release(key, holder);
            throw failed;
        }
    }

    /** This request's lease ran out and another request with its key holds it now. */
    private static final class KeyTakenOver extends RuntimeException {
        KeyTakenOver() {
            super("the Idempotency-Key was taken over by a retry", null, false, false);
        }
    }

    private <T> ResponseEntity<T> replay(IdempotencyStore.Stored stored, Class<T> bodyType) {
        try {
            ResponseEntity.BodyBuilder response = ResponseEntity.status(stored.status()).header(REPLAYED_HEADER, "true");
            if (stored.location() != null) {
                response.location(URI.create(stored.location()));
            }
            return response.body(json.readValue(stored.body(), bodyType));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored idempotent response is unreadable", e);
        }
    }

    private String write(Object body) {
        try {
            return json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a response that cannot be stored cannot be sent", e);
        }
    }
}
