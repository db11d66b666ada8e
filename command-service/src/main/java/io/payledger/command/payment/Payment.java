package io.payledger.command.payment;

import static io.payledger.command.payment.Refusal.ALREADY_CAPTURED;
import static io.payledger.command.payment.Refusal.AMOUNT_EXCEEDS_AUTHORISED;
import static io.payledger.command.payment.Refusal.AMOUNT_EXCEEDS_REFUNDABLE;
import static io.payledger.command.payment.Refusal.CHARGE_NOT_FOUND;
import static io.payledger.command.payment.Refusal.CURRENCY_MISMATCH;
import static io.payledger.command.payment.Refusal.NO_ATTENTION_NEEDED;
import static io.payledger.command.payment.Refusal.OUTCOME_NOT_ALLOWED;
import static io.payledger.command.payment.Refusal.AUTOMATIC_CAPTURE;
import static io.payledger.command.payment.Refusal.CAPTURE_ALREADY_REQUESTED;
import static io.payledger.command.payment.Refusal.OUTCOME_CONTRADICTS_STATE;
import static io.payledger.command.payment.Refusal.PAYMENT_FINAL;
import static io.payledger.command.payment.Refusal.PAYMENT_NOT_AUTHORISED;
import static io.payledger.command.payment.Refusal.PAYMENT_NOT_CAPTURED;
import static io.payledger.command.payment.Refusal.PAYMENT_NOT_FOUND;
import static io.payledger.command.payment.Refusal.PAYMENT_VOIDED;
import static io.payledger.command.payment.Refusal.REFUND_NOT_FOUND;
import static io.payledger.command.payment.Refusal.VOID_ALREADY_REQUESTED;
import static io.payledger.events.payment.PaymentStatus.AUTHORISED;
import static io.payledger.events.payment.PaymentStatus.CAPTURED;
import static io.payledger.events.payment.PaymentStatus.CAPTURE_PENDING;
import static io.payledger.events.payment.PaymentStatus.CREATED;
import static io.payledger.events.payment.PaymentStatus.EXPIRED;
import static io.payledger.events.payment.PaymentStatus.FAILED;
import static io.payledger.events.payment.PaymentStatus.PARTIALLY_REFUNDED;
import static io.payledger.events.payment.PaymentStatus.VOIDED;
import static io.payledger.events.payment.PaymentStatus.VOID_PENDING;
import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import io.payledger.command.payment.PaymentCommands.CapturePayment;
import io.payledger.command.payment.PaymentCommands.ClearAttention;
import io.payledger.command.payment.PaymentCommands.RecordUnexpectedChargeRelease;
import io.payledger.command.payment.PaymentCommands.RequireAttention;
import io.payledger.command.payment.PaymentCommands.ResolveAttention;
import io.payledger.command.payment.PaymentCommands.InitiatePayment;
import io.payledger.command.payment.PaymentCommands.RecordAuthorisation;
import io.payledger.command.payment.PaymentCommands.RecordAuthorisationFailure;
import io.payledger.command.payment.PaymentCommands.RecordCapture;
import io.payledger.command.payment.PaymentCommands.RecordCaptureFailure;
import io.payledger.command.payment.PaymentCommands.RecordCheckoutPrepared;
import io.payledger.command.payment.PaymentCommands.RecordRefundFailure;
import io.payledger.command.payment.PaymentCommands.RecordRefundSuccess;
import io.payledger.command.payment.PaymentCommands.RecordVoidFailure;
import io.payledger.command.payment.PaymentCommands.RefundPayment;
import io.payledger.events.chain.EventHashChain;
import io.payledger.events.ledger.JournalEntries;
import io.payledger.events.money.Money;
import io.payledger.events.payment.AttentionCleared;
import io.payledger.events.payment.AttentionRequired;
import io.payledger.events.payment.AuthorisationFailed;
import io.payledger.events.payment.CaptureFailed;
import io.payledger.events.payment.CaptureMethod;
import io.payledger.events.payment.CaptureRequested;
import io.payledger.events.payment.CheckoutPrepared;
import io.payledger.events.payment.MerchantId;
import io.payledger.events.payment.PaymentAuthorised;
import io.payledger.events.payment.PaymentCaptured;
import io.payledger.events.payment.PaymentEvent;
import io.payledger.events.payment.PaymentExpired;
import io.payledger.events.payment.PaymentHistory;
import io.payledger.events.payment.PaymentId;
import io.payledger.events.payment.PaymentInitiated;
import io.payledger.events.payment.PaymentState;
import io.payledger.events.payment.PaymentStatus;
import io.payledger.events.payment.PaymentVoided;
import io.payledger.events.payment.Refund;
import io.payledger.events.payment.RefundFailed;
import io.payledger.events.payment.RefundId;
import io.payledger.events.payment.Steps;
import io.payledger.events.payment.UnexpectedCharge;
import io.payledger.events.payment.UnexpectedChargeReason;
import io.payledger.events.payment.UnexpectedChargeRecorded;
import io.payledger.events.payment.UnexpectedChargeReleased;
import io.payledger.events.payment.RefundRequested;
import io.payledger.events.payment.RefundStatus;
import io.payledger.events.payment.RefundSucceeded;
import io.payledger.events.payment.VoidFailed;
import io.payledger.events.payment.VoidRequested;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

