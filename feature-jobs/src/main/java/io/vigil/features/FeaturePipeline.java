package io.vigil.features;

import io.vigil.features.functions.CustomerSpendingFunction;
import io.vigil.features.functions.FraudLabelFunction;
import io.vigil.features.functions.SplitInputFunction;
import io.vigil.features.functions.StateSizeTracking;
import io.vigil.features.functions.TerminalRiskFunction;
import io.vigil.features.functions.TransactionDedupFunction;
import io.vigil.features.records.InputRecord;
import io.vigil.features.records.LabelEvent;
import io.vigil.features.records.RejectedRecord;
import io.vigil.features.records.TxEvent;
import io.vigil.features.records.TxFeatures;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The feature job's dataflow:
 *
 * <pre>
 * transactions ─► split ─┬─ transactions ─► dedup (by tx id) ─┬─► terminal risk ─► customer spending ─► feature log
 *                        │                                    └─ late ─► dead letter, chained
 *                        └─ malformed ─► dead letter, chained
 * labels ───────► split ─┬─ fraud labels ─► fraud labels (by tx id) ─► terminal risk (by terminal)
 *                        └─ malformed ─► dead letter, chained
 * terminal risk ─ its Feast rows + history snapshots ─► online store (Redis), chained
 * customer spending ─ its Feast rows + history snapshots ─► online store (Redis), chained
 * </pre>
 *
 * Sources decode records and assign watermarks per Kafka partition (bounded out-of-orderness on
 * event time, idleness of label partitions); everything downstream is exact in event time (see
 * {@link TerminalRiskFunction}, {@link CustomerSpendingFunction}). Every operator has a stable uid.
 */
public final class FeaturePipeline {

    private FeaturePipeline() {}

    /**
     * The Flink settings the job relies on: the chosen state backend (heap: history objects are
     * used in place; RocksDB: each access reads and writes an entity's whole history, so
     * checkpoints can be incremental), frequent watermarks and short network buffer timeouts for
     * freshness, checkpoints, no Kryo.
     */
    public static Configuration flinkConfiguration(FeatureJobConfig config) {
        Configuration conf = new Configuration();
        conf.set(StateBackendOptions.STATE_BACKEND, config.stateBackend().flinkName());
        if (config.stateBackend() == FeatureJobConfig.StateBackend.ROCKSDB) {
            conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
        }
        conf.set(PipelineOptions.AUTO_WATERMARK_INTERVAL, config.watermarkInterval());
        conf.set(ExecutionOptions.BUFFER_TIMEOUT, config.bufferTimeout());
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, config.checkpointInterval());
        if (config.parallelism() > 0) {
            conf.set(CoreOptions.DEFAULT_PARALLELISM, config.parallelism());
        }
        return conf;
    }

    /** Adds the job's operators between {@code sources} and {@code sinks} to {@code env}. */
    public static void define(
            StreamExecutionEnvironment env,
            FeatureJobConfig config,
            FeatureSources sources,
            FeatureSinks sinks) {
        WatermarkStrategy<InputRecord> transactionWatermarks =
                WatermarkStrategy.<InputRecord>forBoundedOutOfOrderness(config.maxOutOfOrderness())
                        .withTimestampAssigner((record, ignored) -> record.eventTimeMillis());
        // Only label partitions may go idle. A transactions partition marked idle would leave the
        // watermark to the partitions read before it when traffic resumes with a backlog (a
        // replay or burst after a pause, the first data after the job started), and its
        // transactions would be late; a quiet one only delays features until traffic resumes.
        WatermarkStrategy<InputRecord> labelWatermarks =
                transactionWatermarks.withIdleness(config.idleTimeout());

        // Each source has its own split, chained to it: a union in front of one split was a
        // network exchange for every record (original bytes included) and a task per subtask.
        SingleOutputStreamOperator<TxEvent> transactionSplit =
                env.fromSource(sources.transactions(), transactionWatermarks, "transactions")
                        .uid("transactions-source")
                        .process(new SplitInputFunction())
                        .uid("split-transactions")
                        .name("split transactions");
        SingleOutputStreamOperator<TxEvent> labelSplit =
                env.fromSource(sources.labels(), labelWatermarks, "labels")
                        .uid("labels-source")
                        .process(new SplitInputFunction())
                        .uid("split-labels")
                        .name("split labels");

        SingleOutputStreamOperator<TxEvent> transactions =
                transactionSplit
                        .keyBy(tx -> tx.transactionId, Types.STRING)
                        .process(new TransactionDedupFunction(config.dedupHorizon().toMillis()))
                        .uid("dedup-transactions")
                        .name("dedup transactions");

        DataStream<LabelEvent> fraudLabels =
                labelSplit
                        .getSideOutput(SplitInputFunction.FRAUD_LABELS)
                        .keyBy(label -> label.transactionId, Types.STRING)
                        .process(new FraudLabelFunction())
                        .uid("fraud-labels")
                        .name("fraud labels");

        SingleOutputStreamOperator<TxFeatures> withTerminalRisk =
                transactions
                        .keyBy(tx -> tx.terminalId, Types.STRING)
                        .connect(fraudLabels.keyBy(label -> label.terminalId, Types.STRING))
                        .transform(
                                "terminal risk",
                                TypeInformation.of(TxFeatures.class),
                                StateSizeTracking.operator(
                                        new TerminalRiskFunction(config.history())))
                        .uid("terminal-risk");

        SingleOutputStreamOperator<TxFeatures> features =
                withTerminalRisk
                        .keyBy(f -> f.tx.customerId, Types.STRING)
                        .transform(
                                "customer spending",
                                TypeInformation.of(TxFeatures.class),
                                StateSizeTracking.operator(
                                        new CustomerSpendingFunction(config.history())))
                        .uid("customer-spending");

        features.sinkTo(sinks.featureLog()).uid("feature-log-sink").name("feature log");

        // One online-store writer per view, each chained to the operator that computes the view:
        // the writes (rows and history snapshots) are handed over in memory instead of being
        // serialized through a network exchange to a shared writer.
        withTerminalRisk
                .getSideOutput(TerminalRiskFunction.ONLINE_STORE)
                .sinkTo(sinks.onlineStore())
                .uid("terminal-risk-online-store-sink")
                .name("online store: terminal_risk");
        features.getSideOutput(CustomerSpendingFunction.ONLINE_STORE)
                .sinkTo(sinks.onlineStore())
                .uid("customer-spending-online-store-sink")
                .name("online store: customer_spending");

        // Dead letters are rare: each producer of them writes its own, chained to it, rather than
        // a union with a network edge and an output flusher from each. The malformed
        // transactions' writer keeps the uid of the one writer before, whose (Kafka sink) state
        // earlier savepoints hold.
        deadLetters(
                transactionSplit.getSideOutput(SplitInputFunction.REJECTED),
                "dead-letter-sink",
                "dead letter: malformed transactions",
                sinks);
        deadLetters(
                labelSplit.getSideOutput(SplitInputFunction.REJECTED),
                "malformed-labels-dead-letter-sink",
                "dead letter: malformed labels",
                sinks);
        deadLetters(
                transactions.getSideOutput(TransactionDedupFunction.LATE),
                "late-transactions-dead-letter-sink",
                "dead letter: late transactions",
                sinks);
    }

    private static void deadLetters(
            DataStream<RejectedRecord> rejected, String uid, String name, FeatureSinks sinks) {
        rejected.sinkTo(sinks.deadLetter()).uid(uid).name(name);
    }
}
