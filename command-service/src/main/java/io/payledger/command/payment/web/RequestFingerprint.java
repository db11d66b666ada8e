package io.payledger.command.payment.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.payledger.events.chain.CanonicalJson;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The hash an Idempotency-Key is bound to: the operation, the payment it targets and the canonical
 * JSON of the body, so that spacing and key order do not make the same request look different.
 */
final class RequestFingerprint {

    private RequestFingerprint() {
    }

    static String of(ObjectMapper json, String operation, Object body) {
        try {
            String canonical = CanonicalJson.canonicalize(json.writeValueAsBytes(body));
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((operation + "\n" + canonical).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot fingerprint a request", e);
        }
    }
}
