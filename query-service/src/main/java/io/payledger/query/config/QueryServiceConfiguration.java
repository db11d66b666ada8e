package io.payledger.query.config;

import io.payledger.axon.EventsTopicReaderConfiguration;
import io.payledger.axon.PayLedgerAxonConfiguration;
import io.payledger.query.projection.ReadModelProjection;
import java.time.Clock;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The projections read the events topic, not an event store (a plain event bus stands in); their
 * position lives in this service's PostgreSQL. A projection that fails is retried, never skipped.
 */
@Configuration(proxyBeanMethods = false)
@Import({PayLedgerAxonConfiguration.class, EventsTopicReaderConfiguration.class})
class QueryServiceConfiguration {


    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    ConfigurerModule projectionFailuresAreRetried() {
        return configurer -> configurer.eventProcessing(processing -> processing.registerListenerInvocationErrorHandler(
                ReadModelProjection.PROCESSING_GROUP, configuration -> PropagatingErrorHandler.instance()));
    }
}
