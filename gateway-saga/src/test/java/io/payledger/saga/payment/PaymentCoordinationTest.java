package io.payledger.saga.payment;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import io.payledger.events.ledger.JournalEntries;
import io.payledger.events.money.Money;
import io.payledger.events.payment.AttentionCleared;
import io.payledger.events.payment.CaptureMethod;
import io.payledger.events.payment.CaptureRequested;
import io.payledger.events.payment.Customer;
import io.payledger.events.payment.MerchantId;
import io.payledger.events.payment.PaymentId;
import io.payledger.events.payment.PaymentInitiated;
import io.payledger.events.payment.RefundId;
import io.payledger.events.payment.RefundRequested;
import io.payledger.events.payment.Steps;
import io.payledger.events.payment.UnexpectedChargeReason;
import io.payledger.events.payment.UnexpectedChargeRecorded;
import io.payledger.events.payment.UnexpectedChargeReleased;
import io.payledger.events.payment.VoidRequested;
import io.payledger.saga.charge.UnexpectedCharges;
import io.payledger.saga.command.PaymentOutcomes;
import io.payledger.saga.fiuu.FiuuCheckout;
import io.payledger.saga.notification.NotificationInbox;
import io.payledger.saga.work.FiuuWork;
import io.payledger.saga.work.FiuuWorkers;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What each event asks of Fiuu: the work it schedules (never a call to Fiuu on the event's thread), the reports it
 * makes at once, and what a redelivered event does (nothing twice). What a step does with Fiuu's answers is
 * FiuuStepsTest's; how the workers count and record it is FiuuWorkersIT's.
 */
class PaymentCoordinationTest {

    static final PaymentId PAYMENT = PaymentId.of("pay-1");
    static final Money AMOUNT = Money.of(1050, "MYR");
    static final Instant T = Instant.parse("2026-11-22T10:00:00Z");
    static final RefundId REFUND = RefundId.of("refund-1");
    static final SagaTimings TIMINGS = new SagaTimings(Duration.ofMinutes(15), 3, Duration.ofSeconds(5), Duration.ofMinutes(5), 0, 0);
    /** The order id Fiuu knows the payment by: made from the payment id, never from the merchant's reference. */
    static final String ORDER = FiuuOrderIds.of(PAYMENT);
    static final String CHECKOUT_URL = "https://pay.example/RMS/pay/M/?x";

    private final FiuuCheckout checkout = mock(FiuuCheckout.class);
    private final FiuuOrders orders = mock(FiuuOrders.class);
    private final FiuuWork work = mock(FiuuWork.class);
    private final FiuuWorkers workers = mock(FiuuWorkers.class);
    private final PaymentOutcomes outcomes = mock(PaymentOutcomes.class);
    private final UnexpectedCharges charges = mock(UnexpectedCharges.class);
    private final NotificationInbox inbox = mock(NotificationInbox.class);
    private final PaymentCoordination coordination = new PaymentCoordination(checkout, orders, work, workers, outcomes, charges,
            inbox, TIMINGS);

    @BeforeEach
    void fiuuKnowsNoOtherPaymentByTheOrderIdAndEachEventIsNew() {
        when(orders.register(any(), any(), any(), any())).thenReturn(true);
        when(checkout.url(any(), any(), anyBoolean(), any(), any(), any(), any())).thenReturn(CHECKOUT_URL);
        when(work.schedule(any(), any(), any(), any(), anyBoolean())).thenReturn(true);
    }

    static PaymentInitiated initiated(CaptureMethod method) {
        return new PaymentInitiated(PAYMENT, MerchantId.of("m-1"), "ORD-1", AMOUNT, method, Customer.guest(), "2 items",
                "https://shop.example/return", Map.of(), T);
    }

    static UnexpectedChargeRecorded unexpectedCharge(boolean captured) {
        return new UnexpectedChargeRecorded(PAYMENT, "30009", AMOUNT, captured, UnexpectedChargeReason.AFTER_FAILURE,
                JournalEntries.unexpectedCharge(AMOUNT), T);
    }

    @Test
    void aNewManualPaymentGetsAPreAuthorisationCheckoutAndARequeryDueIfItHearsNothing() {
        coordination.on(initiated(CaptureMethod.MANUAL), "event-1");

        verify(orders).register(ORDER, PAYMENT, "MYR", "https://shop.example/return");
        verify(work).schedule("event-1", PAYMENT, Steps.AUTHORISATION, Duration.ofMinutes(15), false);
        verify(checkout).url(ORDER, AMOUNT, false, "ORD-1", "2 items", "https://shop.example/return", null);
        verify(outcomes).checkoutPrepared(PAYMENT, CHECKOUT_URL);
    }

    @Test
    void anAutomaticPaymentGetsASaleCheckout() {
        coordination.on(initiated(CaptureMethod.AUTOMATIC), "event-1");

        verify(checkout).url(ORDER, AMOUNT, true, "ORD-1", "2 items", "https://shop.example/return", null);
    }

    @Test
    void aRedeliveredPaymentInitiatedReportsNoSecondCheckout() {
        when(work.schedule(eq("event-1"), any(), any(), any(), anyBoolean())).thenReturn(false);

        coordination.on(initiated(CaptureMethod.MANUAL), "event-1");

        verifyNoInteractions(checkout, outcomes);
    }

    @Test
    void aPaymentWhoseOrderIdAnotherPaymentHoldsAtFiuuFailsAndIsNeverSentToCheckout() {
        when(orders.register(any(), any(), any(), any())).thenReturn(false);

        coordination.on(initiated(CaptureMethod.MANUAL), "event-1");

        verify(outcomes).authorisationFailed(eq(PAYMENT), eq(null), eq("order-id-in-use"), any());
        verify(work, never()).schedule(any(), any(), any(), any(), anyBoolean());
        verifyNoInteractions(checkout);
    }

    @Test
    void aCaptureTheMerchantAskedForIsFiuuWorkDueNowAndWakesTheWorkers() {
        coordination.on(new CaptureRequested(PAYMENT, AMOUNT, T), "event-2");

        verify(work).schedule("event-2", PAYMENT, Steps.CAPTURE, Duration.ZERO, false);
        verify(workers).wake();
        verifyNoInteractions(outcomes);
    }

    @Test
    void aVoidTheMerchantAskedForIsFiuuWorkDueNow() {
        coordination.on(new VoidRequested(PAYMENT, T), "event-2");

        verify(work).schedule("event-2", PAYMENT, Steps.VOID, Duration.ZERO, false);
    }

    @Test
    void aRefundIsRegisteredUnderItsRefIdSoFiuusNotificationFindsThePaymentThenIsFiuuWorkOfItsOwn() {
        Money half = Money.of(500, "MYR");
        coordination.on(new RefundRequested(PAYMENT, REFUND, half, null, JournalEntries.refundRequested(half), T), "event-3");

        verify(orders).registerRefund("refund-1", PAYMENT);
        verify(work).schedule("event-3", PAYMENT, Steps.refund(REFUND), Duration.ZERO, false);
    }

    @Test
    void aRedeliveredRequestSchedulesNothingTwiceAndWakesNoWorker() {
        when(work.schedule(eq("event-2"), any(), any(), any(), anyBoolean())).thenReturn(false);

        coordination.on(new CaptureRequested(PAYMENT, AMOUNT, T), "event-2");

        verifyNoInteractions(workers);
    }

    @Test
    void aHeldUnexpectedChargeIsRegisteredAndGivenBackByReversal() {
        coordination.on(unexpectedCharge(false), "event-4");

        verify(charges).add("30009", PAYMENT, AMOUNT, false, "after-failure");
        verify(work).schedule("event-4", PAYMENT, Steps.release("30009"), Duration.ZERO, false);
    }

    @Test
    void aTakenUnexpectedChargeIsGivenBackByRefund() {
        coordination.on(unexpectedCharge(true), "event-4");

        verify(work).schedule("event-4", PAYMENT, Steps.release("30009"), Duration.ZERO, true);
    }

    @Test
    void aReleasedUnexpectedChargeLeavesTheRegisterOfChargesStillHeld() {
        coordination.on(new UnexpectedChargeReleased(PAYMENT, "30009", AMOUNT, "reversal", null,
                JournalEntries.unexpectedChargeReleased(AMOUNT), T));

        verify(charges).released("30009", T);
    }

    @Test
    void anOperatorsRetryOfAStuckStepMakesItsWorkDueAgain() {
        when(work.revive(PAYMENT, Steps.CAPTURE)).thenReturn(true);

        coordination.on(new AttentionCleared(PAYMENT, Steps.CAPTURE, "retry", "ops-1", null, T));

        verify(work).revive(PAYMENT, Steps.CAPTURE);
        verify(workers).wake();
    }

    @Test
    void anOperatorsRetryOfAStuckNotificationRevivesItInTheInbox() {
        coordination.on(new AttentionCleared(PAYMENT, Steps.notification("30009"), "retry", "ops-1", null, T));

        verify(inbox).revive("30009");
        verifyNoInteractions(work);
    }

    @Test
    void anOutcomeAnOperatorRecordedAsksNothingOfFiuu() {
        coordination.on(new AttentionCleared(PAYMENT, Steps.CAPTURE, "captured", "ops-1", null, T));

        verifyNoInteractions(work, workers, inbox);
    }
}
