package io.payledger.command.eventstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.payledger.axon.migration.MigrateDatabase;
import io.payledger.localstack.servers.PostgresServer;
import io.payledger.localstack.servers.RealServers;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.exception.FlywayValidateException;
import org.junit.jupiter.api.Test;

/**
 * The Helm chart's migration Job, the services' guarded start, and the runtime role's grants, on
 * command-service's real migrations.
 */
class SchemaMigrationIT {

    private final PostgresServer postgres = RealServers.postgres();

    @Test
    void aServiceThatOnlyValidatesRefusesASchemaTheMigrationJobHasNotWrittenYet() {
        String url = postgres.jdbcUrl(postgres.createDatabase("validate_empty"));

        assertThatThrownBy(() -> flyway(url).validate())
                .isInstanceOf(FlywayValidateException.class)
                .hasMessageContaining("not applied");
    }

    @Test
    void theMigrationJobWritesTheWholeSchemaOnceAndTheServiceThenValidatesIt() {
        String url = postgres.jdbcUrl(postgres.createDatabase("migrate_job"));

        int applied = MigrateDatabase.migrate(url, postgres.username(), postgres.password(), postgres.username()).migrationsExecuted;
        int again = MigrateDatabase.migrate(url, postgres.username(), postgres.password(), postgres.username()).migrationsExecuted;

        assertThat(applied).isEqualTo(flyway(url).info().all().length);
        assertThat(again).isZero();
        flyway(url).validate();
    }

    @Test
    void theServicesOwnRoleMayReadAndAppendEventsAndNothingElse() throws SQLException {
        String database = postgres.createDatabase("least_privilege");
        String role = database + "_app";
        postgres.execute("postgres", "CREATE ROLE " + role + " LOGIN PASSWORD 'runtime-dev'");
        String url = postgres.jdbcUrl(database);
        MigrateDatabase.migrate(url, postgres.username(), postgres.password(), role);

        try (Connection service = DriverManager.getConnection(url, role, "runtime-dev");
             Statement statement = service.createStatement()) {
            statement.execute("INSERT INTO domain_event_entry (event_identifier, aggregate_identifier, sequence_number, "
                    + "type, time_stamp, payload_type, payload_revision, payload, meta_data) VALUES ('e-1', 'p-1', 0, "
                    + "'Payment', '2026-11-22T08:00:00Z', 'PaymentInitiated', '1', '\\x7b7d'::bytea, '\\x7b7d'::bytea)");
            assertThat(count(statement, "SELECT count(*) FROM domain_event_entry")).isEqualTo(1);
            statement.execute("INSERT INTO token_entry (processor_name, segment) VALUES ('publisher', 0)");

            for (String forbidden : List.of(
                    "UPDATE domain_event_entry SET payload = payload",
                    "DELETE FROM domain_event_entry",
                    "TRUNCATE domain_event_entry",
                    "ALTER TABLE domain_event_entry DISABLE TRIGGER domain_event_entry_append_only",
                    "DROP TABLE idempotency_key",
                    "CREATE TABLE shadow_log (id int)",
                    "DELETE FROM flyway_schema_history")) {
                assertThatThrownBy(() -> statement.execute(forbidden)).as(forbidden)
                        .isInstanceOfSatisfying(SQLException.class, refused -> assertThat(refused.getSQLState())
                                .as(forbidden + ": " + refused.getMessage()).isEqualTo("42501"));
            }
        }
    }

    private static long count(Statement statement, String sql) throws SQLException {
        try (ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private Flyway flyway(String url) {
        return Flyway.configure().dataSource(url, postgres.username(), postgres.password())
                .locations("classpath:db/migration").placeholders(Map.of("runtime_role", postgres.username())).load();
    }
}
