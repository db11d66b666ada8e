package io.payledger.saga.work;

import io.payledger.events.payment.PaymentState;
import io.payledger.saga.fiuu.FiuuAnswers;
import io.payledger.saga.fiuu.FiuuClient;
import io.payledger.saga.reconciliation.LedgerPositions.Position;

/**
 * A payment that heard nothing from its customer is asked about at Fiuu (the order's latest transaction), every
 * {@code checkout-requery-after}. What Fiuu holds is reported with Fiuu's amount and currency, and command-service
 * decides whether it is the payment's authorisation. Pending is asked about again. Only a signed "no such payment"
 * counts towards expiry, {@code checkout-requeries} times in a row; an error is not an answer (it throws). The
 * latest transaction may be an unexpected charge of the order (known to the ledger, or one we reversed, which this
 * payment never did before its authorisation): then nothing of the payment's own is paid yet.
 */
final class Requery implements FiuuStep {

    private final int checkoutRequeries;

    Requery(int checkoutRequeries) {
        this.checkoutRequeries = checkoutRequeries;
    }

    @Override
    public Decision take(FiuuWork.Item item, Position payment, FiuuClient fiuu) {
        PaymentState state = payment.state();
        if (!state.status().isBeforeAuthorisation()) {
            return Decision.Settled.NOTHING_TO_DO; // heard of meanwhile
        }
        FiuuAnswers.Status status = fiuu.queryOrder(payment.orderId(), state.amount());
        boolean onlyUnexpected = (status.tranId() != null && state.unexpectedCharge(status.tranId()).isPresent())
                || status.reversed();
        return switch (onlyUnexpected ? FiuuAnswers.PaymentOutcome.UNKNOWN : status.outcome()) {
            case AUTHORISED, CAPTURED -> Decision.settled(outcomes -> outcomes.authorised(state.paymentId(), status.amount(),
                    status.tranId()));
            case FAILED -> Decision.settled(outcomes -> outcomes.authorisationFailed(state.paymentId(), status.tranId(),
                    status.statCode(), status.statName()));
            case PENDING -> new Decision.Later(Decision.Again.PENDING, "payment pending at Fiuu");
            case UNKNOWN -> item.notFound() + 1 < checkoutRequeries
                    ? new Decision.NotYet("Fiuu has no payment for the order yet")
                    : Decision.settled(outcomes -> outcomes.expired(state.paymentId()));
        };
    }
}
