package io.payledger.command.payment;

import io.payledger.command.payment.PaymentCommands.CapturePayment;
import io.payledger.command.payment.PaymentCommands.ClearAttention;
import io.payledger.command.payment.PaymentCommands.RecordUnexpectedChargeRelease;
import io.payledger.command.payment.PaymentCommands.RequireAttention;
import io.payledger.command.payment.PaymentCommands.ResolveAttention;
import io.payledger.command.payment.PaymentCommands.ExpirePayment;
import io.payledger.command.payment.PaymentCommands.InitiatePayment;
import io.payledger.command.payment.PaymentCommands.RecordAuthorisation;
import io.payledger.command.payment.PaymentCommands.RecordAuthorisationFailure;
import io.payledger.command.payment.PaymentCommands.RecordCapture;
import io.payledger.command.payment.PaymentCommands.RecordCaptureFailure;
import io.payledger.command.payment.PaymentCommands.RecordCheckoutPrepared;
import io.payledger.command.payment.PaymentCommands.RecordRefundFailure;
import io.payledger.command.payment.PaymentCommands.RecordRefundSuccess;
import io.payledger.command.payment.PaymentCommands.RecordVoid;
import io.payledger.command.payment.PaymentCommands.RecordVoidFailure;
import io.payledger.command.payment.PaymentCommands.RefundPayment;
import io.payledger.command.payment.PaymentCommands.VoidPayment;
import io.payledger.events.payment.PaymentId;
import java.time.Clock;
import java.util.function.Consumer;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.modelling.command.Aggregate;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.Repository;
import org.springframework.stereotype.Component;

/**
 * Routes each command to its Payment and answers with the payment's state and version after it,
 * which the API returns and which doubles as the consistency token. Time comes from the clock
 * here, once per command, so the aggregate stays deterministic.
 */
@Component
public class PaymentCommandHandler {

    private final Repository<Payment> payments;
    private final MerchantReferences merchantReferences;
    private final Clock clock;

    public PaymentCommandHandler(Repository<Payment> payments, MerchantReferences merchantReferences, Clock clock) {
        this.payments = payments;
        this.merchantReferences = merchantReferences;
        this.clock = clock;
    }

    @CommandHandler
    public PaymentResult handle(InitiatePayment command) throws Exception {
        merchantReferences.claim(command.merchantId(), command.merchantReference(), command.paymentId());
        Aggregate<Payment> created = payments.newInstance(() -> new Payment(command, clock.instant()));
        return created.invoke(Payment::result);
    }

    @CommandHandler
    public PaymentResult handle(CapturePayment command) {
        return on(command.paymentId(), payment -> payment.capture(command, clock.instant()));
    }

    @CommandHandler
    public PaymentResult handle(VoidPayment command) {
        return on(command.paymentId(), payment -> payment.voidAuthorisation(command.merchantId(), clock.instant()));
    }

    @CommandHandler
    public PaymentResult handle(RefundPayment command) {
        return on(command.paymentId(), payment -> payment.refund(command, clock.instant()));
    }

    @CommandHandler
    public PaymentResult handle(RecordCheckoutPrepared command) {
        return on(command.paymentId(), payment -> payment.recordCheckoutPrepared(command, clock.instant()));
    }

    @CommandHandler
    public PaymentResult handle(RecordAuthorisation command) {
        return on(command.paymentId(), payment -> payment.recordAuthorisation(command, clock.instant()));
    }

    @CommandHandler
    public PaymentResult handle(RecordAuthorisationFailure command) {
        return on(command.paymentId(), payment -> payment.recordAuthorisationFailure(command, clock.instant()));
    }

    @CommandHandler
    public PaymentResult handle(RecordCapture command) {
        return on(command.paymentId(), payment -> payment.recordCapture(command, clock.instant()));
    }

    @CommandHandler
    public PaymentResult handle(RecordCaptureFailure command) {
        return on(command.paymentId(), payment -> payment.recordCaptureFailure(command, clock.instant()));
    }

    @CommandHandler
    public PaymentResult handle(RecordVoid command) {
        return on(command.paymentId(), payment -> payment.recordVoid(clock.instant()));
    }

    @CommandHandler
    public PaymentResult handle(RecordVoidFailure command) {
        return on(command.paymentId(), payment -> payment.recordVoidFailure(command, clock.instant()));
    }

    @CommandHandler
    public PaymentResult handle(RecordRefundSuccess command) {
        return on(command.paymentId(), payment -> payment.recordRefundSuccess(command, clock.instant()));
    }

    @CommandHandler
    public PaymentResult handle(RecordRefundFailure command) {
        return on(command.paymentId(), payment -> payment.recordRefundFailure(command, clock.instant()));
    }

    @CommandHandler
    public PaymentResult handle(ExpirePayment command) {
        return on(command.paymentId(), payment -> payment.expire(clock.instant()));
    }

    @CommandHandler
    public PaymentResult handle(RecordUnexpectedChargeRelease command) {
        return on(command.paymentId(), payment -> payment.recordUnexpectedChargeRelease(command, clock.instant()));
    }

    @CommandHandler
    public PaymentResult handle(RequireAttention command) {
        return on(command.paymentId(), payment -> payment.requireAttention(command, clock.instant()));
    }

    @CommandHandler
    public PaymentResult handle(ClearAttention command) {
        return on(command.paymentId(), payment -> payment.clearAttention(command, clock.instant()));
    }

    @CommandHandler
    public PaymentResult handle(ResolveAttention command) {
        return on(command.paymentId(), payment -> payment.resolveAttention(command, clock.instant()));
    }

    private PaymentResult on(PaymentId paymentId, Consumer<Payment> decision) {
        Aggregate<Payment> payment;
        try {
            payment = payments.load(paymentId.value());
        } catch (AggregateNotFoundException missing) {
            throw Refusal.PAYMENT_NOT_FOUND.because("no payment " + paymentId);
        }
        return payment.invoke(aggregate -> {
            decision.accept(aggregate);
            return aggregate.result();
        });
    }
}
