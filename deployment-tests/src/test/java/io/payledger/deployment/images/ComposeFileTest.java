package io.payledger.deployment.images;

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

/** docker-compose.yml cannot be run here (no Docker engine); what it refers to must at least exist and agree. */
class ComposeFileTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final List<String> APPLICATIONS = List.of("command-service", "gateway-saga", "query-service", "fiuu-sandbox");

    @Test
    void everyApplicationIsBuiltFromItsDockerfileAndRunsReadOnlyWithATmpfs() throws IOException {
        JsonNode services = compose().path("services");

        for (String application : APPLICATIONS) {
            JsonNode service = services.path(application);
            assertThat(service.path("build").path("dockerfile").asText()).as(application).isEqualTo(application + "/Dockerfile");
            assertThat(ROOT.resolve(application + "/Dockerfile")).isRegularFile();
            assertThat(service.path("read_only").asBoolean()).as(application).isTrue();
            assertThat(service.path("tmpfs").toString()).as(application).contains("/tmp");
        }
    }

    @Test
    void theRealServersPrometheusAndGrafanaAreThereWithTheRepositorysMonitoring() throws IOException {
        JsonNode services = compose().path("services");

        assertThat(services.fieldNames()).toIterable().contains("postgres", "kafka", "redis", "prometheus", "grafana");
        assertThat(services.path("kafka").path("environment").path("KAFKA_PROCESS_ROLES").asText()).contains("controller");
        for (String mount : volumes(services.path("prometheus")).stream().map(volume -> volume.split(":")[0]).toList()) {
            assertThat(ROOT.resolve(mount).resolve("prometheus.yml")).isRegularFile();
        }
        assertThat(volumes(services.path("grafana"))).anySatisfy(volume -> assertThat(volume).startsWith("./monitoring/grafana/dashboards:"));
    }

    @Test
    void eachServiceLogsInWithTheRoleTheInitScriptCreatesForItsOwnDatabase() throws IOException {
        JsonNode services = compose().path("services");
        String init = Files.readString(ROOT.resolve("docker/postgres-init.sql"));

        for (String application : List.of("command-service", "gateway-saga", "query-service")) {
            JsonNode env = services.path(application).path("environment");
            String user = env.path("SPRING_DATASOURCE_USERNAME").asText();
            assertThat(env.path("SPRING_DATASOURCE_URL").asText()).as(application).endsWith("/" + user);
            assertThat(init).contains("CREATE ROLE " + user + " LOGIN PASSWORD '" + env.path("SPRING_DATASOURCE_PASSWORD").asText() + "'")
                    .contains("CREATE DATABASE " + user + " OWNER " + user);
        }
    }

    private static List<String> volumes(JsonNode service) {
        List<String> volumes = new ArrayList<>();
        service.path("volumes").forEach(volume -> volumes.add(volume.asText()));
        return volumes;
    }

    private static JsonNode compose() throws IOException {
        Object document = new Yaml().load(Files.readString(ROOT.resolve("docker-compose.yml")));
        return new ObjectMapper().valueToTree(document);
    }
}
