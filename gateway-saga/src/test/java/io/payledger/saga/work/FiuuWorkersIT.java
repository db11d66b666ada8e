package io.payledger.saga.work;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.payledger.events.ledger.JournalEntries;
import io.payledger.events.money.Money;
import io.payledger.events.payment.AuthorisationFailed;
import io.payledger.events.payment.CaptureMethod;
import io.payledger.events.payment.CaptureRequested;
import io.payledger.events.payment.Customer;
import io.payledger.events.payment.MerchantId;
import io.payledger.events.payment.PaymentAuthorised;
import io.payledger.events.payment.PaymentHistory;
import io.payledger.events.payment.PaymentId;
import io.payledger.events.payment.PaymentInitiated;
import io.payledger.events.payment.Steps;
import io.payledger.events.payment.UnexpectedChargeReason;
import io.payledger.events.payment.UnexpectedChargeRecorded;
import io.payledger.localstack.servers.PostgresServer;
import io.payledger.localstack.servers.RealServers;
import io.payledger.saga.command.PaymentOutcomes;
import io.payledger.saga.fiuu.FiuuAnswers;
import io.payledger.saga.fiuu.FiuuAnswers.CaptureOutcome;
import io.payledger.saga.fiuu.FiuuClient;
import io.payledger.saga.fiuu.FiuuUnavailable;
import io.payledger.saga.payment.FiuuOrders;
import io.payledger.saga.payment.SagaTimings;
import io.payledger.saga.reconciliation.LedgerPositions;
import io.payledger.saga.reconciliation.LedgerPositions.Position;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The queue of Fiuu calls on a real PostgreSQL, with Fiuu and command-service's reports stood in for: an item is
 * carried out once and reported once, a call Fiuu never answers is counted and then waits for a person, a worker
 * whose claim lapsed changes nothing, work outlives the process that scheduled it, and a slow call holds up only
 * its own payment.
 */
class FiuuWorkersIT {

    private static final Money AMOUNT = Money.of(1050, "MYR");
    private static final Instant T = Instant.parse("2026-11-22T10:00:00Z");
    /** Three tries before a person is asked; backoffs short enough for a test. */
    private static final SagaTimings TIMINGS = new SagaTimings(Duration.ofMinutes(15), 3, Duration.ofMillis(20),
            Duration.ofMillis(40), 3, 5);

    private final FiuuClient fiuu = mock(FiuuClient.class);
    private final PaymentOutcomes outcomes = mock(PaymentOutcomes.class);
    private final LedgerPositions positions = mock(LedgerPositions.class);
    private final List<FiuuWorkers> started = new ArrayList<>();
    private JdbcTemplate jdbc;
    private TransactionTemplate transaction;
    private FiuuWork work;

    @BeforeEach
    void freshDatabase() {
        PostgresServer postgres = RealServers.postgres();
        String database = postgres.createDatabase("fiuu_workers_it");
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(postgres.jdbcUrl(database));
        dataSource.setUser(postgres.username());
        dataSource.setPassword(postgres.password());
        Flyway.configure().dataSource(dataSource).placeholders(Map.of("runtime_role", postgres.username())).load().migrate();
        jdbc = new JdbcTemplate(dataSource);
        transaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        work = new FiuuWork(jdbc);
    }

    @AfterEach
    void stopWorkers() {
        started.forEach(FiuuWorkers::stop);
    }

    private FiuuWorkers workers(int size) {
        return new FiuuWorkers(work, positions, fiuu, outcomes, mock(FiuuOrders.class), transaction, TIMINGS,
                new SimpleMeterRegistry(), size, Duration.ofMillis(50));
    }

    private FiuuWorkers started(int size) {
        FiuuWorkers workers = workers(size);
        workers.start();
        started.add(workers);
        return workers;
    }

    /** A payment authorised as {@code tranId} whose merchant asked for its capture. */
    private PaymentId captureAsked(String payment, String tranId) {
        PaymentId id = PaymentId.of(payment);
        when(positions.payment(id)).thenReturn(Optional.of(new Position(PaymentHistory.replay(List.of(
                new PaymentInitiated(id, MerchantId.of("m-1"), "ORD-1", AMOUNT, CaptureMethod.MANUAL, Customer.guest(), "items",
                        "https://shop.example/return", Map.of(), T),
                new PaymentAuthorised(id, AMOUNT, tranId, JournalEntries.authorisation(AMOUNT), T),
                new CaptureRequested(id, AMOUNT, T))), "order-" + payment)));
        assertThat(work.schedule("capture-of-" + payment, id, Steps.CAPTURE, Duration.ZERO, false)).isTrue();
        return id;
    }

