package io.payledger.axon;

import org.axonframework.eventhandling.EventBus;
import org.axonframework.eventhandling.SimpleEventBus;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * For services that read the events topic and keep no event store of their own (gateway-saga,
 * query-service): a plain event bus stands in for the store Axon would otherwise configure on their
 * database. Their processors take their events from the Kafka source named in application.yml.
 */
@Configuration(proxyBeanMethods = false)
public class EventsTopicReaderConfiguration {

    @Bean
    public EventBus eventBus() {
        return SimpleEventBus.builder().build();
    }
}
