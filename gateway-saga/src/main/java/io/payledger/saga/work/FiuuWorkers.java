package io.payledger.saga.work;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.payledger.events.payment.Steps;
import io.payledger.saga.command.PaymentOutcomes;
import io.payledger.saga.fiuu.FiuuClient;
import io.payledger.saga.fiuu.FiuuUnavailable;
import io.payledger.saga.fiuu.FiuuUnexpectedAnswer;
import io.payledger.saga.payment.FiuuOrders;
import io.payledger.saga.payment.SagaTimings;
import io.payledger.saga.reconciliation.LedgerPositions.Position;
import io.payledger.saga.reconciliation.LedgerPositions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Works through the queue of Fiuu calls ({@link FiuuWork}) on a bounded pool of its own, never on the thread that
 * handles events: a slow Fiuu delays its own calls, not the handling of any payment's events. A dispatcher claims
 * as many due items as there are free workers; each worker reads the payment as the ledger's view has it, takes one
 * turn of the item's step ({@link FiuuStep}), then records what it came to in one transaction under its claim:
 * the reports for command-service (through the outbox), or when to ask again, or the person to ask.
 * <p>
 * Asking again: a call Fiuu did not answer (or did not sign) and a pending answer each spend an attempt and wait a
 * backoff with jitter; after {@code max-attempts} the step waits for an operator. A refund Fiuu is processing
 * spends a poll instead ({@code max-pending-polls}: Fiuu takes days). An answer nothing documents, or an HTTP 4xx,
 * waits for an operator at once. The circuit breaker, bulkhead and quick retries of {@link FiuuClient} apply to
 * every call.
 */
