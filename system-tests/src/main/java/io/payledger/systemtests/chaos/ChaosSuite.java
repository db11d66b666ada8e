package io.payledger.systemtests.chaos;

import io.payledger.localstack.LocalStack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Faults under load, one scenario at a time, against two replicas of each service
 * ({@code scripts/chaos}): the payment mix runs while a fault is injected; then the suite waits for
 * the system to be quiet and checks every {@link Invariants invariant}. It prints, and writes to
 * target/chaos/report.md, a table of scenarios, the load held, the faults injected and each
 * invariant's result, and exits 1 if any invariant broke.
 * <p>
 * Settings: {@code -Dchaos.seconds=90} of load per scenario, {@code -Dchaos.flows=6} concurrent merchants,
 * {@code -Dchaos.scenarios=kill,fiuu-down,notifications-flood,notifications-dropped,postgres-restart,kafka-restart} (a subset, in that order).
 */
public final class ChaosSuite {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final List<String> SERVICES = List.of("command-service", "gateway-saga", "query-service");

    private record Result(String scenario, PaymentMix load, String faults, Duration quiet, Map<String, String> invariants) { }

    private interface Fault {
        /** Injects faults until {@code loadRunning} turns false; @return what it injected, in words */
        String inject(AtomicBoolean loadRunning) throws Exception;
    }

    private final LocalStack stack;
    private final Invariants invariants;

    private ChaosSuite(LocalStack stack) {
        this.stack = stack;
        this.invariants = new Invariants(stack.postgres(), stack.kafkaBootstrapServers(), "payledger.payment-events");
    }

    public static void main(String[] args) throws Exception {
        Duration load = Duration.ofSeconds(Integer.getInteger("chaos.seconds", 90));
        int flows = Integer.getInteger("chaos.flows", 6);
        List<String> scenarios = List.of(System.getProperty("chaos.scenarios",
                "kill,fiuu-down,notifications-flood,notifications-dropped,postgres-restart,kafka-restart").split(","));
        Path out = Path.of(System.getProperty("chaos.out", "target/chaos")).toAbsolutePath();
        Files.createDirectories(out);
        LocalStack stack = new LocalStack(LocalStack.Ports.standard(), 2, true);
        boolean held = false;
        try {
            stack.start(Map.of(
                    "payledger.saga.checkout-requery-after", "20s",
                    "payledger.saga.retry-backoff", "1s",
                    "payledger.saga.max-backoff", "10s",
                    "payledger.reconciliation.quiet-period", "0s",
                    "sandbox.resend-interval", "2s"));
            ChaosSuite suite = new ChaosSuite(stack);
            List<Result> results = new ArrayList<>();
            for (String scenario : scenarios) {
                results.add(suite.run(scenario.trim(), flows, load));
                System.out.println(table(results));
            }
            String report = "# Chaos suite, " + Instant.now() + "\n\n2 replicas of each service, " + flows
                    + " concurrent merchants for " + load.toSeconds() + " s per scenario, on this machine.\n\n" + table(results);
            Files.writeString(out.resolve("report.md"), report);
            System.out.println("\n" + report + "\nwritten to " + out.resolve("report.md"));
            held = results.stream().allMatch(result -> result.invariants().values().stream().allMatch(v -> v.startsWith("ok")));
        } finally {
            stack.stop();
        }
        System.exit(held ? 0 : 1);
    }

    private Result run(String scenario, int flows, Duration duration) throws Exception {
        Fault fault = switch (scenario) {
            case "kill" -> this::killReplicas;
            case "fiuu-down" -> ChaosSuite::fiuuDownThenSlow;
            case "notifications-flood" -> running -> sandboxFaults(running,
                    "{\"duplicateNotifications\":5,\"reorderNotifications\":true}", "every notification sent 6 times, finals before pendings");
            case "notifications-dropped" -> running -> sandboxFaults(running, "{\"dropNotifications\":true}",
                    "every notification dropped: only the saga's re-query finds payments");
            case "postgres-restart" -> this::restartPostgres;
            case "kafka-restart" -> this::restartKafka;
            default -> throw new IllegalArgumentException("unknown scenario " + scenario);
        };
        System.out.println("\n=== scenario " + scenario + " ===");
        Instant since = Instant.now();
        PaymentMix load = new PaymentMix();
        AtomicBoolean running = new AtomicBoolean(true);
        String[] injected = {""};
        Thread faults = new Thread(() -> {
            try {
                injected[0] = fault.inject(running);
            } catch (Exception e) {
                injected[0] = "fault injection failed: " + e.getMessage();
            }
        }, "chaos-" + scenario);
        faults.start();
        load.run(flows, duration);
        running.set(false);
        faults.join();
        sandbox("/sandbox/faults", "{}");
        Duration quiet = invariants.awaitQuiet(Duration.ofMinutes(5));
        return new Result(scenario, load, injected[0], quiet, invariants.check(since));
    }

