package io.payledger.events.payment;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.payledger.events.Randomness;
import java.util.Objects;

/** Identifies a merchant, from the merchant_id claim of its token. {@code toString()} is the raw value (Axon associates by it). */
public record MerchantId(String value) {

    public MerchantId {
        Objects.requireNonNull(value, "MerchantId");
        if (!Identifiers.isValid(value)) {
            throw new IllegalArgumentException("not a valid MerchantId: 1-64 characters of [A-Za-z0-9_-]");
        }
    }

    @JsonCreator
    public static MerchantId of(String value) {
        return new MerchantId(value);
    }

    public static MerchantId random() {
        return new MerchantId(Randomness.uuid().toString());
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
