package io.payledger.deployment.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DashboardsTest {

    static final Path DASHBOARDS = Promtool.MONITORING.resolve("grafana/dashboards");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyDashboardHasAUniqueUidAPrometheusVariableAndPanelsThatDoNotOverlap() throws IOException {
        Set<String> uids = new HashSet<>();
        for (JsonNode dashboard : dashboards()) {
            String uid = dashboard.path("uid").asText();
            assertThat(uids.add(uid)).as("uid " + uid + " is unique").isTrue();
            assertThat(dashboard.path("templating").path("list").findValuesAsText("name")).as(uid).contains("datasource");
            List<int[]> taken = new ArrayList<>();
            for (JsonNode panel : dashboard.path("panels")) {
                String where = uid + " / " + panel.path("title").asText();
                assertThat(panel.path("datasource").path("uid").asText()).as(where).isEqualTo("${datasource}");
                assertThat(panel.path("targets")).as(where + " queries something").isNotEmpty();
                JsonNode grid = panel.path("gridPos");
                int[] box = {grid.path("x").asInt(), grid.path("y").asInt(), grid.path("w").asInt(), grid.path("h").asInt()};
                assertThat(box[0] + box[2]).as(where + " fits the 24 columns").isLessThanOrEqualTo(24);
                for (int[] other : taken) {
                    boolean overlaps = box[0] < other[0] + other[2] && other[0] < box[0] + box[2]
                            && box[1] < other[1] + other[3] && other[1] < box[1] + box[3];
                    assertThat(overlaps).as(where + " overlaps another panel").isFalse();
                }
                taken.add(box);
            }
        }
    }

    @Test
    void everyPanelQueryIsValidPromQl(@TempDir Path scratch) throws IOException {
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard-queries\n    rules:\n");
        int count = 0;
        for (String expr : expressions()) {
            rules.append("      - record: dashboard:query:").append(++count).append('\n')
                    .append("        expr: ").append(JSON.writeValueAsString(grafanaToPrometheus(expr))).append('\n');
        }
        Files.writeString(scratch.resolve("queries.yml"), rules);

        Promtool.Result check = Promtool.run(scratch, "check", "rules", "queries.yml");

        assertThat(count).isGreaterThan(30);
        assertThat(check.succeeded()).as(check.output()).isTrue();
    }

    /** Grafana's range variables, as Prometheus would receive them. */
    static String grafanaToPrometheus(String expr) {
        return expr.replace("$__rate_interval", "1m").replace("$__interval", "1m").replace("$__range", "1h");
    }

    static List<String> expressions() throws IOException {
        List<String> expressions = new ArrayList<>();
        for (JsonNode dashboard : dashboards()) {
            for (JsonNode panel : dashboard.path("panels")) {
                panel.path("targets").forEach(target -> expressions.add(target.path("expr").asText()));
            }
        }
        return expressions;
    }

    static List<JsonNode> dashboards() throws IOException {
        try (Stream<Path> files = Files.list(DASHBOARDS)) {
            List<JsonNode> dashboards = new ArrayList<>();
            for (Path file : files.filter(path -> path.toString().endsWith(".json")).sorted().toList()) {
                dashboards.add(JSON.readTree(file.toFile()));
            }
            assertThat(dashboards).hasSizeGreaterThanOrEqualTo(4);
            return dashboards;
        }
    }
}
