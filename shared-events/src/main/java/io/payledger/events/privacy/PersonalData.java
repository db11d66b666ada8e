package io.payledger.events.privacy;

import io.payledger.events.Randomness;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Seals a piece of personal data (a name, an email, a phone number) with AES-256-GCM:
 * {@code pii:v1:<key id>:<base64url(nonce | ciphertext | tag)>}. The key id travels in the text, so keys
 * rotate without rewriting history: old values open with their old key, new ones are sealed with the
 * current key. The value is bound to its context (a payment id, say) as associated data, so a sealed
 * value copied into another payment does not open there.
 * <p>
 * Opening answers empty when the key is gone: that is how a forgotten customer's data becomes unreadable
 * everywhere while the events that carry it stay intact and their hash chains still verify. A value that
 * was altered is an error, never empty.
 */
public final class PersonalData {

    private static final String PREFIX = "pii:v1:";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final Keyring keys;

    public PersonalData(Keyring keys) {
        this.keys = keys;
    }

    public String seal(String plaintext, String subject, String context) {
        Keyring.KeyId id = keys.currentKeyFor(subject);
        SecretKey key = keys.key(id).orElseThrow(() -> new IllegalStateException("the current key " + id + " is missing"));
        byte[] nonce = Randomness.bytes(NONCE_BYTES);
        byte[] sealed = crypt(Cipher.ENCRYPT_MODE, key, nonce, context, plaintext.getBytes(StandardCharsets.UTF_8));
        byte[] body = ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
        return PREFIX + id + ":" + Base64.getUrlEncoder().withoutPadding().encodeToString(body);
    }

    /** The plaintext, or empty when the key it was sealed with no longer exists. */
    public Optional<String> open(String sealed, String context) {
        Optional<SecretKey> key = keys.key(keyIdOf(sealed));
        String[] parts = sealed.split(":", 4);
        if (key.isEmpty()) {
            return Optional.empty();
        }
        byte[] body;
        try {
            body = Base64.getUrlDecoder().decode(parts[3]);
        } catch (IllegalArgumentException notBase64) {
            throw new TamperedData("sealed personal data is not base64url");
        }
        if (body.length <= NONCE_BYTES) {
            throw new TamperedData("sealed personal data is too short");
        }
        ByteBuffer buffer = ByteBuffer.wrap(body);
        byte[] nonce = new byte[NONCE_BYTES];
        buffer.get(nonce);
        byte[] ciphertext = new byte[buffer.remaining()];
        buffer.get(ciphertext);
        return Optional.of(new String(crypt(Cipher.DECRYPT_MODE, key.get(), nonce, context, ciphertext), StandardCharsets.UTF_8));
    }

    /** The id of the key a sealed value was sealed with. */
    public static Keyring.KeyId keyIdOf(String sealed) {
        String[] parts = sealed == null ? new String[0] : sealed.split(":", 4);
        if (parts.length != 4 || !(parts[0] + ":" + parts[1] + ":").equals(PREFIX)) {
            throw new TamperedData("not sealed personal data");
        }
        return new Keyring.KeyId(parts[2]);
    }

    /** Whether a text is sealed personal data (rather than a plaintext written before sealing existed). */
    public static boolean isSealed(String text) {
        return text != null && text.startsWith(PREFIX);
    }

    private static byte[] crypt(int mode, SecretKey key, byte[] nonce, String context, byte[] input) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(input);
        } catch (AEADBadTagException altered) {
            throw new TamperedData("sealed personal data does not verify: altered, or opened in another context");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /** Sealed data that was altered, or presented in a context it was not sealed for. */
    public static final class TamperedData extends RuntimeException {
        public TamperedData(String message) {
            super(message);
        }
    }
}
