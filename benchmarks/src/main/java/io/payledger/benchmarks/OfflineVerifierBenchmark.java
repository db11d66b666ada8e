package io.payledger.benchmarks;

import io.payledger.localstack.events.SyntheticExport;
import io.payledger.localstack.tokens.DevCheckpointKeys;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The auditors' offline verifier on a large export: writes a synthetic whole-log export (payment histories with
 * real chains, checkpoints every 1,000 events signed with the development key), then runs the verifier's own
 * executable jar on it in a JVM of its own, as an auditor would, and prints its speed and its peak resident
 * memory (VmHWM, read from /proc while it runs).
 * <pre>
 * ./mvnw -Pbench -pl benchmarks -am -DskipTests -Dbench.main=io.payledger.benchmarks.OfflineVerifierBenchmark \
 *        -Dbench.events=1000000
 * </pre>
 */
public final class OfflineVerifierBenchmark {

    private OfflineVerifierBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int events = Integer.getInteger("bench.events", 1_000_000);
        String heap = System.getProperty("bench.verifierHeap", "1g");
        Path home = Path.of(System.getProperty("payledger.home", "."));
        Path directory = Files.createDirectories(home.resolve("benchmarks/target/bench"));
        Path export = directory.resolve("verifier-export.jsonl");
        Path key = Files.writeString(directory.resolve("checkpoint-public-key.pem"), DevCheckpointKeys.PUBLIC_KEY);

        long writing = System.nanoTime();
        long lines = SyntheticExport.write(export, events, 200, 20261207, 1_000);
        double wrote = (System.nanoTime() - writing) / 1e9;
        System.out.printf("export: %,d events, %,d MB, written in %.1f s%n", lines, Files.size(export) / (1024 * 1024), wrote);

        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap, "-jar", verifierJar(home).toString(), export.toString(), "--public-key", key.toString()));
        long started = System.nanoTime();
        Process verifier = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(directory.resolve("verifier-output.txt").toFile()).start();
        long peakKib = 0;
        while (verifier.isAlive()) {
            peakKib = Math.max(peakKib, peakResidentKib(verifier.pid()));
            Thread.sleep(100);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        int exit = verifier.waitFor();
        System.out.println(Files.readString(directory.resolve("verifier-output.txt")));
        System.out.printf("offline verifier: %,d events in %.1f s = %,.0f events/s; peak resident memory %,d MiB (-Xmx%s); exit %d%n",
                lines, seconds, lines / seconds, peakKib / 1024, heap, exit);
        if (exit != 0) {
            throw new IllegalStateException("the verifier did not verify a clean export (exit " + exit + ")");
        }
    }

    private static Path verifierJar(Path home) throws IOException {
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(home.resolve("audit-verifier/target"), "audit-verifier-*-standalone.jar")) {
            for (Path jar : jars) {
                return jar;
            }
        }
        throw new IllegalStateException("build the verifier first: ./mvnw -pl audit-verifier -am package -DskipTests");
    }

    private static long peakResidentKib(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException | RuntimeException gone) {
            // the process ended between two looks
        }
        return 0;
    }
}
