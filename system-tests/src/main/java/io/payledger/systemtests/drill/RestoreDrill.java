package io.payledger.systemtests.drill;

import io.payledger.localstack.audit.EventStoreAudit;

import io.payledger.localstack.LocalStack;
import io.payledger.localstack.traffic.PaymentTraffic;
import io.payledger.localstack.servers.KafkaServer;
import io.payledger.localstack.servers.PostgresServer;
import io.payledger.localstack.servers.RedisServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The backup and restore drill of the event store (docs/operations.md "Backups and the restore drill"),
 * every step checked and timed:
 * <ol>
 *   <li>back up command-service's database ({@link DatabaseBackup}), auditing the event store in the same snapshot;</li>
 *   <li>migrate an empty database with command-service's own migrations (its MigrateDatabase, as the chart's Job runs it);</li>
 *   <li>restore the backup into it, every file checked against its checksum and every table against its row count;</li>
 *   <li>audit the restored event store: the same events, byte for byte (one digest over the log), and every hash chain intact;</li>
 *   <li>rebuild every read model from the restored log: a command-service on the restored store publishes the whole log
 *       to a topic of the drill's own (its position set back to the log's start), and a query-service on an empty
 *       database projects it;</li>
 *   <li>compare the rebuilt read models with the live ones, row by row, and check the rebuilt trial balance balances.</li>
 * </ol>
 * The sum of the step times is the measured recovery time for that much history.
 */
public final class RestoreDrill {

    /** What the drill found; {@code steps} are the seconds each step took, in order. */
    public record Report(EventStoreAudit.Summary source, EventStoreAudit.Summary restored, ReadModelsCompared.Result readModels,
                         Map<String, Double> steps) {

        public boolean passed() {
            return source.digest().equals(restored.digest()) && source.events() == restored.events()
                    && restored.chainsIntact() && readModels.equal();
        }

        public String table() {
            StringBuilder table = new StringBuilder("| step | seconds | result |\n|---|---|---|\n");
            List<String> results = List.of(
                    source.events() + " events of " + source.payments() + " payments, chains " + (source.chainsIntact() ? "intact" : "BROKEN"),
                    "schema migrated",
                    "every table's checksum and row count as backed up",
                    (source.digest().equals(restored.digest()) ? "same log, byte for byte" : "DIFFERENT LOG") + "; chains "
                            + (restored.chainsIntact() ? "intact" : "BROKEN " + restored.broken()),
                    "published and projected",
                    readModels.tables().stream().map(t -> t.name() + " " + t.compared() + " rows, " + t.differing() + " differ")
                            .reduce((a, b) -> a + "; " + b).orElse("") + "; trial balance "
                            + (readModels.rebuiltTrialBalanceBalances() ? "balances" : "DOES NOT BALANCE"));
            int i = 0;
            for (Map.Entry<String, Double> step : steps.entrySet()) {
                table.append("| ").append(step.getKey()).append(" | ").append(String.format("%.1f", step.getValue()))
                        .append(" | ").append(i < results.size() ? results.get(i) : "").append(" |\n");
                i++;
            }
            table.append("| **total (measured recovery time)** | ")
                    .append(String.format("%.1f", steps.values().stream().mapToDouble(Double::doubleValue).sum()))
                    .append(" | ").append(passed() ? "**passed**" : "**FAILED**").append(" |\n");
            return table.toString();
        }
    }

    /**
     * The documented drill ({@code scripts/restore-drill}): starts the local stack, takes payments
     * through the whole flow ({@code -Ddrill.payments}, 200 by default), runs the drill and writes
     * target/drill/report.md. Exits 1 if any check failed.
     */
    public static void main(String[] args) throws Exception {
        int payments = Integer.getInteger("drill.payments", 200);
        Path out = Path.of(System.getProperty("drill.out", "target/drill")).toAbsolutePath();
        Files.createDirectories(out);
        LocalStack stack = new LocalStack(LocalStack.Ports.standard());
        boolean passed = false;
        try {
            stack.start();
            for (int i = 0; i < payments; i++) {
                PaymentTraffic.onePaymentToCaptured();
            }
            Report report = new RestoreDrill(stack, stack.postgres(), stack.kafka(), stack.redis())
                    .run("payledger_command", "payledger_query", out);
            String markdown = "# Backup and restore drill, " + java.time.Instant.now() + "\n\n" + payments
                    + " payments taken through the whole flow first.\n\n" + report.table();
            Files.writeString(out.resolve("report.md"), markdown);
            System.out.println("\n" + markdown + "\nwritten to " + out.resolve("report.md"));
            passed = report.passed();
        } finally {
            stack.stop();
        }
        System.exit(passed ? 0 : 1);
    }

    private final LocalStack stack;
    private final PostgresServer postgres;
    private final KafkaServer kafka;
    private final RedisServer redis;
    private final Map<String, Double> steps = new LinkedHashMap<>();

