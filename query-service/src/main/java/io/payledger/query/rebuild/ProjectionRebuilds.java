package io.payledger.query.rebuild;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.payledger.query.projection.ReadModelProjection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.axonframework.extensions.kafka.KafkaProperties;
import org.axonframework.extensions.kafka.eventhandling.KafkaMessageConverter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * Rebuilds the read models from the start of the log into fresh tables, beside the live ones and
 * without stopping them, then compares the two. One rebuild runs at a time. The tables are loaded in
 * bulk ({@link BulkLoad}) and stay in their own schema ({@code rebuild_<id>}) for inspection until the
 * next rebuild replaces them. Progress is the share of the work done (reading the log, then folding
 * the payments), also published as a metric.
 */
@Service
public class ProjectionRebuilds implements DisposableBean {

    /** The projections that can be rebuilt: the one that maintains the audit trail, payment views and journal. */
    public static final List<String> PROJECTIONS = List.of(ReadModelProjection.PROCESSING_GROUP);
    private static final Logger log = LoggerFactory.getLogger(ProjectionRebuilds.class);

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final KafkaProperties kafka;
    private final KafkaMessageConverter<String, byte[]> converter;
    private final Clock clock;
    private final Duration catchUpPatience;
    private final int batchSize;
    private final int foldWorkers;
    private final int readers;
    private final ExecutorService runner = Executors.newSingleThreadExecutor(task -> new Thread(task, "projection-rebuild"));
    private final AtomicReference<Rebuild> latest = new AtomicReference<>();

    ProjectionRebuilds(JdbcTemplate jdbc, ObjectMapper json, KafkaProperties kafka,
                       KafkaMessageConverter<?, ?> converter, Clock clock, MeterRegistry meters,
                       @Value("${payledger.query.rebuild.catch-up-patience:2m}") Duration catchUpPatience,
                       @Value("${payledger.query.rebuild.batch-size:5000}") int batchSize,
                       @Value("${payledger.query.rebuild.fold-workers:2}") int foldWorkers,
                       @Value("${payledger.query.rebuild.readers:1}") int readers) {
        this.jdbc = jdbc;
        this.json = json;
        this.kafka = kafka;
        this.converter = asRecordConverter(converter);
        this.clock = clock;
        this.catchUpPatience = catchUpPatience;
        this.batchSize = batchSize;
        // each fold worker holds two of the pool's connections for the whole fold
        this.foldWorkers = between1And8("payledger.query.rebuild.fold-workers", foldWorkers);
        this.readers = between1And8("payledger.query.rebuild.readers", readers);
        Gauge.builder("payledger.projection.rebuild.progress", latest, ProjectionRebuilds::progressOf)
                .description("share of a rebuild's work done: reading the log is the first half, folding the payments the second (1 when compared)").tag("projection", PROJECTIONS.get(0))
                .register(meters);
        Gauge.builder("payledger.projection.rebuild.records", latest,
                        current -> current.get() == null ? 0 : current.get().recordsRead())
                .description("log records the latest rebuild has read").tag("projection", PROJECTIONS.get(0))
                .register(meters);
    }

    /** Starts a rebuild, or says why not: an unknown projection, or one already running. */
    public synchronized Rebuild start(String projection) {
        if (!PROJECTIONS.contains(projection)) {
            throw new UnknownProjection(projection);
        }
        Rebuild running = latest.get();
        if (running != null && !running.isFinished()) {
            throw new RebuildInProgress(running);
        }
        String id = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        Rebuild rebuild = new Rebuild(id, projection, "rebuild_" + id, clock.instant());
        latest.set(rebuild);
        runner.submit(() -> run(rebuild));
        return rebuild;
    }

    public Optional<Rebuild> find(String projection, String id) {
        return Optional.ofNullable(latest.get()).filter(r -> r.projection().equals(projection) && r.id().equals(id));
    }

