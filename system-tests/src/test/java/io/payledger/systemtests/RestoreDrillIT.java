package io.payledger.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import io.payledger.events.payment.PaymentStatus;
import io.payledger.systemtests.drill.ReadModelsCompared;
import io.payledger.systemtests.drill.RestoreDrill;
import io.payledger.localstack.tokens.DevTokens;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backup and restore drill, run for real against the running system: its event store is backed
 * up, restored into a new database, audited, republished and projected into new read models, which
 * must equal the live ones.
 */
class RestoreDrillIT {

    private static final String MERCHANT = "m-drill-" + UUID.randomUUID().toString().substring(0, 6);

    private static SystemUnderTest system;

    @BeforeAll
    static void aMerchantHasPaymentsInEveryState() {
        system = SharedSystem.get().system;
        system.capturedPayment(MERCHANT, 2500);
        system.partlyRefundedPayment(MERCHANT, """
                {"merchantReference":"ORD-%s","amount":4000,"currency":"MYR","captureMethod":"manual",
                 "returnUrl":"https://shop.example/return"}""".formatted(UUID.randomUUID().toString().substring(0, 12)), 1500);
        String voided = system.create(MERCHANT, 900, "manual");
        system.customerChooses(system.awaitStatus(voided, PaymentStatus.AWAITING_CUSTOMER)
                .redirectUrl(), "pay");
        system.awaitStatus(voided, PaymentStatus.AUTHORISED);
        system.call(SystemUnderTest.Api.COMMANDS, "POST", "/v1/payments/" + voided + "/void", DevTokens.merchant(MERCHANT), null,
                Map.of("Idempotency-Key", UUID.randomUUID().toString()));
        system.awaitStatus(voided, PaymentStatus.VOIDED);
    }

    @Test
    void aRestoredEventStoreHoldsTheSameLogWithIntactChainsAndRebuildsReadModelsEqualToTheLiveOnes(@TempDir Path work)
            throws Exception {
        RestoreDrill.Report report = system.restoreDrill(work);

        assertThat(report.source().events()).isPositive();
        assertThat(report.restored().events()).isEqualTo(report.source().events());
        assertThat(report.restored().digest()).isEqualTo(report.source().digest());
        assertThat(report.source().chainsIntact()).isTrue();
        assertThat(report.restored().broken()).isEmpty();
        assertThat(report.readModels().tables()).extracting(ReadModelsCompared.Table::name)
                .containsExactly("audit_event", "payment_view", "journal_line");
        assertThat(report.readModels().tables()).allSatisfy(table -> {
            assertThat(table.compared()).as(table.name()).isPositive();
            assertThat(table.examples()).as(table.name()).isEmpty();
            assertThat(table.differing()).as(table.name()).isZero();
        });
        assertThat(report.readModels().tables().get(0).compared()).isEqualTo(report.source().events());
        assertThat(report.readModels().rebuiltTrialBalanceBalances()).isTrue();
        assertThat(report.passed()).as(report.table()).isTrue();
        assertThat(report.steps()).hasSize(6);
    }
}
