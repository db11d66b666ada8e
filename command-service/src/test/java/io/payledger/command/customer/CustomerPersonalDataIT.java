package io.payledger.command.customer;

import static org.assertj.core.api.Assertions.assertThat;

import io.payledger.command.support.Api;
import io.payledger.command.support.RealServersIT;
import io.payledger.events.privacy.Keyring.KeyId;
import io.payledger.events.privacy.PersonalData;
import io.payledger.localstack.tokens.DevPersonalDataKeys;
import io.payledger.localstack.tokens.DevTokens;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Customers' personal data against real PostgreSQL: sealed in the log, opened for the merchant and
 * auditors, forgotten on request while the payments and the log stay exactly as they were, and keys
 * that rotate without a single event being rewritten.
 */
class CustomerPersonalDataIT extends RealServersIT {

    private static final String AUDITOR = DevTokens.withRoles("auditor-1", "auditor");
    private static final String OPERATOR = DevTokens.withRoles("operator-1", "operator");

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aCustomersNameEmailAndPhoneReachTheEventLogOnlySealed() {
        String merchant = Api.newMerchant();
        String email = unique("nur") + "@example.com";
        String id = create(merchant, "Nur Aisyah", email, "+60 12-345 6789");

        String stored = storedJsonOf(id);
        assertThat(stored).doesNotContain("Nur Aisyah").doesNotContain(email).doesNotContain("345 6789")
                .contains("\"name\":\"pii:v1:ck-").contains("\"email\":\"pii:v1:ck-").contains("\"phone\":\"pii:v1:ck-");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM customer_key WHERE merchant_id = ?", Integer.class, merchant))
                .isEqualTo(1);
    }

    @Test
    void theOwningMerchantAndAnAuditorReadTheCustomerInClearAndAnotherMerchantCannotTellThePaymentExists() {
        String merchant = Api.newMerchant();
        String email = unique("siti") + "@example.com";
        String id = create(merchant, "Siti", email, null);

        Api.Reply owner = api().get("/v1/customers/by-payment/" + id, DevTokens.merchant(merchant));
        Api.Reply auditor = api().get("/v1/customers/by-payment/" + id, AUDITOR);
        Api.Reply other = api().get("/v1/customers/by-payment/" + id, DevTokens.merchant(Api.newMerchant()));
        Api.Reply missing = api().get("/v1/customers/by-payment/" + UUID.randomUUID(), DevTokens.merchant(merchant));

        assertThat(owner.status()).isEqualTo(200);
        assertThat(owner.body().get("name").asText()).isEqualTo("Siti");
        assertThat(owner.body().get("email").asText()).isEqualTo(email);
        assertThat(owner.body().has("phone")).isFalse();
        assertThat(owner.body().get("forgotten").asBoolean()).isFalse();
        assertThat(auditor.body()).isEqualTo(owner.body());
        assertThat(other.status()).isEqualTo(404);
        assertThat(other.body().get("code")).isEqualTo(missing.body().get("code"));
        assertThat(api().get("/v1/customers/by-payment/" + id, OPERATOR).status()).isEqualTo(403);
    }

