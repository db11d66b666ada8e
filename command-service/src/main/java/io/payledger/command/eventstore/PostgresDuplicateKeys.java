package io.payledger.command.eventstore;

import java.sql.SQLException;
import org.axonframework.common.jdbc.PersistenceExceptionResolver;

/**
 * Tells Axon when an append lost a race: PostgreSQL's unique_violation (SQLState 23505), found
 * anywhere in the cause chain or in a batch's chain of next exceptions. Axon then raises
 * ConcurrencyException (409 for the caller) instead of a generic store failure (500). The resolver
 * Axon configures by default goes by vendor error code, which PostgreSQL does not set, and missed
 * the duplicate (aggregate, sequence) of two concurrent captures.
 */
final class PostgresDuplicateKeys implements PersistenceExceptionResolver {

    private static final String UNIQUE_VIOLATION = "23505";

    @Override
    public boolean isDuplicateKeyViolation(Exception exception) {
        for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql) {
                for (SQLException next = sql; next != null; next = next.getNextException()) {
                    if (UNIQUE_VIOLATION.equals(next.getSQLState())) {
                        return true;
                    }
                }
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }
}
