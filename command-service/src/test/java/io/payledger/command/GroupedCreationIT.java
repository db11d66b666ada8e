package io.payledger.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.payledger.command.eventstore.EventLogVerifier;
import io.payledger.command.payment.PaymentCommands.ExpirePayment;
import io.payledger.command.payment.PaymentCommands.InitiatePayment;
import io.payledger.command.payment.PaymentCreations;
import io.payledger.command.support.Api;
import io.payledger.command.support.RealServersIT;
import io.payledger.events.money.Money;
import io.payledger.events.payment.CaptureMethod;
import io.payledger.events.payment.Customer;
import io.payledger.events.payment.MerchantId;
import io.payledger.events.payment.PaymentId;
import io.payledger.localstack.servers.PostgresServer;
import io.payledger.localstack.servers.RealServers;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * Payment creations grouped into one commit. A hook inside the writer's transaction holds a group before its commit,
 * so the tests decide what one group holds, and can kill the group's database connection before it commits. The
 * other command-service tests run the default of several writers.
 */
@Import(GroupedCreationIT.HeldCommits.class)
@TestPropertySource(properties = {
        "payledger.creations.writers=1",        // one writer, so a held group holds back the rest
        "payledger.creations.answer-within=8s"}) // a creation held longer is answered 503 not-confirmed