    @Test
    void forgettingACustomerByEmailMakesAllTheirPaymentsUnreadableAndLeavesEveryEventAndPaymentAsItWas() {
        String merchant = Api.newMerchant();
        String email = unique("farah") + "@example.com";
        String first = create(merchant, "Farah", email, "+60111111111");
        String second = create(merchant, "Farah binti Ali", email.toUpperCase(), null);
        String someoneElse = create(merchant, "Mei Ling", unique("mei") + "@example.com", null);
        String firstBefore = storedJsonOf(first);
        String secondBefore = storedJsonOf(second);

        Api.Reply forgotten = api().post("/v1/customers/forget", DevTokens.merchant(merchant), null,
                "{\"email\":\"" + email + "\"}");

        assertThat(forgotten.status()).isEqualTo(200);
        assertThat(forgotten.body().get("erasedKeys").asInt()).isEqualTo(1);
        for (String payment : List.of(first, second)) {
            Api.Reply customer = api().get("/v1/customers/by-payment/" + payment, AUDITOR);
            assertThat(customer.status()).isEqualTo(200);
            assertThat(customer.body().get("forgotten").asBoolean()).as(payment).isTrue();
            assertThat(customer.body().has("name")).isFalse();
            assertThat(customer.body().has("email")).isFalse();
        }
        assertThat(api().get("/v1/customers/by-payment/" + someoneElse, AUDITOR).body().get("name").asText())
                .isEqualTo("Mei Ling");
        assertThat(storedJsonOf(first)).isEqualTo(firstBefore);
        assertThat(storedJsonOf(second)).isEqualTo(secondBefore);
        assertThat(jdbc.queryForObject("SELECT erased_keys FROM customer_erasure WHERE merchant_id = ?", Integer.class, merchant))
                .isEqualTo(1);

        api().gateway(first, "/authorisation", "{\"amount\":1050,\"currency\":\"MYR\",\"gatewayTransactionId\":\"3000002\"}");
        assertThat(api().merchant(merchant, "/v1/payments/" + first + "/captures", null, null).status())
                .as("a forgotten customer's payment can still be captured").isEqualTo(202);
        assertThat(api().post("/v1/customers/forget", DevTokens.merchant(merchant), null, "{\"email\":\"" + email + "\"}")
                .body().get("erasedKeys").asInt()).as("forgetting twice erases nothing more").isZero();
    }

    @Test
    void anOperatorForgetsTheCustomerBehindAPaymentOrByPhoneWithTheMerchantNamed() {
        String merchant = Api.newMerchant();
        String byPayment = create(merchant, "Ahmad", unique("ahmad") + "@example.com", null);
        String byPhone = create(merchant, "Chen", null, "+65 9123 4567");

        Api.Reply viaPayment = api().post("/v1/customers/forget", OPERATOR, null, "{\"paymentId\":\"" + byPayment + "\"}");
        Api.Reply phoneWithoutMerchant = api().post("/v1/customers/forget", OPERATOR, null, "{\"phone\":\"+6591234567\"}");
        Api.Reply viaPhone = api().post("/v1/customers/forget", OPERATOR, null,
                "{\"phone\":\"+6591234567\",\"merchantId\":\"" + merchant + "\"}");

        assertThat(viaPayment.body().get("erasedKeys").asInt()).isEqualTo(1);
        assertThat(viaPayment.body().get("merchantId").asText()).isEqualTo(merchant);
        assertThat(phoneWithoutMerchant.status()).isEqualTo(400);
        assertThat(viaPhone.body().get("erasedKeys").asInt()).as("the phone matches however it was written").isEqualTo(1);
        assertThat(api().get("/v1/customers/by-payment/" + byPayment, AUDITOR).body().get("forgotten").asBoolean()).isTrue();
        assertThat(api().get("/v1/customers/by-payment/" + byPhone, AUDITOR).body().get("forgotten").asBoolean()).isTrue();
    }

    @Test
    void aForgetRequestMustNameExactlyOneCustomerAndAMerchantMayNotForgetAnotherMerchantsCustomers() {
        String merchant = Api.newMerchant();
        String theirs = create(Api.newMerchant(), "Raj", unique("raj") + "@example.com", null);

        assertThat(api().post("/v1/customers/forget", DevTokens.merchant(merchant), null, "{}").status()).isEqualTo(400);
        assertThat(api().post("/v1/customers/forget", DevTokens.merchant(merchant), null,
                "{\"email\":\"a@example.com\",\"phone\":\"+60123456789\"}").status()).isEqualTo(400);
        assertThat(api().post("/v1/customers/forget", DevTokens.merchant(merchant), null,
                "{\"email\":\"a@example.com\",\"merchantId\":\"someone-else\"}").status()).isEqualTo(400);
        assertThat(api().post("/v1/customers/forget", DevTokens.merchant(merchant), null,
                "{\"paymentId\":\"" + theirs + "\"}").status()).isEqualTo(404);
        assertThat(api().get("/v1/customers/by-payment/" + theirs, AUDITOR).body().get("forgotten").asBoolean()).isFalse();
        assertThat(api().post("/v1/customers/forget", AUDITOR, null, "{\"paymentId\":\"" + theirs + "\"}").status())
                .isEqualTo(403);
    }

