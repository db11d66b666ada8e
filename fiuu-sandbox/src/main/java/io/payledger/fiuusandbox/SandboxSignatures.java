package io.payledger.fiuusandbox;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The gateway's side of FIUU.md's signature formulas, written independently of the client's so
 * that each is tested against hand-computed vectors, not against the other.
 */
final class SandboxSignatures {

    private SandboxSignatures() {
    }

    static String md5(String... parts) {
        try {
            byte[] digest = MessageDigest.getInstance("MD5").digest(String.join("", parts).getBytes(StandardCharsets.UTF_8));
            return String.format("%032x", new BigInteger(1, digest));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /**
     * The extended vcode md5(amount + MID + orderid + vk + currency), which a multi-currency account requires; with
     * {@code basicAccepted} also the basic md5(amount + MID + orderid + vk), which leaves the currency unsigned.
     */
    static boolean vcodeValid(String vcode, String amount, String mid, String orderId, String vk, String currency,
                              boolean basicAccepted) {
        return vcode != null && (vcode.equalsIgnoreCase(md5(amount, mid, orderId, vk, currency))
                || (basicAccepted && vcode.equalsIgnoreCase(md5(amount, mid, orderId, vk))));
    }

    static String notificationSkey(String tranId, String orderId, String status, String domain, String amount,
                                   String currency, String paydate, String appcode, String sk) {
        return md5(paydate, domain, md5(tranId, orderId, status, domain, amount, currency), appcode, sk);
    }

    static String captureSkey(String tranId, String amount, String domain, String vk) {
        return md5(tranId, amount, domain, vk);
    }

    static String reversalSkey(String txnId, String domain, String sk) {
        return md5(txnId, domain, sk);
    }

    static String vrfKey(String sk, String domain, String tranId, String statCode) {
        return md5(sk, domain, tranId, statCode);
    }

    static String refundRequestSignature(String type, String mid, String refId, String txnId, String amount, String sk) {
        return md5(type, mid, refId, txnId, amount, sk);
    }

    static String refundAnswerSignature(String type, String mid, String refId, String refundId, String txnId,
                                        String amount, String status, String sk) {
        return md5(type, mid, refId, refundId, txnId, amount, status, sk);
    }

    static String refundQuerySignature(String refId, String mid, String vk) {
        return md5(refId, mid, vk);
    }

    static String queryByOrderSkey(String orderId, String domain, String vk, String amount) {
        return md5(orderId, domain, vk, amount);
    }

    static String queryOrderBatchSkey(String orderId, String domain, String vk) {
        return md5(orderId, domain, vk);
    }

    static String queryByTransactionSkey(String tranId, String domain, String vk, String amount) {
        return md5(tranId, domain, vk, amount);
    }

    static String queryVrfKey(String amount, String sk, String domain, String id, String statCode) {
        return md5(amount, sk, domain, id, statCode);
    }
}
