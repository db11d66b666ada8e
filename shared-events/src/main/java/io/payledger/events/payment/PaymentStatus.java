package io.payledger.events.payment;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.EnumSet;
import java.util.Set;

/** The statuses of API.md. Terminal statuses are never left. */
public enum PaymentStatus {
    CREATED, AWAITING_CUSTOMER, AUTHORISED, CAPTURE_PENDING, CAPTURED, VOID_PENDING, VOIDED,
    PARTIALLY_REFUNDED, REFUNDED, FAILED, EXPIRED;

    private static final Set<PaymentStatus> TERMINAL = EnumSet.of(VOIDED, REFUNDED, FAILED, EXPIRED);
    private static final Set<PaymentStatus> BEFORE_AUTHORISATION = EnumSet.of(CREATED, AWAITING_CUSTOMER);

    @JsonValue
    public String code() {
        return name().toLowerCase();
    }

    public boolean isTerminal() {
        return TERMINAL.contains(this);
    }

    public boolean isBeforeAuthorisation() {
        return BEFORE_AUTHORISATION.contains(this);
    }
}
