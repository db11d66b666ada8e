package io.payledger.command.payment.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.payledger.command.customer.CustomerData;
import io.payledger.command.idempotency.IdempotencyKey;
import io.payledger.command.idempotency.IdempotentRequests;
import io.payledger.command.merchant.MerchantPolicy;
import io.payledger.command.payment.PaymentCommands.CapturePayment;
import io.payledger.command.payment.PaymentCommands.InitiatePayment;
import io.payledger.command.payment.PaymentCommands.RefundPayment;
import io.payledger.command.payment.PaymentCommands.VoidPayment;
import io.payledger.command.payment.PaymentCreations;
import io.payledger.command.payment.PaymentRefused;
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
    private final PaymentCreations creations;
    private final IdempotentRequests idempotent;
    private final MerchantPolicy merchantPolicy;
    private final ObjectMapper json;
    private final CustomerData customerData;

    PaymentCommandController(CommandGateway commands, PaymentCreations creations, IdempotentRequests idempotent,
                             MerchantPolicy merchantPolicy, ObjectMapper json, CustomerData customerData) {
        this.creations = creations;
        this.customerData = customerData;
        this.commands = commands;
        this.idempotent = idempotent;
        this.merchantPolicy = merchantPolicy;
        this.json = json;
    }

    /**
     * Creates a payment through {@link PaymentCreations}, grouped with concurrent creations into one commit. A request
     * whose Idempotency-Key is already held, or that the merchant policy refuses, takes the general path instead
     * ({@link IdempotentRequests} over the command bus), which replays, refuses or runs it exactly as API.md says.
     */
    @PostMapping
    ResponseEntity<PaymentResponse> create(@AuthenticationPrincipal Jwt token,
                                           @RequestHeader(IDEMPOTENCY_KEY) String key,
                                           @Valid @RequestBody PaymentRequests.CreatePayment body) {
        MerchantId merchant = Caller.merchantFrom(token).merchantId();
        Money amount = Money.of(body.amount(), body.currency());
        Supplier<ResponseEntity<PaymentResponse>> throughTheCommandBus = () -> {
            merchantPolicy.check(merchant, amount);
            PaymentId payment = PaymentId.random();
            Customer sealed = customerData.seal(merchant, payment, plain(body.customer()));
            PaymentResult result = commands.sendAndWait(initiate(payment, merchant, amount, body, sealed));
            return created(result);
        };
        IdempotencyKey idempotencyKey = idempotencyKey(merchant, key, "create", body);
        try {
            merchantPolicy.check(merchant, amount);
        } catch (PaymentRefused refused) {
            // an earlier request with this key may have been accepted before the policy changed: replay that
            return idempotent.execute(idempotencyKey, PaymentResponse.class, throughTheCommandBus);
        }
        PaymentId payment = PaymentId.random();
        CustomerData.Sealed customer = customerData.sealForCreation(merchant, payment, plain(body.customer()));
        PaymentCreations.Outcome outcome = creations.create(initiate(payment, merchant, amount, body, customer.customer()),
                idempotencyKey, result -> new PaymentCreations.Answer(201, locationOf(result).toString(),
                        write(PaymentResponse.of(result))), customer.newKey());
        if (outcome instanceof PaymentCreations.Outcome.Created done) {
            return created(done.result());
        }
        return idempotent.execute(idempotencyKey, PaymentResponse.class, throughTheCommandBus);
    }

    private static InitiatePayment initiate(PaymentId payment, MerchantId merchant, Money amount,
                                            PaymentRequests.CreatePayment body, Customer sealed) {
        return new InitiatePayment(payment, merchant, body.merchantReference(), amount,
                CaptureMethod.fromCode(body.captureMethod()), sealed, body.description(), body.returnUrl(),
                body.metadata());
    }

    private static Customer plain(PaymentRequests.Customer customer) {
        return customer == null ? null : new Customer(customer.name(), customer.email(), customer.phone());
    }

    private static ResponseEntity<PaymentResponse> created(PaymentResult result) {
        return ResponseEntity.created(locationOf(result)).body(PaymentResponse.of(result));
    }

    private static URI locationOf(PaymentResult result) {
        return URI.create("/v1/payments/" + result.state().paymentId());
    }

    private String write(PaymentResponse response) {
        try {
            return json.writeValueAsString(response);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a response that cannot be stored cannot be sent", e);
        }
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
        return idempotent.execute(idempotencyKey(merchant, key, operation, body), PaymentResponse.class, request);
    }

    private IdempotencyKey idempotencyKey(MerchantId merchant, String key, String operation, Object body) {
        if (!IdempotencyKey.isWellFormed(key)) {
            throw new InvalidIdempotencyKey();
        }
        return new IdempotencyKey(merchant, key, RequestFingerprint.of(json, operation, body));
    }


    private static ResponseEntity<PaymentResponse> accepted(PaymentResult result) {
        return ResponseEntity.accepted().body(PaymentResponse.of(result));
    }
}
