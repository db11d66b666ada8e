package io.payledger.query.payment;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * An opaque position in a list ordered by (time, id): the last row a page ended on. Keyset
 * pagination, so a page never skips or repeats rows when new ones arrive meanwhile.
 */
public record Cursor(Instant at, String id) {

    public String encode() {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((at.toString() + "|" + id).getBytes(StandardCharsets.UTF_8));
    }

    /** @throws IllegalArgumentException for a cursor this service did not hand out */
    public static Cursor decode(String token) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8).split("\\|", 2);
            return new Cursor(Instant.parse(parts[0]), parts[1]);
        } catch (RuntimeException malformed) {
            throw new IllegalArgumentException("not a cursor this service handed out");
        }
    }
}
