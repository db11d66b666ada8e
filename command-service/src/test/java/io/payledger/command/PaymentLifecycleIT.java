package io.payledger.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.payledger.command.support.Api;
import io.payledger.command.support.RealServersIT;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

class PaymentLifecycleIT extends RealServersIT {

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aManualPaymentGoesFromCheckoutToAPartialRefundAndEveryStepAnswersItsVersion() {
        String merchant = Api.newMerchant();
        Api.Reply created = api().create(merchant, UUID.randomUUID().toString(), Api.createBody("ORD-LIFE", 1050, "manual"));
        String id = created.body().get("id").asText();

        Api.Reply checkout = api().gateway(id, "/checkout", "{\"redirectUrl\":\"https://pay.example/RMS/pay/M/\"}");
        Api.Reply authorised = api().gateway(id, "/authorisation",
                "{\"amount\":1050,\"currency\":\"MYR\",\"gatewayTransactionId\":\"30001\"}");
        Api.Reply captureRequested = api().merchant(merchant, "/v1/payments/" + id + "/captures", null, "{\"amount\":1000}");
        Api.Reply captured = api().gateway(id, "/capture", "{\"gatewayTransactionId\":\"30001\"}");
        Api.Reply refundRequested = api().merchant(merchant, "/v1/payments/" + id + "/refunds", "refund-1",
                "{\"amount\":400,\"reason\":\"damaged\"}");
        String refundId = refundRequested.body().get("refunds").get(0).get("id").asText();
        Api.Reply refunded = api().gateway(id, "/refunds/" + refundId + "/success", "{\"gatewayRefundId\":\"777\"}");

        assertThat(created.body().get("status").asText()).isEqualTo("created");
        assertThat(checkout.body().get("status").asText()).isEqualTo("awaiting_customer");
        assertThat(checkout.body().get("nextAction").get("redirectUrl").asText()).isEqualTo("https://pay.example/RMS/pay/M/");
        assertThat(authorised.body().get("status").asText()).isEqualTo("authorised");
        assertThat(captureRequested.status()).isEqualTo(202);
        assertThat(captureRequested.body().get("status").asText()).isEqualTo("capture_pending");
        assertThat(captured.body().get("capturedAmount").asLong()).isEqualTo(1000);
        assertThat(refundRequested.status()).isEqualTo(202);
        assertThat(refundRequested.header("Location")).isEqualTo("/v1/payments/" + id + "/refunds/" + refundId);
        assertThat(refunded.body().get("status").asText()).isEqualTo("partially_refunded");
        assertThat(refunded.body().get("refundedAmount").asLong()).isEqualTo(400);
        assertThat(refunded.body().get("refundableAmount").asLong()).isEqualTo(600);
        assertThat(refunded.body().get("version").asLong()).isEqualTo(6);
    }

    @Test
    void aCurrencyTheGatewayCannotTakeIsRefusedAtCreationEvenWhenTheMerchantMayUseIt() {
        String body = """
                {"merchantReference":"ORD-KWD-%s","amount":1500,"currency":"KWD","captureMethod":"manual",
                 "returnUrl":"https://shop.example/return"}""".formatted(UUID.randomUUID().toString().substring(0, 8));

        Api.Reply refused = api().create(THREE_DECIMAL_MERCHANT, UUID.randomUUID().toString(), body);

        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.body().get("code").asText()).isEqualTo("currency-not-supported");
        assertThat(refused.body().get("detail").asText()).contains("KWD");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM merchant_reference WHERE merchant_id = ?", Long.class,
                THREE_DECIMAL_MERCHANT)).isZero();
    }

    @Test
    void anAutomaticPaymentIsCapturedWhenTheGatewayAuthorisesIt() {
        String merchant = Api.newMerchant();
        String id = api().create(merchant, UUID.randomUUID().toString(), Api.createBody("ORD-AUTO", 2500, "automatic"))
                .body().get("id").asText();

        Api.Reply authorised = api().gateway(id, "/authorisation", "{\"amount\":2500,\"currency\":\"MYR\",\"gatewayTransactionId\":\"3000002\"}");

        assertThat(authorised.body().get("status").asText()).isEqualTo("captured");
        assertThat(authorised.body().get("capturedAmount").asLong()).isEqualTo(2500);
        assertThat(authorised.body().get("version").asLong()).isEqualTo(2);
    }

    @Test
    void aRepeatedGatewayOutcomeIsANoOpThatAnswersTheCurrentPayment() {
        String id = api().authorisedPayment(Api.newMerchant());

        Api.Reply again = api().gateway(id, "/authorisation", "{\"amount\":1050,\"currency\":\"MYR\",\"gatewayTransactionId\":\"3000001\"}");

        assertThat(again.status()).isEqualTo(200);
        assertThat(again.body().get("version").asLong()).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM domain_event_entry WHERE aggregate_identifier = ?",
                Long.class, id)).isEqualTo(2);
    }

    @Test
    void aMerchantCannotTouchAnotherMerchantsPayment() {
        String owner = Api.newMerchant();
        String id = api().authorisedPayment(owner);

        Api.Reply capture = api().merchant(Api.newMerchant(), "/v1/payments/" + id + "/captures", null, null);
        Api.Reply voiding = api().merchant(Api.newMerchant(), "/v1/payments/" + id + "/void", null, null);

        assertThat(capture.status()).isEqualTo(404);
        assertThat(capture.body().get("code").asText()).isEqualTo("payment-not-found");
        assertThat(voiding.status()).isEqualTo(404);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM domain_event_entry WHERE aggregate_identifier = ?",
                Long.class, id)).isEqualTo(2);
    }

    @Test
    void aMerchantReferenceIsUniquePerMerchantButNotAcrossMerchants() {
        String merchant = Api.newMerchant();
        String body = Api.createBody("ORD-UNIQUE", 1050, "manual");

        Api.Reply first = api().create(merchant, "k1", body);
        Api.Reply duplicate = api().create(merchant, "k2", body);
        Api.Reply elsewhere = api().create(Api.newMerchant(), "k1", body);

        assertThat(first.status()).isEqualTo(201);
        assertThat(duplicate.status()).isEqualTo(409);
        assertThat(duplicate.body().get("code").asText()).isEqualTo("merchant-reference-taken");
        assertThat(elsewhere.status()).isEqualTo(201);
    }

    @Test
    void aCurrencyTheMerchantMayNotUseIsRefused() {
        Api.Reply refused = api().create(Api.newMerchant(), "k1", Api.createBody("ORD-JPY", 1050, "manual").replace("MYR", "JPY"));

        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.body().get("code").asText()).isEqualTo("currency-not-allowed");
    }

    @Test
    void anAmountAboveTheMaximumIsRefused() {
        Api.Reply refused = api().create(Api.newMerchant(), "k1", Api.createBody("ORD-BIG", 100_000_001L, "manual"));

        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.body().get("code").asText()).isEqualTo("amount-above-maximum");
    }
}