    private Map<String, Object> row(PaymentId payment) {
        return jdbc.queryForMap("SELECT state, attempts, claimed_by FROM fiuu_work WHERE payment_id = ?", payment.value());
    }

    @Test
    void aCaptureFiuuTakesIsReportedOnceAndItsWorkIsDone() {
        PaymentId payment = captureAsked("pay-1", "30001");
        when(fiuu.capture("30001", AMOUNT)).thenReturn(new FiuuAnswers.Capture(CaptureOutcome.CAPTURED, "00"));

        started(2).wake();

        await().atMost(Duration.ofSeconds(10)).until(() -> "done".equals(row(payment).get("state")));
        verify(outcomes, times(1)).captured(payment, "30001");
    }

    @Test
    void aReleaseThatFiuusAnswersSendBackAndForthBetweenReversalAndRefundWaitsForAPersonAfterMaxAttempts() {
        PaymentId payment = PaymentId.of("pay-1");
        when(positions.payment(payment)).thenReturn(Optional.of(new Position(PaymentHistory.replay(List.of(
                new PaymentInitiated(payment, MerchantId.of("m-1"), "ORD-1", AMOUNT, CaptureMethod.AUTOMATIC, Customer.guest(),
                        "items", "https://shop.example/return", Map.of(), T),
                new AuthorisationFailed(payment, "30001", "11", "declined", T),
                new UnexpectedChargeRecorded(payment, "30009", AMOUNT, false, UnexpectedChargeReason.AFTER_FAILURE,
                        JournalEntries.unexpectedCharge(AMOUNT), T))), "order-pay-1")));
        // the reversal is refused because Fiuu says it took the money; the refund is refused because it only holds it
        when(fiuu.reverse("30009")).thenReturn(new FiuuAnswers.Void(FiuuAnswers.VoidOutcome.REFUSED, "21"));
        when(fiuu.queryTransaction("30009", AMOUNT)).thenReturn(
                new FiuuAnswers.Status(FiuuAnswers.PaymentOutcome.CAPTURED, "00", "captured", "30009", AMOUNT));
        when(fiuu.refund("UC30009", "30009", AMOUNT)).thenReturn(
                new FiuuAnswers.Refund(FiuuAnswers.RefundOutcome.REJECTED, "PR010", null));
        assertThat(work.schedule("charge-30009", payment, Steps.release("30009"), Duration.ZERO, false)).isTrue();

        started(1).wake();

        await().atMost(Duration.ofSeconds(10)).until(() -> "waiting".equals(row(payment).get("state")));
        verify(outcomes, times(1)).attentionRequired(eq(payment), eq(Steps.release("30009")), eq("release-undecided"), any());
        verify(fiuu, times(2)).reverse("30009");
        verify(fiuu, times(1)).refund("UC30009", "30009", AMOUNT);
        verify(outcomes, never()).unexpectedChargeReleased(any(), any(), any(), any());
    }

    @Test
    void theSameEventRedeliveredSchedulesItsWorkOnce() {
        PaymentId payment = captureAsked("pay-1", "30001");

        assertThat(work.schedule("capture-of-pay-1", payment, Steps.CAPTURE, Duration.ZERO, false)).isFalse();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM fiuu_work", Long.class)).isEqualTo(1);
    }

    @Test
    void aCaptureFiuuNeverAnswersIsTriedMaxAttemptsTimesThenWaitsForAPersonWhoCanAskForItAgain() {
        PaymentId payment = captureAsked("pay-1", "30001");
        when(fiuu.capture("30001", AMOUNT)).thenThrow(new FiuuUnavailable("connect timed out"));

        started(2).wake();

        await().atMost(Duration.ofSeconds(10)).until(() -> "waiting".equals(row(payment).get("state")));
        verify(fiuu, times(3)).capture("30001", AMOUNT);
        verify(outcomes, times(1)).attentionRequired(eq(payment), eq(Steps.CAPTURE), eq("fiuu-unanswered"), any());
        verify(outcomes, never()).captured(any(), any());

        doReturn(new FiuuAnswers.Capture(CaptureOutcome.CAPTURED, "00")).when(fiuu).capture("30001", AMOUNT);
        assertThat(work.revive(payment, Steps.CAPTURE)).isTrue();
        started.get(0).wake();

        await().atMost(Duration.ofSeconds(10)).until(() -> "done".equals(row(payment).get("state")));
        verify(outcomes, times(1)).captured(payment, "30001");
    }

