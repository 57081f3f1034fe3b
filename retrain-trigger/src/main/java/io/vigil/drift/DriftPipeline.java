package io.vigil.drift;

import io.vigil.drift.functions.DriftWindowFunction;
import io.vigil.drift.functions.SplitDecisionsFunction;
import io.vigil.drift.records.DecisionInput;
import io.vigil.drift.records.Observation;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The drift job's graph:
 *
 * <pre>
 * decisions ─► split ─► keyBy(model, version) ─► drift windows ─► drift alerts (exactly-once)
 *                └──► malformed records ─► dead letters
 * </pre>
 *
 * <p>Watermarks come from decision event times per Kafka partition, with bounded out-of-orderness
 * and idleness, so an idle partition does not hold every window open.
 */
public final class DriftPipeline {

    private DriftPipeline() {}

    /** Flink settings the job needs, whatever the cluster's defaults. */
    public static Configuration flinkConfiguration(DriftJobConfig config) {
        Configuration conf = new Configuration();
        conf.set(StateBackendOptions.STATE_BACKEND, "hashmap");
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, config.checkpointInterval());
        if (config.parallelism() > 0) {
            conf.set(CoreOptions.DEFAULT_PARALLELISM, config.parallelism());
        }
        return conf;
    }

    public static void define(
            StreamExecutionEnvironment env,
            DriftJobConfig config,
            DriftSources sources,
            DriftSinks sinks) {
        WatermarkStrategy<DecisionInput> watermarks =
                WatermarkStrategy.<DecisionInput>forBoundedOutOfOrderness(
                                config.maxOutOfOrderness())
                        .withTimestampAssigner((input, ignored) -> input.eventTimeMillis)
                        .withIdleness(config.idleTimeout());

        SingleOutputStreamOperator<Observation> observations =
                env.fromSource(sources.decisions(), watermarks, "decisions")
                        .uid("decisions-source")
                        .process(
                                new SplitDecisionsFunction(
                                        config.metricsHost(), config.metricsPort()))
                        .uid("split-decisions")
                        .name("split decisions");

        observations
                .keyBy(Observation::modelVersion, Types.TUPLE(Types.STRING, Types.STRING))
                .process(new DriftWindowFunction(config.settings()))
                .uid("drift-windows")
                .name("drift windows")
                .sinkTo(sinks.alerts())
                .uid("drift-alerts-sink")
                .name("drift alerts");

        observations
                .getSideOutput(SplitDecisionsFunction.REJECTED)
                .sinkTo(sinks.deadLetters())
                .uid("dead-letter-sink")
                .name("dead letters");
    }
}
