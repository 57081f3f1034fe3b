package io.vigil.trainer.bench;

import io.vigil.schemas.serde.AvroSerde;
import io.vigil.schemas.serde.MalformedRecordException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a topic from its first offset to the end offsets it had when the read began, committed
 * records only and without a consumer group, as {@code vigil model train} reads the feature log.
 */
final class TopicSnapshot {

    private static final Duration STALL = Duration.ofSeconds(30);

    private TopicSnapshot() {}

    /**
     * Hands every record of {@code topic} to {@code sink}.
     *
     * @return how many records could not be decoded (skipped)
     * @throws IllegalStateException if the topic does not exist or stops advancing for 30 s
     */
    static <T extends SpecificRecord> long read(
            String bootstrap, String topic, AvroSerde<T> serde, Consumer<T> sink) {
        Map<String, Object> props =
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_committed",
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false,
                        ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                        5_000);
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(
                        props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions =
                    consumer.listTopics(STALL).getOrDefault(topic, List.of()).stream()
                            .map(p -> new TopicPartition(topic, p.partition()))
                            .toList();
            if (partitions.isEmpty()) {
                throw new IllegalStateException("no topic " + topic + " at " + bootstrap);
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long malformed = 0;
            long lastProgress = System.nanoTime();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                var records = consumer.poll(Duration.ofMillis(500));
                if (!records.isEmpty()) {
                    lastProgress = System.nanoTime();
                } else if (System.nanoTime() - lastProgress > STALL.toNanos()) {
                    throw new IllegalStateException(
                            topic + " stopped advancing before its end offsets " + end);
                }
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    if (r.offset() >= end.get(new TopicPartition(r.topic(), r.partition()))) {
                        continue; // written after the read began
                    }
                    try {
                        sink.accept(
                                serde.deserialize(r.topic(), r.partition(), r.offset(), r.value()));
                    } catch (MalformedRecordException e) {
                        malformed++;
                    }
                }
            }
            return malformed;
        }
    }
}
