package io.payledger.security;

/** The roles of API.md, as they appear in a token's {@code roles} claim. */
public final class Roles {
    public static final String MERCHANT = "merchant";
    public static final String FINANCE = "finance";
    public static final String AUDITOR = "auditor";
    public static final String OPERATOR = "operator";
    public static final String GATEWAY = "gateway";

    /** The claim holding the roles, and the one naming a merchant token's merchant. */
    public static final String ROLES_CLAIM = "roles";
    public static final String MERCHANT_CLAIM = "merchant_id";

    private Roles() {
    }
}
