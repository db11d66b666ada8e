package io.payledger.axon;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ArrivalOrderBufferTest {

    @Test
    void recordsAreHandedOnInTheOrderTheyWereFetched() throws Exception {
        ArrivalOrderBuffer<String> buffer = new ArrivalOrderBuffer<>(10);
        buffer.putAll(List.of("b", "a", "c"));

        assertThat(buffer.take()).isEqualTo("b");
        assertThat(buffer.poll(0, TimeUnit.MILLISECONDS)).isEqualTo("a");
        assertThat(buffer.peek()).isEqualTo("c");
    }

    @Test
    void theReaderIsToldOnceForEachFetchedBatchSoItNeedNotPoll() throws Exception {
        ArrivalOrderBuffer<String> buffer = new ArrivalOrderBuffer<>(10);
        AtomicInteger told = new AtomicInteger();
        buffer.onAvailable(told::incrementAndGet);

        buffer.putAll(List.of("a", "b", "c"));
        buffer.put("d");
        buffer.putAll(List.of());

        assertThat(told).hasValue(2);
    }

    @Test
    void aFetcherWaitingOnAFullBufferTellsTheReaderFirst() throws Exception {
        ArrivalOrderBuffer<String> buffer = new ArrivalOrderBuffer<>(2);
        CountDownLatch told = new CountDownLatch(1);
        buffer.onAvailable(told::countDown);

        Thread fetcher = new Thread(() -> {
            try {
                buffer.putAll(List.of("a", "b", "c"));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        fetcher.start();

        assertThat(told.await(5, TimeUnit.SECONDS)).as("told before the whole batch fitted").isTrue();
        assertThat(buffer.take()).isEqualTo("a");
        fetcher.join(5_000);
        assertThat(buffer.size()).isEqualTo(2);
    }

    @Test
    void aFetcherFailureReachesTheReaderAfterWhatWasFetchedBeforeIt() throws Exception {
        ArrivalOrderBuffer<String> buffer = new ArrivalOrderBuffer<>(10);
        AtomicInteger told = new AtomicInteger();
        buffer.onAvailable(told::incrementAndGet);
        buffer.put("a");
        buffer.setException(new IllegalStateException("broker gone"));

        assertThat(buffer.take()).isEqualTo("a");
        assertThat(told).hasValue(2);
        org.assertj.core.api.Assertions.assertThatThrownBy(buffer::take).hasMessage("broker gone");
    }
}
