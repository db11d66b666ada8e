package io.payledger.saga.reconciliation;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import java.net.URI;
import java.security.Principal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/**
 * Reconciliation for operators (start one) and finance and auditors (read the results):
 * {@code POST /v1/reconciliations} queues a run over a window (the last 48 hours unless the body
 * says {@code {"from": ..., "to": ...}}) and answers 202 with where to follow it;
 * {@code GET /v1/reconciliations/{id}} is the run with every mismatch; {@code GET /v1/reconciliations}
 * lists the latest runs.
 */
@RestController
class ReconciliationController {

    private static final Duration LONGEST_WINDOW = Duration.ofDays(31);

    record Request(Instant from, Instant to) { }

    record Report(Reconciliations.Run run, List<Reconciliations.Mismatch> mismatches,
                  List<Reconciliations.ChargeCheck> unexpectedCharges) { }

    record Runs(List<Reconciliations.Run> items) { }

    private final Reconciliations reconciliations;
    private final SchedulerClient scheduler;
    private final OneTimeTask<String> requested;
    private final ReconciliationProperties properties;
    private final Clock clock;

    ReconciliationController(Reconciliations reconciliations, SchedulerClient scheduler, OneTimeTask<String> requested,
                             ReconciliationProperties properties, Clock clock) {
        this.reconciliations = reconciliations;
        this.scheduler = scheduler;
        this.requested = requested;
        this.properties = properties;
        this.clock = clock;
    }

    @PostMapping("/v1/reconciliations")
    ResponseEntity<?> start(@RequestBody(required = false) Request request, Principal operator) {
        Instant now = clock.instant();
        Instant to = request == null || request.to() == null ? now : request.to();
        Instant from = request == null || request.from() == null ? to.minus(properties.window()) : request.from();
        if (!from.isBefore(to)) {
            return problem(HttpStatus.UNPROCESSABLE_ENTITY, "invalid-window", "from must be before to");
        }
        if (Duration.between(from, to).compareTo(LONGEST_WINDOW) > 0) {
            return problem(HttpStatus.UNPROCESSABLE_ENTITY, "invalid-window", "a window may span at most 31 days");
        }
        if (from.isAfter(now)) {
            return problem(HttpStatus.UNPROCESSABLE_ENTITY, "invalid-window", "the window starts in the future");
        }
        Reconciliations.Run run = reconciliations.create(operator.getName(), from, to);
        scheduler.schedule(requested.instance(run.id(), run.id()), now);
        return ResponseEntity.accepted().location(URI.create("/v1/reconciliations/" + run.id())).body(new Report(run, List.of(), List.of()));
    }

    @GetMapping("/v1/reconciliations/{id}")
    ResponseEntity<?> report(@PathVariable String id) {
        return reconciliations.find(id)
                .<ResponseEntity<?>>map(run -> ResponseEntity.ok(new Report(run, reconciliations.mismatches(id),
                        reconciliations.charges(id))))
                .orElseGet(() -> problem(HttpStatus.NOT_FOUND, "reconciliation-not-found", "no reconciliation " + id));
    }

    @GetMapping("/v1/reconciliations")
    ResponseEntity<?> latest(@RequestParam(defaultValue = "20") int limit) {
        if (limit < 1 || limit > 100) {
            return problem(HttpStatus.BAD_REQUEST, "invalid-limit", "limit is between 1 and 100");
        }
        return ResponseEntity.ok(new Runs(reconciliations.latest(limit)));
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> unreadable(HttpMessageNotReadableException e) {
        return problem(HttpStatus.BAD_REQUEST, "malformed-request",
                "the body is {\"from\": ..., \"to\": ...} with RFC 3339 instants, both optional");
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> mistyped(MethodArgumentTypeMismatchException e) {
        return problem(HttpStatus.BAD_REQUEST, "invalid-parameter", e.getName() + " has the wrong type");
    }

    private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String code, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create("https://payledger.io/problems/" + code));
        problem.setProperty("code", code);
        return ResponseEntity.status(status).body(problem);
    }
}
