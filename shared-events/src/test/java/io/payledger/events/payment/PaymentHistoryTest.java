package io.payledger.events.payment;

import static io.payledger.events.payment.SampleEvents.AMOUNT;
import static io.payledger.events.payment.SampleEvents.PART;
import static io.payledger.events.payment.SampleEvents.PAYMENT;
import static io.payledger.events.payment.SampleEvents.REFUND;
import static io.payledger.events.payment.SampleEvents.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.payledger.events.ledger.JournalEntries;
import io.payledger.events.money.Money;
import java.util.List;
import org.junit.jupiter.api.Test;

class PaymentHistoryTest {

    private final PaymentInitiated initiated = SampleEvents.initiated(CaptureMethod.MANUAL);
    private final PaymentAuthorised authorised =
            new PaymentAuthorised(PAYMENT, AMOUNT, "30001234", JournalEntries.authorisation(AMOUNT), at(2));
    private final PaymentCaptured captured =
            new PaymentCaptured(PAYMENT, AMOUNT, "30001234", JournalEntries.capture(AMOUNT, AMOUNT), at(4));

    @Test
    void aNewPaymentIsCreatedWithNothingHeldCapturedOrRefunded() {
        PaymentState state = PaymentHistory.replay(List.of(initiated));

        assertThat(state.status()).isEqualTo(PaymentStatus.CREATED);
        assertThat(state.authorised().isZero()).isTrue();
        assertThat(state.captured().isZero()).isTrue();
        assertThat(state.refundable().isZero()).isTrue();
        assertThat(state.createdAt()).isEqualTo(initiated.occurredAt());
    }

