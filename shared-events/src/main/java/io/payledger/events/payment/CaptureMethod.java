package io.payledger.events.payment;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Automatic is a Fiuu sale (SALS); manual is a pre-authorisation (AUTS) captured later. */
public enum CaptureMethod {
    AUTOMATIC, MANUAL;

    @JsonValue
    public String code() {
        return name().toLowerCase();
    }

    @JsonCreator
    public static CaptureMethod fromCode(String code) {
        for (CaptureMethod method : values()) {
            if (method.code().equals(code)) {
                return method;
            }
        }
        throw new IllegalArgumentException("captureMethod must be automatic or manual");
    }
}
