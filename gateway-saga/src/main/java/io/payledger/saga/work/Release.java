package io.payledger.saga.work;

import io.payledger.events.payment.Steps;
import io.payledger.events.payment.UnexpectedCharge;
import io.payledger.saga.fiuu.FiuuAnswers;
import io.payledger.saga.fiuu.FiuuClient;
import io.payledger.saga.payment.FiuuOrders;
import io.payledger.saga.reconciliation.LedgerPositions.Position;

/**
 * Gives an unexpected charge back to the customer: reversed while Fiuu only holds it, refunded in full once taken
 * (RefID {@code UC<tranID>}, unique by construction, so a retry can never refund twice). Fiuu's portal, not the
 * payment, decides sale or hold, so each way turns into the other when Fiuu says so: a refused reversal of a charge
 * Fiuu says it took becomes a refund, a refund answered PR010 (not refundable: only held) becomes a reversal.
 */
final class Release implements FiuuStep {

    private final FiuuOrders orders;

    Release(FiuuOrders orders) {
        this.orders = orders;
    }

    @Override
    public Decision take(FiuuWork.Item item, Position payment, FiuuClient fiuu) {
        String chargeId = Steps.chargeOf(item.step()).orElseThrow();
        UnexpectedCharge charge = payment.state().unexpectedCharge(chargeId).orElse(null);
        if (charge == null || !charge.isHeld()) {
            return Decision.Settled.NOTHING_TO_DO; // released meanwhile (an operator, a notification)
        }
        return item.byRefund() ? refund(item, payment, charge, fiuu) : reverse(payment, charge, fiuu);
    }

    private Decision reverse(Position payment, UnexpectedCharge charge, FiuuClient fiuu) {
        FiuuAnswers.Void answer = fiuu.reverse(charge.chargeId());
        if (answer.outcome() == FiuuAnswers.VoidOutcome.VOIDED) {
            return released(payment, charge, "reversal", null);
        }
        FiuuAnswers.Status atFiuu = fiuu.queryTransaction(charge.chargeId(), charge.amount());
        if (atFiuu.reversed()) {
            return released(payment, charge, "reversal", null);
        }
        if (atFiuu.outcome() == FiuuAnswers.PaymentOutcome.CAPTURED) {
            return new Decision.OtherWay("Fiuu took it, not held it: refunding instead");
        }
        return new Decision.AskAPerson("release-refused", "the reversal answered " + answer.statCode()
                + " and Fiuu says the transaction is " + atFiuu.statCode() + " " + atFiuu.statName());
    }

    private Decision refund(FiuuWork.Item item, Position payment, UnexpectedCharge charge, FiuuClient fiuu) {
        String refId = "UC" + charge.chargeId();
        orders.registerRelease(refId, payment.state().paymentId(), charge.chargeId());
        FiuuAnswers.Refund answer = item.accepted() ? fiuu.refundStatus(refId)
                : fiuu.refund(refId, charge.chargeId(), charge.amount());
        if (answer.outcome() == FiuuAnswers.RefundOutcome.DUPLICATE) {
            answer = fiuu.refundStatus(refId);
        }
        return switch (answer.outcome()) {
            case SUCCEEDED -> released(payment, charge, "refund", answer.refundId());
            case REJECTED -> "PR010".equals(answer.code())
                    ? new Decision.OtherWay("not in a refundable status: Fiuu only holds it, reversing instead")
                    : new Decision.AskAPerson("release-refused", "Fiuu rejected the refund " + refId + ": " + answer.code());
            case PENDING, DUPLICATE -> new Decision.Later(Decision.Again.REFUND_PENDING, "refund " + refId + " pending at Fiuu");
        };
    }

    private static Decision released(Position payment, UnexpectedCharge charge, String by, String gatewayReference) {
        return Decision.settled(outcomes -> outcomes.unexpectedChargeReleased(payment.state().paymentId(), charge.chargeId(),
                by, gatewayReference));
    }
}
