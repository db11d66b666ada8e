package io.payledger.saga.command;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.payledger.events.payment.Steps;
import io.payledger.saga.payment.SagaTimings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
 * the oldest), sends them in batches of several payments' reports per request, the batches in parallel, and marks
 * each report delivered or due again after a backoff, in the
 * transaction that claimed them; replicas share the work (SKIP LOCKED). Several rounds run at once, so one slow
 * answer holds up only its own round's settling, not the next reports: a payment's next report is not due while an
 * earlier one is undelivered, claimed or not, so its order holds across rounds and replicas. A round starts as soon
 * as a transaction that recorded a report commits, or after the poll interval at the latest.
 * <p>
 * How each answer settles a report: taken, it is delivered. Met a concurrent change of the payment (another
 * replica, a merchant's command at the same moment), it is sent again after a backoff: that 409 says nothing about
 * the report. Contradicted by the payment's record, it is settled as refused with command-service's reason, counted
 * ({@code payledger_saga_reports_refused_total}) and alerted, and listed for operators. Not readable by
 * command-service (400, 404, 413, 422), it is dead-lettered: it no longer holds up the payment's later reports, the
 * payment is put before an operator, who retries or discards it ({@code /v1/gateway-reports}).
 */
@Component
class OutcomeRelay implements SmartLifecycle {

    /** The code of a report its batch gave up on before beginning it. */
    private static final String NOT_ATTEMPTED = "not-attempted";

    private static final Logger log = LoggerFactory.getLogger(OutcomeRelay.class);
    private static final int ROUND = 50;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final OutcomeOutbox outbox;
    private final CommandServiceClient commandService;
    private final TransactionTemplate transaction;
    private final SagaTimings timings;
    private final Duration pollInterval;
    private final ExecutorService senders;
    private final MeterRegistry meters;
    private final Semaphore wakeUp = new Semaphore(0);
    private final int rounds;
    private final int batchSize;
    private volatile List<Thread> relays = List.of();

    OutcomeRelay(OutcomeOutbox outbox, CommandServiceClient commandService, TransactionTemplate transaction,
                 SagaTimings timings, MeterRegistry meters,
                 @Value("${payledger.command-service.report-poll-interval:500ms}") Duration pollInterval,
                 @Value("${payledger.command-service.report-concurrency:16}") int concurrency,
                 @Value("${payledger.command-service.report-rounds:4}") int rounds,
                 @Value("${payledger.command-service.report-batch:10}") int batchSize) {
        this.outbox = outbox;
        this.commandService = commandService;
        this.transaction = transaction;
        this.timings = timings;
        this.pollInterval = pollInterval;
        this.meters = meters;
        this.rounds = Math.max(1, rounds);
        this.batchSize = Math.max(0, Math.min(ROUND, batchSize));
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
        Gauge.builder("payledger.saga.reports.dead", outbox, OutcomeOutbox::dead)
                .description("Reports command-service could not act on as sent, waiting for an operator").register(meters);
        for (String kind : List.of("checkout", "authorisation", "authorisation-failure", "capture", "capture-failure", "void",
                "void-failure", "refund", "expiry", "unexpected-charge", "attention")) {
            refusedCounter(kind);
        }
        for (String step : List.of("authorisation", "capture", "void", "refund", "release", "report")) {
            attentionCounter(step);
        }
    }

    /** Starts a round now: a report was just recorded. */
    void wake() {
        if (wakeUp.availablePermits() < rounds) {
            wakeUp.release();
        }
    }

    /**
     * One round: claims up to {@value #ROUND} reports (one per payment), sends them in batches of
     * {@code report-batch} at once (0: each as its own request, for a command-service without the batch endpoint),
     * and settles each. @return how many it claimed
     */
    int relayOnce() {
        Integer claimed = transaction.execute(status -> {
            List<OutcomeOutbox.Entry> due = outbox.due(ROUND);
            List<List<OutcomeOutbox.Entry>> batches = new ArrayList<>();
            List<Future<List<CommandServiceClient.Answer>>> sent = new ArrayList<>();
            int size = Math.max(1, batchSize);
            for (int from = 0; from < due.size(); from += size) {
                List<OutcomeOutbox.Entry> batch = due.subList(from, Math.min(due.size(), from + size));
                List<CommandServiceClient.Report> reports = batch.stream()
                        .map(entry -> new CommandServiceClient.Report(entry.paymentId(), entry.outcome(), entry.body()))
                        .toList();
                batches.add(batch);
                sent.add(senders.submit(() -> batchSize == 0
                        ? List.of(commandService.reportOne(reports.get(0))) : commandService.reportAll(reports)));
            }
            for (int i = 0; i < batches.size(); i++) {
                settle(batches.get(i), sent.get(i));
            }
            return due.size();
        });
        return claimed == null ? 0 : claimed;
    }

    private void settle(List<OutcomeOutbox.Entry> batch, Future<List<CommandServiceClient.Answer>> sent) {
        List<CommandServiceClient.Answer> answers;
        try {
            answers = sent.get();
        } catch (Exception failed) {
            Throwable cause = failed.getCause() == null ? failed : failed.getCause();
            if (failed instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            log.warn("{} reports not delivered yet: {}", batch.size(), cause.getMessage());
            for (OutcomeOutbox.Entry entry : batch) {
                again(entry, String.valueOf(cause.getMessage()));
            }
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            settle(batch.get(i), answers.get(i));
        }
    }

    private void again(OutcomeOutbox.Entry entry, String why) {
        outbox.retryLater(entry.id(), entry.attempts() + 1, timings.backoff(entry.attempts()).toMillis(), why);
    }

    private void settle(OutcomeOutbox.Entry entry, CommandServiceClient.Answer answer) {
        int attempt = entry.attempts() + 1;
        String problem = answer.status() + " " + answer.code() + ": " + answer.detail();
        switch (answer.result()) {
            case REPORTED -> {
                outbox.delivered(entry.id(), attempt, answer.result(), null);
                if (entry.outcome().equals("/attention")) {
                    attentionCounter(stepKind(entry.body())).increment();
                }
                if (entry.wasDead() && !outbox.anyDead(entry.paymentId())) {
                    settleAttention(entry.paymentId(), "report-delivered", "sent again by an operator and taken");
                }
            }
            case AGAIN -> {
                if (NOT_ATTEMPTED.equals(answer.code())) {
                    // command-service never began it (its batch ran out of time): not a failed try, so it is not
                    // counted and its backoff does not grow; it waits the first step, so a saturated command-service
                    // is not sent the same reports again at once
                    outbox.retryLater(entry.id(), entry.attempts(), timings.backoff(0).toMillis(), problem);
                    return;
                }
                log.warn("report {} of payment {} not taken yet (attempt {}): {}", entry.outcome(), entry.paymentId(),
                        attempt, problem);
                again(entry, problem);
            }
            case REFUSED -> {
                log.error("payment {} refused the report {} (its record says otherwise): {}", entry.paymentId(),
                        entry.outcome(), problem);
                outbox.delivered(entry.id(), attempt, answer.result(), problem);
                refusedCounter(kindOf(entry.outcome())).increment();
            }
            case UNDELIVERABLE -> {
                log.error("report {} of payment {} dead-lettered: command-service cannot act on it as sent: {}",
                        entry.outcome(), entry.paymentId(), problem);
                outbox.dead(entry.id(), attempt, problem);
                if (!entry.outcome().startsWith("/attention")) {
                    record(entry.paymentId(), "/attention", Map.of("step", Steps.REPORT, "reasonCode", "report-undeliverable",
                            "detail", abbreviated(entry.outcome() + " refused with " + problem)));
                }
            }
        }
    }

    private static String abbreviated(String text) {
        return text.length() > 500 ? text.substring(0, 500) : text;
    }

    /** The payment no longer waits for an operator over a report (delivered after all, or discarded). */
    void settleAttention(String paymentId, String resolution, String note) {
        record(paymentId, "/attention/settled", Map.of("step", Steps.REPORT, "resolution", resolution, "note", note));
    }

    private void record(String paymentId, String outcome, Map<String, String> body) {
        try {
            outbox.record(paymentId, outcome, JSON.writeValueAsString(body));
        } catch (JsonProcessingException unwritable) {
            throw new IllegalStateException(unwritable);
        }
        wake();
    }

    private Counter attentionCounter(String step) {
        return Counter.builder("payledger.saga.attention.raised").tag("step", step)
                .description("Payment steps put before an operator").register(meters);
    }

    private Counter refusedCounter(String kind) {
        return Counter.builder("payledger.saga.reports.refused").tag("outcome", kind)
                .description("Reports command-service refused because the payment's record contradicts them").register(meters);
    }

    /** The kind of a report, without ids: /refunds/{id}/success is refund, /unexpected-charges/{id}/released is unexpected-charge. */
    static String kindOf(String outcome) {
        if (outcome.startsWith("/refunds/")) {
            return "refund";
        }
        if (outcome.startsWith("/unexpected-charges/")) {
            return "unexpected-charge";
        }
        if (outcome.startsWith("/attention")) {
            return "attention";
        }
        return outcome.substring(1);
    }

    private static String stepKind(String body) {
        try {
            String step = JSON.readTree(body).path("step").asText("");
            int colon = step.indexOf(':');
            return colon < 0 ? step : step.substring(0, colon);
        } catch (JsonProcessingException unreadable) {
            return "unknown";
        }
    }

    private void run() {
        while (relays.contains(Thread.currentThread())) {
            try {
                if (relayOnce() < ROUND) {
                    wakeUp.tryAcquire(pollInterval.toMillis(), TimeUnit.MILLISECONDS);
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
        List<Thread> started = new ArrayList<>(rounds);
        for (int i = 0; i < rounds; i++) {
            Thread relay = new Thread(this::run, "outcome-relay-" + i);
            relay.setDaemon(true);
            started.add(relay);
        }
        relays = List.copyOf(started);
        started.forEach(Thread::start);
    }

    @Override
    public void stop() {
        List<Thread> running = relays;
        relays = List.of();
        running.forEach(Thread::interrupt);
        for (Thread relay : running) {
            try {
                relay.join(Duration.ofSeconds(15).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        senders.shutdown();
    }

    @Override
    public boolean isRunning() {
        return !relays.isEmpty();
    }
}
