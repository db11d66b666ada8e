package io.payledger.benchmarks;

import io.payledger.localstack.LocalStack;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** Each running service's start-up time and resident memory, as a Markdown table. */
final class ServiceFigures {

    private ServiceFigures() {
    }

    static String table(LocalStack stack) {
        StringBuilder table = new StringBuilder("| service | ready after s | resident MiB |\n|---|---|---|\n");
        for (Map.Entry<String, LocalStack.ServiceInfo> service : stack.services().entrySet()) {
            Duration startup = service.getValue().startup();
            table.append("| %s | %s | %d |\n".formatted(service.getKey(),
                    startup == null ? "-" : "%.1f".formatted(startup.toMillis() / 1000.0),
                    residentMiB(service.getValue().pid())));
        }
        return table.toString();
    }

    static long residentMiB(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
                }
            }
        } catch (IOException | NumberFormatException gone) {
            // not Linux, or the process is gone
        }
        return -1;
    }
}
