package io.payledger.saga;

/**
 * The one processor through which gateway-saga reads the events topic. Everything it derives from events (the
 * ledger's view of each payment, the payment's coordination with Fiuu, merchant webhooks, unexpected charges)
 * handles the same stream, a batch at a time in one transaction with the processor's position: one consumer per
 * replica reads and deserializes each record once, and each payment's events are handled in order by one segment.
 */
public final class GatewayEvents {

    public static final String PROCESSING_GROUP = "gateway-events";

    private GatewayEvents() {
    }
}
