package io.payledger.saga.payment;

import io.payledger.events.payment.AttentionCleared;
import io.payledger.events.payment.CaptureMethod;
import io.payledger.events.payment.CaptureRequested;
import io.payledger.events.payment.PaymentId;
import io.payledger.events.payment.PaymentInitiated;
import io.payledger.events.payment.RefundRequested;
import io.payledger.events.payment.Steps;
import io.payledger.events.payment.UnexpectedChargeRecorded;
import io.payledger.events.payment.UnexpectedChargeReleased;
import io.payledger.events.payment.VoidRequested;
import io.payledger.saga.GatewayEvents;
import io.payledger.saga.charge.UnexpectedCharges;
import io.payledger.saga.command.PaymentOutcomes;
import io.payledger.saga.fiuu.FiuuCheckout;
import io.payledger.saga.notification.NotificationInbox;
import io.payledger.saga.work.FiuuWork;
import io.payledger.saga.work.FiuuWorkers;
import java.time.Duration;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.messaging.annotation.MessageIdentifier;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.springframework.stereotype.Component;

/**
 * Each payment's conversation with Fiuu, as the events ask for it. A new payment gets its hosted-page checkout
 * (built here, no call to Fiuu) and a re-query due if it hears nothing; a capture, void or refund the merchant
 * asked for, and an unexpected charge to give back, become Fiuu work items ({@link FiuuWork}), which workers carry
 * out off this thread and report; an operator's retry of a stuck step makes its item due again. Nothing here waits
 * for Fiuu or for command-service, so a slow Fiuu never slows the handling of any payment's events.
 * <p>
 * Redelivery is harmless: an item is keyed by the event that asked for it, and the checkout is reported only by the
 * delivery that scheduled the payment's re-query. Notifications reach command-service through the inbox, not here.
 */
@Component
@ProcessingGroup(GatewayEvents.PROCESSING_GROUP)
public class PaymentCoordination {

    private static final String WAKE = PaymentCoordination.class.getName() + ".wake";

    private final FiuuCheckout checkout;
    private final FiuuOrders orders;
    private final FiuuWork work;
    private final FiuuWorkers workers;
    private final PaymentOutcomes outcomes;
    private final UnexpectedCharges charges;
    private final NotificationInbox inbox;
    private final SagaTimings timings;

    PaymentCoordination(FiuuCheckout checkout, FiuuOrders orders, FiuuWork work, FiuuWorkers workers, PaymentOutcomes outcomes,
                        UnexpectedCharges charges, NotificationInbox inbox, SagaTimings timings) {
        this.checkout = checkout;
        this.orders = orders;
        this.work = work;
        this.workers = workers;
        this.outcomes = outcomes;
        this.charges = charges;
        this.inbox = inbox;
        this.timings = timings;
    }

    @EventHandler
    void on(PaymentInitiated event, @MessageIdentifier String eventId) {
        PaymentId payment = event.paymentId();
        String orderId = FiuuOrderIds.of(payment);
        if (!orders.register(orderId, payment, event.amount().currency(), event.returnUrl())) {
            outcomes.authorisationFailed(payment, null, "order-id-in-use", "another payment already uses this order id at the gateway");
            return;
        }
        if (work.schedule(eventId, payment, Steps.AUTHORISATION, timings.checkoutRequeryAfter(), false)) {
            boolean sale = event.captureMethod() == CaptureMethod.AUTOMATIC;
            outcomes.checkoutPrepared(payment, checkout.url(orderId, event.amount(), sale, event.merchantReference(),
                    event.description(), event.returnUrl(), null));
        }
    }

    @EventHandler
    void on(CaptureRequested event, @MessageIdentifier String eventId) {
        ask(eventId, event.paymentId(), Steps.CAPTURE, false);
    }

    @EventHandler
    void on(VoidRequested event, @MessageIdentifier String eventId) {
        ask(eventId, event.paymentId(), Steps.VOID, false);
    }

    @EventHandler
    void on(RefundRequested event, @MessageIdentifier String eventId) {
        orders.registerRefund(event.refundId().value(), event.paymentId());
        ask(eventId, event.paymentId(), Steps.refund(event.refundId()), false);
    }

    @EventHandler
    void on(UnexpectedChargeRecorded event, @MessageIdentifier String eventId) {
        charges.add(event.chargeId(), event.paymentId(), event.amount(), event.captured(), event.reason().code());
        ask(eventId, event.paymentId(), Steps.release(event.chargeId()), event.captured());
    }

    @EventHandler
    void on(UnexpectedChargeReleased event) {
        charges.released(event.chargeId(), event.occurredAt());
    }

    /** An operator asked for a stuck step to be tried again (an outcome they recorded needs nothing from Fiuu). */
    @EventHandler
    void on(AttentionCleared event) {
        if (!"retry".equals(event.resolution())) {
            return;
        }
        if (Steps.notificationOf(event.step()).isPresent()) {
            inbox.revive(Steps.notificationOf(event.step()).get());
        } else if (work.revive(event.paymentId(), event.step())) {
            wakeWorkersAfterCommit();
        }
    }

    private void ask(String eventId, PaymentId payment, String step, boolean byRefund) {
        if (work.schedule(eventId, payment, step, Duration.ZERO, byRefund)) {
            wakeWorkersAfterCommit();
        }
    }

    /** The workers look for due items once this batch's transaction commits, not at their next poll. */
    private void wakeWorkersAfterCommit() {
        if (CurrentUnitOfWork.isStarted()) {
            CurrentUnitOfWork.get().root().getOrComputeResource(WAKE, key -> {
                CurrentUnitOfWork.get().root().afterCommit(unitOfWork -> workers.wake());
                return Boolean.TRUE;
            });
        } else {
            workers.wake();
        }
    }
}
