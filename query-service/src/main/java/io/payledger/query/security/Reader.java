package io.payledger.query.security;

import io.payledger.security.Roles;
import java.util.List;
import org.springframework.security.oauth2.jwt.Jwt;

/** Who is reading: a merchant sees its own payments and balances; finance and auditors see all. */
public record Reader(List<String> roles, String merchantId) {

    public static Reader of(Jwt token) {
        List<String> roles = token.getClaimAsStringList(Roles.ROLES_CLAIM);
        return new Reader(roles == null ? List.of() : roles, token.getClaimAsString(Roles.MERCHANT_CLAIM));
    }

    private boolean seesEverything() {
        return roles.contains(Roles.FINANCE) || roles.contains(Roles.AUDITOR);
    }

    public boolean maySee(String ownerMerchantId) {
        return seesEverything() || (merchantId != null && merchantId.equals(ownerMerchantId));
    }

    /** Finance and merchants list payments; operators only those that need attention. */
    public boolean mayListPayments() {
        return roles.contains(Roles.FINANCE) || (roles.contains(Roles.MERCHANT) && merchantId != null);
    }

    /** The merchant whose data a query is limited to, or null for everything. */
    public String merchantScope() {
        return seesEverything() ? null : (merchantId == null ? "\u0000no-merchant" : merchantId);
    }
}
