package io.payledger.command.payment.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasItem;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.nimbusds.jwt.JWTClaimsSet;
import io.payledger.command.customer.CustomerData;
import io.payledger.command.idempotency.IdempotencyKey;
import io.payledger.command.idempotency.IdempotentRequests;
import io.payledger.command.merchant.MerchantPolicy;
import io.payledger.command.payment.PaymentCommands.InitiatePayment;
import io.payledger.command.payment.PaymentCreations;
import io.payledger.command.payment.PaymentResult;
import io.payledger.command.payment.Refusal;
import io.payledger.events.money.Money;
import io.payledger.events.payment.CaptureMethod;
import io.payledger.events.payment.Customer;
import io.payledger.events.payment.MerchantId;
import io.payledger.events.payment.PaymentHistory;
import io.payledger.events.payment.PaymentId;
import io.payledger.events.payment.PaymentInitiated;
import io.payledger.localstack.tokens.DevTokens;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

@WebMvcTest({PaymentCommandController.class, GatewayOutcomeController.class})
@Import({io.payledger.command.security.TestSecurityImports.class, io.payledger.command.web.TestWebImports.class})
@TestPropertySource(properties = {
        "payledger.security.jwt.secret=" + DevTokens.DEVELOPMENT_SECRET,
        "payledger.security.jwt.issuer=" + DevTokens.ISSUER,
        "payledger.security.jwt.audience=" + DevTokens.AUDIENCE})
class PaymentCommandControllerTest {

    private static final String VALID = """
            {"merchantReference":"ORD-1001","amount":1050,"currency":"MYR","captureMethod":"manual",
             "customer":{"name":"Aisyah","email":"a@example.com","phone":"+60123456789"},
             "description":"2 items","returnUrl":"https://shop.example/return","metadata":{"cart":"77"}}""";

    @Autowired
    MockMvc mvc;

    @MockitoBean
    CommandGateway commands;
    @MockitoBean
    PaymentCreations creations;
    @MockitoBean
    IdempotentRequests idempotent;
    @MockitoBean
    MerchantPolicy merchantPolicy;
    @MockitoBean
    CustomerData customerData;

    @BeforeEach
    @SuppressWarnings("unchecked")
    void runRequestsOnceAndAnswerWithANewPayment() {
        when(customerData.seal(any(), any(), any())).thenAnswer(call -> sealed(call.getArgument(2)));
        when(customerData.sealForCreation(any(), any(), any()))
                .thenAnswer(call -> new CustomerData.Sealed(sealed(call.getArgument(2)), null));
        when(idempotent.execute(any(), any(), any())).thenAnswer(call -> ((Supplier<ResponseEntity<?>>) call.getArgument(2)).get());
        when(commands.sendAndWait(any(InitiatePayment.class))).thenAnswer(call -> created(call.getArgument(0)));
        when(creations.create(any(), any(), any(), any()))
                .thenAnswer(call -> new PaymentCreations.Outcome.Created(created(call.getArgument(0))));
    }

    private static Customer sealed(Customer plain) {
        return plain == null ? Customer.guest()
                : new Customer("sealed " + plain.name(), "sealed " + plain.email(), "sealed " + plain.phone());
    }

    private static PaymentResult created(InitiatePayment command) {
        return new PaymentResult(PaymentHistory.replay(List.of(new PaymentInitiated(command.paymentId(),
                command.merchantId(), command.merchantReference(), command.amount(), command.captureMethod(),
                command.customer(), command.description(), command.returnUrl(), command.metadata(),
                Instant.parse("2026-11-22T10:00:00Z")))), 0);
    }

    private void nothingSent() {
        verify(commands, never()).sendAndWait(any());
        verify(creations, never()).create(any(), any(), any(), any());
    }

    private MockHttpServletRequestBuilder create(String body) {
        return create(body, DevTokens.merchant("merchant-1"));
    }

    private MockHttpServletRequestBuilder create(String body, String token) {
        return post("/v1/payments").header("Authorization", "Bearer " + token)
                .header("Idempotency-Key", "key-1").contentType(MediaType.APPLICATION_JSON).content(body);
    }

