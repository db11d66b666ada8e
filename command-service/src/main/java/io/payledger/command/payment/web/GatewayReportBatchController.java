package io.payledger.command.payment.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.payledger.command.payment.web.GatewayOutcomeController.Attention;
import io.payledger.command.payment.web.GatewayOutcomeController.AttentionSettled;
import io.payledger.command.payment.web.GatewayOutcomeController.Authorisation;
import io.payledger.command.payment.web.GatewayOutcomeController.Capture;
import io.payledger.command.payment.web.GatewayOutcomeController.ChargeReleased;
import io.payledger.command.payment.web.GatewayOutcomeController.Checkout;
import io.payledger.command.payment.web.GatewayOutcomeController.Failure;
import io.payledger.command.payment.web.GatewayOutcomeController.RefundSuccess;
import io.payledger.command.web.BadRequest;
import io.payledger.command.web.ProblemResponses;
import io.payledger.events.payment.PaymentId;
import io.payledger.events.payment.RefundId;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriUtils;

/**
 * Many gateway reports in one request, each answered on its own with the status and problem code its single request
 * ({@code /internal/v1/payments/{id}/...}) answers: the same binding of its body, the same validation, the same
 * command. One request carries many payments' reports, so gateway-saga pays for a request, its authentication and
 * its connection once per batch rather than once per report.
 * <p>
 * Each report is its own command in its own transaction, taken in the order sent, and one report's refusal changes
 * nothing for the others. The batch says nothing about order between payments; a payment's own order is the
 * sender's: gateway-saga never puts two reports of one payment in the same batch.
 * <p>
 * The sender gives up on a batch after a while and sends its reports again; a report taken after that could land
 * after the payment's next report. So a batch says how long its sender waits ({@code answerWithinMillis}), and a
 * report not yet begun when that time is up is answered 503 {@code not-attempted} without being taken: the sender
 * resends it, and nothing of the batch is left running behind its back but the one report under way, as with a single
 * request that times out.
 * <p>
 * What is wrong with one report is that report's answer, never the batch's: a batch is refused as a whole (400) only
 * when it is not a list of 1 to {@value #MAX_REPORTS} reports at all.
 */
@RestController
class GatewayReportBatchController {

    static final int MAX_REPORTS = 100;
    private static final Duration DEFAULT_ANSWER_WITHIN = Duration.ofSeconds(5);
    private static final Duration LONGEST_ANSWER_WITHIN = Duration.ofSeconds(30);

    /**
     * The reports, each {@code {"paymentId", "outcome", "body"}}: its payment, its path below
     * {@code /internal/v1/payments/{paymentId}}, and the body its single request would carry. Items stay JSON until
     * each is taken, so one unreadable report is that report's 400, not the batch's.
     */
    record Batch(Long answerWithinMillis, List<JsonNode> reports) { }

    /** How one report was taken: 200, or the status and problem its single request would have answered. */
    record Answer(int status, String code, String detail) {

        static final Answer TAKEN = new Answer(200, null, null);
        static final Answer NOT_ATTEMPTED = new Answer(503, "not-attempted",
                "the batch's time ran out before this report was taken; it changed nothing and may be sent again");
    }

    record Answers(List<Answer> answers) { }

    private final GatewayOutcomeController outcomes;
    private final ObjectMapper json;
    private final Validator validator;
    private final ProblemResponses problems;
    private final MeterRegistry meters;
    private final Clock clock;

    @Autowired
    GatewayReportBatchController(GatewayOutcomeController outcomes, ObjectMapper json, Validator validator,
                                 ProblemResponses problems, MeterRegistry meters) {
        this(outcomes, json, validator, problems, meters, Clock.systemUTC());
    }

    GatewayReportBatchController(GatewayOutcomeController outcomes, ObjectMapper json, Validator validator,
                                 ProblemResponses problems, MeterRegistry meters, Clock clock) {
        this.outcomes = outcomes;
        this.json = json;
        this.validator = validator;
        this.problems = problems;
        this.meters = meters;
        this.clock = clock;
    }

    @PostMapping("/internal/v1/payment-reports")
    Answers report(@RequestBody Batch batch) {
        if (batch.reports() == null || batch.reports().isEmpty() || batch.reports().size() > MAX_REPORTS) {
            throw new BadRequest("malformed-request", "a batch holds 1 to " + MAX_REPORTS + " reports");
        }
        Instant deadline = clock.instant().plus(answerWithin(batch.answerWithinMillis()));
        List<Answer> answers = new ArrayList<>(batch.reports().size());
        for (JsonNode report : batch.reports()) {
            Answer answer = clock.instant().isAfter(deadline) ? Answer.NOT_ATTEMPTED : take(report);
            answers.add(answer);
            counted(report, answer);
        }
        return new Answers(answers);
    }

    private static Duration answerWithin(Long millis) {
        if (millis == null || millis <= 0) {
            return DEFAULT_ANSWER_WITHIN;
        }
        Duration asked = Duration.ofMillis(millis);
        return asked.compareTo(LONGEST_ANSWER_WITHIN) > 0 ? LONGEST_ANSWER_WITHIN : asked;
    }

    private Answer take(JsonNode report) {
        try {
            dispatch(report);
            return Answer.TAKEN;
        } catch (NoSuchReport unknown) {
            return new Answer(404, unknown.code, unknown.getMessage());
        } catch (InvalidReport invalid) {
            return new Answer(400, "validation-failed", invalid.getMessage());
        } catch (Exception failed) {
            ProblemDetail problem = problems.problemFor(failed);
            Object code = problem.getProperties() == null ? null : problem.getProperties().get("code");
            return new Answer(problem.getStatus(), code == null ? null : code.toString(), problem.getDetail());
        }
    }

