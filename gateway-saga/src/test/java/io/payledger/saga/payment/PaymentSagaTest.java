package io.payledger.saga.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.payledger.events.ledger.JournalEntries;
import io.payledger.events.money.Money;
import io.payledger.events.payment.AttentionCleared;
import io.payledger.events.payment.AuthorisationFailed;
import io.payledger.events.payment.CaptureMethod;
import io.payledger.events.payment.CaptureRequested;
import io.payledger.events.payment.Customer;
import io.payledger.events.payment.MerchantId;
import io.payledger.events.payment.PaymentAuthorised;
import io.payledger.events.payment.PaymentCaptured;
import io.payledger.events.payment.PaymentExpired;
import io.payledger.events.payment.PaymentId;
import io.payledger.events.payment.PaymentInitiated;
import io.payledger.events.payment.PaymentVoided;
import io.payledger.events.payment.RefundFailed;
import io.payledger.events.payment.RefundId;
import io.payledger.events.payment.RefundRequested;
import io.payledger.events.payment.RefundSucceeded;
import io.payledger.events.payment.UnexpectedChargeReason;
import io.payledger.events.payment.UnexpectedChargeRecorded;
import io.payledger.events.payment.VoidRequested;
import io.payledger.saga.command.PaymentOutcomes;
import io.payledger.saga.fiuu.FiuuAnswers;
import io.payledger.saga.fiuu.FiuuAnswers.CaptureOutcome;
import io.payledger.saga.fiuu.FiuuAnswers.PaymentOutcome;
import io.payledger.saga.fiuu.FiuuAnswers.RefundOutcome;
import io.payledger.saga.fiuu.FiuuAnswers.VoidOutcome;
import io.payledger.saga.fiuu.FiuuCheckout;
import io.payledger.saga.fiuu.FiuuClient;
import io.payledger.saga.fiuu.FiuuUnavailable;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.test.saga.SagaTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PaymentSagaTest {

    static final PaymentId PAYMENT = PaymentId.of("pay-1");
    static final String ID = PAYMENT.value();
    static final Money AMOUNT = Money.of(1050, "MYR");
    static final Instant T = Instant.parse("2026-11-22T10:00:00Z");
    static final RefundId REFUND = RefundId.of("refund-1");
    static final RefundId SECOND_REFUND = RefundId.of("refund-2");
    static final SagaTimings TIMINGS = new SagaTimings(Duration.ofMinutes(15), 3, Duration.ofSeconds(5), Duration.ofMinutes(5), 0, 0);
    /** The order id Fiuu knows the payment by: made from the payment id, never from the merchant's reference. */
    static final String ORDER = FiuuOrderIds.of(PAYMENT);

    private SagaTestFixture<PaymentSaga> fixture;
    private final FiuuClient fiuu = mock(FiuuClient.class);
    private final FiuuCheckout checkout = mock(FiuuCheckout.class);
    private final FiuuOrders orders = mock(FiuuOrders.class);
    private final PaymentOutcomes outcomes = mock(PaymentOutcomes.class);

    @BeforeEach
    void setUp() {
        fixture = new SagaTestFixture<>(PaymentSaga.class);
        fixture.registerResource(fiuu);
        fixture.registerResource(checkout);
        fixture.registerResource(orders);
        fixture.registerResource(outcomes);
        fixture.registerResource(TIMINGS);
        when(orders.register(any(), any(), any(), any())).thenReturn(true);
        when(checkout.url(any(), any(), anyBoolean(), any(), any(), any(), any())).thenReturn("https://pay.example/RMS/pay/M/?x");
    }

    static PaymentInitiated initiated(CaptureMethod method) {
        return new PaymentInitiated(PAYMENT, MerchantId.of("m-1"), "ORD-1", AMOUNT, method, Customer.guest(), "2 items",
                "https://shop.example/return", Map.of(), T);
    }

    static PaymentAuthorised authorised() {
        return new PaymentAuthorised(PAYMENT, AMOUNT, "30001", JournalEntries.authorisation(AMOUNT), T);
    }

    static PaymentCaptured captured() {
        return new PaymentCaptured(PAYMENT, AMOUNT, "30001", JournalEntries.capture(AMOUNT, AMOUNT), T);
    }

    static RefundRequested refundRequested(RefundId refund, long amount) {
        Money money = Money.of(amount, "MYR");
        return new RefundRequested(PAYMENT, refund, money, null, JournalEntries.refundRequested(money), T);
    }

    static RefundSucceeded refundSucceeded(RefundId refund, long amount) {
        Money money = Money.of(amount, "MYR");
        return new RefundSucceeded(PAYMENT, refund, money, "9", JournalEntries.refundSucceeded(money), T);
    }

    @Test
    void aNewManualPaymentGetsAPreAuthorisationCheckoutAndARequeryDeadline() {
        fixture.givenNoPriorActivity()
                .whenPublishingA(initiated(CaptureMethod.MANUAL))
                .expectActiveSagas(1)
                .expectScheduledDeadlineWithName(Duration.ofMinutes(15), PaymentSaga.REQUERY_PAYMENT);

        verify(checkout).url(ORDER, AMOUNT, false, "ORD-1", "2 items", "https://shop.example/return", null);
        verify(outcomes).checkoutPrepared(PAYMENT, "https://pay.example/RMS/pay/M/?x");
    }

    @Test
    void anAutomaticPaymentGetsASaleCheckout() {
        fixture.givenNoPriorActivity().whenPublishingA(initiated(CaptureMethod.AUTOMATIC)).expectActiveSagas(1);

        verify(checkout).url(ORDER, AMOUNT, true, "ORD-1", "2 items", "https://shop.example/return", null);
    }

    @Test
    void anOrderIdAnotherPaymentUsesAtFiuuFailsThePaymentInsteadOfMixingThemUp() {
        when(orders.register(any(), any(), any(), any())).thenReturn(false);

        fixture.givenNoPriorActivity().whenPublishingA(initiated(CaptureMethod.MANUAL)).expectActiveSagas(0);

        verify(outcomes).authorisationFailed(eq(PAYMENT), any(), eq("order-id-in-use"), any());
        verify(outcomes, never()).checkoutPrepared(any(), any());
    }

    @Test
    void anAuthorisationLeavesTheRequeryNothingToDo() {
        fixture.givenAPublished(initiated(CaptureMethod.MANUAL)).andThenAPublished(authorised())
                .whenTimeElapses(Duration.ofMinutes(15))
                .expectDeadlinesMet(new SagaDeadlines.RequeryPayment(ID));

        verify(fiuu, never()).queryOrder(any(), any());
    }

    @Test
    void aPaymentThatHeardNothingIsRequeriedAndRecordedAsAuthorisedWhenFiuuHasIt() {
        when(fiuu.queryOrder(ORDER, AMOUNT)).thenReturn(
                new FiuuAnswers.Status(PaymentOutcome.AUTHORISED, "00", "authorized", "30001", AMOUNT));

        fixture.givenAPublished(initiated(CaptureMethod.MANUAL))
                .whenTimeElapses(Duration.ofMinutes(15))
                .expectDeadlinesMet(new SagaDeadlines.RequeryPayment(ID));

        verify(outcomes).authorised(PAYMENT, AMOUNT, "30001");
    }

    @Test
    void aPaymentFiuuNeverSawIsRequeriedAgainAndOnlyThenExpired() {
        when(fiuu.queryOrder(ORDER, AMOUNT)).thenReturn(
                new FiuuAnswers.Status(PaymentOutcome.UNKNOWN, "", "", null, AMOUNT));

        fixture.givenAPublished(initiated(CaptureMethod.MANUAL))
                .whenTimeElapses(Duration.ofMinutes(15 * 3 + 1));

        verify(fiuu, times(3)).queryOrder(ORDER, AMOUNT);
        verify(outcomes).expired(PAYMENT);
    }

    @Test
    void aPendingPaymentIsNeverExpiredByGuessing() {
        when(fiuu.queryOrder(ORDER, AMOUNT)).thenReturn(
                new FiuuAnswers.Status(PaymentOutcome.PENDING, "22", "pending", "30001", AMOUNT));

        fixture.givenAPublished(initiated(CaptureMethod.MANUAL))
                .whenTimeElapses(Duration.ofHours(2))
                .expectActiveSagas(1);

        verify(fiuu, org.mockito.Mockito.atLeast(10)).queryOrder(ORDER, AMOUNT);
        verify(outcomes, never()).expired(any());
    }

    @Test
    void aStaleRequeryAsksFiuuNothingAndNoDeadlineIsEverCancelled() {
        DeadlineManager scheduler = mock(DeadlineManager.class);
        PaymentSaga saga = new PaymentSaga();
        saga.on(initiated(CaptureMethod.MANUAL), checkout, orders, outcomes, scheduler, TIMINGS);

        saga.on(authorised());
        saga.on(new SagaDeadlines.RequeryPayment(ID), fiuu, outcomes, scheduler, TIMINGS);

        verify(fiuu, never()).queryOrder(any(), any());
        verify(outcomes, never()).authorised(any(), any(), any());
        verify(scheduler, never()).cancelAll(any());
    }

    @Test
    void aCaptureRetryThatFallsDueAfterTheCaptureCallsFiuuNoMore() {
        DeadlineManager scheduler = mock(DeadlineManager.class);
        when(fiuu.capture("30001", AMOUNT)).thenThrow(new FiuuUnavailable("503"));
        PaymentSaga saga = new PaymentSaga();
        saga.on(initiated(CaptureMethod.MANUAL), checkout, orders, outcomes, scheduler, TIMINGS);
        saga.on(authorised());
        saga.on(new CaptureRequested(PAYMENT, AMOUNT, T), fiuu, outcomes, scheduler, TIMINGS);

        saga.on(captured());
        saga.on(new SagaDeadlines.RetryCapture(ID), fiuu, outcomes, scheduler, TIMINGS);

        verify(fiuu, times(1)).capture(any(), any());
    }

    @Test
    void aDeclinedPaymentEndsTheSaga() {
        fixture.givenAPublished(initiated(CaptureMethod.MANUAL))
                .whenPublishingA(new AuthorisationFailed(PAYMENT, "30001", "11", "declined", T))
                .expectActiveSagas(0);
    }

    @Test
    void anExpiredPaymentEndsTheSagaSoALateNotificationFindsNoOneToAct() {
        fixture.givenAPublished(initiated(CaptureMethod.MANUAL))
                .whenPublishingA(new PaymentExpired(PAYMENT, Money.zero("MYR"), null, T))
                .expectActiveSagas(0);
    }

    @Test
    void aCaptureRequestCallsFiuuCaptureAndReportsTheCapture() {
        when(fiuu.capture("30001", AMOUNT)).thenReturn(new FiuuAnswers.Capture(CaptureOutcome.CAPTURED, "00"));

        fixture.givenAPublished(initiated(CaptureMethod.MANUAL)).andThenAPublished(authorised())
                .andThenAPublished(new CaptureRequested(PAYMENT, AMOUNT, T))
                .whenTimeElapses(Duration.ofMinutes(1));

        verify(fiuu, times(1)).capture("30001", AMOUNT);
        verify(outcomes).captured(PAYMENT, "30001");
    }

    @Test
    void aCaptureFiuuDidNotAnswerIsRetriedWithBackoffAndCapturedOnce() {
        when(fiuu.capture("30001", AMOUNT)).thenThrow(new FiuuUnavailable("503"))
                .thenReturn(new FiuuAnswers.Capture(CaptureOutcome.CAPTURED, "00"));

        fixture.givenAPublished(initiated(CaptureMethod.MANUAL)).andThenAPublished(authorised())
                .andThenAPublished(new CaptureRequested(PAYMENT, AMOUNT, T))
                .whenTimeElapses(Duration.ofSeconds(5))
                .expectDeadlinesMet(new SagaDeadlines.RetryCapture(ID));

        verify(fiuu, times(2)).capture("30001", AMOUNT);
        verify(outcomes, times(1)).captured(PAYMENT, "30001");
    }

    @Test
    void aCaptureFiuuRefusesIsReportedAsFailed() {
        when(fiuu.capture("30001", AMOUNT)).thenReturn(new FiuuAnswers.Capture(CaptureOutcome.REFUSED, "21"));

        fixture.givenAPublished(initiated(CaptureMethod.MANUAL)).andThenAPublished(authorised())
                .whenPublishingA(new CaptureRequested(PAYMENT, AMOUNT, T));

        verify(outcomes).captureFailed(eq(PAYMENT), eq("21"), any());
    }

    @Test
    void aVoidRequestCallsFiuuReversalAndTheVoidEndsTheSaga() {
        when(fiuu.reverse("30001")).thenReturn(new FiuuAnswers.Void(VoidOutcome.VOIDED, "00"));

        fixture.givenAPublished(initiated(CaptureMethod.MANUAL)).andThenAPublished(authorised())
                .whenPublishingA(new VoidRequested(PAYMENT, T));
        verify(outcomes).voided(PAYMENT);

        fixture.givenAPublished(initiated(CaptureMethod.MANUAL)).andThenAPublished(authorised())
                .whenPublishingA(new PaymentVoided(PAYMENT, AMOUNT, JournalEntries.releaseHold(AMOUNT), T))
                .expectActiveSagas(0);
    }

    @Test
    void twoPartialRefundsAreEachSentOnceAndRefundingEverythingEndsTheSaga() {
        when(fiuu.refund(REFUND.value(), "30001", Money.of(400, "MYR")))
                .thenReturn(new FiuuAnswers.Refund(RefundOutcome.SUCCEEDED, "00", "777"));
        when(fiuu.refund(SECOND_REFUND.value(), "30001", Money.of(650, "MYR")))
                .thenReturn(new FiuuAnswers.Refund(RefundOutcome.SUCCEEDED, "00", "778"));

        fixture.givenAPublished(initiated(CaptureMethod.MANUAL)).andThenAPublished(authorised())
                .andThenAPublished(captured()).andThenAPublished(refundRequested(REFUND, 400))
                .andThenAPublished(refundSucceeded(REFUND, 400)).andThenAPublished(refundRequested(SECOND_REFUND, 650))
                .whenPublishingA(refundSucceeded(SECOND_REFUND, 650))
                .expectActiveSagas(0);

        verify(orders).registerRefund(REFUND.value(), PAYMENT);
        verify(outcomes).refundSucceeded(PAYMENT, REFUND, "777");
        verify(outcomes).refundSucceeded(PAYMENT, SECOND_REFUND, "778");
    }

    @Test
    void aRejectedRefundIsReportedAsFailedAndThePaymentStaysOpenForAnother() {
        when(fiuu.refund(REFUND.value(), "30001", Money.of(400, "MYR")))
                .thenReturn(new FiuuAnswers.Refund(RefundOutcome.REJECTED, "PR011", null));

        fixture.givenAPublished(initiated(CaptureMethod.MANUAL)).andThenAPublished(authorised())
                .andThenAPublished(captured()).andThenAPublished(refundRequested(REFUND, 400))
                .whenPublishingA(new RefundFailed(PAYMENT, REFUND, Money.of(400, "MYR"), "PR011", "exceeds",
                        JournalEntries.refundFailed(Money.of(400, "MYR")), T))
                .expectActiveSagas(1);

        verify(outcomes).refundFailed(eq(PAYMENT), eq(REFUND), eq("PR011"), any());
    }

    @Test
    void aPendingRefundIsAskedAboutAgainUntilItSettles() {
        when(fiuu.refund(REFUND.value(), "30001", Money.of(400, "MYR")))
                .thenReturn(new FiuuAnswers.Refund(RefundOutcome.PENDING, "22", "777"))
                .thenReturn(new FiuuAnswers.Refund(RefundOutcome.DUPLICATE, "PR016", null));
        when(fiuu.refundStatus(REFUND.value())).thenReturn(new FiuuAnswers.Refund(RefundOutcome.SUCCEEDED, "success", "777"));

        fixture.givenAPublished(initiated(CaptureMethod.MANUAL)).andThenAPublished(authorised())
                .andThenAPublished(captured()).andThenAPublished(refundRequested(REFUND, 400))
                .whenTimeElapses(Duration.ofSeconds(5))
                .expectDeadlinesMet(new SagaDeadlines.RetryRefund(REFUND.value()));

        verify(fiuu).refundStatus(REFUND.value());
        verify(outcomes).refundSucceeded(PAYMENT, REFUND, "777");
    }

    @Test
    void aRepeatedEventDoesNotCallFiuuAgainForARefundAlreadySettled() {
        when(fiuu.refund(REFUND.value(), "30001", Money.of(400, "MYR")))
                .thenReturn(new FiuuAnswers.Refund(RefundOutcome.SUCCEEDED, "00", "777"));

        fixture.givenAPublished(initiated(CaptureMethod.MANUAL)).andThenAPublished(authorised())
                .andThenAPublished(captured()).andThenAPublished(refundRequested(REFUND, 400))
                .andThenAPublished(refundSucceeded(REFUND, 400))
                .whenTimeElapses(Duration.ofMinutes(10));

        verify(fiuu, times(1)).refund(any(), any(), any());
    }

    @Test
    void theOrderIdAtFiuuIsMadeFromThePaymentIdSoTwoMerchantsReferencesNeverMeet() {
        assertThat(FiuuOrderIds.of(PaymentId.of("3f1c9a7e-5b2d-4c11-9a0e-7d2f8b6c4e10"))).isEqualTo("3f1c9a7e5b2d4c119a0e7d2f8b6c4e10");
        assertThat(FiuuOrderIds.of(PaymentId.of("pay-1"))).hasSize(32).startsWith("P").matches("[A-Za-z0-9]+");
        assertThat(FiuuOrderIds.of(PaymentId.of("pay-1"))).isNotEqualTo(FiuuOrderIds.of(PaymentId.of("pay-2")));
    }

    @Test
    void aStatusQueryFiuuAnswersWithAnErrorNeverCountsTowardsExpiryAndFinallyWaitsForAPerson() {
        when(fiuu.queryOrder(ORDER, AMOUNT)).thenThrow(new FiuuUnavailable("status query answered an error: 18"));

        fixture.givenAPublished(initiated(CaptureMethod.MANUAL))
                .whenTimeElapses(Duration.ofDays(1))
                .expectActiveSagas(1);

        verify(outcomes, never()).expired(any());
        verify(fiuu, times(TIMINGS.maxAttempts())).queryOrder(ORDER, AMOUNT);
        verify(outcomes).attentionRequired(eq(PAYMENT), eq("authorisation"), eq("fiuu-unanswered"), any());
    }

    @Test
    void aRequeryThatFindsOnlyAnUnexpectedChargeOfTheOrderCountsAsNothingPaid() {
        when(fiuu.queryOrder(ORDER, AMOUNT)).thenReturn(
                new FiuuAnswers.Status(PaymentOutcome.AUTHORISED, "00", "authorized", "30009", Money.of(1050, "USD")));

        fixture.givenAPublished(initiated(CaptureMethod.MANUAL))
                .andThenAPublished(new UnexpectedChargeRecorded(PAYMENT, "30009", Money.of(1050, "USD"), false,
                        UnexpectedChargeReason.CURRENCY_MISMATCH, JournalEntries.unexpectedCharge(Money.of(1050, "USD")), T))
                .whenTimeElapses(Duration.ofMinutes(15 * 3 + 1));

        verify(outcomes, never()).authorised(any(), any(), any());
        verify(outcomes).expired(PAYMENT);
    }

    @Test
    void aRefundFiuuKeepsPendingIsAskedAboutByItsRefIdForWeeksNotHoursBeforeAPersonLooks() {
        when(fiuu.refund(REFUND.value(), "30001", Money.of(400, "MYR")))
                .thenReturn(new FiuuAnswers.Refund(RefundOutcome.PENDING, "22", "777"));
        when(fiuu.refundStatus(REFUND.value())).thenReturn(new FiuuAnswers.Refund(RefundOutcome.PENDING, "pending", "777"));

        fixture.givenAPublished(initiated(CaptureMethod.MANUAL)).andThenAPublished(authorised())
                .andThenAPublished(captured()).andThenAPublished(refundRequested(REFUND, 400))
                .whenTimeElapses(Duration.ofDays(1));

        verify(fiuu, times(1)).refund(REFUND.value(), "30001", Money.of(400, "MYR"));
        verify(fiuu, org.mockito.Mockito.atLeast(TIMINGS.maxAttempts() + 1)).refundStatus(REFUND.value());
        verify(outcomes, never()).attentionRequired(any(), any(), any(), any());
    }

    @Test
    void aCaptureFiuuRefusesOutrightWaitsForAnOperatorAndIsNotTriedAgainUntilAsked() {
        when(fiuu.capture("30001", AMOUNT)).thenThrow(new FiuuClient.FiuuRefusedRequest("Fiuu refused capture with 400"))
                .thenReturn(new FiuuAnswers.Capture(CaptureOutcome.CAPTURED, "00"));

        fixture.givenAPublished(initiated(CaptureMethod.MANUAL)).andThenAPublished(authorised())
                .andThenAPublished(new CaptureRequested(PAYMENT, AMOUNT, T))
                .whenTimeElapses(Duration.ofHours(1))
                .expectNoScheduledDeadlines();

        verify(fiuu, times(1)).capture("30001", AMOUNT);
        verify(outcomes).attentionRequired(eq(PAYMENT), eq("capture"), eq("fiuu-refused-request"), any());
        verify(outcomes, never()).captured(any(), any());
    }

    @Test
    void anOperatorsRetryOfAStuckCaptureCallsFiuuAgain() {
        when(fiuu.capture("30001", AMOUNT)).thenThrow(new FiuuClient.FiuuRefusedRequest("Fiuu refused capture with 400"))
                .thenReturn(new FiuuAnswers.Capture(CaptureOutcome.CAPTURED, "00"));

        fixture.givenAPublished(initiated(CaptureMethod.MANUAL)).andThenAPublished(authorised())
                .andThenAPublished(new CaptureRequested(PAYMENT, AMOUNT, T))
                .whenPublishingA(new AttentionCleared(PAYMENT, "capture", "retry", "operator-1", null, T));

        verify(fiuu, times(2)).capture("30001", AMOUNT);
        verify(outcomes).captured(PAYMENT, "30001");
    }

    @Test
    void aCaptureFiuuLeavesUnansweredForEveryAttemptWaitsForAnOperator() {
        when(fiuu.capture("30001", AMOUNT)).thenThrow(new FiuuUnavailable("503"));

        fixture.givenAPublished(initiated(CaptureMethod.MANUAL)).andThenAPublished(authorised())
                .andThenAPublished(new CaptureRequested(PAYMENT, AMOUNT, T))
                .whenTimeElapses(Duration.ofDays(1));

        verify(fiuu, times(TIMINGS.maxAttempts())).capture("30001", AMOUNT);
        verify(outcomes).attentionRequired(eq(PAYMENT), eq("capture"), eq("fiuu-unanswered"), any());
    }

    @Test
    void aRefusedReversalOfATransactionFiuuSaysIsAlreadyReversedEndsVoided() {
        when(fiuu.reverse("30001")).thenReturn(new FiuuAnswers.Void(VoidOutcome.REFUSED, "21"));
        when(fiuu.queryTransaction("30001", AMOUNT)).thenReturn(
                new FiuuAnswers.Status(PaymentOutcome.FAILED, "11", "cancelled", "30001", AMOUNT));

        fixture.givenAPublished(initiated(CaptureMethod.MANUAL)).andThenAPublished(authorised())
                .whenPublishingA(new VoidRequested(PAYMENT, T));

        verify(outcomes).voided(PAYMENT);
        verify(outcomes, never()).voidFailed(any(), any(), any());
    }

    @Test
    void aRefusedReversalOfATransactionStillAuthorisedIsAFailedVoid() {
        when(fiuu.reverse("30001")).thenReturn(new FiuuAnswers.Void(VoidOutcome.REFUSED, "15"));
        when(fiuu.queryTransaction("30001", AMOUNT)).thenReturn(
                new FiuuAnswers.Status(PaymentOutcome.AUTHORISED, "00", "authorized", "30001", AMOUNT));

        fixture.givenAPublished(initiated(CaptureMethod.MANUAL)).andThenAPublished(authorised())
                .whenPublishingA(new VoidRequested(PAYMENT, T));

        verify(outcomes).voidFailed(eq(PAYMENT), eq("15"), any());
        verify(outcomes, never()).voided(any());
    }

    @Test
    void aRefusedReversalOfATransactionFiuuSaysWasCapturedWaitsForAnOperator() {
        when(fiuu.reverse("30001")).thenReturn(new FiuuAnswers.Void(VoidOutcome.REFUSED, "21"));
        when(fiuu.queryTransaction("30001", AMOUNT)).thenReturn(
                new FiuuAnswers.Status(PaymentOutcome.CAPTURED, "00", "captured", "30001", AMOUNT));

        fixture.givenAPublished(initiated(CaptureMethod.MANUAL)).andThenAPublished(authorised())
                .whenPublishingA(new VoidRequested(PAYMENT, T));

        verify(outcomes).attentionRequired(eq(PAYMENT), eq("void"), eq("void-refused"), any());
        verify(outcomes, never()).voided(any());
        verify(outcomes, never()).voidFailed(any(), any(), any());
    }
}
