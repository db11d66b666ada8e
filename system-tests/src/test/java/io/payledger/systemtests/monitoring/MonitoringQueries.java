package io.payledger.systemtests.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/** Every metric name monitoring/ reads, with where it is read: alert rules and dashboard panels. */
public final class MonitoringQueries {

    /** Names Prometheus makes itself rather than scraping them. */
    public static final Set<String> PROMETHEUS_OWN = Set.of("up", "ALERTS", "ALERTS_FOR_STATE");

    private static final Path MONITORING = Path.of(System.getProperty("payledger.home", ".."), "monitoring")
            .toAbsolutePath().normalize();

    private MonitoringQueries() {
    }

    /** Metric name, then the rules and panels that read it. */
    public static Map<String, Set<String>> metricNames() {
        Map<String, Set<String>> used = new TreeMap<>();
        try {
            ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
            try (Stream<Path> files = Files.list(MONITORING.resolve("prometheus/rules"))) {
                for (Path file : files.filter(path -> path.toString().endsWith(".yml")).toList()) {
                    yaml.readTree(file.toFile()).path("groups").forEach(group -> group.path("rules").forEach(rule ->
                            record(used, rule.path("expr").asText(), "rule " + rule.path("alert").asText(rule.path("record").asText()))));
                }
            }
            ObjectMapper json = new ObjectMapper();
            try (Stream<Path> files = Files.list(MONITORING.resolve("grafana/dashboards"))) {
                for (Path file : files.filter(path -> path.toString().endsWith(".json")).toList()) {
                    JsonNode dashboard = json.readTree(file.toFile());
                    dashboard.path("panels").forEach(panel -> panel.path("targets").forEach(target -> record(used,
                            target.path("expr").asText(), "panel " + dashboard.path("uid").asText() + " / " + panel.path("title").asText())));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        PROMETHEUS_OWN.forEach(used::remove);
        return used;
    }

    private static void record(Map<String, Set<String>> used, String expression, String where) {
        PromQlMetricNames.in(expression).forEach(name -> used.computeIfAbsent(name, key -> new TreeSet<>()).add(where));
    }
}
