package io.payledger.saga.fiuu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryRegistry;
import io.payledger.events.money.Money;
import io.payledger.saga.fiuu.FiuuAnswers.CaptureOutcome;
import io.payledger.saga.fiuu.FiuuAnswers.PaymentOutcome;
import io.payledger.saga.fiuu.FiuuAnswers.RefundOutcome;
import io.payledger.saga.fiuu.FiuuAnswers.VoidOutcome;
import java.io.IOException;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;
import org.springframework.web.client.RestClientResponseException;

/**
 * Fiuu's merchant APIs: capture, reversal, refund, refund status and status query. Form posts
 * signed with {@link FiuuSignatures}; answers parsed liberally (JSON or Key=Value text; TxnID or
 * TranID; refund statuses as codes or words) and verified before they are believed. Every call
 * runs in a bulkhead, behind a circuit breaker, with retries (exponential backoff and jitter) on
 * transient failures only; all three are configured as "fiuu" and exported as metrics.
 */
@Component
public class FiuuClient {

    private static final Logger log = LoggerFactory.getLogger(FiuuClient.class);
    private static final Set<String> TRANSIENT_REFUND_ERRORS = Set.of("PR015");
    private static final Set<String> REVERSAL_CODES = Set.of("00", "11", "12", "13", "14", "15", "16", "17", "18", "19",
            "20", "21");
    /** How the sandbox and, as far as FIUU.md knows, Fiuu say a status query found no transaction. */
    private static final String NOT_FOUND = "17";

    private final FiuuProperties fiuu;
    private final RestClient http;
    private final ObjectMapper json = new ObjectMapper();
    private final CircuitBreaker circuitBreaker;
    private final Retry retry;
    private final Bulkhead bulkhead;

    public FiuuClient(FiuuProperties fiuu, CircuitBreakerRegistry circuitBreakers, RetryRegistry retries,
                      BulkheadRegistry bulkheads) {
        this.fiuu = fiuu;
        JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory(
                HttpClient.newBuilder().connectTimeout(fiuu.timeout()).build());
        requests.setReadTimeout(fiuu.timeout());
        this.http = RestClient.builder().baseUrl(fiuu.apiUrl()).requestFactory(requests).build();
        this.circuitBreaker = circuitBreakers.circuitBreaker("fiuu");
        this.retry = retries.retry("fiuu");
        this.bulkhead = bulkheads.bulkhead("fiuu");
    }

    public FiuuAnswers.Capture capture(String tranId, Money amount) {
        String wireAmount = FiuuAmounts.toWire(amount);
        Map<String, String> answer = parse(post("/RMS/API/capstxn/index.php", form(
                "domain", fiuu.merchantId(), "tranID", tranId, "amount", wireAmount,
                "skey", FiuuSignatures.captureSkey(tranId, wireAmount, fiuu.merchantId(), fiuu.verifyKey()))));
        String statCode = answer.getOrDefault("StatCode", "");
        verifyResponse(answer, firstOf(answer, "TranID", "TxnID", tranId), statCode);
        CaptureOutcome outcome = switch (statCode) {
            case "00", "24" -> CaptureOutcome.CAPTURED;   // 24: already captured, the capture stands
            case "22" -> CaptureOutcome.PENDING;
            case "20", "99" -> throw new FiuuUnavailable("capture answered " + statCode);
            case "11", "12", "13", "15", "16", "17", "18", "19", "21", "23", "25" -> CaptureOutcome.REFUSED;
            default -> throw new FiuuUnexpectedAnswer("capture of " + tranId + " answered StatCode '" + statCode
                    + "', which Fiuu does not document");
        };
        return new FiuuAnswers.Capture(outcome, statCode);
    }

    public FiuuAnswers.Void reverse(String tranId) {
        Map<String, String> answer = parse(post("/RMS/API/refundAPI/refund.php", form(
                "txnID", tranId, "domain", fiuu.merchantId(),
                "skey", FiuuSignatures.reversalSkey(tranId, fiuu.merchantId(), fiuu.secretKey()))));
        String statCode = answer.getOrDefault("StatCode", "");
        verifyResponse(answer, firstOf(answer, "TxnID", "TranID", tranId), statCode);
        if (!REVERSAL_CODES.contains(statCode)) {
            throw new FiuuUnexpectedAnswer("reversal of " + tranId + " answered StatCode '" + statCode
                    + "', which Fiuu does not document");
        }
        // anything but 00 may still mean "already reversed" (a retry whose first answer was lost): the caller asks
        return new FiuuAnswers.Void("00".equals(statCode) ? VoidOutcome.VOIDED : VoidOutcome.REFUSED, statCode);
    }