    @Test
    void aCustomersKeyIsReplacedAfterItsLifetimeAndWhatTheOldKeySealedStillOpens() {
        String merchant = Api.newMerchant();
        String email = unique("lim") + "@example.com";
        String before = create(merchant, "Lim", email, null);
        jdbc.update("UPDATE customer_key SET created_at = now() - interval '91 days' WHERE merchant_id = ?", merchant);

        String after = create(merchant, "Lim", email, null);

        assertThat(PersonalData.keyIdOf(nameIn(after))).isNotEqualTo(PersonalData.keyIdOf(nameIn(before)));
        assertThat(api().get("/v1/customers/by-payment/" + before, AUDITOR).body().get("name").asText()).isEqualTo("Lim");
        assertThat(api().get("/v1/customers/by-payment/" + after, AUDITOR).body().get("name").asText()).isEqualTo("Lim");
    }

    @Test
    void aNewMasterKeyRewrapsEveryDataKeySoTheOldMasterKeyCanBeRetiredWithoutTouchingSealedData() {
        CustomerKeys underOld = keys(Map.of("dev-1", DevPersonalDataKeys.MASTER_KEY_1), "dev-1");
        String subject = "rotation-merchant/" + "a".repeat(64);
        jdbc.update("DELETE FROM customer_key WHERE merchant_id = 'rotation-merchant'");
        PersonalData sealedUnderOld = new PersonalData(underOld);
        String sealed = sealedUnderOld.seal("Tan", subject, "payment-1/customer.name");

        CustomerKeys afterRotation = keys(Map.of("dev-1", DevPersonalDataKeys.MASTER_KEY_1, "new", DevPersonalDataKeys.MASTER_KEY_2), "new");
        int moved = 0;
        for (int batch; (batch = afterRotation.rewrapOntoCurrentMasterKey(500)) > 0; ) {
            moved += batch;
        }
        CustomerKeys newOnly = keys(Map.of("new", DevPersonalDataKeys.MASTER_KEY_2), "new");

        assertThat(moved).isGreaterThanOrEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM customer_key WHERE master_key_id <> 'new'", Integer.class)).isZero();
        assertThat(new PersonalData(newOnly).open(sealed, "payment-1/customer.name")).contains("Tan");
        assertThat(newOnly.key(PersonalData.keyIdOf(sealed))).isPresent();
        assertThat(newOnly.key(new KeyId("ck-never-made"))).isEmpty();
        // put the keys back under the application's master key for the other tests
        keys(Map.of("new", DevPersonalDataKeys.MASTER_KEY_2, "dev-1", DevPersonalDataKeys.MASTER_KEY_1), "dev-1")
                .rewrapOntoCurrentMasterKey(100_000);
    }

    private CustomerKeys keys(Map<String, String> masterKeys, String current) {
        return new CustomerKeys(jdbc, new PersonalDataProperties(masterKeys, current, DevPersonalDataKeys.INDEX_KEY,
                Duration.ofDays(90)), Clock.systemUTC());
    }

    private String create(String merchant, String name, String email, String phone) {
        StringBuilder customer = new StringBuilder("{\"name\":\"" + name + "\"");
        if (email != null) {
            customer.append(",\"email\":\"").append(email).append('"');
        }
        if (phone != null) {
            customer.append(",\"phone\":\"").append(phone).append('"');
        }
        customer.append('}');
        Api.Reply created = api().create(merchant, UUID.randomUUID().toString(), """
                {"merchantReference":"%s","amount":1050,"currency":"MYR","captureMethod":"manual","customer":%s}"""
                .formatted(unique("ORD"), customer));
        assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
        return created.body().get("id").asText();
    }

    private String storedJsonOf(String payment) {
        return jdbc.queryForObject("""
                SELECT convert_from(payload, 'UTF8') FROM domain_event_entry
                WHERE aggregate_identifier = ? AND sequence_number = 0""", String.class, payment);
    }

    private String nameIn(String payment) {
        String json = storedJsonOf(payment);
        int start = json.indexOf("\"name\":\"") + 8;
        return json.substring(start, json.indexOf('"', start));
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
