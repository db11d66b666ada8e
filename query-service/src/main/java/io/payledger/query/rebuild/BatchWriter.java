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

/**
 * Writes a rebuild's batches on a thread of its own, in the order they were read, while the reader reads the next
 * ones. At most two batches wait, so a slow database holds the reader back instead of filling memory. A failed write
 * stops the rebuild: the next {@link #write} or {@link #finish} throws it.
 */
final class BatchWriter implements AutoCloseable {

    private static final List<ProjectedEvent> END = new java.util.ArrayList<>(); // by identity: no batch is it

    private final BlockingQueue<List<ProjectedEvent>> waiting = new ArrayBlockingQueue<>(2);
    private final ExecutorService thread = Executors.newSingleThreadExecutor(task -> new Thread(task, "projection-rebuild-writer"));
    private final Future<?> writing;

    BatchWriter(Consumer<List<ProjectedEvent>> write) {
        writing = thread.submit(() -> {
            while (true) {
                List<ProjectedEvent> batch = waiting.take();
                if (batch == END) {
                    return null;
                }
                write.accept(batch);
            }
        });
    }

    void write(List<ProjectedEvent> batch) {
        if (!batch.isEmpty()) {
            handOver(batch);
        }
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

    private void handOver(List<ProjectedEvent> batch) {
        try {
            do {
                failIfStopped();
            } while (!waiting.offer(batch, 1, TimeUnit.SECONDS));
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

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
