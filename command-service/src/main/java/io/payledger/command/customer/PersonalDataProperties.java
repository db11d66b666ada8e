package io.payledger.command.customer;

import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The keys behind customers' personal data. {@code master-keys} maps a master key's id to 32 bytes in
 * base64; {@code current-master-key} wraps every new data key. To rotate, add a master key, make it
 * current and keep the old one until the re-wrap job has moved every data key onto the new one. The
 * {@code index-key} (32 bytes or more) turns a customer's email or phone into the hash their keys are
 * found by; it never changes.
 *
 * @param keyLifetime how long a customer's data key seals new data before a new key replaces it; old
 *                    keys stay, so history is never rewritten
 */
@ConfigurationProperties("payledger.personal-data")
public record PersonalDataProperties(Map<String, String> masterKeys, String currentMasterKey, String indexKey,
                                     Duration keyLifetime) {

    public PersonalDataProperties {
        masterKeys = masterKeys == null ? Map.of() : new TreeMap<>(masterKeys);
        keyLifetime = keyLifetime == null ? Duration.ofDays(90) : keyLifetime;
        if (currentMasterKey == null || !masterKeys.containsKey(currentMasterKey)) {
            throw new IllegalStateException("payledger.personal-data.current-master-key must name one of master-keys");
        }
        masterKeys.forEach((id, key) -> aesKey("master key " + id, key, 32));
        decode("payledger.personal-data.index-key", indexKey, 32);
        if (keyLifetime.isNegative() || keyLifetime.isZero()) {
            throw new IllegalStateException("payledger.personal-data.key-lifetime must be positive");
        }
    }

    SecretKey masterKey(String id) {
        String encoded = masterKeys.get(id);
        if (encoded == null) {
            throw new IllegalStateException("customer data keys are wrapped by master key " + id
                    + ", which is not configured: add it back to payledger.personal-data.master-keys");
        }
        return aesKey("master key " + id, encoded, 32);
    }

    byte[] indexKeyBytes() {
        return decode("payledger.personal-data.index-key", indexKey, 32);
    }

    @Override
    public String toString() {
        return "PersonalDataProperties[masterKeys=" + masterKeys.keySet() + " (set), currentMasterKey="
                + currentMasterKey + ", indexKey=(set), keyLifetime=" + keyLifetime + "]";
    }

    private static SecretKey aesKey(String name, String encoded, int bytes) {
        byte[] key = decode(name, encoded, bytes);
        if (key.length != bytes) {
            throw new IllegalStateException(name + " must be exactly " + bytes + " bytes (AES-256), in base64");
        }
        return new SecretKeySpec(key, "AES");
    }

    private static byte[] decode(String name, String encoded, int minimumBytes) {
        byte[] key;
        try {
            key = encoded == null ? new byte[0] : Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException notBase64) {
            throw new IllegalStateException(name + " is not base64");
        }
        if (key.length < minimumBytes) {
            throw new IllegalStateException(name + " must be at least " + minimumBytes + " bytes, in base64");
        }
        return key;
    }
}
