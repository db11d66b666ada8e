package io.payledger.saga.config;

import io.payledger.axon.EventsTopicReaderConfiguration;
import io.payledger.axon.PayLedgerAxonConfiguration;
import io.payledger.saga.command.CommandServiceProperties;
import io.payledger.saga.fiuu.FiuuProperties;
import io.payledger.saga.payment.PaymentSaga;
import io.payledger.saga.payment.SagaTimings;
import io.payledger.saga.reconciliation.LedgerPositions;
import io.payledger.saga.webhook.MerchantWebhookProperties;
import io.payledger.saga.webhook.WebhookRecorder;
import java.time.Clock;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.modelling.saga.repository.jdbc.PostgresSagaSqlSchema;
import org.axonframework.modelling.saga.repository.jdbc.SagaSchema;
import org.axonframework.modelling.saga.repository.jdbc.SagaSqlSchema;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * The saga reads the events topic, not an event store: there is none here (a plain event bus stands
 * in), tokens and sagas live in this service's own PostgreSQL, deadlines in db-scheduler's table.
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

    /** A handler that fails is retried from its token, never skipped (the default would log and skip). */
    @Bean
    ConfigurerModule sagaFailuresAreRetried() {
        return configurer -> configurer.eventProcessing(processing -> processing
                .registerListenerInvocationErrorHandler(PaymentSaga.PROCESSING_GROUP,
                        configuration -> PropagatingErrorHandler.instance())
                .registerListenerInvocationErrorHandler(WebhookRecorder.PROCESSING_GROUP,
                        configuration -> PropagatingErrorHandler.instance())
                .registerListenerInvocationErrorHandler(LedgerPositions.PROCESSING_GROUP,
                        configuration -> PropagatingErrorHandler.instance()));
    }

    @Bean
    SagaSqlSchema sagaSqlSchema() {
        return new PostgresSagaSqlSchema(SagaSchema.builder()
                .sagaEntryTable("saga_entry").associationValueEntryTable("association_value_entry")
                .sagaIdColumn("saga_id").sagaTypeColumn("saga_type").revisionColumn("revision")
                .serializedSagaColumn("serialized_saga").associationKeyColumn("association_key")
                .associationValueColumn("association_value").build());
    }
}
