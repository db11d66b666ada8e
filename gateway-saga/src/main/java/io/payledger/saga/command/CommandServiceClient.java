package io.payledger.saga.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;

/**
 * command-service's internal API, which turns each report of what Fiuu said into a command, many payments' reports
 * per request. Every report is idempotent there: one sent twice changes nothing.
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
        UNDELIVERABLE,
        /**
         * not taken, and saying nothing about the report: 5xx, 429, or a 409 saying the payment changed concurrently;
         * it is sent again after a backoff
         */
        AGAIN
    }

    /** One report as the outbox holds it: the payment, its path below {@code /internal/v1/payments/{id}}, its body. */
    record Report(String paymentId, String outcome, String jsonBody) { }

    /** What command-service answered, with its problem detail when it gave one. */
    record Answer(Result result, int status, String code, String detail) { }

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
     * Sends many payments' reports in one request; command-service takes each on its own, as its single request, and
     * answers each. Never two reports of one payment in a batch: their order would then be command-service's.
     *
     * @return an answer per report, in the order sent
     * @throws RuntimeException when the batch as a whole was not taken (unreachable, 5xx, 401/403, 429, or a
     *         command-service without the batch endpoint): every report in it must be sent again
     */
    List<Answer> reportAll(List<Report> reports) {
        ObjectNode batch = JSON.createObjectNode();
        ArrayNode items = batch.putArray("reports");
        for (Report report : reports) {
            ObjectNode item = items.addObject().put("paymentId", report.paymentId()).put("outcome", report.outcome());
            item.set("body", bodyOf(report.jsonBody()));
        }
        JsonNode answered = http.post().uri("/internal/v1/payment-reports")
                .header("Authorization", "Bearer " + token.bearer())
                .contentType(MediaType.APPLICATION_JSON).body(batch.toString()).retrieve().body(JsonNode.class);
        JsonNode answers = answered == null ? JSON.missingNode() : answered.path("answers");
        if (!answers.isArray() || answers.size() != reports.size()) {
            throw new IllegalStateException("command-service answered " + answers.size() + " of " + reports.size()
                    + " reports; all are sent again");
        }
        List<Answer> taken = new ArrayList<>(reports.size());
        for (JsonNode answer : answers) {
            taken.add(answerOf(answer.path("status").asInt(500), answer.path("code").asText(""),
                    answer.path("detail").asText("")));
        }
        return taken;
    }

    /** What one status and problem code mean for a report, the same for a single request and a report in a batch. */
    static Answer answerOf(int status, String code, String detail) {
        if (status >= 200 && status < 300) {
            return new Answer(Result.REPORTED, status, null, null);
        }
        if (status == 409 && (code.equals("concurrent-modification") || code.startsWith("idempotency-key"))) {
            return new Answer(Result.AGAIN, status, code, "the payment changed concurrently: " + detail);
        }
        if (status == 409) {
            return new Answer(Result.REFUSED, status, code, detail);
        }
        if (status == 400 || status == 404 || status == 422) {
            return new Answer(Result.UNDELIVERABLE, status, code, detail);
        }
        return new Answer(Result.AGAIN, status, code, detail);
    }

    private static JsonNode bodyOf(String jsonBody) {
        if (jsonBody == null || jsonBody.isBlank()) {
            return JSON.nullNode();
        }
        try {
            return JSON.readTree(jsonBody);
        } catch (java.io.IOException unreadable) {
            // sent as it is: command-service answers it as unreadable, and the report is dead-lettered for a person
            return JSON.getNodeFactory().textNode(jsonBody);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
}
