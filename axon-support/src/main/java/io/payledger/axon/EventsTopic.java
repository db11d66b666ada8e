package io.payledger.axon;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.axonframework.extensions.kafka.KafkaProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;

/**
 * Creates the events topic at start-up if it is missing, in every service that writes or reads it,
 * so that no service waits for another to start first: keyed by payment id, with the configured
 * partitions and unlimited retention (the topic is a full copy of the log that consumers may replay
 * from the start). An existing topic is left as it is.
 */
class EventsTopic implements InitializingBean {

    private static final Logger log = LoggerFactory.getLogger(EventsTopic.class);

    private final KafkaProperties kafka;
    private final EventsTopicProperties topic;

    EventsTopic(KafkaProperties kafka, EventsTopicProperties topic) {
        this.kafka = kafka;
        this.topic = topic;
    }

    @Override
    public void afterPropertiesSet() throws InterruptedException, ExecutionException, TimeoutException {
        Map<String, Object> config = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, String.join(",", kafka.getBootstrapServers()));
        NewTopic events = new NewTopic(kafka.getDefaultTopic(), topic.partitions(), topic.replicationFactor())
                .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1", TopicConfig.RETENTION_BYTES_CONFIG, "-1"));
        try (Admin admin = Admin.create(config)) {
            admin.createTopics(List.of(events)).all().get(30, TimeUnit.SECONDS);
            log.info("created topic {} with {} partitions", events.name(), events.numPartitions());
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }
}
