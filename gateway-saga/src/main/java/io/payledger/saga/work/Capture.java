package io.payledger.saga.work;

import io.payledger.events.payment.PaymentState;
import io.payledger.events.payment.PaymentStatus;
import io.payledger.saga.fiuu.FiuuAnswers;
import io.payledger.saga.fiuu.FiuuClient;
import io.payledger.saga.reconciliation.LedgerPositions.Position;

/**
 * The merchant asked for a capture: {@code 00} or {@code 24} (already captured) is the capture, {@code 22} is asked
 * about again, a documented refusal fails the capture and leaves the authorisation standing.
 */
final class Capture implements FiuuStep {

    @Override
    public Decision take(FiuuWork.Item item, Position payment, FiuuClient fiuu) {
        PaymentState state = payment.state();
        if (state.status() != PaymentStatus.CAPTURE_PENDING) {
            return Decision.Settled.NOTHING_TO_DO; // captured or failed meanwhile
        }
        String tranId = state.gatewayTransactionId();
        FiuuAnswers.Capture answer = fiuu.capture(tranId, state.captureRequested());
        return switch (answer.outcome()) {
            case CAPTURED -> Decision.settled(outcomes -> outcomes.captured(state.paymentId(), tranId));
            case PENDING -> new Decision.Later(Decision.Again.PENDING, "capture pending at Fiuu");
            case REFUSED -> Decision.settled(outcomes -> outcomes.captureFailed(state.paymentId(), answer.statCode(),
                    "Fiuu refused the capture"));
        };
    }
}
