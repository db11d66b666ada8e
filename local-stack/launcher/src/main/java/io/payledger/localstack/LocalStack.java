package io.payledger.localstack;

import io.payledger.localstack.servers.EmbeddedServers;
import io.payledger.localstack.servers.FreePorts;
import io.payledger.localstack.servers.KafkaServer;
import io.payledger.localstack.servers.PostgresServer;
import io.payledger.localstack.servers.RedisServer;
import io.payledger.localstack.tokens.DevPersonalDataKeys;
import io.payledger.localstack.tokens.DevTokens;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The whole system on one machine with nothing installed but a JDK: embedded PostgreSQL and a
 * KRaft Kafka broker on fixed ports, then the Fiuu sandbox, command-service and gateway-saga, each
 * in its own JVM from its executable jar. Prints where everything is and tokens for each role.
 * Ctrl-C stops the services first and the servers after them. The end-to-end tests run the same
 * stack on free ports.
 */
public final class LocalStack {

    /** The Fiuu sandbox's DEVELOPMENT credentials (fiuu-sandbox's application.yml). */
    public static final String SANDBOX_MERCHANT = "payledger_sandbox";
    public static final String SANDBOX_VERIFY_KEY = "DEV-sandbox-verify-key-0000000000";
    public static final String SANDBOX_SECRET_KEY = "DEV-sandbox-secret-key-0000000000";
    static final String DEMO_MERCHANT = "demo-merchant";

    public record Ports(int postgres, int kafka, int redis, int command, int commandManagement, int gateway,
                        int gatewayManagement, int sandbox, int query, int queryManagement) {

        public static Ports standard() {
            return new Ports(15432, 19092, 16379, 8080, 8081, 8090, 8091, 8070, 8100, 8101);
        }

        /** Free ports for the services; the servers are the tests' own. */
        public static Ports free() {
            return new Ports(0, 0, 0, FreePorts.any(), FreePorts.any(), FreePorts.any(), FreePorts.any(), FreePorts.any(),
                    FreePorts.any(), FreePorts.any());
        }
    }

    private final Deque<AutoCloseable> running = new ArrayDeque<>();
    private final Ports ports;
    private final Path home = projectHome();
    private String commandJdbcUrl;
    private String gatewayJdbcUrl;
    private String queryJdbcUrl;
    private KafkaServer kafka;
    private RedisServer redis;

    public LocalStack(Ports ports) {
        this.ports = ports;
    }

