package io.payledger.command.payment.web;

import io.payledger.command.payment.PaymentCommands.ClearAttention;
import io.payledger.command.payment.PaymentCommands.ExpirePayment;
import io.payledger.command.payment.PaymentCommands.RecordUnexpectedChargeRelease;
import io.payledger.command.payment.PaymentCommands.RequireAttention;
import io.payledger.command.payment.PaymentCommands.RecordAuthorisation;
import io.payledger.command.payment.PaymentCommands.RecordAuthorisationFailure;
import io.payledger.command.payment.PaymentCommands.RecordCapture;
import io.payledger.command.payment.PaymentCommands.RecordCaptureFailure;
import io.payledger.command.payment.PaymentCommands.RecordCheckoutPrepared;
import io.payledger.command.payment.PaymentCommands.RecordRefundFailure;
import io.payledger.command.payment.PaymentCommands.RecordRefundSuccess;
import io.payledger.command.payment.PaymentCommands.RecordVoid;
import io.payledger.command.payment.PaymentCommands.RecordVoidFailure;
import io.payledger.command.payment.PaymentResult;
import io.payledger.command.web.HttpUrl;
import io.payledger.command.web.IsoCurrency;
import io.payledger.events.money.Money;
import io.payledger.events.payment.PaymentId;
import io.payledger.events.payment.RefundId;
import io.payledger.events.payment.Steps;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * What the gateway saga reports back, callable only with the gateway role. Every call is
 * idempotent: reporting an outcome that is already recorded changes nothing and answers the current
 * payment; an outcome that contradicts the record is refused (409) and changes nothing.
 */
@RestController
@RequestMapping("/internal/v1/payments/{id}")
class GatewayOutcomeController {

    record Checkout(@NotBlank @Size(max = 2048) @HttpUrl String redirectUrl) { }

    /** Money paid: without Fiuu's transaction id it could be neither told apart from another payment nor given back. */
    record Authorisation(@NotNull @Positive Long amount, @NotNull @IsoCurrency String currency,
                         @NotBlank @Size(max = 64) String gatewayTransactionId) { }

    record Capture(@Positive Long amount, @IsoCurrency String currency, @Size(max = 64) String gatewayTransactionId) { }

    /** Fiuu may leave its error code and description empty: a failure without them is still a failure. */
    record Failure(@Size(max = 64) String gatewayTransactionId, @Size(max = 64) String reasonCode,
                   @Size(max = 500) String reason) {

        String code() {
            return reasonCode == null || reasonCode.isBlank() ? "unspecified" : reasonCode;
        }
    }

    record RefundSuccess(@Size(max = 64) String gatewayRefundId) { }

    record ChargeReleased(@NotBlank @Pattern(regexp = "reversal|refund") String releasedBy,
                          @Size(max = 64) String gatewayReference) { }

    record Attention(@NotBlank @Size(max = 140) String step, @NotBlank @Size(max = 64) String reasonCode,
                     @Size(max = 500) String detail) { }

    record AttentionSettled(@NotBlank @Size(max = 140) String step,
                            @NotBlank @Pattern(regexp = "report-delivered|report-discarded") String resolution,
                            @Size(max = 500) String note) { }

    private final CommandGateway commands;

    GatewayOutcomeController(CommandGateway commands) {
        this.commands = commands;
    }

    @PostMapping("/checkout")
    PaymentResponse checkoutPrepared(@PathVariable("id") PaymentId id, @Valid @RequestBody Checkout body) {
        return send(new RecordCheckoutPrepared(id, body.redirectUrl()));
    }

    @PostMapping("/authorisation")
    PaymentResponse authorised(@PathVariable("id") PaymentId id, @Valid @RequestBody Authorisation body) {
        return send(new RecordAuthorisation(id, Money.of(body.amount(), body.currency()), body.gatewayTransactionId()));
    }

    @PostMapping("/authorisation-failure")
    PaymentResponse authorisationFailed(@PathVariable("id") PaymentId id, @Valid @RequestBody Failure body) {
        return send(new RecordAuthorisationFailure(id, body.gatewayTransactionId(), body.code(), body.reason()));
    }

    @PostMapping("/capture")
    PaymentResponse captured(@PathVariable("id") PaymentId id, @Valid @RequestBody Capture body) {
        if (body.amount() != null && body.currency() == null) {
            throw new IllegalGatewayReport("a captured amount needs its currency");
        }
        Money amount = body.amount() == null ? null : Money.of(body.amount(), body.currency());
        return send(new RecordCapture(id, amount, body.gatewayTransactionId()));
    }

    @PostMapping("/capture-failure")
    PaymentResponse captureFailed(@PathVariable("id") PaymentId id, @Valid @RequestBody Failure body) {
        return send(new RecordCaptureFailure(id, body.code(), body.reason()));
    }

    @PostMapping("/void")
    PaymentResponse voided(@PathVariable("id") PaymentId id) {
        return send(new RecordVoid(id));
    }

    @PostMapping("/void-failure")
    PaymentResponse voidFailed(@PathVariable("id") PaymentId id, @Valid @RequestBody Failure body) {
        return send(new RecordVoidFailure(id, body.code(), body.reason()));
    }

    @PostMapping("/refunds/{refundId}/success")
    PaymentResponse refundSucceeded(@PathVariable("id") PaymentId id, @PathVariable("refundId") RefundId refundId,
                                    @Valid @RequestBody RefundSuccess body) {
        return send(new RecordRefundSuccess(id, refundId, body.gatewayRefundId()));
    }

    @PostMapping("/refunds/{refundId}/failure")
    PaymentResponse refundFailed(@PathVariable("id") PaymentId id, @PathVariable("refundId") RefundId refundId,
                                 @Valid @RequestBody Failure body) {
        return send(new RecordRefundFailure(id, refundId, body.code(), body.reason()));
    }

    @PostMapping("/expiry")
    PaymentResponse expired(@PathVariable("id") PaymentId id) {
        return send(new ExpirePayment(id));
    }

    @PostMapping("/unexpected-charges/{chargeId}/released")
    PaymentResponse chargeReleased(@PathVariable("id") PaymentId id, @PathVariable("chargeId") String chargeId,
                                   @Valid @RequestBody ChargeReleased body) {
        return send(new RecordUnexpectedChargeRelease(id, chargeId, body.releasedBy(), body.gatewayReference()));
    }

    @PostMapping("/attention")
    PaymentResponse attention(@PathVariable("id") PaymentId id, @Valid @RequestBody Attention body) {
        requireKnownStep(body.step());
        return send(new RequireAttention(id, body.step(), body.reasonCode(), body.detail()));
    }

    @PostMapping("/attention/settled")
    PaymentResponse attentionSettled(@PathVariable("id") PaymentId id, @Valid @RequestBody AttentionSettled body) {
        requireKnownStep(body.step());
        return send(new ClearAttention(id, body.step(), body.resolution(), "gateway-saga", body.note()));
    }

    private static void requireKnownStep(String step) {
        if (!Steps.isKnown(step)) {
            throw new IllegalGatewayReport("no such step: " + step);
        }
    }

    private PaymentResponse send(Object command) {
        PaymentResult result = commands.sendAndWait(command);
        return PaymentResponse.of(result);
    }

    /** A gateway report that is well-formed JSON but does not make sense. */
    static class IllegalGatewayReport extends io.payledger.command.web.BadRequest {
        IllegalGatewayReport(String detail) {
            super("invalid-gateway-report", detail);
        }
    }
}
