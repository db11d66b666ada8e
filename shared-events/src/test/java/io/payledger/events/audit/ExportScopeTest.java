package io.payledger.events.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ExportScopeTest {

    private static final Instant FROM = Instant.parse("2026-12-01T00:00:00Z");
    private static final Instant TO = Instant.parse("2026-12-02T00:00:00Z");

    @Test
    void aPeriodHoldsPaymentsCreatedFromItsStartUpToButNotAtItsEnd() {
        ExportScope day = ExportScope.of(null, FROM, TO);
        assertThat(day.covers(first("2026-12-01T00:00:00Z", "m-1"))).isTrue();
        assertThat(day.covers(first("2026-12-01T23:59:59.999Z", "m-1"))).isTrue();
        assertThat(day.covers(first("2026-12-02T00:00:00Z", "m-1"))).isFalse();
        assertThat(day.covers(first("2026-11-30T23:59:59.999Z", "m-1"))).isFalse();
    }

    @Test
    void aPaymentWhoseTimeStampCannotBeReadBelongsToNoPeriod() {
        assertThat(ExportScope.of(null, FROM, null).covers(first("yesterday", "m-1"))).isFalse();
        assertThat(ExportScope.of(null, null, null).covers(first("yesterday", "m-1"))).as("the whole log").isTrue();
    }

    @Test
    void aMerchantsExportHoldsThePaymentsWhoseFirstEventNamesIt() {
        ExportScope merchant = ExportScope.of("m-1", null, null);
        assertThat(merchant.scope()).isEqualTo("merchant");
        assertThat(merchant.covers(first("2026-12-01T00:00:00Z", "m-1"))).isTrue();
        assertThat(merchant.covers(first("2026-12-01T00:00:00Z", "m-10"))).isFalse();
        assertThat(merchant.covers(first("2026-12-01T00:00:00Z", null))).isFalse();
    }

    @Test
    void theMerchantIsReadFromBothRevisionsOfTheFirstEventAndFromNothingElse() throws IOException {
        assertThat(SealedEvent.merchantOf(golden("PaymentInitiated.v1.json"))).isEqualTo("merchant-001");
        assertThat(SealedEvent.merchantOf(golden("PaymentInitiated.v2.json"))).isEqualTo("merchant-001");
        assertThat(SealedEvent.merchantOf("{\"nested\":{\"merchantId\":\"m-x\"}}".getBytes(StandardCharsets.UTF_8))).isNull();
        assertThat(SealedEvent.merchantOf("not json".getBytes(StandardCharsets.UTF_8))).isNull();
        assertThat(SealedEvent.merchantOf("{\"merchantId\":42}".getBytes(StandardCharsets.UTF_8))).isNull();
    }

    private static SealedEvent first(String timeStamp, String merchant) {
        return new SealedEvent(1, "e-1", "p-1", 0, "h", timeStamp, merchant);
    }

    private static byte[] golden(String name) throws IOException {
        try (InputStream in = ExportScopeTest.class.getResourceAsStream("/golden/" + name)) {
            return in.readAllBytes();
        }
    }
}
