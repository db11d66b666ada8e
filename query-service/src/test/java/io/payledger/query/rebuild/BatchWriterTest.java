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
        List<Integer> counted = Collections.synchronizedList(new ArrayList<>());
        try (BatchWriter writer = new BatchWriter(batch -> {
            assertThat(counted).as("records are counted only after the batches before them are written")
                    .hasSize(written.size());
            written.add(batch);
        }, counted::add)) {
            read.forEach(batch -> {
                writer.write(batch);
                writer.read(100);
            });
            writer.finish();
        }
        assertThat(written).containsExactlyElementsOf(read);
        assertThat(counted).hasSize(5).containsOnly(100);
    }

    @Test
    @Timeout(30)
    void aFailedWriteStopsTheReaderInsteadOfLettingItWaitForEver() throws Exception {
        CountDownLatch failed = new CountDownLatch(1);
        try (BatchWriter writer = new BatchWriter(batch -> {
            failed.countDown();
            throw new IllegalStateException("the database went away");
        }, records -> { })) {
            writer.write(batch());
            assertThat(failed.await(10, TimeUnit.SECONDS)).isTrue();
            assertThatThrownBy(() -> {
                for (int i = 0; i < 10; i++) {
                    writer.write(batch()); // the queue holds four: the reader must learn of the failure, not block
                }
                writer.finish();
            }).hasMessageContaining("the database went away");
        }
    }
}
