package io.payledger.query.rebuild;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class WorkersTest {

    @Test
    void theFirstFailureStopsTheOtherWorkersAndIsWhatRunThrowsOnceAllHaveStopped() {
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean otherStopped = new AtomicBoolean();
        Workers.Task endless = stop -> {
            started.countDown();
            while (!stop.requested()) {
                Thread.onSpinWait();
            }
            otherStopped.set(true);
        };
        Workers.Task failing = stop -> {
            started.await(5, TimeUnit.SECONDS);
            throw new IllegalArgumentException("an unreadable payload");
        };

        assertThatThrownBy(() -> Workers.run("test-worker", "folding", List.of(endless, failing)))
                .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("folding failed")
                .hasRootCauseMessage("an unreadable payload");
        assertThat(otherStopped).isTrue();
    }

    @Test
    void workersThatAllSucceedReturnNormally() throws InterruptedException {
        AtomicBoolean ran = new AtomicBoolean();
        Workers.run("test-worker", "folding", List.of(stop -> ran.set(true), stop -> { }));
        assertThat(ran).isTrue();
    }
}
