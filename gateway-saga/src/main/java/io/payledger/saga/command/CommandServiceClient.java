package io.payledger.saga.command;

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
        /** 409: the payment's record contradicts it; the record is the truth, so the report is dropped */
        REFUSED
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

    /** @throws RuntimeException when command-service did not take the report: it must be sent again */
    Result report(String paymentId, String outcome, String jsonBody) {
        try {
            http.post().uri("/internal/v1/payments/{id}" + outcome, paymentId)
                    .header("Authorization", "Bearer " + token.bearer())
                    .contentType(MediaType.APPLICATION_JSON).body(jsonBody).retrieve().toBodilessEntity();
            return Result.REPORTED;
        } catch (RestClientResponseException refused) {
            if (refused.getStatusCode().value() == 409) {
                return Result.REFUSED;
            }
            throw refused;
        }
    }
}
