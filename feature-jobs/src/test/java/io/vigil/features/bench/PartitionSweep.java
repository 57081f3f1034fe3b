package io.vigil.features.bench;

import io.vigil.schemas.Money;
import io.vigil.schemas.Transaction;
import io.vigil.schemas.serde.AvroSerde;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Produces one transaction into every partition of a transactions topic at a given event time, so a
 * running feature job's watermark passes every earlier transaction: the job emits a transaction
 * once all partitions have reached its time, which in production the next traffic does. The sweep
 * transactions' own features then wait in turn.
 *
 * <pre>
 * java -cp ... io.vigil.features.bench.PartitionSweep --bootstrap 127.0.0.1:9092 \
 *   --topic vigil.transactions --event-time 2018-11-01T00:00:00Z
 * </pre>
 */
public final class PartitionSweep {

    private PartitionSweep() {}

    public static void main(String[] args) throws Exception {
        BenchArgs a = BenchArgs.parse(args, "bootstrap", null, "topic", null, "event-time", null);
        Instant eventTime;
        try {
            eventTime = Instant.parse(a.text("event-time"));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    "--event-time must be an instant like 2018-11-01T00:00:00Z", e);
        }
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, a.text("bootstrap"));
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        AvroSerde<Transaction> serde = AvroSerde.of(Transaction.class);
        String topic = a.text("topic");
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            int partitions = producer.partitionsFor(topic).size();
            for (int p = 0; p < partitions; p++) {
                String id = "sweep-" + p + "-" + eventTime.toEpochMilli();
                Transaction tx =
                        new Transaction(
                                id, eventTime, id, id, new Money(100L, "EUR"), null, null, null);
                producer.send(
                                new ProducerRecord<>(
                                        topic,
                                        p,
                                        id.getBytes(StandardCharsets.UTF_8),
                                        serde.serialize(tx)))
                        .get();
            }
            System.out.printf("swept %d partitions of %s at %s%n", partitions, topic, eventTime);
        }
    }
}
