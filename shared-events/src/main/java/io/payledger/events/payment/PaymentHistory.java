package io.payledger.events.payment;

import io.payledger.events.money.Money;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The pure fold from a payment's events to its state. The aggregate folds with it as events are
 * applied; auditors fold a prefix of the log with it to see a payment as it stood at any instant.
 * It never throws for a history the aggregate could have written, and never consults a clock.
 */
public final class PaymentHistory {

    private PaymentHistory() {
    }

    /** The state after every event, in order; the first must be {@link PaymentInitiated}. */
    public static PaymentState replay(List<? extends PaymentEvent> events) {
        PaymentState state = null;
        for (PaymentEvent event : events) {
            state = apply(state, event);
        }
        if (state == null) {
            throw new IllegalArgumentException("a payment's history starts with PaymentInitiated");
        }
        return state;
    }

    public static PaymentState apply(PaymentState state, PaymentEvent event) {
        if (event instanceof PaymentInitiated initiated) {
            return started(initiated);
        }
        if (state == null) {
            throw new IllegalArgumentException("a payment's history starts with PaymentInitiated, not "
                    + event.getClass().getSimpleName());
        }
        Draft next = new Draft(state, event.occurredAt());
        if (event instanceof UnexpectedChargeRecorded e) {
            next.unexpectedCharges.add(new UnexpectedCharge(e.chargeId(), e.amount(), e.captured(), e.reason(),
                    e.occurredAt(), null, null));
        } else if (event instanceof UnexpectedChargeReleased e) {
            next.unexpectedCharges.replaceAll(charge -> charge.chargeId().equals(e.chargeId())
                    ? charge.release(e.occurredAt(), e.releasedBy()) : charge);
            next.settled(Steps.release(e.chargeId()));
        } else if (event instanceof AttentionRequired e) {
            next.settled(e.step());
            next.attention.add(new Attention(e.step(), e.reasonCode(), e.detail(), e.occurredAt()));
        } else if (event instanceof AttentionCleared e) {
            next.settled(e.step());
        } else if (event instanceof CheckoutPrepared e) {
            next.status = PaymentStatus.AWAITING_CUSTOMER;
            next.redirectUrl = e.redirectUrl();
        } else if (event instanceof PaymentAuthorised e) {
            next.settled(Steps.AUTHORISATION);
            next.status = PaymentStatus.AUTHORISED;
            next.authorised = e.amount();
            next.gatewayTransactionId = e.gatewayTransactionId();
        } else if (event instanceof AuthorisationFailed e) {
            next.settled(Steps.AUTHORISATION);
            next.status = PaymentStatus.FAILED;
            next.failed(e.reasonCode(), e.reason());
            next.gatewayTransactionId = e.gatewayTransactionId() == null ? next.gatewayTransactionId : e.gatewayTransactionId();
        } else if (event instanceof CaptureRequested e) {
            next.status = PaymentStatus.CAPTURE_PENDING;
            next.captureRequested = e.amount();
        } else if (event instanceof PaymentCaptured e) {
            next.settled(Steps.CAPTURE);
            next.status = PaymentStatus.CAPTURED;
            next.captured = e.amount();
            next.captureRequested = Money.zero(state.currency());
        } else if (event instanceof CaptureFailed e) {
            next.settled(Steps.CAPTURE);
            next.status = PaymentStatus.AUTHORISED;
            next.captureRequested = Money.zero(state.currency());
            next.failed(e.reasonCode(), e.reason());
        } else if (event instanceof VoidRequested) {
            next.status = PaymentStatus.VOID_PENDING;
        } else if (event instanceof PaymentVoided) {
            next.settled(Steps.VOID);
            next.status = PaymentStatus.VOIDED;
        } else if (event instanceof VoidFailed e) {
            next.settled(Steps.VOID);
            next.status = PaymentStatus.AUTHORISED;
            next.failed(e.reasonCode(), e.reason());
        } else if (event instanceof RefundRequested e) {
            next.refunds.add(new Refund(e.refundId(), e.amount(), RefundStatus.PENDING, e.reason(), null,
                    e.occurredAt(), e.occurredAt()));
        } else if (event instanceof RefundSucceeded e) {
            next.settled(Steps.refund(e.refundId()));
            next.settleRefund(e.refundId(), RefundStatus.SUCCEEDED, null);
        } else if (event instanceof RefundFailed e) {
            next.settled(Steps.refund(e.refundId()));
            next.settleRefund(e.refundId(), RefundStatus.FAILED, e.reasonCode());
        } else if (event instanceof PaymentExpired) {
            next.settled(Steps.AUTHORISATION);
            next.status = PaymentStatus.EXPIRED;
        }
        return next.build();
    }

    private static PaymentState started(PaymentInitiated e) {
        Money zero = Money.zero(e.amount().currency());
        return new PaymentState(e.paymentId(), e.merchantId(), e.merchantReference(), e.amount(),
                e.captureMethod(), PaymentStatus.CREATED, zero, zero, zero, null, null, List.of(),
                null, null, e.occurredAt(), e.occurredAt(), List.of(), List.of());
    }

    /** The mutable working copy of one step of the fold. */
    private static final class Draft {
        private final PaymentState from;
        private final Instant at;
        private PaymentStatus status;
        private Money authorised;
        private Money captured;
        private Money captureRequested;
        private String gatewayTransactionId;
        private String redirectUrl;
        private final List<Refund> refunds;
        private String failureCode;
        private String failureReason;
        private final List<UnexpectedCharge> unexpectedCharges;
        private final List<Attention> attention;

        private Draft(PaymentState from, Instant at) {
            this.from = from;
            this.at = at;
            this.status = from.status();
            this.authorised = from.authorised();
            this.captured = from.captured();
            this.captureRequested = from.captureRequested();
            this.gatewayTransactionId = from.gatewayTransactionId();
            this.redirectUrl = from.redirectUrl();
            this.refunds = new ArrayList<>(from.refunds());
            this.failureCode = from.failureCode();
            this.failureReason = from.failureReason();
            this.unexpectedCharges = new ArrayList<>(from.unexpectedCharges());
            this.attention = new ArrayList<>(from.attention());
        }

        /** The step's outcome is known, or its new state replaces the old: it no longer waits for a person. */
        private void settled(String step) {
            attention.removeIf(item -> item.step().equals(step));
        }

        private void failed(String code, String reason) {
            failureCode = code;
            failureReason = reason;
        }

        private void settleRefund(RefundId refundId, RefundStatus outcome, String code) {
            refunds.replaceAll(refund -> refund.refundId().equals(refundId) ? refund.settle(outcome, code, at) : refund);
            Money refunded = refunds.stream()
                    .filter(refund -> refund.status() == RefundStatus.SUCCEEDED)
                    .map(Refund::amount)
                    .reduce(Money.zero(from.currency()), Money::plus);
            if (refunded.isPositive()) {
                status = refunded.equals(captured) ? PaymentStatus.REFUNDED : PaymentStatus.PARTIALLY_REFUNDED;
            }
        }

        private PaymentState build() {
            return new PaymentState(from.paymentId(), from.merchantId(), from.merchantReference(), from.amount(),
                    from.captureMethod(), status, authorised, captured, captureRequested, gatewayTransactionId,
                    redirectUrl, refunds, failureCode, failureReason, from.createdAt(), at, unexpectedCharges, attention);
        }
    }
}
