package io.payledger.axon;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.axonframework.extensions.kafka.eventhandling.consumer.streamable.Buffer;

/**
 * The buffer between axon-kafka's fetcher and an event processor, handing records on in the order
 * they were fetched. axon-kafka's default buffer re-sorts them by record timestamp, but each record's
 * tracking token was assigned in fetch order, so after re-sorting a token can cover records of other
 * partitions that have not been handed on yet. A pooled streaming processor then skips those records
 * as already seen, and any processor that stores such a token skips them after a restart. In fetch
 * order every token covers exactly what came before it. Order per partition, which is all Kafka
 * promises and all a payment's events need, is the same either way.
 */
public final class ArrivalOrderBuffer<E> implements Buffer<E> {

    private final int capacity;
    private final ArrayDeque<E> records;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
    private volatile Runnable onAvailable = () -> { };

    public ArrivalOrderBuffer(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("a buffer holds at least one record");
        }
        this.capacity = capacity;
        this.records = new ArrayDeque<>(Math.min(capacity, 1024));
    }

    /**
     * Runs {@code callback} whenever records have been added, so that a reader that would otherwise
     * poll for them (Axon's pooled processor polls every 500 ms) is woken at once.
     */
    public void onAvailable(Runnable callback) {
        this.onAvailable = callback;
    }

    @Override
    public void put(E record) throws InterruptedException {
        append(record);
        onAvailable.run();
    }

    @Override
    public void putAll(Collection<E> batch) throws InterruptedException {
        for (E record : batch) {
            append(record);
        }
        if (!batch.isEmpty()) {
            onAvailable.run();
        }
    }

    private void append(E record) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (records.size() == capacity) {
                onAvailable.run(); // a full buffer is waiting for its reader: make sure the reader knows
                notFull.await();
            }
            records.addLast(record);
            notEmpty.signal();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public E poll(long timeout, TimeUnit unit) throws InterruptedException {
        long nanos = unit.toNanos(timeout);
        lock.lockInterruptibly();
        try {
            while (records.isEmpty()) {
                throwIfFailed();
                if (nanos <= 0) {
                    return null;
                }
                nanos = notEmpty.awaitNanos(nanos);
            }
            return removeFirst();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public E take() throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (records.isEmpty()) {
                throwIfFailed();
                notEmpty.await();
            }
            return removeFirst();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public E peek() {
        lock.lock();
        try {
            if (records.isEmpty()) {
                throwIfFailed();
                return null;
            }
            return records.peekFirst();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int size() {
        lock.lock();
        try {
            return records.size();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean isEmpty() {
        return size() == 0;
    }

    @Override
    public int remainingCapacity() {
        return capacity - size();
    }

    @Override
    public void clear() {
        lock.lock();
        try {
            records.clear();
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The fetcher failed: readers get the failure once what was fetched before it has been handed on. */
    @Override
    public void setException(RuntimeException exception) {
        failure.set(exception);
        lock.lock();
        try {
            notEmpty.signalAll();
        } finally {
            lock.unlock();
        }
        onAvailable.run();
    }

    private E removeFirst() {
        E record = records.pollFirst();
        notFull.signal();
        return record;
    }

    private void throwIfFailed() {
        RuntimeException e = failure.get();
        if (e != null) {
            throw e;
        }
    }
}
