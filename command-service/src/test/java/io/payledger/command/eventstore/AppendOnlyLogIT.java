package io.payledger.command.eventstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.payledger.command.support.Api;
import io.payledger.command.support.RealServersIT;
import io.payledger.events.chain.ChainCheck;
import io.payledger.events.payment.PaymentId;
import io.payledger.localstack.servers.RealServers;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

class AppendOnlyLogIT extends RealServersIT {

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    EventLogVerifier verifier;

    @Test
    void updateOnTheEventTableFails() {
        String id = api().authorisedPayment(Api.newMerchant());

        assertThatThrownBy(() -> jdbc.update(
                "UPDATE domain_event_entry SET payload = payload WHERE aggregate_identifier = ?", id))
                .rootCause().hasMessageContaining("the event log is append-only: UPDATE");
    }

    @Test
    void deleteOnTheEventTableFails() {
        String id = api().authorisedPayment(Api.newMerchant());

        assertThatThrownBy(() -> jdbc.update("DELETE FROM domain_event_entry WHERE aggregate_identifier = ?", id))
                .rootCause().hasMessageContaining("the event log is append-only: DELETE");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM domain_event_entry WHERE aggregate_identifier = ?",
                Long.class, id)).isEqualTo(2);
    }

    @Test
    void truncateOfTheEventTableFails() {
        assertThatThrownBy(() -> jdbc.execute("TRUNCATE domain_event_entry"))
                .rootCause().hasMessageContaining("the event log is append-only: TRUNCATE");
    }

    @Test
    void theStoredChainOfAWholeLifecycleVerifies() {
        String merchant = Api.newMerchant();
        String id = api().authorisedPayment(merchant);
        api().merchant(merchant, "/v1/payments/" + id + "/captures", null, "{\"amount\":1000}");
        api().gateway(id, "/capture", "{}");
        api().merchant(merchant, "/v1/payments/" + id + "/refunds", null, "{\"amount\":300,\"reason\":\"damaged\"}");

        ChainCheck check = verifier.verify(PaymentId.of(id));

        assertThat(check.intact()).isTrue();
        assertThat(check.eventsChecked()).isEqualTo(5);
    }

    @Test
    void aRowAlteredBehindTheTriggersBackIsDetectedByTheHashCheck() {
        String merchant = Api.newMerchant();
        String id = api().authorisedPayment(merchant);
        assertThat(verifier.verify(PaymentId.of(id)).intact()).isTrue();

        // a superuser who bypasses the trigger and turns 1050 into 10 in the authorisation
        RealServers.postgres().execute(database(), """
                SET session_replication_role = replica;
                UPDATE domain_event_entry
                   SET payload = convert_to(replace(convert_from(payload, 'UTF8'), '"amount":1050', '"amount":10'), 'UTF8')
                 WHERE aggregate_identifier = '%s' AND sequence_number = 1;""".formatted(id));

        ChainCheck check = verifier.verify(PaymentId.of(id));

        assertThat(check.intact()).isFalse();
        assertThat(check.brokenSequenceNumber()).isEqualTo(1);
        assertThat(check.reason()).contains("content does not match");
    }
}
