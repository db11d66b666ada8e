package io.payledger.axon.migration;

import org.flywaydb.core.Flyway;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.flyway.FlywayMigrationStrategy;
import org.springframework.context.annotation.Bean;

/**
 * What a service does with its schema at start, {@code payledger.migrations.on-start}:
 * {@code migrate} (the default; Flyway's lock keeps replicas from racing) or {@code validate}, where
 * a separate migration Job owns the schema and a service whose schema is behind or altered refuses
 * to start rather than serve on it.
 */
@AutoConfiguration
@ConditionalOnClass({Flyway.class, FlywayMigrationStrategy.class})
public class MigrationsOnStart {

    @Bean
    @ConditionalOnProperty(name = "payledger.migrations.on-start", havingValue = "validate")
    FlywayMigrationStrategy validateOnly() {
        return Flyway::validate;
    }
}
