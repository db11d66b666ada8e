package io.payledger.command.eventstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.BatchUpdateException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class PostgresDuplicateKeysTest {

    private final PostgresDuplicateKeys resolver = new PostgresDuplicateKeys();

    @Test
    void aUniqueViolationReportedInsideABatchIsADuplicateKey() {
        // what the PostgreSQL driver throws for a batched insert: the reason is in the next exception
        BatchUpdateException batch = new BatchUpdateException("Batch entry 0 INSERT ... was aborted", "23505", 0, new int[0]);
        batch.setNextException(new SQLException("duplicate key value violates unique constraint", "23505"));

        assertThat(resolver.isDuplicateKeyViolation(new RuntimeException("append failed", batch))).isTrue();
    }

    @Test
    void aUniqueViolationOnlyInTheNextExceptionIsStillFound() {
        SQLException batch = new SQLException("Batch entry 0 was aborted", (String) null);
        batch.setNextException(new SQLException("duplicate key", "23505"));

        assertThat(resolver.isDuplicateKeyViolation(batch)).isTrue();
    }

    @Test
    void otherDatabaseFailuresAreNotMistakenForALostRace() {
        assertThat(resolver.isDuplicateKeyViolation(new SQLException("connection refused", "08001"))).isFalse();
        assertThat(resolver.isDuplicateKeyViolation(new RuntimeException("no SQL at all"))).isFalse();
    }
}
