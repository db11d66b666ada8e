package io.payledger.events.payment;

import com.fasterxml.jackson.annotation.JsonValue;

public enum RefundStatus {
    PENDING, SUCCEEDED, FAILED;

    @JsonValue
    public String code() {
        return name().toLowerCase();
    }
}
