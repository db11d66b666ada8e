package io.payledger.command.payment;

import io.payledger.events.payment.MerchantId;
import io.payledger.events.payment.PaymentId;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

@Repository
class JdbcMerchantReferences implements MerchantReferences {

    private final JdbcTemplate jdbc;

    JdbcMerchantReferences(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void claim(MerchantId merchant, String merchantReference, PaymentId paymentId) {
        int inserted = jdbc.update("""
                INSERT INTO merchant_reference (merchant_id, merchant_reference, payment_id)
                VALUES (?, ?, ?) ON CONFLICT DO NOTHING""", merchant.value(), merchantReference, paymentId.value());
        if (inserted == 0) {
            throw Refusal.MERCHANT_REFERENCE_TAKEN.because("merchant reference " + merchantReference
                    + " belongs to another payment");
        }
    }
}