    public RestoreDrill(LocalStack stack, PostgresServer postgres, KafkaServer kafka, RedisServer redis) {
        this.stack = stack;
        this.postgres = postgres;
        this.kafka = kafka;
        this.redis = redis;
    }

    /** Drills the restore of {@code commandDatabase}, comparing the rebuilt read models with {@code liveQueryDatabase}'s. */
    public Report run(String commandDatabase, String liveQueryDatabase, Path workDirectory) throws Exception {
        String suffix = Long.toString(System.currentTimeMillis(), 36);
        String restoredCommand = "drill_command_" + suffix;
        String rebuiltQuery = "drill_query_" + suffix;
        Path backup = workDirectory.resolve("backup-" + suffix);

        EventStoreAudit.Summary[] source = new EventStoreAudit.Summary[1];
        timed("1. back up " + commandDatabase, () -> {
            DatabaseBackup.take(url(commandDatabase), postgres.username(), postgres.password(), backup,
                    connection -> source[0] = EventStoreAudit.of(connection));
        });
        timed("2. migrate an empty database", () -> {
            postgres.execute("postgres", "CREATE DATABASE " + restoredCommand);
            migrate(restoredCommand);
        });
        timed("3. restore the backup", () -> DatabaseBackup.restore(backup, url(restoredCommand), postgres.username(),
                postgres.password()));
        EventStoreAudit.Summary[] restored = new EventStoreAudit.Summary[1];
        timed("4. audit the restored event store", () -> restored[0] = EventStoreAudit.of(url(restoredCommand),
                postgres.username(), postgres.password()));
        timed("5. rebuild the read models from the restored log", () -> {
            // the restored log is published from its start, to a topic of the drill's own: a null position is the
            // log's start (deleting the row instead would make Axon treat the whole log as a replay, which the
            // Kafka publisher skips)
            postgres.execute(restoredCommand, "UPDATE token_entry SET token = NULL, token_type = NULL, owner = NULL");
            postgres.execute("postgres", "CREATE DATABASE " + rebuiltQuery);
            try (AutoCloseable services = stack.startOnRestoredLog(postgres, restoredCommand, rebuiltQuery, kafka, redis,
                    "payledger.drill-" + suffix)) {
                awaitProjected(rebuiltQuery, restored[0].events(), Duration.ofMinutes(10));
            }
        });
        ReadModelsCompared.Result[] compared = new ReadModelsCompared.Result[1];
        timed("6. compare with the live read models", () -> compared[0] = ReadModelsCompared.of(url(liveQueryDatabase),
                url(rebuiltQuery), postgres.username(), postgres.password()));
        return new Report(source[0], restored[0], compared[0], steps);
    }

    /**
     * command-service's own migrations, run from its executable jar as the chart's migration Job runs
     * them, granting the role the restored service will run as (the local stack's "{database}_app").
     */
    private void migrate(String database) throws IOException, InterruptedException {
        String runtimeRole = database + "_app";
        postgres.execute("postgres", "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + runtimeRole
                + "') THEN CREATE ROLE " + runtimeRole + " LOGIN PASSWORD '" + runtimeRole + "-dev'; END IF; END $$");
        ProcessBuilder migration = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", stack.executableJar("command-service").toString(),
                "-Dloader.main=io.payledger.axon.migration.MigrateDatabase",
                "org.springframework.boot.loader.launch.PropertiesLauncher")
                .redirectErrorStream(true).redirectOutput(stack.logDirectory().resolve("drill-migration.log").toFile());
        Files.createDirectories(stack.logDirectory());
        migration.environment().put("SPRING_DATASOURCE_URL", url(database));
        migration.environment().put("SPRING_DATASOURCE_USERNAME", postgres.username());
        migration.environment().put("SPRING_DATASOURCE_PASSWORD", postgres.password());
        migration.environment().put("PAYLEDGER_RUNTIME_ROLE", runtimeRole);
        Process process = migration.start();
        if (!process.waitFor(3, TimeUnit.MINUTES) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException("migrating " + database + " failed; see drill-migration.log");
        }
    }

    private void awaitProjected(String database, long events, Duration patience) throws Exception {
        long deadline = System.nanoTime() + patience.toNanos();
        long projected = 0;
        while (System.nanoTime() < deadline) {
            projected = count(database, "SELECT count(*) FROM audit_event");
            if (projected >= events) {
                return;
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("the rebuilt read models hold " + projected + " of " + events + " events");
    }

    private long count(String database, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url(database), postgres.username(), postgres.password());
             Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException notYet) {
            if ("42P01".equals(notYet.getSQLState())) {
                return 0; // the query-service has not migrated its database yet
            }
            throw notYet;
        }
    }

    private String url(String database) {
        return postgres.jdbcUrl(database);
    }

    private interface Step {
        void run() throws Exception;
    }

    private void timed(String name, Step step) throws Exception {
        long started = System.nanoTime();
        step.run();
        steps.put(name, (System.nanoTime() - started) / 1e9);
    }
}
