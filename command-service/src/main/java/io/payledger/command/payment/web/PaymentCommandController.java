package io.payledger.command.payment.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.payledger.command.customer.CustomerData;
import io.payledger.command.idempotency.IdempotencyKey;
import io.payledger.command.idempotency.IdempotentRequests;
import io.payledger.command.merchant.MerchantPolicy;
import io.payledger.command.payment.PaymentCommands.CapturePayment;
import io.payledger.command.payment.PaymentCommands.InitiatePayment;
import io.payledger.command.payment.PaymentCommands.RefundPayment;
import io.payledger.command.payment.PaymentCommands.VoidPayment;
import io.payledger.command.payment.PaymentResult;
import io.payledger.command.payment.RequestedAmount;
import io.payledger.command.security.Caller;
import io.payledger.command.web.InvalidIdempotencyKey;
import io.payledger.events.money.Money;
import io.payledger.events.payment.CaptureMethod;
import io.payledger.events.payment.Customer;
import io.payledger.events.payment.MerchantId;
import io.payledger.events.payment.PaymentId;
import io.payledger.events.payment.RefundId;
import jakarta.validation.Valid;
import java.net.URI;
import java.util.Map;
import java.util.function.Supplier;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The merchant command API of API.md. */
@RestController
@RequestMapping("/v1/payments")
class PaymentCommandController {

    private static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private final CommandGateway commands;
    private final IdempotentRequests idempotent;
    private final MerchantPolicy merchantPolicy;
    private final ObjectMapper json;
    private final CustomerData customerData;

    PaymentCommandController(CommandGateway commands, IdempotentRequests idempotent, MerchantPolicy merchantPolicy,
                             ObjectMapper json, CustomerData customerData) {
        this.customerData = customerData;
        this.commands = commands;
        this.idempotent = idempotent;
        this.merchantPolicy = merchantPolicy;
        this.json = json;
    }

    @PostMapping
    ResponseEntity<PaymentResponse> create(@AuthenticationPrincipal Jwt token,
                                           @RequestHeader(IDEMPOTENCY_KEY) String key,
                                           @Valid @RequestBody PaymentRequests.CreatePayment body) {
        MerchantId merchant = Caller.merchantFrom(token).merchantId();
        Money amount = Money.of(body.amount(), body.currency());
        return once(merchant, key, "create", body, () -> {
            merchantPolicy.check(merchant, amount);
            PaymentId payment = PaymentId.random();
            PaymentRequests.Customer customer = body.customer();
            Customer sealed = customerData.seal(merchant, payment, customer == null ? null
                    : new Customer(customer.name(), customer.email(), customer.phone()));
            PaymentResult result = commands.sendAndWait(new InitiatePayment(payment, merchant,
                    body.merchantReference(), amount, CaptureMethod.fromCode(body.captureMethod()), sealed,
                    body.description(), body.returnUrl(), body.metadata()));
            return ResponseEntity.created(URI.create("/v1/payments/" + result.state().paymentId()))
                    .body(PaymentResponse.of(result));
        });
    }

    @PostMapping("/{id}/captures")
    ResponseEntity<PaymentResponse> capture(@AuthenticationPrincipal Jwt token, @PathVariable("id") PaymentId id,
                                            @RequestHeader(value = IDEMPOTENCY_KEY, required = false) String key,
                                            @Valid @RequestBody(required = false) PaymentRequests.Capture body) {
        MerchantId merchant = Caller.merchantFrom(token).merchantId();
        PaymentRequests.Capture capture = body == null ? new PaymentRequests.Capture(null, null) : body;
        return once(merchant, key, "capture " + id, capture, () -> accepted(commands.sendAndWait(
                new CapturePayment(id, merchant, capture.amount() == null ? null
                        : new RequestedAmount(capture.amount(), capture.currency())))));
    }

    @PostMapping("/{id}/void")
    ResponseEntity<PaymentResponse> voidPayment(@AuthenticationPrincipal Jwt token, @PathVariable("id") PaymentId id,
                                                @RequestHeader(value = IDEMPOTENCY_KEY, required = false) String key) {
        MerchantId merchant = Caller.merchantFrom(token).merchantId();
        return once(merchant, key, "void " + id, Map.of(),
                () -> accepted(commands.sendAndWait(new VoidPayment(id, merchant))));
    }

    @PostMapping("/{id}/refunds")
    ResponseEntity<PaymentResponse> refund(@AuthenticationPrincipal Jwt token, @PathVariable("id") PaymentId id,
                                           @RequestHeader(value = IDEMPOTENCY_KEY, required = false) String key,
                                           @Valid @RequestBody PaymentRequests.Refund body) {
        MerchantId merchant = Caller.merchantFrom(token).merchantId();
        return once(merchant, key, "refund " + id, body, () -> {
            RefundId refundId = RefundId.random();
            PaymentResult result = commands.sendAndWait(new RefundPayment(id, merchant, refundId,
                    new RequestedAmount(body.amount(), body.currency()), body.reason()));
            return ResponseEntity.accepted().location(URI.create("/v1/payments/" + id + "/refunds/" + refundId))
                    .body(PaymentResponse.of(result));
        });
    }

    private ResponseEntity<PaymentResponse> once(MerchantId merchant, String key, String operation, Object body,
                                                 Supplier<ResponseEntity<PaymentResponse>> request) {
        if (key == null) {
            return request.get();
        }
        if (!IdempotencyKey.isWellFormed(key)) {
            throw new InvalidIdempotencyKey();
        }
        IdempotencyKey idempotencyKey = new IdempotencyKey(merchant, key, RequestFingerprint.of(json, operation, body));
        return idempotent.execute(idempotencyKey, PaymentResponse.class, request);
    }


    private static ResponseEntity<PaymentResponse> accepted(PaymentResult result) {
        return ResponseEntity.accepted().body(PaymentResponse.of(result));
    }
}
