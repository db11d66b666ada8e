package io.payledger.saga.work;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import io.payledger.events.ledger.JournalEntries;
import io.payledger.events.money.Money;
import io.payledger.events.payment.AuthorisationFailed;
import io.payledger.events.payment.CaptureMethod;
import io.payledger.events.payment.CaptureRequested;
import io.payledger.events.payment.CheckoutPrepared;
import io.payledger.events.payment.Customer;
import io.payledger.events.payment.MerchantId;
import io.payledger.events.payment.PaymentAuthorised;
import io.payledger.events.payment.PaymentCaptured;
import io.payledger.events.payment.PaymentEvent;
import io.payledger.events.payment.PaymentHistory;
import io.payledger.events.payment.PaymentId;
import io.payledger.events.payment.PaymentInitiated;
import io.payledger.events.payment.RefundId;
import io.payledger.events.payment.RefundRequested;
import io.payledger.events.payment.RefundSucceeded;
import io.payledger.events.payment.Steps;
import io.payledger.events.payment.UnexpectedChargeReason;
import io.payledger.events.payment.UnexpectedChargeRecorded;
import io.payledger.events.payment.VoidRequested;
import io.payledger.saga.command.PaymentOutcomes;
import io.payledger.saga.fiuu.FiuuAnswers;
import io.payledger.saga.fiuu.FiuuAnswers.CaptureOutcome;
import io.payledger.saga.fiuu.FiuuAnswers.PaymentOutcome;
import io.payledger.saga.fiuu.FiuuAnswers.RefundOutcome;
import io.payledger.saga.fiuu.FiuuAnswers.VoidOutcome;
import io.payledger.saga.fiuu.FiuuClient;
import io.payledger.saga.payment.FiuuOrders;
import io.payledger.saga.reconciliation.LedgerPositions.Position;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * One turn of each Fiuu step, given the payment as its events leave it and what Fiuu answers: what is reported,
 * and when the step asks again or asks a person. The workers' counting and recording is FiuuWorkersIT's.
 */
class FiuuStepsTest {

    static final PaymentId PAYMENT = PaymentId.of("pay-1");
    static final Money AMOUNT = Money.of(1050, "MYR");
    static final Money USD = Money.of(1050, "USD");
    static final RefundId REFUND = RefundId.of("refund-1");
    static final Instant T = Instant.parse("2026-11-22T10:00:00Z");
    static final String ORDER = "order-of-pay-1";

    private final FiuuClient fiuu = mock(FiuuClient.class);
    private final PaymentOutcomes outcomes = mock(PaymentOutcomes.class);

    /** The payment after these events, as the ledger's view would hold it. */
    private static Position payment(PaymentEvent... events) {
        List<PaymentEvent> history = new ArrayList<>();
        history.add(new PaymentInitiated(PAYMENT, MerchantId.of("m-1"), "ORD-1", AMOUNT, CaptureMethod.MANUAL, Customer.guest(),
                "2 items", "https://shop.example/return", Map.of(), T));
        history.addAll(List.of(events));
        return new Position(PaymentHistory.replay(history), ORDER);
    }

    private static FiuuWork.Item item(String step) {
        return item(step, 0, false, false);
    }

    private static FiuuWork.Item item(String step, int notFound, boolean accepted, boolean byRefund) {
        return new FiuuWork.Item(1, PAYMENT, step, 0, 0, notFound, accepted, byRefund, UUID.randomUUID());
    }

    private static PaymentAuthorised authorised() {
        return new PaymentAuthorised(PAYMENT, AMOUNT, "30001", JournalEntries.authorisation(AMOUNT), T);
    }

    private static PaymentCaptured captured() {
        return new PaymentCaptured(PAYMENT, AMOUNT, "30001", JournalEntries.capture(AMOUNT, AMOUNT), T);
    }

    private void reported(Decision decision) {
        assertThat(decision).isInstanceOf(Decision.Settled.class);
        ((Decision.Settled) decision).report().accept(outcomes);
    }

    @Nested
    class ReQuerying {
        private final Requery requery = new Requery(3);
        private final Position waiting = payment(new CheckoutPrepared(PAYMENT, "https://pay.example/x", T));

