package io.vigil.features;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.testkit.FlinkMiniCluster;
import io.vigil.testkit.KafkaExtension;
import io.vigil.testkit.RedisExtension;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimitedSourceReader;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.connector.sink2.SupportsPreWriteTopology;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.RedisClient;

/**
 * An upgrade through a savepoint: the job runs on part of the input and is stopped with a savepoint
 * (canonical format, no drain, so transactions still waiting for the watermark stay in state); then
 * a changed job graph restores it and processes the rest. The change is one that breaks a restore
 * without explicit uids, because generated operator ids hash the chaining: operator chaining is off
 * and a new stateless operator runs in front of the online store's writer. The restored job also
 * moves from the heap state backend to RocksDB, as a deployment that outgrows the heap would
 * (canonical savepoints do not depend on the backend). The feature log (exactly once: nothing
 * missing or repeated across the runs) and Redis must equal the batch computation, which {@link
 * FeaturePipelineITCase} shows an uninterrupted run produces.
 *
 * <p>Both runs read the same bounded input (the stopping offsets are part of the savepoint). A
 * bounded {@code KafkaSource} restored from a savepoint reads to its stopping offsets but never
 * finishes (FLINK-31006, the restored enumerator never signals "no more splits"), so the second run
 * wraps its sources in one that does.
 */
class FeatureJobSavepointITCase {

    @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();
    @RegisterExtension static final RedisExtension REDIS = new RedisExtension();
    @RegisterExtension static final MiniClusterExtension FLINK = FlinkMiniCluster.extension();

    private static final int TRANSACTIONS = 20_000;

    /** Records per second of each source before the savepoint: slow enough to stop mid-stream. */
    private static final double THROTTLE = 4_000;

    /**
     * Customers (of 1,000) in Redis before the savepoint is taken: the last operator is then
     * running and part of the input is processed.
     */
    private static final int CUSTOMERS_BEFORE_SAVEPOINT = 300;

    private static final String AUDIT = "audit";

    @TempDir Path savepoints;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aChangedJobRestoredFromASavepointGivesTheSameFeatures() throws Exception {
        FeatureJobFixture run = new FeatureJobFixture(KAFKA, REDIS);
        run.produce(TRANSACTIONS, FeatureJobFixture.Extras.NONE);
        FeatureJobConfig config = run.config();

        String savepoint = runPartAndStopWithSavepoint(config);
        int beforeSavepoint =
                KAFKA.readAll(config.featuresTopic(), TRANSACTIONS, Duration.ofSeconds(5)).size();
        assertThat(beforeSavepoint)
                .as("feature vectors committed before the savepoint")
                .isBetween(1, TRANSACTIONS - 1);

        Configuration restore = new Configuration();
        restore.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        config = run.config("--state-backend", "rocksdb");
        StreamExecutionEnvironment env = FeatureJobFixture.environment(config, restore);
        env.disableOperatorChaining();
        FeatureSources kafka = FeatureSources.kafka(config);
        FeatureSinks sinks = FeatureSinks.kafkaAndRedis(config);
        FeaturePipeline.define(
                env,
                config,
                new FeatureSources(
                        new EndingAfterRestoreSource<>(kafka.transactions()),
                        new EndingAfterRestoreSource<>(kafka.labels())),
                new FeatureSinks(
                        sinks.featureLog(),
                        new AuditedSink<>(sinks.onlineStore()),
                        sinks.deadLetter()));
        StreamGraph changed = env.getStreamGraph(false);
        assertThat(changed.getSavepointRestoreSettings().getRestorePath()).isEqualTo(savepoint);
        assertThat(changed.getSavepointRestoreSettings().allowNonRestoredState()).isFalse();
        assertThat(changed.isChainingEnabled()).isFalse();
        assertThat(changed.getJobConfiguration().get(StateBackendOptions.STATE_BACKEND))
                .isEqualTo("rocksdb");
        assertThat(changed.getStreamNodes())
                .anyMatch(node -> node.getOperatorName().endsWith(AUDIT));
        changed.setJobName("feature job after the change");
        env.execute(changed);

        assertThat(run.featureLogMismatches()).as("feature log vs batch computation").isEmpty();
        assertThat(run.redisMismatches()).as("Redis vs batch computation").isEmpty();
    }

