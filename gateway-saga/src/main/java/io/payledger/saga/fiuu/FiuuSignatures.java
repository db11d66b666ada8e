package io.payledger.saga.fiuu;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Every signature of Fiuu's protocol, as FIUU.md states it, in one place on the client side:
 * lowercase hex MD5 of the plain concatenation. Requests are signed with the verify key (vk)
 * except reversal and refund, which use the secret key (sk); what Fiuu sends back is signed
 * with sk. Amounts are hashed exactly as sent ("10.00", not "10").
 */
public final class FiuuSignatures {

    private FiuuSignatures() {
    }

    /** Hosted payment page, basic form: md5(amount + MID + orderid + vk). It leaves the currency unsigned. */
    public static String vcode(String amount, String merchantId, String orderId, String verifyKey) {
        return md5(amount + merchantId + orderId + verifyKey);
    }

    /**
     * Hosted payment page, extended form: md5(amount + MID + orderid + vk + currency). It signs the currency, so a
     * customer who changes {@code cur} on the page's URL is turned away; a multi-currency account requires it.
     */
    public static String extendedVcode(String amount, String merchantId, String orderId, String verifyKey, String currency) {
        return md5(amount + merchantId + orderId + verifyKey + currency);
    }

    /** Capture request: md5(tranID + amount + domain + vk). */
    public static String captureSkey(String tranId, String amount, String domain, String verifyKey) {
        return md5(tranId + amount + domain + verifyKey);
    }

    /** Reversal (void) request: md5(txnID + domain + sk). */
    public static String reversalSkey(String txnId, String domain, String secretKey) {
        return md5(txnId + domain + secretKey);
    }

    /** Capture and reversal responses: md5(sk + Domain + TranID + StatCode). */
    public static String responseVrfKey(String secretKey, String domain, String tranId, String statCode) {
        return md5(secretKey + domain + tranId + statCode);
    }

    /** Refund request: md5(RefundType + MerchantID + RefID + TxnID + Amount + sk). */
    public static String refundSignature(String refundType, String merchantId, String refId, String txnId,
                                         String amount, String secretKey) {
        return md5(refundType + merchantId + refId + txnId + amount + secretKey);
    }

    /** Refund response and refund notification: md5(RefundType + MerchantID + RefID + RefundID + TxnID + Amount + Status + sk). */
    public static String refundResponseSignature(String refundType, String merchantId, String refId, String refundId,
                                                 String txnId, String amount, String status, String secretKey) {
        return md5(refundType + merchantId + refId + refundId + txnId + amount + status + secretKey);
    }

    /** Refund status by RefID: md5(RefID + MerchantID + vk). */
    public static String refundStatusSignature(String refId, String merchantId, String verifyKey) {
        return md5(refId + merchantId + verifyKey);
    }

    /** Status query by order id (q_by_oid): md5(oID + domain + vk + amount). */
    public static String queryByOrderSkey(String orderId, String domain, String verifyKey, String amount) {
        return md5(orderId + domain + verifyKey + amount);
    }

    /** Every transaction of an order (q_oid_batch): md5(oID + domain + vk). */
    public static String queryOrderBatchSkey(String orderId, String domain, String verifyKey) {
        return md5(orderId + domain + verifyKey);
    }

    /** Status query by tranID (q_by_tid, gate-query): md5(txID + domain + vk + amount). */
    public static String queryByTransactionSkey(String tranId, String domain, String verifyKey, String amount) {
        return md5(tranId + domain + verifyKey + amount);
    }

    /** Status query answer: md5(Amount + sk + Domain + TranID-or-OrderID + StatCode). */
    public static String queryVrfKey(String amount, String secretKey, String domain, String id, String statCode) {
        return md5(amount + secretKey + domain + id + statCode);
    }

    /** Notification: skey = md5(paydate + domain + md5(tranID + orderid + status + domain + amount + currency) + appcode + sk). */
    public static String notificationSkey(String tranId, String orderId, String status, String domain, String amount,
                                          String currency, String paydate, String appcode, String secretKey) {
        String preSkey = md5(tranId + orderId + status + domain + amount + currency);
        return md5(paydate + domain + preSkey + appcode + secretKey);
    }

    /** Compares hex digests without leaking where they differ. */
    public static boolean matches(String expected, String received) {
        return received != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                received.toLowerCase().getBytes(StandardCharsets.US_ASCII));
    }

    static String md5(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("every JVM has MD5", impossible);
        }
    }
}
