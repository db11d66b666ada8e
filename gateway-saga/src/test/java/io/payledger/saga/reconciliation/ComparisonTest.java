package io.payledger.saga.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;

import io.payledger.events.money.Money;
import io.payledger.events.payment.PaymentStatus;
import io.payledger.events.payment.RefundStatus;
import io.payledger.events.payment.UnexpectedCharge;
import io.payledger.events.payment.UnexpectedChargeReason;
import io.payledger.saga.fiuu.FiuuAnswers;
import io.payledger.saga.fiuu.FiuuAnswers.PaymentOutcome;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ComparisonTest {

    private static Comparison.LedgerPosition ledger(PaymentStatus status, long authorised, long captured) {
        return new Comparison.LedgerPosition("pay_1", "m_1", "order-1", "MYR", 1500, status, authorised, captured, "3001",
                List.of(), List.of());
    }

    @ParameterizedTest(name = "a refund the ledger says {0} and Fiuu answers {1} ({2}): mismatch {3}")
    @CsvSource({
            "PENDING, PENDING, unknown, false", "PENDING, SUCCEEDED, success, false", "PENDING, REJECTED, rejected, false",
            "SUCCEEDED, SUCCEEDED, success, false", "SUCCEEDED, REJECTED, rejected, true", "SUCCEEDED, PENDING, unknown, true",
            "SUCCEEDED, PENDING, processing, true",
            "FAILED, REJECTED, rejected, false", "FAILED, PENDING, unknown, false", "FAILED, SUCCEEDED, success, true",
            "FAILED, PENDING, pending, true"})
    void aRefundAgreesWhenFiuuTellsTheSameStoryOrItIsStillInFlight(RefundStatus ledger, FiuuAnswers.RefundOutcome outcome,
                                                                  String code, boolean mismatch) {
        assertThat(Comparison.ofRefund(ledger, new FiuuAnswers.Refund(outcome, code, "77")).isPresent()).isEqualTo(mismatch);
    }

    private static FiuuAnswers.Status fiuu(PaymentOutcome outcome, long amount, String tranId) {
        String code = switch (outcome) {
            case AUTHORISED, CAPTURED -> "00";
            case FAILED -> "11";
            case PENDING -> "22";
            case UNKNOWN -> "";
        };
        return new FiuuAnswers.Status(outcome, code, outcome.name().toLowerCase(), tranId, Money.of(amount, "MYR"));
    }

    @ParameterizedTest(name = "ledger {0} and Fiuu {1} agree")
    @CsvSource({
            "AWAITING_CUSTOMER, UNKNOWN", "AWAITING_CUSTOMER, PENDING", "AWAITING_CUSTOMER, FAILED",
            "AUTHORISED, AUTHORISED", "CAPTURE_PENDING, AUTHORISED", "CAPTURE_PENDING, CAPTURED",
            "CAPTURED, CAPTURED", "PARTIALLY_REFUNDED, CAPTURED", "REFUNDED, CAPTURED",
            "VOID_PENDING, AUTHORISED", "VOID_PENDING, FAILED", "VOIDED, FAILED",
            "FAILED, FAILED", "EXPIRED, UNKNOWN"})
    void recordsThatTellTheSameStoryAgree(PaymentStatus status, PaymentOutcome outcome) {
        long authorised = status.isBeforeAuthorisation() || status == PaymentStatus.FAILED || status == PaymentStatus.EXPIRED ? 0 : 1500;
        long captured = status == PaymentStatus.CAPTURED || status.name().contains("REFUNDED") ? 1500 : 0;

        assertThat(Comparison.of(ledger(status, authorised, captured), fiuu(outcome, 1500, "3001"))).isEmpty();
    }

    @ParameterizedTest(name = "ledger {0} and Fiuu {1} disagree: {2}")
    @CsvSource({
            "CAPTURED, UNKNOWN, MISSING_AT_GATEWAY", "AUTHORISED, FAILED, MISSING_AT_GATEWAY",
            "CAPTURED, PENDING, MISSING_AT_GATEWAY",
            "AWAITING_CUSTOMER, CAPTURED, MISSING_IN_LEDGER", "EXPIRED, AUTHORISED, MISSING_IN_LEDGER",
            "FAILED, CAPTURED, MISSING_IN_LEDGER",
            "CAPTURED, AUTHORISED, STATUS_DIFFERS", "AUTHORISED, CAPTURED, STATUS_DIFFERS", "VOIDED, AUTHORISED, STATUS_DIFFERS",
            "VOIDED, CAPTURED, STATUS_DIFFERS"})
    void recordsThatTellDifferentStoriesDisagreeAndSayHow(PaymentStatus status, PaymentOutcome outcome, Comparison.Kind kind) {
        long authorised = status.isBeforeAuthorisation() || status == PaymentStatus.FAILED || status == PaymentStatus.EXPIRED ? 0 : 1500;
        long captured = status == PaymentStatus.CAPTURED ? 1500 : 0;

        assertThat(Comparison.of(ledger(status, authorised, captured), fiuu(outcome, 1500, "3001"))).contains(kind);
    }

    @Test
    void theSamePaymentForAnotherAmountAtFiuuIsAnAmountMismatch() {
        assertThat(Comparison.of(ledger(PaymentStatus.CAPTURED, 1500, 1500), fiuu(PaymentOutcome.CAPTURED, 1550, "3001")))
                .contains(Comparison.Kind.AMOUNT_DIFFERS);
    }

    @Test
    void anotherFiuuTransactionForTheOrderIsATransactionMismatch() {
        assertThat(Comparison.of(ledger(PaymentStatus.AUTHORISED, 1500, 0), fiuu(PaymentOutcome.AUTHORISED, 1500, "9999")))
                .contains(Comparison.Kind.TRANSACTION_DIFFERS);
    }

    @Test
    void anUnexpectedChargeGivenBackOnBothSidesAgreesAndOneStillAtFiuuDisagrees() {
        Money usd = Money.of(1500, "USD");
        UnexpectedCharge released = new UnexpectedCharge("3009", usd, false, UnexpectedChargeReason.CURRENCY_MISMATCH,
                java.time.Instant.EPOCH, java.time.Instant.EPOCH, "reversal");
        UnexpectedCharge held = new UnexpectedCharge("3009", usd, false, UnexpectedChargeReason.CURRENCY_MISMATCH,
                java.time.Instant.EPOCH, null, null);
        FiuuAnswers.Status reversed = new FiuuAnswers.Status(PaymentOutcome.FAILED, "11", "cancelled", "3009", usd);
        FiuuAnswers.Status stillHeld = new FiuuAnswers.Status(PaymentOutcome.AUTHORISED, "00", "authorized", "3009", usd);
        FiuuAnswers.Status taken = new FiuuAnswers.Status(PaymentOutcome.CAPTURED, "00", "captured", "3009", usd);
        FiuuAnswers.Refund refunded = new FiuuAnswers.Refund(FiuuAnswers.RefundOutcome.SUCCEEDED, "success", "77");

        assertThat(Comparison.ofCharge(released, reversed, null)).isEmpty();
        assertThat(Comparison.ofCharge(released, taken, refunded)).isEmpty();
        assertThat(Comparison.ofCharge(released, stillHeld, null)).contains(Comparison.Kind.UNEXPECTED_CHARGE_DIFFERS);
        assertThat(Comparison.ofCharge(released, taken, new FiuuAnswers.Refund(FiuuAnswers.RefundOutcome.PENDING, "unknown", null)))
                .contains(Comparison.Kind.UNEXPECTED_CHARGE_DIFFERS);
        assertThat(Comparison.ofCharge(held, stillHeld, null)).as("on its way back").isEmpty();
        assertThat(Comparison.ofCharge(held, reversed, null)).as("given back, not yet recorded").isEmpty();
    }

    @Test
    void kindsReadAsStableCodes() {
        assertThat(Comparison.Kind.MISSING_AT_GATEWAY.code()).isEqualTo("missing-at-gateway");
        assertThat(Optional.of(Comparison.Kind.STATUS_DIFFERS).map(Comparison.Kind::code)).contains("status-differs");
    }
}
