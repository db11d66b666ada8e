package io.payledger.localstack;

import io.payledger.command.CommandServiceApplication;
import io.payledger.localstack.servers.EmbeddedServers;
import io.payledger.localstack.servers.KafkaServer;
import io.payledger.localstack.servers.PostgresServer;
import io.payledger.localstack.tokens.DevTokens;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The whole system on one machine with nothing installed but a JDK: embedded PostgreSQL and a
 * KRaft Kafka broker on fixed ports, then the services. Prints where everything is and tokens
 * for each role. Ctrl-C stops the services first and the servers after them.
 */
public final class LocalStack {

    static final int POSTGRES_PORT = 15432;
    static final int KAFKA_PORT = 19092;
    static final int COMMAND_PORT = 8080;
    static final int COMMAND_MANAGEMENT_PORT = 8081;
    static final String DEMO_MERCHANT = "demo-merchant";

    private final Deque<AutoCloseable> running = new ArrayDeque<>();
    private String postgresJdbcUrl;

    public static void main(String[] args) throws InterruptedException {
        LocalStack stack = new LocalStack();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stack.stop();
            stopped.countDown();
        }, "local-stack-shutdown"));
        try {
            stack.start();
        } catch (RuntimeException e) {
            System.err.println("\nThe local stack did not start: " + e.getMessage());
            System.exit(1);
        }
        stopped.await();
    }

    public void start() {
        long started = System.nanoTime();
        requireFree(POSTGRES_PORT, "PostgreSQL");
        requireFree(KAFKA_PORT, "Kafka");
        requireFree(COMMAND_PORT, "command-service");
        requireFree(COMMAND_MANAGEMENT_PORT, "command-service management");

        PostgresServer postgres = EmbeddedServers.postgres(POSTGRES_PORT, true);
        running.push(postgres);
        postgres.execute("postgres", "CREATE DATABASE payledger_command");
        postgresJdbcUrl = postgres.jdbcUrl("payledger_command");
        KafkaServer kafka = EmbeddedServers.kafka(KAFKA_PORT);
        running.push(kafka);

        ConfigurableApplicationContext command = service(CommandServiceApplication.class, Map.of(
                        "server.port", COMMAND_PORT,
                        "management.server.port", COMMAND_MANAGEMENT_PORT,
                        "spring.datasource.url", postgres.jdbcUrl("payledger_command"),
                        "spring.datasource.username", postgres.username(),
                        "spring.datasource.password", postgres.password(),
                        "axon.kafka.bootstrap-servers", kafka.bootstrapServers(),
                        "payledger.security.jwt.secret", DevTokens.DEVELOPMENT_SECRET,
                        "payledger.security.jwt.issuer", DevTokens.ISSUER));
        running.push(command::close);

        printWelcome(postgres, kafka, (System.nanoTime() - started) / 1_000_000);
    }

    public String postgresJdbcUrl() {
        return postgresJdbcUrl;
    }

    /** Runs one service; its settings go in as arguments, which outrank its application.yml. */
    private static ConfigurableApplicationContext service(Class<?> application, Map<String, Object> settings) {
        String[] arguments = settings.entrySet().stream()
                .map(setting -> "--" + setting.getKey() + "=" + setting.getValue())
                .toArray(String[]::new);
        return new SpringApplicationBuilder(application).run(arguments);
    }

    public synchronized void stop() {
        while (!running.isEmpty()) {
            try {
                running.pop().close();
            } catch (Exception e) {
                System.err.println("while stopping: " + e.getMessage());
            }
        }
    }

    private static void requireFree(int port, String what) {
        try (ServerSocket probe = new ServerSocket(port)) {
            probe.setReuseAddress(true);
        } catch (IOException busy) {
            throw new IllegalStateException("port " + port + " for " + what + " is in use. A stack killed with "
                    + "kill -9 leaves its PostgreSQL running: stop it with  pkill -f embedded-pg  and try again.");
        }
    }

    private static void printWelcome(PostgresServer postgres, KafkaServer kafka, long millis) {
        String merchant = DevTokens.merchant(DEMO_MERCHANT);
        System.out.println("""

                ================================================================================
                 PayLedger local stack is up (%d ms). Ctrl-C stops everything.

                 command-service   http://localhost:%d/v1/payments
                   health/metrics  http://localhost:%d/actuator/health  .../actuator/prometheus
                 PostgreSQL        %s  (user postgres, password postgres)
                 Kafka             %s  topic payledger.payment-events

                 Development tokens (signed with the DEVELOPMENT key, valid 12 h):
                   merchant %s:
                     export MERCHANT_TOKEN=%s
                   gateway (records gateway outcomes):
                     export GATEWAY_TOKEN=%s
                   finance:  export FINANCE_TOKEN=%s
                   auditor:  export AUDITOR_TOKEN=%s
                   operator: export OPERATOR_TOKEN=%s

                 Try it (README has the whole walkthrough):
                   curl -s -X POST http://localhost:%d/v1/payments \\
                     -H "Authorization: Bearer $MERCHANT_TOKEN" -H "Idempotency-Key: $(uuidgen)" \\
                     -H "Content-Type: application/json" \\
                     -d '{"merchantReference":"ORD-1001","amount":1050,"currency":"MYR","captureMethod":"manual"}'
                ================================================================================
                """.formatted(millis, COMMAND_PORT, COMMAND_MANAGEMENT_PORT, postgres.jdbcUrl("payledger_command"),
                kafka.bootstrapServers(), DEMO_MERCHANT, merchant,
                DevTokens.withRoles("gateway-saga", "gateway"), DevTokens.withRoles("finance-user", "finance"),
                DevTokens.withRoles("auditor-user", "auditor"), DevTokens.withRoles("operator-user", "operator"),
                COMMAND_PORT));
    }
}
