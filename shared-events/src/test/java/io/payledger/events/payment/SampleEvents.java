package io.payledger.events.payment;

import io.payledger.events.ledger.JournalEntries;
import io.payledger.events.money.Money;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** One example of every event, with fixed values, for the contract and fold tests. */
final class SampleEvents {

    static final PaymentId PAYMENT = PaymentId.of("3f1c9a7e-5b2d-4c11-9a0e-7d2f8b6c4e10");
    static final MerchantId MERCHANT = MerchantId.of("merchant-001");
    static final RefundId REFUND = RefundId.of("9d8e7f60-1a2b-4c3d-8e9f-0a1b2c3d4e5f");
    static final Money AMOUNT = Money.of(1050, "MYR");
    static final Money PART = Money.of(400, "MYR");
    /** The payment's amount paid in another currency: an unexpected charge. */
    static final Money STRAY = Money.of(1050, "USD");
    static final Instant T0 = Instant.parse("2026-11-22T08:00:00Z");

    private SampleEvents() {
    }

    static Instant at(int second) {
        return T0.plusSeconds(second);
    }

    /**
     * Aisyah, a@example.com and +60123456789 as revision 2 stores them: sealed under key {@code ck-sample}
     * (the 32 bytes "sample key for the golden file!!"), each bound to PAYMENT and its field.
     */
    static final Customer SEALED_CUSTOMER = new Customer(
            "pii:v1:ck-sample:WGFqnl1j5V3adrNKeiu6mKhXFGrAC71VgD141URwvsKgiw",
            "pii:v1:ck-sample:cizxt7prkFSNt671c7aubQeSyanGhijceS4yd2RWdpMCZJQlOgSMIEA",
            "pii:v1:ck-sample:FZhZiH6074pbgoi42bqTuJ-dYwZdI6gfPsvTdy8pOSWUZ8-URPykkw");

    static PaymentInitiated initiated(CaptureMethod method) {
        return new PaymentInitiated(PAYMENT, MERCHANT, "ORD-1001", AMOUNT, method,
                SEALED_CUSTOMER, "2 items",
                "https://shop.example/return", Map.of("cart", "77"), T0);
    }

    /** Every event type exactly once (not a history the aggregate would write: see PaymentHistoryTest for those). */
    static List<PaymentEvent> oneOfEach() {
        return List.of(
                initiated(CaptureMethod.MANUAL),
                new CheckoutPrepared(PAYMENT, "https://sandbox.fiuu.local/RMS/pay/MID/?orderid=ORD-1001", at(1)),
                new PaymentAuthorised(PAYMENT, AMOUNT, "30001234", JournalEntries.authorisation(AMOUNT), at(2)),
                new CaptureRequested(PAYMENT, AMOUNT, at(3)),
                new CaptureFailed(PAYMENT, AMOUNT, "15", "settlement day", at(4)),
                new VoidRequested(PAYMENT, at(5)),
                new VoidFailed(PAYMENT, "21", "not in authorised status", at(6)),
                new PaymentCaptured(PAYMENT, AMOUNT, "30001234", JournalEntries.capture(AMOUNT, AMOUNT), at(8)),
                new RefundRequested(PAYMENT, REFUND, PART, "damaged", JournalEntries.refundRequested(PART), at(9)),
                new RefundFailed(PAYMENT, REFUND, PART, "PR015", "busy", JournalEntries.refundFailed(PART), at(10)),
                new RefundSucceeded(PAYMENT, REFUND, PART, "777", JournalEntries.refundSucceeded(PART), at(11)),
                new AuthorisationFailed(PAYMENT, "30001234", "11", "declined", at(12)),
                new PaymentVoided(PAYMENT, AMOUNT, JournalEntries.releaseHold(AMOUNT), at(13)),
                new PaymentExpired(PAYMENT, AMOUNT, JournalEntries.releaseHold(AMOUNT), at(14)),
                new UnexpectedChargeRecorded(PAYMENT, "30001240", STRAY, false, UnexpectedChargeReason.CURRENCY_MISMATCH,
                        JournalEntries.unexpectedCharge(STRAY), at(15)),
                new UnexpectedChargeReleased(PAYMENT, "30001240", STRAY, "reversal", null,
                        JournalEntries.unexpectedChargeReleased(STRAY), at(16)),
                new AttentionRequired(PAYMENT, Steps.CAPTURE, "fiuu-refused-request", "Fiuu answered 400 to capture", at(17)),
                new AttentionCleared(PAYMENT, Steps.CAPTURE, "retry", "operator-1", "the portal shows it authorised", at(18)));
    }
}
