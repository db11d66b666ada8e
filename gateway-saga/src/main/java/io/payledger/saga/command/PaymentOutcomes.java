package io.payledger.saga.command;

import io.payledger.events.money.Money;
import io.payledger.events.payment.PaymentId;
import io.payledger.events.payment.RefundId;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientResponseException;

/**
 * Reports what Fiuu said to command-service's internal API, which turns each report into a
 * command. Every report is idempotent there, so a report sent twice (after a retry, or because a
 * notification and a re-query said the same thing) changes nothing. A report the payment's record
 * contradicts (409) is logged and dropped: the record is the truth, and out-of-order news never
 * moves a payment backwards. Anything else that fails is thrown, so the caller retries.
 */
@Component
public class PaymentOutcomes {

    private static final Logger log = LoggerFactory.getLogger(PaymentOutcomes.class);

    private final RestClient http;
    private final GatewayToken token;

    PaymentOutcomes(CommandServiceProperties properties, GatewayToken token) {
        JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory(
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build());
        requests.setReadTimeout(Duration.ofSeconds(10));
        this.http = RestClient.builder().baseUrl(properties.url()).requestFactory(requests).build();
        this.token = token;
    }

    public void checkoutPrepared(PaymentId payment, String redirectUrl) {
        report(payment, "/checkout", Map.of("redirectUrl", redirectUrl));
    }

    public void authorised(PaymentId payment, Money amount, String tranId) {
        report(payment, "/authorisation", body("amount", amount.amount(), "currency", amount.currency(),
                "gatewayTransactionId", tranId));
    }

    public void authorisationFailed(PaymentId payment, String tranId, String code, String reason) {
        report(payment, "/authorisation-failure", body("gatewayTransactionId", tranId, "reasonCode", code, "reason", reason));
    }

    public void captured(PaymentId payment, String tranId) {
        report(payment, "/capture", body("gatewayTransactionId", tranId));
    }

    public void captureFailed(PaymentId payment, String code, String reason) {
        report(payment, "/capture-failure", body("reasonCode", code, "reason", reason));
    }

    public void voided(PaymentId payment) {
        report(payment, "/void", Map.of());
    }

    public void voidFailed(PaymentId payment, String code, String reason) {
        report(payment, "/void-failure", body("reasonCode", code, "reason", reason));
    }

    public void refundSucceeded(PaymentId payment, RefundId refund, String gatewayRefundId) {
        report(payment, "/refunds/" + refund + "/success", body("gatewayRefundId", gatewayRefundId));
    }

    public void refundFailed(PaymentId payment, RefundId refund, String code, String reason) {
        report(payment, "/refunds/" + refund + "/failure", body("reasonCode", code, "reason", reason));
    }

    public void expired(PaymentId payment) {
        report(payment, "/expiry", Map.of());
    }

    private void report(PaymentId payment, String outcome, Map<String, Object> body) {
        try {
            http.post().uri("/internal/v1/payments/{id}" + outcome, payment.value())
                    .header("Authorization", "Bearer " + token.bearer())
                    .contentType(MediaType.APPLICATION_JSON).body(body).retrieve().toBodilessEntity();
        } catch (RestClientResponseException refused) {
            if (refused.getStatusCode().value() == 409) {
                log.warn("payment {} refused the report {}: {}", payment, outcome, refused.getResponseBodyAsString());
                return;
            }
            throw refused;
        }
    }

    /** A JSON body without the fields that are null. */
    private static Map<String, Object> body(Object... pairs) {
        Map<String, Object> body = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i + 1] != null) {
                body.put((String) pairs[i], pairs[i + 1]);
            }
        }
        return body;
    }
}
