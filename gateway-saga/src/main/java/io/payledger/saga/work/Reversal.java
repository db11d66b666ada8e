package io.payledger.saga.work;

import io.payledger.events.payment.PaymentState;
import io.payledger.events.payment.PaymentStatus;
import io.payledger.saga.fiuu.FiuuAnswers;
import io.payledger.saga.fiuu.FiuuClient;
import io.payledger.saga.reconciliation.LedgerPositions.Position;

/**
 * The merchant asked for a void: {@code 00} is the void. A refusal is also what a retried reversal hears when its
 * first attempt went through and its answer was lost, so Fiuu is asked about the transaction: reversed, it is the
 * void; still authorised, the void failed; anything else (captured, say) is for a person.
 */
final class Reversal implements FiuuStep {

    @Override
    public Decision take(FiuuWork.Item item, Position payment, FiuuClient fiuu) {
        PaymentState state = payment.state();
        if (state.status() != PaymentStatus.VOID_PENDING) {
            return Decision.Settled.NOTHING_TO_DO; // voided or failed meanwhile
        }
        String tranId = state.gatewayTransactionId();
        FiuuAnswers.Void answer = fiuu.reverse(tranId);
        if (answer.outcome() == FiuuAnswers.VoidOutcome.VOIDED) {
            return Decision.settled(outcomes -> outcomes.voided(state.paymentId()));
        }
        FiuuAnswers.Status atFiuu = fiuu.queryTransaction(tranId, state.authorised());
        if (atFiuu.reversed()) {
            return Decision.settled(outcomes -> outcomes.voided(state.paymentId()));
        }
        if (atFiuu.outcome() == FiuuAnswers.PaymentOutcome.AUTHORISED) {
            return Decision.settled(outcomes -> outcomes.voidFailed(state.paymentId(), answer.statCode(),
                    "Fiuu refused the reversal"));
        }
        return new Decision.AskAPerson("void-refused", "the reversal answered " + answer.statCode()
                + " and Fiuu says the transaction is " + atFiuu.statCode() + " " + atFiuu.statName());
    }
}
