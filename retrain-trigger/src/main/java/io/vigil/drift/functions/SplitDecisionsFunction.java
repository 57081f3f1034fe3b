package io.vigil.drift.functions;

import io.vigil.drift.metrics.DriftMetrics;
import io.vigil.drift.records.DecisionInput;
import io.vigil.drift.records.Observation;
import io.vigil.features.records.RejectedRecord;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Splits what the source decoded: each decision's observations to the main output, undecodable
 * records to {@link #REJECTED}, counted as {@code vigil_dead_letter_total{reason="malformed_<source
 * topic>"}} (dots as underscores; the full reason is in the dead letter). A decision naming no
 * model version is counted as {@code vigil_drift_unattributed_decisions_total}.
 */
public class SplitDecisionsFunction extends ProcessFunction<DecisionInput, Observation> {

    public static final OutputTag<RejectedRecord> REJECTED =
            new OutputTag<>("malformed", TypeInformation.of(RejectedRecord.class));

    private final String metricsHost;
    private final int metricsPort;
    private transient DriftMetrics metrics;

    public SplitDecisionsFunction(String metricsHost, int metricsPort) {
        this.metricsHost = metricsHost;
        this.metricsPort = metricsPort;
    }

    @Override
    public void open(OpenContext openContext) {
        metrics = DriftMetrics.acquire(metricsHost, metricsPort);
    }

    @Override
    public void close() {
        if (metrics != null) {
            DriftMetrics.release(metrics);
        }
    }

    @Override
    public void processElement(DecisionInput input, Context ctx, Collector<Observation> out) {
        if (input.rejected != null) {
            metrics.deadLetters
                    .labelValues("malformed_" + input.rejected.sourceTopic.replace('.', '_'))
                    .inc();
            ctx.output(REJECTED, input.rejected);
            return;
        }
        if (input.observations.length == 0) {
            metrics.unattributedDecisions.inc();
        }
        for (Observation observation : input.observations) {
            out.collect(observation);
        }
    }
}
