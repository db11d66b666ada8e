package io.payledger.localstack;

import io.payledger.localstack.servers.EmbeddedServers;
import io.payledger.localstack.servers.FreePorts;
import io.payledger.localstack.servers.KafkaProcess;
import io.payledger.localstack.servers.KafkaServer;
import io.payledger.localstack.servers.PostgresServer;
import io.payledger.localstack.servers.RedisServer;
import io.payledger.localstack.tokens.DevCheckpointKeys;
import io.payledger.localstack.tokens.DevPersonalDataKeys;
import io.payledger.localstack.tokens.DevTokens;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.BiFunction;
import java.util.function.Supplier;

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
    private PostgresServer postgres;
    private KafkaServer kafka;
    private RedisServer redis;

    private final int replicas;
    private int commandReplicas;
    private boolean kafkaInOwnProcess;
    private final Map<String, List<Replica>> replicasByService = new ConcurrentHashMap<>();
    private final Map<String, Supplier<ServiceProcess>> restarts = new ConcurrentHashMap<>();
    private final Map<String, Replica> singles = new ConcurrentHashMap<>();

    public LocalStack(Ports ports) {
        this(ports, 1);
    }

    /**
     * As {@link #LocalStack(Ports, int)}; {@code kafkaInOwnProcess} runs the broker in a JVM of its own
     * ({@link KafkaProcess}) so that it can be restarted with its data ({@link #restartKafka()}), as the
     * chaos suite does.
     */
    public LocalStack(Ports ports, int replicas, boolean kafkaInOwnProcess) {
        this(ports, replicas);
        this.kafkaInOwnProcess = kafkaInOwnProcess;
    }

    /** A stack running {@code replicas} copies of each service (the sandbox and the servers stay single). */
    public LocalStack(Ports ports, int replicas) {
        if (replicas < 1 || replicas > 4) {
            throw new IllegalArgumentException("between 1 and 4 replicas of each service");
        }
        this.ports = ports;
        this.replicas = replicas;
        this.commandReplicas = replicas;
    }

    /**
     * Runs {@code count} copies of command-service whatever the other services run, as the end-to-end tests do:
     * two command-service replicas behind the balancer make concurrent commands on one payment meet in the
     * database, as they do in production.
     */
    public LocalStack withCommandReplicas(int count) {
        if (count < 1 || count > 4) {
            throw new IllegalArgumentException("between 1 and 4 replicas of command-service");
        }
        this.commandReplicas = count;
        return this;
    }

    /** Runs the whole system; {@code --replicas N} runs N copies of each service behind the documented ports. */
    public static void main(String[] args) throws InterruptedException {
        int replicas = 1;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--replicas") && i + 1 < args.length) {
                replicas = Integer.parseInt(args[++i]);
            } else if (args[i].startsWith("--replicas=")) {
                replicas = Integer.parseInt(args[i].substring("--replicas=".length()));
            } else if (!args[i].isBlank()) {
                System.err.println("unknown argument " + args[i] + "; the only one is --replicas N (1-4)");
                System.exit(2);
            }
        }
        LocalStack stack = new LocalStack(Ports.standard(), replicas);
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
        start(Map.of());
    }

    /** As {@link #start()}, with extra settings for every service (the chaos suite shortens timings). */
    public void start(Map<String, String> settings) {
        PostgresServer postgres = startServers();
        Map<String, String> all = new LinkedHashMap<>(Map.of(
                "payledger.saga.checkout-requery-after", "2m",
                "sandbox.resend-interval", "5s"));
        all.putAll(settings);
        startServices(postgres, "payledger_command", "payledger_gateway", "payledger_query", kafka, redis, all);
    }

    /**
     * Starts the servers and command-service alone, for measuring what the command side can take when no other
     * service reacts to its events on the same cores (the creation benchmark's {@code -Dbench.stack=command}).
     */
    public void startCommandSide() {
        PostgresServer postgres = startServers();
        commandJdbcUrl = postgres.jdbcUrl("payledger_command");
        startCommand(postgres, kafka, redis, Map.of()).forEach(replica -> replica.process()
                .awaitReady("http://localhost:" + replica.managementPort() + "/actuator/health/readiness", Duration.ofSeconds(120)));
    }

    /**
     * Starts the servers and query-service alone, for measuring the read side with events written
     * straight onto the topic ({@link io.payledger.localstack.events.SyntheticLog}).
     */
    public void startReadSide() {
        PostgresServer postgres = startServers();
        queryJdbcUrl = postgres.jdbcUrl("payledger_query");
        startQuery(postgres, kafka, redis, Map.of()).forEach(replica -> replica.process()
                .awaitReady("http://localhost:" + replica.managementPort() + "/actuator/health/readiness", Duration.ofSeconds(120)));
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
        for (int port : new int[] {ports.command(), ports.commandManagement(), ports.gateway(), ports.gatewayManagement(),
                ports.query(), ports.queryManagement()}) {
            int count = port == ports.command() || port == ports.commandManagement() ? commandReplicas : replicas;
            for (int replica = 1; count > 1 && replica <= count; replica++) {
                requireFree(replicaPort(port, replica));
            }
        }
        postgres = EmbeddedServers.postgres(ports.postgres(), true);
        running.push(postgres);
        // the servers do not stop themselves: a benchmark or drill interrupted before its finally stops them here
        Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "local-stack-stop"));
        postgres.execute("postgres", "CREATE DATABASE payledger_command");
        postgres.execute("postgres", "CREATE DATABASE payledger_gateway");
        postgres.execute("postgres", "CREATE DATABASE payledger_query");
        kafka = kafkaInOwnProcess ? KafkaProcess.start(ports.kafka(), home.resolve("local-stack/launcher/target/kafka-" + ports.kafka()))
                : EmbeddedServers.kafka(ports.kafka());
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

        List<Replica> commands = startCommand(postgres, kafka, redis, overrides);
        List<Replica> gateways = replicas("gateway-saga", replicas, ports.gateway(), ports.gatewayManagement(), (port, management) -> {
            Map<String, Object> settings = backendSettings(port, management, gatewayJdbcUrl, postgres, kafka);
            settings.put("payledger.fiuu.merchant-id", SANDBOX_MERCHANT);
            settings.put("payledger.fiuu.verify-key", SANDBOX_VERIFY_KEY);
            settings.put("payledger.fiuu.secret-key", SANDBOX_SECRET_KEY);
            settings.put("payledger.fiuu.payment-url", "http://localhost:" + ports.sandbox());
            settings.put("payledger.fiuu.api-url", "http://localhost:" + ports.sandbox());
            settings.put("payledger.fiuu.timeout", "3s");
            settings.put("payledger.command-service.url", "http://localhost:" + ports.command());
            settings.put("payledger.command-service.token-secret", DevTokens.DEVELOPMENT_SECRET);
            settings.put("payledger.command-service.token-issuer", DevTokens.ISSUER);
            settings.put("payledger.security.jwt.secret", DevTokens.DEVELOPMENT_SECRET);
            settings.put("payledger.security.jwt.issuer", DevTokens.ISSUER);
            return settings;
        }, overrides, "384m");
        List<Replica> queries = startQuery(postgres, kafka, redis, overrides);

        Duration patience = Duration.ofSeconds(120);
        sandbox.awaitReady("http://localhost:" + ports.sandbox() + "/sandbox/transactions", patience);
        for (List<Replica> service : List.of(commands, gateways, queries)) {
            service.forEach(replica -> replica.process().awaitReady(
                    "http://localhost:" + replica.managementPort() + "/actuator/health/readiness", patience));
        }
    }

    private List<Replica> startCommand(PostgresServer postgres, KafkaServer kafka, RedisServer redis,
                                       Map<String, String> overrides) {
        return replicas("command-service", commandReplicas, ports.command(), ports.commandManagement(), (port, management) -> {
            Map<String, Object> settings = backendSettings(port, management, commandJdbcUrl, postgres, kafka);
            settings.put("payledger.security.jwt.secret", DevTokens.DEVELOPMENT_SECRET);
            settings.put("payledger.security.jwt.issuer", DevTokens.ISSUER);
            settings.putAll(DevPersonalDataKeys.settings());
            settings.putAll(DevCheckpointKeys.settings());
            rateLimits(settings, redis);
            return settings;
        }, overrides, "512m");
    }

    private List<Replica> startQuery(PostgresServer postgres, KafkaServer kafka, RedisServer redis,
                                     Map<String, String> overrides) {
        return replicas("query-service", replicas, ports.query(), ports.queryManagement(), (port, management) -> {
            Map<String, Object> settings = backendSettings(port, management, queryJdbcUrl, postgres, kafka);
            settings.put("spring.data.redis.host", redis.host());
            settings.put("spring.data.redis.port", redis.port());
            settings.put("payledger.security.jwt.secret", DevTokens.DEVELOPMENT_SECRET);
            settings.put("payledger.security.jwt.issuer", DevTokens.ISSUER);
            rateLimits(settings, redis);
            return settings;
        }, overrides, "384m");
    }

    /** A service's executable jar, as the build leaves it. */
    public Path executableJar(String module) {
        return home.resolve(module).resolve("target").resolve(module + "-0.1.0-SNAPSHOT-exec.jar");
    }

    /** Stops the Kafka broker (controlled shutdown) and starts it again with its data. @return how long it was away */
    public Duration restartKafka() {
        if (!(kafka instanceof KafkaProcess process)) {
            throw new IllegalStateException("only a broker in its own process can be restarted (kafkaInOwnProcess)");
        }
        return process.restart();
    }

    /** The servers this stack started (null before {@link #start()}). */
    public PostgresServer postgres() {
        return postgres;
    }

    public KafkaServer kafka() {
        return kafka;
    }

    public RedisServer redis() {
        return redis;
    }

    /**
     * For a restore drill: a command-service on a restored event store, publishing its whole log to
     * {@code topic} (the restored database must hold no publisher position), and a query-service on an
     * empty database projecting that topic, on free ports of their own and a Redis database of their
     * own, so that nothing of the running stack is touched. Closing the handle stops both.
     */
    public AutoCloseable startOnRestoredLog(PostgresServer postgres, String commandDatabase, String queryDatabase,
                                            KafkaServer kafka, RedisServer redis, String topic) {
        Map<String, Object> command = backendSettings(FreePorts.any(), FreePorts.any(), postgres.jdbcUrl(commandDatabase),
                postgres, kafka);
        command.put("axon.kafka.default-topic", topic);
        command.put("payledger.security.jwt.secret", DevTokens.DEVELOPMENT_SECRET);
        command.put("payledger.security.jwt.issuer", DevTokens.ISSUER);
        command.putAll(DevPersonalDataKeys.settings());
        command.putAll(DevCheckpointKeys.settings());
        command.put("payledger.checkpoints.topic", topic + ".checkpoints"); // never the running stack's checkpoints
        Map<String, Object> query = backendSettings(FreePorts.any(), FreePorts.any(), postgres.jdbcUrl(queryDatabase),
                postgres, kafka);
        query.put("axon.kafka.default-topic", topic);
        query.put("spring.data.redis.host", redis.host());
        query.put("spring.data.redis.port", redis.port());
        query.put("spring.data.redis.database", 7);
        query.put("payledger.security.jwt.secret", DevTokens.DEVELOPMENT_SECRET);
        query.put("payledger.security.jwt.issuer", DevTokens.ISSUER);
        List<ServiceProcess> started = List.of(
                ServiceProcess.start("restored-command-service", executableJar("command-service"), command, logDirectory(), "512m"),
                ServiceProcess.start("restored-query-service", executableJar("query-service"), query, logDirectory(), "384m"));
        AutoCloseable stop = () -> {
            started.forEach(ServiceProcess::requestStop);
            started.forEach(ServiceProcess::close);
        };
        try {
            started.get(0).awaitReady("http://localhost:" + command.get("management.server.port") + "/actuator/health/readiness",
                    Duration.ofSeconds(120));
            started.get(1).awaitReady("http://localhost:" + query.get("management.server.port") + "/actuator/health/readiness",
                    Duration.ofSeconds(120));
        } catch (RuntimeException notReady) {
            started.forEach(ServiceProcess::close);
            throw notReady;
        }
        return stop;
    }

    /** One running copy of a service: its process and its own ports. */
    public record Replica(ServiceProcess process, int port, int managementPort) { }

    /**
     * Starts a service once, on its documented ports; or, with several replicas, each replica on ports
     * of its own ({@link #replicaPort}) behind a {@link Balancer} on the documented port.
     */
    private List<Replica> replicas(String module, int count, int port, int managementPort,
                                   BiFunction<Integer, Integer, Map<String, Object>> settings,
                                   Map<String, String> overrides, String maxHeap) {
        if (count == 1) {
            Replica single = new Replica(service(module, settings.apply(port, managementPort), overrides, maxHeap), port,
                    managementPort);
            singles.put(module, single);
            return List.of(single);
        }
        List<Replica> started = new ArrayList<>();
        for (int replica = 1; replica <= count; replica++) {
            int own = replicaPort(port, replica);
            int ownManagement = replicaPort(managementPort, replica);
            started.add(new Replica(service(module + "-" + replica, module, settings.apply(own, ownManagement), overrides,
                    maxHeap), own, ownManagement));
        }
        running.push(Balancer.start(module, port, started.stream().map(Replica::port).toList()));
        replicasByService.put(module, new CopyOnWriteArrayList<>(started));
        return started;
    }

    /** Replica r's port for a documented port p: p + 200 r (command-service's replicas: 8280, 8480, ...). */
    public static int replicaPort(int documentedPort, int replica) {
        return documentedPort + 200 * replica;
    }

    /** Every service process this stack runs, the sandbox included, by name. */
    public Map<String, ServiceInfo> services() {
        Map<String, ServiceInfo> services = new java.util.TreeMap<>();
        running.stream().filter(ServiceProcess.class::isInstance).map(ServiceProcess.class::cast)
                .forEach(process -> services.put(process.name(), new ServiceInfo(process.pid(), process.startup())));
        return services;
    }

    /** A service's operating-system process and how long it took to become ready. */
    public record ServiceInfo(long pid, Duration startup) { }

    /** The replicas of a service, when running more than one. */
    public List<Replica> replicasOf(String module) {
        return replicasByService.getOrDefault(module, List.of());
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
        return service(module, module, settings, overrides, maxHeap);
    }

    private ServiceProcess service(String name, String module, Map<String, Object> settings, Map<String, String> overrides,
                                   String maxHeap) {
        Map<String, Object> all = new LinkedHashMap<>(settings);
        if (settings.containsKey("spring.datasource.url")) {
            // pg_stat_activity names the replica behind each connection
            all.put("spring.datasource.hikari.data-source-properties.ApplicationName", name);
        }
        all.putAll(overrides);
        restarts.put(name, () -> ServiceProcess.start(name, executableJar(module), all, logDirectory(), maxHeap, true));
        ServiceProcess process = ServiceProcess.start(name, executableJar(module), all, logDirectory(), maxHeap);
        running.push(process);
        return process;
    }

    /**
     * Kills replica {@code replica} (1-based) of a service with SIGKILL, as a node failure would, then
     * starts it again on the same ports and waits until it is ready, as Kubernetes would.
     * @return how long the replica was gone
     */
    public Duration killAndRestart(String module, int replica) {
        List<Replica> replicas = replicasByService.get(module);
        if (replicas == null) {
            throw new IllegalStateException(module + " does not run as replicas here (start with replicas > 1)");
        }
        long killed = System.nanoTime();
        Replica victim;
        ServiceProcess again;
        synchronized (this) {
            victim = replicas.get(replica - 1);
            victim.process().kill();
            again = startedInPlaceOf(victim.process());
            replicas.set(replica - 1, new Replica(again, victim.port(), victim.managementPort()));
        }
        again.awaitReady("http://localhost:" + victim.managementPort() + "/actuator/health/readiness", Duration.ofSeconds(180));
        return Duration.ofNanos(System.nanoTime() - killed);
    }

    /**
     * Stops a service that runs as one copy (a graceful stop, as a rolling update would), starts it again on the
     * same ports while the rest of the stack idles, and waits until it is ready.
     * @return from launching its JVM until its readiness answered
     */
    public Duration restartAlone(String module) {
        Replica old = singles.get(module);
        if (old == null) {
            throw new IllegalStateException(module + " does not run as a single copy here");
        }
        old.process().close();
        ServiceProcess again;
        synchronized (this) {
            again = startedInPlaceOf(old.process());
            singles.put(module, new Replica(again, old.port(), old.managementPort()));
        }
        again.awaitReady("http://localhost:" + old.managementPort() + "/actuator/health/readiness", Duration.ofSeconds(180));
        return again.startup();
    }

    /** Starts a stopped service process again with its own settings, in its place among what this stack stops. */
    private ServiceProcess startedInPlaceOf(ServiceProcess stopped) {
        running.remove(stopped);
        ServiceProcess again = restarts.get(stopped.name()).get();
        running.push(again);
        return again;
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

    private String replicaLines() {
        if (replicas == 1) {
            return "";
        }
        StringBuilder lines = new StringBuilder("\n\n %d replicas of each service, balanced round-robin on the API ports above (whose metrics\n ports are unused); each replica on its own ports:"
                .formatted(replicas));
        for (String module : List.of("command-service", "gateway-saga", "query-service")) {
            if (replicasOf(module).isEmpty()) {
                continue;
            }
            lines.append("\n   %-16s".formatted(module));
            replicasOf(module).forEach(replica -> lines.append(" :%d (metrics :%d)".formatted(replica.port(), replica.managementPort())));
        }
        return lines.toString();
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

                 Service logs: %s%s
                 The README's walkthrough takes a payment from creation to refund.
                ================================================================================
                """.formatted(millis, ports.command(), ports.commandManagement(), ports.gateway(),
                ports.gatewayManagement(), ports.query(), ports.queryManagement(), ports.sandbox(), SANDBOX_MERCHANT,
                ports.postgres(), ports.kafka(), ports.redis(),
                DevTokens.merchant(DEMO_MERCHANT), DevTokens.withRoles("gateway-saga", "gateway"),
                DevTokens.withRoles("finance-user", "finance"), DevTokens.withRoles("auditor-user", "auditor"),
                DevTokens.withRoles("operator-user", "operator"), DEMO_MERCHANT, logDirectory(), replicaLines()));
    }
}
