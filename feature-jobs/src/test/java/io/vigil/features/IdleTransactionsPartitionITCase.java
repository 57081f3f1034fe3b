package io.vigil.features;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.schemas.Money;
import io.vigil.schemas.Transaction;
import io.vigil.schemas.serde.AvroSerde;
import io.vigil.testkit.FlinkMiniCluster;
import io.vigil.testkit.KafkaExtension;
import io.vigil.testkit.RedisExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Traffic that starts after the job has been without input for longer than the idle timeout, as a
 * burst over every transactions partition, loses nothing. Found on the local stack: when
 * transactions partitions could go idle, the partition read first moved the watermark on its own
 * and the other partitions' transactions of the same burst were late (here 4,000 to 6,000 of the
 * 8,000 went to the dead-letter topic). The job runs unbounded, as deployed; one later transaction
 * per partition lets the watermark pass the burst.
 */
class IdleTransactionsPartitionITCase {

    @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();
    @RegisterExtension static final RedisExtension REDIS = new RedisExtension();
    @RegisterExtension static final MiniClusterExtension FLINK = FlinkMiniCluster.extension();

    private static final int PER_PARTITION = 2_000;
    private static final Duration IDLE_TIMEOUT = Duration.ofMillis(300);
    private static final Instant START = Instant.parse("2018-04-01T00:00:00Z");

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void aBurstAfterAQuietStartHasNoLateTransactions() throws Exception {
        FeatureJobFixture run = new FeatureJobFixture(KAFKA, REDIS);
        FeatureJobConfig config =
                run.config(
                        "--bounded",
                        "false",
                        "--idle-timeout",
                        IDLE_TIMEOUT.toMillis() + "ms",
                        "--checkpoint-interval",
                        "200ms");
        String topic = config.transactionsTopic();
        StreamExecutionEnvironment env =
                FeatureJobFixture.kafkaToRedis(config, new Configuration());
        JobClient job = env.executeAsync("idle transactions partition itcase");
        try (KafkaProducer<byte[], byte[]> producer = KAFKA.newProducer()) {
            while (job.getJobStatus().get() != JobStatus.RUNNING) {
                Thread.sleep(50);
            }
            // Tasks deploy, then stay without input for many idle timeouts.
            Thread.sleep(IDLE_TIMEOUT.multipliedBy(10).toMillis());
            int partitions = producer.partitionsFor(topic).size();
            for (int p = 0; p < partitions; p++) {
                send(producer, topic, p, START, PER_PARTITION);
            }
            for (int p = 0; p < partitions; p++) {
                send(producer, topic, p, START.plus(Duration.ofDays(1)), 1);
            }

            int expected = partitions * PER_PARTITION;
            assertThat(KAFKA.readAll(config.featuresTopic(), expected, Duration.ofSeconds(40)))
                    .as("feature vectors")
                    .hasSize(expected);
            assertThat(KAFKA.readAll(config.deadLetterTopic(), 1, Duration.ofSeconds(1)))
                    .as("dead letters")
                    .isEmpty();
        } finally {
            job.cancel().get(30, TimeUnit.SECONDS);
        }
    }

    /** {@code count} transactions one second apart from {@code first} into {@code partition}. */
    private static void send(
            KafkaProducer<byte[], byte[]> producer,
            String topic,
            int partition,
            Instant first,
            int count) {
        AvroSerde<Transaction> serde = AvroSerde.of(Transaction.class);
        for (int i = 0; i < count; i++) {
            Instant time = first.plusSeconds(i);
            String id = "p" + partition + "-" + time.getEpochSecond();
            Transaction tx =
                    new Transaction(
                            id,
                            time,
                            "customer-" + partition + "-" + i % 10,
                            "terminal-" + i % 7,
                            new Money(1_000L + i, "EUR"),
                            null,
                            null,
                            null);
            producer.send(
                    new ProducerRecord<>(
                            topic,
                            partition,
                            tx.getCustomerId().getBytes(StandardCharsets.UTF_8),
                            serde.serialize(tx)));
        }
        producer.flush();
    }
}