@Component
public class FiuuWorkers implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(FiuuWorkers.class);
    /** Longer than one turn can take: two calls, each up to three tries of the Fiuu timeout. */
    private static final Duration CLAIM = Duration.ofMinutes(5);

    private final FiuuWork work;
    private final LedgerPositions positions;
    private final FiuuClient fiuu;
    private final PaymentOutcomes outcomes;
    private final TransactionTemplate transaction;
    private final SagaTimings timings;
    private final Capture capture = new Capture();
    private final Reversal reversal = new Reversal();
    private final RefundAtFiuu refund = new RefundAtFiuu();
    private final Requery requery;
    private final Release release;
    private final Semaphore free;
    private final Semaphore wakeUp = new Semaphore(0);
    private final Duration pollInterval;
    private final ExecutorService workers;
    private volatile Thread dispatcher;

    FiuuWorkers(FiuuWork work, LedgerPositions positions, FiuuClient fiuu, PaymentOutcomes outcomes, FiuuOrders orders,
                TransactionTemplate transaction, SagaTimings timings, MeterRegistry meters,
                @Value("${payledger.fiuu.workers:8}") int size,
                @Value("${payledger.fiuu.work-poll-interval:500ms}") Duration pollInterval) {
        this.work = work;
        this.positions = positions;
        this.fiuu = fiuu;
        this.outcomes = outcomes;
        this.transaction = transaction;
        this.timings = timings;
        this.requery = new Requery(timings.checkoutRequeries());
        this.release = new Release(orders);
        this.free = new Semaphore(size);
        this.pollInterval = pollInterval;
        this.workers = Executors.newFixedThreadPool(size, runnable -> {
            Thread thread = new Thread(runnable, "fiuu-worker");
            thread.setDaemon(true);
            return thread;
        });
        Gauge.builder("payledger.fiuu.work.due", work, FiuuWork::due)
                .description("Calls to Fiuu due now and not yet made").register(meters);
        Gauge.builder("payledger.fiuu.work.oldest.due", work, FiuuWork::oldestDueSeconds).baseUnit("seconds")
                .description("How long the oldest due call to Fiuu has waited for a worker").register(meters);
    }

    /** Something was scheduled: look for due work now rather than at the next poll. */
    public void wake() {
        if (wakeUp.availablePermits() == 0) {
            wakeUp.release();
        }
    }

    /** Claims due items for the free workers and hands each to one. @return how many it claimed */
    int dispatchDue() throws InterruptedException {
        free.acquire();
        int slots = 1 + free.drainPermits();
        List<FiuuWork.Item> due;
        try {
            due = transaction.execute(status -> work.claimDue(slots, CLAIM));
        } catch (RuntimeException failed) {
            free.release(slots);
            throw failed;
        }
        int claimed = due == null ? 0 : due.size();
        free.release(slots - claimed);
        if (due != null) {
            due.forEach(item -> workers.execute(() -> {
                try {
                    turn(item);
                } finally {
                    free.release();
                    wake();
                }
            }));
        }
        return claimed;
    }

    /** One turn of an item: Fiuu is called outside any transaction, what it came to is recorded in one. */
    void turn(FiuuWork.Item item) {
        try {
            Optional<Position> payment = positions.payment(item.paymentId());
            // the view folds the events that scheduled the item in the same transaction: a payment missing from it
            // started before what the topic still holds, and what to do is for a person to say
            Decision decision = payment.isEmpty()
                    ? new Decision.AskAPerson("payment-not-in-view", "gateway-saga holds none of this payment's earlier events")
                    : take(item, payment.get());
            transaction.executeWithoutResult(status -> {
                if (!record(item, decision)) {
                    status.setRollbackOnly(); // the claim lapsed and another worker has the item: it decides
                }
            });
        } catch (RuntimeException failed) {
            // the item's claim lapses and it is taken again: nothing is lost
            log.warn("Fiuu work {} ({} of payment {}) failed, will be taken again: {}", item.id(), item.step(),
                    item.paymentId(), failed.getMessage());
        }
    }

    private Decision take(FiuuWork.Item item, Position payment) {
        try {
            return stepOf(item.step()).take(item, payment, fiuu);
        } catch (FiuuUnavailable unanswered) {
            return new Decision.Later(Decision.Again.UNANSWERED, unanswered.getMessage());
        } catch (FiuuUnexpectedAnswer unexpected) {
            return new Decision.AskAPerson(unexpected instanceof FiuuClient.FiuuRefusedRequest ? "fiuu-refused-request"
                    : "fiuu-unexpected-answer", unexpected.getMessage());
        } catch (IllegalArgumentException impossible) {
            // a call that cannot even be made (an amount Fiuu's two decimals cannot carry, say)
            return new Decision.AskAPerson("fiuu-call-impossible", String.valueOf(impossible.getMessage()));
        }
    }

    private boolean record(FiuuWork.Item item, Decision decision) {
        if (decision instanceof Decision.Settled settled) {
            boolean mine = work.done(item);
            if (mine) {
                settled.report().accept(outcomes);
            }
            return mine;
        } else if (decision instanceof Decision.Later later) {
            return later(item, later);
        } else if (decision instanceof Decision.NotYet) {
            return work.notYet(item, timings.checkoutRequeryAfter());
        } else if (decision instanceof Decision.OtherWay otherWay) {
            // each change of way counts as a try: Fiuu's answers must not send a release back and forth for ever
            if (item.attempts() + 1 >= timings.maxAttempts()) {
                return askAPerson(item, "release-undecided", "after " + (item.attempts() + 1) + " tries: " + otherWay.detail());
            }
            return work.otherWay(item, otherWay.detail());
        }
        Decision.AskAPerson ask = (Decision.AskAPerson) decision;
        return askAPerson(item, ask.reasonCode(), ask.detail());
    }

    private boolean later(FiuuWork.Item item, Decision.Later later) {
        boolean refundPending = later.why() == Decision.Again.REFUND_PENDING;
        int spent = (refundPending ? item.polls() : item.attempts()) + 1;
        int limit = refundPending ? timings.maxPendingPolls() : timings.maxAttempts();
        if (spent >= limit) {
            return askAPerson(item, later.why() == Decision.Again.UNANSWERED ? "fiuu-unanswered" : "fiuu-pending",
                    "after " + spent + " tries: " + later.detail());
        }
        return work.later(item, timings.backoff(spent - 1), refundPending, refundPending, later.detail());
    }

    private boolean askAPerson(FiuuWork.Item item, String reasonCode, String detail) {
        boolean mine = work.waiting(item, detail);
        if (mine) {
            log.warn("payment {}: {} waits for an operator ({}): {}", item.paymentId(), item.step(), reasonCode, detail);
            outcomes.attentionRequired(item.paymentId(), item.step(), reasonCode, detail);
        }
        return mine;
    }

    private FiuuStep stepOf(String step) {
        return switch (step) {
            case Steps.CAPTURE -> capture;
            case Steps.VOID -> reversal;
            case Steps.AUTHORISATION -> requery;
            default -> Steps.refundOf(step).isPresent() ? refund : release;
        };
    }

    private void run() {
        while (dispatcher == Thread.currentThread()) {
            try {
                if (dispatchDue() == 0) {
                    wakeUp.tryAcquire(pollInterval.toMillis(), TimeUnit.MILLISECONDS);
                    wakeUp.drainPermits();
                }
            } catch (InterruptedException stopping) {
                return;
            } catch (RuntimeException failed) {
                log.warn("Fiuu work dispatch failed, trying again: {}", failed.getMessage());
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
        dispatcher = new Thread(this::run, "fiuu-work-dispatcher");
        dispatcher.setDaemon(true);
        dispatcher.start();
    }

    @Override
    public void stop() {
        Thread running = dispatcher;
        dispatcher = null;
        if (running != null) {
            running.interrupt();
        }
        workers.shutdown();
        try {
            workers.awaitTermination(15, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return dispatcher != null;
    }
}
