package io.payledger.events.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import org.junit.jupiter.api.Test;

class PersonalDataTest {

    private final TestKeyring keys = new TestKeyring();
    private final PersonalData personalData = new PersonalData(keys);

    @Test
    void aSealedValueOpensToItsPlaintextInItsOwnContext() {
        String sealed = personalData.seal("Nurul Aisyah", "customer-1", "payment-1");

        assertThat(sealed).startsWith("pii:v1:customer-1.k1:").doesNotContain("Nurul");
        assertThat(personalData.open(sealed, "payment-1")).contains("Nurul Aisyah");
    }

    @Test
    void theSameValueSealsDifferentlyEachTime() {
        assertThat(personalData.seal("a@example.com", "customer-1", "payment-1"))
                .isNotEqualTo(personalData.seal("a@example.com", "customer-1", "payment-1"));
    }

    @Test
    void aValueCopiedIntoAnotherContextDoesNotOpen() {
        String sealed = personalData.seal("+60123456789", "customer-1", "payment-1");

        assertThatThrownBy(() -> personalData.open(sealed, "payment-2")).isInstanceOf(PersonalData.TamperedData.class);
    }

    @Test
    void anAlteredValueIsAnErrorNotASilentBlank() {
        String sealed = personalData.seal("Nurul Aisyah", "customer-1", "payment-1");
        String prefix = sealed.substring(0, sealed.lastIndexOf(':') + 1);
        byte[] body = Base64.getUrlDecoder().decode(sealed.substring(prefix.length()));
        body[body.length / 2] ^= 0x01; // one bit of the ciphertext (a changed base64 character may only touch padding bits)
        String altered = prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(body);

        assertThatThrownBy(() -> personalData.open(altered, "payment-1")).isInstanceOf(PersonalData.TamperedData.class);
        assertThatThrownBy(() -> personalData.open("Nurul Aisyah", "payment-1")).isInstanceOf(PersonalData.TamperedData.class);
    }

    @Test
    void afterRotationOldValuesOpenWithTheirOldKeyAndNewOnesUseTheNewKey() {
        String before = personalData.seal("old@example.com", "customer-1", "payment-1");
        keys.rotate("customer-1");
        String after = personalData.seal("new@example.com", "customer-1", "payment-2");

        assertThat(after).startsWith("pii:v1:customer-1.k2:");
        assertThat(personalData.open(before, "payment-1")).contains("old@example.com");
        assertThat(personalData.open(after, "payment-2")).contains("new@example.com");
    }

    @Test
    void forgettingACustomerMakesTheirDataUnreadableAndNobodyElses() {
        String theirs = personalData.seal("Nurul Aisyah", "customer-1", "payment-1");
        String someoneElses = personalData.seal("Tan Wei Ming", "customer-2", "payment-2");

        keys.forget("customer-1");

        assertThat(personalData.open(theirs, "payment-1")).isEmpty();
        assertThat(personalData.open(someoneElses, "payment-2")).contains("Tan Wei Ming");
        assertThat(PersonalData.isSealed(theirs)).isTrue();
    }

    /** Keys in memory, one current key per customer; a real keyring keeps them encrypted under a master key. */
    private static final class TestKeyring implements Keyring {
        private final Map<String, Integer> generation = new HashMap<>();
        private final Map<String, SecretKey> keys = new HashMap<>();

        @Override
        public KeyId currentKeyFor(String subject) {
            int current = generation.computeIfAbsent(subject, s -> 1);
            KeyId id = new KeyId(subject + ".k" + current);
            keys.computeIfAbsent(id.value(), k -> newKey());
            return id;
        }

        @Override
        public Optional<SecretKey> key(KeyId id) {
            return Optional.ofNullable(keys.get(id.value()));
        }

        void rotate(String subject) {
            generation.merge(subject, 1, Integer::sum);
        }

        void forget(String subject) {
            keys.keySet().removeIf(id -> id.startsWith(subject + "."));
        }

        private static SecretKey newKey() {
            try {
                KeyGenerator generator = KeyGenerator.getInstance("AES");
                generator.init(256);
                return generator.generateKey();
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
