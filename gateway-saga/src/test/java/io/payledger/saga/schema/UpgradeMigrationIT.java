package io.payledger.saga.schema;

import static org.assertj.core.api.Assertions.assertThat;

import io.payledger.localstack.servers.PostgresServer;
import io.payledger.localstack.servers.RealServers;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.jdbc.core.JdbcTemplate;

/** A database the previous release used, migrated to this one: nothing it was doing is dropped. */
class UpgradeMigrationIT {

    private final DataSource database = freshDatabase();
    private final JdbcTemplate jdbc = new JdbcTemplate(database);

    @Test
    void chargesThePreviousReleaseWasStillGivingBackBecomeFiuuWorkAndTheSagaTablesStayForARollback() {
        migrate("6");
        jdbc.update("""
                INSERT INTO unexpected_charge (charge_id, payment_id, amount, currency, captured, reason, status, polls, accepted_at)
                VALUES ('30009', 'pay-1', 1050, 'MYR', true, 'after_failure', 'releasing', 2, now()),
                       ('30010', 'pay-2', 500, 'MYR', false, 'after_failure', 'waiting', 0, NULL),
                       ('30011', 'pay-3', 500, 'MYR', false, 'after_failure', 'released', 0, NULL)""");

        migrate(null);

        assertThat(jdbc.queryForList("SELECT payment_id, step, state, polls, accepted, by_refund FROM fiuu_work ORDER BY payment_id"))
                .containsExactly(
                        Map.of("payment_id", "pay-1", "step", "release:30009", "state", "due", "polls", 2, "accepted", true, "by_refund", true),
                        Map.of("payment_id", "pay-2", "step", "release:30010", "state", "waiting", "polls", 0, "accepted", false, "by_refund", false));
        assertThat(jdbc.queryForObject("SELECT count(*) FROM pg_tables WHERE tablename IN ('saga_entry', 'association_value_entry')",
                Long.class)).isEqualTo(2);
    }

    private void migrate(String target) {
        var flyway = Flyway.configure().dataSource(database).placeholders(Map.of("runtime_role", RealServers.postgres().username()));
        // the grants (R__) name this release's tables: a database of the previous release is migrated without them
        (target == null ? flyway : flyway.target(target).repeatableSqlMigrationPrefix("previous-release-has-no-")).load().migrate();
    }

    private static DataSource freshDatabase() {
        PostgresServer postgres = RealServers.postgres();
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(postgres.jdbcUrl(postgres.createDatabase("upgrade_it")));
        dataSource.setUser(postgres.username());
        dataSource.setPassword(postgres.password());
        return dataSource;
    }
}
