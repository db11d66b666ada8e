package io.payledger.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.payledger.command.support.Api;
import io.payledger.command.support.RealServersIT;
import io.payledger.localstack.tokens.DevTokens;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * gateway-saga's reports, many payments' in one request: each is answered on its own, as its single request would
 * be, and a report refused or unreadable changes nothing for the others in the batch.
 */
class GatewayReportBatchIT extends RealServersIT {

    private static final String BATCH = "/internal/v1/payment-reports";

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void eachReportInABatchIsTakenOrRefusedOnItsOwnWithTheStatusItsSingleRequestWouldAnswer() {
        String merchant = Api.newMerchant();
        String awaitingCheckout = created(merchant, "manual", 1050);
        String awaitingAuthorisation = created(merchant, "manual", 2200);
        String captured = created(merchant, "automatic", 2500);
        api().gateway(captured, "/authorisation", "{\"amount\":2500,\"currency\":\"MYR\",\"gatewayTransactionId\":\"3100003\"}");
        Api.Reply voidAlone = api().gateway(captured, "/void", null);
        String unknown = UUID.randomUUID().toString();

        Api.Reply batch = reports("""
                {"reports":[
                  {"paymentId":"%s","outcome":"/checkout","body":{"redirectUrl":"https://pay.example/RMS/pay/M/"}},
                  {"paymentId":"%s","outcome":"/void"},
                  {"paymentId":"%s","outcome":"/authorisation","body":{"amount":2200,"currency":"MYR"}},
                  {"paymentId":"%s","outcome":"/authorisation","body":{"amount":2200,"currency":"MYR","gatewayTransactionId":"3100002"}},
                  {"paymentId":"%s","outcome":"/checkout","body":{"redirectUrl":"https://pay.example/x"}},
                  {"paymentId":"%s","outcome":"/settle-everything","body":{}},
                  {"paymentId":"not a payment id!","outcome":"/expiry"}
                ]}""".formatted(awaitingCheckout, captured, awaitingAuthorisation, awaitingAuthorisation, unknown,
                awaitingCheckout));

        assertThat(batch.status()).isEqualTo(200);
        JsonNode answers = batch.body().get("answers");
        assertThat(answers).hasSize(7);
        assertThat(answers.get(0).get("status").asInt()).isEqualTo(200);
        assertThat(voidAlone.status()).isEqualTo(409);
        assertThat(answers.get(1).get("status").asInt()).isEqualTo(voidAlone.status());
        assertThat(answers.get(1).get("code").asText()).isEqualTo(voidAlone.body().get("code").asText());
        assertThat(answers.get(2).get("status").asInt()).isEqualTo(400);
        assertThat(answers.get(2).get("code").asText()).isEqualTo("validation-failed");
        assertThat(answers.get(3).get("status").asInt()).isEqualTo(200);
        assertThat(answers.get(4).get("status").asInt()).isEqualTo(404);
        assertThat(answers.get(4).get("code").asText()).isEqualTo("payment-not-found");
        assertThat(answers.get(5).get("status").asInt()).isEqualTo(404);
        assertThat(answers.get(6).get("status").asInt()).isEqualTo(404);
        assertThat(status(awaitingCheckout)).isEqualTo("awaiting_customer");
        assertThat(status(awaitingAuthorisation)).isEqualTo("authorised");
        assertThat(status(captured)).isEqualTo("captured");
        assertThat(events(unknown)).isZero();
    }