/**
 * One payment, event-sourced. Each command method guards, decides and applies; the single
 * event-sourcing handler folds the event into {@link PaymentState} with the shared fold and
 * remembers the chain link, and never throws. A method that returns without applying anything
 * is an idempotent repeat: the caller gets the current state back.
 */
@Aggregate
public class Payment {

    @AggregateIdentifier
    private PaymentId paymentId;
    private PaymentState state;
    private long version = -1;
    private String lastHash = EventHashChain.GENESIS;

    protected Payment() {
        // for Axon, which rebuilds the payment from its events
    }

    Payment(InitiatePayment command, Instant now) {
        record(initiated(command, now));
    }

    /** A payment's first event; {@link PaymentCreations} writes it without loading an aggregate. */
    static PaymentInitiated initiated(InitiatePayment command, Instant now) {
        return new PaymentInitiated(command.paymentId(), command.merchantId(), command.merchantReference(),
                command.amount(), command.captureMethod(), command.customer(), command.description(),
                command.returnUrl(), command.metadata(), now);
    }

    // merchant commands

    void capture(CapturePayment command, Instant now) {
        requireOwnedBy(command.merchantId());
        if (state.captureMethod() == CaptureMethod.AUTOMATIC) {
            throw AUTOMATIC_CAPTURE.because("automatic payments are captured by the gateway on authorisation");
        }
        requireStatusForCapture();
        Money amount = command.amount() == null ? state.authorised() : command.amount().in(state.currency());
        if (amount.exceeds(state.authorised())) {
            throw AMOUNT_EXCEEDS_AUTHORISED.because("capture of " + amount + " exceeds the authorised " + state.authorised());
        }
        record(new CaptureRequested(paymentId, amount, now));
    }

    void voidAuthorisation(MerchantId merchant, Instant now) {
        requireOwnedBy(merchant);
        switch (state.status()) {
            case AUTHORISED -> record(new VoidRequested(paymentId, now));
            case VOID_PENDING -> throw VOID_ALREADY_REQUESTED.because("a void of this payment is in progress");
            case CAPTURE_PENDING -> throw CAPTURE_ALREADY_REQUESTED.because("a capture is in progress; refund it once captured");
            case CAPTURED, PARTIALLY_REFUNDED -> throw ALREADY_CAPTURED.because("a captured payment is refunded, not voided");
            default -> throw refusedIn(state.status(), "void");
        }
    }

    void refund(RefundPayment command, Instant now) {
        requireOwnedBy(command.merchantId());
        if (!EnumSet.of(CAPTURED, PARTIALLY_REFUNDED).contains(state.status())) {
            throw state.status().isTerminal() ? refusedIn(state.status(), "refund")
                    : PAYMENT_NOT_CAPTURED.because("only a captured payment can be refunded; it is " + state.status().code());
        }
        Money amount = command.amount().in(state.currency());
        if (amount.exceeds(state.refundable())) {
            throw AMOUNT_EXCEEDS_REFUNDABLE.because("refund of " + amount + " exceeds the " + state.refundable()
                    + " that may still be refunded");
        }
        record(new RefundRequested(paymentId, command.refundId(), amount, command.reason(),
                JournalEntries.refundRequested(amount), now));
    }

    // gateway outcomes

    void recordCheckoutPrepared(RecordCheckoutPrepared command, Instant now) {
        if (state.status() == CREATED) {
            record(new CheckoutPrepared(paymentId, command.redirectUrl(), now));
        }
    }

