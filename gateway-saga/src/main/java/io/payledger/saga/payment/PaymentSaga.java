package io.payledger.saga.payment;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import io.payledger.events.money.Money;
import io.payledger.events.payment.AuthorisationFailed;
import io.payledger.events.payment.CaptureFailed;
import io.payledger.events.payment.CaptureMethod;
import io.payledger.events.payment.CaptureRequested;
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
import io.payledger.events.payment.VoidFailed;
import io.payledger.events.payment.VoidRequested;
import io.payledger.saga.command.PaymentOutcomes;
import io.payledger.saga.fiuu.FiuuAnswers;
import io.payledger.saga.fiuu.FiuuCheckout;
import io.payledger.saga.fiuu.FiuuClient;
import io.payledger.saga.fiuu.FiuuUnavailable;
import java.util.HashMap;
import java.util.Map;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.deadline.annotation.DeadlineHandler;
import org.axonframework.modelling.saga.EndSaga;
import org.axonframework.modelling.saga.SagaEventHandler;
import org.axonframework.modelling.saga.SagaLifecycle;
import org.axonframework.modelling.saga.StartSaga;
import org.axonframework.spring.stereotype.Saga;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One payment's conversation with Fiuu. It prepares the checkout when a payment starts, calls Fiuu
 * when the merchant asks for a capture, void or refund, and reports each answer to command-service.
 * Notifications reach command-service through the inbox, not through here; this saga hears of them
 * as events. Unknown outcomes are never guessed: a call Fiuu did not answer is retried with
 * backoff, a pending one is asked about again, and a payment that hears nothing is re-queried and
 * only expired once Fiuu has no payment for it. Deadlines are never cancelled: cancelling one that
 * already ran fails at commit in the scheduler, so instead each deadline handler first checks that
 * it is still due, and a stale one does nothing. Fiuu calls are idempotent by their natural keys
 * (a second capture answers 24, a repeated RefID answers PR016), so a retried event never moves
 * money twice. The saga ends when the payment reaches a final state.
 */
@Saga
@ProcessingGroup(PaymentSaga.PROCESSING_GROUP)
@JsonAutoDetect(fieldVisibility = Visibility.ANY, getterVisibility = Visibility.NONE, isGetterVisibility = Visibility.NONE)
public class PaymentSaga {

    public static final String PROCESSING_GROUP = "payment-saga";
    static final String PAYMENT = "paymentId";
    static final String REQUERY_PAYMENT = "requery-payment";
    static final String RETRY_CAPTURE = "retry-capture";
    static final String RETRY_VOID = "retry-void";
    static final String RETRY_REFUND = "retry-refund";

    private static final Logger log = LoggerFactory.getLogger(PaymentSaga.class);

    private String paymentId;
    private String orderId;
    private long amount;
    private String currency;
    private String tranId;
    private int requeries;
    private long captureAmount;
    private long captured;
    private long refunded;
    private int attempts;
    private boolean voiding;
    private Map<String, Long> refundsInFlight = new HashMap<>();

    @StartSaga
    @SagaEventHandler(associationProperty = PAYMENT)
    void on(PaymentInitiated event, FiuuCheckout checkout, FiuuOrders orders, PaymentOutcomes outcomes,
            DeadlineManager deadlines, SagaTimings timings) {
        paymentId = event.paymentId().value();
        orderId = event.merchantReference();
        amount = event.amount().amount();
        currency = event.amount().currency();
        if (!orders.register(orderId, event.paymentId(), currency, event.returnUrl())) {
            outcomes.authorisationFailed(payment(), null, "order-id-in-use",
                    "another payment already uses this order id at the gateway");
            SagaLifecycle.end();
            return;
        }
        boolean sale = event.captureMethod() == CaptureMethod.AUTOMATIC;
        outcomes.checkoutPrepared(payment(), checkout.url(orderId, money(amount), sale, event.description(),
                event.returnUrl(), null));
        deadlines.schedule(timings.checkoutRequeryAfter(), REQUERY_PAYMENT, new SagaDeadlines.RequeryPayment(paymentId));
    }

