package io.payledger.command.customer;

import io.payledger.command.payment.PaymentRefused;
import io.payledger.command.payment.Refusal;
import io.payledger.command.security.Caller;
import io.payledger.command.web.BadRequest;
import io.payledger.events.payment.MerchantId;
import io.payledger.events.payment.PaymentId;
import io.payledger.security.Roles;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Customers' personal data: a merchant (its own customers) or an auditor reads a payment's customer in
 * clear; a merchant or an operator forgets a customer, which makes their name, email and phone
 * unreadable in every event, topic and read model while the payments themselves stay.
 */
@RestController
@RequestMapping("/v1/customers")
class CustomerController {

    private static final Logger log = LoggerFactory.getLogger(CustomerController.class);

    private final CustomerData customers;

    CustomerController(CustomerData customers) {
        this.customers = customers;
    }

    @GetMapping("/by-payment/{id}")
    CustomerView byPayment(@AuthenticationPrincipal Jwt token, @PathVariable("id") PaymentId id) {
        CustomerData.Opened opened = customers.open(id)
                .filter(found -> mayActFor(token, found.merchant()))
                .orElseThrow(() -> notFound(id));
        return new CustomerView(id.value(), opened.merchant().value(), opened.customer().name(),
                opened.customer().email(), opened.customer().phone(), opened.forgotten());
    }

    @PostMapping("/forget")
    ForgetResult forget(@AuthenticationPrincipal Jwt token, @Valid @RequestBody Forget body) {
        long given = Stream.of(body.paymentId(), body.email(), body.phone()).filter(field -> field != null).count();
        if (given != 1) {
            throw new BadRequest("invalid-request", "give exactly one of paymentId, email and phone");
        }
        String by = token.getSubject() == null ? "unknown" : token.getSubject();
        CustomerData.Forgotten forgotten;
        if (body.paymentId() != null) {
            PaymentId payment = PaymentId.of(body.paymentId());
            forgotten = customers.forgetByPayment(payment, owner -> mayActFor(token, owner), by)
                    .orElseThrow(() -> notFound(payment));
        } else {
            MerchantId merchant = merchantFor(token, body.merchantId());
            forgotten = body.email() != null ? customers.forgetByEmail(merchant, body.email(), by)
                    : customers.forgetByPhone(merchant, body.phone(), by);
        }
        log.info("Forgot a customer of merchant {}: {} data key(s) erased, at the request of {}",
                forgotten.merchant().value(), forgotten.erasedKeys(), by);
        return new ForgetResult(forgotten.merchant().value(), forgotten.erasedKeys());
    }

    /** A merchant acts for itself (a merchantId in the body must be its own); an operator names the merchant. */
    private static MerchantId merchantFor(Jwt token, String named) {
        if (roles(token).contains(Roles.MERCHANT)) {
            MerchantId own = Caller.merchantFrom(token).merchantId();
            if (named != null && !named.equals(own.value())) {
                throw new BadRequest("invalid-request", "a merchant forgets its own customers only");
            }
            return own;
        }
        if (named == null) {
            throw new BadRequest("invalid-request", "merchantId is required with an email or phone");
        }
        return MerchantId.of(named);
    }

    /** Merchants see their own payments only; everyone else this endpoint lets in sees all. */
    private static boolean mayActFor(Jwt token, MerchantId owner) {
        if (!roles(token).contains(Roles.MERCHANT)) {
            return true;
        }
        return Caller.merchantFrom(token).merchantId().equals(owner);
    }

    private static List<String> roles(Jwt token) {
        return Optional.ofNullable(token.getClaimAsStringList(Roles.ROLES_CLAIM)).orElse(List.of());
    }

    private static PaymentRefused notFound(PaymentId id) {
        return Refusal.PAYMENT_NOT_FOUND.because("no payment " + id.value());
    }

    record Forget(@Pattern(regexp = "[A-Za-z0-9_-]{1,64}", message = "must be a payment id") String paymentId,
                  @Email @Size(max = 254) String email,
                  @Pattern(regexp = "\\+?[0-9 ()-]{6,20}", message = "must be a phone number") String phone,
                  @Pattern(regexp = "[A-Za-z0-9_-]{1,64}", message = "must be a merchant id") String merchantId) {
    }

    record CustomerView(String paymentId, String merchantId, String name, String email, String phone, boolean forgotten) {
    }

    record ForgetResult(String merchantId, int erasedKeys) {
    }
}
