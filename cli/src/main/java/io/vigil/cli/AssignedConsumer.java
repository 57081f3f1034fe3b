package io.vigil.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * A consumer of raw records that owns every partition of one topic, without a consumer group, so
 * watching or measuring a topic never disturbs the jobs' groups. Reads committed records only, as a
 * downstream reader of the topic would.
 */
public final class AssignedConsumer {

    private AssignedConsumer() {}

    /**
     * Assigns every partition of {@code topic} at its end offsets (or its first, {@code
     * fromBeginning}), resolved before this returns, so records produced afterwards are all read.
     *
     * @param clientProperties bootstrap servers and timeouts; deserializers are set here
     */
    public static KafkaConsumer<byte[], byte[]> open(
            Map<String, Object> clientProperties,
            String clientId,
            String topic,
            boolean fromBeginning) {
        return open(
                clientProperties,
                clientId,
                topic,
                (consumer, partitions) -> {
                    if (fromBeginning) {
                        consumer.seekToBeginning(partitions);
                    } else {
                        consumer.seekToEnd(partitions);
                    }
                });
    }

    /**
     * Assigns every partition of {@code topic} at the first record with a timestamp at or after
     * {@code since} (at its end if there is none), so a reader can rebuild what it keeps of the
     * recent past.
     */
    public static KafkaConsumer<byte[], byte[]> openAt(
            Map<String, Object> clientProperties, String clientId, String topic, Instant since) {
        return open(
                clientProperties,
                clientId,
                topic,
                (consumer, partitions) -> {
                    Map<TopicPartition, Long> times = new HashMap<>();
                    partitions.forEach(p -> times.put(p, since.toEpochMilli()));
                    Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(times);
                    for (TopicPartition p : partitions) {
                        OffsetAndTimestamp at = found.get(p);
                        if (at == null) {
                            consumer.seekToEnd(List.of(p));
                        } else {
                            consumer.seek(p, at.offset());
                        }
                    }
                });
    }

    private static KafkaConsumer<byte[], byte[]> open(
            Map<String, Object> clientProperties,
            String clientId,
            String topic,
            BiConsumer<KafkaConsumer<byte[], byte[]>, List<TopicPartition>> seek) {
        Map<String, Object> props = new HashMap<>(clientProperties);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props);
        try {
            List<PartitionInfo> infos = consumer.partitionsFor(topic);
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException("topic " + topic + " has no partitions");
            }
            List<TopicPartition> partitions =
                    infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            seek.accept(consumer, partitions);
            // Seeks are lazy: resolve the offsets now, not at the first poll.
            partitions.forEach(consumer::position);
            return consumer;
        } catch (RuntimeException e) {
            consumer.close(Duration.ofSeconds(5));
            throw e;
        }
    }
}
