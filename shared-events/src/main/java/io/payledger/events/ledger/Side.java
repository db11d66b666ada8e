package io.payledger.events.ledger;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

public enum Side {
    DEBIT, CREDIT;

    @JsonValue
    public String code() {
        return name().toLowerCase();
    }

    @JsonCreator
    public static Side fromCode(String code) {
        return valueOf(code.toUpperCase());
    }
}
