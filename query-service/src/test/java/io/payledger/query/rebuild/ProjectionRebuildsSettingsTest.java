package io.payledger.query.rebuild;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProjectionRebuildsSettingsTest {

    private static ProjectionRebuilds withWorkers(int foldWorkers, int readers) {
        return new ProjectionRebuilds(null, null, null, null, Clock.systemUTC(), new SimpleMeterRegistry(),
                Duration.ofMinutes(2), 5000, foldWorkers, readers);
    }

    @Test
    void foldWorkersAndReadersOutsideOneToEightAreRefusedAtStartNotAfterTheLogIsLoaded() {
        assertThatThrownBy(() -> withWorkers(0, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("fold-workers");
        assertThatThrownBy(() -> withWorkers(9, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("fold-workers");
        assertThatThrownBy(() -> withWorkers(2, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("readers");
        assertThatCode(() -> withWorkers(8, 8).destroy()).doesNotThrowAnyException();
    }
}