    /**
     * SIGKILLs a random replica every 15 s and starts it again (as Kubernetes would), without waiting
     * for it to come back before the next kill; a service's last replica standing is never chosen.
     */
    private String killReplicas(AtomicBoolean running) throws Exception {
        List<String> victims = Collections.synchronizedList(new ArrayList<>());
        Set<String> restarting = ConcurrentHashMap.newKeySet();
        List<Thread> restarts = new ArrayList<>();
        while (running.get()) {
            sleepWhile(running, Duration.ofSeconds(15));
            List<String> candidates = SERVICES.stream().filter(service -> !restarting.contains(service)).toList();
            if (!running.get() || candidates.isEmpty()) {
                continue;
            }
            String service = candidates.get(ThreadLocalRandom.current().nextInt(candidates.size()));
            int replica = 1 + ThreadLocalRandom.current().nextInt(2);
            restarting.add(service);
            Thread restart = new Thread(() -> {
                try {
                    Duration gone = stack.killAndRestart(service, replica);
                    victims.add(service + "-" + replica + " (back in " + gone.toSeconds() + " s)");
                } finally {
                    restarting.remove(service);
                }
            }, "restart-" + service + "-" + replica);
            restart.start();
            restarts.add(restart);
        }
        for (Thread restart : restarts) {
            restart.join();
        }
        return victims.size() + " SIGKILLs: " + String.join(", ", victims);
    }

    /**
     * Restarts PostgreSQL every 30 s with a fast shutdown (every connection of every service cut, every
     * open transaction rolled back), through pg_ctl on the server's own data directory.
     */
    private String restartPostgres(AtomicBoolean running) throws Exception {
        String dataDirectory;
        String binaries;
        try (Connection connection = DriverManager.getConnection(stack.postgres().jdbcUrl("postgres"),
                stack.postgres().username(), stack.postgres().password());
             ResultSet rows = connection.createStatement().executeQuery(
                     "SELECT current_setting('data_directory'), (SELECT setting FROM pg_config WHERE name = 'BINDIR')")) {
            rows.next();
            dataDirectory = rows.getString(1);
            binaries = rows.getString(2);
        }
        List<String> restarts = new ArrayList<>();
        while (running.get()) {
            sleepWhile(running, Duration.ofSeconds(30));
            if (!running.get()) {
                break;
            }
            long started = System.nanoTime();
            // as the embedded server itself is run: in a user namespace, since pg_ctl refuses to run as root
            Process restart = new ProcessBuilder("unshare", "-U", binaries + "/pg_ctl", "-D", dataDirectory, "-m", "fast", "-w", "-t", "60",
                    "restart").redirectErrorStream(true).redirectOutput(stack.logDirectory().resolve("chaos-pg_ctl.log").toFile())
                    .start();
            if (!restart.waitFor(90, TimeUnit.SECONDS) || restart.exitValue() != 0) {
                return "pg_ctl restart failed after " + restarts.size() + " restarts; see chaos-pg_ctl.log";
            }
            restarts.add(String.format("%.1f s", (System.nanoTime() - started) / 1e9));
        }
        return restarts.size() + " PostgreSQL restarts (fast shutdown), down " + String.join(", ", restarts);
    }

    /** Restarts the Kafka broker (controlled shutdown, then started again with its data) every 30 s. */
    private String restartKafka(AtomicBoolean running) {
        List<String> restarts = new ArrayList<>();
        while (running.get()) {
            try {
                sleepWhile(running, Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            if (running.get()) {
                restarts.add(stack.restartKafka().toSeconds() + " s");
            }
        }
        return restarts.size() + " Kafka restarts, away " + String.join(", ", restarts);
    }

    /** Fiuu's API answers 503 to everything for 60 s, then answers, slowly (1.5 s a call), until the load ends. */
    private static String fiuuDownThenSlow(AtomicBoolean running) throws Exception {
        sandbox("/sandbox/faults", "{\"failNextCalls\":1000000}");
        sleepWhile(running, Duration.ofSeconds(60));
        sandbox("/sandbox/faults", "{\"latencyMillis\":1500}");
        while (running.get()) {
            Thread.sleep(500);
        }
        return "Fiuu API down (503) for 60 s, then 1.5 s per call";
    }

    private static String sandboxFaults(AtomicBoolean running, String faults, String description) throws Exception {
        sandbox("/sandbox/faults", faults);
        while (running.get()) {
            Thread.sleep(500);
        }
        return description;
    }

    private static void sleepWhile(AtomicBoolean running, Duration atMost) throws InterruptedException {
        long end = System.nanoTime() + atMost.toNanos();
        while (running.get() && System.nanoTime() < end) {
            Thread.sleep(500);
        }
    }

    private static void sandbox(String path, String json) throws Exception {
        HttpResponse<Void> answer = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:8070" + path))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.discarding());
        if (answer.statusCode() / 100 != 2) {
            throw new IllegalStateException("the sandbox answered " + answer.statusCode() + " to " + path);
        }
    }

    private static String table(List<Result> results) {
        StringBuilder table = new StringBuilder("| scenario | load held | faults injected | quiet after |");
        Invariants.NAMES.forEach(name -> table.append(' ').append(name).append(" |"));
        table.append("\n|---|---|---|---|").append("---|".repeat(Invariants.NAMES.size())).append('\n');
        for (Result result : results) {
            table.append("| ").append(result.scenario()).append(" | ")
                    .append(result.load().started.get()).append(" flows, ").append(result.load().accepted.size())
                    .append(" payments accepted, ").append(result.load().completed.get()).append(" completed, ")
                    .append(result.load().abandoned.get()).append(" abandoned | ").append(result.faults()).append(" | ")
                    .append(result.quiet().toSeconds()).append(" s |");
            Invariants.NAMES.forEach(name -> table.append(' ').append(result.invariants().get(name)).append(" |"));
            table.append('\n');
        }
        return table.toString();
    }
}
