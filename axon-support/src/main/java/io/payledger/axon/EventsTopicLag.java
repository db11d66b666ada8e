package io.payledger.axon;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.WrappedToken;
import org.axonframework.extensions.kafka.eventhandling.consumer.ConsumerFactory;
import org.axonframework.extensions.kafka.eventhandling.consumer.streamable.KafkaTrackingToken;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * {@code payledger_events_consumer_lag_records{processor}}: how many records of the events topic a
 * processor of this instance has not handled yet. Our processors keep their positions in their own
 * token tables, not in Kafka consumer groups, so a broker-side exporter cannot see this lag.
 * <p>
 * Every {@code interval} it reads the topic's end offsets with a consumer of its own (no group, nothing
 * committed) and compares them with the positions of the segments this instance holds: per partition the
 * furthest-behind segment counts. An instance that holds no segment reports nothing (NaN), so
 * {@code max by (processor)} over the replicas is the processor's lag.
 */
public final class EventsTopicLag implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(EventsTopicLag.class);

    private final String topic;
    private final ConsumerFactory<?, ?> consumers;
    private final EventProcessingConfiguration processing;
    private final MeterRegistry meters;
    private final Duration interval;
    private final Map<String, Double> lagByProcessor = new ConcurrentHashMap<>();
    private ScheduledExecutorService timer;
    private Consumer<?, ?> consumer;

    public EventsTopicLag(String topic, ConsumerFactory<?, ?> consumers, EventProcessingConfiguration processing,
                          MeterRegistry meters, Duration interval) {
        this.topic = topic;
        this.consumers = consumers;
        this.processing = processing;
        this.meters = meters;
        this.interval = interval;
    }

    @Override
    public void start() {
        timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "events-topic-lag");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleWithFixedDelay(this::refreshQuietly, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        if (timer != null) {
            timer.shutdownNow();
            try {
                timer.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        if (consumer != null) {
            consumer.close(Duration.ofSeconds(2));
        }
        timer = null;
    }

    @Override
    public boolean isRunning() {
        return timer != null;
    }

    /** The lag last measured for a processor, NaN while unknown. */
    public double lagOf(String processor) {
        return lagByProcessor.getOrDefault(processor, Double.NaN);
    }

    private void refreshQuietly() {
        try {
            refresh();
        } catch (RuntimeException failed) {
            log.debug("could not measure the events topic's lag", failed);
            lagByProcessor.replaceAll((processor, lag) -> Double.NaN);
        }
    }

    void refresh() {
        if (consumer == null) {
            consumer = consumers.createConsumer(null);
        }
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(5)).stream()
                .map(info -> new TopicPartition(info.topic(), info.partition())).collect(Collectors.toList());
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(5));
        processing.eventProcessors().forEach((name, processor) -> {
            if (processor instanceof StreamingEventProcessor streaming) {
                Double lag = lagOf(streaming.processingStatus().values(), ends);
                if (lag != null) {
                    register(name);
                    lagByProcessor.put(name, lag);
                } else {
                    lagByProcessor.put(name, Double.NaN);
                }
            }
        });
    }

    /** Null when none of the segments reads Kafka. */
    static Double lagOf(Iterable<EventTrackerStatus> segments, Map<TopicPartition, Long> ends) {
        Map<TopicPartition, Long> handledUpTo = new HashMap<>(); // the next offset the slowest segment will handle
        boolean readsKafka = false;
        for (EventTrackerStatus segment : segments) {
            TrackingToken token = WrappedToken.unwrapLowerBound(segment.getTrackingToken());
            if (token != null && !(token instanceof KafkaTrackingToken)) {
                continue;
            }
            readsKafka = true;
            Map<TopicPartition, Long> positions = token == null ? Map.of() : ((KafkaTrackingToken) token).getPositions();
            for (TopicPartition partition : ends.keySet()) {
                long next = positions.containsKey(partition) ? positions.get(partition) + 1 : 0;
                handledUpTo.merge(partition, next, Math::min);
            }
        }
        if (!readsKafka) {
            return null;
        }
        long lag = 0;
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            lag += Math.max(0, end.getValue() - handledUpTo.getOrDefault(end.getKey(), end.getValue()));
        }
        return (double) lag;
    }

    private void register(String processor) {
        if (!lagByProcessor.containsKey(processor)) {
            Gauge.builder("payledger.events.consumer.lag", this, self -> self.lagOf(processor))
                    .description("records of the events topic this instance's segments of the processor have not handled")
                    .baseUnit("records").tag("processor", processor).register(meters);
        }
    }
}
