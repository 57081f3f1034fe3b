package io.vigil.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.split.KafkaPartitionSplit;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The control source starts each topic where that topic's own initializer says. */
class PerTopicOffsetsTest {

    private static final TopicPartition MODEL_EVENTS = new TopicPartition("m", 0);
    private static final TopicPartition LABELS_0 = new TopicPartition("l", 0);
    private static final TopicPartition LABELS_1 = new TopicPartition("l", 1);

    @Test
    void modelEventsFromTheBeginningLabelsFromTheirTimestamp() {
        OffsetsInitializer offsets =
                new ScoringSources.PerTopicOffsets(
                        Map.of(
                                "m",
                                OffsetsInitializer.earliest(),
                                "l",
                                OffsetsInitializer.timestamp(1_000)));

        Map<TopicPartition, Long> start =
                offsets.getPartitionOffsets(
                        List.of(MODEL_EVENTS, LABELS_0, LABELS_1), new Broker());

        // Earliest is resolved by the split reader (a marker here); labels partition 1 has nothing
        // at or after the timestamp, so it starts at its end.
        assertThat(start)
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of(
                                MODEL_EVENTS,
                                KafkaPartitionSplit.EARLIEST_OFFSET,
                                LABELS_0,
                                50L,
                                LABELS_1,
                                90L));
    }

    /** End offsets 20, 80 and 90; label 0 has offset 50 at t=1000. */
    private static final class Broker implements OffsetsInitializer.PartitionOffsetsRetriever {

        @Override
        public Map<TopicPartition, Long> committedOffsets(Collection<TopicPartition> partitions) {
            throw new AssertionError("no committed offsets are asked for");
        }

        @Override
        public Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> partitions) {
            return partitions.stream()
                    .collect(
                            Collectors.toMap(
                                    tp -> tp,
                                    tp ->
                                            tp.equals(MODEL_EVENTS)
                                                    ? 20L
                                                    : tp.equals(LABELS_0) ? 80L : 90L));
        }

        @Override
        public Map<TopicPartition, Long> beginningOffsets(Collection<TopicPartition> partitions) {
            throw new AssertionError("earliest is left to the split reader");
        }

        @Override
        public Map<TopicPartition, OffsetAndTimestamp> offsetsForTimes(
                Map<TopicPartition, Long> timestamps) {
            assertThat(timestamps.values()).containsOnly(1_000L);
            return timestamps.keySet().stream()
                    .filter(LABELS_0::equals)
                    .collect(Collectors.toMap(tp -> tp, tp -> new OffsetAndTimestamp(50L, 1_000L)));
        }
    }
}