    /**
     * Fiuu reports money paid under the payment's order. It authorises the payment only while the payment
     * waits for its customer and only in its own amount and currency; anything else is the customer's money
     * that no payment accounts for, recorded as an unexpected charge for the gateway to release.
     */
    void recordAuthorisation(RecordAuthorisation command, Instant now) {
        Money charged = command.amount();
        String charge = command.gatewayTransactionId();
        if (charge != null && state.unexpectedCharge(charge).isPresent()) {
            return; // already recorded as unexpected
        }
        if (state.status().isBeforeAuthorisation()) {
            Optional<UnexpectedChargeReason> mismatch = !charged.currency().equals(state.currency())
                    ? Optional.of(UnexpectedChargeReason.CURRENCY_MISMATCH)
                    : !charged.equals(state.amount()) ? Optional.of(UnexpectedChargeReason.AMOUNT_MISMATCH) : Optional.empty();
            if (mismatch.isPresent()) {
                recordUnexpectedCharge(charge, charged, mismatch.get(), now);
                return;
            }
            record(new PaymentAuthorised(paymentId, charged, charge, JournalEntries.authorisation(charged), now));
            if (state.captureMethod() == CaptureMethod.AUTOMATIC) {
                record(new PaymentCaptured(paymentId, charged, charge, JournalEntries.capture(charged, charged), now));
            }
            return;
        }
        boolean theAuthorisationWeHold = !state.authorised().isZero()
                && (charge == null || charge.equals(state.gatewayTransactionId()));
        if (theAuthorisationWeHold) {
            return; // already recorded
        }
        recordUnexpectedCharge(charge, charged, switch (state.status()) {
            case FAILED -> UnexpectedChargeReason.AFTER_FAILURE;
            case EXPIRED -> UnexpectedChargeReason.AFTER_EXPIRY;
            default -> UnexpectedChargeReason.SECOND_CHARGE;
        }, now);
    }

    private void recordUnexpectedCharge(String charge, Money charged, UnexpectedChargeReason reason, Instant now) {
        if (charge == null) {
            throw OUTCOME_CONTRADICTS_STATE.because("Fiuu reports money (" + charged + ", " + reason.code()
                    + ") that this payment cannot account for, without a transaction id to release it by");
        }
        record(new UnexpectedChargeRecorded(paymentId, charge, charged, state.captureMethod() == CaptureMethod.AUTOMATIC,
                reason, JournalEntries.unexpectedCharge(charged), now));
    }

    void recordUnexpectedChargeRelease(RecordUnexpectedChargeRelease command, Instant now) {
        UnexpectedCharge charge = state.unexpectedCharge(command.chargeId())
                .orElseThrow(() -> CHARGE_NOT_FOUND.because("no unexpected charge " + command.chargeId()));
        if (!charge.isHeld()) {
            return;
        }
        record(new UnexpectedChargeReleased(paymentId, charge.chargeId(), charge.amount(), command.releasedBy(),
                command.gatewayReference(), JournalEntries.unexpectedChargeReleased(charge.amount()), now));
    }

    // steps waiting for a person

    void requireAttention(RequireAttention command, Instant now) {
        boolean alreadyWaiting = state.attentionTo(command.step())
                .filter(open -> open.reasonCode().equals(command.reasonCode())).isPresent();
        if (!alreadyWaiting) {
            record(new AttentionRequired(paymentId, command.step(), command.reasonCode(), command.detail(), now));
        }
    }

    void clearAttention(ClearAttention command, Instant now) {
        if (state.attentionTo(command.step()).isEmpty()) {
            if (command.resolution().startsWith("report-")) {
                return; // the gateway settling a report twice
            }
            throw NO_ATTENTION_NEEDED.because("nothing about " + command.step() + " waits for a person");
        }
        record(new AttentionCleared(paymentId, command.step(), command.resolution(), command.clearedBy(),
                command.note(), now));
    }

    /** An operator records what became of a stuck step, having found out at Fiuu (its portal, its support). */
    void resolveAttention(ResolveAttention command, Instant now) {
        String step = command.step();
        if (state.attentionTo(step).isEmpty()) {
            throw NO_ATTENTION_NEEDED.because("nothing about " + step + " waits for a person");
        }
        Runnable outcome = operatorOutcome(step, command.outcome(), now);
        record(new AttentionCleared(paymentId, step, command.outcome(), command.operator(), command.note(), now));
        outcome.run();
    }

