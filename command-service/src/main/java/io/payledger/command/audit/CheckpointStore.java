package io.payledger.command.audit;

import io.payledger.events.audit.Checkpoint;
import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * command-service's own copy of the checkpoints it sealed, to answer the API and to know where the next
 * one starts. It is a convenience, not the evidence: whoever can rewrite this database can rewrite it too,
 * which is why verification reads the checkpoint topic instead.
 */
public class CheckpointStore {

    /** @param hash what the next checkpoint names as its previous one, and what an auditor checks an export against */
    public record Summary(long number, long fromPosition, long position, long events, long totalEvents, String digest,
                          String previousCheckpoint, java.time.Instant sealedAt, String keyId, String signature,
                          String hash) {

        static Summary of(Checkpoint checkpoint) {
            return new Summary(checkpoint.number(), checkpoint.fromPosition(), checkpoint.position(),
                    checkpoint.events().size(), checkpoint.totalEvents(), checkpoint.digest(),
                    checkpoint.previousCheckpoint(), checkpoint.sealedAt(), checkpoint.keyId(), checkpoint.signature(),
                    checkpoint.hash());
        }
    }

    private final JdbcTemplate jdbc;
    private final TransactionTemplate ownTransaction;

    /** @param ownTransaction commits on its own: a pending checkpoint must be durable before it is sent */
    public CheckpointStore(JdbcTemplate jdbc, TransactionTemplate ownTransaction) {
        this.jdbc = jdbc;
        this.ownTransaction = ownTransaction;
    }

    /** The checkpoint signed and sent (or about to be) but not yet recorded, if any. */
    public Optional<Checkpoint> pending() {
        return jdbc.query("SELECT body FROM log_checkpoint_pending ORDER BY number DESC LIMIT 1",
                (row, n) -> Checkpoint.fromJson(row.getBytes(1))).stream().findFirst();
    }

    /** Keeps a checkpoint about to be sent, committed at once (before it is sent). */
    public void savePending(Checkpoint checkpoint) {
        ownTransaction.executeWithoutResult(status -> jdbc.update(
                "INSERT INTO log_checkpoint_pending (number, body) VALUES (?, ?)", checkpoint.number(), checkpoint.toJson()));
    }

    /** Forgets pending checkpoints up to {@code number}: recorded. */
    public void clearPending(long number) {
        jdbc.update("DELETE FROM log_checkpoint_pending WHERE number <= ?", number);
    }

    public Optional<Checkpoint> newest() {
        return jdbc.query("SELECT body FROM log_checkpoint ORDER BY number DESC LIMIT 1",
                (row, n) -> Checkpoint.fromJson(row.getBytes(1))).stream().findFirst();
    }

    public Optional<Checkpoint> find(long number) {
        return jdbc.query("SELECT body FROM log_checkpoint WHERE number = ?",
                (row, n) -> Checkpoint.fromJson(row.getBytes(1)), number).stream().findFirst();
    }

    /** Up to {@code limit} checkpoints after {@code after}, oldest first, without their event lists. */
    public List<Summary> page(long after, int limit) {
        return jdbc.query("SELECT body FROM log_checkpoint WHERE number > ? ORDER BY number LIMIT ?",
                (row, n) -> Summary.of(Checkpoint.fromJson(row.getBytes(1))), after, limit);
    }

    public void insert(Checkpoint checkpoint) {
        jdbc.update("INSERT INTO log_checkpoint (number, position, total_events, digest, sealed_at, body) VALUES (?, ?, ?, ?, ?, ?)",
                checkpoint.number(), checkpoint.position(), checkpoint.totalEvents(), checkpoint.digest(),
                Timestamp.from(checkpoint.sealedAt()), checkpoint.toJson());
    }
}
