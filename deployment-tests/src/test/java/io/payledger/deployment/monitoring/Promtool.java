package io.payledger.deployment.monitoring;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Prometheus's own checker, fetched by monitoring/promtool.sh from Debian's package on first use. */
final class Promtool {

    static final Path MONITORING = Path.of("..", "monitoring").toAbsolutePath().normalize();
    private static String binary;

    record Result(int exitCode, String output) {
        boolean succeeded() {
            return exitCode == 0;
        }
    }

    private Promtool() {
    }

    static Result run(Path workingDirectory, String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(binary());
        command.addAll(List.of(arguments));
        return exec(workingDirectory, command, 120);
    }

    private static synchronized String binary() {
        if (binary == null) {
            Result located = exec(MONITORING, List.of("bash", MONITORING.resolve("promtool.sh").toString()), 300);
            if (!located.succeeded()) {
                throw new IllegalStateException("monitoring/promtool.sh could not provide promtool:\n" + located.output());
            }
            binary = located.output().strip().lines().reduce((first, last) -> last).orElseThrow();
        }
        return binary;
    }

    private static Result exec(Path workingDirectory, List<String> command, int timeoutSeconds) {
        try {
            Process process = new ProcessBuilder(command).directory(workingDirectory.toFile()).redirectErrorStream(true).start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(command + " did not finish in " + timeoutSeconds + " s");
            }
            return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(command + " could not run", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
