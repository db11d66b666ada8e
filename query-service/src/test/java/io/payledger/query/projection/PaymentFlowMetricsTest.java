package io.payledger.query.projection;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.payledger.events.ledger.JournalEntries;
import io.payledger.events.money.Money;
import io.payledger.events.payment.AuthorisationFailed;
import io.payledger.events.payment.CaptureMethod;
import io.payledger.events.payment.CaptureRequested;
import io.payledger.events.payment.Customer;
import io.payledger.events.payment.MerchantId;
import io.payledger.events.payment.PaymentAuthorised;
import io.payledger.events.payment.PaymentCaptured;
import io.payledger.events.payment.PaymentEvent;
import io.payledger.events.payment.PaymentHistory;
import io.payledger.events.payment.PaymentId;
import io.payledger.events.payment.PaymentInitiated;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PaymentFlowMetricsTest {

    private static final PaymentId PAYMENT = PaymentId.of("3f1c9a7e-5b2d-4c11-9a0e-7d2f8b6c4e10");
    private static final Money AMOUNT = Money.of(1050, "MYR");
    private static final Instant CREATED = Instant.parse("2026-11-22T08:00:00Z");

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final PaymentFlowMetrics metrics = new PaymentFlowMetrics(meters);
    private final List<PaymentEvent> history = new ArrayList<>();

    @Test
    void everyOutcomeIsCountedFromZeroBeforeTheFirstPayment() {
        assertThat(meters.get("payledger.payments").counters()).hasSize(9)
                .allSatisfy(counter -> assertThat(counter.count()).isZero());
    }

    @Test
    void aCapturedPaymentCountsItsOutcomesAmountsAndTheTimeEachOutcomeTook() {
        apply(new PaymentInitiated(PAYMENT, MerchantId.of("m-1"), "ORD-1", AMOUNT, CaptureMethod.MANUAL,
                new Customer("Aisyah", "a@example.com", "+60123456789"), "2 items", "https://shop.example/return",
                Map.of(), CREATED));
        apply(new PaymentAuthorised(PAYMENT, AMOUNT, "3001", JournalEntries.authorisation(AMOUNT), CREATED.plusSeconds(40)));
        apply(new CaptureRequested(PAYMENT, AMOUNT, CREATED.plusSeconds(50)));
        apply(new PaymentCaptured(PAYMENT, AMOUNT, "3001", JournalEntries.capture(AMOUNT, AMOUNT), CREATED.plusSeconds(52)));

        assertThat(count("created")).isEqualTo(1);
        assertThat(count("authorised")).isEqualTo(1);
        assertThat(count("captured")).isEqualTo(1);
        assertThat(count("declined")).isZero();
        assertThat(meters.get("payledger.payment.amount.minor").tag("outcome", "captured").tag("currency", "MYR")
                .summary().totalAmount()).isEqualTo(1050);
        assertThat(meters.get("payledger.payment.duration").tag("outcome", "authorised").timer()
                .totalTime(TimeUnit.SECONDS)).isEqualTo(40);
        assertThat(meters.get("payledger.payment.duration").tag("outcome", "captured").timer()
                .totalTime(TimeUnit.SECONDS)).isEqualTo(52);
    }

    @Test
    void aDeclineIsCountedAsDeclinedAndMovesNoAmount() {
        apply(new PaymentInitiated(PAYMENT, MerchantId.of("m-1"), "ORD-2", AMOUNT, CaptureMethod.AUTOMATIC,
                null, null, "https://shop.example/return", Map.of(), CREATED));
        apply(new AuthorisationFailed(PAYMENT, "3002", "11", "declined by issuer", CREATED.plusSeconds(30)));

        assertThat(count("declined")).isEqualTo(1);
        assertThat(count("authorised")).isZero();
        assertThat(meters.find("payledger.payment.amount.minor").tag("outcome", "declined").summary()).isNull();
    }

    private void apply(PaymentEvent event) {
        history.add(event);
        metrics.record(event, PaymentHistory.replay(history));
    }

    private double count(String outcome) {
        return meters.get("payledger.payments").tag("outcome", outcome).counter().count();
    }
}
