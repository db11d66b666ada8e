package io.payledger.saga.charge;

import io.payledger.events.payment.AttentionCleared;
import io.payledger.events.payment.Steps;
import io.payledger.events.payment.UnexpectedChargeRecorded;
import io.payledger.events.payment.UnexpectedChargeReleased;
import io.payledger.saga.reconciliation.LedgerPositions;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.stereotype.Component;

/**
 * Keeps the list of charges to give back in step with the events: a recorded charge is added (once, however often
 * Kafka delivers it), a released one is done, and one an operator asks to be retried is due again. It reads the
 * topic with the ledger's view of payments, which already folds every payment event: no extra read of the topic.
 */
@Component
@ProcessingGroup(LedgerPositions.PROCESSING_GROUP)
class UnexpectedChargeRecorder {

    private final UnexpectedCharges charges;
    private final ChargeReleases releases;

    UnexpectedChargeRecorder(UnexpectedCharges charges, ChargeReleases releases) {
        this.charges = charges;
        this.releases = releases;
    }

    @EventHandler
    void on(UnexpectedChargeRecorded event) {
        charges.add(event.chargeId(), event.paymentId(), event.amount(), event.captured(), event.reason().code());
        releases.wake();
    }

    @EventHandler
    void on(UnexpectedChargeReleased event) {
        charges.released(event.chargeId(), event.occurredAt());
    }

    @EventHandler
    void on(AttentionCleared event) {
        if ("retry".equals(event.resolution())) {
            Steps.chargeOf(event.step()).ifPresent(charge -> {
                charges.retryNow(charge);
                releases.wake();
            });
        }
    }
}
