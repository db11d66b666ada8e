package io.payledger.deployment.images;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * No Docker engine runs on the build machines, so the images are checked without building them: what
 * each Dockerfile says against what the service really is, and its layer extraction run for real on
 * the service's executable jar, exactly as the build stage runs it.
 */
class DockerfilesTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern COPY_LAYER = Pattern.compile("(?m)^COPY --from=build /layers/([a-z-]+)/ \\./$");

    @ParameterizedTest
    @ValueSource(strings = {"command-service", "gateway-saga", "query-service", "fiuu-sandbox"})
    void theFinalImageRunsAsUser1001ExposesTheServicesPortsAndChecksItsOwnHealth(String service) throws IOException {
        String dockerfile = Files.readString(ROOT.resolve(service).resolve("Dockerfile"));
        String finalStage = dockerfile.substring(dockerfile.lastIndexOf("\nFROM "));
        JsonNode config = YAML.readTree(ROOT.resolve(service).resolve("src/main/resources/application.yml").toFile());
        int http = config.path("server").path("port").asInt();
        int management = config.path("management").path("server").path("port").asInt(http);

        assertThat(finalStage).contains("\nUSER 1001:1001\n", "--uid 1001", "VOLUME /tmp", "-Djava.io.tmpdir=/tmp",
                "ENTRYPOINT [\"java\", \"-jar\", \"/app/app.jar\"]");
        assertThat(finalStage).containsPattern("(?m)^EXPOSE " + http + (management == http ? "" : " " + management) + "$");
        assertThat(finalStage).containsPattern("HEALTHCHECK [^\\n]*\\\\\\n\\s+CMD .*127\\.0\\.0\\.1/" + management + " ");
        assertThat(finalStage).as("the JRE, not the JDK, is what runs").contains("FROM eclipse-temurin:17-jre-");
        Matcher from = Pattern.compile("(?m)^FROM (\\S+)").matcher(dockerfile);
        while (from.find()) {
            assertThat(from.group(1)).as("base images are pinned to a tag").contains(":").doesNotEndWith(":latest");
        }
        assertThat(dockerfile).doesNotContainPattern("(?m)^ADD ");
        assertThat(dockerfile).contains("-pl " + service + " -am package");
    }

    @ParameterizedTest
    @ValueSource(strings = {"command-service", "gateway-saga", "query-service", "fiuu-sandbox"})
    void theLayersTheImageCopiesAreTheOnesTheJarExtractsTo(String service, @TempDir Path layers) throws Exception {
        String dockerfile = Files.readString(ROOT.resolve(service).resolve("Dockerfile"));
        Path jar = executableJar(service);

        run(List.of(java(), "-Djarmode=tools", "-jar", jar.toString(), "extract", "--layers",
                "--application-filename", "app.jar", "--destination", layers.toString()));

        List<String> copied = new ArrayList<>();
        Matcher copy = COPY_LAYER.matcher(dockerfile);
        while (copy.find()) {
            copied.add(copy.group(1));
        }
        try (Stream<Path> extracted = Files.list(layers)) {
            assertThat(copied).as("every extracted layer is copied, in Spring Boot's order")
                    .containsExactly("dependencies", "spring-boot-loader", "snapshot-dependencies", "application")
                    .containsExactlyInAnyOrderElementsOf(extracted.map(path -> path.getFileName().toString()).toList());
        }
        assertThat(layers.resolve("application/app.jar")).isRegularFile();
    }

    @ParameterizedTest
    @ValueSource(strings = {"command-service", "gateway-saga", "query-service"})
    void theMigrationJobsCommandFindsItsClassAndFlywayInTheImagesLayout(String service, @TempDir Path image) throws Exception {
        run(List.of(java(), "-Djarmode=tools", "-jar", executableJar(service).toString(), "extract",
                "--application-filename", "app.jar", "--destination", image.toString()));

        Result result = run(List.of(java(), "-cp", image.resolve("app.jar").toString(),
                "io.payledger.axon.migration.MigrateDatabase"));

        assertThat(result.exitCode()).as(result.output()).isEqualTo(2);
        assertThat(result.output()).contains("SPRING_DATASOURCE_URL is not set");
    }

    private record Result(int exitCode, String output) { }

    private static Result run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(command + " did not finish");
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (command.contains("extract") && process.exitValue() != 0) {
            throw new AssertionError(command + " failed: " + output);
        }
        return new Result(process.exitValue(), output);
    }

    private static Path executableJar(String service) throws IOException {
        try (Stream<Path> jars = Files.list(ROOT.resolve(service).resolve("target"))) {
            return jars.filter(path -> path.getFileName().toString().endsWith("-exec.jar")).findFirst()
                    .orElseThrow(() -> new AssertionError(service + " has no executable jar: package it first"));
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
