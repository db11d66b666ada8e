package io.payledger.localstack.servers;

import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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

    /**
     * The JVM runs its shutdown hooks at the same time, so without this a server could stop while the
     * application contexts still using it are being closed by Spring Boot's own hook; their Kafka producers
     * and Axon processors would then wait out their shutdown timeouts, and the test JVM would be killed for
     * not exiting.
     */
    private static void awaitApplicationContextsClosed() throws InterruptedException {
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (SPRING_SHUTDOWN_HOOK.equals(thread.getName()) && thread != Thread.currentThread()) {
                thread.join(CONTEXTS_CLOSE_PATIENCE_MS);
            }
        }
    }

    private static final String SPRING_SHUTDOWN_HOOK = "SpringApplicationShutdownHook";
    private static final long CONTEXTS_CLOSE_PATIENCE_MS = 20_000;

    private static final class Lazy<T extends AutoCloseable> {
        private final Supplier<T> start;
        private T value;

        private Lazy(Supplier<T> start) {
            this.start = start;
        }

        synchronized T get() {
            if (value == null) {
                T started = start.get();
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        awaitApplicationContextsClosed();
                        started.close();
                    } catch (Exception e) {
                        log.warn("could not stop {}", started, e);
                    }
                }, "stop-real-server"));
                value = started;
            }
            return value;
        }
    }
}
