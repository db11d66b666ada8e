package io.payledger.fiuusandbox;

import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Test controls, not part of Fiuu: the scenario ("approve", "decline", "pending" settling after
 * settleAfterMillis, "reject" refunds; declineAmount declines one amount), faults (latencyMillis,
 * failNextCalls answered 503, dropNotifications, duplicateNotifications), the log of every merchant
 * API call, the transactions, a re-send of an order's notification, and a change to an order's
 * status made behind the merchant's back (as a reversal or chargeback in Fiuu's portal would be),
 * which only reconciliation can find.
 */
@RestController
@RequestMapping("/sandbox")
class AdminController {

    private final SandboxState state;
    private final Notifier notifier;

    AdminController(SandboxState state, Notifier notifier) {
        this.state = state;
        this.notifier = notifier;
    }

    @PutMapping("/scenario")
    SandboxState.Scenario scenario(@RequestBody SandboxState.Scenario scenario) {
        state.scenario = scenario;
        return scenario;
    }

    @PutMapping("/faults")
    SandboxState.Faults faults(@RequestBody SandboxState.Faults faults) {
        state.faults(faults);
        return faults;
    }

    @GetMapping("/calls")
    List<SandboxState.Call> calls(@RequestParam(value = "path", required = false) String path) {
        synchronized (state.calls) {
            return state.calls.stream().filter(call -> path == null || call.path().equals(path)).toList();
        }
    }

    @GetMapping("/transactions")
    List<Map<String, Object>> transactions() {
        return state.byTranId.values().stream().map(SandboxState.Transaction::view).toList();
    }

    @PostMapping("/notifications/{orderId}")
    Map<String, String> resend(@org.springframework.web.bind.annotation.PathVariable("orderId") String orderId) {
        SandboxState.Transaction transaction = state.byOrderId.get(orderId);
        if (transaction == null) {
            throw new org.springframework.web.server.ResponseStatusException(org.springframework.http.HttpStatus.NOT_FOUND);
        }
        notifier.notifyPayment(transaction, null);
        return notifier.fieldsOf(transaction, "2");
    }

    /** {"status": "REVERSED"} (or PENDING, AUTHORIZED, CAPTURED, FAILED): Fiuu's record changes, and no one is told. */
    @PutMapping("/orders/{orderId}/status")
    Map<String, Object> changeStatus(@org.springframework.web.bind.annotation.PathVariable("orderId") String orderId,
                                     @RequestBody Map<String, String> change) {
        SandboxState.Transaction transaction = state.byOrderId.get(orderId);
        if (transaction == null) {
            throw new org.springframework.web.server.ResponseStatusException(org.springframework.http.HttpStatus.NOT_FOUND);
        }
        try {
            transaction.status = SandboxState.Status.valueOf(change.getOrDefault("status", ""));
        } catch (IllegalArgumentException unknown) {
            throw new org.springframework.web.server.ResponseStatusException(org.springframework.http.HttpStatus.BAD_REQUEST,
                    "status is one of PENDING, AUTHORIZED, CAPTURED, FAILED, REVERSED");
        }
        return transaction.view();
    }

    /** {"status": "00"} (or "11", "22"): a refund's outcome at Fiuu changes, and no one is told. */
    @PutMapping("/refunds/{refId}/status")
    Map<String, Object> changeRefundStatus(@org.springframework.web.bind.annotation.PathVariable("refId") String refId,
                                           @RequestBody Map<String, String> change) {
        String status = change.getOrDefault("status", "");
        if (!List.of("00", "11", "22").contains(status)) {
            throw new org.springframework.web.server.ResponseStatusException(org.springframework.http.HttpStatus.BAD_REQUEST,
                    "status is one of 00, 11, 22");
        }
        for (SandboxState.Transaction transaction : state.byTranId.values()) {
            synchronized (transaction.refunds) {
                for (int i = 0; i < transaction.refunds.size(); i++) {
                    SandboxState.Refund refund = transaction.refunds.get(i);
                    if (refund.refId().equals(refId)) {
                        transaction.refunds.set(i, new SandboxState.Refund(refund.refId(), refund.refundId(), refund.amount(), status));
                        return transaction.view();
                    }
                }
            }
        }
        throw new org.springframework.web.server.ResponseStatusException(org.springframework.http.HttpStatus.NOT_FOUND);
    }

    @DeleteMapping
    void reset() {
        state.reset();
    }
}
