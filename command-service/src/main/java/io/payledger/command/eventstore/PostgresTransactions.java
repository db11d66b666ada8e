package io.payledger.command.eventstore;

import java.sql.SQLException;
import java.time.Duration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** What a writer of many requests in one PostgreSQL transaction needs to know of PostgreSQL itself. */
@Component
public class PostgresTransactions {

    /** Why a transaction failed, as far as the requests in it are concerned. */
    public enum Failure {
        /** A value the database refused, or a deadlock: one request's doing; the others can go through without it. */
        ONE_REQUESTS_VALUE,
        /** A lock held by another transaction longer than the lock wait allowed (lock_timeout). */
        LOCK_WAIT,
        /** The database, the connection or a timeout: nothing to do with any one request. */
        OTHER
    }

    private final JdbcTemplate jdbc;

    PostgresTransactions(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Bounds the current transaction's waits for a lock and for each statement. */
    public void limitWaits(Duration lockWait, Duration statementTimeout) {
        jdbc.queryForRowSet("SELECT set_config('lock_timeout', ?, true), set_config('statement_timeout', ?, true)",
                lockWait.toMillis() + "ms", statementTimeout.toMillis() + "ms");
    }

    public static Failure classify(Throwable failed) {
        for (Throwable cause = failed; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                if (state.equals("55P03")) {
                    return Failure.LOCK_WAIT;
                }
                // class 22: data exceptions; class 23: integrity constraint violations; 40P01: deadlock
                return state.startsWith("22") || state.startsWith("23") || state.equals("40P01")
                        ? Failure.ONE_REQUESTS_VALUE : Failure.OTHER;
            }
        }
        return Failure.OTHER;
    }
}
