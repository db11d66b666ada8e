package io.payledger.events.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The running digest over the event log in global order: each sealed event folds into the digest of
 * everything before it, so one value commits to the whole log up to a position, in order.
 * {@code digest(n) = SHA-256(digest(n-1) \n globalIndex \n eventId \n paymentId \n sequenceNumber \n hash \n timeStamp \n merchantId)},
 * an absent time stamp or merchant as the empty string.
 */
public final class LogDigest {

    /** The digest of the empty log. */
    public static final String GENESIS = "0".repeat(64);

    private LogDigest() {
    }

    public static String next(String previous, SealedEvent event) {
        return sha256(previous + "\n" + event.globalIndex() + "\n" + event.eventId() + "\n" + event.paymentId()
                + "\n" + event.sequenceNumber() + "\n" + event.hash() + "\n" + orEmpty(event.timeStamp())
                + "\n" + orEmpty(event.merchantId()));
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }

    static String sha256(String text) {
        return sha256(text.getBytes(StandardCharsets.UTF_8));
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("every JVM has SHA-256", impossible);
        }
    }
}
