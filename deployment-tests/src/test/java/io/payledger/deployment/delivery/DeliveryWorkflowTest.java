package io.payledger.deployment.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** The pipeline runs on GitHub, not here; what it promises is checked against its definition. */
class DeliveryWorkflowTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void theBuildRunsExactlyTheCiTestCommandAndPublishesAnSbom() throws IOException {
        List<String> build = runs(workflow().path("jobs").path("build"));

        assertThat(build).contains("bash .ci/run");
        assertThat(String.join("\n", build)).contains("-Psbom");
        assertThat(Files.readString(ROOT.resolve(".ci/run"))).contains("./mvnw");
    }

    @Test
    void productionFollowsASmokeTestedStagingAndAnApprovalAndRollsBackWhenItsSmokeTestFails() throws IOException {
        JsonNode jobs = workflow().path("jobs");

        assertThat(jobs.path("images").path("needs").toString()).contains("build", "chart");
        assertThat(jobs.path("staging").path("needs").asText()).isEqualTo("images");
        assertThat(jobs.path("production").path("needs").asText()).isEqualTo("staging");
        assertThat(jobs.path("production").path("environment").asText()).isEqualTo("production");
        for (String environment : List.of("staging", "production")) {
            List<JsonNode> steps = new ArrayList<>();
            jobs.path(environment).path("steps").forEach(steps::add);
            int smoke = indexOf(steps, "scripts/smoke-test.sh");
            int rollback = indexOf(steps, "helm rollback");
            assertThat(smoke).as(environment + " smoke-tests the release").isNotNegative();
            assertThat(rollback).as(environment + " rolls back after the smoke test").isGreaterThan(smoke);
            assertThat(steps.get(rollback).path("if").asText()).contains("failure()");
        }
        assertThat(ROOT.resolve("scripts/smoke-test.sh")).isExecutable();
    }

    @Test
    void imagesAreTaggedWithTheCommitAndTheSemanticVersion() throws IOException {
        String images = workflow().path("jobs").path("images").toString();

        assertThat(images).contains("type=sha,format=long", "type=semver,pattern={{version}}");
        assertThat(workflow().path("jobs").path("images").path("strategy").path("matrix").path("service").toString())
                .contains("command-service", "gateway-saga", "query-service");
    }

    private static int indexOf(List<JsonNode> steps, String command) {
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i).path("run").asText().contains(command)) {
                return i;
            }
        }
        return -1;
    }

    private static List<String> runs(JsonNode job) {
        List<String> runs = new ArrayList<>();
        job.path("steps").forEach(step -> runs.add(step.path("run").asText().strip()));
        return runs;
    }

    private static JsonNode workflow() throws IOException {
        // "on" is YAML 1.1's true; only jobs are read here
        Object document = new Yaml().load(Files.readString(ROOT.resolve(".github/workflows/delivery.yml")));
        return new ObjectMapper().valueToTree(document);
    }
}