    @SagaEventHandler(associationProperty = PAYMENT)
    void on(PaymentAuthorised event) {
        tranId = event.gatewayTransactionId();
    }

    @DeadlineHandler(deadlineName = REQUERY_PAYMENT)
    void on(SagaDeadlines.RequeryPayment due, FiuuClient fiuu, PaymentOutcomes outcomes, DeadlineManager deadlines,
            SagaTimings timings) {
        if (tranId != null) {
            return; // the payment was heard of meanwhile
        }
        FiuuAnswers.Status status;
        try {
            status = fiuu.queryOrder(orderId, money(amount));
        } catch (FiuuUnavailable unanswered) {
            deadlines.schedule(timings.backoff(attempts++), REQUERY_PAYMENT, new SagaDeadlines.RequeryPayment(paymentId));
            return;
        }
        switch (status.outcome()) {
            case AUTHORISED, CAPTURED -> outcomes.authorised(payment(), status.amount(), status.tranId());
            case FAILED -> outcomes.authorisationFailed(payment(), status.tranId(), status.statCode(), status.statName());
            case PENDING -> deadlines.schedule(timings.backoff(attempts++), REQUERY_PAYMENT, new SagaDeadlines.RequeryPayment(paymentId));
            case UNKNOWN -> {
                if (++requeries < timings.checkoutRequeries()) {
                    deadlines.schedule(timings.checkoutRequeryAfter(), REQUERY_PAYMENT, new SagaDeadlines.RequeryPayment(paymentId));
                } else {
                    outcomes.expired(payment());
                }
            }
        }
    }

    @SagaEventHandler(associationProperty = PAYMENT)
    void on(CaptureRequested event, FiuuClient fiuu, PaymentOutcomes outcomes, DeadlineManager deadlines,
            SagaTimings timings) {
        captureAmount = event.amount().amount();
        attempts = 0;
        capture(fiuu, outcomes, deadlines, timings);
    }

    @DeadlineHandler(deadlineName = RETRY_CAPTURE)
    void on(SagaDeadlines.RetryCapture due, FiuuClient fiuu, PaymentOutcomes outcomes, DeadlineManager deadlines,
            SagaTimings timings) {
        if (captureAmount == 0 || captured > 0) {
            return; // settled meanwhile
        }
        capture(fiuu, outcomes, deadlines, timings);
    }

    private void capture(FiuuClient fiuu, PaymentOutcomes outcomes, DeadlineManager deadlines, SagaTimings timings) {
        try {
            FiuuAnswers.Capture answer = fiuu.capture(tranId, money(captureAmount));
            switch (answer.outcome()) {
                case CAPTURED -> outcomes.captured(payment(), tranId);
                case PENDING -> deadlines.schedule(timings.backoff(attempts++), RETRY_CAPTURE, new SagaDeadlines.RetryCapture(paymentId));
                case REFUSED -> outcomes.captureFailed(payment(), answer.statCode(), "Fiuu refused the capture");
            }
        } catch (FiuuUnavailable unanswered) {
            log.info("capture of {} not answered, retrying: {}", paymentId, unanswered.getMessage());
            deadlines.schedule(timings.backoff(attempts++), RETRY_CAPTURE, new SagaDeadlines.RetryCapture(paymentId));
        }
    }

    @SagaEventHandler(associationProperty = PAYMENT)
    void on(PaymentCaptured event) {
        captured = event.amount().amount();
        tranId = event.gatewayTransactionId() == null ? tranId : event.gatewayTransactionId();
    }

    @SagaEventHandler(associationProperty = PAYMENT)
    void on(CaptureFailed event) {
        captureAmount = 0;
    }

    @SagaEventHandler(associationProperty = PAYMENT)
    void on(VoidRequested event, FiuuClient fiuu, PaymentOutcomes outcomes, DeadlineManager deadlines,
            SagaTimings timings) {
        attempts = 0;
        voiding = true;
        reverse(fiuu, outcomes, deadlines, timings);
    }

    @DeadlineHandler(deadlineName = RETRY_VOID)
    void on(SagaDeadlines.RetryVoid due, FiuuClient fiuu, PaymentOutcomes outcomes, DeadlineManager deadlines,
            SagaTimings timings) {
        if (!voiding) {
            return; // settled meanwhile
        }
        reverse(fiuu, outcomes, deadlines, timings);
    }

