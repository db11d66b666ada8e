package io.payledger.saga.webhook;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** {@code PayLedger-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">}, as API.md states. */
public final class WebhookSignature {

    private WebhookSignature() {
    }

    public static String header(long unixSeconds, String body, String secret) {
        return "t=" + unixSeconds + ",v1=" + hmac(unixSeconds + "." + body, secret);
    }

    static String hmac(String text, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("cannot sign a webhook", e);
        }
    }
}
