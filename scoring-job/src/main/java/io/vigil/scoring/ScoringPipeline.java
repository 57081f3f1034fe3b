package io.vigil.scoring;

import io.vigil.features.functions.SplitInputFunction;
import io.vigil.features.records.InputRecord;
import io.vigil.features.records.RejectedRecord;
import io.vigil.features.records.TxEvent;
import io.vigil.scoring.functions.ControlSplitFunction;
import io.vigil.scoring.functions.DeadLetterCountFunction;
import io.vigil.scoring.functions.FeatureLookupFunction;
import io.vigil.scoring.functions.RecentTransactionsFunction;
import io.vigil.scoring.functions.ScoringFunction;
import io.vigil.scoring.records.ControlEvent;
import io.vigil.scoring.records.KeyedRecord;
import io.vigil.scoring.records.ScoringRequest;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The scoring job's graph:
 *
 * <pre>
 * transactions ─► split ─► keyBy(customer) ─► recent transactions ─► Redis lookup (async) ─┐
 *                                                                                           ▼
 * model events + labels (one source) ─► split ─► broadcast ─────────────────────────────► scoring ─► decisions
 *                                                                                           └──► model events
 * malformed records of each split ─► dead letters (chained to the split)
 * </pre>
 *
 * <p>Transactions are scored in arrival order without watermarks: nothing waits for event time.
 */
public final class ScoringPipeline {

    private ScoringPipeline() {}

    /** Flink settings the job needs, whatever the cluster's defaults. */
    public static Configuration flinkConfiguration(ScoringJobConfig config) {
        Configuration conf = new Configuration();
        conf.set(StateBackendOptions.STATE_BACKEND, "hashmap");
        conf.set(ExecutionOptions.BUFFER_TIMEOUT, config.bufferTimeout());
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, config.checkpointInterval());
        if (config.parallelism() > 0) {
            conf.set(CoreOptions.DEFAULT_PARALLELISM, config.parallelism());
        }
        return conf;
    }

    public static void define(
            StreamExecutionEnvironment env,
            ScoringJobConfig config,
            ScoringSources sources,
            ScoringSinks sinks) {
        SingleOutputStreamOperator<TxEvent> transactions =
                env.fromSource(
                                sources.transactions(),
                                WatermarkStrategy.<InputRecord>noWatermarks(),
                                "transactions")
                        .uid("transactions-source")
                        .process(new SplitInputFunction())
                        .uid("split-transactions")
                        .name("split transactions");

        SingleOutputStreamOperator<ScoringRequest> requests =
                transactions
                        .map(TxEvent::withoutSource)
                        .returns(TypeInformation.of(TxEvent.class))
                        .name("drop source bytes")
                        .keyBy(tx -> tx.customerId)
                        .process(
                                new RecentTransactionsFunction(
                                        config.recentHorizon().toMillis(),
                                        config.recentMaxTransactions()))
                        .uid("recent-transactions")
                        .name("recent transactions");

        SingleOutputStreamOperator<ScoringRequest> withHistories =
                AsyncDataStream.unorderedWait(
                                requests,
                                new FeatureLookupFunction(
                                        config.redis(), config.metricsHost(), config.metricsPort()),
                                config.asyncTimeout().toMillis(),
                                TimeUnit.MILLISECONDS,
                                config.asyncCapacity())
                        .uid("feature-lookup")
                        .name("Redis history lookup");

        SingleOutputStreamOperator<ControlEvent> control =
                env.fromSource(
                                sources.control(),
                                WatermarkStrategy.<ControlEvent>noWatermarks(),
                                "model events and labels")
                        .uid("control-source")
                        .process(new ControlSplitFunction(config.topics().labels()))
                        .uid("split-control")
                        .name("split model events and labels");
        BroadcastStream<ControlEvent> broadcast =
                control.broadcast(ScoringFunction.ASSIGNMENTS, ScoringFunction.FRAUD_LABELS);

        SingleOutputStreamOperator<KeyedRecord> decisions =
                withHistories
                        .connect(broadcast)
                        .process(new ScoringFunction(config.settings()))
                        .uid("scoring")
                        .name("champion and challenger scoring");
        decisions.sinkTo(sinks.decisions()).uid("decisions-sink").name("decisions");
        decisions
                .getSideOutput(ScoringFunction.MODEL_EVENTS)
                .sinkTo(sinks.modelEvents())
                .uid("model-events-sink")
                .name("model events");

        deadLetters(transactions.getSideOutput(SplitInputFunction.REJECTED), "", config, sinks);
        deadLetters(
                control.getSideOutput(ControlSplitFunction.REJECTED), "control-", config, sinks);
    }

    /**
     * Counts and writes the rejected records of one split, chained to it: a union of both splits'
     * rejects was a network edge from each, with an output flusher waking every buffer timeout for
     * records that are rare.
     */
    private static void deadLetters(
            DataStream<RejectedRecord> rejected,
            String prefix,
            ScoringJobConfig config,
            ScoringSinks sinks) {
        String names = prefix.replace('-', ' ');
        rejected.map(new DeadLetterCountFunction(config.metricsHost(), config.metricsPort()))
                .uid(prefix + "count-dead-letters")
                .name("count " + names + "dead letters")
                .sinkTo(sinks.deadLetters())
                .uid(prefix + "dead-letter-sink")
                .name(names + "dead letters");
    }
}
