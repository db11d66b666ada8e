package io.payledger.saga.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientResponseException;

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
        /** 400, 404, 413, 422: command-service cannot act on it as sent; sending it again will not help, a person must look */
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

    /** How long command-service may take a batch: a report not begun by then is answered 503 and sent again. */
    static final Duration ANSWER_WITHIN = Duration.ofSeconds(5);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(10);
    private static final Logger log = LoggerFactory.getLogger(CommandServiceClient.class);

    private final RestClient http;
    private final GatewayToken token;
    private final AtomicBoolean warnedNoBatches = new AtomicBoolean();

    CommandServiceClient(CommandServiceProperties properties, GatewayToken token) {
        JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory(
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build());
        requests.setReadTimeout(READ_TIMEOUT);
        this.http = RestClient.builder().baseUrl(properties.url()).requestFactory(requests).build();
        this.token = token;
    }

    /**
     * Sends many payments' reports in one request; command-service takes each on its own, as its single request, and
     * answers each. Never two reports of one payment in a batch: their order would then be command-service's.
     * <p>
     * A batch refused as a whole for what it holds (400, 413, 422) is split and its halves sent, down to the one
     * report that is refused: that report gets the refusal as its answer and its neighbours are taken. A
     * command-service without the batch endpoint (403, 404, 405: an older version during a rollout or a rollback) is
     * sent each report as its single request.
     *
     * @return an answer per report, in the order sent
     * @throws RuntimeException when the batch as a whole was not taken (unreachable, timed out, 5xx, 401, 429, or an
     *         answer that does not match the batch): every report in it must be sent again
     */
    List<Answer> reportAll(List<Report> reports) {
        ObjectNode batch = JSON.createObjectNode().put("answerWithinMillis", ANSWER_WITHIN.toMillis());
        ArrayNode items = batch.putArray("reports");
        for (Report report : reports) {
            ObjectNode item = items.addObject().put("paymentId", report.paymentId()).put("outcome", report.outcome());
            item.set("body", bodyOf(report.jsonBody()));
        }
        JsonNode answered;
        try {
            answered = http.post().uri("/internal/v1/payment-reports")
                    .header("Authorization", "Bearer " + token.bearer())
                    .contentType(MediaType.APPLICATION_JSON).body(batch.toString()).retrieve().body(JsonNode.class);
        } catch (RestClientResponseException refused) {
            int status = refused.getStatusCode().value();
            if (status == 400 || status == 413 || status == 422) {
                return reports.size() == 1 ? List.of(answerOf(refused)) : split(reports);
            }
            if (status == 403 || status == 404 || status == 405) {
                if (warnedNoBatches.compareAndSet(false, true)) {
                    log.warn("command-service answered {} to a batch of reports; sending them one request each", status);
                }
                return reports.stream().map(this::reportOne).toList();
            }
            throw refused;
        }
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

    private List<Answer> split(List<Report> reports) {
        int half = reports.size() / 2;
        List<Answer> answers = new ArrayList<>(reportAll(reports.subList(0, half)));
        answers.addAll(reportAll(reports.subList(half, reports.size())));
        return answers;
    }

    /**
     * One report as its own request, for a command-service without the batch endpoint.
     *
     * @throws RuntimeException when it was not taken and must be sent again (unreachable, timed out)
     */
    Answer reportOne(Report report) {
        try {
            http.post().uri("/internal/v1/payments/{id}" + report.outcome(), report.paymentId())
                    .header("Authorization", "Bearer " + token.bearer())
                    .contentType(MediaType.APPLICATION_JSON).body(report.jsonBody() == null ? "" : report.jsonBody())
                    .retrieve().toBodilessEntity();
            return answerOf(200, "", "");
        } catch (RestClientResponseException refused) {
            return answerOf(refused);
        }
    }

    private static Answer answerOf(RestClientResponseException refused) {
        JsonNode problem;
        try {
            problem = JSON.readTree(refused.getResponseBodyAsString());
        } catch (java.io.IOException notJson) {
            problem = null;
        }
        JsonNode fields = problem == null ? JSON.missingNode() : problem;
        return answerOf(refused.getStatusCode().value(), fields.path("code").asText(""),
                fields.path("detail").asText(refused.getStatusText()));
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
        if (status == 400 || status == 404 || status == 413 || status == 422) {
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
