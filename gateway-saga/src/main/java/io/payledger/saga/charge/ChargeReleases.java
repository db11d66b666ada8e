package io.payledger.saga.charge;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.payledger.events.payment.Steps;
import io.payledger.saga.command.PaymentOutcomes;
import io.payledger.saga.fiuu.FiuuAnswers;
import io.payledger.saga.fiuu.FiuuClient;
import io.payledger.saga.fiuu.FiuuUnavailable;
import io.payledger.saga.fiuu.FiuuUnexpectedAnswer;
import io.payledger.saga.payment.FiuuOrders;
import io.payledger.saga.payment.SagaTimings;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Gives unexpected charges back to customers at Fiuu, automatically: a charge Fiuu only holds is reversed, one it
 * took is refunded in full (and each is given back the other way when Fiuu says it was taken or is only held: its
 * portal, not the payment, decides sale or hold) (RefID {@code UC<tranID>}, unique by construction, so a retry can never refund twice:
 * Fiuu answers PR016 and the refund's status is asked instead). A refused reversal is checked with a status query,
 * as it may be a retry whose first attempt went through; one Fiuu says was taken after all is refunded instead.
 * Each release is reported to command-service through the outbox, which records it and clears the suspense.
 * <p>
 * The worker claims a due charge for a while, calls Fiuu outside any transaction, then records what happened;
 * replicas share the list. What Fiuu refuses, answers in a way it does not document, or leaves unanswered for
 * {@code max-attempts} tries waits for an operator (who can retry it through command-service's attention API).
 */
@Component
public class ChargeReleases implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ChargeReleases.class);
    /** Longer than a round can take: 8 charges, two calls each, each up to 3 tries of the Fiuu timeout. */
    private static final Duration CLAIM = Duration.ofMinutes(15);
    private static final int ROUND = 8;

    private final UnexpectedCharges charges;
    private final FiuuClient fiuu;
    private final FiuuOrders orders;
    private final PaymentOutcomes outcomes;
    private final TransactionTemplate transaction;
    private final SagaTimings timings;
    private final Duration pollInterval;
    private final Semaphore wakeUp = new Semaphore(0);
    private volatile Thread worker;

    ChargeReleases(UnexpectedCharges charges, FiuuClient fiuu, FiuuOrders orders, PaymentOutcomes outcomes,
                   TransactionTemplate transaction, SagaTimings timings, MeterRegistry meters,
                   @Value("${payledger.unexpected-charges.poll-interval:1s}") Duration pollInterval) {
        this.charges = charges;
        this.fiuu = fiuu;
        this.orders = orders;
        this.outcomes = outcomes;
        this.transaction = transaction;
        this.timings = timings;
        this.pollInterval = pollInterval;
        Gauge.builder("payledger.unexpected.charges.held", charges, UnexpectedCharges::held)
                .description("Unexpected charges Fiuu still holds or took, not yet given back").register(meters);
        Gauge.builder("payledger.unexpected.charges.oldest.outstanding", charges, UnexpectedCharges::oldestNotAcceptedSeconds)
                .baseUnit("seconds").description("Age of the oldest unexpected charge Fiuu has not yet agreed to give back")
                .register(meters);
    }

    void wake() {
        if (wakeUp.availablePermits() == 0) {
            wakeUp.release();
        }
    }

    /** One round: claims the due charges and works on each. @return how many it claimed */
    int releaseDue() {
        List<UnexpectedCharges.Charge> due = transaction.execute(status -> charges.claimDue(ROUND, CLAIM));
        if (due == null) {
            return 0;
        }
        due.forEach(this::release);
        return due.size();
    }

    private void release(UnexpectedCharges.Charge charge) {
        try {
            if (charge.captured()) {
                refund(charge);
            } else {
                reverse(charge);
            }
        } catch (FiuuUnavailable unanswered) {
            int attempt = charge.attempts() + 1;
            if (attempt >= timings.maxAttempts()) {
                askAPerson(charge, "fiuu-unanswered", "after " + attempt + " attempts: " + unanswered.getMessage());
            } else {
                charges.retryLater(charge, timings.backoff(charge.attempts()).toMillis(), unanswered.getMessage());
            }
        } catch (FiuuUnexpectedAnswer unexpected) {
            askAPerson(charge, unexpected instanceof FiuuClient.FiuuRefusedRequest ? "fiuu-refused-request"
                    : "fiuu-unexpected-answer", unexpected.getMessage());
        } catch (RuntimeException cannot) {
            // a charge that cannot even be asked for (an amount Fiuu's two-decimal format cannot carry, say)
            // must not hold up the others: it waits for a person
            askAPerson(charge, "release-impossible", String.valueOf(cannot.getMessage()));
        }
    }

    private void reverse(UnexpectedCharges.Charge charge) {
        FiuuAnswers.Void answer = fiuu.reverse(charge.chargeId());
        if (answer.outcome() == FiuuAnswers.VoidOutcome.VOIDED) {
            released(charge, "reversal", null);
            return;
        }
        FiuuAnswers.Status atFiuu = fiuu.queryTransaction(charge.chargeId(), charge.amount());
        if (atFiuu.reversed()) {
            released(charge, "reversal", null);
        } else if (atFiuu.outcome() == FiuuAnswers.PaymentOutcome.CAPTURED) {
            charges.givenBackBy(charge, true); // Fiuu took it after all (the portal decides sale or hold): refund it
        } else {
            askAPerson(charge, "release-refused", "the reversal answered " + answer.statCode() + " and Fiuu says the "
                    + "transaction is " + atFiuu.statCode() + " " + atFiuu.statName());
        }
    }

    private void refund(UnexpectedCharges.Charge charge) {
        String refId = "UC" + charge.chargeId();
        orders.registerRelease(refId, charge.paymentId(), charge.chargeId());
        // once Fiuu accepted the refund (pending), it is asked about by RefID, never sent again
        FiuuAnswers.Refund answer = charge.polls() > 0 ? fiuu.refundStatus(refId)
                : fiuu.refund(refId, charge.chargeId(), charge.amount());
        if (answer.outcome() == FiuuAnswers.RefundOutcome.DUPLICATE) {
            answer = fiuu.refundStatus(refId); // asked before: what became of it?
        }
        switch (answer.outcome()) {
            case SUCCEEDED -> released(charge, "refund", answer.refundId());
            case REJECTED -> {
                if ("PR010".equals(answer.code())) {
                    charges.givenBackBy(charge, false); // not in a refundable status: Fiuu only holds it, so reverse it
                } else {
                    askAPerson(charge, "release-refused", "Fiuu rejected the refund " + refId + ": " + answer.code());
                }
            }
            case PENDING, DUPLICATE -> {
                // Fiuu takes 7-14 days over a refund: asked about for weeks before a person looks
                if (charge.polls() + 1 >= timings.maxPendingPolls()) {
                    askAPerson(charge, "fiuu-pending", "the refund " + refId + " is still pending after " + (charge.polls() + 1) + " polls");
                } else {
                    charges.pendingAtFiuu(charge, timings.backoff(charge.polls()).toMillis());
                }
            }
        }
    }

    private void released(UnexpectedCharges.Charge charge, String by, String gatewayReference) {
        log.info("unexpected charge {} of payment {} given back by {}", charge.chargeId(), charge.paymentId(), by);
        transaction.executeWithoutResult(status -> {
            // reported even if the claim lapsed meanwhile: the release happened at Fiuu, and reports are idempotent
            charges.reported(charge);
            outcomes.unexpectedChargeReleased(charge.paymentId(), charge.chargeId(), by, gatewayReference);
        });
    }

    private void askAPerson(UnexpectedCharges.Charge charge, String reason, String detail) {
        log.warn("unexpected charge {} of payment {} waits for an operator ({}): {}", charge.chargeId(),
                charge.paymentId(), reason, detail);
        transaction.executeWithoutResult(status -> {
            if (charges.waiting(charge, detail)) { // not if it was released, or re-claimed, meanwhile
                outcomes.attentionRequired(charge.paymentId(), Steps.release(charge.chargeId()), reason, detail);
            }
        });
    }

    private void run() {
        while (worker == Thread.currentThread()) {
            try {
                if (releaseDue() < ROUND) {
                    wakeUp.tryAcquire(pollInterval.toMillis(), TimeUnit.MILLISECONDS);
                    wakeUp.drainPermits();
                }
            } catch (InterruptedException stopping) {
                return;
            } catch (RuntimeException failed) {
                log.warn("unexpected-charge round failed, trying again: {}", failed.getMessage());
                try {
                    Thread.sleep(pollInterval.toMillis());
                } catch (InterruptedException stopping) {
                    return;
                }
            }
        }
    }

    @Override
    public void start() {
        worker = new Thread(this::run, "charge-releases");
        worker.setDaemon(true);
        worker.start();
    }

    @Override
    public void stop() {
        Thread running = worker;
        worker = null;
        if (running != null) {
            running.interrupt();
            try {
                running.join(Duration.ofSeconds(15).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return worker != null;
    }
}
