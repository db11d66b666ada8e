package io.payledger.events;

import java.security.DrbgParameters;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.UUID;

/**
 * Cryptographically strong random identifiers and nonces without one lock for the whole JVM. {@link UUID#randomUUID()}
 * and a shared {@code new SecureRandom()} draw from one synchronised source (NativePRNG's state is process-wide), and
 * profiling creations showed request threads queueing on it. Here each thread has a DRBG instance of its own (256-bit
 * strength), seeded from the system's entropy. With virtual threads each request would seed a new one: keep platform
 * threads for request handling, or pool these.
 */
public final class Randomness {

    private static final ThreadLocal<SecureRandom> SOURCE = ThreadLocal.withInitial(() -> {
        try {
            // 256-bit strength: it also makes AES-256 data keys
            return SecureRandom.getInstance("DRBG",
                    DrbgParameters.instantiation(256, DrbgParameters.Capability.RESEED_ONLY, null));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK offers no DRBG SecureRandom", e);
        }
    });

    private Randomness() {
    }

    /** A version 4 (random) UUID, as {@link UUID#randomUUID()} makes it. */
    public static UUID uuid() {
        byte[] bytes = bytes(16);
        bytes[6] = (byte) ((bytes[6] & 0x0f) | 0x40); // version 4
        bytes[8] = (byte) ((bytes[8] & 0x3f) | 0x80); // IETF variant
        long most = 0;
        long least = 0;
        for (int i = 0; i < 8; i++) {
            most = (most << 8) | (bytes[i] & 0xff);
            least = (least << 8) | (bytes[i + 8] & 0xff);
        }
        return new UUID(most, least);
    }

    public static byte[] bytes(int count) {
        byte[] bytes = new byte[count];
        fill(bytes);
        return bytes;
    }

    public static void fill(byte[] bytes) {
        SOURCE.get().nextBytes(bytes);
    }
}