    /** Runs the unchanged job on throttled sources until Redis has some rows, then stops it. */
    private String runPartAndStopWithSavepoint(FeatureJobConfig config) throws Exception {
        StreamExecutionEnvironment env = FeatureJobFixture.environment(config, new Configuration());
        FeatureSources kafka = FeatureSources.kafka(config);
        FeaturePipeline.define(
                env,
                config,
                new FeatureSources(throttled(kafka.transactions()), throttled(kafka.labels())),
                FeatureSinks.kafkaAndRedis(config));
        JobClient job = env.executeAsync("feature job before the change");
        try (RedisClient redis = RedisClient.create(REDIS.host(), REDIS.port())) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (customerRows(redis) < CUSTOMERS_BEFORE_SAVEPOINT
                    && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(customerRows(redis))
                    .as("customers in Redis before the savepoint")
                    .isPositive();
        }
        String savepoint =
                job.stopWithSavepoint(
                                false, savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
                        .get(60, TimeUnit.SECONDS);
        job.getJobExecutionResult().get(60, TimeUnit.SECONDS);
        return savepoint;
    }

    /** Entity keys hold the join key name in clear. */
    private static int customerRows(RedisClient redis) {
        return redis.keys("*customer_id*").size();
    }

    private static <T, S extends SourceSplit, E> Source<T, S, E> throttled(Source<T, S, E> source) {
        return new ThrottledSource<>(source, THROTTLE);
    }

    /** A source read at a limited rate. */
    private static final class ThrottledSource<T, S extends SourceSplit, E>
            extends ForwardingSource<T, S, E> {
        private final double recordsPerSecond;

        ThrottledSource(Source<T, S, E> delegate, double recordsPerSecond) {
            super(delegate);
            this.recordsPerSecond = recordsPerSecond;
        }

        @Override
        public SourceReader<T, S> createReader(SourceReaderContext context) throws Exception {
            RateLimiterStrategy<S> strategy = RateLimiterStrategy.perSecond(recordsPerSecond);
            return new RateLimitedSourceReader<>(
                    delegate.createReader(context),
                    strategy.createRateLimiter(context.currentParallelism()));
        }
    }

    /**
     * A bounded source that ends after a restore: its enumerator tells every reader that no more
     * splits will come, which the restored Kafka enumerator omits (FLINK-31006). Right for a
     * bounded source whose partitions were all assigned before the savepoint.
     */
    private static final class EndingAfterRestoreSource<T, S extends SourceSplit, E>
            extends ForwardingSource<T, S, E> {

        EndingAfterRestoreSource(Source<T, S, E> delegate) {
            super(delegate);
        }

        @Override
        public SplitEnumerator<S, E> restoreEnumerator(
                SplitEnumeratorContext<S> context, E checkpoint) throws Exception {
            return new EndingEnumerator<>(delegate.restoreEnumerator(context, checkpoint), context);
        }
    }

    private static final class EndingEnumerator<S extends SourceSplit, E>
            implements SplitEnumerator<S, E> {
        private final SplitEnumerator<S, E> delegate;
        private final SplitEnumeratorContext<S> context;

        EndingEnumerator(SplitEnumerator<S, E> delegate, SplitEnumeratorContext<S> context) {
            this.delegate = delegate;
            this.context = context;
        }

        @Override
        public void start() {
            delegate.start();
        }

        @Override
        public void handleSplitRequest(int subtask, String hostname) {
            delegate.handleSplitRequest(subtask, hostname);
        }

        @Override
        public void addSplitsBack(List<S> splits, int subtask) {
            delegate.addSplitsBack(splits, subtask);
        }

        @Override
        public void addReader(int subtask) {
            delegate.addReader(subtask);
            context.signalNoMoreSplits(subtask);
        }

        @Override
        public E snapshotState(long checkpointId) throws Exception {
            return delegate.snapshotState(checkpointId);
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) throws Exception {
            delegate.notifyCheckpointComplete(checkpointId);
        }

        @Override
        public void close() throws IOException {
            delegate.close();
        }
    }

    /** The code change: a sink that runs a new stateless operator in front of its writer. */
    private static final class AuditedSink<T> implements Sink<T>, SupportsPreWriteTopology<T> {
        private final Sink<T> delegate;

        AuditedSink(Sink<T> delegate) {
            this.delegate = delegate;
        }

        @Override
        public SinkWriter<T> createWriter(WriterInitContext context) throws IOException {
            return delegate.createWriter(context);
        }

        @Override
        public DataStream<T> addPreWriteTopology(DataStream<T> input) {
            return input.map(row -> row).returns(input.getType()).name(AUDIT);
        }
    }
}
