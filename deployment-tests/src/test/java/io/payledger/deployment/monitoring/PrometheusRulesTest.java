package io.payledger.deployment.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrometheusRulesTest {

    private static final Path PROMETHEUS = Promtool.MONITORING.resolve("prometheus");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void theAlertRulesAreValidPrometheusRules() {
        Promtool.Result check = Promtool.run(PROMETHEUS, "check", "rules", "rules/payledger-alerts.yml");

        assertThat(check.succeeded()).as(check.output()).isTrue();
    }

    @Test
    void everyAlertFiresAndStaysQuietExactlyAsItsUnitTestsSay() {
        Promtool.Result test = Promtool.run(PROMETHEUS, "test", "rules", "tests/payledger-alerts.test.yml");

        assertThat(test.succeeded()).as(test.output()).isTrue();
        assertThat(test.output()).contains("SUCCESS");
    }

    @Test
    void everyAlertHasAUnitTestARunbookAndASeverity() throws IOException {
        JsonNode tests = YAML.readTree(PROMETHEUS.resolve("tests/payledger-alerts.test.yml").toFile());
        List<String> tested = new ArrayList<>();
        tests.path("tests").forEach(test -> test.path("alert_rule_test").forEach(rule -> {
            if (!rule.path("exp_alerts").isEmpty()) {
                tested.add(rule.path("alertname").asText());
            }
        }));
        String operations = Files.readString(Promtool.MONITORING.getParent().resolve("docs/operations.md")).toLowerCase();

        for (JsonNode alert : alerts()) {
            String name = alert.path("alert").asText();
            assertThat(tested).as(name + " is shown firing by a unit test").contains(name);
            assertThat(alert.path("labels").path("severity").asText()).as(name).isIn("warning", "critical");
            String runbook = alert.path("annotations").path("runbook").asText();
            assertThat(runbook).as(name + " names its runbook").startsWith("docs/operations.md#");
            assertThat(operations).as(name + "'s runbook exists in docs/operations.md")
                    .contains("### " + runbook.substring(runbook.indexOf('#') + 1));
        }
    }

    @Test
    void theAlertsTheIssueAsksForExist() {
        assertThat(alerts()).extracting(alert -> alert.path("alert").asText()).contains(
                "PayLedgerServiceDown", "PayLedgerHighErrorRate", "PayLedgerSlowPayments", "PayLedgerNoPayments",
                "PayLedgerFiuuErrorRate", "PayLedgerFiuuCircuitOpen", "PayLedgerProjectionLag", "PayLedgerConsumerLag",
                "PayLedgerDatabasePoolSaturated");
    }

    @Test
    void theScrapeConfigurationIsValidAndLoadsTheRules() {
        Promtool.Result check = Promtool.run(PROMETHEUS, "check", "config", "prometheus.yml");

        assertThat(check.succeeded()).as(check.output()).isTrue();
        assertThat(check.output()).contains("rules/payledger-alerts.yml");
    }

    @Test
    void aRuleWithABrokenExpressionIsRefused(@TempDir Path scratch) throws IOException {
        Files.writeString(scratch.resolve("broken.yml"), """
                groups:
                  - name: broken
                    rules:
                      - alert: Broken
                        expr: sum(rate(http_server_requests_seconds_count[5m]) > 
                """);

        assertThat(Promtool.run(scratch, "check", "rules", "broken.yml").succeeded()).isFalse();
    }

    static List<JsonNode> alerts() {
        try {
            List<JsonNode> alerts = new ArrayList<>();
            YAML.readTree(PROMETHEUS.resolve("rules/payledger-alerts.yml").toFile()).path("groups")
                    .forEach(group -> group.path("rules").forEach(alerts::add));
            return alerts;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
