package io.payledger.localstack.servers;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.PostgreSQLContainer;
import org.testcontainers.kafka.KafkaContainer;

/** Real servers in Docker containers, for machines that have a Docker engine. */
final class ContainerServers {

    private ContainerServers() {
    }

    static boolean dockerAvailable() {
        if (System.getenv("DOCKER_HOST") == null && !java.nio.file.Files.exists(java.nio.file.Path.of("/var/run/docker.sock"))) {
            return false; // no engine to ask; spares Testcontainers' noisy probe
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError noDocker) {
            return false;
        }
    }

    static PostgresServer postgres() {
        PostgreSQLContainer<?> container = new PostgreSQLContainer<>("postgres:17-alpine")
                .withCommand("postgres", "-c", "fsync=off", "-c", "max_connections=300");
        container.start();
        return new PostgresServer() {
            @Override public String host() { return container.getHost(); }
            @Override public int port() { return container.getMappedPort(5432); }
            @Override public String username() { return container.getUsername(); }
            @Override public String password() { return container.getPassword(); }
            @Override public void close() { container.stop(); }
        };
    }

    static KafkaServer kafka() {
        KafkaContainer container = new KafkaContainer("apache/kafka:3.9.1");
        container.start();
        return new KafkaServer() {
            @Override public String bootstrapServers() { return container.getBootstrapServers(); }
            @Override public void close() { container.stop(); }
        };
    }

    static RedisServer redis() {
        GenericContainer<?> container = new GenericContainer<>("redis:7-alpine").withExposedPorts(6379);
        container.start();
        return new RedisServer() {
            @Override public String host() { return container.getHost(); }
            @Override public int port() { return container.getMappedPort(6379); }
            @Override public void close() { container.stop(); }
        };
    }
}
