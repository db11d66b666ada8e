package io.payledger.saga.work;

import io.payledger.saga.command.PaymentOutcomes;
import java.util.function.Consumer;

/** What one turn of a Fiuu step came to: a settled outcome, a reason to ask again later, or a person to ask. */
public sealed interface Decision {

    /** Why a step asks again later, and which of its counts that spends. */
    enum Again {
        /** Fiuu did not answer, or its answer could not be trusted: spends an attempt ({@code max-attempts}) */
        UNANSWERED,
        /** Fiuu says pending (a capture, a checkout being paid): spends an attempt too */
        PENDING,
        /** Fiuu is processing a refund, which takes it days: spends a poll ({@code max-pending-polls}) */
        REFUND_PENDING
    }

    /** The step is over: report what Fiuu said (or nothing, when the payment moved on without it). */
    record Settled(Consumer<PaymentOutcomes> report) implements Decision {
        static final Settled NOTHING_TO_DO = new Settled(outcomes -> { });
    }

    /** Ask Fiuu again after a backoff. */
    record Later(Again why, String detail) implements Decision { }

    /** Fiuu has no payment for the order yet: asked again after {@code checkout-requery-after}, counting towards expiry. */
    record NotYet(String detail) implements Decision { }

    /** Give an unexpected charge back the other way (refund instead of reversal, or the reverse), at once. */
    record OtherWay(String detail) implements Decision { }

    /** Nothing more can be done without a person. */
    record AskAPerson(String reasonCode, String detail) implements Decision { }

    static Settled settled(Consumer<PaymentOutcomes> report) {
        return new Settled(report);
    }
}
