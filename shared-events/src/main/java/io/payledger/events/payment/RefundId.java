package io.payledger.events.payment;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.payledger.events.Randomness;
import java.util.Objects;

/** Identifies one refund of a payment; Fiuu sees it as RefID. {@code toString()} is the raw value (Axon associates by it). */
public record RefundId(String value) {

    public RefundId {
        Objects.requireNonNull(value, "RefundId");
        if (!Identifiers.isValid(value)) {
            throw new IllegalArgumentException("not a valid RefundId: 1-64 characters of [A-Za-z0-9_-]");
        }
    }

    @JsonCreator
    public static RefundId of(String value) {
        return new RefundId(value);
    }

    public static RefundId random() {
        return new RefundId(Randomness.uuid().toString());
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
