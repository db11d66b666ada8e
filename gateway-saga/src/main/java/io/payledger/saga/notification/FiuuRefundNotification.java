package io.payledger.saga.notification;

import io.payledger.saga.fiuu.FiuuSignatures;
import java.util.Map;

/** A refund notification (to notify_url): signed like the refund answer. */
record FiuuRefundNotification(Map<String, String> fields) {

    String refId() {
        return fields.getOrDefault("RefID", "");
    }

    String status() {
        return fields.getOrDefault("Status", "");
    }

    String refundId() {
        return fields.getOrDefault("RefundID", "");
    }

    boolean verifiedWith(String secretKey) {
        String expected = FiuuSignatures.refundResponseSignature(fields.getOrDefault("RefundType", ""),
                fields.getOrDefault("MerchantID", ""), refId(), refundId(), fields.getOrDefault("TxnID", ""),
                fields.getOrDefault("Amount", ""), status(), secretKey);
        return FiuuSignatures.matches(expected, fields.get("Signature"));
    }
}
