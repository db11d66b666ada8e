package io.payledger.saga.payment;

import io.payledger.events.payment.PaymentId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The order id a payment has at Fiuu. One Fiuu account serves every merchant, and Fiuu's order ids are global to
 * the account, while merchant references are unique only per merchant: two merchants may both send "ORD-1001".
 * So the order id is made from the payment id, which is unique across all merchants, never from the reference:
 * the payment id without its dashes (32 hex characters, within Fiuu's 32- and 40-character limits). A payment id
 * that is not a UUID (never minted by command-service, but the type allows it) becomes "P" and 31 hex characters of
 * its SHA-256. The merchant's reference goes to Fiuu in {@code bill_desc}, so each order is traceable both ways.
 */
public final class FiuuOrderIds {

    private FiuuOrderIds() {
    }

    public static String of(PaymentId payment) {
        String compact = payment.value().replace("-", "");
        if (compact.matches("[0-9a-fA-F]{32}")) {
            return compact.toLowerCase();
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(payment.value().getBytes(StandardCharsets.UTF_8));
            return "P" + HexFormat.of().formatHex(digest).substring(0, 31);
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("every JVM has SHA-256", impossible);
        }
    }
}
