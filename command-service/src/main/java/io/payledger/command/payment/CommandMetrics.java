package io.payledger.command.payment;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;

/**
 * {@code payledger_commands_seconds{command, outcome}}: how long each command takes and how it ended
 * ({@code applied}, the refusal's code, or {@code error}). Refusals are expected business answers,
 * errors are not; dashboards and alerts tell them apart by this tag.
 */
@Component
class CommandMetrics implements MessageHandlerInterceptor<CommandMessage<?>>, SmartInitializingSingleton {

    private final MeterRegistry registry;
    private final CommandBus commandBus;

    CommandMetrics(MeterRegistry registry, CommandBus commandBus) {
        this.registry = registry;
        this.commandBus = commandBus;
    }

    @Override
    public void afterSingletonsInstantiated() {
        commandBus.registerHandlerInterceptor(this);
    }

    @Override
    public Object handle(UnitOfWork<? extends CommandMessage<?>> unitOfWork, InterceptorChain chain) throws Exception {
        String command = unitOfWork.getMessage().getPayloadType().getSimpleName();
        Timer.Sample sample = Timer.start(registry);
        String outcome = "error";
        try {
            Object result = chain.proceed();
            outcome = "applied";
            return result;
        } catch (PaymentRefused refused) {
            outcome = refused.refusal().code();
            throw refused;
        } finally {
            sample.stop(Timer.builder("payledger.commands")
                    .description("payment commands handled, by command and outcome")
                    .tag("command", command)
                    .tag("outcome", outcome)
                    .register(registry));
        }
    }
}
