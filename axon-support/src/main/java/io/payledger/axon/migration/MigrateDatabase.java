package io.payledger.axon.migration;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Runs a service's Flyway migrations and exits, without starting the service: the Helm chart's
 * pre-install/pre-upgrade Job runs it from the service's own image with the schema owner's
 * credentials, so the service itself can run with a role that may not change the schema.
 * <pre>java -cp /app/app.jar io.payledger.axon.migration.MigrateDatabase</pre>
 * It reads the same variables as the service: {@code SPRING_DATASOURCE_URL},
 * {@code SPRING_DATASOURCE_USERNAME} and {@code SPRING_DATASOURCE_PASSWORD}.
 */
public final class MigrateDatabase {

    private MigrateDatabase() {
    }

    public static void main(String[] args) {
        MigrateResult result = migrate(required("SPRING_DATASOURCE_URL"), required("SPRING_DATASOURCE_USERNAME"),
                System.getenv("SPRING_DATASOURCE_PASSWORD"));
        System.out.printf("schema of %s: %d migration(s) applied, now at version %s%n",
                result.database, result.migrationsExecuted, result.targetSchemaVersion == null
                        ? result.initialSchemaVersion : result.targetSchemaVersion);
    }

    /** Applies the pending migrations found on the classpath (the service's db/migration). */
    public static MigrateResult migrate(String jdbcUrl, String user, String password) {
        return Flyway.configure()
                .dataSource(jdbcUrl, user, password)
                .locations("classpath:db/migration")
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