class GroupedCreationIT extends RealServersIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    MeterRegistry meters;
    @Autowired
    CommandGateway commands;
    @Autowired
    PaymentCreations creations;
    @Autowired
    EventLogVerifier verifier;
    @Autowired
    HeldCommits held;

    private final ExecutorService clients = Executors.newCachedThreadPool();

    @AfterEach
    void releaseTheWriter() {
        held.killEveryGroup(false);
        held.release();
        clients.shutdownNow();
    }

    @Test
    void creationsThatQueueWhileACommitRunsAreWrittenTogetherInTheNextCommit() throws Exception {
        String merchant = Api.newMerchant();
        CompletableFuture<Api.Reply> first = held.holdNextGroup(() -> submit(merchant, "first", "ORD-FIRST"));
        List<CompletableFuture<Api.Reply>> queued = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String reference = "ORD-" + i;
            queued.add(submit(merchant, "key-" + i, Api.createBody(reference, 1050, "manual")));
        }
        awaitQueued(20);
        long groupsBefore = groups().count();

        held.release();

        assertThat(first.get(30, TimeUnit.SECONDS).status()).isEqualTo(201);
        for (CompletableFuture<Api.Reply> reply : queued) {
            assertThat(reply.get(30, TimeUnit.SECONDS).status()).isEqualTo(201);
        }
        assertThat(groups().count()).as("the held group, then one group of the twenty").isEqualTo(groupsBefore + 2);
        assertThat(groups().max()).isGreaterThanOrEqualTo(20);
        assertThat(count("SELECT count(*) FROM merchant_reference WHERE merchant_id = ?", merchant)).isEqualTo(21);
        assertThat(count("SELECT count(*) FROM idempotency_key WHERE merchant_id = ? AND state = 'completed'", merchant))
                .isEqualTo(21);
        assertThat(count("""
                SELECT count(*) FROM domain_event_entry e JOIN merchant_reference r ON r.payment_id = e.aggregate_identifier
                WHERE r.merchant_id = ?""", merchant)).isEqualTo(21);
    }

    @Test
    void concurrentCreationsWithOneKeyMakeOnePaymentAndTheOthersAreReplayedOrToldItIsInFlight() throws Exception {
        String merchant = Api.newMerchant();
        String body = Api.createBody("ORD-SAME-KEY", 1050, "manual");
        CompletableFuture<Api.Reply> blocker = held.holdNextGroup(() -> submit(merchant, "blocker", "ORD-BLOCKER"));
        List<CompletableFuture<Api.Reply>> sameKey = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            sameKey.add(submit(merchant, "one-key", body));
        }
        // one waits behind the held group; the others go the general way and settle among themselves meanwhile
        awaitQueued(1);
        await().atMost(Duration.ofSeconds(30)).until(() -> sameKey.stream().filter(CompletableFuture::isDone).count() == 7);

        held.release();

        assertThat(blocker.get(30, TimeUnit.SECONDS).status()).isEqualTo(201);
        List<Api.Reply> replies = new ArrayList<>();
        for (CompletableFuture<Api.Reply> reply : sameKey) {
            replies.add(reply.get(30, TimeUnit.SECONDS));
        }
        List<Api.Reply> originals = replies.stream()
                .filter(reply -> reply.status() == 201 && reply.header("Idempotent-Replayed") == null).toList();
        assertThat(originals).hasSize(1);
        Api.Reply created = originals.get(0);
        assertThat(replies).filteredOn(reply -> reply != created).hasSize(7).allSatisfy(reply -> {
            if (reply.status() == 201) {
                assertThat(reply.header("Idempotent-Replayed")).isEqualTo("true");
                assertThat(reply.header("Location")).isEqualTo(created.header("Location"));
                assertThat(reply.body()).isEqualTo(created.body());
            } else {
                assertThat(reply.status()).isEqualTo(409);
                assertThat(reply.body().get("code").asText()).isEqualTo("idempotency-key-in-flight");
            }
        });
        Api.Reply later = api().create(merchant, "one-key", body);
        assertThat(later.status()).isEqualTo(201);
        assertThat(later.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(later.body()).isEqualTo(created.body());
        assertThat(count("SELECT count(*) FROM merchant_reference WHERE merchant_id = ? AND merchant_reference = ?",
                merchant, "ORD-SAME-KEY")).isEqualTo(1);
        assertThat(eventsOfMerchant(merchant)).as("the blocker's and the one payment's first events").isEqualTo(2);
    }

    @Test
    void aCreationNotConfirmedInTimeIsAnswered503AndItsRetryWithTheKeyReplaysItOnceItCommitted() throws Exception {
        String merchant = Api.newMerchant();
        String body = Api.createBody("ORD-SLOW", 1050, "manual");
        CompletableFuture<Api.Reply> slow = held.holdNextGroup(() -> submit(merchant, "slow-key", body));

        Api.Reply unconfirmed = slow.get(30, TimeUnit.SECONDS);
        assertThat(unconfirmed.status()).isEqualTo(503);
        assertThat(unconfirmed.body().get("code").asText()).isEqualTo("creation-not-confirmed");
        held.release();

        await().atMost(Duration.ofSeconds(30)).until(() -> eventsOfMerchant(merchant) == 1);
        Api.Reply retried = api().create(merchant, "slow-key", body);
        assertThat(retried.status()).isEqualTo(201);
        assertThat(retried.header("Idempotent-Replayed")).as("it was created the first time").isEqualTo("true");
        assertThat(eventsOfMerchant(merchant)).isEqualTo(1);
    }

    @Test
    void twoKeysWithOneMerchantReferenceInOneGroupCreateOnePaymentAndGiveTheOtherKeyBack() throws Exception {
        String merchant = Api.newMerchant();
        CompletableFuture<Api.Reply> blocker = held.holdNextGroup(() -> submit(merchant, "blocker", "ORD-BLOCKER"));
        CompletableFuture<Api.Reply> one = submit(merchant, "key-one", Api.createBody("ORD-SHARED", 1050, "manual"));
        CompletableFuture<Api.Reply> two = submit(merchant, "key-two", Api.createBody("ORD-SHARED", 2000, "manual"));
        awaitQueued(2);

        held.release();

        assertThat(blocker.get(30, TimeUnit.SECONDS).status()).isEqualTo(201);
        List<Api.Reply> replies = List.of(one.get(30, TimeUnit.SECONDS), two.get(30, TimeUnit.SECONDS));
        assertThat(replies).extracting(Api.Reply::status).containsExactlyInAnyOrder(201, 409);
        Api.Reply refused = replies.stream().filter(reply -> reply.status() == 409).findFirst().orElseThrow();
        assertThat(refused.body().get("code").asText()).isEqualTo("merchant-reference-taken");
        assertThat(count("SELECT count(*) FROM idempotency_key WHERE merchant_id = ?", merchant))
                .as("the refused request's key is given back, as a refused request's always is").isEqualTo(2);
        // the three came with the same new customer before any key was stored: each made a key of its own
        assertThat(count("SELECT count(*) FROM customer_key WHERE merchant_id = ?", merchant))
                .as("a key is stored with the payment it seals; the refused creation's is not").isEqualTo(2);
    }

    @Test
    void aCreationWaitingOnAMerchantReferenceAnotherReplicaIsInsertingIsToldTheReferenceIsInFlightAndItsRetryCreates()
            throws Exception {
        String merchant = Api.newMerchant();
        try (java.sql.Connection otherReplica = jdbc.getDataSource().getConnection()) {
            otherReplica.setAutoCommit(false);
            try (java.sql.PreparedStatement claim = otherReplica.prepareStatement(
                    "INSERT INTO merchant_reference (merchant_id, merchant_reference, payment_id) VALUES (?, ?, ?)")) {
                claim.setString(1, merchant);
                claim.setString(2, "ORD-ELSEWHERE");
                claim.setString(3, "pay_" + UUID.randomUUID());
                claim.executeUpdate();
            }

            Api.Reply waited = submit(merchant, "key-waiting", "ORD-ELSEWHERE").get(30, TimeUnit.SECONDS);

            assertThat(waited.status()).isEqualTo(409);
            assertThat(waited.body().get("code").asText()).as(waited.body().toString()).isEqualTo("merchant-reference-in-flight");
            otherReplica.rollback(); // the other creation gave the reference up
        }
        assertThat(count("SELECT count(*) FROM idempotency_key WHERE merchant_id = ?", merchant))
                .as("nothing of the answered request was kept").isZero();

        assertThat(submit(merchant, "key-waiting", "ORD-ELSEWHERE").get(30, TimeUnit.SECONDS).status()).isEqualTo(201);
    }

    @Test
    void aGroupWhoseConnectionDiesBeforeItsCommitAcknowledgesNoneAndStoresNoneAndTheirRetriesCreateEachOnce()
            throws Exception {
        String merchant = Api.newMerchant();
        held.killEveryGroup(true);
        List<CompletableFuture<Api.Reply>> replies = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            replies.add(submit(merchant, "crash-" + i, Api.createBody("ORD-CRASH-" + i, 1050, "manual")));
        }
        for (CompletableFuture<Api.Reply> reply : replies) {
            assertThat(reply.get(60, TimeUnit.SECONDS).status()).as("never acknowledged").isGreaterThanOrEqualTo(500);
        }
        assertThat(count("SELECT count(*) FROM merchant_reference WHERE merchant_id = ?", merchant)).isZero();
        assertThat(count("SELECT count(*) FROM idempotency_key WHERE merchant_id = ?", merchant)).isZero();
        assertThat(eventsOfMerchant(merchant)).as("no event outlives its group's transaction").isZero();

        held.killEveryGroup(false);
        for (int i = 0; i < 6; i++) {
            Api.Reply retried = api().create(merchant, "crash-" + i, Api.createBody("ORD-CRASH-" + i, 1050, "manual"));
            assertThat(retried.status()).isEqualTo(201);
            assertThat(retried.header("Idempotent-Replayed")).as("nothing was stored the first time").isNull();
        }
        assertThat(eventsOfMerchant(merchant)).isEqualTo(6);
    }

    @Test
    void aValueTheDatabaseRefusesFailsOnlyItsOwnRequestAndTheRestOfItsGroupIsCreated() throws Exception {
        MerchantId merchant = new MerchantId(Api.newMerchant());
        CompletableFuture<Api.Reply> blocker = held.holdNextGroup(() -> submit(merchant.value(), "blocker", "ORD-BLOCKER"));
        // longer than the column: the API's validation would refuse it first, so it is handed to the writer directly
        CompletableFuture<PaymentCreations.Outcome> refused = direct(command(PaymentId.random(), merchant, "R".repeat(41)));
        List<CompletableFuture<PaymentCreations.Outcome>> fine = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            fine.add(direct(command(PaymentId.random(), merchant, "ORD-FINE-" + i)));
        }
        awaitQueued(4);

        held.release();

        assertThat(blocker.get(30, TimeUnit.SECONDS).status()).isEqualTo(201);
        for (CompletableFuture<PaymentCreations.Outcome> outcome : fine) {
            assertThat(outcome.get(30, TimeUnit.SECONDS)).isInstanceOf(PaymentCreations.Outcome.Created.class);
        }
        assertThat(refused).failsWithin(Duration.ofSeconds(30)).withThrowableOfType(ExecutionException.class)
                .havingCause().isInstanceOf(DataAccessException.class);
        assertThat(count("SELECT count(*) FROM merchant_reference WHERE merchant_id = ?", merchant.value())).isEqualTo(4);
    }

    @Test
    void theWriterStoresTheRowTheAggregateWouldAndTheAggregateLoadsAndExtendsIt() throws Exception {
        MerchantId merchant = new MerchantId(Api.newMerchant());
        PaymentId throughTheAggregate = PaymentId.random();
        commands.sendAndWait(command(throughTheAggregate, merchant, "ORD-AGGREGATE"));
        PaymentId throughTheWriter = PaymentId.random();
        creations.create(command(throughTheWriter, merchant, "ORD-WRITER"), null, result -> null, null);

        Map<String, Object> aggregateRow = row(throughTheAggregate);
        Map<String, Object> writerRow = row(throughTheWriter);
        for (String column : List.of("sequence_number", "type", "payload_type", "payload_revision")) {
            assertThat(writerRow.get(column)).as(column).isEqualTo(aggregateRow.get(column));
        }
        assertThat(Instant.parse((String) writerRow.get("time_stamp"))).isAfterOrEqualTo(
                Instant.parse((String) aggregateRow.get("time_stamp")));
        assertThat(UUID.fromString((String) writerRow.get("event_identifier"))).isNotNull();
        assertThat(UUID.fromString((String) aggregateRow.get("event_identifier"))).isNotNull();
        assertThat(fieldNames(writerRow.get("meta_data"))).isEqualTo(fieldNames(aggregateRow.get("meta_data")));
        JsonNode aggregatePayload = JSON.readTree((byte[]) aggregateRow.get("payload"));
        JsonNode writerPayload = JSON.readTree((byte[]) writerRow.get("payload"));
        assertThat(fieldNames(writerPayload)).isEqualTo(fieldNames(aggregatePayload));
        assertThat(writerPayload.get("merchantReference").asText()).isEqualTo("ORD-WRITER");
        assertThat(writerPayload.get("amount")).isEqualTo(aggregatePayload.get("amount"));

        commands.sendAndWait(new ExpirePayment(throughTheWriter));

        assertThat(count("SELECT count(*) FROM domain_event_entry WHERE aggregate_identifier = ?", throughTheWriter.value()))
                .isEqualTo(2);
        assertThat(verifier.verify(throughTheWriter).intact()).as("the hash chain runs on from the writer's first link").isTrue();
    }

    private static InitiatePayment command(PaymentId payment, MerchantId merchant, String reference) {
        return new InitiatePayment(payment, merchant, reference, Money.of(1050, "MYR"), CaptureMethod.MANUAL,
                Customer.guest(), "2 items", "https://shop.example/return", Map.of("cart", "77"));
    }

    private Map<String, Object> row(PaymentId payment) {
        return jdbc.queryForMap("SELECT * FROM domain_event_entry WHERE aggregate_identifier = ? AND sequence_number = 0",
                payment.value());
    }

    private static List<String> fieldNames(Object json) throws Exception {
        JsonNode node = json instanceof JsonNode already ? already : JSON.readTree((byte[]) json);
        List<String> names = new ArrayList<>();
        Iterator<String> fields = node.fieldNames();
        fields.forEachRemaining(names::add);
        names.sort(String::compareTo);
        return names;
    }

    private CompletableFuture<Api.Reply> submit(String merchant, String key, String referenceOrBody) {
        String body = referenceOrBody.startsWith("{") ? referenceOrBody : Api.createBody(referenceOrBody, 1050, "manual");
        return CompletableFuture.supplyAsync(() -> api().create(merchant, key, body), clients);
    }

    private CompletableFuture<PaymentCreations.Outcome> direct(InitiatePayment command) {
        return CompletableFuture.supplyAsync(() -> creations.create(command, null, result -> null, null), clients);
    }

    private void awaitQueued(int creations) {
        await().atMost(Duration.ofSeconds(30))
                .until(() -> meters.get("payledger.creations.queued").gauge().value() >= creations);
    }

    private io.micrometer.core.instrument.DistributionSummary groups() {
        return meters.get("payledger.creations.group").summary();
    }

    /** First events whose payload names this merchant, whether or not a merchant reference row points at them. */
    private long eventsOfMerchant(String merchant) {
        return count("""
                SELECT count(*) FROM domain_event_entry WHERE sequence_number = 0
                AND convert_from(payload, 'UTF8')::jsonb ->> 'merchantId' = ?""", merchant);
    }

    private long count(String sql, Object... arguments) {
        return jdbc.queryForObject(sql, Long.class, arguments);
    }

    /** Holds the writer's next group before its commit, or kills each group's connection before its commit. */
    @TestConfiguration
    static class HeldCommits {

        private final AtomicReference<CountDownLatch> hold = new AtomicReference<>();
        private final AtomicBoolean holdNext = new AtomicBoolean();
        private final AtomicBoolean kill = new AtomicBoolean();
        private final CountDownLatch[] holding = new CountDownLatch[1];

        @Autowired
        JdbcTemplate jdbc;

        /** Submits {@code creation} and returns once the writer holds it, inside its transaction, before the commit. */
        <T> T holdNextGroup(java.util.function.Supplier<T> creation) throws InterruptedException {
            CountDownLatch reached = new CountDownLatch(1);
            synchronized (holding) {
                holding[0] = reached;
            }
            hold.set(new CountDownLatch(1));
            holdNext.set(true);
            T submitted = creation.get();
            assertThat(reached.await(30, TimeUnit.SECONDS)).as("the writer reached the held commit").isTrue();
            return submitted;
        }

        void release() {
            holdNext.set(false);
            CountDownLatch latch = hold.getAndSet(null);
            if (latch != null) {
                latch.countDown();
            }
        }

        void killEveryGroup(boolean killing) {
            kill.set(killing);
        }

        @Bean
        PaymentCreations.BeforeCommit heldBeforeCommit() {
            return creations -> {
                if (kill.get()) {
                    Integer backend = jdbc.queryForObject("SELECT pg_backend_pid()", Integer.class);
                    PostgresServer postgres = RealServers.postgres();
                    try (var killer = DriverManager.getConnection(postgres.jdbcUrl(GroupedCreationIT.database()),
                            postgres.username(), postgres.password())) {
                        killer.createStatement().execute("SELECT pg_terminate_backend(" + backend + ")");
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                    return;
                }
                if (holdNext.compareAndSet(true, false)) {
                    synchronized (holding) {
                        holding[0].countDown();
                    }
                    CountDownLatch latch = hold.get();
                    try {
                        if (latch != null) {
                            latch.await(60, TimeUnit.SECONDS);
                        }
                    } catch (InterruptedException interrupted) {
                        Thread.currentThread().interrupt();
                    }
                }
            };
        }
    }
}
