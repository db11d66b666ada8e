package io.payledger.events.payment;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.payledger.events.money.Money;
import java.time.Instant;

/**
 * A charge Fiuu holds or took under the payment's order that is not its authorisation, as the fold knows it.
 *
 * @param released when Fiuu gave it back; null while it is still held
 */
public record UnexpectedCharge(String chargeId, Money amount, boolean captured, UnexpectedChargeReason reason,
                               Instant recordedAt, Instant released, String releasedBy) {

    @JsonIgnore
    public boolean isHeld() {
        return released == null;
    }

    UnexpectedCharge release(Instant at, String by) {
        return new UnexpectedCharge(chargeId, amount, captured, reason, recordedAt, at, by);
    }
}
