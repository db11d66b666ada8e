package io.payledger.axon;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventBus;
import org.axonframework.eventhandling.SimpleEventBus;
import org.axonframework.extensions.kafka.KafkaProperties;
import org.axonframework.extensions.kafka.eventhandling.KafkaMessageConverter;
import org.axonframework.extensions.kafka.eventhandling.consumer.ConsumerFactory;
import org.axonframework.extensions.kafka.eventhandling.consumer.Fetcher;
import org.axonframework.extensions.kafka.eventhandling.consumer.streamable.KafkaEventMessage;
import org.axonframework.extensions.kafka.eventhandling.consumer.streamable.StreamableKafkaMessageSource;
import org.axonframework.serialization.Serializer;
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

    /**
     * axon-kafka's streamable source as its auto-configuration builds it, except that records reach
     * the processors in the order they were fetched ({@link ArrivalOrderBuffer} says why) and the
     * processors are woken when they arrive instead of looking every 500 ms
     * ({@link WakingKafkaMessageSource}), and each event also carries its stored form
     * ({@link StoredFormKafkaMessageConverter}).
     */
    @Bean
    @SuppressWarnings({"unchecked", "rawtypes"})
    public StreamableKafkaMessageSource<?, ?> streamableKafkaMessageSource(KafkaProperties kafka, Serializer serializer,
                                                                           ConsumerFactory<?, ?> consumers,
                                                                           Fetcher<?, ?, ?> fetcher,
                                                                           KafkaMessageConverter<?, ?> converter) {
        return new WakingKafkaMessageSource(StreamableKafkaMessageSource.builder()
                .topics(java.util.List.of(kafka.getDefaultTopic()))
                .serializer(serializer)
                .consumerFactory((ConsumerFactory) consumers)
                .fetcher((Fetcher) fetcher)
                .messageConverter(new StoredFormKafkaMessageConverter(converter)), kafka.getFetcher().getBufferSize());
    }

    /** The processors' lag behind the topic as a metric (see {@link EventsTopicLag}). */
    @Bean
    public EventsTopicLag eventsTopicLag(KafkaProperties kafka, ConsumerFactory<?, ?> consumers,
                                         EventProcessingConfiguration processing, MeterRegistry meters) {
        return new EventsTopicLag(kafka.getDefaultTopic(), consumers, processing, meters, Duration.ofSeconds(10));
    }
}
