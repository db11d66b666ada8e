package io.payledger.axon;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The events topic the log is published to (its name is {@code axon.kafka.default-topic}).
 *
 * @param partitions        per-payment order holds within a partition; more partitions, more consumer parallelism
 * @param replicationFactor 1 locally, 3 in production
 */
@Validated
@ConfigurationProperties("payledger.events-topic")
public record EventsTopicProperties(@DefaultValue("12") @Min(1) int partitions,
                                    @DefaultValue("1") @Min(1) short replicationFactor) {
}
