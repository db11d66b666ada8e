package io.payledger.command.eventstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.payledger.axon.migration.MigrateDatabase;
import io.payledger.localstack.servers.PostgresServer;
import io.payledger.localstack.servers.RealServers;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.exception.FlywayValidateException;
import org.junit.jupiter.api.Test;

/** The Helm chart's migration Job and the services' guarded start, on command-service's real migrations. */
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

        int applied = MigrateDatabase.migrate(url, postgres.username(), postgres.password()).migrationsExecuted;
        int again = MigrateDatabase.migrate(url, postgres.username(), postgres.password()).migrationsExecuted;

        assertThat(applied).isEqualTo(flyway(url).info().all().length);
        assertThat(again).isZero();
        flyway(url).validate();
    }

    private Flyway flyway(String url) {
        return Flyway.configure().dataSource(url, postgres.username(), postgres.password())
                .locations("classpath:db/migration").load();
    }
}