    @Test
    void aBatchSentTwiceRecordsEachReportOnce() {
        String merchant = Api.newMerchant();
        String first = created(merchant, "automatic", 1200);
        String second = created(merchant, "automatic", 1300);
        String body = """
                {"reports":[
                  {"paymentId":"%s","outcome":"/authorisation","body":{"amount":1200,"currency":"MYR","gatewayTransactionId":"3200001"}},
                  {"paymentId":"%s","outcome":"/authorisation","body":{"amount":1300,"currency":"MYR","gatewayTransactionId":"3200002"}}
                ]}""".formatted(first, second);

        Api.Reply once = reports(body);
        long eventsAfterOnce = events(first) + events(second);
        Api.Reply twice = reports(body);

        assertThat(once.body().get("answers")).allSatisfy(answer -> assertThat(answer.get("status").asInt()).isEqualTo(200));
        assertThat(twice.body().get("answers")).allSatisfy(answer -> assertThat(answer.get("status").asInt()).isEqualTo(200));
        assertThat(status(first)).isEqualTo("captured");
        assertThat(events(first) + events(second)).isEqualTo(eventsAfterOnce);
    }

    @Test
    void onlyTheGatewayMayReportInBatchesAndAnUnreadableBatchChangesNothing() {
        String id = created(Api.newMerchant(), "manual", 1400);
        String oneCheckout = """
                {"reports":[{"paymentId":"%s","outcome":"/checkout","body":{"redirectUrl":"https://pay.example/RMS/pay/M/"}}]}"""
                .formatted(id);

        Api.Reply asMerchant = api().post(BATCH, DevTokens.merchant(Api.newMerchant()), null, oneCheckout);
        Api.Reply empty = reports("{\"reports\":[]}");
        Api.Reply notJson = reports("{\"reports\":[{\"paymentId\":");

        assertThat(asMerchant.status()).isEqualTo(403);
        assertThat(empty.status()).isEqualTo(400);
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(status(id)).isEqualTo("created");
    }

    /** A report as sent alone and inside a batch: the same payment state, the same path, the same body (null: none). */
    record Case(String captureMethod, boolean checkoutFirst, String outcome, String body) { }

    @Test
    void everyKindOfReportInABatchAnswersTheStatusAndCodeOfItsSingleRequest() {
        String unknownRefund = "/refunds/" + UUID.randomUUID() + "/success";
        List<Case> cases = List.of(
                new Case("manual", false, "/checkout", "{\"redirectUrl\":\"https://pay.example/RMS/pay/M/\"}"),
                new Case("manual", false, "/checkout", "{\"redirectUrl\":\"https://pay.example/x\",\"extra\":1}"),
                new Case("manual", false, "/checkout", null),
                new Case("manual", true, "/authorisation", "{\"amount\":10.5,\"currency\":\"MYR\",\"gatewayTransactionId\":\"1\"}"),
                new Case("manual", true, "/authorisation", "{\"amount\":\"1050\",\"currency\":\"MYR\",\"gatewayTransactionId\":\"2\"}"),
                new Case("manual", true, "/authorisation", "{\"amount\":1050,\"currency\":\"XXX1\",\"gatewayTransactionId\":\"3\"}"),
                new Case("manual", true, "/authorisation-failure", "{}"),
                new Case("manual", true, "/capture", null),
                new Case("manual", true, "/capture", "{\"amount\":1050}"),
                new Case("manual", true, "/void", null),
                new Case("manual", true, "/expiry", "{}"),
                new Case("manual", true, "/attention", "{\"step\":\"no-such-step\",\"reasonCode\":\"x\"}"),
                new Case("manual", true, "/attention", "{\"step\":\"capture\",\"reasonCode\":\"fiuu-silent\"}"),
                new Case("manual", true, unknownRefund, "{}"),
                new Case("manual", true, "/unexpected-charges/ch%201/released", "{\"releasedBy\":\"refund\"}"),
                new Case("manual", true, "/unexpected-charges/ch-1/released", "{\"releasedBy\":\"gift\"}"));
        String merchant = Api.newMerchant();
        List<String> alone = new ArrayList<>();
        List<String> inBatch = new ArrayList<>();
        StringBuilder batch = new StringBuilder("{\"reports\":[");
        for (Case report : cases) {
            String single = prepared(merchant, report);
            String batched = prepared(merchant, report);
            Api.Reply reply = api().gateway(single, report.outcome(), report.body());
            alone.add(reply.status() + " " + (reply.status() == 200 ? "" : reply.body().path("code").asText()));
            batch.append(inBatch.isEmpty() ? "" : ",").append("{\"paymentId\":\"").append(batched)
                    .append("\",\"outcome\":\"").append(report.outcome()).append("\"")
                    .append(report.body() == null ? "" : ",\"body\":" + report.body()).append("}");
            inBatch.add(batched);
        }
        Api.Reply answered = reports(batch.append("]}").toString());

        assertThat(answered.status()).isEqualTo(200);
        List<String> batchedAnswers = new ArrayList<>();
        answered.body().get("answers").forEach(answer -> batchedAnswers.add(answer.get("status").asInt() + " "
                + (answer.get("status").asInt() == 200 ? "" : answer.path("code").asText())));
        assertThat(batchedAnswers).as("each report's answer in a batch, against its single request's, for " + cases)
                .containsExactlyElementsOf(alone);
        assertThat(alone).as("the cases cover takes, refusals and unreadable reports")
                .contains("200 ", "400 malformed-request", "400 validation-failed", "400 invalid-gateway-report");
    }

