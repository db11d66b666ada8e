package io.payledger.events.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.payledger.events.json.EventJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.axonframework.serialization.Revision;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pins the stored JSON of every event. A change to an event's shape fails here until the event's
 * {@code @Revision} is raised, an upcaster for the old shape is written, and a golden file for the
 * new revision is added (run with {@code -Dgolden.write=true} to write missing files).
 */
class EventContractTest {

    private static final Path GOLDEN = Path.of("src/test/resources/golden");
    private final ObjectMapper json = EventJson.newMapper();

    static List<PaymentEvent> samples() {
        return SampleEvents.oneOfEach();
    }

    @Test
    void everyEventTypeHasASampleAndARevision() {
        Set<Class<?>> sampled = samples().stream().map(Object::getClass).collect(Collectors.toSet());

        assertThat(sampled).containsExactlyInAnyOrderElementsOf(Arrays.asList(PaymentEvent.class.getPermittedSubclasses()));
        assertThat(sampled).allSatisfy(type -> assertThat(type.getAnnotation(Revision.class))
                .as("@Revision on %s", type.getSimpleName()).isNotNull());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void theStoredFormOfEachEventIsPinnedByItsGoldenFile(PaymentEvent event) throws IOException {
        Path golden = goldenFileOf(event);
        String actual = json.writerWithDefaultPrettyPrinter().writeValueAsString(event) + "\n";
        if (!Files.exists(golden)) {
            if (Boolean.getBoolean("golden.write")) {
                Files.writeString(golden, actual);
            }
            fail("no golden file " + golden + " for " + event.getClass().getSimpleName()
                    + "; a new event or revision needs one (-Dgolden.write=true writes it)");
        }
        assertThat(actual).isEqualTo(Files.readString(golden, StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void eachGoldenFileStillReadsBackAsTheSameEvent(PaymentEvent event) throws IOException {
        PaymentEvent read = json.readValue(goldenFileOf(event).toFile(), event.getClass());

        assertThat(read).isEqualTo(event);
    }

    private static Path goldenFileOf(PaymentEvent event) {
        String revision = event.getClass().getAnnotation(Revision.class).value();
        return GOLDEN.resolve(event.getClass().getSimpleName() + ".v" + revision + ".json");
    }
}
