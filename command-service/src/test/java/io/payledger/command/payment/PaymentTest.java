package io.payledger.command.payment;

import static io.payledger.events.ledger.JournalEntries.authorisation;
import static io.payledger.events.ledger.JournalEntries.capture;
import static io.payledger.events.ledger.JournalEntries.refundFailed;
import static io.payledger.events.ledger.JournalEntries.refundRequested;
import static io.payledger.events.ledger.JournalEntries.refundSucceeded;
import static io.payledger.events.ledger.JournalEntries.releaseHold;
import static io.payledger.events.ledger.JournalEntries.unexpectedCharge;
import static io.payledger.events.ledger.JournalEntries.unexpectedChargeReleased;

import io.payledger.command.payment.PaymentCommands.CapturePayment;
import io.payledger.command.payment.PaymentCommands.ClearAttention;
import io.payledger.command.payment.PaymentCommands.RecordUnexpectedChargeRelease;
import io.payledger.command.payment.PaymentCommands.RequireAttention;
import io.payledger.command.payment.PaymentCommands.ResolveAttention;
import io.payledger.command.payment.PaymentCommands.ExpirePayment;
import io.payledger.command.payment.PaymentCommands.InitiatePayment;
import io.payledger.command.payment.PaymentCommands.RecordAuthorisation;
import io.payledger.command.payment.PaymentCommands.RecordAuthorisationFailure;
import io.payledger.command.payment.PaymentCommands.RecordCapture;
import io.payledger.command.payment.PaymentCommands.RecordCaptureFailure;
import io.payledger.command.payment.PaymentCommands.RecordCheckoutPrepared;
import io.payledger.command.payment.PaymentCommands.RecordRefundFailure;
import io.payledger.command.payment.PaymentCommands.RecordRefundSuccess;
import io.payledger.command.payment.PaymentCommands.RecordVoid;
import io.payledger.command.payment.PaymentCommands.RecordVoidFailure;
import io.payledger.command.payment.PaymentCommands.RefundPayment;
import io.payledger.command.payment.PaymentCommands.VoidPayment;
import io.payledger.events.money.Money;
import io.payledger.events.payment.AttentionCleared;
import io.payledger.events.payment.AttentionRequired;
import io.payledger.events.payment.AuthorisationFailed;
import io.payledger.events.payment.CaptureFailed;
import io.payledger.events.payment.CaptureMethod;
import io.payledger.events.payment.CaptureRequested;
import io.payledger.events.payment.CheckoutPrepared;
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
import io.payledger.events.payment.Steps;
import io.payledger.events.payment.UnexpectedChargeReason;
import io.payledger.events.payment.UnexpectedChargeRecorded;
import io.payledger.events.payment.UnexpectedChargeReleased;
import io.payledger.events.payment.VoidFailed;
import io.payledger.events.payment.VoidRequested;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.hamcrest.Description;
import org.hamcrest.Matcher;
import org.hamcrest.TypeSafeMatcher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class PaymentTest {

    static final Instant EARLIER = Instant.parse("2026-11-22T09:00:00Z");
    static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
    static final PaymentId PAYMENT = PaymentId.of("pay-1");
    static final MerchantId MERCHANT = MerchantId.of("merchant-1");
    static final MerchantId OTHER_MERCHANT = MerchantId.of("merchant-2");
    static final RefundId REFUND = RefundId.of("refund-1");
    static final RefundId SECOND_REFUND = RefundId.of("refund-2");
    static final Money AMOUNT = myr(1050);

    private FixtureConfiguration<Payment> fixture;
    private final Set<String> claimedReferences = new HashSet<>();

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Payment.class);
        MerchantReferences references = (merchant, reference, payment) -> {
            if (!claimedReferences.add(merchant + "/" + reference)) {
                throw Refusal.MERCHANT_REFERENCE_TAKEN.because(reference);
            }
        };
        fixture.registerAnnotatedCommandHandler(
                new PaymentCommandHandler(fixture.getRepository(), references, Clock.fixed(NOW, ZoneOffset.UTC)));
    }

    static Money myr(long minorUnits) {
        return Money.of(minorUnits, "MYR");
    }

    static InitiatePayment initiate(CaptureMethod method) {
        return new InitiatePayment(PAYMENT, MERCHANT, "ORD-1", AMOUNT, method, Customer.guest(), "2 items",
                "https://shop.example/return", Map.of());
    }

    static PaymentInitiated initiated(CaptureMethod method) {
        return new PaymentInitiated(PAYMENT, MERCHANT, "ORD-1", AMOUNT, method, Customer.guest(), "2 items",
                "https://shop.example/return", Map.of(), EARLIER);
    }

    static PaymentAuthorised authorised() {
        return new PaymentAuthorised(PAYMENT, AMOUNT, "30001", authorisation(AMOUNT), EARLIER);
    }

    static PaymentCaptured captured() {
        return new PaymentCaptured(PAYMENT, AMOUNT, "30001", capture(AMOUNT, AMOUNT), EARLIER);
    }

    static RefundRequested refundWasRequested(RefundId refund, Money amount) {
        return new RefundRequested(PAYMENT, refund, amount, "damaged", refundRequested(amount), EARLIER);
    }

    static Matcher<PaymentRefused> refusedWith(Refusal refusal) {
        return new TypeSafeMatcher<>() {
            @Override
            protected boolean matchesSafely(PaymentRefused refused) {
                return refused.refusal() == refusal;
            }

            @Override
            public void describeTo(Description description) {
                description.appendText("a payment refused with " + refusal.code());
            }
        };
    }

    @Nested
    class Creating {
        @Test
        void aNewPaymentIsInitiatedWithEverythingTheMerchantSent() {
            fixture.givenNoPriorActivity()
                    .when(initiate(CaptureMethod.MANUAL))
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(new PaymentInitiated(PAYMENT, MERCHANT, "ORD-1", AMOUNT, CaptureMethod.MANUAL,
                            Customer.guest(), "2 items", "https://shop.example/return", Map.of(), NOW));
        }

        @Test
        void aMerchantReferenceCanOnlyBeUsedOnce() {
            claimedReferences.add(MERCHANT + "/ORD-1");

            fixture.givenNoPriorActivity()
                    .when(initiate(CaptureMethod.MANUAL))
                    .expectNoEvents()
                    .expectException(refusedWith(Refusal.MERCHANT_REFERENCE_TAKEN));
        }
    }

    @Nested
    class Checkout {
        @Test
        void aPreparedCheckoutAwaitsTheCustomer() {
            fixture.given(initiated(CaptureMethod.MANUAL))
                    .when(new RecordCheckoutPrepared(PAYMENT, "https://pay.example/x"))
                    .expectEvents(new CheckoutPrepared(PAYMENT, "https://pay.example/x", NOW));
        }

        @Test
        void aRepeatedCheckoutReportChangesNothing() {
            fixture.given(initiated(CaptureMethod.MANUAL), new CheckoutPrepared(PAYMENT, "https://pay.example/x", EARLIER))
                    .when(new RecordCheckoutPrepared(PAYMENT, "https://pay.example/x"))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }
    }

    @Nested
    class Authorising {
        @Test
        void aManualPaymentIsAuthorisedAndItsHoldBooked() {
            fixture.given(initiated(CaptureMethod.MANUAL))
                    .when(new RecordAuthorisation(PAYMENT, AMOUNT, "30001"))
                    .expectEvents(new PaymentAuthorised(PAYMENT, AMOUNT, "30001", authorisation(AMOUNT), NOW));
        }

        @Test
        void anAutomaticPaymentIsCapturedAsSoonAsItIsAuthorised() {
            fixture.given(initiated(CaptureMethod.AUTOMATIC), new CheckoutPrepared(PAYMENT, "https://pay.example/x", EARLIER))
                    .when(new RecordAuthorisation(PAYMENT, AMOUNT, "30001"))
                    .expectEvents(new PaymentAuthorised(PAYMENT, AMOUNT, "30001", authorisation(AMOUNT), NOW),
                            new PaymentCaptured(PAYMENT, AMOUNT, "30001", capture(AMOUNT, AMOUNT), NOW));
        }

        @Test
        void aRepeatedAuthorisationChangesNothing() {
            fixture.given(initiated(CaptureMethod.MANUAL), authorised())
                    .when(new RecordAuthorisation(PAYMENT, AMOUNT, "30001"))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void aChargeOfAnotherAmountIsNotTheAuthorisationButAnUnexpectedChargeToGiveBack() {
            fixture.given(initiated(CaptureMethod.MANUAL))
                    .when(new RecordAuthorisation(PAYMENT, myr(1000), "30001"))
                    .expectEvents(new UnexpectedChargeRecorded(PAYMENT, "30001", myr(1000), false,
                            UnexpectedChargeReason.AMOUNT_MISMATCH, unexpectedCharge(myr(1000)), NOW));
        }

        @Test
        void aChargeInAnotherCurrencyIsNotTheAuthorisationEvenForTheSameNumber() {
            Money sgd = Money.of(1050, "SGD");
            fixture.given(initiated(CaptureMethod.AUTOMATIC))
                    .when(new RecordAuthorisation(PAYMENT, sgd, "30001"))
                    .expectEvents(new UnexpectedChargeRecorded(PAYMENT, "30001", sgd, true,
                            UnexpectedChargeReason.CURRENCY_MISMATCH, unexpectedCharge(sgd), NOW));
        }

        @Test
        void aChargeAfterThePaymentExpiredIsRecordedToBeGivenBack() {
            fixture.given(initiated(CaptureMethod.MANUAL), new PaymentExpired(PAYMENT, myr(0), null, EARLIER))
                    .when(new RecordAuthorisation(PAYMENT, AMOUNT, "30001"))
                    .expectEvents(new UnexpectedChargeRecorded(PAYMENT, "30001", AMOUNT, false,
                            UnexpectedChargeReason.AFTER_EXPIRY, unexpectedCharge(AMOUNT), NOW));
        }

        @Test
        void aChargeAfterADeclineUnderTheSameTransactionIdIsStillMoneyToGiveBack() {
            fixture.given(initiated(CaptureMethod.MANUAL), new AuthorisationFailed(PAYMENT, "30001", "11", "declined", EARLIER))
                    .when(new RecordAuthorisation(PAYMENT, AMOUNT, "30001"))
                    .expectEvents(new UnexpectedChargeRecorded(PAYMENT, "30001", AMOUNT, false,
                            UnexpectedChargeReason.AFTER_FAILURE, unexpectedCharge(AMOUNT), NOW));
        }

        @Test
        void aSecondChargeOfAnAuthorisedPaymentIsRecordedToBeGivenBack() {
            fixture.given(initiated(CaptureMethod.MANUAL), authorised())
                    .when(new RecordAuthorisation(PAYMENT, AMOUNT, "30002"))
                    .expectEvents(new UnexpectedChargeRecorded(PAYMENT, "30002", AMOUNT, false,
                            UnexpectedChargeReason.SECOND_CHARGE, unexpectedCharge(AMOUNT), NOW));
        }

        @Test
        void anUnexpectedChargeReportedAgainIsRecordedOnce() {
            fixture.given(initiated(CaptureMethod.MANUAL), new UnexpectedChargeRecorded(PAYMENT, "30009", myr(1000), false,
                            UnexpectedChargeReason.AMOUNT_MISMATCH, unexpectedCharge(myr(1000)), EARLIER))
                    .when(new RecordAuthorisation(PAYMENT, myr(1000), "30009"))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void anUnexpectedChargeWithoutATransactionIdCannotBeReleasedAndIsRefused() {
            fixture.given(initiated(CaptureMethod.MANUAL), new PaymentExpired(PAYMENT, myr(0), null, EARLIER))
                    .when(new RecordAuthorisation(PAYMENT, AMOUNT, null))
                    .expectNoEvents()
                    .expectException(refusedWith(Refusal.OUTCOME_CONTRADICTS_STATE));
        }

        @Test
        void theReleaseOfAnUnexpectedChargeClearsItsSuspenseOnce() {
            UnexpectedChargeRecorded held = new UnexpectedChargeRecorded(PAYMENT, "30009", myr(1000), false,
                    UnexpectedChargeReason.AMOUNT_MISMATCH, unexpectedCharge(myr(1000)), EARLIER);
            fixture.given(initiated(CaptureMethod.MANUAL), held)
                    .when(new RecordUnexpectedChargeRelease(PAYMENT, "30009", "reversal", null))
                    .expectEvents(new UnexpectedChargeReleased(PAYMENT, "30009", myr(1000), "reversal", null,
                            unexpectedChargeReleased(myr(1000)), NOW));
            fixture.given(initiated(CaptureMethod.MANUAL), held, new UnexpectedChargeReleased(PAYMENT, "30009", myr(1000),
                            "reversal", null, unexpectedChargeReleased(myr(1000)), EARLIER))
                    .when(new RecordUnexpectedChargeRelease(PAYMENT, "30009", "reversal", null))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void aDeclinedAuthorisationFailsThePayment() {
            fixture.given(initiated(CaptureMethod.MANUAL))
                    .when(new RecordAuthorisationFailure(PAYMENT, "30001", "11", "declined"))
                    .expectEvents(new AuthorisationFailed(PAYMENT, "30001", "11", "declined", NOW));
        }

        @Test
        void aFailureOfAnUnexpectedChargeSaysNothingOfThePaymentWhichStillWaitsForItsCustomer() {
            fixture.given(initiated(CaptureMethod.MANUAL), new UnexpectedChargeRecorded(PAYMENT, "30009", Money.of(1050, "USD"),
                            false, UnexpectedChargeReason.CURRENCY_MISMATCH, unexpectedCharge(Money.of(1050, "USD")), EARLIER))
                    .when(new RecordAuthorisationFailure(PAYMENT, "30009", "11", "chargeback"))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void aFailedAttemptUnderAnotherTransactionAfterTheAuthorisationChangesNothing() {
            fixture.given(initiated(CaptureMethod.MANUAL), authorised())
                    .when(new RecordAuthorisationFailure(PAYMENT, "30002", "11", "declined"))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void aFailureThatArrivesAfterTheAuthorisationNeverMovesThePaymentBackwards() {
            fixture.given(initiated(CaptureMethod.MANUAL), authorised())
                    .when(new RecordAuthorisationFailure(PAYMENT, "30001", "11", "declined"))
                    .expectNoEvents()
                    .expectException(refusedWith(Refusal.OUTCOME_CONTRADICTS_STATE));
        }
    }

    @Nested
    class Capturing {
        @Test
        void aMerchantCapturesEverythingAuthorisedWhenNoAmountIsGiven() {
            fixture.given(initiated(CaptureMethod.MANUAL), authorised())
                    .when(new CapturePayment(PAYMENT, MERCHANT, null))
                    .expectEvents(new CaptureRequested(PAYMENT, AMOUNT, NOW));
        }

        @Test
        void aMerchantMayCaptureLessThanWasAuthorised() {
            fixture.given(initiated(CaptureMethod.MANUAL), authorised())
                    .when(new CapturePayment(PAYMENT, MERCHANT, new RequestedAmount(600, null)))
                    .expectEvents(new CaptureRequested(PAYMENT, myr(600), NOW));
        }

        @Test
        void captureCannotExceedTheAuthorisedAmount() {
            fixture.given(initiated(CaptureMethod.MANUAL), authorised())
                    .when(new CapturePayment(PAYMENT, MERCHANT, new RequestedAmount(1051, null)))
                    .expectNoEvents()
                    .expectException(refusedWith(Refusal.AMOUNT_EXCEEDS_AUTHORISED));
        }

        @Test
        void captureInAnotherCurrencyIsRefused() {
            fixture.given(initiated(CaptureMethod.MANUAL), authorised())
                    .when(new CapturePayment(PAYMENT, MERCHANT, new RequestedAmount(100, "USD")))
                    .expectNoEvents()
                    .expectException(refusedWith(Refusal.CURRENCY_MISMATCH));
        }

        @Test
        void aSecondCaptureWhileTheFirstIsPendingIsRefused() {
            fixture.given(initiated(CaptureMethod.MANUAL), authorised(), new CaptureRequested(PAYMENT, AMOUNT, EARLIER))
                    .when(new CapturePayment(PAYMENT, MERCHANT, null))
                    .expectNoEvents()
                    .expectException(refusedWith(Refusal.CAPTURE_ALREADY_REQUESTED));
        }

        @Test
        void aCapturedPaymentCannotBeCapturedAgain() {
            fixture.given(initiated(CaptureMethod.MANUAL), authorised(), captured())
                    .when(new CapturePayment(PAYMENT, MERCHANT, null))
                    .expectNoEvents()
                    .expectException(refusedWith(Refusal.ALREADY_CAPTURED));
        }

        @Test
        void noCaptureAfterVoid() {
            fixture.given(initiated(CaptureMethod.MANUAL), authorised(),
                            new PaymentVoided(PAYMENT, AMOUNT, releaseHold(AMOUNT), EARLIER))
                    .when(new CapturePayment(PAYMENT, MERCHANT, null))
                    .expectNoEvents()
                    .expectException(refusedWith(Refusal.PAYMENT_VOIDED));
        }

        @Test
        void aPaymentTheCustomerHasNotAuthorisedCannotBeCaptured() {
            fixture.given(initiated(CaptureMethod.MANUAL))
                    .when(new CapturePayment(PAYMENT, MERCHANT, null))
                    .expectNoEvents()
                    .expectException(refusedWith(Refusal.PAYMENT_NOT_AUTHORISED));
        }

        @Test
        void anAutomaticPaymentIsNotCapturedByTheMerchant() {
            fixture.given(initiated(CaptureMethod.AUTOMATIC))
                    .when(new CapturePayment(PAYMENT, MERCHANT, null))
                    .expectNoEvents()
                    .expectException(refusedWith(Refusal.AUTOMATIC_CAPTURE));
        }

        @Test
        void anotherMerchantCannotEvenSeeThePayment() {
            fixture.given(initiated(CaptureMethod.MANUAL), authorised())
                    .when(new CapturePayment(PAYMENT, OTHER_MERCHANT, null))
                    .expectNoEvents()
                    .expectException(refusedWith(Refusal.PAYMENT_NOT_FOUND));
        }

        @Test
        void theGatewaysCaptureReleasesTheHoldAndOwesTheMerchantTheCapturedAmount() {
            fixture.given(initiated(CaptureMethod.MANUAL), authorised(), new CaptureRequested(PAYMENT, myr(600), EARLIER))
                    .when(new RecordCapture(PAYMENT, null, null))
                    .expectEvents(new PaymentCaptured(PAYMENT, myr(600), "30001", capture(AMOUNT, myr(600)), NOW));
        }

        @Test
        void aRepeatedCaptureReportChangesNothing() {
            fixture.given(initiated(CaptureMethod.MANUAL), authorised(), captured())
                    .when(new RecordCapture(PAYMENT, null, "30001"))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void aFailedCaptureLeavesTheAuthorisationStanding() {
            fixture.given(initiated(CaptureMethod.MANUAL), authorised(), new CaptureRequested(PAYMENT, AMOUNT, EARLIER))
                    .when(new RecordCaptureFailure(PAYMENT, "15", "settlement day"))
                    .expectEvents(new CaptureFailed(PAYMENT, AMOUNT, "15", "settlement day", NOW));
        }

        @Test
        void aFailedCaptureReportedAfterTheCaptureIsRefused() {
            fixture.given(initiated(CaptureMethod.MANUAL), authorised(), captured())
                    .when(new RecordCaptureFailure(PAYMENT, "11", "failed"))
                    .expectNoEvents()
                    .expectException(refusedWith(Refusal.OUTCOME_CONTRADICTS_STATE));
        }
    }

    @Nested
    class Voiding {
        @Test
        void anAuthorisedPaymentCanBeVoided() {
            fixture.given(initiated(CaptureMethod.MANUAL), authorised())
                    .when(new VoidPayment(PAYMENT, MERCHANT))
                    .expectEvents(new VoidRequested(PAYMENT, NOW));
        }

        @Test
        void theGatewaysVoidReleasesTheHold() {
            fixture.given(initiated(CaptureMethod.MANUAL), authorised(), new VoidRequested(PAYMENT, EARLIER))
                    .when(new RecordVoid(PAYMENT))
                    .expectEvents(new PaymentVoided(PAYMENT, AMOUNT, releaseHold(AMOUNT), NOW));
        }

        @Test
        void aFailedVoidLeavesTheAuthorisationStanding() {
            fixture.given(initiated(CaptureMethod.MANUAL), authorised(), new VoidRequested(PAYMENT, EARLIER))
                    .when(new RecordVoidFailure(PAYMENT, "15", "settlement day"))
                    .expectEvents(new VoidFailed(PAYMENT, "15", "settlement day", NOW));
        }

        @Test
        void aCapturedPaymentIsRefundedNotVoided() {
            fixture.given(initiated(CaptureMethod.MANUAL), authorised(), captured())
                    .when(new VoidPayment(PAYMENT, MERCHANT))
                    .expectNoEvents()
                    .expectException(refusedWith(Refusal.ALREADY_CAPTURED));
        }

        @Test
        void aSecondVoidWhileTheFirstIsPendingIsRefused() {
            fixture.given(initiated(CaptureMethod.MANUAL), authorised(), new VoidRequested(PAYMENT, EARLIER))
                    .when(new VoidPayment(PAYMENT, MERCHANT))
                    .expectNoEvents()
                    .expectException(refusedWith(Refusal.VOID_ALREADY_REQUESTED));
        }

        @Test
        void aVoidedPaymentIsFinal() {
            fixture.given(initiated(CaptureMethod.MANUAL), authorised(),
                            new PaymentVoided(PAYMENT, AMOUNT, releaseHold(AMOUNT), EARLIER))
                    .when(new VoidPayment(PAYMENT, MERCHANT))
                    .expectNoEvents()
                    .expectException(refusedWith(Refusal.PAYMENT_FINAL));
        }
    }

    @Nested
    class Refunding {
        @Test
        void aRefundReservesItsAmountAtOnce() {
            fixture.given(initiated(CaptureMethod.MANUAL), authorised(), captured())
                    .when(new RefundPayment(PAYMENT, MERCHANT, REFUND, new RequestedAmount(400, "MYR"), "damaged"))
                    .expectEvents(new RefundRequested(PAYMENT, REFUND, myr(400), "damaged", refundRequested(myr(400)), NOW));
        }

        @Test
        void refundsCannotExceedTheCapturedAmount() {
            fixture.given(initiated(CaptureMethod.MANUAL), authorised(), captured())
                    .when(new RefundPayment(PAYMENT, MERCHANT, REFUND, new RequestedAmount(1051, null), null))
                    .expectNoEvents()
                    .expectException(refusedWith(Refusal.AMOUNT_EXCEEDS_REFUNDABLE));
        }

        @Test
        void pendingRefundsCountAgainstWhatMayStillBeRefunded() {
            fixture.given(initiated(CaptureMethod.MANUAL), authorised(), captured(), refundWasRequested(REFUND, myr(1000)))
                    .when(new RefundPayment(PAYMENT, MERCHANT, SECOND_REFUND, new RequestedAmount(51, null), null))
                    .expectNoEvents()
                    .expectException(refusedWith(Refusal.AMOUNT_EXCEEDS_REFUNDABLE));
        }

        @Test
        void severalPartialRefundsAreAllowedUpToTheCapturedAmount() {
            fixture.given(initiated(CaptureMethod.MANUAL), authorised(), captured(), refundWasRequested(REFUND, myr(1000)),
                            new RefundSucceeded(PAYMENT, REFUND, myr(1000), "9", refundSucceeded(myr(1000)), EARLIER))
                    .when(new RefundPayment(PAYMENT, MERCHANT, SECOND_REFUND, new RequestedAmount(50, null), null))
                    .expectEvents(new RefundRequested(PAYMENT, SECOND_REFUND, myr(50), null, refundRequested(myr(50)), NOW));
        }

        @Test
        void anUncapturedPaymentCannotBeRefunded() {
            fixture.given(initiated(CaptureMethod.MANUAL), authorised())
                    .when(new RefundPayment(PAYMENT, MERCHANT, REFUND, new RequestedAmount(100, null), null))
                    .expectNoEvents()
                    .expectException(refusedWith(Refusal.PAYMENT_NOT_CAPTURED));
        }

        @Test
        void aFullyRefundedPaymentIsFinal() {
            fixture.given(initiated(CaptureMethod.MANUAL), authorised(), captured(), refundWasRequested(REFUND, AMOUNT),
                            new RefundSucceeded(PAYMENT, REFUND, AMOUNT, "9", refundSucceeded(AMOUNT), EARLIER))
                    .when(new RefundPayment(PAYMENT, MERCHANT, SECOND_REFUND, new RequestedAmount(1, null), null))
                    .expectNoEvents()
                    .expectException(refusedWith(Refusal.PAYMENT_FINAL));
        }

        @Test
        void theGatewaysRefundSettlesTheReservation() {
            fixture.given(initiated(CaptureMethod.MANUAL), authorised(), captured(), refundWasRequested(REFUND, myr(400)))
                    .when(new RecordRefundSuccess(PAYMENT, REFUND, "777"))
                    .expectEvents(new RefundSucceeded(PAYMENT, REFUND, myr(400), "777", refundSucceeded(myr(400)), NOW));
        }

        @Test
        void aRefusedRefundGivesTheReservationBack() {
            fixture.given(initiated(CaptureMethod.MANUAL), authorised(), captured(), refundWasRequested(REFUND, myr(400)))
                    .when(new RecordRefundFailure(PAYMENT, REFUND, "PR011", "exceeds"))
                    .expectEvents(new RefundFailed(PAYMENT, REFUND, myr(400), "PR011", "exceeds", refundFailed(myr(400)), NOW));
        }

        @Test
        void aRepeatedRefundReportChangesNothing() {
            fixture.given(initiated(CaptureMethod.MANUAL), authorised(), captured(), refundWasRequested(REFUND, myr(400)),
                            new RefundSucceeded(PAYMENT, REFUND, myr(400), "777", refundSucceeded(myr(400)), EARLIER))
                    .when(new RecordRefundSuccess(PAYMENT, REFUND, "777"))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void aRefundPaidCannotLaterBeReportedAsFailed() {
            fixture.given(initiated(CaptureMethod.MANUAL), authorised(), captured(), refundWasRequested(REFUND, myr(400)),
                            new RefundSucceeded(PAYMENT, REFUND, myr(400), "777", refundSucceeded(myr(400)), EARLIER))
                    .when(new RecordRefundFailure(PAYMENT, REFUND, "11", "rejected"))
                    .expectNoEvents()
                    .expectException(refusedWith(Refusal.OUTCOME_CONTRADICTS_STATE));
        }

        @Test
        void anOutcomeForAnUnknownRefundIsRefused() {
            fixture.given(initiated(CaptureMethod.MANUAL), authorised(), captured())
                    .when(new RecordRefundSuccess(PAYMENT, REFUND, "777"))
                    .expectNoEvents()
                    .expectException(refusedWith(Refusal.REFUND_NOT_FOUND));
        }
    }

    @Nested
    class NeedingAPerson {
        private final AttentionRequired stuck =
                new AttentionRequired(PAYMENT, Steps.CAPTURE, "fiuu-refused-request", "Fiuu answered 400", EARLIER);

        @Test
        void theGatewayPutsAStuckStepBeforeAnOperatorOnceForTheSameReason() {
            fixture.given(initiated(CaptureMethod.MANUAL), authorised(), new CaptureRequested(PAYMENT, AMOUNT, EARLIER))
                    .when(new RequireAttention(PAYMENT, Steps.CAPTURE, "fiuu-refused-request", "Fiuu answered 400"))
                    .expectEvents(new AttentionRequired(PAYMENT, Steps.CAPTURE, "fiuu-refused-request", "Fiuu answered 400", NOW));
            fixture.given(initiated(CaptureMethod.MANUAL), authorised(), new CaptureRequested(PAYMENT, AMOUNT, EARLIER), stuck)
                    .when(new RequireAttention(PAYMENT, Steps.CAPTURE, "fiuu-refused-request", "Fiuu answered 400 again"))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void anOperatorAsksTheGatewayToRetryAStuckStep() {
            fixture.given(initiated(CaptureMethod.MANUAL), authorised(), new CaptureRequested(PAYMENT, AMOUNT, EARLIER), stuck)
                    .when(new ClearAttention(PAYMENT, Steps.CAPTURE, "retry", "operator-1", "Fiuu fixed it"))
                    .expectEvents(new AttentionCleared(PAYMENT, Steps.CAPTURE, "retry", "operator-1", "Fiuu fixed it", NOW));
        }

        @Test
        void anOperatorRecordsTheCaptureFiuuConfirmedOnItsPortal() {
            fixture.given(initiated(CaptureMethod.MANUAL), authorised(), new CaptureRequested(PAYMENT, AMOUNT, EARLIER), stuck)
                    .when(new ResolveAttention(PAYMENT, Steps.CAPTURE, "captured", "operator-1", "portal shows it captured"))
                    .expectEvents(new AttentionCleared(PAYMENT, Steps.CAPTURE, "captured", "operator-1", "portal shows it captured", NOW),
                            new PaymentCaptured(PAYMENT, AMOUNT, "30001", capture(AMOUNT, AMOUNT), NOW));
        }

        @Test
        void anOutcomeThatDoesNotFitTheStepIsRefused() {
            fixture.given(initiated(CaptureMethod.MANUAL), authorised(), new CaptureRequested(PAYMENT, AMOUNT, EARLIER), stuck)
                    .when(new ResolveAttention(PAYMENT, Steps.CAPTURE, "voided", "operator-1", "wrong button"))
                    .expectNoEvents()
                    .expectException(refusedWith(Refusal.OUTCOME_NOT_ALLOWED));
        }

        @Test
        void nothingCanBeResolvedThatDoesNotWaitForAPerson() {
            fixture.given(initiated(CaptureMethod.MANUAL), authorised(), new CaptureRequested(PAYMENT, AMOUNT, EARLIER))
                    .when(new ResolveAttention(PAYMENT, Steps.CAPTURE, "captured", "operator-1", "eager"))
                    .expectNoEvents()
                    .expectException(refusedWith(Refusal.NO_ATTENTION_NEEDED));
        }
    }

    @Nested
    class Expiring {
        @Test
        void aPaymentThatHeardNothingExpiresWithNoMoneyMoved() {
            fixture.given(initiated(CaptureMethod.MANUAL), new CheckoutPrepared(PAYMENT, "https://pay.example/x", EARLIER))
                    .when(new ExpirePayment(PAYMENT))
                    .expectEvents(new PaymentExpired(PAYMENT, myr(0), null, NOW));
        }

        @Test
        void aLapsedAuthorisationReleasesItsHold() {
            fixture.given(initiated(CaptureMethod.MANUAL), authorised())
                    .when(new ExpirePayment(PAYMENT))
                    .expectEvents(new PaymentExpired(PAYMENT, AMOUNT, releaseHold(AMOUNT), NOW));
        }

        @Test
        void aCapturedPaymentNeverExpires() {
            fixture.given(initiated(CaptureMethod.MANUAL), authorised(), captured())
                    .when(new ExpirePayment(PAYMENT))
                    .expectNoEvents()
                    .expectException(refusedWith(Refusal.OUTCOME_CONTRADICTS_STATE));
        }

        @Test
        void anExpiredPaymentIsNeverLeft() {
            fixture.given(initiated(CaptureMethod.MANUAL), new PaymentExpired(PAYMENT, myr(0), null, EARLIER))
                    .when(new RecordCheckoutPrepared(PAYMENT, "https://pay.example/late"))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }
    }

    @Test
    void aCommandForAPaymentThatDoesNotExistIsRefused() {
        fixture.givenNoPriorActivity()
                .when(new RecordVoid(PAYMENT))
                .expectException(refusedWith(Refusal.PAYMENT_NOT_FOUND));
    }
}
