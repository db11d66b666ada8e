package io.payledger.saga.reconciliation;

import io.payledger.events.payment.PaymentStatus;
import io.payledger.events.payment.Refund;
import io.payledger.events.payment.RefundStatus;
import io.payledger.events.payment.UnexpectedCharge;
import io.payledger.saga.fiuu.FiuuAnswers;
import io.payledger.saga.fiuu.FiuuAnswers.PaymentOutcome;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Whether the ledger and Fiuu agree about one payment, and if not, how they disagree. The ledger is
 * not assumed right: a disagreement is reported for a person to look at, never corrected here.
 */
final class Comparison {

    /** How the two records of a payment disagree. */
    enum Kind {
        /** the ledger says Fiuu holds or took the money; Fiuu has no such transaction, or a failed one */
        MISSING_AT_GATEWAY,
        /** Fiuu holds or took the money; the ledger says the payment never got that far, or failed */
        MISSING_IN_LEDGER,
        /** both know the money, at different stages: captured on one side and only authorised on the other, or voided */
        STATUS_DIFFERS,
        /** both hold the payment, for different amounts */
        AMOUNT_DIFFERS,
        /** both hold the payment, under different Fiuu transaction ids */
        TRANSACTION_DIFFERS,
        /** a refund the ledger settled stands otherwise at Fiuu: paid there but failed here, or the reverse */
        REFUND_DIFFERS,
        /** an unexpected charge the ledger says was given back that Fiuu still holds or took */
        UNEXPECTED_CHARGE_DIFFERS;

        String code() {
            return name().toLowerCase().replace('_', '-');
        }
    }

    /** The ledger's side: what its events say of the payment (a row of ledger_payment). */
    record LedgerPosition(String paymentId, String merchantId, String orderId, String currency, long amount,
                          PaymentStatus status, long authorised, long captured, String gatewayTransactionId,
                          List<Refund> refunds, List<UnexpectedCharge> unexpectedCharges) {

        /** Whether the transaction is one the ledger knows as an unexpected charge of this payment. */
        boolean knowsAsUnexpected(String tranId) {
            return tranId != null && unexpectedCharges.stream().anyMatch(charge -> charge.chargeId().equals(tranId));
        }

        /** What the ledger says the gateway holds (authorised) or took (captured). */
        long atGateway() {
            return captured > 0 ? captured : authorised;
        }
    }

    private static final Set<PaymentStatus> HELD = EnumSet.of(PaymentStatus.AUTHORISED, PaymentStatus.CAPTURE_PENDING,
            PaymentStatus.VOID_PENDING);
    private static final Set<PaymentStatus> TAKEN = EnumSet.of(PaymentStatus.CAPTURED, PaymentStatus.PARTIALLY_REFUNDED,
            PaymentStatus.REFUNDED);

    private Comparison() {
    }

    static Optional<Kind> of(LedgerPosition ledger, FiuuAnswers.Status gateway) {
        boolean gatewayHasMoney = gateway.outcome() == PaymentOutcome.AUTHORISED || gateway.outcome() == PaymentOutcome.CAPTURED;
        boolean ledgerHasMoney = HELD.contains(ledger.status()) || TAKEN.contains(ledger.status());
        if (ledgerHasMoney && !gatewayHasMoney) {
            boolean reversalUnderWay = ledger.status() == PaymentStatus.VOID_PENDING && gateway.outcome() == PaymentOutcome.FAILED;
            return reversalUnderWay ? Optional.empty() : Optional.of(Kind.MISSING_AT_GATEWAY);
        }
        if (!ledgerHasMoney && gatewayHasMoney) {
            return Optional.of(ledger.status() == PaymentStatus.VOIDED ? Kind.STATUS_DIFFERS : Kind.MISSING_IN_LEDGER);
        }
        if (!ledgerHasMoney) {
            return Optional.empty(); // neither holds money: not paid, failed, expired, or voided on both sides
        }
        boolean gatewayCaptured = gateway.outcome() == PaymentOutcome.CAPTURED;
        boolean ledgerCaptured = TAKEN.contains(ledger.status());
        boolean captureUnderWay = ledger.status() == PaymentStatus.CAPTURE_PENDING;
        if (gatewayCaptured != ledgerCaptured && !captureUnderWay) {
            return Optional.of(Kind.STATUS_DIFFERS);
        }
        if (gateway.tranId() != null && ledger.gatewayTransactionId() != null
                && !gateway.tranId().equals(ledger.gatewayTransactionId())) {
            return Optional.of(Kind.TRANSACTION_DIFFERS);
        }
        if (gateway.amount() != null && (gateway.amount().amount() != ledger.authorised()
                || !gateway.amount().currency().equals(ledger.currency()))) {
            return Optional.of(Kind.AMOUNT_DIFFERS);
        }
        return Optional.empty();
    }

    /**
     * One unexpected charge. Given back, per the ledger, it must be given back at Fiuu too: reversed, or refunded
     * under its release RefID. Still held per the ledger, it is on its way back (the release may already have gone
     * through at Fiuu) and agrees with anything.
     *
     * @param refund what Fiuu says of the refund that gives it back; null when none was asked for
     */
    static Optional<Kind> ofCharge(UnexpectedCharge charge, FiuuAnswers.Status transaction, FiuuAnswers.Refund refund) {
        if (charge.isHeld()) {
            return Optional.empty();
        }
        return givenBackAtFiuu(transaction, refund) ? Optional.empty() : Optional.of(Kind.UNEXPECTED_CHARGE_DIFFERS);
    }

    static boolean givenBackAtFiuu(FiuuAnswers.Status transaction, FiuuAnswers.Refund refund) {
        return transaction.reversed() || (refund != null && refund.outcome() == FiuuAnswers.RefundOutcome.SUCCEEDED);
    }

    /**
     * One refund: a pending one is in flight and agrees with anything; one the ledger says succeeded
     * must have succeeded at Fiuu; one it says failed must not have (Fiuu rejected it, or never had it).
     */
    static Optional<Kind> ofRefund(RefundStatus ledger, FiuuAnswers.Refund gateway) {
        boolean paidAtFiuu = gateway.outcome() == FiuuAnswers.RefundOutcome.SUCCEEDED;
        boolean unknownAtFiuu = "unknown".equals(gateway.code());
        return switch (ledger) {
            case PENDING -> Optional.empty();
            case SUCCEEDED -> paidAtFiuu ? Optional.empty() : Optional.of(Kind.REFUND_DIFFERS);
            case FAILED -> paidAtFiuu || !(unknownAtFiuu || gateway.outcome() == FiuuAnswers.RefundOutcome.REJECTED)
                    ? Optional.of(Kind.REFUND_DIFFERS) : Optional.empty();
        };
    }
}