    public FiuuAnswers.Refund refund(String refId, String tranId, Money amount) {
        String wireAmount = FiuuAmounts.toWire(amount);
        Map<String, String> answer = parse(post("/RMS/API/refundAPI/index.php", form(
                "RefundType", "P", "MerchantID", fiuu.merchantId(), "RefID", refId, "TxnID", tranId,
                "Amount", wireAmount, "Signature", FiuuSignatures.refundSignature("P", fiuu.merchantId(), refId,
                        tranId, wireAmount, fiuu.secretKey()))));
        String error = answer.get("error_code");
        if (error != null) {
            if ("PR016".equals(error)) {
                return new FiuuAnswers.Refund(RefundOutcome.DUPLICATE, error, null);
            }
            if (TRANSIENT_REFUND_ERRORS.contains(error)) {
                throw new FiuuUnavailable("refund answered " + error);
            }
            return new FiuuAnswers.Refund(RefundOutcome.REJECTED, error, null);
        }
        String status = answer.getOrDefault("Status", "");
        String expected = FiuuSignatures.refundResponseSignature(answer.getOrDefault("RefundType", "P"),
                answer.getOrDefault("MerchantID", fiuu.merchantId()), answer.getOrDefault("RefID", refId),
                answer.getOrDefault("RefundID", ""), answer.getOrDefault("TxnID", tranId),
                answer.getOrDefault("Amount", wireAmount), status, fiuu.secretKey());
        if (!FiuuSignatures.matches(expected, answer.get("Signature"))) {
            throw new FiuuUnavailable("refund answer for " + refId + " is not signed by Fiuu");
        }
        return new FiuuAnswers.Refund(refundOutcome(status), status, answer.get("RefundID"));
    }

    /** The state of a refund we asked for, by our RefID. */
    public FiuuAnswers.Refund refundStatus(String refId) {
        String body = post("/RMS/API/refundAPI/q_by_refID.php", form("RefID", refId, "MerchantID", fiuu.merchantId(),
                "Signature", FiuuSignatures.refundStatusSignature(refId, fiuu.merchantId(), fiuu.verifyKey())));
        try {
            JsonNode rows = json.readTree(body);
            if (rows == null || (rows.isObject() && rows.has("error_code"))) {
                // an error is not an answer: PR008 (signature), PR002... say nothing of the refund
                throw new FiuuUnavailable("refund status for " + refId + " answered an error: "
                        + (rows == null ? "nothing" : rows.path("error_code").asText()));
            }
            JsonNode row = rows.isArray() ? (rows.isEmpty() ? null : rows.get(rows.size() - 1)) : rows;
            if (row == null || row.path("Status").isMissingNode()) {
                return new FiuuAnswers.Refund(RefundOutcome.PENDING, "unknown", null);
            }
            return new FiuuAnswers.Refund(refundOutcome(row.path("Status").asText()), row.path("Status").asText(),
                    row.path("RefundID").asText(null));
        } catch (IOException e) {
            throw new FiuuUnavailable("refund status answer is not JSON", e);
        }
    }

    /** What Fiuu knows of an order's latest transaction (q_by_oid, JSON answer), verified with VrfKey over the OrderID. */
    public FiuuAnswers.Status queryOrder(String orderId, Money amount) {
        String wireAmount = FiuuAmounts.toWire(amount);
        Map<String, String> answer = parse(post("/RMS/query/q_by_oid.php", form(
                "oID", orderId, "domain", fiuu.merchantId(), "amount", wireAmount, "type", "2",
                "skey", FiuuSignatures.queryByOrderSkey(orderId, fiuu.merchantId(), fiuu.verifyKey(), wireAmount))));
        return status(answer, "order " + orderId, answer.getOrDefault("OrderID", orderId), amount);
    }

