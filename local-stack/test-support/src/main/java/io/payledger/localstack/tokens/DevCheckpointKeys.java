package io.payledger.localstack.tokens;

import java.util.Map;

/**
 * The DEVELOPMENT key pair that signs command-service's log checkpoints in the local run and the tests.
 * Public on purpose: the private key's seed is the text "DEVELOPMENT-ONLY checkpoint key!". Production
 * reads its signing key from a Secret and publishes its own public key (docs/audit.md).
 */
public final class DevCheckpointKeys {

    /** DEVELOPMENT Ed25519 private key (PKCS#8 PEM); its 32-byte seed reads "DEVELOPMENT-ONLY checkpoint key!". */
    public static final String PRIVATE_KEY = """
            -----BEGIN PRIVATE KEY-----
            MC4CAQAwBQYDK2VwBCIEIERFVkVMT1BNRU5ULU9OTFkgY2hlY2twb2ludCBrZXkh
            -----END PRIVATE KEY-----
            """;
    /** Its public key. */
    public static final String PUBLIC_KEY = """
            -----BEGIN PUBLIC KEY-----
            MCowBQYDK2VwAyEAy7h7oZTAE3QR43K1npRl9Ora4tz03QGPePi+D7YthMw=
            -----END PUBLIC KEY-----
            """;

    private DevCheckpointKeys() {
    }

    /** Settings for command-service that sign checkpoints with the development key. */
    public static Map<String, String> settings() {
        return Map.of("payledger.checkpoints.signing-key", PRIVATE_KEY, "payledger.checkpoints.public-key", PUBLIC_KEY);
    }
}
