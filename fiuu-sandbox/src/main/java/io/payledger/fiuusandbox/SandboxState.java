package io.payledger.fiuusandbox;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;

/** Transactions, scenario, faults and the log of every call: the sandbox's whole memory. */
@Component
class SandboxState {

    enum Status { PENDING, AUTHORIZED, CAPTURED, FAILED, REVERSED }

    static final class Transaction {
        final String tranId;
        final String orderId;
        final String amount;
        final String currency;
        final boolean sale;
        final String paydate = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss"));
        volatile Status status;
        volatile String capturedAmount;
        final List<Refund> refunds = Collections.synchronizedList(new ArrayList<>());

        Transaction(String tranId, String orderId, String amount, String currency, boolean sale, Status status) {
            this.tranId = tranId;
            this.orderId = orderId;
            this.amount = amount;
            this.currency = currency;
            this.sale = sale;
            this.status = status;
        }

        String statusCode() {
            return switch (status) {
                case AUTHORIZED, CAPTURED -> "00";
                case FAILED, REVERSED -> "11";
                case PENDING -> "22";
            };
        }

        String statName() {
            return switch (status) {
                case AUTHORIZED -> "authorized";
                case CAPTURED -> "captured";
                case FAILED -> "failed";
                case REVERSED -> "cancelled";
                case PENDING -> "Pending";
            };
        }

        Map<String, Object> view() {
            return Map.of("tranID", tranId, "orderid", orderId, "amount", amount, "currency", currency,
                    "status", status.name(), "capturedAmount", capturedAmount == null ? "" : capturedAmount,
                    "refunds", List.copyOf(refunds));
        }
    }

    record Refund(String refId, String refundId, String amount, String status) { }

    /** What the customer's "pay" leads to: approve, decline, or pending that settles as approved later. */
    record Scenario(String mode, long settleAfterMillis, String declineAmount) {
        static Scenario approveAll() {
            return new Scenario("approve", 0, null);
        }
    }

    /**
     * Injected trouble:
     * <ul>
     *   <li>{@code latencyMillis} on every API call, or with {@code slowTransaction} only on the calls naming that tranID
     *       (a Fiuu slow over one transaction); {@code failNextCalls} answered 503 without doing anything;</li>
     *   <li>{@code loseNextAnswers}: the next N API calls are carried out, and then answered 503, as when an answer
     *       is lost on its way back (a retry then meets what the first attempt did);</li>
     *   <li>{@code refuseTransaction}: every API call naming this tranID is answered HTTP 400;</li>
     *   <li>{@code queryErrorCode}: status queries are answered with this ErrorCode and no status (as Fiuu answers a
     *       bad signature, a missing parameter or too many queries); {@code unsignedQueryAnswers}: their VrfKey is left out;</li>
     *   <li>notifications {@code dropNotifications}, repeated ({@code duplicateNotifications}), or sent out of order
     *       ({@code reorderNotifications}: a pending payment's final notification before its pending one);
     *       {@code emptyFailureCodes}: a decline notified with an empty error_code and error_desc, as Fiuu may;</li>
     *   <li>{@code acceptBasicVcode}: the account's "Verify Payment" takes the basic vcode, which does not sign the
     *       currency, so a customer who changes {@code cur} on the page's URL pays in another currency. By default the
     *       sandbox is the multi-currency account FIUU.md 2.1 describes, which requires the extended vcode.</li>
     * </ul>
     */
    record Faults(long latencyMillis, int failNextCalls, boolean dropNotifications, int duplicateNotifications,
                  boolean reorderNotifications, int loseNextAnswers, String refuseTransaction, String queryErrorCode,
                  boolean unsignedQueryAnswers, boolean emptyFailureCodes, boolean acceptBasicVcode, String slowTransaction) {
        static Faults none() {
            return new Faults(0, 0, false, 0, false, 0, null, null, false, false, false, null);
        }
    }

    record Call(String path, Map<String, String> parameters, int answeredStatus, String answeredCode, long at) { }

    final Map<String, Transaction> byTranId = new ConcurrentHashMap<>();
    /** The latest transaction of each order; a customer may pay an order again, so there may be others before it. */
    final Map<String, Transaction> byOrderId = new ConcurrentHashMap<>();
    final List<Call> calls = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong tranIds = new AtomicLong(30_000_000);
    private final AtomicLong refundIds = new AtomicLong(900_000);
    volatile Scenario scenario = Scenario.approveAll();
    private volatile Faults faults = Faults.none();
    private final AtomicLong failuresLeft = new AtomicLong();
    private final AtomicLong lostAnswersLeft = new AtomicLong();

    String nextTranId() {
        return Long.toString(tranIds.incrementAndGet());
    }

    String nextRefundId() {
        return Long.toString(refundIds.incrementAndGet());
    }

    void add(Transaction transaction) {
        byTranId.put(transaction.tranId, transaction);
        byOrderId.put(transaction.orderId, transaction);
    }

    Faults faults() {
        return faults;
    }

    void faults(Faults injected) {
        faults = injected;
        failuresLeft.set(injected.failNextCalls());
        lostAnswersLeft.set(injected.loseNextAnswers());
    }

    /** True while answers to lose are left; each call takes one. */
    boolean takeLostAnswer() {
        return lostAnswersLeft.getAndUpdate(left -> Math.max(0, left - 1)) > 0;
    }

    /** True while injected failures are left; each call takes one. */
    boolean takeFailure() {
        return failuresLeft.getAndUpdate(left -> Math.max(0, left - 1)) > 0;
    }

    void reset() {
        scenario = Scenario.approveAll();
        faults(Faults.none());
        calls.clear();
    }
}
