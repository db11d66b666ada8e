package io.payledger.deployment.chart;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The chart rendered by Helm (embedded, no binary) and parsed strictly: an unknown field or an unknown
 * kind is an error here, where kubectl would need a cluster to tell.
 */
final class RenderedChart {

    static final Path CHART = Path.of("..", "helm", "payledger").toAbsolutePath().normalize();
    static final String RELEASE = "pl";
    /** helm template leaves hooks out; in this copy of the chart they are plain manifests, marked with this annotation. */
    static final String HOOK = "payledger.test/hook";
    private static final Path CHART_WITH_HOOKS = ChartCopies.withHooksAsManifests(CHART, HOOK);

    private static final KubernetesSerialization STRICT = strictSerialization();

    final List<HasMetadata> resources;

    private RenderedChart(List<HasMetadata> resources) {
        this.resources = resources;
    }

    static RenderedChart render(Path valuesFile) {
        return render(valuesFile, command -> { });
    }

    static RenderedChart render(Path valuesFile, Consumer<TemplateCommand> options) {
        TemplateCommand template = new Helm(CHART_WITH_HOOKS).template().withName(RELEASE).withNamespace("payments")
                .withKubeVersion("1.31.0");
        if (valuesFile != null) {
            template.withValuesFile(valuesFile);
        }
        options.accept(template);
        return new RenderedChart(parse(template.call()));
    }

    static List<HasMetadata> parse(String manifests) {
        List<HasMetadata> parsed = new ArrayList<>();
        for (String document : manifests.split("(?m)^---\\s*$")) {
            String source = document.lines().filter(line -> line.startsWith("# Source:")).findFirst().orElse("?");
            if (document.lines().allMatch(line -> line.isBlank() || line.startsWith("#"))) {
                continue;
            }
            HasMetadata resource;
            try {
                resource = STRICT.unmarshal(document, HasMetadata.class);
            } catch (RuntimeException refused) {
                throw new AssertionError(source + " does not parse strictly: " + refused.getMessage(), refused);
            }
            if (resource instanceof GenericKubernetesResource generic) {
                throw new AssertionError(source + " renders an unknown kind: " + generic.getApiVersion() + "/" + generic.getKind());
            }
            parsed.add(resource);
        }
        return parsed;
    }

    <T extends HasMetadata> List<T> all(Class<T> kind) {
        return resources.stream().filter(kind::isInstance).map(kind::cast).collect(Collectors.toList());
    }

    <T extends HasMetadata> T named(Class<T> kind, String name) {
        return all(kind).stream().filter(resource -> resource.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind.getSimpleName() + " named " + name + " in "
                        + resources.stream().map(r -> r.getKind() + "/" + r.getMetadata().getName()).toList()));
    }

    static String name(String service) {
        return RELEASE + "-payledger-" + service;
    }

    static boolean selects(Map<String, String> selector, Map<String, String> labels) {
        return selector != null && !selector.isEmpty() && labels != null && labels.entrySet().containsAll(selector.entrySet());
    }

    private static KubernetesSerialization strictSerialization() {
        ObjectMapper mapper = new ObjectMapper()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .setAnnotationIntrospector(new JacksonAnnotationIntrospector() {
                    @Override
                    public Boolean hasAnySetter(Annotated annotated) {
                        return Boolean.FALSE; // the models' additionalProperties would swallow a misspelt field
                    }
                });
        KubernetesSerialization serialization = new KubernetesSerialization(mapper, true);
        serialization.registerKubernetesResource(ScaledObject.class);
        return serialization;
    }
}
