package io.payledger.saga.command;

import java.net.URI;
import java.security.Principal;
import java.util.List;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The reports to command-service that need an operator (operator role): {@code GET /v1/gateway-reports?state=dead}
 * lists those command-service could not act on as sent, {@code ?state=refused} those it refused because the
 * payment's record contradicts them. A dead report can be sent again ({@code POST .../{id}/retry}) once what was
 * wrong is fixed, or given up ({@code POST .../{id}/discard}); either way its payment stops waiting for it.
 */
@RestController
class GatewayReportsController {

    private static final Set<String> STATES = Set.of("dead", "refused");
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(GatewayReportsController.class);

    record Reports(List<OutcomeOutbox.Stored> items) { }

    private final OutcomeOutbox outbox;
    private final OutcomeRelay relay;
    private final TransactionTemplate transaction;

    GatewayReportsController(OutcomeOutbox outbox, OutcomeRelay relay, TransactionTemplate transaction) {
        this.outbox = outbox;
        this.relay = relay;
        this.transaction = transaction;
    }

    @GetMapping("/v1/gateway-reports")
    ResponseEntity<?> list(@RequestParam(defaultValue = "dead") String state, @RequestParam(defaultValue = "50") int limit) {
        if (!STATES.contains(state)) {
            return problem(HttpStatus.BAD_REQUEST, "invalid-state", "state is dead or refused");
        }
        if (limit < 1 || limit > 500) {
            return problem(HttpStatus.BAD_REQUEST, "invalid-limit", "limit is between 1 and 500");
        }
        return ResponseEntity.ok(new Reports(outbox.inState(state, limit)));
    }

    @PostMapping("/v1/gateway-reports/{id}/retry")
    ResponseEntity<?> retry(@PathVariable long id, Principal operator) {
        log.info("operator {} sends dead-lettered report {} again", operator.getName(), id);
        if (!outbox.revive(id)) {
            return problem(HttpStatus.NOT_FOUND, "report-not-dead", "no dead-lettered report " + id);
        }
        relay.wake();
        return ResponseEntity.accepted().build();
    }

    @PostMapping("/v1/gateway-reports/{id}/discard")
    ResponseEntity<?> discard(@PathVariable long id, Principal operator) {
        Boolean discarded = transaction.execute(status -> outbox.discard(id).map(payment -> {
            if (!outbox.anyDead(payment)) {
                relay.settleAttention(payment, "report-discarded", "report " + id + " given up by " + operator.getName());
            }
            return true;
        }).orElse(false));
        return Boolean.TRUE.equals(discarded) ? ResponseEntity.accepted().build()
                : problem(HttpStatus.NOT_FOUND, "report-not-dead", "no dead-lettered report " + id);
    }

    private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String code, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create("https://payledger.io/problems/" + code));
        problem.setProperty("code", code);
        return ResponseEntity.status(status).body(problem);
    }
}
