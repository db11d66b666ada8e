package io.payledger.query.rebuild;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.payledger.query.projection.ProjectedEvent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mockito.Mockito;

class BatchWriterTest {

    private static List<ProjectedEvent> batch() {
        return List.of(Mockito.mock(ProjectedEvent.class));
    }

    @Test
    void batchesAreWrittenInTheOrderTheyWereReadAndFinishWaitsForTheLast() {
        List<List<ProjectedEvent>> written = Collections.synchronizedList(new ArrayList<>());
        List<List<ProjectedEvent>> read = List.of(batch(), batch(), batch(), batch(), batch());
        try (BatchWriter writer = new BatchWriter(written::add)) {
            read.forEach(writer::write);
            writer.finish();
        }
        assertThat(written).containsExactlyElementsOf(read);
    }

    @Test
    @Timeout(30)
    void aFailedWriteStopsTheReaderInsteadOfLettingItWaitForEver() throws Exception {
        CountDownLatch failed = new CountDownLatch(1);
        try (BatchWriter writer = new BatchWriter(batch -> {
            failed.countDown();
            throw new IllegalStateException("the database went away");
        })) {
            writer.write(batch());
            assertThat(failed.await(10, TimeUnit.SECONDS)).isTrue();
            assertThatThrownBy(() -> {
                for (int i = 0; i < 10; i++) {
                    writer.write(batch()); // the queue holds two: the reader must learn of the failure, not block
                }
                writer.finish();
            }).hasMessageContaining("the database went away");
        }
    }
}
