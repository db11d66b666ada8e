package io.payledger.deployment.chart;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/** Every values file an installation or a scenario uses: the environments and the chart's ci/ scenarios. */
final class ValuesFiles {

    static final Path ENVIRONMENTS = RenderedChart.CHART.getParent().resolve("environments");

    private ValuesFiles() {
    }

    static Stream<Arguments> all() {
        List<Arguments> files = new ArrayList<>();
        files.add(Arguments.of("chart defaults", null));
        for (Path directory : List.of(ENVIRONMENTS, RenderedChart.CHART.resolve("ci"))) {
            try (Stream<Path> listed = Files.list(directory)) {
                listed.filter(file -> file.toString().endsWith(".yaml")).sorted()
                        .forEach(file -> files.add(Arguments.of(directory.getFileName() + "/" + file.getFileName(), file)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return files.stream();
    }

    static Path environment(String name) {
        return ENVIRONMENTS.resolve(name + ".yaml");
    }
}