        @Test
        void aPaymentFiuuHoldsIsReportedWithFiuusAmountAndCurrencyForCommandServiceToJudge() {
            when(fiuu.queryOrder(ORDER, AMOUNT)).thenReturn(new FiuuAnswers.Status(PaymentOutcome.AUTHORISED, "00", "authorized", "30001", USD));

            reported(requery.take(item(Steps.AUTHORISATION), waiting, fiuu));

            verify(outcomes).authorised(PAYMENT, USD, "30001");
        }

        @Test
        void aPaymentFiuuNeverSawIsAskedAboutAgainAndExpiredOnlyAtTheLastTry() {
            when(fiuu.queryOrder(ORDER, AMOUNT)).thenReturn(new FiuuAnswers.Status(PaymentOutcome.UNKNOWN, "", "not found", null, null));

            assertThat(requery.take(item(Steps.AUTHORISATION, 1, false, false), waiting, fiuu)).isInstanceOf(Decision.NotYet.class);
            reported(requery.take(item(Steps.AUTHORISATION, 2, false, false), waiting, fiuu));

            verify(outcomes).expired(PAYMENT);
        }

        @Test
        void aPendingPaymentIsAskedAboutAgainNeverExpiredByGuessing() {
            when(fiuu.queryOrder(ORDER, AMOUNT)).thenReturn(new FiuuAnswers.Status(PaymentOutcome.PENDING, "22", "pending", "30001", AMOUNT));

            assertThat(requery.take(item(Steps.AUTHORISATION, 2, false, false), waiting, fiuu))
                    .isEqualTo(new Decision.Later(Decision.Again.PENDING, "payment pending at Fiuu"));
        }

        @Test
        void onlyAnUnexpectedChargeOfTheOrderAtFiuuCountsAsNothingPaid() {
            Position withCharge = payment(new UnexpectedChargeRecorded(PAYMENT, "30009", USD, false,
                    UnexpectedChargeReason.CURRENCY_MISMATCH, JournalEntries.unexpectedCharge(USD), T));
            when(fiuu.queryOrder(ORDER, AMOUNT)).thenReturn(new FiuuAnswers.Status(PaymentOutcome.AUTHORISED, "00", "authorized", "30009", USD));

            assertThat(requery.take(item(Steps.AUTHORISATION), withCharge, fiuu)).isInstanceOf(Decision.NotYet.class);
            verifyNoInteractions(outcomes);
        }

        @Test
        void aPaymentHeardOfMeanwhileAsksFiuuNothing() {
            assertThat(requery.take(item(Steps.AUTHORISATION), payment(authorised()), fiuu)).isEqualTo(Decision.Settled.NOTHING_TO_DO);
            verifyNoInteractions(fiuu);
        }
    }

    @Nested
    class Capturing {
        private final Capture capture = new Capture();
        private final Position pending = payment(authorised(), new CaptureRequested(PAYMENT, AMOUNT, T));

        @Test
        void aCaptureFiuuTakesOrHadTakenAlreadyIsReportedCaptured() {
            when(fiuu.capture("30001", AMOUNT)).thenReturn(new FiuuAnswers.Capture(CaptureOutcome.CAPTURED, "24"));

            reported(capture.take(item(Steps.CAPTURE), pending, fiuu));

            verify(outcomes).captured(PAYMENT, "30001");
        }

        @Test
        void aCaptureFiuuRefusesIsReportedFailed() {
            when(fiuu.capture("30001", AMOUNT)).thenReturn(new FiuuAnswers.Capture(CaptureOutcome.REFUSED, "21"));

            reported(capture.take(item(Steps.CAPTURE), pending, fiuu));

            verify(outcomes).captureFailed(eq(PAYMENT), eq("21"), any());
        }

        @Test
        void aPendingCaptureIsAskedAboutAgain() {
            when(fiuu.capture("30001", AMOUNT)).thenReturn(new FiuuAnswers.Capture(CaptureOutcome.PENDING, "22"));

            assertThat(capture.take(item(Steps.CAPTURE), pending, fiuu)).isInstanceOf(Decision.Later.class);
        }

        @Test
        void aCaptureSettledMeanwhileCallsFiuuNoMore() {
            assertThat(capture.take(item(Steps.CAPTURE), payment(authorised(), new CaptureRequested(PAYMENT, AMOUNT, T), captured()),
                    fiuu)).isEqualTo(Decision.Settled.NOTHING_TO_DO);
            verifyNoInteractions(fiuu);
        }
    }

