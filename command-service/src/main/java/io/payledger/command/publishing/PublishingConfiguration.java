package io.payledger.command.publishing;

import io.micrometer.core.instrument.MeterRegistry;
import io.payledger.axon.EventsTopicConfiguration;
import java.time.Duration;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.axonframework.extensions.kafka.KafkaProperties;
import org.axonframework.extensions.kafka.eventhandling.DefaultKafkaMessageConverter;
import org.axonframework.extensions.kafka.eventhandling.KafkaMessageConverter;
import org.axonframework.serialization.Serializer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The log reaches Kafka through {@link EventsTopicPublisher}, run by one tracking processor over the event store:
 * asynchronous, at least once, in order, a batch at a time. axon-kafka's own publisher is off
 * ({@code axon.kafka.publisher.enabled: false}): it awaited each event's acknowledgement inside its send.
 */
@Configuration(proxyBeanMethods = false)
@Import(EventsTopicConfiguration.class)
class PublishingConfiguration {

    /** Records exactly as axon-kafka's publisher wrote them: keyed by payment id, the event's metadata as headers. */
    @Bean(destroyMethod = "close")
    EventsTopicPublisher eventsTopicPublisher(KafkaProperties kafka, @Qualifier("eventSerializer") Serializer eventSerializer,
            MeterRegistry meters, @Value("${payledger.events-topic.acknowledgement-timeout:30s}") Duration acknowledgementTimeout,
            JdbcTemplate jdbc) {
        KafkaMessageConverter<String, byte[]> records = DefaultKafkaMessageConverter.builder().serializer(eventSerializer).build();
        return new EventsTopicPublisher(kafka.buildProducerProperties(), records, new StoredForm(jdbc), kafka.getDefaultTopic(),
                acknowledgementTimeout, meters);
    }

    /**
     * One thread reads the log in batches of up to {@code publish-batch-size} events, one unit of work each: one
     * transaction, one position update, one wait for Kafka. A processor's default error handler logs and skips the
     * event, which would lose it; here a failed send propagates, the processor backs off and retries from its
     * stored position, and no committed event is skipped.
     */
    @Bean
    ConfigurerModule eventsTopicPublisherReadsTheLogInBatches(
            @Value("${payledger.events-topic.publish-batch-size:100}") int batchSize) {
        return configurer -> configurer.eventProcessing(processing -> processing
                .registerTrackingEventProcessor(EventsTopicPublisher.PROCESSING_GROUP,
                        org.axonframework.config.Configuration::eventStore,
                        configuration -> TrackingEventProcessorConfiguration.forSingleThreadedProcessing().andBatchSize(batchSize))
                .registerListenerInvocationErrorHandler(EventsTopicPublisher.PROCESSING_GROUP,
                        configuration -> PropagatingErrorHandler.instance()));
    }
}
