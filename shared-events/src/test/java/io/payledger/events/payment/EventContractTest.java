package io.payledger.events.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.payledger.events.json.EventJson;
import io.payledger.events.privacy.Keyring;
import io.payledger.events.privacy.PersonalData;
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

    @Test
    void theSampleCustomerOfRevisionTwoIsSealedAndOpensOnlyForItsPaymentAndField() {
        javax.crypto.SecretKey sample = new javax.crypto.spec.SecretKeySpec(
                "sample key for the golden file!!".getBytes(StandardCharsets.US_ASCII), "AES");
        PersonalData personalData = new PersonalData(Keyring.of(new Keyring.KeyId("ck-sample"), sample));
        Customer sealed = SampleEvents.SEALED_CUSTOMER;
        String payment = SampleEvents.initiated(CaptureMethod.MANUAL).paymentId().value();

        assertThat(personalData.open(sealed.name(), payment + "/customer.name")).contains("Aisyah");
        assertThat(personalData.open(sealed.email(), payment + "/customer.email")).contains("a@example.com");
        assertThat(personalData.open(sealed.phone(), payment + "/customer.phone")).contains("+60123456789");
        assertThatThrownBy(() -> personalData.open(sealed.email(), payment + "/customer.name"))
                .isInstanceOf(PersonalData.TamperedData.class);
    }

    @Test
    void aRevisionOnePaymentInitiatedWrittenBeforeSealingStillReadsWithItsCustomerInPlainText() throws IOException {
        PaymentInitiated old = json.readValue(GOLDEN.resolve("PaymentInitiated.v1.json").toFile(), PaymentInitiated.class);

        assertThat(old.customer()).isEqualTo(new Customer("Aisyah", "a@example.com", "+60123456789"));
        assertThat(PersonalData.isSealed(old.customer().name())).isFalse();
    }

    private static Path goldenFileOf(PaymentEvent event) {
        String revision = event.getClass().getAnnotation(Revision.class).value();
        return GOLDEN.resolve(event.getClass().getSimpleName() + ".v" + revision + ".json");
    }
}
