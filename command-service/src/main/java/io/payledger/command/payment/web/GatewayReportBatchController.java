package io.payledger.command.payment.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Valid;
import jakarta.validation.Validator;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Many gateway reports in one request, each answered on its own exactly as its single request
 * ({@code /internal/v1/payments/{id}/...}) would be: same validation, same command, same status and problem code.
 * One request carries many payments' reports, so gateway-saga pays for a request, its authentication and its
 * connection once per batch rather than once per report.
 * <p>
 * Each report is its own command in its own transaction, taken in the order sent, and one report's refusal changes
 * nothing for the others. The batch says nothing about order between payments; a payment's own order is the
 * sender's: gateway-saga never puts two reports of one payment in the same batch.
 */
@RestController
class GatewayReportBatchController {

    /** One report: the path it has as a single request, below {@code /internal/v1/payments/{paymentId}}, and its body. */
    record Report(@NotBlank @Size(max = 64) String paymentId, @NotBlank @Size(max = 200) String outcome, JsonNode body) { }

    record Batch(@NotNull @Size(min = 1, max = 100) List<@NotNull @Valid Report> reports) { }

    /** How one report was taken: 200, or the status and problem its single request would have answered. */
    record Answer(int status, String code, String detail) {

        static final Answer TAKEN = new Answer(200, null, null);
    }

    record Answers(List<Answer> answers) { }

    private final GatewayOutcomeController outcomes;
    private final ObjectMapper json;
    private final Validator validator;
    private final ProblemResponses problems;

    GatewayReportBatchController(GatewayOutcomeController outcomes, ObjectMapper json, Validator validator,
                                 ProblemResponses problems) {
        this.outcomes = outcomes;
        this.json = json;
        this.validator = validator;
        this.problems = problems;
    }

    @PostMapping("/internal/v1/payment-reports")
    Answers report(@Valid @RequestBody Batch batch) {
        List<Answer> answers = new ArrayList<>(batch.reports().size());
        for (Report report : batch.reports()) {
            answers.add(take(report));
        }
        return new Answers(answers);
    }

    private Answer take(Report report) {
        try {
            dispatch(report);
            return Answer.TAKEN;
        } catch (NoSuchReport unknown) {
            return new Answer(404, unknown.code, unknown.getMessage());
        } catch (Exception failed) {
            ProblemDetail problem = problems.problemFor(failed);
            Object code = problem.getProperties() == null ? null : problem.getProperties().get("code");
            return new Answer(problem.getStatus(), code == null ? null : code.toString(), problem.getDetail());
        }
    }

    private void dispatch(Report report) {
        PaymentId id = id(report.paymentId(), PaymentId::of, "payment-not-found", "no such id");
        String outcome = report.outcome();
        JsonNode body = report.body();
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
            RefundId refund = id(path[2], RefundId::of, "payment-not-found", "no such refundId");
            switch (path[3]) {
                case "success" -> outcomes.refundSucceeded(id, refund, bind(body, RefundSuccess.class));
                case "failure" -> outcomes.refundFailed(id, refund, bind(body, Failure.class));
                default -> throw new NoSuchReport(outcome);
            }
            return;
        }
        if (path.length == 4 && path[1].equals("unexpected-charges") && path[3].equals("released") && !path[2].isBlank()) {
            outcomes.chargeReleased(id, path[2], bind(body, ChargeReleased.class));
            return;
        }
        throw new NoSuchReport(outcome);
    }

    private <T> T bind(JsonNode body, Class<T> type) {
        T value;
        try {
            value = json.treeToValue(body == null || body.isNull() ? json.createObjectNode() : body, type);
        } catch (JsonProcessingException | IllegalArgumentException unreadable) {
            throw new BadRequest("malformed-request",
                    "the body is not the JSON this report takes (amounts are whole numbers of minor units)");
        }
        Set<ConstraintViolation<T>> violations = validator.validate(value);
        if (!violations.isEmpty()) {
            throw new ConstraintViolationException(violations);
        }
        return value;
    }

    /** An id that cannot exist names nothing, as in a single request's path. */
    private static <I> I id(String raw, java.util.function.Function<String, I> parse, String code, String detail) {
        try {
            return parse.apply(raw);
        } catch (IllegalArgumentException | NullPointerException invalid) {
            throw new NoSuchReport(code, detail);
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
}
