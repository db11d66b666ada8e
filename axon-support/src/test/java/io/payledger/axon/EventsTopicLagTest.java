package io.payledger.axon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.ReplayToken;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.extensions.kafka.eventhandling.consumer.streamable.KafkaTrackingToken;
import org.junit.jupiter.api.Test;

class EventsTopicLagTest {

    private static final TopicPartition P0 = new TopicPartition("events", 0);
    private static final TopicPartition P1 = new TopicPartition("events", 1);
    private static final Map<TopicPartition, Long> ENDS = Map.of(P0, 100L, P1, 50L);

    @Test
    void aSegmentThatHandledEveryRecordHasNoLag() {
        assertThat(EventsTopicLag.lagOf(List.of(at(Map.of(P0, 99L, P1, 49L))), ENDS)).isZero();
    }

    @Test
    void theLagIsWhatTheSlowestSegmentStillHasToReadInEveryPartition() {
        EventTrackerStatus ahead = at(Map.of(P0, 99L, P1, 49L));
        EventTrackerStatus behind = at(Map.of(P0, 89L, P1, 44L));

        assertThat(EventsTopicLag.lagOf(List.of(ahead, behind), ENDS)).isEqualTo(15.0);
    }

    @Test
    void aPartitionNeverReadCountsWhole() {
        assertThat(EventsTopicLag.lagOf(List.of(at(Map.of(P0, 99L))), ENDS)).isEqualTo(50.0);
    }

    @Test
    void aReplayingSegmentIsMeasuredFromWhereItReplaysNow() {
        TrackingToken replay = ReplayToken.createReplayToken(KafkaTrackingToken.newInstance(Map.of(P0, 99L, P1, 49L)),
                KafkaTrackingToken.newInstance(Map.of(P0, 9L, P1, 9L)));

        assertThat(EventsTopicLag.lagOf(List.of(status(replay)), ENDS)).isEqualTo(130.0);
    }

    @Test
    void anInstanceWithNoKafkaSegmentReportsNothing() {
        assertThat(EventsTopicLag.lagOf(List.of(), ENDS)).isNull();
        assertThat(EventsTopicLag.lagOf(List.of(status(new GlobalSequenceTrackingToken(5))), ENDS)).isNull();
    }

    private static EventTrackerStatus at(Map<TopicPartition, Long> positions) {
        return status(KafkaTrackingToken.newInstance(positions));
    }

    private static EventTrackerStatus status(TrackingToken token) {
        EventTrackerStatus status = mock(EventTrackerStatus.class);
        when(status.getTrackingToken()).thenReturn(token);
        return status;
    }
}
