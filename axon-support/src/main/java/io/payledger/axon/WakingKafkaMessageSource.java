package io.payledger.axon;

import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.extensions.kafka.eventhandling.consumer.streamable.KafkaEventMessage;
import org.axonframework.extensions.kafka.eventhandling.consumer.streamable.StreamableKafkaMessageSource;

/**
 * axon-kafka's streamable source, with streams that say when records have arrived. Axon's pooled
 * processor asks its stream for an availability callback; axon-kafka's stream offers none, so the
 * processor looks for new records every 500 ms, and every event waited 250 ms on average (up to 500)
 * at each service that reads the topic, before any work was done. These streams run the processor's
 * callback as soon as the fetcher has handed records to the {@link ArrivalOrderBuffer}.
 */
public final class WakingKafkaMessageSource<K, V> extends StreamableKafkaMessageSource<K, V> {

    /** The buffer axon-kafka created for the stream being opened on this thread. */
    private static final ThreadLocal<ArrivalOrderBuffer<KafkaEventMessage>> OPENING = new ThreadLocal<>();

    /**
     * @param builder    axon-kafka's builder, all set but for the buffers
     * @param bufferSize records each stream's buffer holds
     */
    public WakingKafkaMessageSource(Builder<K, V> builder, int bufferSize) {
        super(builder.bufferFactory(() -> {
            ArrivalOrderBuffer<KafkaEventMessage> buffer = new ArrivalOrderBuffer<>(bufferSize);
            OPENING.set(buffer);
            return buffer;
        }));
    }

    @Override
    public BlockingStream<TrackedEventMessage<?>> openStream(TrackingToken token) {
        try {
            BlockingStream<TrackedEventMessage<?>> stream = super.openStream(token);
            ArrivalOrderBuffer<KafkaEventMessage> buffer = OPENING.get();
            if (buffer == null) {
                throw new IllegalStateException("axon-kafka opened a stream without a buffer from this source's factory");
            }
            return new WakingStream(stream, buffer);
        } finally {
            OPENING.remove();
        }
    }

    private record WakingStream(BlockingStream<TrackedEventMessage<?>> stream,
                                ArrivalOrderBuffer<KafkaEventMessage> buffer) implements BlockingStream<TrackedEventMessage<?>> {

        @Override
        public boolean setOnAvailableCallback(Runnable callback) {
            buffer.onAvailable(callback);
            return true;
        }

        @Override
        public Optional<TrackedEventMessage<?>> peek() {
            return stream.peek();
        }

        @Override
        public boolean hasNextAvailable() {
            return stream.hasNextAvailable();
        }

        @Override
        public boolean hasNextAvailable(int timeout, TimeUnit unit) throws InterruptedException {
            return stream.hasNextAvailable(timeout, unit);
        }

        @Override
        public TrackedEventMessage<?> nextAvailable() throws InterruptedException {
            return stream.nextAvailable();
        }

        @Override
        public void skipMessagesWithPayloadTypeOf(TrackedEventMessage<?> ignoredMessage) {
            stream.skipMessagesWithPayloadTypeOf(ignoredMessage);
        }

        @Override
        public Stream<TrackedEventMessage<?>> asStream() {
            return stream.asStream();
        }

        @Override
        public void close() {
            buffer.onAvailable(() -> { });
            stream.close();
        }
    }
}
