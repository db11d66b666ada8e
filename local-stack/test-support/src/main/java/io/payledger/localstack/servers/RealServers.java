package io.payledger.localstack.servers;

import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;

/**
 * Real PostgreSQL, Kafka and Redis for integration tests, one of each per JVM, started on first
 * use and stopped when the JVM exits. They run in Docker containers where a Docker engine answers
 * and as embedded servers otherwise; {@code -Dpayledger.servers=embedded} forces the latter.
 * Nothing here is a fake: every test talks to the real server over its real protocol.
 */
public final class RealServers {

    private static final Logger log = LoggerFactory.getLogger(RealServers.class);

    private static final Lazy<PostgresServer> POSTGRES = new Lazy<>(() ->
            useContainers() ? ContainerServers.postgres() : EmbeddedServers.postgres(EmbeddedServers.ANY_PORT, false));
    private static final Lazy<KafkaServer> KAFKA = new Lazy<>(() ->
            useContainers() ? ContainerServers.kafka() : EmbeddedServers.kafka(EmbeddedServers.ANY_PORT));
    private static final Lazy<RedisServer> REDIS = new Lazy<>(() ->
            useContainers() ? ContainerServers.redis() : EmbeddedServers.redis(EmbeddedServers.ANY_PORT));

    private RealServers() {
    }

    public static PostgresServer postgres() {
        return POSTGRES.get();
    }

    public static KafkaServer kafka() {
        return KAFKA.get();
    }

    public static RedisServer redis() {
        return REDIS.get();
    }

    private static boolean useContainers() {
        if ("embedded".equals(System.getProperty("payledger.servers"))) {
            return false;
        }
        boolean docker = ContainerServers.dockerAvailable();
        log.info("real servers for tests: {}", docker ? "Docker containers" : "embedded (no Docker engine)");
        return docker;
    }

    private static final class Lazy<T extends AutoCloseable> {
        private final Supplier<T> start;
        private T value;

        private Lazy(Supplier<T> start) {
            this.start = start;
        }

        synchronized T get() {
            if (value == null) {
                T started = start.get();
                // Spring Boot runs its shutdown handlers after it has closed every application context, so a server
                // stops only once the contexts using it are closed; a JVM hook of its own would run beside theirs, and
                // their Kafka producers and Axon processors would wait out their timeouts against a stopped server
                SpringApplication.getShutdownHandlers().add(() -> {
                    try {
                        started.close();
                    } catch (Exception e) {
                        log.warn("could not stop {}", started, e);
                    }
                });
                value = started;
            }
            return value;
        }
    }
}