    private void run(Rebuild rebuild) {
        try {
            String liveSchema = jdbc.queryForObject("SELECT current_schema()", String.class);
            dropEarlierRebuilds();
            BulkLoad load = new BulkLoad(jdbc, rebuild.schema(), json, foldWorkers);
            load.createTables(liveSchema);
            EventLogReader reader = new EventLogReader(String.join(",", kafka.getBootstrapServers()),
                    kafka.getDefaultTopic(), converter, batchSize, readers);
            long started = System.nanoTime();
            // reading (the broker, the converter's deserialising) and loading (PostgreSQL) overlap: the COPY is fed
            // from a short queue on a thread of its own while the next batches are read
            try (BulkLoad.AuditRows audit = load.auditRows();
                 BatchWriter batches = new BatchWriter(audit::write, rebuild::read)) {
                reader.read(extent -> rebuild.reading(extent.records()), batches::write, batches::read);
                batches.finish();
                audit.finish();
            }
            long loaded = System.nanoTime();
            rebuild.applied(load.keyAuditTrail());
            long keyed = System.nanoTime();
            load.foldPayments(rebuild::folded);
            long folded = System.nanoTime();
            load.keyReadModels();
            rebuild.comparing(clock.instant());
            log.info("rebuild {}: log read and audit trail loaded in {} ms, its keys built in {} ms, payments folded in {} ms,"
                            + " read models keyed in {} ms", rebuild.id(), (loaded - started) / 1_000_000,
                    (keyed - loaded) / 1_000_000, (folded - keyed) / 1_000_000, (System.nanoTime() - folded) / 1_000_000);
            ReadModelComparison comparison = new ReadModelComparison(jdbc, rebuild.schema(), liveSchema);
            boolean caughtUp = comparison.awaitLiveCaughtUp(catchUpPatience);
            rebuild.completed(comparison.compare(), caughtUp, clock.instant());
            log.info("rebuild {} of {}: {} records in {}, equal to the live model: {}", rebuild.id(), rebuild.projection(),
                    rebuild.recordsRead(), Duration.between(rebuild.startedAt(), rebuild.readAt()),
                    rebuild.comparison().equal());
        } catch (Exception e) {
            log.error("rebuild {} of {} failed", rebuild.id(), rebuild.projection(), e);
            rebuild.failed(e.getClass().getSimpleName() + ": " + e.getMessage(), clock.instant());
        }
    }

    /** Earlier rebuilds' schemas stay for inspection until the next rebuild begins. */
    private void dropEarlierRebuilds() {
        jdbc.queryForList("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'rebuild\\_%'", String.class)
                .forEach(old -> jdbc.execute("DROP SCHEMA " + quoted(old) + " CASCADE"));
    }

    /** axon-kafka declares its converter with wildcards; the one it configures reads String keys and byte[] values. */
    @SuppressWarnings("unchecked")
    private static KafkaMessageConverter<String, byte[]> asRecordConverter(KafkaMessageConverter<?, ?> converter) {
        return new io.payledger.axon.StoredFormKafkaMessageConverter(converter);
    }

    private static int between1And8(String setting, int value) {
        if (value < 1 || value > 8) {
            throw new IllegalArgumentException(setting + " must be between 1 and 8, not " + value);
        }
        return value;
    }

    private static String quoted(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    private static double progressOf(AtomicReference<Rebuild> current) {
        Rebuild rebuild = current.get();
        return rebuild == null ? 0 : rebuild.progress();
    }

    @Override
    public void destroy() {
        runner.shutdownNow();
    }

    /** Asked for a projection that does not exist. */
    public static final class UnknownProjection extends RuntimeException {
        UnknownProjection(String name) {
            super("no projection named " + name + "; projections: " + String.join(", ", PROJECTIONS));
        }
    }

    /** Asked to start while another rebuild runs. */
    public static final class RebuildInProgress extends RuntimeException {
        private final transient Rebuild running;

        RebuildInProgress(Rebuild running) {
            super("rebuild " + running.id() + " is still running");
            this.running = running;
        }

        public Rebuild running() {
            return running;
        }
    }
}