    @Test
    void aWorkerWhoseClaimLapsedRecordsNothingAndTheWorkerHoldingItNowReportsOnce() {
        PaymentId payment = captureAsked("pay-1", "30001");
        when(fiuu.capture("30001", AMOUNT)).thenReturn(new FiuuAnswers.Capture(CaptureOutcome.CAPTURED, "00"));
        FiuuWorkers workers = workers(1);
        FiuuWork.Item lapsed = transaction.execute(status -> work.claimDue(1, Duration.ZERO)).get(0);
        FiuuWork.Item current = transaction.execute(status -> work.claimDue(1, Duration.ofMinutes(5))).get(0);
        assertThat(current.id()).isEqualTo(lapsed.id());

        workers.turn(lapsed);

        assertThat(row(payment).get("state")).isEqualTo("due");
        verify(outcomes, never()).captured(any(), any());

        workers.turn(current);

        assertThat(row(payment).get("state")).isEqualTo("done");
        verify(outcomes, times(1)).captured(payment, "30001");
    }

    @Test
    void workClaimedByAProcessThatDiedIsCarriedOutByTheNextOnceTheClaimLapses() {
        PaymentId payment = captureAsked("pay-1", "30001");
        when(fiuu.capture("30001", AMOUNT)).thenReturn(new FiuuAnswers.Capture(CaptureOutcome.CAPTURED, "00"));
        // the first process claimed it for a short while and died before it recorded anything
        transaction.execute(status -> work.claimDue(1, Duration.ofMillis(300)));
        assertThat(row(payment).get("claimed_by")).isNotNull();

        started(2).wake();

        await().atMost(Duration.ofSeconds(10)).until(() -> "done".equals(row(payment).get("state")));
        verify(outcomes, times(1)).captured(payment, "30001");
    }

    @Test
    void aFiuuCallThatHangsHoldsUpOnlyItsOwnPayment() throws Exception {
        PaymentId slow = captureAsked("pay-slow", "30001");
        CountDownLatch fiuuAnswers = new CountDownLatch(1);
        when(fiuu.capture("30001", AMOUNT)).thenAnswer(call -> {
            fiuuAnswers.await(30, TimeUnit.SECONDS);
            return new FiuuAnswers.Capture(CaptureOutcome.CAPTURED, "00");
        });
        started(2).wake();
        await().atMost(Duration.ofSeconds(10)).until(() -> row(slow).get("claimed_by") != null);

        PaymentId quick = captureAsked("pay-quick", "30002");
        when(fiuu.capture("30002", AMOUNT)).thenReturn(new FiuuAnswers.Capture(CaptureOutcome.CAPTURED, "00"));
        started.get(0).wake();

        await().atMost(Duration.ofSeconds(10)).until(() -> "done".equals(row(quick).get("state")));
        assertThat(row(slow).get("state")).isEqualTo("due");
        verify(outcomes).captured(quick, "30002");

        fiuuAnswers.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> "done".equals(row(slow).get("state")));
    }

    @Test
    void workForAPaymentWhoseEarlierEventsGatewaySagaNeverSawWaitsForAPerson() {
        PaymentId unknown = PaymentId.of("pay-unknown");
        when(positions.payment(unknown)).thenReturn(Optional.empty());
        work.schedule("capture-of-unknown", unknown, Steps.CAPTURE, Duration.ZERO, false);

        started(1).wake();

        await().atMost(Duration.ofSeconds(10)).until(() -> "waiting".equals(row(unknown).get("state")));
        verify(fiuu, never()).capture(any(), any());
        verify(outcomes).attentionRequired(eq(unknown), eq(Steps.CAPTURE), eq("payment-not-in-view"), any());
    }
}