    @Test
    void aReportNotBegunWhenTheBatchsTimeIsUpIsAnsweredNotAttemptedAndChangesNothing() {
        String merchant = Api.newMerchant();
        String first = created(merchant, "manual", 1500);
        String second = created(merchant, "manual", 1600);
        String third = created(merchant, "manual", 1700);
        String checkout = "{\"paymentId\":\"%s\",\"outcome\":\"/checkout\",\"body\":{\"redirectUrl\":\"https://pay.example/RMS/pay/M/\"}}";

        Api.Reply batch = reports("{\"answerWithinMillis\":1,\"reports\":[" + checkout.formatted(first) + ","
                + checkout.formatted(second) + "," + checkout.formatted(third) + "]}");

        assertThat(batch.status()).isEqualTo(200);
        JsonNode answers = batch.body().get("answers");
        assertThat(answers.get(0).get("status").asInt()).isEqualTo(200);
        assertThat(answers.get(1).get("status").asInt()).isEqualTo(503);
        assertThat(answers.get(1).get("code").asText()).isEqualTo("not-attempted");
        assertThat(answers.get(2).get("status").asInt()).isEqualTo(503);
        assertThat(status(first)).isEqualTo("awaiting_customer");
        assertThat(status(second)).isEqualTo("created");
        assertThat(status(third)).isEqualTo("created");
    }

    /** A payment in the state the case's report meets: created, or awaiting its customer after a checkout. */
    private String prepared(String merchant, Case report) {
        String id = created(merchant, report.captureMethod(), 1050);
        if (report.checkoutFirst()) {
            api().gateway(id, "/checkout", "{\"redirectUrl\":\"https://pay.example/RMS/pay/M/\"}");
        }
        return id;
    }

    private Api.Reply reports(String body) {
        return api().post(BATCH, DevTokens.withRoles("gateway-saga", "gateway"), null, body);
    }

    private String created(String merchant, String captureMethod, long amount) {
        return api().create(merchant, UUID.randomUUID().toString(),
                Api.createBody("ORD-" + UUID.randomUUID().toString().substring(0, 8), amount, captureMethod))
                .body().get("id").asText();
    }

    /** The payment's status as its last recorded event left it, answered by a repeated report that changes nothing. */
    private String status(String paymentId) {
        return api().gateway(paymentId, "/attention/settled",
                "{\"step\":\"report\",\"resolution\":\"report-discarded\",\"note\":\"status probe\"}").body()
                .get("status").asText();
    }

    private long events(String paymentId) {
        return jdbc.queryForObject("SELECT count(*) FROM domain_event_entry WHERE aggregate_identifier = ?", Long.class,
                paymentId);
    }
}