    private Runnable operatorOutcome(String step, String outcome, Instant now) {
        String by = "operator";
        Optional<RefundId> refund = Steps.refundOf(step);
        Optional<String> charge = Steps.chargeOf(step);
        if (!Steps.outcomesOf(step).contains(outcome)) {
            throw OUTCOME_NOT_ALLOWED.because(step + " takes one of " + Steps.outcomesOf(step) + ", not " + outcome);
        }
        return switch (outcome) {
            case "captured" -> () -> recordCapture(new RecordCapture(paymentId, null, null), now);
            case "capture-failed" -> () -> recordCaptureFailure(new RecordCaptureFailure(paymentId, by, "resolved by an operator"), now);
            case "voided" -> () -> recordVoid(now);
            case "void-failed" -> () -> recordVoidFailure(new RecordVoidFailure(paymentId, by, "resolved by an operator"), now);
            case "refund-succeeded" -> () -> recordRefundSuccess(new RecordRefundSuccess(paymentId, refund.orElseThrow(), null), now);
            case "refund-failed" -> () -> recordRefundFailure(
                    new RecordRefundFailure(paymentId, refund.orElseThrow(), by, "resolved by an operator"), now);
            case "released" -> () -> recordUnexpectedChargeRelease(
                    new RecordUnexpectedChargeRelease(paymentId, charge.orElseThrow(), by, null), now);
            case "expired" -> () -> {
                if (!state.status().isBeforeAuthorisation()) {
                    // expiring an authorised payment would release the hold in the ledger and not at Fiuu
                    throw OUTCOME_NOT_ALLOWED.because("a payment that is " + state.status().code() + " is not expired by hand");
                }
                expire(now);
            };
            case "discarded" -> () -> { };
            default -> throw OUTCOME_NOT_ALLOWED.because("no such outcome " + outcome);
        };
    }

    /**
     * Fiuu reports a failed transaction under the payment's order. News of a transaction that is not the payment's
     * own (an unexpected charge reversed or charged back, another attempt after the authorisation) says nothing of
     * the payment and changes nothing; a failure of the very transaction the payment holds contradicts the record.
     */
    void recordAuthorisationFailure(RecordAuthorisationFailure command, Instant now) {
        String transaction = command.gatewayTransactionId();
        boolean anotherTransaction = transaction != null && (state.unexpectedCharge(transaction).isPresent()
                || (!state.status().isBeforeAuthorisation() && !state.authorised().isZero()
                    && !transaction.equals(state.gatewayTransactionId())));
        if (state.status() == FAILED || anotherTransaction) {
            return;
        }
        if (!state.status().isBeforeAuthorisation()) {
            throw OUTCOME_CONTRADICTS_STATE.because("a failed authorisation arrived for a payment that is "
                    + state.status().code());
        }
        record(new AuthorisationFailed(paymentId, command.gatewayTransactionId(), command.reasonCode(),
                command.reason(), now));
    }

    void recordCapture(RecordCapture command, Instant now) {
        if (EnumSet.of(CAPTURED, PARTIALLY_REFUNDED, PaymentStatus.REFUNDED).contains(state.status())) {
            return;
        }
        if (!EnumSet.of(CAPTURE_PENDING, AUTHORISED).contains(state.status())) {
            throw OUTCOME_CONTRADICTS_STATE.because("a capture arrived for a payment that is " + state.status().code());
        }
        Money amount = command.amount() != null ? inPaymentCurrency(command.amount())
                : state.status() == CAPTURE_PENDING ? state.captureRequested() : state.authorised();
        if (amount.exceeds(state.authorised())) {
            throw AMOUNT_EXCEEDS_AUTHORISED.because("the gateway reports a capture of " + amount
                    + " above the authorised " + state.authorised());
        }
        String transaction = Objects.requireNonNullElse(command.gatewayTransactionId(), state.gatewayTransactionId());
        record(new PaymentCaptured(paymentId, amount, transaction, JournalEntries.capture(state.authorised(), amount), now));
    }

    void recordCaptureFailure(RecordCaptureFailure command, Instant now) {
        if (state.status() == AUTHORISED) {
            return;
        }
        if (state.status() != CAPTURE_PENDING) {
            throw OUTCOME_CONTRADICTS_STATE.because("a failed capture arrived for a payment that is " + state.status().code());
        }
        record(new CaptureFailed(paymentId, state.captureRequested(), command.reasonCode(), command.reason(), now));
    }

    void recordVoid(Instant now) {
        if (state.status() == VOIDED) {
            return;
        }
        if (!EnumSet.of(VOID_PENDING, AUTHORISED).contains(state.status())) {
            throw OUTCOME_CONTRADICTS_STATE.because("a void arrived for a payment that is " + state.status().code());
        }
        record(new PaymentVoided(paymentId, state.authorised(), JournalEntries.releaseHold(state.authorised()), now));
    }

