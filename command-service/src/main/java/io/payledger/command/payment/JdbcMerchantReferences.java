package io.payledger.command.payment;

import io.payledger.events.payment.MerchantId;
import io.payledger.events.payment.PaymentId;
import java.sql.PreparedStatement;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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

    /** One payment's claim on a merchant's reference. */
    record Claim(MerchantId merchant, String merchantReference, PaymentId paymentId) {
    }

    /**
     * Claims many references in one statement, inside the caller's transaction; a reference already taken, or
     * claimed earlier in the same list, is left to its holder.
     *
     * @return the payments whose reference is now theirs
     */
    Set<PaymentId> claimAll(List<Claim> claims) {
        if (claims.isEmpty()) {
            return Set.of();
        }
        // one order on every replica, so two groups wait for each other instead of deadlocking
        List<Claim> ordered = claims.stream()
                .sorted(Comparator.comparing((Claim claim) -> claim.merchant().value())
                        .thenComparing(Claim::merchantReference))
                .toList();
        Set<PaymentId> claimed = new HashSet<>();
        jdbc.query(connection -> {
            PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO merchant_reference (merchant_id, merchant_reference, payment_id)
                    SELECT merchant_id, merchant_reference, payment_id
                    FROM unnest(?::varchar[], ?::varchar[], ?::varchar[]) WITH ORDINALITY
                         AS c(merchant_id, merchant_reference, payment_id, position)
                    ORDER BY position
                    ON CONFLICT DO NOTHING
                    RETURNING payment_id""");
            insert.setArray(1, connection.createArrayOf("varchar", ordered.stream().map(c -> c.merchant().value()).toArray()));
            insert.setArray(2, connection.createArrayOf("varchar", ordered.stream().map(Claim::merchantReference).toArray()));
            insert.setArray(3, connection.createArrayOf("varchar", ordered.stream().map(c -> c.paymentId().value()).toArray()));
            return insert;
        }, row -> {
            claimed.add(new PaymentId(row.getString(1)));
        });
        return claimed;
    }
}
