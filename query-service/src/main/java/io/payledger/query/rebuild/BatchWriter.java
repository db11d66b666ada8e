package io.payledger.query.rebuild;

import io.payledger.query.projection.ProjectedEvent;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * Writes a rebuild's batches on a thread of its own, in the order they were read, while the reader reads the next
 * ones. At most two batches wait, so a slow database holds the reader back instead of filling memory. A failed write
 * stops the rebuild: the next {@link #write} or {@link #finish} throws it.
 */
final class BatchWriter implements AutoCloseable {

    /** A batch to write, or how many log records the batches before it covered (counted once they are written). */
    private record Item(List<ProjectedEvent> batch, int records) {
    }

    private static final Item END = new Item(List.of(), 0);

    private final BlockingQueue<Item> waiting = new ArrayBlockingQueue<>(2);
    private final ExecutorService thread = Executors.newSingleThreadExecutor(task -> new Thread(task, "projection-rebuild-writer"));
    private final Future<?> writing;

    /** @param written told how many log records are written, in order, so progress never runs ahead of the tables */
    BatchWriter(Consumer<List<ProjectedEvent>> write, IntConsumer written) {
        writing = thread.submit(() -> {
            while (true) {
                Item item = waiting.take();
                if (item == END) {
                    return null;
                }
                if (item.batch().isEmpty()) {
                    written.accept(item.records());
                } else {
                    write.accept(item.batch());
                }
            }
        });
    }

    void write(List<ProjectedEvent> batch) {
        if (!batch.isEmpty()) {
            handOver(new Item(batch, 0));
        }
    }

    /** The log records the batches handed over so far covered; counted once those batches are written. */
    void read(int records) {
        handOver(new Item(List.of(), records));
    }

    /** Waits until every batch handed over is written. */
    void finish() {
        handOver(END);
        try {
            writing.get();
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("the rebuild was interrupted", interrupted);
        } catch (ExecutionException failed) {
            throw new IllegalStateException("writing the rebuild failed: " + failed.getCause(), failed.getCause());
        }
    }

    private void handOver(Item item) {
        try {
            do {
                failIfStopped();
            } while (!waiting.offer(item, 1, TimeUnit.SECONDS));
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("the rebuild was interrupted", interrupted);
        }
    }

    private void failIfStopped() {
        if (writing.isDone()) {
            try {
                writing.get();
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException failed) {
                throw new IllegalStateException("writing the rebuild failed: " + failed.getCause(), failed.getCause());
            }
            throw new IllegalStateException("the rebuild's writer stopped");
        }
    }

    /** Stops the writer and waits for it, so a failed rebuild's last write is over before anything else begins. */
    @Override
    public void close() {
        thread.shutdownNow();
        try {
            if (!thread.awaitTermination(1, TimeUnit.MINUTES)) {
                throw new IllegalStateException("the rebuild's writer did not stop within a minute");
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