    @Test
    void aHistoryMustStartWithTheInitiation() {
        assertThatThrownBy(() -> PaymentHistory.replay(List.of(authorised))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PaymentHistory.replay(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aCaptureRequestWaitsForTheGatewayAndAFailedOneLeavesTheAuthorisationStanding() {
        PaymentState pending = PaymentHistory.replay(List.of(initiated, authorised, new CaptureRequested(PAYMENT, AMOUNT, at(3))));
        PaymentState failed = PaymentHistory.apply(pending, new CaptureFailed(PAYMENT, AMOUNT, "15", "settlement day", at(4)));

        assertThat(pending.status()).isEqualTo(PaymentStatus.CAPTURE_PENDING);
        assertThat(pending.captureRequested()).isEqualTo(AMOUNT);
        assertThat(failed.status()).isEqualTo(PaymentStatus.AUTHORISED);
        assertThat(failed.captureRequested().isZero()).isTrue();
        assertThat(failed.failureCode()).isEqualTo("15");
    }

    @Test
    void refundsReserveTheirAmountUntilTheyAreSettledAndOnlySucceededOnesCountAsRefunded() {
        PaymentState requested = PaymentHistory.replay(List.of(initiated, authorised, captured,
                new RefundRequested(PAYMENT, REFUND, PART, "damaged", JournalEntries.refundRequested(PART), at(5))));

        assertThat(requested.status()).isEqualTo(PaymentStatus.CAPTURED);
        assertThat(requested.refundsPending()).isEqualTo(PART);
        assertThat(requested.refundable()).isEqualTo(AMOUNT.minus(PART));

        PaymentState succeeded = PaymentHistory.apply(requested,
                new RefundSucceeded(PAYMENT, REFUND, PART, "777", JournalEntries.refundSucceeded(PART), at(6)));

        assertThat(succeeded.status()).isEqualTo(PaymentStatus.PARTIALLY_REFUNDED);
        assertThat(succeeded.refunded()).isEqualTo(PART);
        assertThat(succeeded.refund(REFUND).orElseThrow().status()).isEqualTo(RefundStatus.SUCCEEDED);
    }

    @Test
    void aFailedRefundGivesItsAmountBackToWhatMayStillBeRefunded() {
        PaymentState state = PaymentHistory.replay(List.of(initiated, authorised, captured,
                new RefundRequested(PAYMENT, REFUND, PART, "damaged", JournalEntries.refundRequested(PART), at(5)),
                new RefundFailed(PAYMENT, REFUND, PART, "PR015", "busy", JournalEntries.refundFailed(PART), at(6))));

        assertThat(state.status()).isEqualTo(PaymentStatus.CAPTURED);
        assertThat(state.refundable()).isEqualTo(AMOUNT);
        assertThat(state.refund(REFUND).orElseThrow().failureCode()).isEqualTo("PR015");
    }

    @Test
    void refundingTheWholeCaptureMakesThePaymentRefunded() {
        RefundId second = RefundId.of("second-refund");
        Money rest = AMOUNT.minus(PART);
        PaymentState state = PaymentHistory.replay(List.of(initiated, authorised, captured,
                new RefundRequested(PAYMENT, REFUND, PART, null, JournalEntries.refundRequested(PART), at(5)),
                new RefundSucceeded(PAYMENT, REFUND, PART, "1", JournalEntries.refundSucceeded(PART), at(6)),
                new RefundRequested(PAYMENT, second, rest, null, JournalEntries.refundRequested(rest), at(7)),
                new RefundSucceeded(PAYMENT, second, rest, "2", JournalEntries.refundSucceeded(rest), at(8))));

        assertThat(state.status()).isEqualTo(PaymentStatus.REFUNDED);
        assertThat(state.status().isTerminal()).isTrue();
        assertThat(state.refunded()).isEqualTo(AMOUNT);
        assertThat(state.refundable().isZero()).isTrue();
    }

    @Test
    void replayingAPrefixOfTheHistoryGivesThePaymentAsItStoodThen() {
        List<PaymentEvent> history = List.of(initiated,
                new CheckoutPrepared(PAYMENT, "https://pay.example/x", at(1)), authorised, captured);

        assertThat(PaymentHistory.replay(history.subList(0, 2)).status()).isEqualTo(PaymentStatus.AWAITING_CUSTOMER);
        assertThat(PaymentHistory.replay(history.subList(0, 3)).status()).isEqualTo(PaymentStatus.AUTHORISED);
        assertThat(PaymentHistory.replay(history).updatedAt()).isEqualTo(at(4));
    }

    @Test
    void anUnexpectedChargeNeverMovesThePaymentAndIsHeldUntilReleased() {
        Money stray = Money.of(1050, "USD");
        PaymentState failed = PaymentHistory.replay(List.of(initiated,
                new AuthorisationFailed(PAYMENT, "30001233", "11", "declined", at(1))));
        PaymentState charged = PaymentHistory.apply(failed, new UnexpectedChargeRecorded(PAYMENT, "30001240", stray, false,
                UnexpectedChargeReason.AFTER_FAILURE, JournalEntries.unexpectedCharge(stray), at(2)));

        assertThat(charged.status()).isEqualTo(PaymentStatus.FAILED);
        assertThat(charged.authorised().isZero()).isTrue();
        assertThat(charged.unexpectedCharge("30001240").orElseThrow().isHeld()).isTrue();

        PaymentState released = PaymentHistory.apply(charged, new UnexpectedChargeReleased(PAYMENT, "30001240", stray,
                "reversal", null, JournalEntries.unexpectedChargeReleased(stray), at(3)));

        assertThat(released.status()).isEqualTo(PaymentStatus.FAILED);
        assertThat(released.unexpectedCharge("30001240").orElseThrow().isHeld()).isFalse();
        assertThat(released.unexpectedCharge("30001240").orElseThrow().releasedBy()).isEqualTo("reversal");
    }

    @Test
    void aStepWaitsForAPersonUntilItsOutcomeArrivesOrItIsCleared() {
        PaymentState pending = PaymentHistory.replay(List.of(initiated, authorised, new CaptureRequested(PAYMENT, AMOUNT, at(3)),
                new AttentionRequired(PAYMENT, Steps.CAPTURE, "fiuu-refused-request", "400", at(4))));

        assertThat(pending.attentionTo(Steps.CAPTURE)).isPresent();
        assertThat(pending.status()).isEqualTo(PaymentStatus.CAPTURE_PENDING);
        assertThat(PaymentHistory.apply(pending, captured).attention()).isEmpty();
        assertThat(PaymentHistory.apply(pending, new AttentionCleared(PAYMENT, Steps.CAPTURE, "retry", "operator-1", null,
                at(5))).attention()).isEmpty();
        assertThat(PaymentHistory.apply(pending, new AttentionRequired(PAYMENT, Steps.VOID, "x", null, at(5))).attention())
                .extracting(Attention::step).containsExactly(Steps.CAPTURE, Steps.VOID);
    }
}