    private void reverse(FiuuClient fiuu, PaymentOutcomes outcomes, DeadlineManager deadlines, SagaTimings timings) {
        try {
            FiuuAnswers.Void answer = fiuu.reverse(tranId);
            if (answer.outcome() == FiuuAnswers.VoidOutcome.VOIDED) {
                outcomes.voided(payment());
            } else {
                outcomes.voidFailed(payment(), answer.statCode(), "Fiuu refused the reversal");
            }
        } catch (FiuuUnavailable unanswered) {
            deadlines.schedule(timings.backoff(attempts++), RETRY_VOID, new SagaDeadlines.RetryVoid(paymentId));
        }
    }

    @SagaEventHandler(associationProperty = PAYMENT)
    void on(VoidFailed event) {
        voiding = false;
    }

    @SagaEventHandler(associationProperty = PAYMENT)
    void on(RefundRequested event, FiuuOrders orders, FiuuClient fiuu, PaymentOutcomes outcomes,
            DeadlineManager deadlines, SagaTimings timings) {
        refundsInFlight.put(event.refundId().value(), event.amount().amount());
        orders.registerRefund(event.refundId().value(), event.paymentId());
        refund(event.refundId().value(), fiuu, outcomes, deadlines, timings);
    }

    @DeadlineHandler(deadlineName = RETRY_REFUND)
    void on(SagaDeadlines.RetryRefund due, FiuuClient fiuu, PaymentOutcomes outcomes, DeadlineManager deadlines,
            SagaTimings timings) {
        refund(due.refundId(), fiuu, outcomes, deadlines, timings);
    }

    private void refund(String refundId, FiuuClient fiuu, PaymentOutcomes outcomes, DeadlineManager deadlines,
                        SagaTimings timings) {
        Long refundAmount = refundsInFlight.get(refundId);
        if (refundAmount == null) {
            return; // settled meanwhile
        }
        try {
            FiuuAnswers.Refund answer = fiuu.refund(refundId, tranId, money(refundAmount));
            if (answer.outcome() == FiuuAnswers.RefundOutcome.DUPLICATE) {
                answer = fiuu.refundStatus(refundId); // we asked before; what became of it?
            }
            switch (answer.outcome()) {
                case SUCCEEDED -> outcomes.refundSucceeded(payment(), RefundId.of(refundId), answer.refundId());
                case REJECTED -> outcomes.refundFailed(payment(), RefundId.of(refundId), answer.code(), "Fiuu rejected the refund");
                case PENDING, DUPLICATE -> deadlines.schedule(timings.backoff(attempts++), RETRY_REFUND, new SagaDeadlines.RetryRefund(refundId));
            }
        } catch (FiuuUnavailable unanswered) {
            deadlines.schedule(timings.backoff(attempts++), RETRY_REFUND, new SagaDeadlines.RetryRefund(refundId));
        }
    }

    @SagaEventHandler(associationProperty = PAYMENT)
    void on(RefundSucceeded event) {
        refundsInFlight.remove(event.refundId().value());
        refunded += event.amount().amount();
        if (refunded >= captured && refundsInFlight.isEmpty()) {
            SagaLifecycle.end();
        }
    }

    @SagaEventHandler(associationProperty = PAYMENT)
    void on(RefundFailed event) {
        refundsInFlight.remove(event.refundId().value());
    }

    @EndSaga
    @SagaEventHandler(associationProperty = PAYMENT)
    void on(PaymentVoided event) {
        // final: the hold is released
    }

    @EndSaga
    @SagaEventHandler(associationProperty = PAYMENT)
    void on(AuthorisationFailed event) {
        // final: the customer did not pay
    }

    @EndSaga
    @SagaEventHandler(associationProperty = PAYMENT)
    void on(PaymentExpired event) {
        // final: nothing came of it
    }


    private PaymentId payment() {
        return PaymentId.of(paymentId);
    }

    private Money money(long minorUnits) {
        return Money.of(minorUnits, currency);
    }
}
