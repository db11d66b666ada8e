package io.payledger.events.audit;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * What a log export holds, decided on what a checkpoint seals, so that command-service choosing the payments
 * and the offline verifier proving none was left out apply the same rule: {@code all} holds every payment;
 * {@code merchant} every payment whose first event names the merchant; {@code period} every payment whose
 * first event's time stamp is in {@code [from, to)}, either bound open when absent.
 */
public record ExportScope(String scope, String merchantId, Instant from, Instant to) {

    public static ExportScope of(String merchantId, Instant from, Instant to) {
        return new ExportScope(merchantId != null ? "merchant" : from != null || to != null ? "period" : "all",
                merchantId, from, to);
    }

    public boolean isWholeLog() {
        return "all".equals(scope);
    }

    /** Whether the payment whose first event this is belongs in the export. */
    public boolean covers(SealedEvent firstEvent) {
        return switch (scope) {
            case "all" -> true;
            case "merchant" -> merchantId.equals(firstEvent.merchantId());
            default -> inPeriod(firstEvent.timeStamp());
        };
    }

    private boolean inPeriod(String timeStamp) {
        Instant at;
        try {
            at = timeStamp == null ? null : Instant.parse(timeStamp);
        } catch (DateTimeParseException unreadable) {
            at = null;
        }
        return at != null && (from == null || !at.isBefore(from)) && (to == null || at.isBefore(to));
    }
}
