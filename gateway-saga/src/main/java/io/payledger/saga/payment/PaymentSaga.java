package io.payledger.saga.payment;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import io.payledger.events.money.Money;
import io.payledger.events.payment.AttentionCleared;
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
import io.payledger.events.payment.Steps;
import io.payledger.events.payment.UnexpectedChargeRecorded;
import io.payledger.events.payment.VoidFailed;
import io.payledger.events.payment.VoidRequested;
import io.payledger.saga.command.PaymentOutcomes;
import io.payledger.saga.fiuu.FiuuAnswers;
import io.payledger.saga.fiuu.FiuuCheckout;
import io.payledger.saga.fiuu.FiuuClient;
import io.payledger.saga.fiuu.FiuuUnavailable;
import io.payledger.saga.fiuu.FiuuUnexpectedAnswer;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.IntConsumer;
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
 * as events.
 * <p>
 * Unknown outcomes are never guessed. A call Fiuu did not answer is retried with backoff; a pending one is
 * asked about again; a payment that hears nothing is re-queried and only expired once Fiuu says, with a signed
 * answer, that it has no payment for it (an error is not such an answer). A reversal Fiuu refuses is checked
 * with a status query, since "not in authorised status" is also what a reversal that already went through
 * hears. What Fiuu refuses outright (HTTP 4xx), answers in a way it does not document, or leaves unanswered
 * for {@code max-attempts} tries is put before an operator ({@code AttentionRequired}) and not tried again
 * until the operator asks ({@code AttentionCleared} with {@code retry}): one bad answer never holds up another
 * payment, and nothing stuck is forgotten.
 * <p>
 * Deadlines are never cancelled: cancelling one that already ran fails at commit in the scheduler, so instead
 * each deadline handler first checks that it is still due, and a stale one does nothing. Fiuu calls are
 * idempotent by their natural keys (a second capture answers 24, a repeated RefID answers PR016), so a
 * retried event never moves money twice. The saga ends when the payment reaches a final state.
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
    /** Tries of each step so far (capture, void, refund:<id>, authorisation); a new request of a step starts again. */
    private Map<String, Integer> attemptsByStep = new HashMap<>();
    private boolean voiding;
    private Map<String, Long> refundsInFlight = new HashMap<>();
    /** Refunds Fiuu accepted as pending: asked about by RefID from then on, never sent again. */
    private Set<String> refundsAtFiuu = new HashSet<>();
    /** Fiuu transactions of this order that are not its authorisation (command-service decided), to be ignored here. */
    private Set<String> unexpectedCharges = new HashSet<>();
    /** Steps put before an operator: not tried again until the operator asks. */
    private Set<String> waitingForAPerson = new HashSet<>();

    @StartSaga
    @SagaEventHandler(associationProperty = PAYMENT)
    void on(PaymentInitiated event, FiuuCheckout checkout, FiuuOrders orders, PaymentOutcomes outcomes,
            DeadlineManager deadlines, SagaTimings timings) {
        paymentId = event.paymentId().value();
        orderId = FiuuOrderIds.of(event.paymentId());
        amount = event.amount().amount();
        currency = event.amount().currency();
        if (!orders.register(orderId, event.paymentId(), currency, event.returnUrl())) {
            outcomes.authorisationFailed(payment(), null, "order-id-in-use",
                    "another payment already uses this order id at the gateway");
            SagaLifecycle.end();
            return;
        }
        boolean sale = event.captureMethod() == CaptureMethod.AUTOMATIC;
        outcomes.checkoutPrepared(payment(), checkout.url(orderId, money(amount), sale, event.merchantReference(),
                event.description(), event.returnUrl(), null));
        deadlines.schedule(timings.checkoutRequeryAfter(), REQUERY_PAYMENT, new SagaDeadlines.RequeryPayment(paymentId));
    }

    @SagaEventHandler(associationProperty = PAYMENT)
    void on(PaymentAuthorised event) {
        tranId = event.gatewayTransactionId();
        waitingForAPerson.remove(Steps.AUTHORISATION);
    }

    @SagaEventHandler(associationProperty = PAYMENT)
    void on(UnexpectedChargeRecorded event) {
        unexpectedCharges.add(event.chargeId());
    }

    @DeadlineHandler(deadlineName = REQUERY_PAYMENT)
    void on(SagaDeadlines.RequeryPayment due, FiuuClient fiuu, PaymentOutcomes outcomes, DeadlineManager deadlines,
            SagaTimings timings) {
        if (tranId != null || waitingForAPerson.contains(Steps.AUTHORISATION)) {
            return; // the payment was heard of meanwhile, or waits for an operator
        }
        requery(fiuu, outcomes, deadlines, timings);
    }

    private void requery(FiuuClient fiuu, PaymentOutcomes outcomes, DeadlineManager deadlines, SagaTimings timings) {
        FiuuAnswers.Status status;
        try {
            status = fiuu.queryOrder(orderId, money(amount));
        } catch (FiuuUnavailable unanswered) {
            retryOrAskAPerson(Steps.AUTHORISATION, unanswered, outcomes, attempt -> deadlines.schedule(
                    timings.backoff(attempt), REQUERY_PAYMENT, new SagaDeadlines.RequeryPayment(paymentId)), timings);
            return;
        } catch (FiuuUnexpectedAnswer unexpected) {
            askAPerson(Steps.AUTHORISATION, "fiuu-unexpected-answer", unexpected.getMessage(), outcomes);
            return;
        }
        // the order's latest transaction may be an unexpected charge (known, or already reversed by us, which this
        // payment never did before its authorisation): then nothing of the payment's own is paid yet
        boolean onlyUnexpected = (status.tranId() != null && unexpectedCharges.contains(status.tranId())) || status.reversed();
        switch (onlyUnexpected ? FiuuAnswers.PaymentOutcome.UNKNOWN : status.outcome()) {
            // command-service decides whether what Fiuu holds is this payment's authorisation (amount, currency)
            case AUTHORISED, CAPTURED -> outcomes.authorised(payment(), status.amount(), status.tranId());
            case FAILED -> outcomes.authorisationFailed(payment(), status.tranId(), status.statCode(), status.statName());
            case PENDING -> retryOrAskAPerson(Steps.AUTHORISATION, null, outcomes, attempt -> deadlines.schedule(
                    timings.backoff(attempt), REQUERY_PAYMENT, new SagaDeadlines.RequeryPayment(paymentId)), timings);
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
        attemptsByStep.remove(Steps.CAPTURE);
        capture(fiuu, outcomes, deadlines, timings);
    }

    @DeadlineHandler(deadlineName = RETRY_CAPTURE)
    void on(SagaDeadlines.RetryCapture due, FiuuClient fiuu, PaymentOutcomes outcomes, DeadlineManager deadlines,
            SagaTimings timings) {
        if (captureAmount == 0 || captured > 0 || waitingForAPerson.contains(Steps.CAPTURE)) {
            return; // settled meanwhile, or waits for an operator
        }
        capture(fiuu, outcomes, deadlines, timings);
    }

    private void capture(FiuuClient fiuu, PaymentOutcomes outcomes, DeadlineManager deadlines, SagaTimings timings) {
        IntConsumer later = attempt -> deadlines.schedule(timings.backoff(attempt), RETRY_CAPTURE,
                new SagaDeadlines.RetryCapture(paymentId));
        try {
            FiuuAnswers.Capture answer = fiuu.capture(tranId, money(captureAmount));
            switch (answer.outcome()) {
                case CAPTURED -> outcomes.captured(payment(), tranId);
                case PENDING -> retryOrAskAPerson(Steps.CAPTURE, null, outcomes, later, timings);
                case REFUSED -> outcomes.captureFailed(payment(), answer.statCode(), "Fiuu refused the capture");
            }
        } catch (FiuuUnavailable unanswered) {
            log.info("capture of {} not answered, retrying: {}", paymentId, unanswered.getMessage());
            retryOrAskAPerson(Steps.CAPTURE, unanswered, outcomes, later, timings);
        } catch (FiuuUnexpectedAnswer unexpected) {
            askAPerson(Steps.CAPTURE, reasonOf(unexpected), unexpected.getMessage(), outcomes);
        }
    }

    @SagaEventHandler(associationProperty = PAYMENT)
    void on(PaymentCaptured event) {
        captured = event.amount().amount();
        tranId = event.gatewayTransactionId() == null ? tranId : event.gatewayTransactionId();
        waitingForAPerson.remove(Steps.CAPTURE);
    }

    @SagaEventHandler(associationProperty = PAYMENT)
    void on(CaptureFailed event) {
        captureAmount = 0;
        waitingForAPerson.remove(Steps.CAPTURE);
    }

    @SagaEventHandler(associationProperty = PAYMENT)
    void on(VoidRequested event, FiuuClient fiuu, PaymentOutcomes outcomes, DeadlineManager deadlines,
            SagaTimings timings) {
        attemptsByStep.remove(Steps.VOID);
        voiding = true;
        reverse(fiuu, outcomes, deadlines, timings);
    }

    @DeadlineHandler(deadlineName = RETRY_VOID)
    void on(SagaDeadlines.RetryVoid due, FiuuClient fiuu, PaymentOutcomes outcomes, DeadlineManager deadlines,
            SagaTimings timings) {
        if (!voiding || waitingForAPerson.contains(Steps.VOID)) {
            return; // settled meanwhile, or waits for an operator
        }
        reverse(fiuu, outcomes, deadlines, timings);
    }

    private void reverse(FiuuClient fiuu, PaymentOutcomes outcomes, DeadlineManager deadlines, SagaTimings timings) {
        try {
            FiuuAnswers.Void answer = fiuu.reverse(tranId);
            if (answer.outcome() == FiuuAnswers.VoidOutcome.VOIDED) {
                outcomes.voided(payment());
                return;
            }
            // a refusal is also what a retried reversal hears when its first attempt went through: ask
            FiuuAnswers.Status atFiuu = fiuu.queryTransaction(tranId, money(amount));
            if (atFiuu.reversed()) {
                outcomes.voided(payment());
            } else if (atFiuu.outcome() == FiuuAnswers.PaymentOutcome.AUTHORISED) {
                outcomes.voidFailed(payment(), answer.statCode(), "Fiuu refused the reversal");
            } else {
                askAPerson(Steps.VOID, "void-refused", "the reversal answered " + answer.statCode() + " and Fiuu says the "
                        + "transaction is " + atFiuu.statCode() + " " + atFiuu.statName(), outcomes);
            }
        } catch (FiuuUnavailable unanswered) {
            retryOrAskAPerson(Steps.VOID, unanswered, outcomes, attempt -> deadlines.schedule(timings.backoff(attempt),
                    RETRY_VOID, new SagaDeadlines.RetryVoid(paymentId)), timings);
        } catch (FiuuUnexpectedAnswer unexpected) {
            askAPerson(Steps.VOID, reasonOf(unexpected), unexpected.getMessage(), outcomes);
        }
    }

    @SagaEventHandler(associationProperty = PAYMENT)
    void on(VoidFailed event) {
        voiding = false;
        waitingForAPerson.remove(Steps.VOID);
    }

    @SagaEventHandler(associationProperty = PAYMENT)
    void on(RefundRequested event, FiuuOrders orders, FiuuClient fiuu, PaymentOutcomes outcomes,
            DeadlineManager deadlines, SagaTimings timings) {
        refundsInFlight.put(event.refundId().value(), event.amount().amount());
        orders.registerRefund(event.refundId().value(), event.paymentId());
        attemptsByStep.remove(Steps.refund(event.refundId()));
        refund(event.refundId().value(), fiuu, outcomes, deadlines, timings);
    }

    @DeadlineHandler(deadlineName = RETRY_REFUND)
    void on(SagaDeadlines.RetryRefund due, FiuuClient fiuu, PaymentOutcomes outcomes, DeadlineManager deadlines,
            SagaTimings timings) {
        if (waitingForAPerson.contains(Steps.refund(RefundId.of(due.refundId())))) {
            return; // waits for an operator
        }
        refund(due.refundId(), fiuu, outcomes, deadlines, timings);
    }

    private void refund(String refundId, FiuuClient fiuu, PaymentOutcomes outcomes, DeadlineManager deadlines,
                        SagaTimings timings) {
        Long refundAmount = refundsInFlight.get(refundId);
        if (refundAmount == null) {
            return; // settled meanwhile
        }
        String step = Steps.refund(RefundId.of(refundId));
        IntConsumer later = attempt -> deadlines.schedule(timings.backoff(attempt), RETRY_REFUND,
                new SagaDeadlines.RetryRefund(refundId));
        try {
            FiuuAnswers.Refund answer = refundsAtFiuu.contains(refundId) ? fiuu.refundStatus(refundId)
                    : fiuu.refund(refundId, tranId, money(refundAmount));
            if (answer.outcome() == FiuuAnswers.RefundOutcome.DUPLICATE) {
                answer = fiuu.refundStatus(refundId); // we asked before; what became of it?
            }
            if (answer.outcome() == FiuuAnswers.RefundOutcome.PENDING) {
                refundsAtFiuu.add(refundId);
            }
            switch (answer.outcome()) {
                case SUCCEEDED -> outcomes.refundSucceeded(payment(), RefundId.of(refundId), answer.refundId());
                case REJECTED -> outcomes.refundFailed(payment(), RefundId.of(refundId), answer.code(), "Fiuu rejected the refund");
                // Fiuu takes 7-14 days over a refund: pending is asked about for weeks, not hours
                case PENDING, DUPLICATE -> pendingOrAskAPerson(step, outcomes, later, timings);
            }
        } catch (FiuuUnavailable unanswered) {
            retryOrAskAPerson(step, unanswered, outcomes, later, timings);
        } catch (FiuuUnexpectedAnswer unexpected) {
            askAPerson(step, reasonOf(unexpected), unexpected.getMessage(), outcomes);
        }
    }

    @SagaEventHandler(associationProperty = PAYMENT)
    void on(RefundSucceeded event) {
        refundsInFlight.remove(event.refundId().value());
        waitingForAPerson.remove(Steps.refund(event.refundId()));
        refunded += event.amount().amount();
        if (refunded >= captured && refundsInFlight.isEmpty()) {
            SagaLifecycle.end();
        }
    }

    @SagaEventHandler(associationProperty = PAYMENT)
    void on(RefundFailed event) {
        refundsInFlight.remove(event.refundId().value());
        waitingForAPerson.remove(Steps.refund(event.refundId()));
    }

    /** An operator asked for a stuck step to be tried again (or recorded its outcome, which the events then carry). */
    @SagaEventHandler(associationProperty = PAYMENT)
    void on(AttentionCleared event, FiuuClient fiuu, PaymentOutcomes outcomes, DeadlineManager deadlines,
            SagaTimings timings) {
        if (!waitingForAPerson.remove(event.step()) || !"retry".equals(event.resolution())) {
            return;
        }
        attemptsByStep.remove(event.step());
        switch (event.step()) {
            case Steps.CAPTURE -> capture(fiuu, outcomes, deadlines, timings);
            case Steps.VOID -> reverse(fiuu, outcomes, deadlines, timings);
            case Steps.AUTHORISATION -> requery(fiuu, outcomes, deadlines, timings);
            default -> Steps.refundOf(event.step()).ifPresent(refund -> refund(refund.value(), fiuu, outcomes, deadlines, timings));
        }
    }

    @EndSaga
    @SagaEventHandler(associationProperty = PAYMENT)
    void on(PaymentVoided event) {
        // final: the hold is released
    }

    @EndSaga
    @SagaEventHandler(associationProperty = PAYMENT)
    void on(AuthorisationFailed event) {
        // final: the customer did not pay (a payment made after this is an unexpected charge, released elsewhere)
    }

    @EndSaga
    @SagaEventHandler(associationProperty = PAYMENT)
    void on(PaymentExpired event) {
        // final: nothing came of it
    }

    /**
     * Tries again later (handing {@code later} the number of tries before this one, for the backoff), or, once
     * {@code max-attempts} tries of the step went unanswered (or pending), asks a person.
     */
    private void retryOrAskAPerson(String step, FiuuUnavailable cause, PaymentOutcomes outcomes, IntConsumer later,
                                   SagaTimings timings) {
        int tries = attemptsByStep.merge(step, 1, Integer::sum);
        if (tries < timings.maxAttempts()) {
            later.accept(tries - 1);
            return;
        }
        askAPerson(step, cause == null ? "fiuu-pending" : "fiuu-unanswered", "after " + tries + " attempts: "
                + (cause == null ? "Fiuu still says pending" : cause.getMessage()), outcomes);
    }

    /** A refund Fiuu is still processing: asked about again for {@code max-pending-polls} times before a person looks. */
    private void pendingOrAskAPerson(String step, PaymentOutcomes outcomes, IntConsumer later, SagaTimings timings) {
        int polls = attemptsByStep.merge(step, 1, Integer::sum);
        if (polls < timings.maxPendingPolls()) {
            later.accept(polls - 1);
            return;
        }
        askAPerson(step, "fiuu-pending", "Fiuu still says pending after " + polls + " polls", outcomes);
    }

    private void askAPerson(String step, String reasonCode, String detail, PaymentOutcomes outcomes) {
        log.warn("payment {}: {} waits for an operator ({}): {}", paymentId, step, reasonCode, detail);
        waitingForAPerson.add(step);
        outcomes.attentionRequired(payment(), step, reasonCode, detail);
    }

    private static String reasonOf(FiuuUnexpectedAnswer unexpected) {
        return unexpected instanceof FiuuClient.FiuuRefusedRequest ? "fiuu-refused-request" : "fiuu-unexpected-answer";
    }

    private PaymentId payment() {
        return PaymentId.of(paymentId);
    }

    private Money money(long minorUnits) {
        return Money.of(minorUnits, currency);
    }
}
