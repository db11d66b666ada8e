package io.payledger.saga.payment;

import io.payledger.events.payment.PaymentId;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Which payment each Fiuu order id belongs to, so that a notification (which names only the order)
 * finds its payment, and the browser return finds the merchant's return URL.
 */
@Repository
public class FiuuOrders {

    public record Order(String orderId, PaymentId paymentId, String currency, String returnUrl) { }

    /** A refund asked of Fiuu under our RefID: a merchant's refund, or (with a charge id) the release of an unexpected charge. */
    public record Refund(String refId, PaymentId paymentId, String chargeId) { }

    private final JdbcTemplate jdbc;

    FiuuOrders(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** @return false when another payment already uses the order id at Fiuu */
    public boolean register(String orderId, PaymentId paymentId, String currency, String returnUrl) {
        jdbc.update("""
                INSERT INTO fiuu_order (order_id, payment_id, currency, return_url) VALUES (?, ?, ?, ?)
                ON CONFLICT (order_id) DO NOTHING""", orderId, paymentId.value(), currency, returnUrl);
        return find(orderId).map(order -> order.paymentId().equals(paymentId)).orElse(false);
    }

    /** Remembers which payment a refund (Fiuu's RefID) belongs to, before Fiuu is asked for it. */
    public void registerRefund(String refId, PaymentId paymentId) {
        jdbc.update("INSERT INTO fiuu_refund (ref_id, payment_id) VALUES (?, ?) ON CONFLICT (ref_id) DO NOTHING",
                refId, paymentId.value());
    }

    /** Remembers the refund (RefID) that gives an unexpected charge back, before Fiuu is asked for it. */
    public void registerRelease(String refId, PaymentId paymentId, String chargeId) {
        jdbc.update("INSERT INTO fiuu_refund (ref_id, payment_id, charge_id) VALUES (?, ?, ?) ON CONFLICT (ref_id) DO NOTHING",
                refId, paymentId.value(), chargeId);
    }

    public Optional<Refund> refund(String refId) {
        return jdbc.query("SELECT ref_id, payment_id, charge_id FROM fiuu_refund WHERE ref_id = ?",
                (row, n) -> new Refund(row.getString(1), PaymentId.of(row.getString(2)), row.getString(3)), refId)
                .stream().findFirst();
    }

    public Optional<Order> find(String orderId) {
        List<Order> orders = jdbc.query("SELECT order_id, payment_id, currency, return_url FROM fiuu_order WHERE order_id = ?",
                (row, n) -> new Order(row.getString(1), PaymentId.of(row.getString(2)), row.getString(3), row.getString(4)),
                orderId);
        return orders.stream().findFirst();
    }
}
