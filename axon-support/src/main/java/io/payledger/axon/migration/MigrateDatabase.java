package io.payledger.axon.migration;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Runs a service's Flyway migrations and exits, without starting the service: the Helm chart's
 * pre-install/pre-upgrade Job runs it from the service's own image with the schema owner's
 * credentials, so the service itself can run with a role that may not change the schema.
 * <pre>java -cp /app/app.jar io.payledger.axon.migration.MigrateDatabase</pre>
 * It reads the same variables as the service: {@code SPRING_DATASOURCE_URL},
 * {@code SPRING_DATASOURCE_USERNAME} and {@code SPRING_DATASOURCE_PASSWORD} (the migration role's), and
 * {@code PAYLEDGER_RUNTIME_ROLE}, the role the service runs as, which the grants migration names.
 */
public final class MigrateDatabase {

    private MigrateDatabase() {
    }

    public static void main(String[] args) {
        String url = required("SPRING_DATASOURCE_URL");
        String user = required("SPRING_DATASOURCE_USERNAME");
        String runtimeRole = System.getenv("PAYLEDGER_RUNTIME_ROLE");
        MigrateResult result = migrate(url, user, System.getenv("SPRING_DATASOURCE_PASSWORD"),
                runtimeRole == null || runtimeRole.isBlank() ? user : runtimeRole);
        System.out.printf("schema of %s: %d migration(s) applied, now at version %s%n",
                result.database, result.migrationsExecuted, result.targetSchemaVersion == null
                        ? result.initialSchemaVersion : result.targetSchemaVersion);
    }

    /**
     * Applies the pending migrations found on the classpath (the service's db/migration) as {@code user},
     * granting {@code runtimeRole} what the service needs (R__runtime_role_grants.sql).
     */
    public static MigrateResult migrate(String jdbcUrl, String user, String password, String runtimeRole) {
        return Flyway.configure()
                .dataSource(jdbcUrl, user, password)
                .locations("classpath:db/migration")
                .placeholders(java.util.Map.of("runtime_role", runtimeRole))
                .load()
                .migrate();
    }

    private static String required(String variable) {
        String value = System.getenv(variable);
        if (value == null || value.isBlank()) {
            System.err.println(variable + " is not set");
            System.exit(2);
        }
        return value;
    }
}
