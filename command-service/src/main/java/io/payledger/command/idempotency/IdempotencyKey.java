package io.payledger.command.idempotency;

import io.payledger.events.payment.MerchantId;
import java.util.regex.Pattern;

/**
 * A merchant's Idempotency-Key with the fingerprint of the request it came with (the operation,
 * its path and the canonical JSON of its body). Keys are scoped per merchant.
 */
public record IdempotencyKey(MerchantId merchant, String key, String requestHash) {

    private static final Pattern PRINTABLE = Pattern.compile("[\\x20-\\x7E]{1,255}");

    public static boolean isWellFormed(String key) {
        return key != null && PRINTABLE.matcher(key).matches();
    }
}