    void recordVoidFailure(RecordVoidFailure command, Instant now) {
        if (state.status() == AUTHORISED) {
            return;
        }
        if (state.status() != VOID_PENDING) {
            throw OUTCOME_CONTRADICTS_STATE.because("a failed void arrived for a payment that is " + state.status().code());
        }
        record(new VoidFailed(paymentId, command.reasonCode(), command.reason(), now));
    }

    void recordRefundSuccess(RecordRefundSuccess command, Instant now) {
        Refund refund = refundNamed(command.refundId());
        if (refund.status() == RefundStatus.SUCCEEDED) {
            return;
        }
        if (refund.status() == RefundStatus.FAILED) {
            throw OUTCOME_CONTRADICTS_STATE.because("refund " + refund.refundId() + " was already recorded as failed");
        }
        record(new RefundSucceeded(paymentId, refund.refundId(), refund.amount(), command.gatewayRefundId(),
                JournalEntries.refundSucceeded(refund.amount()), now));
    }

    void recordRefundFailure(RecordRefundFailure command, Instant now) {
        Refund refund = refundNamed(command.refundId());
        if (refund.status() == RefundStatus.FAILED) {
            return;
        }
        if (refund.status() == RefundStatus.SUCCEEDED) {
            throw OUTCOME_CONTRADICTS_STATE.because("refund " + refund.refundId() + " was already recorded as paid");
        }
        record(new RefundFailed(paymentId, refund.refundId(), refund.amount(), command.reasonCode(), command.reason(),
                JournalEntries.refundFailed(refund.amount()), now));
    }

    void expire(Instant now) {
        if (state.status() == EXPIRED) {
            return;
        }
        if (state.status().isBeforeAuthorisation()) {
            record(new PaymentExpired(paymentId, Money.zero(state.currency()), null, now));
        } else if (state.status() == AUTHORISED) {
            record(new PaymentExpired(paymentId, state.authorised(), JournalEntries.releaseHold(state.authorised()), now));
        } else {
            throw OUTCOME_CONTRADICTS_STATE.because("a payment that is " + state.status().code() + " cannot expire");
        }
    }

    // what the command side tells callers

    PaymentResult result() {
        return new PaymentResult(state, version);
    }

    /** A merchant never learns that another merchant's payment exists. */
    void requireOwnedBy(MerchantId merchant) {
        if (!state.merchantId().equals(merchant)) {
            throw PAYMENT_NOT_FOUND.because("no payment " + paymentId);
        }
    }

    // the rules' helpers

    private void requireStatusForCapture() {
        switch (state.status()) {
            case AUTHORISED -> { }
            case CAPTURE_PENDING -> throw CAPTURE_ALREADY_REQUESTED.because("a capture of this payment is in progress");
            case CAPTURED, PARTIALLY_REFUNDED, REFUNDED -> throw ALREADY_CAPTURED.because("the payment was captured already");
            case VOID_PENDING, VOIDED -> throw PAYMENT_VOIDED.because("a voided authorisation cannot be captured");
            case CREATED, AWAITING_CUSTOMER -> throw PAYMENT_NOT_AUTHORISED.because("the customer has not authorised the payment yet");
            default -> throw refusedIn(state.status(), "capture");
        }
    }

    private static PaymentRefused refusedIn(PaymentStatus status, String action) {
        if (status.isTerminal()) {
            return PAYMENT_FINAL.because("cannot " + action + " a payment that is " + status.code());
        }
        return OUTCOME_CONTRADICTS_STATE.because("cannot " + action + " a payment that is " + status.code());
    }

    private Money inPaymentCurrency(Money amount) {
        if (!amount.currency().equals(state.currency())) {
            throw CURRENCY_MISMATCH.because("the payment is in " + state.currency() + ", not " + amount.currency());
        }
        return amount;
    }

    private Refund refundNamed(RefundId refundId) {
        return state.refund(refundId).orElseThrow(() -> REFUND_NOT_FOUND.because("no refund " + refundId));
    }

    private void record(PaymentEvent event) {
        apply(event, ChainLinks.next(lastHash, event.paymentId().value(), version + 1, event));
    }

    @EventSourcingHandler
    void on(PaymentEvent event, @SequenceNumber long sequenceNumber,
            @MetaDataValue(value = EventHashChain.HASH, required = false) String hash) {
        paymentId = event.paymentId();
        state = PaymentHistory.apply(state, event);
        version = sequenceNumber;
        lastHash = hash == null ? lastHash : hash;
    }
}
