package io.payledger.localstack.servers;

/** A running Kafka broker, embedded (KRaft, in this JVM) or in a container. */
public interface KafkaServer extends AutoCloseable {

    String bootstrapServers();

    @Override
    void close();
}
