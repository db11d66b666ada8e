package io.payledger.localstack.events;

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
import io.payledger.events.payment.PaymentId;
import io.payledger.events.payment.PaymentInitiated;
import io.payledger.events.payment.PaymentVoided;
import io.payledger.events.payment.RefundId;
import io.payledger.events.payment.RefundRequested;
import io.payledger.events.payment.RefundSucceeded;
import io.payledger.events.payment.VoidRequested;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Payment histories the aggregate could have written, at random but repeatably: declined, voided, captured, and
 * captured then refunded, their events a millisecond apart. For synthetic logs and exports.
 */
public final class SyntheticHistories {

    private final SplittableRandom random;

    public SyntheticHistories(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** One payment's whole history from {@code t}. */
    public List<PaymentEvent> next(String merchant, Instant t) {
        PaymentId payment = PaymentId.random();
        Money amount = Money.of(100 + random.nextInt(500_000), "MYR");
        List<PaymentEvent> events = new ArrayList<>();
        events.add(new PaymentInitiated(payment, MerchantId.of(merchant), "ORD-" + payment.value().substring(0, 12), amount,
                CaptureMethod.MANUAL, Customer.guest(), "synthetic", null, Map.of(), t));
        events.add(new CheckoutPrepared(payment, "http://localhost/pay/" + payment.value(), t.plusMillis(1)));
        int outcome = random.nextInt(100);
        if (outcome < 15) {
            events.add(new AuthorisationFailed(payment, "T" + random.nextInt(1_000_000), "11", "declined", t.plusMillis(2)));
            return events;
        }
        String transaction = Long.toString(30_000_000L + random.nextInt(1_000_000));
        events.add(new PaymentAuthorised(payment, amount, transaction, JournalEntries.authorisation(amount), t.plusMillis(2)));
        if (outcome < 30) {
            events.add(new VoidRequested(payment, t.plusMillis(3)));
            events.add(new PaymentVoided(payment, amount, JournalEntries.releaseHold(amount), t.plusMillis(4)));
            return events;
        }
        events.add(new CaptureRequested(payment, amount, t.plusMillis(3)));
        events.add(new PaymentCaptured(payment, amount, transaction, JournalEntries.capture(amount, amount), t.plusMillis(4)));
        if (outcome < 80) {
            return events;
        }
        Money refund = Money.of(1 + random.nextLong(amount.amount()), "MYR");
        RefundId refundId = RefundId.random();
        events.add(new RefundRequested(payment, refundId, refund, "synthetic", JournalEntries.refundRequested(refund),
                t.plusMillis(5)));
        events.add(new RefundSucceeded(payment, refundId, refund, "R" + transaction, JournalEntries.refundSucceeded(refund),
                t.plusMillis(6)));
        return events;
    }
}
