package io.payledger.saga.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpClient;
import java.time.Duration;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientResponseException;

/**
 * command-service's internal API, which turns each report of what Fiuu said into a command. Every
 * report is idempotent there: one sent twice changes nothing.
 */
@Component
class CommandServiceClient {

    /** How command-service took a report. */
    enum Result {
        /** accepted, or already known */
        REPORTED,
        /** 409: the payment's record contradicts it; the record is the truth, so it is settled as refused and alerted */
        REFUSED,
        /** 400, 404, 422: command-service cannot act on it as sent; sending it again will not help, a person must look */
        UNDELIVERABLE
    }

    /** What command-service answered, with its problem detail when it gave one. */
    record Answer(Result result, int status, String code, String detail) { }

    /** A 409 that is not about the report at all: the payment changed under it (another replica, a merchant's command). */
    static final class ConcurrentChange extends RuntimeException {
        ConcurrentChange(String detail) {
            super("the payment changed concurrently: " + detail);
        }
    }

    private final RestClient http;
    private final GatewayToken token;

    CommandServiceClient(CommandServiceProperties properties, GatewayToken token) {
        JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory(
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build());
        requests.setReadTimeout(Duration.ofSeconds(10));
        this.http = RestClient.builder().baseUrl(properties.url()).requestFactory(requests).build();
        this.token = token;
    }

    /**
     * @throws RuntimeException when command-service did not take the report and it must be sent again: it was
     *         unreachable, answered 5xx, 401/403 (a token or configuration to fix), 429, or a 409 saying the payment
     *         changed concurrently
     */
    Answer report(String paymentId, String outcome, String jsonBody) {
        try {
            http.post().uri("/internal/v1/payments/{id}" + outcome, paymentId)
                    .header("Authorization", "Bearer " + token.bearer())
                    .contentType(MediaType.APPLICATION_JSON).body(jsonBody).retrieve().toBodilessEntity();
            return new Answer(Result.REPORTED, 200, null, null);
        } catch (RestClientResponseException refused) {
            int status = refused.getStatusCode().value();
            JsonNode problem = problemOf(refused);
            String code = problem.path("code").asText("");
            String detail = problem.path("detail").asText(refused.getStatusText());
            if (status == 409 && (code.equals("concurrent-modification") || code.startsWith("idempotency-key"))) {
                throw new ConcurrentChange(detail);
            }
            if (status == 409) {
                return new Answer(Result.REFUSED, status, code, detail);
            }
            if (status == 400 || status == 404 || status == 422) {
                return new Answer(Result.UNDELIVERABLE, status, code, detail);
            }
            throw refused;
        }
    }

    private static JsonNode problemOf(RestClientResponseException answer) {
        try {
            JsonNode body = JSON.readTree(answer.getResponseBodyAsString());
            return body == null ? JSON.createObjectNode() : body;
        } catch (java.io.IOException notJson) {
            return JSON.createObjectNode();
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
}
