package io.payledger.axon.migration;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.flyway.FlywayMigrationStrategy;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class MigrationsOnStartTest {

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(MigrationsOnStart.class));

    @Test
    void aServiceMigratesItsOwnSchemaUnlessToldOtherwise() {
        context.run(started -> assertThat(started).doesNotHaveBean(FlywayMigrationStrategy.class));
    }

    @Test
    void withAMigrationJobAServiceOnlyValidatesItsSchema() {
        context.withPropertyValues("payledger.migrations.on-start=validate")
                .run(started -> assertThat(started).hasSingleBean(FlywayMigrationStrategy.class));
    }
}
