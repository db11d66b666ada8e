package io.payledger.command.payment;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.payledger.command.idempotency.CompletedRequest;
import io.payledger.command.idempotency.CompletedRequests;
import io.payledger.command.idempotency.IdempotencyKey;
import io.payledger.command.payment.JdbcMerchantReferences.Claim;
import io.payledger.command.payment.PaymentCommands.InitiatePayment;
import io.payledger.events.Randomness;
import io.payledger.events.chain.EventHashChain;
import io.payledger.events.payment.PaymentHistory;
import io.payledger.events.payment.PaymentId;
import io.payledger.events.payment.PaymentInitiated;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.config.Configuration;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.messaging.GenericMessage;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Creates payments, many in one transaction. A new payment needs no aggregate load and no command bus: its first
 * event follows from the command alone. Requests queue here; a writer takes everything queued (no timer: a lone
 * request is written at once, and requests that arrive while a commit runs form the next group) and writes, in one
 * transaction per group. A few writers share the queue ({@code payledger.creations.writers}), so one group's round
 * trips and commit overlap the next group's instead of every request waiting for them in turn:
 * <ol>
 *   <li>each request's Idempotency-Key, already completed with the answer it will give;</li>
 *   <li>the merchant references, for the requests that own their key;</li>
 *   <li>the first events, for the requests that got their reference, through Axon's own storage engine, so the rows
 *       are exactly those the aggregate writes and the publisher, the sealer and aggregate loads read them as ever.</li>
 * </ol>
 * A request learns its outcome only after the commit: 201 means durable. A request whose key was already held is
 * answered as {@code IdempotentRequests} answers a taken key (replay, refusal or in-flight). If a group fails, each of
 * its requests is written again on its own, so one request's failure is never another's.
 */
