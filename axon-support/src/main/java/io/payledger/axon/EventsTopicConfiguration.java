package io.payledger.axon;

import org.axonframework.extensions.kafka.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/** Every service that publishes to or reads the events topic imports this, and the topic exists before it is used. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({EventsTopicProperties.class, KafkaProperties.class}) // axon.kafka.*, also where axon-kafka's own beans are off
public class EventsTopicConfiguration {

    @Bean
    EventsTopic eventsTopic(KafkaProperties kafka, EventsTopicProperties topic) {
        return new EventsTopic(kafka, topic);
    }
}
