package io.payledger.command.payment.web;

import io.payledger.command.payment.PaymentCommands.ClearAttention;
import io.payledger.command.payment.PaymentCommands.ResolveAttention;
import io.payledger.command.payment.PaymentResult;
import io.payledger.command.web.BadRequest;
import io.payledger.events.payment.PaymentId;
import io.payledger.events.payment.Steps;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * What an operator does about a payment step that waits for a person ({@code GET /v1/payments?attention=true}
 * lists them): ask the gateway to try it again, or record what became of it, found out at Fiuu. Either is an
 * event in the payment's history, with who did it and why.
 */
@RestController
@RequestMapping("/v1/payments/{id}/attention")
class AttentionController {

    record Retry(@NotBlank @Size(max = 140) String step, @Size(max = 500) String note) { }

    record Resolution(@NotBlank @Size(max = 140) String step, @NotBlank @Size(max = 32) String outcome,
                      @NotBlank @Size(max = 500) String note) { }

    private final CommandGateway commands;

    AttentionController(CommandGateway commands) {
        this.commands = commands;
    }

    @PostMapping("/retry")
    ResponseEntity<PaymentResponse> retry(@AuthenticationPrincipal Jwt operator, @PathVariable("id") PaymentId id,
                                          @Valid @RequestBody Retry body) {
        requireKnown(body.step());
        PaymentResult result = commands.sendAndWait(new ClearAttention(id, body.step(), "retry", who(operator), body.note()));
        return ResponseEntity.accepted().body(PaymentResponse.of(result));
    }

    @PostMapping("/resolve")
    ResponseEntity<PaymentResponse> resolve(@AuthenticationPrincipal Jwt operator, @PathVariable("id") PaymentId id,
                                            @Valid @RequestBody Resolution body) {
        requireKnown(body.step());
        PaymentResult result = commands.sendAndWait(new ResolveAttention(id, body.step(), body.outcome(), who(operator),
                body.note()));
        return ResponseEntity.accepted().body(PaymentResponse.of(result));
    }

    /** The operator on record: the token's subject (a token without one is still someone's: its issuer's). */
    private static String who(Jwt operator) {
        return operator.getSubject() != null ? operator.getSubject() : "unnamed operator of " + operator.getIssuer();
    }

    private static void requireKnown(String step) {
        if (!Steps.isKnown(step) || step.equals(Steps.REPORT)) {
            throw new UnknownStep(step);
        }
    }

    /** Not a step an operator can act on here (a stuck report is retried or discarded at gateway-saga). */
    static class UnknownStep extends BadRequest {
        UnknownStep(String step) {
            super("unknown-step", "no step " + step + " here: capture, void, authorisation, refund:<id> or release:<charge id>");
        }
    }
}
