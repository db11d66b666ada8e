package io.payledger.benchmarks;

import io.payledger.localstack.LocalStack;
import java.time.Duration;
import java.util.List;

/**
 * Each service's start-up on its own: the whole stack starts (all at once, as the other benchmarks
 * report it), settles, and then each service in turn is stopped and started again while the others
 * idle, {@code bench.rounds} times. Prints, per service, the time from launching its JVM until its
 * readiness answered, and its resident memory once ready. Nothing else runs on the cores meanwhile,
 * so this is the figure "ready after start, each service alone" measures.
 *
 * <pre>./mvnw -Pbench -pl benchmarks -Dbench.main=io.payledger.benchmarks.StartupBenchmark -Dbench.rounds=3</pre>
 */
public final class StartupBenchmark {

    private static final List<String> SERVICES = List.of("command-service", "gateway-saga", "query-service");

    public static void main(String[] args) {
        int rounds = Integer.getInteger("bench.rounds", 3);
        LocalStack stack = new LocalStack(LocalStack.Ports.standard());
        try {
            stack.start();
            System.out.printf("%nAll at once (each waits for the cores the others use):%n%n%s%n", ServiceFigures.table(stack));
            StringBuilder table = new StringBuilder("| service | ready after s, each round alone | resident MiB when ready |\n"
                    + "|---|---|---|\n");
            for (String service : SERVICES) {
                StringBuilder times = new StringBuilder();
                for (int round = 1; round <= rounds; round++) {
                    Duration startup = stack.restartAlone(service);
                    times.append(round == 1 ? "" : ", ").append("%.1f".formatted(startup.toMillis() / 1000.0));
                }
                long resident = ServiceFigures.residentMiB(stack.services().get(service).pid());
                table.append("| %s | %s | %d |\n".formatted(service, times, resident));
            }
            System.out.printf("%nEach service restarted alone, the rest of the stack idle:%n%n%s%n", table);
        } finally {
            stack.stop();
        }
        System.exit(0);
    }
}
