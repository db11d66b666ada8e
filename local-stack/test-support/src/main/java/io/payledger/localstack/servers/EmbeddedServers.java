package io.payledger.localstack.servers;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/** Real servers without Docker: zonky's PostgreSQL binaries, Kafka's KRaft test kit, embedded-redis. */
public final class EmbeddedServers {

    /** Port 0 everywhere means "any free port". */
    public static final int ANY_PORT = 0;

    private EmbeddedServers() {
    }

    /**
     * @param durable false trades crash safety for speed (fsync off), which only tests should do
     */
    public static PostgresServer postgres(int port, boolean durable) {
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    // whoever starts it stops it (RealServers after the application contexts, LocalStack when it stops
                    // or its JVM exits): its own JVM hook would stop it while the contexts using it close, and their
                    // processors would wait out a connection timeout each
                    .setRegisterShutdownHook(false)
                    .setServerConfig("max_connections", "300")
                    .setServerConfig("shared_buffers", "256MB");
            if (port != ANY_PORT) {
                builder.setPort(port);
            }
            if (!durable) {
                builder.setServerConfig("fsync", "off").setServerConfig("synchronous_commit", "off")
                        .setServerConfig("full_page_writes", "off");
            }
            EmbeddedPostgres postgres = builder.start();
            return new PostgresServer() {
                @Override public String host() { return "localhost"; }
                @Override public int port() { return postgres.getPort(); }
                @Override public String username() { return "postgres"; }
                @Override public String password() { return "postgres"; }
                @Override public void close() {
                    try {
                        postgres.close();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            };
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL did not start", e);
        }
    }

    public static KafkaServer kafka(int port) {
        EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 1);
        if (port != ANY_PORT) {
            // the KRaft kit ignores kafkaPorts(); a fixed port is set through the listener itself
            broker.brokerProperties(Map.of("listeners", "EXTERNAL://localhost:" + port + ",CONTROLLER://localhost:0"));
        }
        broker.brokerProperty("auto.create.topics.enable", "false");
        broker.afterPropertiesSet();
        String bootstrap = broker.getBrokersAsString();
        return new KafkaServer() {
            @Override public String bootstrapServers() { return bootstrap; }
            @Override public void close() { broker.destroy(); }
        };
    }

    public static RedisServer redis(int port) {
        try {
            int chosen = port == ANY_PORT ? FreePorts.any() : port;
            redis.embedded.RedisServer server = redis.embedded.RedisServer.newRedisServer()
                    .port(chosen)
                    .bind("127.0.0.1")
                    .setting("save \"\"")
                    .setting("appendonly no")
                    .build();
            server.start();
            return new RedisServer() {
                @Override public String host() { return "127.0.0.1"; }
                @Override public int port() { return chosen; }
                @Override public void close() {
                    try {
                        server.stop();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            };
        } catch (IOException e) {
            throw new UncheckedIOException("embedded Redis did not start", e);
        }
    }
}
