package io.payledger.events.payment;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Why money Fiuu reports as paid is not an authorisation of the payment it names. */
public enum UnexpectedChargeReason {
    /** the customer paid in another currency than the payment's (a changed checkout URL, say) */
    CURRENCY_MISMATCH,
    /** the customer paid another amount than the payment's */
    AMOUNT_MISMATCH,
    /** the customer paid after the payment had failed (Fiuu lets a customer pay again after a decline) */
    AFTER_FAILURE,
    /** the customer paid after the payment had expired */
    AFTER_EXPIRY,
    /** the customer paid again: a second transaction for a payment that already holds one */
    SECOND_CHARGE;

    @JsonValue
    public String code() {
        return name().toLowerCase().replace('_', '-');
    }

    @JsonCreator
    public static UnexpectedChargeReason fromCode(String code) {
        for (UnexpectedChargeReason reason : values()) {
            if (reason.code().equals(code)) {
                return reason;
            }
        }
        throw new IllegalArgumentException("no such unexpected-charge reason: " + code);
    }
}
