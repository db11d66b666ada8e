package io.payledger.events.privacy;

import java.util.Optional;
import javax.crypto.SecretKey;

/**
 * The keys personal data is sealed with, by key id. A key that is gone (a forgotten customer's, or a
 * retired one deliberately destroyed) makes everything sealed with it unreadable, and nothing else.
 */
public interface Keyring {

    /** The key that seals new data for this subject (a customer), with its id. */
    KeyId currentKeyFor(String subject);

    /** The key with this id, if it still exists. */
    Optional<SecretKey> key(KeyId id);

    /** A keyring of one key, already looked up: it seals everything with that key and opens nothing else. */
    static Keyring of(KeyId id, SecretKey key) {
        return new Keyring() {
            @Override
            public KeyId currentKeyFor(String subject) {
                return id;
            }

            @Override
            public Optional<SecretKey> key(KeyId wanted) {
                return wanted.equals(id) ? Optional.of(key) : Optional.empty();
            }
        };
    }

    /** A key's name as it travels inside every ciphertext: printable, without ':'. */
    record KeyId(String value) {
        public KeyId {
            if (value == null || !value.matches("[A-Za-z0-9._-]{1,64}")) {
                throw new IllegalArgumentException("a key id is 1-64 characters of A-Z, a-z, 0-9, '.', '_' and '-'");
            }
        }

        @Override
        public String toString() {
            return value;
        }
    }
}
