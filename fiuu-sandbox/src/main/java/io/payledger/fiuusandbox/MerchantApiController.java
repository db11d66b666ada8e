package io.payledger.fiuusandbox;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Fiuu's merchant APIs with FIUU.md's fields, formulas, formats and codes: capture (JSON),
 * reversal (text/plain Key=Value), refund (JSON), refund status and the order status query. Each
 * call is logged; injected latency and 5xx answers apply to all of them.
 */
@RestController
class MerchantApiController {

    private final SandboxProperties properties;
    private final SandboxState state;
    private final Notifier notifier;

    MerchantApiController(SandboxProperties properties, SandboxState state, Notifier notifier) {
        this.properties = properties;
        this.state = state;
        this.notifier = notifier;
    }

    @PostMapping(value = "/RMS/API/capstxn/index.php", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<?> capture(@RequestParam Map<String, String> request) {
        return answer("capture", request, () -> {
            String tranId = request.getOrDefault("tranID", "");
            String amount = request.getOrDefault("amount", "");
            String code = captureCode(tranId, amount, request);
            return ResponseEntity.ok(Map.of("TranID", tranId, "Domain", properties.merchantId(), "StatCode", code,
                    "VrfKey", SandboxSignatures.vrfKey(properties.secretKey(), properties.merchantId(), tranId, code)));
        });
    }

    private String captureCode(String tranId, String amount, Map<String, String> request) {
        if (!properties.merchantId().equals(request.get("domain"))) {
            return "19";
        }
        if (!SandboxSignatures.captureSkey(tranId, amount, properties.merchantId(), properties.verifyKey())
                .equalsIgnoreCase(request.getOrDefault("skey", ""))) {
            return "12";
        }
        SandboxState.Transaction transaction = state.byTranId.get(tranId);
        if (transaction == null) {
            return "17";
        }
        synchronized (transaction) {
            if (transaction.status == SandboxState.Status.CAPTURED) {
                return "24";
            }
            if (transaction.status != SandboxState.Status.AUTHORIZED) {
                return "11";
            }
            if (new BigDecimal(amount).compareTo(new BigDecimal(transaction.amount)) > 0) {
                return "25";
            }
            transaction.status = SandboxState.Status.CAPTURED;
            transaction.capturedAmount = amount;
            return "00";
        }
    }

    @PostMapping(value = "/RMS/API/refundAPI/refund.php", produces = MediaType.TEXT_PLAIN_VALUE)
    ResponseEntity<?> reversal(@RequestParam Map<String, String> request) {
        return answer("reversal", request, () -> {
            String txnId = request.getOrDefault("txnID", "");
            String code = reversalCode(txnId, request);
            String body = "TxnID=" + txnId + "\nDomain=" + properties.merchantId() + "\nStatDate=2026-11-22 10:00:00"
                    + "\nStatCode=" + code + "\nVrfKey="
                    + SandboxSignatures.vrfKey(properties.secretKey(), properties.merchantId(), txnId, code) + "\n";
            return ResponseEntity.ok().contentType(MediaType.TEXT_PLAIN).body(body);
        });
    }

    private String reversalCode(String txnId, Map<String, String> request) {
        if (!SandboxSignatures.reversalSkey(txnId, properties.merchantId(), properties.secretKey())
                .equalsIgnoreCase(request.getOrDefault("skey", ""))) {
            return "12";
        }
        SandboxState.Transaction transaction = state.byTranId.get(txnId);
        if (transaction == null) {
            return "17";
        }
        synchronized (transaction) {
            // a reversed transaction is no longer authorised: a repeated reversal is answered 21, not 00
            if (transaction.status != SandboxState.Status.AUTHORIZED) {
                return "21";
            }
            transaction.status = SandboxState.Status.REVERSED;
            return "00";
        }
    }

    @PostMapping(value = "/RMS/API/refundAPI/index.php", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<?> refund(@RequestParam Map<String, String> request) {
        return answer("refund", request, () -> {
            String refId = request.getOrDefault("RefID", "");
            String txnId = request.getOrDefault("TxnID", "");
            String amount = request.getOrDefault("Amount", "");
            if (!"P".equals(request.get("RefundType"))) {
                return error("PR001", "Invalid RefundType");
            }
            if (!SandboxSignatures.refundRequestSignature("P", properties.merchantId(), refId, txnId, amount,
                    properties.secretKey()).equalsIgnoreCase(request.getOrDefault("Signature", ""))) {
                return error("PR008", "Invalid signature");
            }
            SandboxState.Transaction transaction = state.byTranId.get(txnId);
            if (transaction == null) {
                return error("PR009", "TxnID not found");
            }
            synchronized (transaction) {
                if (transaction.refunds.stream().anyMatch(refund -> refund.refId().equals(refId))) {
                    return error("PR016", "Duplicate RefID");
                }
                if (transaction.status != SandboxState.Status.CAPTURED) {
                    return error("PR010", "Transaction is not in a refundable status");
                }
                BigDecimal refunded = transaction.refunds.stream().filter(refund -> !"11".equals(refund.status()))
                        .map(refund -> new BigDecimal(refund.amount())).reduce(BigDecimal.ZERO, BigDecimal::add);
                if (refunded.add(new BigDecimal(amount)).compareTo(new BigDecimal(transaction.capturedAmount)) > 0) {
                    return error("PR011", "Exceed refund amount for this transaction.");
                }
                // as on Fiuu, a refund is pending when asked for (Fiuu takes days); it settles later, and only its
                // notification and q_by_refID tell how: paid, or rejected in the "reject" scenario
                String outcome = "reject".equals(state.scenario.mode()) ? "11" : "00";
                SandboxState.Refund refund = new SandboxState.Refund(refId, state.nextRefundId(), amount, "22");
                transaction.refunds.add(refund);
                notifier.later(() -> settleRefund(transaction, refund, outcome), properties.refundSettleAfter().toMillis());
                return ResponseEntity.ok(refundFields(refund, txnId));
            }
        });
    }

    private void settleRefund(SandboxState.Transaction transaction, SandboxState.Refund pending, String outcome) {
        SandboxState.Refund settled;
        synchronized (transaction.refunds) {
            int at = transaction.refunds.indexOf(pending);
            if (at < 0) {
                return; // changed behind the merchant's back meanwhile (PUT /sandbox/refunds/...)
            }
            settled = new SandboxState.Refund(pending.refId(), pending.refundId(), pending.amount(), outcome);
            transaction.refunds.set(at, settled);
        }
        notifier.notifyRefund(refundFields(settled, transaction.tranId));
    }

    private Map<String, String> refundFields(SandboxState.Refund refund, String txnId) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("RefundType", "P");
        body.put("MerchantID", properties.merchantId());
        body.put("RefID", refund.refId());
        body.put("RefundID", refund.refundId());
        body.put("TxnID", txnId);
        body.put("Amount", refund.amount());
        body.put("Status", refund.status());
        body.put("Signature", SandboxSignatures.refundAnswerSignature("P", properties.merchantId(), refund.refId(),
                refund.refundId(), txnId, refund.amount(), refund.status(), properties.secretKey()));
        return body;
    }

    @PostMapping(value = "/RMS/API/refundAPI/q_by_refID.php", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<?> refundStatus(@RequestParam Map<String, String> request) {
        return answer("refund-status", request, () -> {
            String refId = request.getOrDefault("RefID", "");
            if (!SandboxSignatures.refundQuerySignature(refId, properties.merchantId(), properties.verifyKey())
                    .equalsIgnoreCase(request.getOrDefault("Signature", ""))) {
                return error("PR008", "Invalid signature");
            }
            List<Map<String, String>> rows = state.byTranId.values().stream()
                    .flatMap(transaction -> transaction.refunds.stream().filter(refund -> refund.refId().equals(refId))
                            .map(refund -> Map.of("RefundID", refund.refundId(), "TxnID", transaction.tranId,
                                    "Amount", refund.amount(), "Status", "00".equals(refund.status()) ? "success"
                                            : "11".equals(refund.status()) ? "rejected" : "pending")))
                    .collect(Collectors.toList());
            return ResponseEntity.ok(rows);
        });
    }

    @PostMapping("/RMS/query/q_by_oid.php")
    ResponseEntity<?> queryByOrder(@RequestParam Map<String, String> request) {
        return answer("query-order", request, () -> {
            String orderId = request.getOrDefault("oID", "");
            String amount = request.getOrDefault("amount", "");
            if (!SandboxSignatures.queryByOrderSkey(orderId, properties.merchantId(), properties.verifyKey(), amount)
                    .equalsIgnoreCase(request.getOrDefault("skey", ""))) {
                return queryError("12", "invalid skey");
            }
            return statusAnswer(state.byOrderId.get(orderId), orderId, true);
        });
    }

    /** Status of one transaction by its tranID (q_by_tid): skey md5(txID + domain + vk + amount); VrfKey over the TranID. */
    @PostMapping("/RMS/q_by_tid.php")
    ResponseEntity<?> queryByTransaction(@RequestParam Map<String, String> request) {
        return answer("query-transaction", request, () -> {
            String tranId = request.getOrDefault("txID", "");
            String amount = request.getOrDefault("amount", "");
            if (!SandboxSignatures.queryByTransactionSkey(tranId, properties.merchantId(), properties.verifyKey(), amount)
                    .equalsIgnoreCase(request.getOrDefault("skey", ""))) {
                return queryError("12", "invalid skey");
            }
            return statusAnswer(state.byTranId.get(tranId), tranId, false);
        });
    }

    /**
     * Every transaction of an order (q_oid_batch): skey md5(oID + domain + vk); tab-separated rows under a header
     * line, each row signed like a q_by_tid answer (VrfKey over its TranID). FIUU.md gives the call and the
     * tab-separated form but not the columns [U]: these are q_by_tid's fields.
     */
    @PostMapping(value = "/RMS/query/q_oid_batch.php", produces = MediaType.TEXT_PLAIN_VALUE)
    ResponseEntity<?> queryOrderBatch(@RequestParam Map<String, String> request) {
        return answer("query-order-batch", request, () -> {
            String orderId = request.getOrDefault("oID", "");
            SandboxState.Faults faults = state.faults();
            if (!SandboxSignatures.queryOrderBatchSkey(orderId, properties.merchantId(), properties.verifyKey())
                    .equalsIgnoreCase(request.getOrDefault("skey", ""))) {
                return ResponseEntity.ok().contentType(MediaType.TEXT_PLAIN).body("ErrorCode\tErrorDesc\n12\tinvalid skey\n");
            }
            if (faults.queryErrorCode() != null && !faults.queryErrorCode().isBlank()) {
                return ResponseEntity.ok().contentType(MediaType.TEXT_PLAIN)
                        .body("ErrorCode\tErrorDesc\n" + faults.queryErrorCode() + "\terror (fault injected)\n");
            }
            StringBuilder rows = new StringBuilder("StatCode\tStatName\tTranID\tOrderID\tAmount\tCurrency\tDomain\tVrfKey\n");
            state.byTranId.values().stream().filter(transaction -> transaction.orderId.equals(orderId))
                    .sorted(java.util.Comparator.comparing(transaction -> Long.parseLong(transaction.tranId)))
                    .forEach(transaction -> rows.append(String.join("\t", transaction.statusCode(), transaction.statName(),
                            transaction.tranId, transaction.orderId, transaction.amount, transaction.currency,
                            properties.merchantId(), faults.unsignedQueryAnswers() ? "" : SandboxSignatures.queryVrfKey(
                                    transaction.amount, properties.secretKey(), properties.merchantId(), transaction.tranId,
                                    transaction.statusCode()))).append('\n'));
            return ResponseEntity.ok().contentType(MediaType.TEXT_PLAIN).body(rows.toString());
        });
    }

    private ResponseEntity<?> statusAnswer(SandboxState.Transaction transaction, String id, boolean byOrder) {
        SandboxState.Faults faults = state.faults();
        if (faults.queryErrorCode() != null && !faults.queryErrorCode().isBlank()) {
            return queryError(faults.queryErrorCode(), "error (fault injected)");
        }
        Map<String, String> body = new LinkedHashMap<>();
        if (transaction == null) {
            body.put(byOrder ? "OrderID" : "TranID", id);
            body.put("StatCode", "");
            body.put("ErrorCode", "17");
            body.put("ErrorDesc", "transaction not found");
            return ResponseEntity.ok(body);
        }
        String code = transaction.statusCode();
        body.put("StatCode", code);
        body.put("StatName", transaction.statName());
        body.put("TranID", transaction.tranId);
        body.put("OrderID", transaction.orderId);
        body.put("Amount", transaction.amount);
        body.put("Currency", transaction.currency);
        body.put("Domain", properties.merchantId());
        body.put("Channel", "credit");
        body.put("BillingDate", transaction.paydate);
        if (!faults.unsignedQueryAnswers()) {
            body.put("VrfKey", SandboxSignatures.queryVrfKey(transaction.amount, properties.secretKey(),
                    properties.merchantId(), byOrder ? transaction.orderId : transaction.tranId, code));
        }
        return ResponseEntity.ok(body);
    }

    private static ResponseEntity<?> queryError(String code, String description) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("StatCode", "");
        body.put("ErrorCode", code);
        body.put("ErrorDesc", description);
        return ResponseEntity.ok(body);
    }

    private static boolean namesTransaction(Map<String, String> request, String tranId) {
        return tranId.equals(request.get("tranID")) || tranId.equals(request.get("txnID"))
                || tranId.equals(request.get("TxnID")) || tranId.equals(request.get("txID"));
    }

    private static ResponseEntity<?> error(String code, String description) {
        return ResponseEntity.ok(Map.of("error_code", code, "error_desc", description));
    }

    /** Logs the call and applies the injected faults around the real answer. */
    private ResponseEntity<?> answer(String name, Map<String, String> request, java.util.function.Supplier<ResponseEntity<?>> real) {
        SandboxState.Faults faults = state.faults();
        String slow = faults.slowTransaction();
        if (faults.latencyMillis() > 0 && (slow == null || slow.isBlank() || namesTransaction(request, slow))) {
            try {
                Thread.sleep(faults.latencyMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (state.takeFailure()) {
            state.calls.add(new SandboxState.Call(name, Map.copyOf(request), 503, "", System.currentTimeMillis()));
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).body("service unavailable (fault injected)");
        }
        String refused = faults.refuseTransaction();
        if (refused != null && !refused.isBlank() && namesTransaction(request, refused)) {
            state.calls.add(new SandboxState.Call(name, Map.copyOf(request), 400, "", System.currentTimeMillis()));
            return ResponseEntity.badRequest().contentType(MediaType.TEXT_HTML).body("<h1>400 Bad Request</h1>");
        }
        ResponseEntity<?> response = real.get();
        String code = response.getBody() instanceof Map<?, ?> body
                ? String.valueOf(body.containsKey("StatCode") ? body.get("StatCode")
                        : body.containsKey("error_code") ? body.get("error_code") : body.get("Status"))
                : String.valueOf(response.getBody()).replaceAll("(?s).*StatCode=(\\d+).*", "$1");
        if (state.takeLostAnswer()) {
            // done, but the answer never reaches the merchant
            state.calls.add(new SandboxState.Call(name, Map.copyOf(request), 503, code, System.currentTimeMillis()));
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).body("service unavailable (answer lost, fault injected)");
        }
        state.calls.add(new SandboxState.Call(name, Map.copyOf(request), response.getStatusCode().value(), code,
                System.currentTimeMillis()));
        return response;
    }
}