    /**
     * Every transaction Fiuu has under an order (q_oid_batch: tab-separated rows under a header line, each signed
     * like a q_by_tid answer); a customer may have paid an order more than once. An error, or any row whose VrfKey
     * does not verify, makes the whole answer untrusted ({@link FiuuUnavailable}). The columns are q_by_tid's
     * fields: FIUU.md names the call and its tab-separated form, not its columns [U].
     */
    public List<FiuuAnswers.Status> queryOrderTransactions(String orderId, String currency) {
        String body = post("/RMS/query/q_oid_batch.php", form("oID", orderId, "domain", fiuu.merchantId(),
                "skey", FiuuSignatures.queryOrderBatchSkey(orderId, fiuu.merchantId(), fiuu.verifyKey())));
        String[] lines = body.strip().split("\\r?\\n");
        if (lines.length == 0 || lines[0].isBlank()) {
            return List.of();
        }
        String[] header = lines[0].split("\t", -1);
        List<FiuuAnswers.Status> transactions = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            String[] values = lines[i].split("\t", -1);
            Map<String, String> row = new HashMap<>();
            for (int column = 0; column < header.length && column < values.length; column++) {
                row.put(header[column].strip(), values[column].strip());
            }
            if (!row.containsKey("StatCode")) {
                throw new FiuuUnavailable("transactions of order " + orderId + " answered an error: "
                        + row.getOrDefault("ErrorCode", "?") + " " + row.getOrDefault("ErrorDesc", ""));
            }
            String tranId = row.getOrDefault("TranID", "");
            Money asked = Money.zero(row.getOrDefault("Currency", "").isBlank() ? currency : row.get("Currency"));
            FiuuAnswers.Status status = status(row, "transaction " + tranId + " of order " + orderId, tranId, asked);
            transactions.add(status);
        }
        return transactions;
    }

    /** What Fiuu knows of one transaction (q_by_tid, JSON answer), verified with VrfKey over the TranID. */
    public FiuuAnswers.Status queryTransaction(String tranId, Money amount) {
        String wireAmount = FiuuAmounts.toWire(amount);
        Map<String, String> answer = parse(post("/RMS/q_by_tid.php", form(
                "txID", tranId, "domain", fiuu.merchantId(), "amount", wireAmount, "type", "2",
                "skey", FiuuSignatures.queryByTransactionSkey(tranId, fiuu.merchantId(), fiuu.verifyKey(), wireAmount))));
        return status(answer, "transaction " + tranId, answer.getOrDefault("TranID", tranId), amount);
    }

    /**
     * A status answer, believed only as far as it proves itself. An error (a bad signature, a missing parameter,
     * too many queries) is not an answer, and neither is a status without a VrfKey that verifies: both are
     * {@link FiuuUnavailable}, never "no such payment". Only Fiuu's not-found error says that.
     */
    private FiuuAnswers.Status status(Map<String, String> answer, String what, String signedId, Money asked) {
        String statCode = answer.getOrDefault("StatCode", "").trim();
        if (statCode.isEmpty()) {
            String error = answer.getOrDefault("ErrorCode", "").trim();
            if (NOT_FOUND.equals(error)) {
                return new FiuuAnswers.Status(PaymentOutcome.UNKNOWN, "", "not found", null, null);
            }
            throw new FiuuUnavailable("status query for " + what + " answered an error: " + (error.isEmpty() ? "none given"
                    : error + " " + answer.getOrDefault("ErrorDesc", "")));
        }
        String answeredAmount = answer.getOrDefault("Amount", "");
        String expected = FiuuSignatures.queryVrfKey(answeredAmount, fiuu.secretKey(), answer.getOrDefault("Domain",
                fiuu.merchantId()), signedId, statCode);
        if (!FiuuSignatures.matches(expected, answer.get("VrfKey"))) {
            throw new FiuuUnavailable("status answer for " + what + " is not signed by Fiuu");
        }
        String statName = answer.getOrDefault("StatName", "").toLowerCase(Locale.ROOT);
        PaymentOutcome outcome = switch (statCode) {
            case "00" -> statName.equals("authorized") ? PaymentOutcome.AUTHORISED : PaymentOutcome.CAPTURED;
            case "11" -> PaymentOutcome.FAILED;
            // 22 "Unknown": Fiuu knows of no outcome, which for a checkout is a customer who never finished; counted
            // like "no such payment" towards expiry (a payment made after expiry is given back), never pending for ever
            case "22" -> statName.equals("unknown") ? PaymentOutcome.UNKNOWN : PaymentOutcome.PENDING;
            default -> throw new FiuuUnexpectedAnswer("status query for " + what + " answered StatCode '" + statCode
                    + "', which Fiuu does not document");
        };
        if (outcome != PaymentOutcome.FAILED && answer.getOrDefault("TranID", "").isBlank()) {
            throw new FiuuUnexpectedAnswer("status query for " + what + " answered " + statCode + " without a TranID");
        }
        String currency = answer.getOrDefault("Currency", "").isBlank() ? asked.currency() : answer.get("Currency").trim();
        Money money;
        try {
            money = answeredAmount.isBlank() ? asked : FiuuAmounts.fromWire(answeredAmount, currency);
        } catch (RuntimeException unreadable) {
            throw new FiuuUnexpectedAnswer("status query for " + what + " answered an amount of '" + answeredAmount
                    + "' in '" + currency + "'");
        }
        return new FiuuAnswers.Status(outcome, statCode, statName, answer.get("TranID"), money);
    }

    private static RefundOutcome refundOutcome(String status) {
        return switch (status.toLowerCase(Locale.ROOT)) {
            case "00", "success" -> RefundOutcome.SUCCEEDED;
            case "11", "rejected" -> RefundOutcome.REJECTED;
            default -> RefundOutcome.PENDING; // 22, pending, processing: find out later
        };
    }

    private void verifyResponse(Map<String, String> answer, String tranId, String statCode) {
        String received = answer.get("VrfKey");
        String domain = answer.getOrDefault("Domain", fiuu.merchantId());
        if (!FiuuSignatures.matches(FiuuSignatures.responseVrfKey(fiuu.secretKey(), domain, tranId, statCode), received)) {
            throw new FiuuUnavailable("answer for transaction " + tranId + " is not signed by Fiuu");
        }
    }

    private String post(String path, MultiValueMap<String, String> form) {
        Supplier<String> call = () -> {
            try {
                return http.post().uri(path).contentType(MediaType.APPLICATION_FORM_URLENCODED).body(form)
                        .retrieve().body(String.class);
            } catch (RestClientResponseException answered) {
                if (answered.getStatusCode().is5xxServerError() || answered.getStatusCode().value() == 429) {
                    throw new FiuuUnavailable("Fiuu answered " + answered.getStatusCode().value() + " on " + path, answered);
                }
                throw new FiuuRefusedRequest("Fiuu refused " + path + " with " + answered.getStatusCode().value());
            } catch (RestClientException unreachable) {
                throw new FiuuUnavailable("Fiuu did not answer " + path + ": " + unreachable.getMessage(), unreachable);
            }
        };
        try {
            // retry around the breaker around the bulkhead: each attempt counts for the breaker
            String body = Retry.decorateSupplier(retry, CircuitBreaker.decorateSupplier(circuitBreaker,
                    Bulkhead.decorateSupplier(bulkhead, call))).get();
            return body == null ? "" : body;
        } catch (FiuuUnavailable | FiuuUnexpectedAnswer known) {
            throw known;
        } catch (RuntimeException notPermitted) {
            log.warn("Fiuu call {} not made: {}", path, notPermitted.getMessage());
            throw new FiuuUnavailable("Fiuu call " + path + " not made: " + notPermitted.getMessage(), notPermitted);
        }
    }

    /** Fiuu answers JSON or Key=Value lines (reversal, gate-query); both become one map. */
    private Map<String, String> parse(String body) {
        Map<String, String> fields = new HashMap<>();
        String trimmed = body.trim();
        if (trimmed.startsWith("{")) {
            try {
                json.readTree(trimmed).fields().forEachRemaining(field -> fields.put(field.getKey(), field.getValue().asText()));
            } catch (IOException e) {
                throw new FiuuUnavailable("Fiuu answered malformed JSON", e);
            }
            return fields;
        }
        for (String line : trimmed.split("\\r?\\n")) {
            int separator = line.indexOf('=') >= 0 ? line.indexOf('=') : line.indexOf(':');
            if (separator > 0) {
                fields.put(line.substring(0, separator).trim(), line.substring(separator + 1).trim());
            }
        }
        return fields;
    }

    private static String firstOf(Map<String, String> answer, String key, String alternative, String fallback) {
        return answer.getOrDefault(key, answer.getOrDefault(alternative, fallback));
    }

    private static MultiValueMap<String, String> form(String... pairs) {
        MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            form.add(pairs[i], pairs[i + 1]);
        }
        return form;
    }

    /** Fiuu answered 4xx: our request itself is wrong, and sending it again will not help. */
    public static class FiuuRefusedRequest extends FiuuUnexpectedAnswer {
        public FiuuRefusedRequest(String message) {
            super(message);
        }
    }
}
