package io.payledger.command.customer;

import io.payledger.events.payment.MerchantId;
import io.payledger.events.payment.PaymentId;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.stereotype.Component;

/**
 * Who a customer is, for their keys: a keyed hash (HMAC-SHA256 under the index key) of the merchant
 * and the customer's email, or their phone when there is no email. Without either, the customer is
 * known only by the payment, and the payment is the subject. The same customer of two merchants is two
 * subjects: each merchant answers for its own customers. The hash lets a key be found from an email
 * without the email being stored anywhere in clear.
 * <p>
 * A subject travels as {@code <merchant id>/<64 hex digits>}, which is what {@link CustomerKeys} takes.
 */
@Component
public class Subjects {

    private static final int HASH_LENGTH = 64;

    private final byte[] indexKey;

    Subjects(PersonalDataProperties properties) {
        this.indexKey = properties.indexKeyBytes();
    }

    public String byEmail(MerchantId merchant, String email) {
        return subject(merchant, "email:" + email.strip().toLowerCase(Locale.ROOT));
    }

    public String byPhone(MerchantId merchant, String phone) {
        return subject(merchant, "phone:" + phone.replaceAll("[^0-9+]", ""));
    }

    public String byPayment(MerchantId merchant, PaymentId payment) {
        return subject(merchant, "payment:" + payment.value());
    }

    static String hash(String subject) {
        return subject.substring(subject.length() - HASH_LENGTH);
    }

    static String merchantOf(String subject) {
        return subject.substring(0, subject.length() - HASH_LENGTH - 1);
    }

    private String subject(MerchantId merchant, String identity) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(indexKey, "HmacSHA256"));
            mac.update(merchant.value().getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            byte[] hash = mac.doFinal(identity.getBytes(StandardCharsets.UTF_8));
            return merchant.value() + "/" + HexFormat.of().formatHex(hash);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }
}
