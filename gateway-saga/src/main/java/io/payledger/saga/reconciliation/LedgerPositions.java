package io.payledger.saga.reconciliation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.payledger.events.json.EventJson;
import io.payledger.events.payment.PaymentEvent;
import io.payledger.events.payment.PaymentHistory;
import io.payledger.events.payment.PaymentInitiated;
import io.payledger.events.payment.PaymentId;
import io.payledger.events.payment.PaymentState;
import io.payledger.saga.GatewayEvents;
import io.payledger.saga.payment.FiuuOrderIds;
import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The ledger's view of every payment, as reconciliation compares it with Fiuu: each payment's
 * events folded with {@link PaymentHistory}, the same fold the aggregate makes, from the events
 * topic. Kafka delivers at least once, so an event at or below the payment's last applied sequence
 * number is a redelivery and is skipped. Each payment's order id is the one Fiuu knows it by ({@link FiuuOrderIds}).
 */
@Component
@ProcessingGroup(GatewayEvents.PROCESSING_GROUP)
public class LedgerPositions {

    private record Stored(PaymentState state, long lastSequence) { }

    private final JdbcTemplate jdbc;
    private final ObjectMapper json = EventJson.newMapper();

    LedgerPositions(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(PaymentEvent event, EventMessage<?> message) {
        long sequence = message instanceof DomainEventMessage<?> domain ? domain.getSequenceNumber() : -1;
        String paymentId = event.paymentId().value();
        Optional<Stored> stored = find(paymentId);
        if (event instanceof PaymentInitiated) {
            if (stored.isEmpty()) {
                insert(PaymentHistory.replay(List.of(event)), Math.max(sequence, 0));
            }
            return;
        }
        if (stored.isEmpty() || (sequence >= 0 && sequence <= stored.get().lastSequence())) {
            return; // a redelivery, or an event of a payment whose start this topic no longer holds
        }
        long applied = sequence >= 0 ? sequence : stored.get().lastSequence() + 1;
        update(PaymentHistory.apply(stored.get().state(), event), applied);
    }

    /** The payment as its events say it stands (a Fiuu step's starting point), with the order id Fiuu knows it by. */
    public Optional<Position> payment(PaymentId paymentId) {
        return jdbc.query("SELECT state, order_id FROM ledger_payment WHERE payment_id = ?",
                (row, n) -> new Position(read(row.getString(1)), row.getString(2)), paymentId.value()).stream().findFirst();
    }

    /** A payment as the ledger's view has it: its state, and its order id at Fiuu. */
    public record Position(PaymentState state, String orderId) { }

    private Optional<Stored> find(String paymentId) {
        return jdbc.query("SELECT state, last_sequence FROM ledger_payment WHERE payment_id = ?",
                (row, n) -> new Stored(read(row.getString(1)), row.getLong(2)), paymentId).stream().findFirst();
    }

    private void insert(PaymentState state, long sequence) {
        jdbc.update("""
                INSERT INTO ledger_payment (payment_id, merchant_id, order_id, currency, amount, status, authorised,
                                            captured, refunded, gateway_transaction_id, state, last_sequence, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (payment_id) DO NOTHING""",
                state.paymentId().value(), state.merchantId().value(), FiuuOrderIds.of(state.paymentId()), state.currency(),
                state.amount().amount(), state.status().code(), state.authorised().amount(), state.captured().amount(),
                state.refunded().amount(), state.gatewayTransactionId(), write(state), sequence,
                Timestamp.from(state.updatedAt()));
    }

    private void update(PaymentState state, long sequence) {
        jdbc.update("""
                UPDATE ledger_payment SET status = ?, authorised = ?, captured = ?, refunded = ?,
                       gateway_transaction_id = ?, state = ?, last_sequence = ?, updated_at = ?
                WHERE payment_id = ?""",
                state.status().code(), state.authorised().amount(), state.captured().amount(), state.refunded().amount(),
                state.gatewayTransactionId(), write(state), sequence, Timestamp.from(state.updatedAt()),
                state.paymentId().value());
    }

    private String write(PaymentState state) {
        try {
            return json.writeValueAsString(state);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the state of " + state.paymentId(), e);
        }
    }

    private PaymentState read(String stored) {
        try {
            return json.readValue(stored, PaymentState.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot read a stored payment state", e);
        }
    }
}
