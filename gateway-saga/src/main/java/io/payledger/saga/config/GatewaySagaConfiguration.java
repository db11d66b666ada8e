package io.payledger.saga.config;

import io.payledger.axon.EventsTopicReaderConfiguration;
import io.payledger.axon.PayLedgerAxonConfiguration;
import io.payledger.saga.GatewayEvents;
import io.payledger.saga.command.CommandServiceProperties;
import io.payledger.saga.fiuu.FiuuProperties;
import io.payledger.saga.payment.SagaTimings;
import io.payledger.saga.webhook.MerchantWebhookProperties;
import java.time.Clock;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * gateway-saga reads the events topic, not an event store: there is none here (a plain event bus stands in). One
 * processor ({@link GatewayEvents}) handles the topic; its position lives in this service's PostgreSQL, beside the
 * Fiuu work queue, the inbox, the outbox and the reconciliation's data.
 */
@Configuration(proxyBeanMethods = false)
@Import({PayLedgerAxonConfiguration.class, EventsTopicReaderConfiguration.class})
@EnableScheduling
@EnableConfigurationProperties({FiuuProperties.class, CommandServiceProperties.class, SagaTimings.class,
        MerchantWebhookProperties.class})
class GatewaySagaConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** A handler that fails is retried from its position, never skipped (the default would log and skip). */
    @Bean
    ConfigurerModule gatewayEventFailuresAreRetried() {
        return configurer -> configurer.eventProcessing(processing -> processing.registerListenerInvocationErrorHandler(
                GatewayEvents.PROCESSING_GROUP, configuration -> PropagatingErrorHandler.instance()));
    }
}
