package io.payledger.localstack.servers;

import java.util.concurrent.atomic.AtomicBoolean;
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

    private static Runnable closeOnce(AutoCloseable server) {
        AtomicBoolean closed = new AtomicBoolean();
        return () -> {
            if (closed.compareAndSet(false, true)) {
                try {
                    server.close();
                } catch (Exception e) {
                    log.warn("could not stop {}", server, e);
                }
            }
        };
    }

    private static void awaitSpringShutdownHook() {
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().equals("SpringApplicationShutdownHook") && thread != Thread.currentThread()) {
                try {
                    thread.join(60_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
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
                Runnable stop = closeOnce(started);
                // Spring Boot runs its shutdown handlers after it has closed every application context, so in a JVM that
                // runs one a server stops only once the contexts using it are closed (beside them, their Kafka producers
                // and Axon processors would wait out their timeouts against a stopped server)
                SpringApplication.getShutdownHandlers().add(stop);
                // a JVM that runs no Spring application (the system tests drive services in processes of their own)
                // never runs those handlers: this hook stops the server there, after Spring's hook where there is one
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    awaitSpringShutdownHook();
                    stop.run();
                }, "stop-real-server"));
                value = started;
            }
            return value;
        }
    }
}
