package io.payledger.query.rebuild;

import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A few tasks of a rebuild run side by side (readers, fold workers, key builders). The first to fail stops the
 * others: they see {@link Stop#requested()}, and a query one of them registered and waits on is cancelled (the key
 * builders register none: a key being built finishes). {@link #run} waits for them all, a minute at most; one that
 * does not stop by then is said beside the failure that started it, never instead of it.
 */
final class Workers {

    private static final Logger log = LoggerFactory.getLogger(Workers.class);

    /** One worker's share of the work. */
    interface Task {
        void run(Stop stop) throws Exception;
    }

    /** Whether the workers are asked to stop, and the statements to cancel when they are. */
    static final class Stop {
        private final AtomicBoolean requested = new AtomicBoolean();
        private final List<Statement> waiting = new CopyOnWriteArrayList<>();

        boolean requested() {
            return requested.get();
        }

        /** A statement this worker is about to wait on; cancelled if the workers are stopped meanwhile. */
        void cancelOnStop(Statement statement) {
            waiting.add(statement);
            if (requested.get()) {
                cancel(statement);
            }
        }

        void done(Statement statement) {
            waiting.remove(statement);
        }

        void request() {
            if (requested.compareAndSet(false, true)) {
                waiting.forEach(Workers::cancel);
            }
        }
    }

    private Workers() {
    }

    /** Runs each task on a thread of its own named {@code thread}; {@code what} names the work in failures. */
    static void run(String thread, String what, List<Task> tasks) throws InterruptedException {
        Stop stop = new Stop();
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size(), task -> new Thread(task, thread));
        ExecutorCompletionService<Void> finished = new ExecutorCompletionService<>(pool);
        RuntimeException failure = null;
        try {
            for (Task task : tasks) {
                finished.submit(() -> {
                    task.run(stop);
                    return null;
                });
            }
            for (int i = 0; i < tasks.size() && failure == null; i++) {
                try {
                    finished.take().get();
                } catch (ExecutionException failed) {
                    failure = new IllegalStateException(what + " failed: " + failed.getCause(), failed.getCause());
                }
            }
        } finally {
            stop.request();
            pool.shutdown();
            if (!pool.awaitTermination(1, TimeUnit.MINUTES)) {
                pool.shutdownNow();
                IllegalStateException stuck = new IllegalStateException("a worker of " + what + " did not stop within a minute");
                log.warn("{}", stuck.getMessage());
                if (failure != null) {
                    failure.addSuppressed(stuck);
                } else {
                    failure = stuck;
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static void cancel(Statement statement) {
        try {
            statement.cancel();
        } catch (SQLException | RuntimeException ignored) {
            // it has finished or its connection is gone: either way it waits no longer
        }
    }
}
