package io.payledger.axon;

import org.axonframework.eventhandling.EventBus;
import org.axonframework.eventhandling.SimpleEventBus;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * For services that read the events topic and keep no event store of their own (gateway-saga,
 * query-service): a plain event bus stands in for the store Axon would otherwise configure on their
 * database. Their processors take their events from the Kafka source named in application.yml, and
 * the topic is created if it is missing, so a reader can start before any writer.
 */
@Configuration(proxyBeanMethods = false)
@Import(EventsTopicConfiguration.class)
public class EventsTopicReaderConfiguration {

    @Bean
    public EventBus eventBus() {
        return SimpleEventBus.builder().build();
    }
}