@Component
public class PaymentCreations implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(PaymentCreations.class);
    private static final String AGGREGATE_TYPE = Payment.class.getSimpleName();

    /** What the API answers for a created payment: stored under its Idempotency-Key for replays. */
    public record Answer(int status, String location, String body) {
    }

    /** What became of one creation. */
    public sealed interface Outcome {
        /** The payment and its first event are committed. */
        record Created(PaymentResult result) implements Outcome {
        }

        /** Another request holds (or held) this Idempotency-Key: nothing was written for this one. */
        record KeyTaken() implements Outcome {
        }
    }

    /** Called inside a group's transaction once everything is written, just before the commit; for fault tests. */
    public interface BeforeCommit {
        void groupWritten(int creations);
    }

    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final CompletedRequests completedRequests;
    private final JdbcMerchantReferences merchantReferences;
    private final EventStorageEngine events;
    private final TransactionTemplate transaction;
    private final Clock clock;
    private final ObjectProvider<Configuration> axon;
    private final ObjectProvider<BeforeCommit> beforeCommit;
    private final MeterRegistry registry;
    private final DistributionSummary groupSizes;
    private final int largestGroup;
    private final int writerCount;
    private volatile List<CorrelationDataProvider> correlation;
    private volatile boolean running;
    private final List<Thread> writers = new ArrayList<>();

    PaymentCreations(CompletedRequests completedRequests, JdbcMerchantReferences merchantReferences,
                     EventStorageEngine events, TransactionTemplate transaction, Clock clock,
                     ObjectProvider<Configuration> axon, ObjectProvider<BeforeCommit> beforeCommit, MeterRegistry registry,
                     @Value("${payledger.creations.largest-group:256}") int largestGroup,
                     @Value("${payledger.creations.writers:4}") int writerCount) {
        if (largestGroup < 1 || writerCount < 1) {
            throw new IllegalArgumentException("payledger.creations.largest-group and .writers must be at least 1");
        }
        this.writerCount = writerCount;
        this.completedRequests = completedRequests;
        this.merchantReferences = merchantReferences;
        this.events = events;
        this.transaction = transaction;
        this.clock = clock;
        this.axon = axon;
        this.beforeCommit = beforeCommit;
        this.registry = registry;
        this.largestGroup = largestGroup;
        this.groupSizes = DistributionSummary.builder("payledger.creations.group")
                .description("payment creations written in one transaction")
                .register(registry);
        Gauge.builder("payledger.creations.queued", queue, BlockingQueue::size)
                .description("payment creations waiting for the writer")
                .register(registry);
    }

    /**
     * Creates the payment and waits for its group's commit.
     *
     * @param key    the request's Idempotency-Key, or null
     * @param answer what the API answers once the payment exists, stored under {@code key}
     * @throws PaymentRefused MERCHANT_REFERENCE_TAKEN when another payment holds the reference; nothing was written
     */
    public Outcome create(InitiatePayment command, IdempotencyKey key, Function<PaymentResult, Answer> answer) {
        Instant now = clock.instant();
        PaymentInitiated initiated = Payment.initiated(command, now);
        String paymentId = command.paymentId().value();
        MetaData metaData = MetaData.from(correlationDataOf(command))
                .mergedWith(ChainLinks.next(EventHashChain.GENESIS, paymentId, 0, initiated));
        GenericDomainEventMessage<PaymentInitiated> event = new GenericDomainEventMessage<>(AGGREGATE_TYPE, paymentId, 0,
                initiated, metaData, Randomness.uuid().toString(), now);
        PaymentResult result = new PaymentResult(PaymentHistory.apply(null, initiated), 0);
        CompletedRequest completed = null;
        if (key != null) {
            Answer stored = answer.apply(result);
            completed = new CompletedRequest(key, Randomness.uuid(), stored.status(), stored.location(), stored.body());
        }
        Pending pending = new Pending(command, event, result, completed, new CompletableFuture<>(), Timer.start(registry));
        queue.add(pending);
        // no lock on the way in: a writer leaves only once it saw the service stopping and the queue empty, so a
        // creation queued after that is still in the queue here, and is taken back
        if (!running && queue.remove(pending)) {
            throw new IllegalStateException("the command service is stopping; the payment was not created");
        }
        try {
            return pending.outcome().join();
        } catch (CompletionException failed) {
            if (failed.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw failed;
        }
    }

    private Map<String, ?> correlationDataOf(InitiatePayment command) {
        List<CorrelationDataProvider> providers = correlation;
        if (providers == null) {
            Configuration configuration = axon.getIfAvailable();
            providers = configuration == null ? List.of() : configuration.correlationDataProviders();
            correlation = providers;
        }
        // the metadata Axon's unit of work would give the events of this command
        GenericCommandMessage<InitiatePayment> message = new GenericCommandMessage<>(
                new GenericMessage<>(Randomness.uuid().toString(), command, MetaData.emptyInstance()),
                InitiatePayment.class.getName());
        Map<String, Object> data = new HashMap<>();
        providers.forEach(provider -> data.putAll(provider.correlationDataFor(message)));
        return data;
    }

    private void writeQueued() {
        List<Pending> group = new ArrayList<>();
        while (running || !queue.isEmpty()) {
            Pending first;
            try {
                first = queue.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                return;
            }
            if (first == null) {
                continue;
            }
            group.add(first);
            queue.drainTo(group, largestGroup - 1);
            write(group);
            group.clear();
        }
    }

    private void write(List<Pending> group) {
        Map<Pending, Outcome> outcomes;
        try {
            outcomes = transaction.execute(status -> writeInOneTransaction(group));
        } catch (RuntimeException failed) {
            if (group.size() == 1) {
                fail(group.get(0), failed);
            } else {
                log.warn("a group of {} payment creations failed ({}); writing each on its own", group.size(),
                        failed.toString());
                group.forEach(pending -> write(List.of(pending)));
            }
            return;
        }
        groupSizes.record(group.size());
        group.forEach(pending -> {
            Outcome outcome = outcomes.get(pending);
            if (outcome == null) {
                PaymentRefused refused = Refusal.MERCHANT_REFERENCE_TAKEN.because("merchant reference "
                        + pending.command().merchantReference() + " belongs to another payment");
                stop(pending, refused.refusal().code());
                pending.outcome().completeExceptionally(refused);
            } else {
                if (outcome instanceof Outcome.Created) {
                    stop(pending, "applied");
                }
                pending.outcome().complete(outcome);
            }
        });
    }

    /** @return each request's outcome; a request missing from it lost its merchant reference */
    private Map<Pending, Outcome> writeInOneTransaction(List<Pending> group) {
        Map<Pending, Outcome> outcomes = new HashMap<>();
        Set<UUID> owners = completedRequests.store(group.stream()
                .filter(pending -> pending.completed() != null).map(Pending::completed).toList());
        List<Pending> contenders = new ArrayList<>();
        for (Pending pending : group) {
            if (pending.completed() == null || owners.contains(pending.completed().holder())) {
                contenders.add(pending);
            } else {
                outcomes.put(pending, new Outcome.KeyTaken());
            }
        }
        Set<PaymentId> claimed = merchantReferences.claimAll(contenders.stream()
                .map(pending -> new Claim(pending.command().merchantId(), pending.command().merchantReference(),
                        pending.command().paymentId())).toList());
        List<Pending> created = contenders.stream().filter(pending -> claimed.contains(pending.command().paymentId())).toList();
        completedRequests.remove(contenders.stream()
                .filter(pending -> pending.completed() != null && !claimed.contains(pending.command().paymentId()))
                .map(Pending::completed).toList());
        if (!created.isEmpty()) {
            events.appendEvents(created.stream().map(Pending::event).toList());
        }
        created.forEach(pending -> outcomes.put(pending, new Outcome.Created(pending.result())));
        beforeCommit.ifAvailable(hook -> hook.groupWritten(group.size()));
        return outcomes;
    }

    private void fail(Pending pending, RuntimeException failed) {
        stop(pending, failed instanceof PaymentRefused refused ? refused.refusal().code() : "error");
        pending.outcome().completeExceptionally(failed);
    }

    private void stop(Pending pending, String outcome) {
        pending.timer().stop(Timer.builder("payledger.commands")
                .description("payment commands handled, by command and outcome")
                .tag("command", InitiatePayment.class.getSimpleName())
                .tag("outcome", outcome)
                .register(registry));
    }

    @Override
    public void start() {
        running = true;
        for (int i = 1; i <= writerCount; i++) {
            Thread writer = new Thread(this::writeQueued, "payment-creations-" + i);
            writers.add(writer);
            writer.start();
        }
    }

    /** Takes no new creation, writes those queued, then ends the writers. */
    @Override
    public void stop() {
        running = false;
        try {
            for (Thread writer : writers) {
                writer.join();
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
        writers.clear();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stops after the web server has stopped taking requests, so every request already taken is written. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 4096;
    }

    private record Pending(InitiatePayment command, GenericDomainEventMessage<PaymentInitiated> event,
                           PaymentResult result, CompletedRequest completed, CompletableFuture<Outcome> outcome,
                           Timer.Sample timer) {
        // identity, not value: two requests can carry equal commands
        @Override
        public boolean equals(Object other) {
            return this == other;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(this);
        }
    }
}