    @Test
    void aValidPaymentIsCreatedWith201ItsLocationAndItsVersion() throws Exception {
        mvc.perform(create(VALID))
                .andExpect(status().isCreated())
                .andExpect(header().string("Location", org.hamcrest.Matchers.startsWith("/v1/payments/")))
                .andExpect(jsonPath("$.status").value("created"))
                .andExpect(jsonPath("$.amount").value(1050))
                .andExpect(jsonPath("$.currency").value("MYR"))
                .andExpect(jsonPath("$.version").value(0))
                .andExpect(jsonPath("$.customer").doesNotExist());

        ArgumentCaptor<InitiatePayment> sent = ArgumentCaptor.forClass(InitiatePayment.class);
        verify(creations).create(sent.capture(), any(), any(), any());
        assertThat(sent.getValue().merchantId()).isEqualTo(MerchantId.of("merchant-1"));
        assertThat(sent.getValue().amount()).isEqualTo(Money.of(1050, "MYR"));
        assertThat(sent.getValue().captureMethod()).isEqualTo(CaptureMethod.MANUAL);
        verify(customerData).sealForCreation(MerchantId.of("merchant-1"), sent.getValue().paymentId(),
                new Customer("Aisyah", "a@example.com", "+60123456789"));
        assertThat(sent.getValue().customer())
                .isEqualTo(new Customer("sealed Aisyah", "sealed a@example.com", "sealed +60123456789"));
    }

    @Test
    void theIdempotencyKeyIsBoundToTheMerchantAndAFingerprintOfTheBody() throws Exception {
        mvc.perform(create(VALID)).andExpect(status().isCreated());
        mvc.perform(create(VALID.replace("\"amount\":1050,", "  \"amount\" : 1050 ,"))).andExpect(status().isCreated());
        mvc.perform(create(VALID.replace("1050", "1051"))).andExpect(status().isCreated());

        ArgumentCaptor<IdempotencyKey> keys = ArgumentCaptor.forClass(IdempotencyKey.class);
        verify(creations, org.mockito.Mockito.times(3)).create(any(), keys.capture(), any(), any());
        List<IdempotencyKey> used = keys.getAllValues();
        assertThat(used.get(0).merchant()).isEqualTo(MerchantId.of("merchant-1"));
        assertThat(used.get(0).key()).isEqualTo("key-1");
        assertThat(used.get(1).requestHash()).as("spacing does not change the fingerprint").isEqualTo(used.get(0).requestHash());
        assertThat(used.get(2).requestHash()).as("another amount does").isNotEqualTo(used.get(0).requestHash());
    }

    @Test
    void aCreateWithoutIdempotencyKeyIsABadRequestThatChangesNothing() throws Exception {
        mvc.perform(post("/v1/payments").header("Authorization", "Bearer " + DevTokens.merchant("merchant-1"))
                        .contentType(MediaType.APPLICATION_JSON).content(VALID))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.code").value("missing-idempotency-key"));
        nothingSent();
    }

