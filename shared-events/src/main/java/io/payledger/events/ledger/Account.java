package io.payledger.events.ledger;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;

/**
 * The chart of accounts. Every journal posting names one of these; docs/ledger.md explains each
 * and shows the entry every money-moving event carries.
 */
public enum Account {
    /** Asset: captured money the gateway owes us until it settles. */
    GATEWAY_CLEARING("gateway_clearing", NormalBalance.DEBIT),
    /** Liability: what we owe the merchant for captured payments, net of refunds. */
    MERCHANT_PAYABLE("merchant_payable", NormalBalance.CREDIT),
    /** Liability: refunds requested from the gateway and not yet settled either way. */
    REFUNDS_IN_FLIGHT("refunds_in_flight", NormalBalance.CREDIT),
    /** Memo asset: customer funds held by an authorisation that is neither captured nor released. */
    AUTHORISATION_HOLDS("authorisation_holds", NormalBalance.DEBIT),
    /** Memo liability: the contra of the holds, so that placing a hold balances. */
    AUTHORISATIONS_OUTSTANDING("authorisations_outstanding", NormalBalance.CREDIT),
    /**
     * Suspense asset: customer money Fiuu holds or took that no payment accounts for (a charge in another
     * currency or amount, a second charge, a charge after the ledger gave up), until it is released.
     */
    UNEXPECTED_CHARGES("unexpected_charges", NormalBalance.DEBIT),
    /** Suspense liability: the same money, owed back to the customer until Fiuu releases it. */
    UNEXPECTED_CHARGES_OWED("unexpected_charges_owed", NormalBalance.CREDIT);

    public enum NormalBalance { DEBIT, CREDIT }

    private final String code;
    private final NormalBalance normalBalance;

    Account(String code, NormalBalance normalBalance) {
        this.code = code;
        this.normalBalance = normalBalance;
    }

    @JsonValue
    public String code() {
        return code;
    }

    public NormalBalance normalBalance() {
        return normalBalance;
    }

    @JsonCreator
    public static Account fromCode(String code) {
        return Arrays.stream(values())
                .filter(account -> account.code.equals(code))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no such account: " + code));
    }
}
