package io.payledger.command.customer;

import io.payledger.events.Randomness;
import io.payledger.events.privacy.Keyring;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * Customers' data keys in PostgreSQL ({@code customer_key}), each wrapped by a master key. A customer
 * (a subject) gets a fresh key when they first appear and again once their newest key is older than
 * the key lifetime; older keys stay, so what they sealed still opens. Nothing is cached: a key deleted
 * on one replica is gone for every replica at once.
 */
@Repository
@EnableConfigurationProperties(PersonalDataProperties.class)
public class CustomerKeys implements Keyring {

    private static final int NONCE_BYTES = 12;
    private final JdbcTemplate jdbc;
    private final PersonalDataProperties properties;
    private final Clock clock;

    CustomerKeys(JdbcTemplate jdbc, PersonalDataProperties properties, Clock clock) {
        this.jdbc = jdbc;
        this.properties = properties;
        this.clock = clock;
    }

    /** The current key of a subject, made when the subject has none or its newest has outlived its lifetime. */
    @Override
    public KeyId currentKeyFor(String subject) {
        KeyToUse key = currentOrNewKeyFor(subject);
        if (key.toStore() != null) {
            store(List.of(key.toStore()));
        }
        return key.keyring().currentKeyFor(subject);
    }

    /**
     * A key made for a subject that had no fresh one, not stored yet: it is stored with the payment it seals, in that
     * payment's transaction, so a creation that is refused or replayed leaves no key behind.
     */
    public record NewKey(KeyId id, String merchantId, String subjectHash, String masterKeyId, byte[] wrapped,
                         Instant createdAt) {
    }

    /** The key to seal with, and the key to store first when it is a new one (else null). */
    public record KeyToUse(Keyring keyring, NewKey toStore) {
    }

    /**
     * The subject's current key with its material, in one round trip; or, when the subject has none fresh, a new key
     * for the caller to {@link #store} in the transaction that uses it.
     */
    public KeyToUse currentOrNewKeyFor(String subject) {
        Instant now = clock.instant();
        List<Keyring> current = jdbc.query("""
                SELECT key_id, master_key_id, wrapped_key FROM customer_key WHERE subject = ? AND created_at > ?
                ORDER BY created_at DESC LIMIT 1""", (row, n) -> {
                    KeyId id = new KeyId(row.getString(1));
                    return Keyring.of(id, unwrap(row.getString(2), id, row.getBytes(3)));
                }, Subjects.hash(subject), Timestamp.from(now.minus(properties.keyLifetime())));
        if (!current.isEmpty()) {
            return new KeyToUse(current.get(0), null);
        }
        KeyId id = new KeyId("ck-" + Base64.getUrlEncoder().withoutPadding().encodeToString(random(15)));
        byte[] dataKey = random(32);
        String master = properties.currentMasterKey();
        NewKey made = new NewKey(id, Subjects.merchantOf(subject), Subjects.hash(subject), master,
                wrap(master, id, dataKey), now);
        return new KeyToUse(Keyring.of(id, new SecretKeySpec(dataKey, "AES")), made);
    }

    /** Stores new keys in the caller's transaction, in one statement. */
    public void store(List<NewKey> keys) {
        if (keys.isEmpty()) {
            return;
        }
        jdbc.batchUpdate("""
                INSERT INTO customer_key (key_id, merchant_id, subject, master_key_id, wrapped_key, created_at)
                VALUES (?, ?, ?, ?, ?, ?)""", keys, keys.size(), (insert, key) -> {
                    insert.setString(1, key.id().value());
                    insert.setString(2, key.merchantId());
                    insert.setString(3, key.subjectHash());
                    insert.setString(4, key.masterKeyId());
                    insert.setBytes(5, key.wrapped());
                    insert.setTimestamp(6, Timestamp.from(key.createdAt()));
                });
    }

    @Override
    public Optional<SecretKey> key(KeyId id) {
        return jdbc.query("SELECT master_key_id, wrapped_key FROM customer_key WHERE key_id = ?",
                (row, n) -> unwrap(row.getString(1), id, row.getBytes(2)), id.value()).stream().findFirst();
    }

    /** The hashed subject a key belongs to, while the key exists. */
    public Optional<String> subjectHashOf(KeyId id) {
        return jdbc.queryForList("SELECT subject FROM customer_key WHERE key_id = ?", String.class, id.value())
                .stream().findFirst();
    }

    /**
     * Deletes every key of a subject (by its hash) and records the erasure. What those keys sealed can
     * never be opened again, anywhere.
     *
     * @return how many keys went
     */
    @Transactional
    public int forget(String subjectHash, String merchantId, String erasedBy) {
        int erased = jdbc.update("DELETE FROM customer_key WHERE subject = ?", subjectHash);
        jdbc.update("INSERT INTO customer_erasure (subject, merchant_id, erased_keys, erased_by) VALUES (?, ?, ?, ?)",
                subjectHash, merchantId, erased, erasedBy);
        return erased;
    }

    /**
     * Moves up to {@code limit} data keys wrapped by another master key onto the current one. The data
     * keys themselves do not change, so nothing they sealed is touched. Safe on every replica at once.
     *
     * @return how many keys were re-wrapped
     */
    @Transactional
    public int rewrapOntoCurrentMasterKey(int limit) {
        String current = properties.currentMasterKey();
        List<Object[]> stale = jdbc.query("""
                SELECT key_id, master_key_id, wrapped_key FROM customer_key WHERE master_key_id <> ?
                LIMIT ? FOR UPDATE SKIP LOCKED""",
                (row, n) -> new Object[] {row.getString(1), row.getString(2), row.getBytes(3)}, current, limit);
        for (Object[] key : stale) {
            KeyId id = new KeyId((String) key[0]);
            byte[] dataKey = unwrap((String) key[1], id, (byte[]) key[2]).getEncoded();
            jdbc.update("UPDATE customer_key SET master_key_id = ?, wrapped_key = ? WHERE key_id = ?",
                    current, wrap(current, id, dataKey), id.value());
        }
        return stale.size();
    }

    private byte[] wrap(String masterKeyId, KeyId id, byte[] dataKey) {
        byte[] nonce = random(NONCE_BYTES);
        byte[] wrapped = crypt(Cipher.ENCRYPT_MODE, properties.masterKey(masterKeyId), nonce, id, dataKey);
        return ByteBuffer.allocate(NONCE_BYTES + wrapped.length).put(nonce).put(wrapped).array();
    }

    private SecretKey unwrap(String masterKeyId, KeyId id, byte[] stored) {
        byte[] nonce = new byte[NONCE_BYTES];
        byte[] wrapped = new byte[stored.length - NONCE_BYTES];
        ByteBuffer.wrap(stored).get(nonce).get(wrapped);
        return new SecretKeySpec(crypt(Cipher.DECRYPT_MODE, properties.masterKey(masterKeyId), nonce, id, wrapped), "AES");
    }

    /** AES-256-GCM with the key id as associated data: a wrapped key moved to another row does not open. */
    private static byte[] crypt(int mode, SecretKey masterKey, byte[] nonce, KeyId id, byte[] input) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, masterKey, new GCMParameterSpec(128, nonce));
            cipher.updateAAD(id.value().getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(input);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("a customer data key does not unwrap under its master key " + id, e);
        }
    }

    private static byte[] random(int bytes) {
        return Randomness.bytes(bytes);
    }
}