    /**
     * Every report counted by its kind and its answer's status, as {@code http_server_requests} counts a single
     * request: a report answered 5xx inside a 200 batch still shows in the error-rate alert.
     */
    private void counted(JsonNode report, Answer answer) {
        Counter.builder("payledger.gateway.reports")
                .description("Gateway reports taken in batches, by kind and the status each was answered")
                .tag("outcome", kindOf(report.path("outcome").asText("")))
                .tag("status", Integer.toString(answer.status()))
                .register(meters).increment();
    }

    /** The kind of a report without its ids, so the counter's labels stay few. */
    static String kindOf(String outcome) {
        if (outcome.startsWith("/refunds/")) {
            return outcome.endsWith("/failure") ? "refund-failure" : "refund";
        }
        if (outcome.startsWith("/unexpected-charges/")) {
            return "unexpected-charge";
        }
        return switch (outcome) {
            case "/checkout", "/authorisation", "/authorisation-failure", "/capture", "/capture-failure", "/void",
                 "/void-failure", "/expiry", "/attention", "/attention/settled" -> outcome.substring(1);
            default -> "unknown";
        };
    }

    private void dispatch(JsonNode report) {
        if (!report.isObject() || !report.path("paymentId").isTextual() || !report.path("outcome").isTextual()) {
            throw new BadRequest("malformed-request", "a report is {\"paymentId\", \"outcome\", \"body\"}");
        }
        PaymentId id = id(report.get("paymentId").asText(), PaymentId::of, "no such id");
        String outcome = report.get("outcome").asText();
        JsonNode body = report.get("body");
        switch (outcome) {
            case "/checkout" -> outcomes.checkoutPrepared(id, bind(body, Checkout.class));
            case "/authorisation" -> outcomes.authorised(id, bind(body, Authorisation.class));
            case "/authorisation-failure" -> outcomes.authorisationFailed(id, bind(body, Failure.class));
            case "/capture" -> outcomes.captured(id, bind(body, Capture.class));
            case "/capture-failure" -> outcomes.captureFailed(id, bind(body, Failure.class));
            case "/void" -> outcomes.voided(id);
            case "/void-failure" -> outcomes.voidFailed(id, bind(body, Failure.class));
            case "/expiry" -> outcomes.expired(id);
            case "/attention" -> outcomes.attention(id, bind(body, Attention.class));
            case "/attention/settled" -> outcomes.attentionSettled(id, bind(body, AttentionSettled.class));
            default -> dispatchToPart(id, outcome, body);
        }
    }

    /** The reports that name a part of the payment: a refund, or a charge Fiuu took that nothing asked for. */
    private void dispatchToPart(PaymentId id, String outcome, JsonNode body) {
        String[] path = outcome.split("/", -1);
        if (path.length == 4 && path[1].equals("refunds")) {
            RefundId refund = id(decoded(path[2]), RefundId::of, "no such refundId");
            switch (path[3]) {
                case "success" -> outcomes.refundSucceeded(id, refund, bind(body, RefundSuccess.class));
                case "failure" -> outcomes.refundFailed(id, refund, bind(body, Failure.class));
                default -> throw new NoSuchReport(outcome);
            }
            return;
        }
        if (path.length == 4 && path[1].equals("unexpected-charges") && path[3].equals("released") && !path[2].isBlank()) {
            outcomes.chargeReleased(id, decoded(path[2]), bind(body, ChargeReleased.class));
            return;
        }
        throw new NoSuchReport(outcome);
    }

    /** A path segment as the single request's path variable would read it. */
    private static String decoded(String segment) {
        try {
            return UriUtils.decode(segment, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException undecodable) {
            throw new NoSuchReport("not-found", "no such report path segment");
        }
    }

    /** The body as its single request's {@code @Valid @RequestBody} binds it: a report without a body is malformed. */
    private <T> T bind(JsonNode body, Class<T> type) {
        if (body == null || body.isNull() || body.isMissingNode()) {
            throw new BadRequest("malformed-request", "this report takes a body");
        }
        T value;
        try {
            value = json.treeToValue(body, type);
        } catch (JsonProcessingException | IllegalArgumentException unreadable) {
            throw new BadRequest("malformed-request",
                    "the body is not the JSON this report takes (amounts are whole numbers of minor units)");
        }
        Set<ConstraintViolation<T>> violations = validator.validate(value);
        if (!violations.isEmpty()) {
            throw new InvalidReport(violations.stream()
                    .map(violation -> violation.getPropertyPath() + " " + violation.getMessage())
                    .sorted().collect(Collectors.joining("; ", "some fields are invalid: ", "")));
        }
        return value;
    }

    /** An id that cannot exist names nothing, as in a single request's path. */
    private static <I> I id(String raw, Function<String, I> parse, String detail) {
        try {
            return parse.apply(raw);
        } catch (IllegalArgumentException | NullPointerException invalid) {
            throw new NoSuchReport("payment-not-found", detail);
        }
    }

    /** Nothing answers at this path: the single request would have been a 404 too. */
    private static final class NoSuchReport extends RuntimeException {

        private final String code;

        NoSuchReport(String outcome) {
            this("not-found", "no such report: " + outcome);
        }

        NoSuchReport(String code, String detail) {
            super(detail);
            this.code = code;
        }
    }

    /** The body was read but breaks its constraints: the single request's 400 validation-failed. */
    private static final class InvalidReport extends RuntimeException {

        InvalidReport(String detail) {
            super(detail);
        }
    }
}
