package io.payledger.command.security;

/** The roles of API.md, as they appear in a token's {@code roles} claim. */
public final class Roles {
    public static final String MERCHANT = "merchant";
    public static final String FINANCE = "finance";
    public static final String AUDITOR = "auditor";
    public static final String OPERATOR = "operator";
    public static final String GATEWAY = "gateway";

    private Roles() {
    }
}
