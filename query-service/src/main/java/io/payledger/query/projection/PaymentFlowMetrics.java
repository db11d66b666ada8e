package io.payledger.query.projection;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.payledger.events.money.Money;
import io.payledger.events.payment.AuthorisationFailed;
import io.payledger.events.payment.CaptureFailed;
import io.payledger.events.payment.PaymentAuthorised;
import io.payledger.events.payment.PaymentCaptured;
import io.payledger.events.payment.PaymentEvent;
import io.payledger.events.payment.PaymentExpired;
import io.payledger.events.payment.PaymentInitiated;
import io.payledger.events.payment.PaymentState;
import io.payledger.events.payment.PaymentVoided;
import io.payledger.events.payment.RefundFailed;
import io.payledger.events.payment.RefundSucceeded;
import io.payledger.events.payment.UnexpectedChargeReason;
import io.payledger.events.payment.UnexpectedChargeRecorded;
import io.payledger.events.payment.UnexpectedChargeReleased;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The payment stream as the business watches it, counted once per event the live projection applies
 * for the first time (a redelivered event is not counted again, a rebuild counts nothing):
 * <ul>
 *   <li>{@code payledger_payments_total{outcome}}: created, authorised, declined, captured, capture_failed,
 *       voided, refunded, refund_failed, expired;</li>
 *   <li>{@code payledger_payment_amount_minor{outcome, currency}}: the amounts created, authorised, captured
 *       and refunded, in minor units (sum them per currency, never across currencies);</li>
 *   <li>{@code payledger_payment_duration_seconds{outcome}}: from a payment's creation to its authorisation,
 *       decline, capture or expiry, by the events' own clocks; the customer's time on Fiuu's page is in it;</li>
 *   <li>{@code payledger_unexpected_charges_total{reason}} and {@code payledger_unexpected_charges_released_total}:
 *       money Fiuu holds or took that no payment accounts for, and what of it was given back.</li>
 * </ul>
 * Every outcome's counter exists from start-up at zero, so "no payments for 15 minutes" can be told
 * apart from "never scraped".
 */
final class PaymentFlowMetrics {

    /** The events that record an outcome, and its name; the other events (requests, checkout) are steps. */
    private static final Map<Class<? extends PaymentEvent>, String> OUTCOMES = Map.of(
            PaymentInitiated.class, "created",
            PaymentAuthorised.class, "authorised",
            AuthorisationFailed.class, "declined",
            PaymentCaptured.class, "captured",
            CaptureFailed.class, "capture_failed",
            PaymentVoided.class, "voided",
            RefundSucceeded.class, "refunded",
            RefundFailed.class, "refund_failed",
            PaymentExpired.class, "expired");

    private final MeterRegistry meters;
    private final Map<String, Counter> payments = new LinkedHashMap<>();
    private final Map<UnexpectedChargeReason, Counter> unexpectedCharges = new EnumMap<>(UnexpectedChargeReason.class);
    private final Counter unexpectedChargesReleased;

    PaymentFlowMetrics(MeterRegistry meters) {
        this.meters = meters;
        for (String outcome : new TreeSet<>(OUTCOMES.values())) {
            payments.put(outcome, Counter.builder("payledger.payments")
                    .description("payment events applied, by the outcome they record")
                    .tag("outcome", outcome).register(meters));
        }
        for (UnexpectedChargeReason reason : UnexpectedChargeReason.values()) {
            unexpectedCharges.put(reason, Counter.builder("payledger.unexpected.charges")
                    .description("money Fiuu holds or took under a payment's order that is not its authorisation")
                    .tag("reason", reason.code()).register(meters));
        }
        unexpectedChargesReleased = Counter.builder("payledger.unexpected.charges.released")
                .description("unexpected charges Fiuu gave back to the customer").register(meters);
    }

    /** Records one newly applied event; {@code state} is its payment folded up to and including it. */
    void record(PaymentEvent event, PaymentState state) {
        if (event instanceof UnexpectedChargeRecorded charge) {
            unexpectedCharges.get(charge.reason()).increment();
        } else if (event instanceof UnexpectedChargeReleased) {
            unexpectedChargesReleased.increment();
        }
        String outcome = OUTCOMES.get(event.getClass());
        if (outcome == null) {
            return;
        }
        payments.get(outcome).increment();
        amountOf(event).ifPresent(amount -> DistributionSummary.builder("payledger.payment.amount.minor")
                .description("amounts moved, in minor units of the currency")
                .tag("outcome", outcome).tag("currency", amount.currency())
                .register(meters).record(amount.amount()));
        if (state != null && endsAWait(event)) {
            Duration taken = Duration.between(state.createdAt(), event.occurredAt());
            Timer.builder("payledger.payment.duration")
                    .description("from a payment's creation to this outcome")
                    .tag("outcome", outcome)
                    .publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofMillis(10)).maximumExpectedValue(Duration.ofHours(1))
                    .register(meters).record(taken.isNegative() ? Duration.ZERO : taken);
        }
    }

    private static Optional<Money> amountOf(PaymentEvent event) {
        if (event instanceof PaymentInitiated initiated) {
            return Optional.of(initiated.amount());
        } else if (event instanceof PaymentAuthorised authorised) {
            return Optional.of(authorised.amount());
        } else if (event instanceof PaymentCaptured captured) {
            return Optional.of(captured.amount());
        } else if (event instanceof RefundSucceeded refunded) {
            return Optional.of(refunded.amount());
        }
        return Optional.empty();
    }

    private static boolean endsAWait(PaymentEvent event) {
        return event instanceof PaymentAuthorised || event instanceof AuthorisationFailed
                || event instanceof PaymentCaptured || event instanceof PaymentExpired;
    }
}
