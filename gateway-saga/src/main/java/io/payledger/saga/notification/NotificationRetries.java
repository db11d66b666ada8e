package io.payledger.saga.notification;

import io.payledger.events.payment.AttentionCleared;
import io.payledger.events.payment.Steps;
import io.payledger.saga.reconciliation.LedgerPositions;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.stereotype.Component;

/**
 * An operator's retry of a notification the relay could not read: its inbox entries are relayed again (once
 * whatever stopped them, a currency the JVM did not know, say, is fixed). Reads the topic with the ledger's view.
 */
@Component
@ProcessingGroup(LedgerPositions.PROCESSING_GROUP)
class NotificationRetries {

    private final NotificationInbox inbox;

    NotificationRetries(NotificationInbox inbox) {
        this.inbox = inbox;
    }

    @EventHandler
    void on(AttentionCleared event) {
        if ("retry".equals(event.resolution())) {
            Steps.notificationOf(event.step()).ifPresent(inbox::revive);
        }
    }
}
