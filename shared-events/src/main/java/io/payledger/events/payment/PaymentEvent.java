package io.payledger.events.payment;

import io.payledger.events.ledger.JournalEntry;
import java.time.Instant;
import java.util.Optional;

/**
 * A fact about one payment, as stored in the event log and published on Kafka. Events are never
 * changed once stored: a new shape gets a new {@code @Revision} and an upcaster, and the golden
 * files in this module's tests pin the current shapes.
 */
public sealed interface PaymentEvent
        permits PaymentInitiated, CheckoutPrepared, PaymentAuthorised, AuthorisationFailed,
                CaptureRequested, PaymentCaptured, CaptureFailed, VoidRequested, PaymentVoided, VoidFailed,
                RefundRequested, RefundSucceeded, RefundFailed, PaymentExpired, UnexpectedChargeRecorded,
                UnexpectedChargeReleased, AttentionRequired, AttentionCleared {

    PaymentId paymentId();

    /** When the fact happened; read models take their time from here, never from the clock. */
    Instant occurredAt();

    /** The balanced entry of an event that moves money; empty for events that move none. */
    default Optional<JournalEntry> journal() {
        return Optional.empty();
    }
}
