package io.payledger.saga.work;

import io.payledger.events.payment.Refund;
import io.payledger.events.payment.RefundId;
import io.payledger.events.payment.RefundStatus;
import io.payledger.events.payment.Steps;
import io.payledger.saga.fiuu.FiuuAnswers;
import io.payledger.saga.fiuu.FiuuClient;
import io.payledger.saga.reconciliation.LedgerPositions.Position;

/**
 * A merchant's refund, under RefID = our refund id. Fiuu takes days over a refund: once it accepted one (pending),
 * it is asked about by RefID from then on and never sent again; a repeated RefID (PR016: we asked before, and the
 * answer was lost) is asked about too. Paid or rejected settles it.
 */
final class RefundAtFiuu implements FiuuStep {

    @Override
    public Decision take(FiuuWork.Item item, Position payment, FiuuClient fiuu) {
        RefundId refundId = Steps.refundOf(item.step()).orElseThrow();
        Refund refund = payment.state().refund(refundId).orElse(null);
        if (refund == null || refund.status() != RefundStatus.PENDING) {
            return Decision.Settled.NOTHING_TO_DO; // settled meanwhile (a notification, say)
        }
        FiuuAnswers.Refund answer = item.accepted() ? fiuu.refundStatus(refundId.value())
                : fiuu.refund(refundId.value(), payment.state().gatewayTransactionId(), refund.amount());
        if (answer.outcome() == FiuuAnswers.RefundOutcome.DUPLICATE) {
            answer = fiuu.refundStatus(refundId.value());
        }
        FiuuAnswers.Refund settled = answer;
        return switch (answer.outcome()) {
            case SUCCEEDED -> Decision.settled(outcomes -> outcomes.refundSucceeded(payment.state().paymentId(), refundId,
                    settled.refundId()));
            case REJECTED -> Decision.settled(outcomes -> outcomes.refundFailed(payment.state().paymentId(), refundId,
                    settled.code(), "Fiuu rejected the refund"));
            case PENDING, DUPLICATE -> new Decision.Later(Decision.Again.REFUND_PENDING, "refund pending at Fiuu");
        };
    }
}
