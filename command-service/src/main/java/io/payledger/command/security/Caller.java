package io.payledger.command.security;

import io.payledger.events.payment.MerchantId;
import io.payledger.security.Roles;
import org.springframework.security.oauth2.jwt.Jwt;

/** Who is calling, from the bearer token. */
public record Caller(String subject, MerchantId merchantId) {

    /** @throws MerchantClaimMissing when a merchant token has no usable merchant_id */
    public static Caller merchantFrom(Jwt jwt) {
        String merchant = jwt.getClaimAsString(Roles.MERCHANT_CLAIM);
        try {
            return new Caller(jwt.getSubject(), MerchantId.of(merchant));
        } catch (RuntimeException invalid) {
            throw new MerchantClaimMissing();
        }
    }

    /** A merchant token that does not say which merchant: it may act on nothing. */
    public static class MerchantClaimMissing extends RuntimeException {
        public MerchantClaimMissing() {
            super("the token has no valid merchant_id claim");
        }
    }
}