    @Nested
    class Voiding {
        private final Reversal reversal = new Reversal();
        private final Position pending = payment(authorised(), new VoidRequested(PAYMENT, T));

        @Test
        void aReversalFiuuTakesIsTheVoid() {
            when(fiuu.reverse("30001")).thenReturn(new FiuuAnswers.Void(VoidOutcome.VOIDED, "00"));

            reported(reversal.take(item(Steps.VOID), pending, fiuu));

            verify(outcomes).voided(PAYMENT);
        }

        @Test
        void aRefusedReversalOfATransactionFiuuSaysIsReversedIsTheVoidItsLostAnswerWouldHaveSaid() {
            when(fiuu.reverse("30001")).thenReturn(new FiuuAnswers.Void(VoidOutcome.REFUSED, "21"));
            when(fiuu.queryTransaction("30001", AMOUNT)).thenReturn(new FiuuAnswers.Status(PaymentOutcome.FAILED, "11", "cancelled", "30001", AMOUNT));

            reported(reversal.take(item(Steps.VOID), pending, fiuu));

            verify(outcomes).voided(PAYMENT);
            verify(outcomes, never()).voidFailed(any(), any(), any());
        }

        @Test
        void aRefusedReversalOfATransactionStillAuthorisedIsAFailedVoid() {
            when(fiuu.reverse("30001")).thenReturn(new FiuuAnswers.Void(VoidOutcome.REFUSED, "15"));
            when(fiuu.queryTransaction("30001", AMOUNT)).thenReturn(new FiuuAnswers.Status(PaymentOutcome.AUTHORISED, "00", "authorized", "30001", AMOUNT));

            reported(reversal.take(item(Steps.VOID), pending, fiuu));

            verify(outcomes).voidFailed(eq(PAYMENT), eq("15"), any());
        }

        @Test
        void aRefusedReversalOfATransactionFiuuSaysWasCapturedIsForAPerson() {
            when(fiuu.reverse("30001")).thenReturn(new FiuuAnswers.Void(VoidOutcome.REFUSED, "21"));
            when(fiuu.queryTransaction("30001", AMOUNT)).thenReturn(new FiuuAnswers.Status(PaymentOutcome.CAPTURED, "00", "captured", "30001", AMOUNT));

            assertThat(reversal.take(item(Steps.VOID), pending, fiuu)).isInstanceOf(Decision.AskAPerson.class)
                    .extracting(decision -> ((Decision.AskAPerson) decision).reasonCode()).isEqualTo("void-refused");
        }
    }

    @Nested
    class Refunding {
        private final RefundAtFiuu refund = new RefundAtFiuu();
        private final Money part = Money.of(400, "MYR");
        private final Position pending = payment(authorised(), captured(),
                new RefundRequested(PAYMENT, REFUND, part, null, JournalEntries.refundRequested(part), T));

        @Test
        void aRefundFiuuPaysIsReportedWithItsRefundId() {
            when(fiuu.refund("refund-1", "30001", part)).thenReturn(new FiuuAnswers.Refund(RefundOutcome.SUCCEEDED, "00", "777"));

            reported(refund.take(item(Steps.refund(REFUND)), pending, fiuu));

            verify(outcomes).refundSucceeded(PAYMENT, REFUND, "777");
        }

        @Test
        void aRefundFiuuIsProcessingSpendsAPollAndOnceAcceptedIsAskedAboutNeverSentAgain() {
            when(fiuu.refund("refund-1", "30001", part)).thenReturn(new FiuuAnswers.Refund(RefundOutcome.PENDING, "22", "777"));
            when(fiuu.refundStatus("refund-1")).thenReturn(new FiuuAnswers.Refund(RefundOutcome.SUCCEEDED, "success", "777"));

            assertThat(refund.take(item(Steps.refund(REFUND)), pending, fiuu))
                    .isEqualTo(new Decision.Later(Decision.Again.REFUND_PENDING, "refund pending at Fiuu"));
            reported(refund.take(item(Steps.refund(REFUND), 0, true, false), pending, fiuu));

            verify(fiuu).refund("refund-1", "30001", part);
            verify(outcomes).refundSucceeded(PAYMENT, REFUND, "777");
        }

