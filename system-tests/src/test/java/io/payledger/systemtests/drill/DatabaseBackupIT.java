package io.payledger.systemtests.drill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.payledger.localstack.servers.PostgresServer;
import io.payledger.localstack.servers.RealServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The backup format on a real PostgreSQL: what goes in comes back, and a damaged or mismatched backup is refused whole. */
class DatabaseBackupIT {

    private static final String SCHEMA = """
            CREATE TABLE flyway_schema_history (installed_rank INT PRIMARY KEY, version VARCHAR(50), success BOOLEAN NOT NULL);
            INSERT INTO flyway_schema_history VALUES (1, '1', true);
            CREATE SEQUENCE ledger_seq;
            CREATE TABLE ledger (id BIGINT PRIMARY KEY DEFAULT nextval('ledger_seq'), body BYTEA, note TEXT);
            CREATE TABLE payment (id TEXT PRIMARY KEY, ledger_id BIGINT REFERENCES ledger (id))""";

    private final PostgresServer postgres = RealServers.postgres();
    private String source;
    private String target;

    @BeforeEach
    void twoDatabasesWithTheSameSchema() {
        source = postgres.createDatabase("backup_source");
        target = postgres.createDatabase("backup_target");
        for (String statement : SCHEMA.split(";")) {
            postgres.execute(source, statement);
            postgres.execute(target, statement);
        }
        postgres.execute(source, "INSERT INTO ledger (body, note) SELECT decode(md5(g::text), 'hex'), 'n' || g FROM generate_series(1, 500) g");
        postgres.execute(source, "INSERT INTO payment SELECT 'p' || id, id FROM ledger WHERE id % 2 = 0");
    }

    @Test
    void aRestoredDatabaseHoldsEveryRowAndContinuesEverySequenceWhereTheBackupLeftIt(@TempDir Path backup) throws SQLException {
        DatabaseBackup.Manifest manifest = DatabaseBackup.take(url(source), postgres.username(), postgres.password(), backup,
                snapshot -> { });
        DatabaseBackup.restore(backup, url(target), postgres.username(), postgres.password());

        assertThat(manifest.tables()).extracting(DatabaseBackup.Table::name).containsExactly("ledger", "payment");
        assertThat(manifest.tables()).extracting(DatabaseBackup.Table::rows).containsExactly(500L, 250L);
        String everything = "SELECT md5(string_agg(l::text || coalesce(p.id, ''), ',' ORDER BY l.id)) FROM ledger l "
                + "LEFT JOIN payment p ON p.ledger_id = l.id";
        assertThat(text(target, everything)).isEqualTo(text(source, everything));
        assertThat(text(target, "SELECT nextval('ledger_seq')::text")).isEqualTo("501");
    }

    @Test
    void aBackupWithADamagedFileIsRefusedAndTheTargetStaysEmpty(@TempDir Path backup) throws Exception {
        DatabaseBackup.take(url(source), postgres.username(), postgres.password(), backup, snapshot -> { });
        Files.write(backup.resolve("payment.copy"), new byte[] {0}, StandardOpenOption.APPEND);

        assertThatThrownBy(() -> DatabaseBackup.restore(backup, url(target), postgres.username(), postgres.password()))
                .hasMessageContaining("payment");
        assertThat(text(target, "SELECT count(*)::text FROM ledger")).isEqualTo("0");
    }

    @Test
    void aBackupOfAnotherSchemaVersionIsRefused(@TempDir Path backup) throws SQLException {
        DatabaseBackup.take(url(source), postgres.username(), postgres.password(), backup, snapshot -> { });
        postgres.execute(target, "INSERT INTO flyway_schema_history VALUES (2, '2', true)");

        assertThatThrownBy(() -> DatabaseBackup.restore(backup, url(target), postgres.username(), postgres.password()))
                .hasMessageContaining("schema version 1").hasMessageContaining("at 2");
        assertThat(text(target, "SELECT count(*)::text FROM ledger")).isEqualTo("0");
    }

    private String url(String database) {
        return postgres.jdbcUrl(database);
    }

    private String text(String database, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url(database), postgres.username(), postgres.password());
             ResultSet rows = connection.createStatement().executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        }
    }
}
