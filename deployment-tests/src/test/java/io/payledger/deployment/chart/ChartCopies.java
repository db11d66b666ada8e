package io.payledger.deployment.chart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.stream.Stream;

/** Copies of the chart for what embedded Helm cannot do on the original. */
final class ChartCopies {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private ChartCopies() {
    }

    /** The chart with {@code helm.sh/hook} renamed, so that {@code helm template} renders hooks too. */
    static Path withHooksAsManifests(Path chart, String annotation) {
        Path copy = copy(chart);
        try (Stream<Path> files = Files.walk(copy.resolve("templates"))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String text = Files.readString(file);
                Files.writeString(file, text.replace("helm.sh/hook:", annotation + ":")
                        .replace("helm.sh/hook-", annotation + "-"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return copy;
    }

    /**
     * The chart with {@code valuesFile} merged into its values.yaml, as Helm merges it on install:
     * helm-java's lint takes no values file, and lint is where the schema and the templates meet.
     */
    static Path withValues(Path chart, Path valuesFile) {
        Path copy = copy(chart);
        try {
            JsonNode defaults = YAML.readTree(copy.resolve("values.yaml").toFile());
            JsonNode overrides = YAML.readTree(valuesFile.toFile());
            YAML.writeValue(copy.resolve("values.yaml").toFile(), merge((ObjectNode) defaults, overrides));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return copy;
    }

    private static JsonNode merge(ObjectNode into, JsonNode from) {
        for (Iterator<Map.Entry<String, JsonNode>> fields = from.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode existing = into.get(field.getKey());
            if (existing instanceof ObjectNode object && field.getValue().isObject()) {
                merge(object, field.getValue());
            } else {
                into.set(field.getKey(), field.getValue());
            }
        }
        return into;
    }

    private static Path copy(Path chart) {
        try {
            Path target = Files.createTempDirectory("payledger-chart-").resolve("payledger");
            try (Stream<Path> paths = Files.walk(chart)) {
                for (Path source : paths.toList()) {
                    Path destination = target.resolve(chart.relativize(source).toString());
                    if (Files.isDirectory(source)) {
                        Files.createDirectories(destination);
                    } else {
                        Files.copy(source, destination); // follows the symlinks into monitoring/
                    }
                }
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
