package io.vigil.cli;

import io.vigil.schemas.ChallengerMode;
import io.vigil.schemas.Decision;
import io.vigil.schemas.DecisionOutcome;
import io.vigil.schemas.LatencyBreakdown;
import io.vigil.schemas.ModelRole;
import io.vigil.schemas.Transaction;
import io.vigil.schemas.feast.FeatureRow;
import io.vigil.schemas.feast.FeatureRowCodec;
import io.vigil.schemas.feast.FeatureViewSpec;
import io.vigil.schemas.feast.FeatureViews;
import io.vigil.schemas.feast.ProtoTimestampCodec;
import io.vigil.schemas.serde.AvroSerde;
import io.vigil.schemas.topics.TopicRegistry;
import io.vigil.testkit.KafkaExtension;
import io.vigil.testkit.RedisExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import redis.clients.jedis.Jedis;

/**
 * Stands in for the scoring job on the real broker and Redis: reads the transactions topic and
 * writes one {@code Decision} per transaction to the decisions topic {@code delay} after the
 * transaction's record timestamp, with latency breakdown queue 400 µs, lookup 50 µs, inference 30
 * µs. Like the feature job, it writes each new customer's and terminal's feature rows to Redis
 * (Feast layout, project {@link #PROJECT}).
 *
 * <p>Deterministic faults by the sequence number ending the transaction id: {@code seq % 50 == 7}
 * gets no decision, {@code seq % 40 == 3} gets two, {@code seq % 10 == 0} is a FALLBACK with reason
 * {@code feature_missing}.
 */
final class DecisionLoop implements AutoCloseable {

    static final String PROJECT = "itest";

    static boolean dropped(long seq) {
        return seq % 50 == 7;
    }

    static boolean duplicated(long seq) {
        return seq % 40 == 3;
    }

    static boolean fallback(long seq) {
        return seq % 10 == 0;
    }

    private record Pending(long dueMillis, long timestampMillis, Transaction tx) {}

    private final TopicRegistry topics;
    private final long delayMillis;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaProducer<byte[], byte[]> producer;
    private final Jedis redis;
    private final Thread thread;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Set<String> customersWritten = new HashSet<>();
    private final Set<String> terminalsWritten = new HashSet<>();
    private volatile boolean closed;

    DecisionLoop(KafkaExtension kafka, RedisExtension redis, TopicRegistry topics, Duration delay) {
        this.topics = topics;
        this.delayMillis = delay.toMillis();
        Map<String, Object> client = new HashMap<>();
        client.put("bootstrap.servers", kafka.bootstrapServers());
        this.consumer =
                AssignedConsumer.open(client, "decision-loop", topics.transactions().name(), false);
        Properties props = kafka.producerProperties();
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        this.producer = new KafkaProducer<>(props);
        this.redis = new Jedis(redis.host(), redis.port());
        this.thread = new Thread(this::loop, "decision-loop");
        thread.start();
    }

    private void loop() {
        AvroSerde<Transaction> transactions = AvroSerde.of(Transaction.class);
        AvroSerde<Decision> decisions = AvroSerde.of(Decision.class);
        ArrayDeque<Pending> pending = new ArrayDeque<>();
        try {
            while (!closed) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(2))) {
                    Transaction tx =
                            transactions.deserialize(
                                    r.topic(), r.partition(), r.offset(), r.value());
                    writeFeatureRows(tx);
                    pending.add(new Pending(r.timestamp() + delayMillis, r.timestamp(), tx));
                }
                while (!pending.isEmpty()
                        && pending.peekFirst().dueMillis() <= System.currentTimeMillis()) {
                    Pending p = pending.pollFirst();
                    long seq = seq(p.tx().getTransactionId());
                    if (dropped(seq)) {
                        continue;
                    }
                    byte[] value = decisions.serialize(decision(p, seq));
                    byte[] key = p.tx().getTransactionId().getBytes(StandardCharsets.UTF_8);
                    for (int copy = duplicated(seq) ? 2 : 1; copy > 0; copy--) {
                        producer.send(new ProducerRecord<>(topics.decisions().name(), key, value));
                    }
                }
            }
        } catch (Throwable t) {
            failure.set(t);
        }
    }

    private Decision decision(Pending p, long seq) {
        Instant now = Instant.now();
        Decision.Builder d =
                TestDecisions.approvedByChampion(p.tx().getTransactionId())
                        .setEventTime(p.tx().getEventTime())
                        .setCustomerId(p.tx().getCustomerId())
                        .setChallenger(TestDecisions.score("2", 0.2))
                        .setChallengerMode(ChallengerMode.SHADOW)
                        .setLatency(
                                new LatencyBreakdown(
                                        400L,
                                        50L,
                                        30L,
                                        (now.toEpochMilli() - p.timestampMillis()) * 1_000))
                        .setEmittedAt(now);
        if (fallback(seq)) {
            d.setDecidedBy(ModelRole.FALLBACK)
                    .setDecision(DecisionOutcome.REVIEW)
                    .setBand("review")
                    .setFallbackReason("feature_missing");
        }
        return d.build();
    }

    private void writeFeatureRows(Transaction tx) {
        if (customersWritten.add(tx.getCustomerId())) {
            write(FeatureViews.CUSTOMER_SPENDING, tx.getCustomerId(), tx.getEventTime());
        }
        if (terminalsWritten.add(tx.getTerminalId())) {
            write(FeatureViews.TERMINAL_RISK, tx.getTerminalId(), tx.getEventTime());
        }
    }

    private void write(FeatureViewSpec view, String entity, Instant eventTime) {
        FeatureRow row =
                new FeatureRow(
                        view.name(),
                        entity,
                        eventTime.toEpochMilli(),
                        eventTime.toEpochMilli(),
                        new double[view.featureCount()]);
        byte[][] values = FeatureRowCodec.encodeValues(view, row);
        Map<byte[], byte[]> hash = new HashMap<>();
        for (int i = 0; i < values.length; i++) {
            hash.put(view.featureField(i), values[i]);
        }
        hash.put(view.timestampField(), ProtoTimestampCodec.encode(eventTime));
        redis.hset(view.redisKey(entity, PROJECT), hash);
    }

    static long seq(String transactionId) {
        return Long.parseLong(transactionId.substring(transactionId.lastIndexOf('-') + 1));
    }

    @Override
    public void close() throws Exception {
        closed = true;
        thread.join(10_000);
        consumer.close();
        producer.close();
        redis.close();
        if (failure.get() != null) {
            throw new AssertionError("the decision loop failed", failure.get());
        }
    }
}
