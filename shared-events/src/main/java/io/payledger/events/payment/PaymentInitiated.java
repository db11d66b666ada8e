package io.payledger.events.payment;

import io.payledger.events.money.Money;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import org.axonframework.serialization.Revision;

/**
 * A merchant asked to take a payment. Starts every payment's history.
 * <p>
 * Revision 2: the customer's name, email and phone are sealed personal data
 * ({@link io.payledger.events.privacy.PersonalData}: {@code pii:v1:<key id>:...}, bound to
 * {@code <payment id>/customer.<field>}), never plain text. Revision 1 carried them in plain text; it has
 * the same shape, so it reads unchanged, and {@code PersonalData.isSealed} tells the two apart.
 */
@Revision("2")
public record PaymentInitiated(PaymentId paymentId, MerchantId merchantId, String merchantReference, Money amount,
        CaptureMethod captureMethod, Customer customer, String description, String returnUrl,
        Map<String, String> metadata, Instant occurredAt) implements PaymentEvent {

    public PaymentInitiated {
        // sorted, so the stored JSON does not depend on the order a client sent the keys in
        metadata = metadata == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(metadata));
    }
}
