package io.payledger.events.payment;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.payledger.events.Randomness;
import java.util.Objects;

/** Identifies a payment, the Payment aggregate's identifier. {@code toString()} is the raw value (Axon associates by it). */
public record PaymentId(String value) {

    public PaymentId {
        Objects.requireNonNull(value, "PaymentId");
        if (!Identifiers.isValid(value)) {
            throw new IllegalArgumentException("not a valid PaymentId: 1-64 characters of [A-Za-z0-9_-]");
        }
    }

    @JsonCreator
    public static PaymentId of(String value) {
        return new PaymentId(value);
    }

    public static PaymentId random() {
        return new PaymentId(Randomness.uuid().toString());
    }

    @JsonValue
    @Override
    public String value() {
        return value;
    }

    @Override
    public String toString() {
        return value;
    }
}
