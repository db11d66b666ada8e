package io.payledger.saga.command;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.payledger.saga.payment.SagaTimings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Reports the outbox's outcomes to command-service, many payments at once: the saga and the inbox
 * relay only record what they decided, so neither waits on command-service, and a slow or absent
 * command-service delays reports without losing one. A round claims the due reports (one per payment,
 * the oldest), sends them in parallel, and marks each delivered or due again after a backoff, in the
 * transaction that claimed them; replicas share the work (SKIP LOCKED). A round starts as soon as a
 * transaction that recorded a report commits, or after the poll interval at the latest.
 */
@Component
class OutcomeRelay implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(OutcomeRelay.class);
    private static final int ROUND = 200;

    private final OutcomeOutbox outbox;
    private final CommandServiceClient commandService;
    private final TransactionTemplate transaction;
    private final SagaTimings timings;
    private final Duration pollInterval;
    private final ExecutorService senders;
    private final Semaphore wakeUp = new Semaphore(0);
    private volatile Thread relay;

    OutcomeRelay(OutcomeOutbox outbox, CommandServiceClient commandService, TransactionTemplate transaction,
                 SagaTimings timings, MeterRegistry meters,
                 @Value("${payledger.command-service.report-poll-interval:500ms}") Duration pollInterval,
                 @Value("${payledger.command-service.report-concurrency:16}") int concurrency) {
        this.outbox = outbox;
        this.commandService = commandService;
        this.transaction = transaction;
        this.timings = timings;
        this.pollInterval = pollInterval;
        this.senders = Executors.newFixedThreadPool(concurrency, runnable -> {
            Thread sender = new Thread(runnable, "outcome-sender");
            sender.setDaemon(true);
            return sender;
        });
        Gauge.builder("payledger.saga.outcomes.undelivered", outbox, OutcomeOutbox::undelivered)
                .description("Reports to command-service recorded and not yet delivered").register(meters);
        Gauge.builder("payledger.saga.outcomes.oldest.undelivered", outbox, OutcomeOutbox::oldestUndeliveredSeconds)
                .baseUnit("seconds").description("Age of the oldest report not yet delivered to command-service")
                .register(meters);
    }

    /** Starts a round now: a report was just recorded. */
    void wake() {
        if (wakeUp.availablePermits() == 0) {
            wakeUp.release();
        }
    }

    /** One round: claims, sends and settles up to {@value #ROUND} reports. @return how many it claimed */
    int relayOnce() {
        Integer claimed = transaction.execute(status -> {
            List<OutcomeOutbox.Entry> due = outbox.due(ROUND);
            List<Future<String>> sent = new ArrayList<>(due.size());
            for (OutcomeOutbox.Entry entry : due) {
                sent.add(senders.submit(() -> commandService.report(entry.paymentId(), entry.outcome(), entry.body()).name()));
            }
            for (int i = 0; i < due.size(); i++) {
                settle(due.get(i), sent.get(i));
            }
            return due.size();
        });
        return claimed == null ? 0 : claimed;
    }

    private void settle(OutcomeOutbox.Entry entry, Future<String> sent) {
        int attempt = entry.attempts() + 1;
        try {
            CommandServiceClient.Result result = CommandServiceClient.Result.valueOf(sent.get());
            if (result == CommandServiceClient.Result.REFUSED) {
                log.warn("payment {} refused the report {}: its record says otherwise", entry.paymentId(), entry.outcome());
            }
            outbox.delivered(entry.id(), attempt, result);
        } catch (Exception failed) {
            Throwable cause = failed.getCause() == null ? failed : failed.getCause();
            if (failed instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            log.warn("report {} of payment {} not delivered yet (attempt {}): {}", entry.outcome(), entry.paymentId(),
                    attempt, cause.getMessage());
            outbox.retryLater(entry.id(), attempt, timings.backoff(entry.attempts()).toMillis(), String.valueOf(cause.getMessage()));
        }
    }

    private void run() {
        while (relay == Thread.currentThread()) {
            try {
                if (relayOnce() < ROUND) {
                    wakeUp.tryAcquire(pollInterval.toMillis(), TimeUnit.MILLISECONDS);
                    wakeUp.drainPermits();
                }
            } catch (InterruptedException stopping) {
                return;
            } catch (RuntimeException failed) {
                log.warn("outcome relay round failed, trying again: {}", failed.getMessage());
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
        relay = new Thread(this::run, "outcome-relay");
        relay.setDaemon(true);
        relay.start();
    }

    @Override
    public void stop() {
        Thread running = relay;
        relay = null;
        if (running != null) {
            running.interrupt();
            try {
                running.join(Duration.ofSeconds(15).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        senders.shutdown();
    }

    @Override
    public boolean isRunning() {
        return relay != null;
    }
}
