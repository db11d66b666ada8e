package io.payledger.saga.notification;

import io.payledger.saga.fiuu.FiuuSignatures;
import java.util.Map;

/**
 * A payment notification as Fiuu posts it (form or JSON), with its skey check. Only a verified
 * notification is ever acted on; the browser return carries no trust at all.
 */
record FiuuNotification(Map<String, String> fields) {

    String tranId() {
        return fields.getOrDefault("tranID", "");
    }

    String orderId() {
        return fields.getOrDefault("orderid", "");
    }

    String status() {
        return fields.getOrDefault("status", "");
    }

    String amount() {
        return fields.getOrDefault("amount", "");
    }

    String currency() {
        return fields.getOrDefault("currency", "");
    }

    boolean verifiedWith(String secretKey) {
        String expected = FiuuSignatures.notificationSkey(tranId(), orderId(), status(), fields.getOrDefault("domain", ""),
                amount(), currency(), fields.getOrDefault("paydate", ""), fields.getOrDefault("appcode", ""), secretKey);
        return FiuuSignatures.matches(expected, fields.get("skey"));
    }
}
