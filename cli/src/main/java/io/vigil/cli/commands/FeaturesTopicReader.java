package io.vigil.cli.commands;

import io.vigil.cli.KafkaOptions;
import io.vigil.cli.KafkaTopics;
import io.vigil.cli.Progress;
import io.vigil.schemas.serde.AvroSerde;
import io.vigil.schemas.serde.MalformedRecordException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a whole topic once, without a consumer group: every partition from its first offset to the
 * end offset it had when reading began, so a topic that keeps growing still ends the read.
 * Committed records only ({@code read_committed}; the feature job writes the feature log in Kafka
 * transactions): an open transaction ends the read at its start, the last stable offset. Records
 * that cannot be decoded are reported on stderr (the first few, with topic, partition and offset),
 * counted and not used.
 */
final class FeaturesTopicReader {

    /** What one read saw. */
    record Summary(String topic, long records, long malformed) {}

    private static final int MALFORMED_SHOWN = 10;

    private final KafkaOptions kafka;
    private final Progress.Mode progress;
    private final PrintWriter err;

    FeaturesTopicReader(KafkaOptions kafka, Progress.Mode progress, PrintWriter err) {
        this.kafka = kafka;
        this.progress = progress;
        this.err = err;
    }

    /**
     * Hands every decodable record of {@code topic} to {@code sink}, partition by partition in
     * offset order (partitions interleave).
     *
     * @throws KafkaTopics.KafkaUnavailableException if the topic does not exist or a partition
     *     stops advancing for the Kafka timeout
     */
    <T extends SpecificRecord> Summary read(String topic, AvroSerde<T> serde, Consumer<T> sink) {
        try (KafkaTopics topics = new KafkaTopics(kafka)) {
            if (!topics.topicsWithPrefix(topic).contains(topic)) {
                throw new KafkaTopics.KafkaUnavailableException(
                        "no topic " + topic + " at " + kafka.bootstrap() + " (--topic-prefix?)",
                        null);
            }
        }
        Map<String, Object> props = new HashMap<>(kafka.clientProperties());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(
                        props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(topic).stream()
                            .map(p -> new TopicPartition(topic, p.partition()))
                            .toList();
            consumer.assign(partitions);
            Map<TopicPartition, Long> start = consumer.beginningOffsets(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            consumer.seekToBeginning(partitions);
            long total = partitions.stream().mapToLong(p -> end.get(p) - start.get(p)).sum();
            Set<TopicPartition> open = new HashSet<>();
            partitions.stream().filter(p -> end.get(p) > start.get(p)).forEach(open::add);
            AtomicLong done = new AtomicLong();
            long records = 0;
            long malformed = 0;
            long lastAdvance = System.nanoTime();
            try (Progress bar = new Progress(progress, err, "records", done::get, total)) {
                while (!open.isEmpty()) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                        TopicPartition p = new TopicPartition(r.topic(), r.partition());
                        if (r.offset() >= end.get(p)) {
                            continue; // written after the read began
                        }
                        try {
                            sink.accept(
                                    serde.deserialize(
                                            r.topic(), r.partition(), r.offset(), r.value()));
                            records++;
                        } catch (MalformedRecordException e) {
                            if (++malformed <= MALFORMED_SHOWN) {
                                err.println("vigil: skipped " + e.getMessage());
                                err.flush();
                            }
                        }
                    }
                    long position = 0;
                    for (TopicPartition p : partitions) {
                        long at = Math.min(consumer.position(p), end.get(p));
                        position += at - start.get(p);
                        if (at >= end.get(p)) {
                            open.remove(p);
                        }
                    }
                    if (position > done.get()) {
                        lastAdvance = System.nanoTime();
                    } else if (System.nanoTime() - lastAdvance > kafka.timeout().toNanos()) {
                        throw new KafkaTopics.KafkaUnavailableException(
                                "reading "
                                        + topic
                                        + " at "
                                        + kafka.bootstrap()
                                        + " made no progress for "
                                        + kafka.timeout().toSeconds()
                                        + " s; partitions still open: "
                                        + open,
                                null);
                    }
                    done.set(position);
                }
            }
            return new Summary(topic, records, malformed);
        }
    }
}
