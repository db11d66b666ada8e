package io.payledger.saga.reconciliation;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.payledger.events.money.Money;
import io.payledger.events.payment.PaymentId;
import io.payledger.events.payment.Refund;
import io.payledger.events.payment.RefundStatus;
import io.payledger.events.payment.UnexpectedCharge;
import io.payledger.saga.command.PaymentOutcomes;
import io.payledger.saga.fiuu.FiuuAnswers;
import io.payledger.saga.fiuu.FiuuClient;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Compares the ledger with Fiuu: for every payment that moved in a run's window (and not in the
 * last quiet period, whose news may still be in flight), asks Fiuu what it knows of the order's
 * transactions, of each refund the ledger settled and of each unexpected charge, and records each
 * payment's first disagreement. Money at Fiuu the ledger never heard of is also reported, as a notification. A payment Fiuu did not answer for is counted as unchecked and makes the
 * run incomplete; it is never counted as matching.
 */
@Component
public class Reconciler implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(Reconciler.class);

    private final Reconciliations reconciliations;
    private final FiuuClient fiuu;
    private final PaymentOutcomes outcomes;
    private final ReconciliationProperties properties;
    private final Clock clock;
    private final ExecutorService queries;
    private final MeterRegistry meters;

    Reconciler(Reconciliations reconciliations, FiuuClient fiuu, PaymentOutcomes outcomes, ReconciliationProperties properties,
               Clock clock, MeterRegistry meters) {
        this.reconciliations = reconciliations;
        this.outcomes = outcomes;
        this.fiuu = fiuu;
        this.properties = properties;
        this.clock = clock;
        this.meters = meters;
        this.queries = Executors.newFixedThreadPool(properties.concurrency(), runnable -> {
            Thread thread = new Thread(runnable, "reconciliation-query");
            thread.setDaemon(true);
            return thread;
        });
        Gauge.builder("payledger.reconciliation.mismatches", reconciliations, Reconciliations::lastMismatches)
                .description("Payments the last finished reconciliation found the ledger and Fiuu disagreeing on")
                .register(meters);
        Gauge.builder("payledger.reconciliation.last.run.age", reconciliations, Reconciliations::secondsSinceLastRun)
                .baseUnit("seconds").description("Time since a reconciliation last finished").register(meters);
    }

    /** The scheduled run: the configured window, ending a quiet period ago. */
    public void runScheduled() {
        Instant to = clock.instant().minus(properties.quietPeriod());
        run(reconciliations.create("schedule", to.minus(properties.window()), to).id());
    }

    /** Runs a queued reconciliation; a run that already finished (its task executed twice) is left alone. */
    public void run(String runId) {
        Optional<Reconciliations.Run> queued = reconciliations.find(runId);
        if (queued.isEmpty() || !reconciliations.start(runId)) {
            return;
        }
        Reconciliations.Run run = queued.get();
        Instant settled = clock.instant().minus(properties.quietPeriod());
        Instant to = run.windowTo().isBefore(settled) ? run.windowTo() : settled;
        List<Comparison.LedgerPosition> positions = reconciliations.positions(run.windowFrom(), to, properties.maxPayments());
        List<Future<Optional<Reconciliations.Mismatch>>> answers = new ArrayList<>(positions.size());
        for (Comparison.LedgerPosition position : positions) {
            answers.add(queries.submit(() -> check(runId, position)));
        }
        int matched = 0;
        int unchecked = 0;
        int mismatches = 0;
        for (int i = 0; i < positions.size(); i++) {
            Optional<Reconciliations.Mismatch> mismatch;
            try {
                mismatch = answers.get(i).get();
            } catch (ExecutionException | InterruptedException unanswered) {
                if (unanswered instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                unchecked++;
                continue;
            }
            if (mismatch.isEmpty()) {
                matched++;
                continue;
            }
            mismatches++;
            reconciliations.record(runId, mismatch.get());
            log.warn("reconciliation {}: payment {} disagrees with Fiuu ({}): ledger {}, Fiuu {} {}", runId,
                    mismatch.get().paymentId(), mismatch.get().kind(), mismatch.get().ledgerStatus(),
                    mismatch.get().gatewayStatus(), mismatch.get().gatewayStatCode());
        }
        Reconciliations.Status status = unchecked == 0 ? Reconciliations.Status.COMPLETED : Reconciliations.Status.INCOMPLETE;
        reconciliations.finish(runId, status, positions.size(), matched, unchecked, mismatches);
        Counter.builder("payledger.reconciliation.runs").tag("outcome", status.name().toLowerCase())
                .description("Reconciliation runs finished").register(meters).increment();
        log.info("reconciliation {} {}: {} payments checked, {} matched, {} mismatched, {} unchecked", runId,
                status.name().toLowerCase(), positions.size(), matched, mismatches, unchecked);
    }

    /**
     * Asks Fiuu about one payment: every transaction of its order (a customer may have paid it more than once); then
     * each refund the ledger settled; then each unexpected charge, recorded in the run whatever it found. Money Fiuu
     * holds under the order that the ledger never heard of (its notifications lost) is reported to command-service as
     * a notification would have been, so that the payment records it: as its authorisation if it still waits for
     * one, otherwise as an unexpected charge that is then given back. The first disagreement found, if any.
     */
    private Optional<Reconciliations.Mismatch> check(String runId, Comparison.LedgerPosition ledger) {
        List<FiuuAnswers.Status> transactions = fiuu.queryOrderTransactions(ledger.orderId(), ledger.currency());
        List<FiuuAnswers.Status> unheardOf = transactions.stream().filter(Reconciler::holdsMoney)
                .filter(transaction -> !transaction.tranId().equals(ledger.gatewayTransactionId()))
                .filter(transaction -> !ledger.knowsAsUnexpected(transaction.tranId())).toList();
        if (!unheardOf.isEmpty()) {
            PaymentId payment = PaymentId.of(ledger.paymentId());
            unheardOf.forEach(transaction -> outcomes.authorised(payment, transaction.amount(), transaction.tranId()));
            return Optional.of(mismatch(ledger, Comparison.Kind.MISSING_IN_LEDGER, unheardOf.get(0)));
        }
        FiuuAnswers.Status gateway = transactions.stream()
                .filter(transaction -> transaction.tranId().equals(ledger.gatewayTransactionId())).findFirst()
                .orElse(NOTHING_OF_ITS_OWN);
        Optional<Comparison.Kind> disagreement = Comparison.of(ledger, gateway);
        if (disagreement.isPresent()) {
            return Optional.of(mismatch(ledger, disagreement.get(), gateway));
        }
        for (Refund refund : ledger.refunds()) {
            if (refund.status() == RefundStatus.PENDING) {
                continue;
            }
            FiuuAnswers.Refund atFiuu = fiuu.refundStatus(refund.refundId().value());
            if (Comparison.ofRefund(refund.status(), atFiuu).isPresent()) {
                return Optional.of(new Reconciliations.Mismatch(ledger.paymentId(), ledger.merchantId(), ledger.orderId(),
                        Comparison.Kind.REFUND_DIFFERS.code(), ledger.currency(),
                        "refund-" + refund.status().name().toLowerCase(), refund.amount().amount(), refund.refundId().value(),
                        "refund-" + atFiuu.outcome().name().toLowerCase(), atFiuu.code(), null, atFiuu.refundId(), null));
            }
        }
        Optional<Reconciliations.Mismatch> first = Optional.empty();
        for (UnexpectedCharge charge : ledger.unexpectedCharges()) {
            FiuuAnswers.Status transaction = fiuu.queryTransaction(charge.chargeId(), charge.amount());
            FiuuAnswers.Refund refund = transaction.outcome() == FiuuAnswers.PaymentOutcome.CAPTURED
                    ? fiuu.refundStatus("UC" + charge.chargeId()) : null;
            boolean givenBack = Comparison.givenBackAtFiuu(transaction, refund);
            String atFiuu = givenBack ? (transaction.reversed() ? "reversed" : "refunded")
                    : transaction.outcome() == FiuuAnswers.PaymentOutcome.CAPTURED ? "taken"
                    : transaction.outcome().name().toLowerCase();
            reconciliations.record(runId, new Reconciliations.ChargeCheck(ledger.paymentId(), charge.chargeId(),
                    charge.amount().currency(), charge.amount().amount(), charge.isHeld() ? "held" : "released", atFiuu,
                    !charge.isHeld() && givenBack));
            if (first.isEmpty() && Comparison.ofCharge(charge, transaction, refund).isPresent()) {
                first = Optional.of(new Reconciliations.Mismatch(ledger.paymentId(), ledger.merchantId(), ledger.orderId(),
                        Comparison.Kind.UNEXPECTED_CHARGE_DIFFERS.code(), charge.amount().currency(), "charge-released",
                        charge.amount().amount(), charge.chargeId(), "charge-" + atFiuu, transaction.statCode(),
                        transaction.amount() == null ? null : transaction.amount().amount(), transaction.tranId(), null));
            }
        }
        return first;
    }

    private static final FiuuAnswers.Status NOTHING_OF_ITS_OWN =
            new FiuuAnswers.Status(FiuuAnswers.PaymentOutcome.UNKNOWN, "", "not found", null, null);

    private static boolean holdsMoney(FiuuAnswers.Status status) {
        return status.outcome() == FiuuAnswers.PaymentOutcome.AUTHORISED || status.outcome() == FiuuAnswers.PaymentOutcome.CAPTURED;
    }

    private static Reconciliations.Mismatch mismatch(Comparison.LedgerPosition ledger, Comparison.Kind kind,
                                                     FiuuAnswers.Status gateway) {
        return new Reconciliations.Mismatch(ledger.paymentId(), ledger.merchantId(), ledger.orderId(), kind.code(),
                ledger.currency(), ledger.status().code(), ledger.atGateway(), ledger.gatewayTransactionId(),
                gateway.outcome().name().toLowerCase(), gateway.statCode(),
                gateway.amount() == null ? null : gateway.amount().amount(), gateway.tranId(), null);
    }

    @Override
    public void destroy() {
        queries.shutdownNow();
    }
}