        @Test
        void aRefIdFiuuHadAlreadyIsAskedAboutInsteadOfSentAgain() {
            when(fiuu.refund("refund-1", "30001", part)).thenReturn(new FiuuAnswers.Refund(RefundOutcome.DUPLICATE, "PR016", null));
            when(fiuu.refundStatus("refund-1")).thenReturn(new FiuuAnswers.Refund(RefundOutcome.REJECTED, "rejected", "777"));

            reported(refund.take(item(Steps.refund(REFUND)), pending, fiuu));

            verify(outcomes).refundFailed(eq(PAYMENT), eq(REFUND), eq("rejected"), any());
        }

        @Test
        void aRefundSettledMeanwhileCallsFiuuNoMore() {
            Position settled = payment(authorised(), captured(),
                    new RefundRequested(PAYMENT, REFUND, part, null, JournalEntries.refundRequested(part), T),
                    new RefundSucceeded(PAYMENT, REFUND, part, "777", JournalEntries.refundSucceeded(part), T));

            assertThat(refund.take(item(Steps.refund(REFUND)), settled, fiuu)).isEqualTo(Decision.Settled.NOTHING_TO_DO);
            verifyNoInteractions(fiuu);
        }
    }

    @Nested
    class GivingUnexpectedChargesBack {
        private final FiuuOrders orders = mock(FiuuOrders.class);
        private final Release release = new Release(orders);
        private final Position held = payment(new AuthorisationFailed(PAYMENT, "30001", "11", "declined", T),
                new UnexpectedChargeRecorded(PAYMENT, "30009", AMOUNT, false, UnexpectedChargeReason.AFTER_FAILURE,
                        JournalEntries.unexpectedCharge(AMOUNT), T));

        @Test
        void aHeldChargeIsReversed() {
            when(fiuu.reverse("30009")).thenReturn(new FiuuAnswers.Void(VoidOutcome.VOIDED, "00"));

            reported(release.take(item(Steps.release("30009")), held, fiuu));

            verify(outcomes).unexpectedChargeReleased(PAYMENT, "30009", "reversal", null);
        }

        @Test
        void aChargeFiuuSaysItTookIsRefundedInsteadOfReversed() {
            when(fiuu.reverse("30009")).thenReturn(new FiuuAnswers.Void(VoidOutcome.REFUSED, "21"));
            when(fiuu.queryTransaction("30009", AMOUNT)).thenReturn(new FiuuAnswers.Status(PaymentOutcome.CAPTURED, "00", "captured", "30009", AMOUNT));

            assertThat(release.take(item(Steps.release("30009")), held, fiuu)).isInstanceOf(Decision.OtherWay.class);
        }

        @Test
        void aTakenChargeIsRefundedInFullUnderARefIdMadeFromItsTransaction() {
            when(fiuu.refund("UC30009", "30009", AMOUNT)).thenReturn(new FiuuAnswers.Refund(RefundOutcome.SUCCEEDED, "00", "901"));

            reported(release.take(item(Steps.release("30009"), 0, false, true), held, fiuu));

            verify(orders).registerRelease("UC30009", PAYMENT, "30009");
            verify(outcomes).unexpectedChargeReleased(PAYMENT, "30009", "refund", "901");
        }

        @Test
        void aRefundOfAChargeFiuuOnlyHoldsTurnsIntoAReversal() {
            when(fiuu.refund("UC30009", "30009", AMOUNT)).thenReturn(new FiuuAnswers.Refund(RefundOutcome.REJECTED, "PR010", null));

            assertThat(release.take(item(Steps.release("30009"), 0, false, true), held, fiuu)).isInstanceOf(Decision.OtherWay.class);
        }

        @Test
        void aRefundFiuuRejectsOtherwiseIsForAPerson() {
            when(fiuu.refund("UC30009", "30009", AMOUNT)).thenReturn(new FiuuAnswers.Refund(RefundOutcome.REJECTED, "PR017", null));

            assertThat(release.take(item(Steps.release("30009"), 0, false, true), held, fiuu)).isInstanceOf(Decision.AskAPerson.class);
        }
    }
}
