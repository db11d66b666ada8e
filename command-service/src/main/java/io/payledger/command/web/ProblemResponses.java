package io.payledger.command.web;

import io.payledger.command.idempotency.IdempotencyKeyRefused;
import io.payledger.command.payment.PaymentCreations;
import io.payledger.command.payment.PaymentRefused;
import io.payledger.command.payment.Refusal;
import io.payledger.command.security.Caller;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.lang.Nullable;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every error as RFC 9457 problem JSON with a stable {@code code}; never a stack trace. Each
 * refusal maps to its status here and nowhere else.
 */
@RestControllerAdvice
public class ProblemResponses extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemResponses.class);
    private static final String TYPE_BASE = "https://payledger.io/problems/";

    /**
     * The problem a failure of one report in a batch answers, as the same failure of a single request would: the
     * batch endpoint answers each report on its own, so a refusal maps to the same status and code either way.
     */
    public ProblemDetail problemFor(Exception failure) {
        if (failure instanceof PaymentRefused refused) {
            return refused(refused);
        }
        if (failure instanceof IdempotencyKeyRefused refused) {
            return idempotencyKeyRefused(refused);
        }
        if (failure instanceof ConcurrencyException || failure instanceof AggregateStreamCreationException) {
            return concurrentModification(failure);
        }
        if (failure instanceof BadRequest bad) {
            return badRequest(bad);
        }
        return unexpected(failure);
    }

    @ExceptionHandler(PaymentRefused.class)
    ProblemDetail refused(PaymentRefused refused) {
        Refusal refusal = refused.refusal();
        HttpStatus status = switch (refusal.kind()) {
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
            case CONFLICT -> HttpStatus.CONFLICT;
            case UNPROCESSABLE -> HttpStatus.UNPROCESSABLE_ENTITY;
        };
        return problem(status, refusal.code(), refusal.title(), refused.getMessage());
    }

    @ExceptionHandler(IdempotencyKeyRefused.class)
    ProblemDetail idempotencyKeyRefused(IdempotencyKeyRefused refused) {
        return switch (refused.reason()) {
            case REUSED_WITH_ANOTHER_REQUEST -> problem(HttpStatus.UNPROCESSABLE_ENTITY, "idempotency-key-reused",
                    "Idempotency-Key reused", refused.getMessage());
            case IN_FLIGHT -> problem(HttpStatus.CONFLICT, "idempotency-key-in-flight",
                    "Request with this Idempotency-Key in progress", refused.getMessage());
        };
    }

    /** The creation's commit did not answer in time: it may have happened, so the merchant retries with the key. */
    @ExceptionHandler(PaymentCreations.NotConfirmed.class)
    ProblemDetail notConfirmed(PaymentCreations.NotConfirmed e) {
        return problem(HttpStatus.SERVICE_UNAVAILABLE, "creation-not-confirmed", "Creation not confirmed",
                e.getMessage());
    }

    @ExceptionHandler({ConcurrencyException.class, AggregateStreamCreationException.class})
    ProblemDetail concurrentModification(Exception e) {
        Refusal refusal = Refusal.CONCURRENT_MODIFICATION;
        return problem(HttpStatus.CONFLICT, refusal.code(), refusal.title(), "another command changed the payment first");
    }

    @ExceptionHandler(BadRequest.class)
    ProblemDetail badRequest(BadRequest bad) {
        return problem(HttpStatus.BAD_REQUEST, bad.code(), "Bad request", bad.getMessage());
    }

    @ExceptionHandler(ApiProblem.class)
    ProblemDetail apiProblem(ApiProblem problem) {
        return problem(problem.status(), problem.code(), problem.title(), problem.getMessage());
    }

    @ExceptionHandler(Caller.MerchantClaimMissing.class)
    ProblemDetail noMerchant(Caller.MerchantClaimMissing e) {
        return problem(HttpStatus.FORBIDDEN, "forbidden", "Forbidden", e.getMessage());
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ProblemDetail badPathValue(MethodArgumentTypeMismatchException e) {
        // an id that cannot exist names nothing
        return problem(HttpStatus.NOT_FOUND, Refusal.PAYMENT_NOT_FOUND.code(), Refusal.PAYMENT_NOT_FOUND.title(),
                "no such " + e.getName());
    }

    @ExceptionHandler(Exception.class)
    ProblemDetail unexpected(Exception e) {
        log.error("unexpected failure", e);
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error", "Internal error",
                "the request failed; it changed nothing and may be retried");
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException e, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "validation-failed", "Invalid request",
                "some fields are invalid");
        List<Map<String, String>> errors = e.getBindingResult().getFieldErrors().stream()
                .map(error -> Map.of("field", error.getField(), "message",
                        error.getDefaultMessage() == null ? "is invalid" : error.getDefaultMessage()))
                .toList();
        problem.setProperty("errors", errors);
        return ResponseEntity.badRequest().body(problem);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        return ResponseEntity.badRequest().body(problem(HttpStatus.BAD_REQUEST, "malformed-request", "Malformed request",
                "the body is not the JSON this call takes (amounts are whole numbers of minor units)"));
    }

    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception e, @Nullable Object body, HttpHeaders headers,
                                                             HttpStatusCode status, WebRequest request) {
        // Spring's own problems (missing header, wrong method, wrong media type...) get a stable code too
        ResponseEntity<Object> response = super.handleExceptionInternal(e, body, headers, status, request);
        if (response != null && response.getBody() instanceof ProblemDetail problem && problem.getProperties() == null) {
            String code = e instanceof MissingRequestHeaderException missing
                    ? "missing-" + missing.getHeaderName().toLowerCase() : codeFor(status);
            problem.setType(URI.create(TYPE_BASE + code));
            problem.setProperty("code", code);
        }
        return response;
    }

    private static String codeFor(HttpStatusCode status) {
        HttpStatus known = HttpStatus.resolve(status.value());
        return known == null ? "error-" + status.value() : known.name().toLowerCase().replace('_', '-');
    }

    static ProblemDetail problem(HttpStatus status, String code, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create(TYPE_BASE + code));
        problem.setTitle(title);
        problem.setProperty("code", code);
        return problem;
    }
}
