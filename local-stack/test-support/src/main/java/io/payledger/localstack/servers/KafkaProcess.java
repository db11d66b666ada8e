package io.payledger.localstack.servers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Uuid;

/**
 * A single-node KRaft broker in a JVM of its own, from the same Kafka jars as the embedded one, on a
 * log directory that outlives it: unlike the in-process broker it can be stopped and started again
 * with its topics, offsets and consumer groups intact, which is what the chaos suite's "restart
 * Kafka" needs. Stopping is a SIGTERM (Kafka's controlled shutdown); {@link #kill()} is a SIGKILL, as when the
 * broker's machine dies, and {@link #startAgain()} brings it back on the same log directory.
 */
public final class KafkaProcess implements KafkaServer {

    private final int port;
    private final Path properties;
    private final Path log;
    private volatile Process process;

    private KafkaProcess(int port, Path properties, Path log) {
        this.port = port;
        this.properties = properties;
        this.log = log;
    }

    /** Starts a broker on a fresh log directory ({@code directory} is emptied first). */
    public static KafkaProcess start(int port, Path directory) {
        try {
            if (Files.isDirectory(directory)) {
                try (var files = Files.walk(directory)) {
                    files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
                }
            }
            Files.createDirectories(directory);
            Path properties = directory.resolve("server.properties");
            int controller = FreePorts.any();
            Files.writeString(properties, """
                    process.roles=broker,controller
                    node.id=1
                    controller.quorum.voters=1@localhost:%d
                    listeners=PLAINTEXT://localhost:%d,CONTROLLER://localhost:%d
                    advertised.listeners=PLAINTEXT://localhost:%d
                    controller.listener.names=CONTROLLER
                    inter.broker.listener.name=PLAINTEXT
                    log.dirs=%s
                    auto.create.topics.enable=false
                    offsets.topic.replication.factor=1
                    transaction.state.log.replication.factor=1
                    transaction.state.log.min.isr=1
                    group.initial.rebalance.delay.ms=0
                    """.formatted(controller, port, controller, port, directory.resolve("logs")));
            Path log = directory.resolve("kafka.log");
            run(List.of("kafka.tools.StorageTool", "format", "-t", Uuid.randomUuid().toString(),
                    "-c", properties.toString(), "--ignore-formatted"), log);
            KafkaProcess kafka = new KafkaProcess(port, properties, log);
            kafka.launch();
            return kafka;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start Kafka", e);
        }
    }

    /** Stops the broker (controlled shutdown) and starts it again on the same log directory. @return how long it was away */
    public Duration restart() {
        long stopped = System.nanoTime();
        stop();
        launch();
        return Duration.ofNanos(System.nanoTime() - stopped);
    }

    /** Kills the broker at once (SIGKILL): no controlled shutdown, connections cut mid-request. */
    public void kill() {
        Process running = process;
        if (running == null) {
            return;
        }
        try {
            running.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Starts a killed or stopped broker again on its log directory, and waits until it listens. */
    public void startAgain() {
        launch();
    }

    @Override
    public String bootstrapServers() {
        return "localhost:" + port;
    }

    @Override
    public void close() {
        stop();
    }

    private void launch() {
        try {
            process = new ProcessBuilder(command(List.of("kafka.Kafka", properties.toString())))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start Kafka", e);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket probe = new Socket("localhost", port)) {
                return;
            } catch (IOException notYet) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("Kafka exited; see " + log);
                }
                sleep(200);
            }
        }
        throw new IllegalStateException("Kafka did not listen on " + port + " within 60 s; see " + log);
    }

    private void stop() {
        Process running = process;
        if (running == null) {
            return;
        }
        running.destroy();
        try {
            if (!running.waitFor(30, TimeUnit.SECONDS)) {
                running.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void run(List<String> arguments, Path log) throws IOException {
        Process process = new ProcessBuilder(command(arguments)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(arguments.get(0) + " failed; see " + log);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The same JVM and class path as this one (which holds Kafka's jars), a small heap. */
    private static List<String> command(List<String> arguments) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path")));
        command.addAll(arguments);
        return command;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
