package io.payledger.command.publishing;

import io.payledger.axon.EventsTopicConfiguration;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.axonframework.extensions.kafka.KafkaProperties;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The log reaches Kafka through axon-kafka's publisher, run by a tracking processor over the event
 * store: asynchronous and at least once. A processor's default error handler logs and skips the
 * event, which would lose it; here a failed send propagates, the processor backs off and retries
 * from its last token, and no committed event is skipped.
 */
@Configuration(proxyBeanMethods = false)
@Import(EventsTopicConfiguration.class)
class PublishingConfiguration {

    @Bean
    ConfigurerModule kafkaPublisherNeverSkipsAnEvent(KafkaProperties kafka) {
        return configurer -> configurer.eventProcessing(processing -> processing.registerListenerInvocationErrorHandler(
                kafka.getPublisher().getProcessingGroup(), configuration -> PropagatingErrorHandler.instance()));
    }

    /**
     * The processor reads the log in batches of up to 50 events, one transaction and one token update
     * each. axon-kafka 4.9's publisher still awaits each event's acknowledgement inside its send, so
     * the batch saves commits, not round trips to Kafka (docs/performance.md measures a publisher that
     * awaits a whole batch at once, and why it is not used yet). Order per payment holds: one thread,
     * and an idempotent producer.
     */
    @Bean
    ConfigurerModule kafkaPublisherSendsInBatches(KafkaProperties kafka,
                                                 @Value("${payledger.events-topic.publish-batch-size:50}") int batchSize) {
        return configurer -> configurer.eventProcessing(processing -> processing.registerTrackingEventProcessorConfiguration(
                kafka.getPublisher().getProcessingGroup(),
                configuration -> TrackingEventProcessorConfiguration.forSingleThreadedProcessing().andBatchSize(batchSize)));
    }
}