    @Test
    void anIdempotencyKeyWithUnprintableCharactersIsRefused() throws Exception {
        mvc.perform(create(VALID).header("Idempotency-Key", "tab\there"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.code").value("invalid-idempotency-key"));
    }

    @Test
    void everyInvalidFieldIsListedInOneProblem() throws Exception {
        String bad = """
                {"merchantReference":"ORD 1001!","amount":0,"currency":"XYZ","captureMethod":"later",
                 "customer":{"email":"not-an-email","phone":"call me"},"returnUrl":"ftp://shop.example"}""";

        mvc.perform(create(bad))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.code").value("validation-failed"))
                .andExpect(jsonPath("$.errors[*].field", hasItem("merchantReference")))
                .andExpect(jsonPath("$.errors[*].field", hasItem("amount")))
                .andExpect(jsonPath("$.errors[*].field", hasItem("currency")))
                .andExpect(jsonPath("$.errors[*].field", hasItem("captureMethod")))
                .andExpect(jsonPath("$.errors[*].field", hasItem("customer.email")))
                .andExpect(jsonPath("$.errors[*].field", hasItem("customer.phone")))
                .andExpect(jsonPath("$.errors[*].field", hasItem("returnUrl")));
        nothingSent();
    }

    @Test
    void aMerchantReferenceLongerThanFortyCharactersIsRefused() throws Exception {
        mvc.perform(create(VALID.replace("ORD-1001", "A".repeat(41))))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("merchantReference"));
    }

    @Test
    void aFractionalAmountIsMalformedNotRounded() throws Exception {
        mvc.perform(create(VALID.replace("1050", "10.50")))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.code").value("malformed-request"));
        mvc.perform(create(VALID.replace("1050", "\"1050\"")))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.code").value("malformed-request"));
        nothingSent();
    }

    @Test
    void textHoldingANulCharacterOrHalfASurrogatePairIsMalformedAndChangesNothing() throws Exception {
        mvc.perform(create(VALID.replace("ORD-1001", "ORD\\u00001001")))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.code").value("malformed-request"));
        mvc.perform(create(VALID.replace("ORD-1001", "ORD\\ud800")))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.code").value("malformed-request"));
        nothingSent();
    }

    @Test
    void anUnknownFieldIsRefusedRatherThanIgnored() throws Exception {
        mvc.perform(create(VALID.replace("\"amount\"", "\"amont\":1,\"amount\"")))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.code").value("malformed-request"));
    }

    @Test
    void aBusinessRefusalBecomesItsOwnProblemType() throws Exception {
        org.mockito.Mockito.doThrow(Refusal.MERCHANT_REFERENCE_TAKEN.because("merchant reference ORD-1001 belongs to another payment"))
                .when(creations).create(any(), any(), any(), any());

        mvc.perform(create(VALID))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.type").value("https://payledger.io/problems/merchant-reference-taken"))
                .andExpect(jsonPath("$.code").value("merchant-reference-taken"))
                .andExpect(jsonPath("$.status").value(409));
    }

    @Test
    void anUnexpectedFailureSaysNothingAboutTheInsides() throws Exception {
        org.mockito.Mockito.doThrow(new IllegalStateException("secret internals")).when(creations).create(any(), any(), any(), any());

        mvc.perform(create(VALID))
                .andExpect(status().isInternalServerError())
                .andExpect(jsonPath("$.code").value("internal-error"))
                .andExpect(content().string(org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("secret"))))
                .andExpect(content().string(org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("Exception"))));
    }

    @Test
    void noTokenIs401AsProblemJson() throws Exception {
        mvc.perform(post("/v1/payments").header("Idempotency-Key", "k").contentType(MediaType.APPLICATION_JSON).content(VALID))
                .andExpect(status().isUnauthorized())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.code").value("unauthenticated"));
    }

    @Test
    void aTokenSignedWithAnotherKeyIs401() throws Exception {
        String forged = DevTokens.sign(new JWTClaimsSet.Builder().subject("x").issuer(DevTokens.ISSUER)
                .audience(DevTokens.AUDIENCE).expirationTime(Date.from(Instant.now().plusSeconds(600)))
                .claim("roles", List.of("merchant")).claim("merchant_id", "merchant-1").build(),
                "another-key-that-is-long-enough-for-hs256-signing");

        mvc.perform(create(VALID, forged)).andExpect(status().isUnauthorized());
    }

    @Test
    void anExpiredTokenIs401() throws Exception {
        String expired = DevTokens.sign(new JWTClaimsSet.Builder().subject("x").issuer(DevTokens.ISSUER)
                .audience(DevTokens.AUDIENCE).expirationTime(Date.from(Instant.now().minusSeconds(600)))
                .claim("roles", List.of("merchant")).claim("merchant_id", "merchant-1").build(),
                DevTokens.DEVELOPMENT_SECRET);

        mvc.perform(create(VALID, expired)).andExpect(status().isUnauthorized());
    }

    @Test
    void aTokenForAnotherAudienceIs401() throws Exception {
        String elsewhere = DevTokens.sign(new JWTClaimsSet.Builder().subject("x").issuer(DevTokens.ISSUER)
                .audience("another-service").expirationTime(Date.from(Instant.now().plusSeconds(600)))
                .claim("roles", List.of("merchant")).claim("merchant_id", "merchant-1").build(),
                DevTokens.DEVELOPMENT_SECRET);

        mvc.perform(create(VALID, elsewhere)).andExpect(status().isUnauthorized());
    }

    @Test
    void financeCannotSubmitPayments() throws Exception {
        mvc.perform(create(VALID, DevTokens.withRoles("fin", "finance")))
                .andExpect(status().isForbidden())
                .andExpect(jsonPath("$.code").value("forbidden"));
    }

    @Test
    void aMerchantTokenWithoutMerchantIdMayActOnNothing() throws Exception {
        mvc.perform(create(VALID, DevTokens.withRoles("m", "merchant")))
                .andExpect(status().isForbidden());
        nothingSent();
    }

    @Test
    void merchantsCannotReportGatewayOutcomes() throws Exception {
        mvc.perform(post("/internal/v1/payments/pay-1/authorisation")
                        .header("Authorization", "Bearer " + DevTokens.merchant("merchant-1"))
                        .contentType(MediaType.APPLICATION_JSON).content("{\"amount\":1050,\"currency\":\"MYR\"}"))
                .andExpect(status().isForbidden());
        nothingSent();
    }

    @Test
    void aRefundWithoutAnAmountIsInvalid() throws Exception {
        mvc.perform(post("/v1/payments/pay-1/refunds").header("Authorization", "Bearer " + DevTokens.merchant("merchant-1"))
                        .contentType(MediaType.APPLICATION_JSON).content("{\"reason\":\"damaged\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("amount"));
    }

    @Test
    void aPaymentIdThatCannotExistIsNotFound() throws Exception {
        mvc.perform(post("/v1/payments/not a valid id!/void").header("Authorization", "Bearer " + DevTokens.merchant("merchant-1")))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.code").value("payment-not-found"));
        nothingSent();
    }


}
