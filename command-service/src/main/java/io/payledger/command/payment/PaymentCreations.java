package io.payledger.command.payment;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.payledger.command.customer.CustomerKeys;
import io.payledger.command.eventstore.PostgresTransactions;
import io.payledger.command.idempotency.CompletedRequest;
import io.payledger.command.idempotency.CompletedRequests;
import io.payledger.command.idempotency.IdempotencyKey;
import io.payledger.command.idempotency.IdempotencyKeyRefused;
import io.payledger.command.payment.JdbcMerchantReferences.Claim;
import io.payledger.command.payment.PaymentCommands.InitiatePayment;
import io.payledger.events.Randomness;
import io.payledger.events.chain.EventHashChain;
import io.payledger.events.payment.PaymentHistory;
import io.payledger.events.payment.PaymentId;
import io.payledger.events.payment.PaymentInitiated;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.Configuration;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.GenericMessage;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Creates payments, many in one transaction. A new payment needs no aggregate load and no command bus: its first
 * event follows from the command alone. Requests queue here; a writer takes everything queued (no timer: a lone
 * request is written at once, and requests that arrive while a commit runs form the next group) and writes, in one
 * transaction per group. A few writers share the queue ({@code payledger.creations.writers}), so one group's round
 * trips and commit overlap the next group's instead of every request waiting for them in turn:
 * <ol>
 *   <li>each request's Idempotency-Key, already completed with the answer it will give;</li>
 *   <li>the merchant references, for the requests that own their key;</li>
 *   <li>the customers' new keys, for the requests that got their reference (so a refused creation leaves none);</li>
 *   <li>the first events, for the requests that got their reference, published to Axon's event store in a unit of
 *       work that owns the transaction: the rows are exactly those the aggregate writes, and the publisher is woken
 *       when they commit, as it is for any other command's events.</li>
 * </ol>
 * A request learns its outcome only after the commit: 201 means durable. A request whose key was already held is
 * answered as {@code IdempotentRequests} answers a taken key (replay, refusal or in-flight), and so is a second
 * request with a key that a request on this replica is still creating (it never waits behind it in a group). Waits are bounded: a lock held by
 * another replica's uncommitted group for more than {@code lock-wait}, a statement slower than
 * {@code statement-timeout}, or no answer within {@code answer-within} each end in an error the merchant retries
 * with the same key. A group that waited on a lock is written once more; if the database refuses one request's value,
 * the group is written again in halves, so only that request fails; if the database or the connection fails, the
 * whole group fails at once and nothing of it is stored; if the commit itself fails, the group is answered
 * {@link NotConfirmed} (it may have committed) and never written again.
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

    /** A lock wait while claiming merchant references: another transaction is inserting one of them. */
    private static final class ReferenceLocked extends RuntimeException {
        ReferenceLocked(RuntimeException lockWait) {
            super(lockWait.getMessage(), lockWait);
        }
    }

    /** No answer within {@code answer-within}: the payment may or may not exist; a retry with its key tells. */
    public static final class NotConfirmed extends RuntimeException {
        NotConfirmed(Duration waited) {
            super("the creation was not confirmed within " + waited + "; retry with the same Idempotency-Key", null,
                    false, false);
        }
    }

    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Map<String, Pending> inFlight = new ConcurrentHashMap<>();
    private final CompletedRequests completedRequests;
    private final CustomerKeys customerKeys;
    private final JdbcMerchantReferences merchantReferences;
    private final EventStore eventStore;
    private final TransactionManager transactions;
    private final PostgresTransactions postgres;
    private final Clock clock;
    private final ObjectProvider<Configuration> axon;
    private final ObjectProvider<BeforeCommit> beforeCommit;
    private final MeterRegistry registry;
    private final DistributionSummary groupSizes;
    private final Settings settings;
    private volatile List<CorrelationDataProvider> correlation;
    private volatile boolean running;
    private final List<Thread> writers = new ArrayList<>();

    /** {@code payledger.creations.*}. */
    record Settings(int writers, int largestGroup, Duration lockWait, Duration statementTimeout, Duration answerWithin) {
        Settings {
            if (writers < 1 || largestGroup < 1) {
                throw new IllegalArgumentException("payledger.creations.writers and .largest-group must be at least 1");
            }
        }
    }

    PaymentCreations(CompletedRequests completedRequests, CustomerKeys customerKeys, JdbcMerchantReferences merchantReferences,
                     EventStore eventStore, TransactionManager transactions, PostgresTransactions postgres, Clock clock,
                     ObjectProvider<Configuration> axon, ObjectProvider<BeforeCommit> beforeCommit, MeterRegistry registry,
                     @Value("${payledger.creations.writers:4}") int writers,
                     @Value("${payledger.creations.largest-group:256}") int largestGroup,
                     @Value("${payledger.creations.lock-wait:1s}") Duration lockWait,
                     @Value("${payledger.creations.statement-timeout:10s}") Duration statementTimeout,
                     @Value("${payledger.creations.answer-within:30s}") Duration answerWithin) {
        this.settings = new Settings(writers, largestGroup, lockWait, statementTimeout, answerWithin);
        this.completedRequests = completedRequests;
        this.customerKeys = customerKeys;
        this.merchantReferences = merchantReferences;
        this.eventStore = eventStore;
        this.transactions = transactions;
        this.postgres = postgres;
        this.clock = clock;
        this.axon = axon;
        this.beforeCommit = beforeCommit;
        this.registry = registry;
        this.groupSizes = DistributionSummary.builder("payledger.creations.group")
                .description("payment creations written in one transaction")
                .register(registry);
        Gauge.builder("payledger.creations.queued", queue, BlockingQueue::size)
                .description("payment creations waiting for a writer")
                .register(registry);
        Gauge.builder("payledger.creations.oldest.wait", queue, PaymentCreations::oldestWaitSeconds)
                .description("how long the oldest creation waiting for a writer has waited")
                .baseUnit("seconds")
                .register(registry);
    }

    /**
     * Creates the payment and waits for its group's commit.
     *
     * @param key    the request's Idempotency-Key, or null
     * @param answer what the API answers once the payment exists, stored under {@code key}
     * @param newKey the customer's new key the command's customer is sealed with, stored with the payment; or null
     * @throws PaymentRefused         MERCHANT_REFERENCE_TAKEN when another payment holds the reference, or, written alone,
     *                                MERCHANT_REFERENCE_IN_FLIGHT when another replica's creation kept it locked;
     *                                nothing was written
     * @throws IdempotencyKeyRefused  IN_FLIGHT when another replica's group held a lock this request needed (its key's,
     *                                or, in a group of several, any request's reference)
     * @throws NotConfirmed           when the group gave no answer within {@code answer-within}
     */
    public Outcome create(InitiatePayment command, IdempotencyKey key, Function<PaymentResult, Answer> answer,
                          CustomerKeys.NewKey newKey) {
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
        Pending pending = new Pending(command, event, result, completed, newKey, new CompletableFuture<>(),
                Timer.start(registry), System.nanoTime(), new AtomicBoolean());
        String keyName = key == null ? null : key.merchant().value() + "\n" + key.key();
        if (keyName != null && inFlight.putIfAbsent(keyName, pending) != null) {
            // another request with this key is being created here: it must not wait behind that one in a group (its
            // insert would hold the group up); the general path answers it from the key's stored state
            return new Outcome.KeyTaken();
        }
        try {
            return queueAndWait(pending);
        } finally {
            if (keyName != null) {
                inFlight.remove(keyName, pending);
            }
        }
    }

    private Outcome queueAndWait(Pending pending) {
        queue.add(pending);
        // no lock on the way in: a writer leaves only once it saw the service stopping and the queue empty, so a
        // creation queued after that is still in the queue here, and is taken back
        if (!running && queue.remove(pending)) {
            throw new IllegalStateException("the command service is stopping; the payment was not created");
        }
        try {
            return pending.outcome().get(settings.answerWithin().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException failed) {
            if (failed.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw new IllegalStateException("the payment creation failed", failed.getCause());
        } catch (TimeoutException slow) {
            queue.remove(pending); // if still queued, it is never written; if taken, its group decides
            stop(pending, "error");
            throw new NotConfirmed(settings.answerWithin());
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new NotConfirmed(settings.answerWithin());
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
            queue.drainTo(group, settings.largestGroup() - 1);
            try {
                if (CurrentUnitOfWork.isStarted() || TransactionSynchronizationManager.isActualTransactionActive()) {
                    throw new IllegalStateException("a unit of work or transaction was left on this writer");
                }
                write(group, true);
            } catch (Throwable unexpected) {
                // whatever went wrong, no request of the group waits for an answer that will not come
                log.error("a group of {} payment creations failed unexpectedly", group.size(), unexpected);
                group.forEach(pending -> fail(pending, unexpected));
                if (CurrentUnitOfWork.isStarted() || TransactionSynchronizationManager.isActualTransactionActive()) {
                    // this thread cannot be trusted with another group: a fresh writer takes its place
                    log.error("a writer of payment creations is replaced: it was left inside a transaction");
                    startWriter(Thread.currentThread().getName() + "'");
                    return;
                }
            }
            group.clear();
        }
    }

    /**
     * @param mayRetryLockWait whether a lock wait may be tried once more: a lock another replica's group holds is
     *                         normally gone a moment later; one held longer (a migration, say) fails the group at once
     */
    private void write(List<Pending> group, boolean mayRetryLockWait) {
        Map<Pending, Outcome> outcomes;
        try {
            outcomes = inOneTransaction(group);
        } catch (NotConfirmed unknown) {
            // the commit was under way when it failed: the group may be stored, so it is never written again
            group.forEach(pending -> fail(pending, unknown));
            return;
        } catch (RuntimeException failed) {
            PostgresTransactions.Failure kind = PostgresTransactions.classify(failed);
            if (kind == PostgresTransactions.Failure.LOCK_WAIT && mayRetryLockWait) {
                log.warn("a group of {} payment creations waited on a lock ({}); writing it once more", group.size(),
                        failed.toString());
                write(group, false);
            } else if (kind == PostgresTransactions.Failure.ONE_REQUESTS_VALUE && group.size() > 1) {
                log.warn("a group of {} payment creations failed ({}); writing it again in halves", group.size(),
                        failed.toString());
                write(group.subList(0, group.size() / 2), mayRetryLockWait);
                write(group.subList(group.size() / 2, group.size()), mayRetryLockWait);
            } else {
                // the database or the connection failed, or a lock stayed held: every request of the group gets its
                // answer now and retries with its key; writing each again would keep them waiting one timeout after
                // another
                if (group.size() == 1 && failed instanceof ReferenceLocked) {
                    // alone, its merchant reference stayed locked: another replica is creating a payment with it
                    Pending alone = group.get(0);
                    fail(alone, Refusal.MERCHANT_REFERENCE_IN_FLIGHT.because("another request is creating a payment with"
                            + " merchant reference " + alone.command().merchantReference() + "; a retry (with the same"
                            + " Idempotency-Key) is answered as that one ends"));
                } else {
                    group.forEach(pending -> fail(pending, failed));
                }
            }
            return;
        }
        groupSizes.record(group.size());
        group.forEach(pending -> {
            Outcome outcome = outcomes.get(pending);
            if (outcome == null) {
                fail(pending, Refusal.MERCHANT_REFERENCE_TAKEN.because("merchant reference "
                        + pending.command().merchantReference() + " belongs to another payment"));
            } else {
                if (outcome instanceof Outcome.Created) {
                    stop(pending, "applied");
                }
                pending.outcome().complete(outcome);
            }
        });
    }

    /**
     * One unit of work that owns one transaction: the statements below and the event store's append join it. A failure
     * once everything is written and the commit is under way is {@link NotConfirmed}: the commit may have happened.
     */
    private Map<Pending, Outcome> inOneTransaction(List<Pending> group) {
        UnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(null);
        boolean[] committing = {false};
        try {
            unitOfWork.attachTransaction(transactions);
            postgres.limitWaits(settings.lockWait(), settings.statementTimeout());
            Map<Pending, Outcome> outcomes = writeInOneTransaction(group);
            // after the event store's own prepare-commit step, which appends the events; the commit comes next
            unitOfWork.onPrepareCommit(written -> {
                beforeCommit.ifAvailable(hook -> hook.groupWritten(group.size()));
                committing[0] = true;
            });
            unitOfWork.commit();
            return outcomes;
        } catch (Throwable failed) {
            if (unitOfWork.isActive()) {
                unitOfWork.rollback(failed);
            }
            if (committing[0]) {
                log.error("the commit of a group of {} payment creations failed; it may or may not have happened",
                        group.size(), failed);
                throw new NotConfirmed(settings.answerWithin());
            }
            if (failed instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException("a group of payment creations failed", failed);
        }
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
        Set<PaymentId> claimed;
        try {
            claimed = merchantReferences.claimAll(contenders.stream()
                    .map(pending -> new Claim(pending.command().merchantId(), pending.command().merchantReference(),
                            pending.command().paymentId())).toList());
        } catch (RuntimeException failed) {
            if (PostgresTransactions.classify(failed) == PostgresTransactions.Failure.LOCK_WAIT) {
                throw new ReferenceLocked(failed);
            }
            throw failed;
        }
        List<Pending> created = contenders.stream().filter(pending -> claimed.contains(pending.command().paymentId())).toList();
        completedRequests.remove(contenders.stream()
                .filter(pending -> pending.completed() != null && !claimed.contains(pending.command().paymentId()))
                .map(Pending::completed).toList());
        if (!created.isEmpty()) {
            customerKeys.store(created.stream().map(Pending::newKey).filter(java.util.Objects::nonNull).toList());
            eventStore.publish(created.stream().map(Pending::event).toList());
        }
        created.forEach(pending -> outcomes.put(pending, new Outcome.Created(pending.result())));
        return outcomes;
    }

    /** Whether a failure may be one request's doing (a refused value, a deadlock, a lock another group holds). */
    private static boolean isAboutOneRequest(Throwable failed) {
        return PostgresTransactions.classify(failed) != PostgresTransactions.Failure.OTHER;
    }

    private void fail(Pending pending, Throwable failed) {
        RuntimeException answer;
        if (pending.completed() != null && PostgresTransactions.classify(failed) == PostgresTransactions.Failure.LOCK_WAIT) {
            // alone, it still waited on a lock: another replica is creating with its key (or its reference)
            answer = new IdempotencyKeyRefused(IdempotencyKeyRefused.Reason.IN_FLIGHT,
                    "a request with this Idempotency-Key is in progress");
        } else {
            answer = failed instanceof RuntimeException runtime ? runtime
                    : new IllegalStateException("the payment creation failed", failed);
        }
        if (pending.outcome().completeExceptionally(answer)) {
            stop(pending, answer instanceof PaymentRefused refused ? refused.refusal().code()
                    : answer instanceof IdempotencyKeyRefused ? "idempotency-key-in-flight" : "error");
        }
    }

    private void stop(Pending pending, String outcome) {
        if (!pending.timed().compareAndSet(false, true)) {
            return; // answered already (a request that stopped waiting), counted then
        }
        pending.timer().stop(Timer.builder("payledger.commands")
                .description("payment commands handled, by command and outcome")
                .tag("command", InitiatePayment.class.getSimpleName())
                .tag("outcome", outcome)
                .register(registry));
    }

    private static double oldestWaitSeconds(BlockingQueue<Pending> queue) {
        Pending oldest = queue.peek();
        return oldest == null ? 0 : (System.nanoTime() - oldest.queuedAt()) / 1e9;
    }

    @Override
    public void start() {
        running = true;
        for (int i = 1; i <= settings.writers(); i++) {
            startWriter("payment-creations-" + i);
        }
    }

    private void startWriter(String name) {
        Thread writer = new Thread(this::writeQueued, name);
        synchronized (writers) {
            writers.add(writer);
        }
        writer.start();
    }

    /** Takes no new creation, writes those queued, then ends the writers. */
    @Override
    public void stop() {
        running = false;
        try {
            List<Thread> stopping;
            do {
                synchronized (writers) {
                    stopping = List.copyOf(writers);
                }
                for (Thread writer : stopping) {
                    writer.join();
                }
                synchronized (writers) {
                    writers.removeAll(stopping); // a writer replaced while stopping is joined on the next round
                }
            } while (!stopping.isEmpty());
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
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
                           PaymentResult result, CompletedRequest completed, CustomerKeys.NewKey newKey,
                           CompletableFuture<Outcome> outcome, Timer.Sample timer, long queuedAt, AtomicBoolean timed) {
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
