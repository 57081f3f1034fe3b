package io.vigil.features.bench;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Prints when a topic's records were written: the first and the last record timestamp (Kafka {@code
 * CreateTime}, i.e. the producer's wall clock at send) over all partitions and, with {@code --count
 * true}, the number of committed records. Reads {@code read_committed}, so an exactly-once topic
 * counts what its readers see; the first and last timestamps need only a few records per partition.
 *
 * <p>Output, one line per topic: {@code TOPIC records=N first=EPOCH_MS last=EPOCH_MS} (records=-1
 * when not counted). Used by {@code bench/feature-replay.sh}:
 *
 * <pre>
 * java -cp ... io.vigil.features.bench.TopicTimeline --bootstrap 127.0.0.1:9092 \
 *   --topics vigil.transactions,vigil.features [--count false]
 * </pre>
 */
public final class TopicTimeline {

    /** Records read back from the end of each partition to find its last timestamp. */
    private static final long TAIL = 200;

    private static final Duration POLL = Duration.ofMillis(500);

    private TopicTimeline() {}

    public static void main(String[] args) {
        BenchArgs a = BenchArgs.parse(args, "bootstrap", null, "topics", null, "count", "false");
        boolean count = Boolean.parseBoolean(a.text("count"));
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, a.text("bootstrap"));
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(
                        props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            for (String topic : a.text("topics").split(",")) {
                System.out.println(timeline(consumer, topic, count));
            }
        }
    }

    private static String timeline(
            KafkaConsumer<byte[], byte[]> consumer, String topic, boolean count) {
        List<TopicPartition> partitions =
                consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                        .map(p -> new TopicPartition(topic, p.partition()))
                        .toList();
        consumer.assign(partitions);
        // For read_committed consumers the end offset is the last stable offset.
        Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (TopicPartition p : partitions) {
            if (begin.get(p) < end.get(p)) {
                consumer.seek(p, begin.get(p));
                first = Math.min(first, scan(consumer, p, begin.get(p) + 1, end.get(p))[0]);
                consumer.seek(p, Math.max(begin.get(p), end.get(p) - TAIL));
                last = Math.max(last, scan(consumer, p, end.get(p), end.get(p))[1]);
            }
        }
        long records = -1;
        if (count) {
            records = 0;
            for (TopicPartition p : partitions) {
                consumer.seek(p, begin.get(p));
                records += scan(consumer, p, end.get(p), end.get(p))[2];
            }
        }
        return String.format("%s records=%d first=%d last=%d", topic, records, first, last);
    }

    /**
     * Reads partition {@code p} alone until its position reaches {@code until} (at most {@code
     * end}); returns the smallest and largest record timestamp seen and the record count.
     */
    private static long[] scan(
            KafkaConsumer<byte[], byte[]> consumer, TopicPartition p, long until, long end) {
        List<TopicPartition> others =
                consumer.assignment().stream().filter(other -> !other.equals(p)).toList();
        consumer.pause(others);
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        long n = 0;
        try {
            while (consumer.position(p) < Math.min(until, end)) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL).records(p)) {
                    if (r.offset() >= end) {
                        break;
                    }
                    min = Math.min(min, r.timestamp());
                    max = Math.max(max, r.timestamp());
                    n++;
                }
            }
        } finally {
            consumer.resume(others);
        }
        return new long[] {min, max, n};
    }
}
