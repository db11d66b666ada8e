package io.payledger.events.payment;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The names of a payment's gateway steps, as {@link AttentionRequired} and {@link AttentionCleared} name
 * them: the same string on every side (the saga raising attention, the aggregate, the operator's API).
 */
public final class Steps {

    public static final String AUTHORISATION = "authorisation";
    public static final String CAPTURE = "capture";
    public static final String VOID = "void";
    public static final String REPORT = "report";
    private static final String REFUND = "refund:";
    private static final String RELEASE = "release:";
    private static final String NOTIFICATION = "notification:";

    private Steps() {
    }

    public static String refund(RefundId refund) {
        return REFUND + refund.value();
    }

    public static String release(String chargeId) {
        return RELEASE + chargeId;
    }

    /** The refund a step names, if it names one. */
    public static Optional<RefundId> refundOf(String step) {
        return step.startsWith(REFUND) ? Optional.of(RefundId.of(step.substring(REFUND.length())))
                : Optional.empty();
    }

    /** A notification of Fiuu's transaction that could not be read (its amount in its currency, say). */
    public static String notification(String tranId) {
        return NOTIFICATION + tranId;
    }

    /** The transaction a notification step names, if it names one. */
    public static Optional<String> notificationOf(String step) {
        return step.startsWith(NOTIFICATION) ? Optional.of(step.substring(NOTIFICATION.length())) : Optional.empty();
    }

    /** The charge a step names, if it names one. */
    public static Optional<String> chargeOf(String step) {
        return step.startsWith(RELEASE) ? Optional.of(step.substring(RELEASE.length())) : Optional.empty();
    }

    /** The outcomes an operator may record for a stuck step (besides asking the gateway to retry it). */
    public static List<String> outcomesOf(String step) {
        if (step.equals(CAPTURE)) {
            return List.of("captured", "capture-failed");
        } else if (step.equals(VOID)) {
            return List.of("voided", "void-failed");
        } else if (step.equals(AUTHORISATION)) {
            return List.of("expired");
        } else if (step.startsWith(REFUND)) {
            return List.of("refund-succeeded", "refund-failed");
        } else if (step.startsWith(RELEASE)) {
            return List.of("released");
        } else if (step.startsWith(NOTIFICATION)) {
            return List.of("discarded"); // once Fiuu's record of the transaction is known to be reflected elsewhere
        }
        return List.of(); // a stuck report is retried or discarded at the gateway
    }

    /** What an operator can do about a stuck step: {@code retry}, {@code resolve:<outcome>}, or the gateway's report actions. */
    public static List<String> actionsOf(String step) {
        if (step.equals(REPORT)) {
            return List.of("retry-report", "discard-report");
        }
        List<String> actions = new ArrayList<>(List.of("retry"));
        outcomesOf(step).forEach(outcome -> actions.add("resolve:" + outcome));
        return List.copyOf(actions);
    }

    /** Whether a step name is one of these, with a well-formed refund or charge id where it names one. */
    public static boolean isKnown(String step) {
        if (step == null) {
            return false;
        }
        if (step.startsWith(REFUND)) {
            return Identifiers.isValid(step.substring(REFUND.length()));
        }
        if (step.startsWith(RELEASE)) {
            return step.substring(RELEASE.length()).matches("[A-Za-z0-9]{1,64}");
        }
        if (step.startsWith(NOTIFICATION)) {
            return step.substring(NOTIFICATION.length()).matches("[A-Za-z0-9]{1,64}");
        }
        return step.equals(AUTHORISATION) || step.equals(CAPTURE) || step.equals(VOID) || step.equals(REPORT);
    }
}