    public static void main(String[] args) throws InterruptedException {
        LocalStack stack = new LocalStack(Ports.standard());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stack.stop();
            stopped.countDown();
        }, "local-stack-shutdown"));
        try {
            long started = System.nanoTime();
            stack.start();
            stack.printWelcome((System.nanoTime() - started) / 1_000_000);
        } catch (RuntimeException e) {
            System.err.println("\nThe local stack did not start: " + e.getMessage());
            System.exit(1);
        }
        stopped.await();
    }

    /** Starts embedded, durable servers on this stack's fixed ports, then the services. */
    public void start() {
        PostgresServer postgres = startServers();
        startServices(postgres, "payledger_command", "payledger_gateway", "payledger_query", kafka, redis, Map.of(
                "payledger.saga.checkout-requery-after", "2m",
                "sandbox.resend-interval", "5s"));
    }

    /**
     * Starts the servers and query-service alone, for measuring the read side with events written
     * straight onto the topic ({@link io.payledger.localstack.bench.SyntheticLog}).
     */
    public void startReadSide() {
        PostgresServer postgres = startServers();
        queryJdbcUrl = postgres.jdbcUrl("payledger_query");
        startQuery(postgres, kafka, redis, Map.of())
                .awaitReady("http://localhost:" + ports.queryManagement() + "/actuator/health/readiness", Duration.ofSeconds(120));
    }

    public String kafkaBootstrapServers() {
        return kafka.bootstrapServers();
    }

    private PostgresServer startServers() {
        for (int port : new int[] {ports.postgres(), ports.kafka(), ports.redis(), ports.command(),
                ports.commandManagement(), ports.gateway(), ports.gatewayManagement(), ports.sandbox(), ports.query(),
                ports.queryManagement()}) {
            requireFree(port);
        }
        PostgresServer postgres = EmbeddedServers.postgres(ports.postgres(), true);
        running.push(postgres);
        postgres.execute("postgres", "CREATE DATABASE payledger_command");
        postgres.execute("postgres", "CREATE DATABASE payledger_gateway");
        postgres.execute("postgres", "CREATE DATABASE payledger_query");
        kafka = EmbeddedServers.kafka(ports.kafka());
        running.push(kafka);
        redis = EmbeddedServers.redis(ports.redis());
        running.push(redis);
        return postgres;
    }

    /**
     * Starts the sandbox, command-service and gateway-saga against the given servers and databases.
     * {@code overrides} are extra settings, applied to every service.
     */
    public void startServices(PostgresServer postgres, String commandDatabase, String gatewayDatabase,
                              String queryDatabase, KafkaServer kafka, RedisServer redis, Map<String, String> overrides) {
        commandJdbcUrl = postgres.jdbcUrl(commandDatabase);
        gatewayJdbcUrl = postgres.jdbcUrl(gatewayDatabase);
        queryJdbcUrl = postgres.jdbcUrl(queryDatabase);
        String gatewayUrl = "http://localhost:" + ports.gateway();

        Map<String, Object> sandboxSettings = new LinkedHashMap<>();
        sandboxSettings.put("server.port", ports.sandbox());
        sandboxSettings.put("sandbox.notification-url", gatewayUrl + "/fiuu/notifications");
        sandboxSettings.put("sandbox.refund-notification-url", gatewayUrl + "/fiuu/refund-notifications");
        ServiceProcess sandbox = service("fiuu-sandbox", sandboxSettings, overrides, "128m");

        Map<String, Object> commandSettings = backendSettings(ports.command(), ports.commandManagement(),
                commandJdbcUrl, postgres, kafka);
        commandSettings.put("payledger.security.jwt.secret", DevTokens.DEVELOPMENT_SECRET);
        commandSettings.put("payledger.security.jwt.issuer", DevTokens.ISSUER);
        commandSettings.putAll(DevPersonalDataKeys.settings());
        rateLimits(commandSettings, redis);
        ServiceProcess command = service("command-service", commandSettings, overrides, "512m");

        Map<String, Object> gatewaySettings = backendSettings(ports.gateway(), ports.gatewayManagement(),
                gatewayJdbcUrl, postgres, kafka);
        gatewaySettings.put("payledger.fiuu.merchant-id", SANDBOX_MERCHANT);
        gatewaySettings.put("payledger.fiuu.verify-key", SANDBOX_VERIFY_KEY);
        gatewaySettings.put("payledger.fiuu.secret-key", SANDBOX_SECRET_KEY);
        gatewaySettings.put("payledger.fiuu.payment-url", "http://localhost:" + ports.sandbox());
        gatewaySettings.put("payledger.fiuu.api-url", "http://localhost:" + ports.sandbox());
        gatewaySettings.put("payledger.fiuu.timeout", "3s");
        gatewaySettings.put("payledger.command-service.url", "http://localhost:" + ports.command());
        gatewaySettings.put("payledger.command-service.token-secret", DevTokens.DEVELOPMENT_SECRET);
        gatewaySettings.put("payledger.command-service.token-issuer", DevTokens.ISSUER);
        ServiceProcess gateway = service("gateway-saga", gatewaySettings, overrides, "384m");

        ServiceProcess query = startQuery(postgres, kafka, redis, overrides);

        Duration patience = Duration.ofSeconds(120);
        sandbox.awaitReady("http://localhost:" + ports.sandbox() + "/sandbox/transactions", patience);
        command.awaitReady("http://localhost:" + ports.commandManagement() + "/actuator/health/readiness", patience);
        gateway.awaitReady("http://localhost:" + ports.gatewayManagement() + "/actuator/health/readiness", patience);
        query.awaitReady("http://localhost:" + ports.queryManagement() + "/actuator/health/readiness", patience);
    }

    private ServiceProcess startQuery(PostgresServer postgres, KafkaServer kafka, RedisServer redis,
                                      Map<String, String> overrides) {
        Map<String, Object> querySettings = backendSettings(ports.query(), ports.queryManagement(), queryJdbcUrl,
                postgres, kafka);
        querySettings.put("spring.data.redis.host", redis.host());
        querySettings.put("spring.data.redis.port", redis.port());
        querySettings.put("payledger.security.jwt.secret", DevTokens.DEVELOPMENT_SECRET);
        querySettings.put("payledger.security.jwt.issuer", DevTokens.ISSUER);
        rateLimits(querySettings, redis);
        return service("query-service", querySettings, overrides, "384m");
    }

    /** Per-merchant limits shared through the stack's Redis, generous enough for the benchmarks' single merchant. */
    private static void rateLimits(Map<String, Object> settings, RedisServer redis) {
        settings.put("payledger.rate-limits.enabled", true);
        settings.put("payledger.rate-limits.redis-uri", "redis://" + redis.host() + ":" + redis.port());
        settings.put("payledger.rate-limits.defaults.per-second", 5000);
        settings.put("payledger.rate-limits.defaults.burst", 10000);
    }

    public Ports ports() {
        return ports;
    }

    public String postgresJdbcUrl() {
        return commandJdbcUrl;
    }

    public String queryJdbcUrl() {
        return queryJdbcUrl;
    }

    public String gatewayJdbcUrl() {
        return gatewayJdbcUrl;
    }

    /** What every service with a database and the events topic is told: its ports, its database, Kafka. */
    private static Map<String, Object> backendSettings(int port, int managementPort, String jdbcUrl,
                                                       PostgresServer postgres, KafkaServer kafka) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("server.port", port);
        settings.put("management.server.port", managementPort);
        // least privilege, as in production: the service runs as its own role with only the grants of
        // R__runtime_role_grants.sql; its migrations run as the schema's owner
        String database = jdbcUrl.substring(jdbcUrl.lastIndexOf('/') + 1);
        String role = database + "_app";
        postgres.execute("postgres", "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + role
                + "') THEN CREATE ROLE " + role + " LOGIN PASSWORD '" + role + "-dev'; END IF; END $$");
        settings.put("spring.datasource.url", jdbcUrl);
        settings.put("spring.datasource.username", role);
        settings.put("spring.datasource.password", role + "-dev");
        settings.put("spring.flyway.user", postgres.username());
        settings.put("spring.flyway.password", postgres.password());
        settings.put("axon.kafka.bootstrap-servers", kafka.bootstrapServers());
        return settings;
    }

    /** Starts one service's executable jar; its settings go in as arguments, which outrank its application.yml. */
    private ServiceProcess service(String module, Map<String, Object> settings, Map<String, String> overrides,
                                   String maxHeap) {
        Map<String, Object> all = new LinkedHashMap<>(settings);
        all.putAll(overrides);
        Path jar = home.resolve(module).resolve("target").resolve(module + "-0.1.0-SNAPSHOT-exec.jar");
        ServiceProcess process = ServiceProcess.start(module, jar, all, logDirectory(), maxHeap);
        running.push(process);
        return process;
    }

    public Path logDirectory() {
        return home.resolve("local-stack/launcher/target/logs-" + ports.command());
    }

    /** The checkout's root: -Dpayledger.home, or the first parent directory holding the shared-events module. */
    private static Path projectHome() {
        String configured = System.getProperty("payledger.home");
        if (configured != null) {
            return Path.of(configured).toAbsolutePath();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("shared-events")) && Files.isDirectory(dir.resolve("command-service"))) {
                return dir;
            }
        }
        throw new IllegalStateException("run from inside the PayLedger checkout, or set -Dpayledger.home");
    }

    public synchronized void stop() {
        // every service shuts down gracefully at the same time; then each is waited for, then the servers go
        running.stream().filter(ServiceProcess.class::isInstance).map(ServiceProcess.class::cast)
                .forEach(ServiceProcess::requestStop);
        while (!running.isEmpty()) {
            try {
                running.pop().close();
            } catch (Exception e) {
                System.err.println("while stopping: " + e.getMessage());
            }
        }
    }

    private static void requireFree(int port) {
        try (ServerSocket probe = new ServerSocket(port)) {
            probe.setReuseAddress(true);
        } catch (IOException busy) {
            throw new IllegalStateException("port " + port + " is in use. A stack killed with kill -9 leaves its "
                    + "PostgreSQL running: stop it with  pkill -f embedded-pg  and try again.");
        }
    }

    private void printWelcome(long millis) {
        System.out.println("""

                ================================================================================
                 PayLedger local stack is up (%d ms). Ctrl-C stops everything.

                 command-service   http://localhost:%d/v1/payments     (metrics :%d/actuator/prometheus)
                 gateway-saga      http://localhost:%d/fiuu/...        (metrics :%d/actuator/prometheus)
                 query-service     http://localhost:%d/v1/payments/{id} (metrics :%d/actuator/prometheus)
                 Fiuu sandbox      http://localhost:%d/sandbox/transactions  (merchant %s)
                 PostgreSQL        jdbc:postgresql://localhost:%d/  databases payledger_command, _gateway, _query
                                   (user postgres, password postgres)
                 Kafka             localhost:%d  topic payledger.payment-events;  Redis localhost:%d

                 Development tokens (signed with the DEVELOPMENT key, valid 12 h):
                   export MERCHANT_TOKEN=%s
                   export GATEWAY_TOKEN=%s
                   export FINANCE_TOKEN=%s
                   export AUDITOR_TOKEN=%s
                   export OPERATOR_TOKEN=%s
                 (the merchant token is for merchant "%s")

                 Service logs: %s
                 The README's walkthrough takes a payment from creation to refund.
                ================================================================================
                """.formatted(millis, ports.command(), ports.commandManagement(), ports.gateway(),
                ports.gatewayManagement(), ports.query(), ports.queryManagement(), ports.sandbox(), SANDBOX_MERCHANT,
                ports.postgres(), ports.kafka(), ports.redis(),
                DevTokens.merchant(DEMO_MERCHANT), DevTokens.withRoles("gateway-saga", "gateway"),
                DevTokens.withRoles("finance-user", "finance"), DevTokens.withRoles("auditor-user", "auditor"),
                DevTokens.withRoles("operator-user", "operator"), DEMO_MERCHANT, logDirectory()));
    }
}
