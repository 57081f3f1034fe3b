package io.vigil.scoring.functions;

import io.vigil.features.records.RejectedRecord;
import io.vigil.scoring.metrics.ScoringMetrics;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;

/**
 * Counts each record on its way to the dead-letter topic as {@code vigil_dead_letter_total}, with
 * reason {@code malformed_<source topic>} (dots as underscores; the full reason text is in the dead
 * letter itself).
 */
public class DeadLetterCountFunction extends RichMapFunction<RejectedRecord, RejectedRecord> {

    private final String metricsHost;
    private final int metricsPort;
    private transient ScoringMetrics metrics;

    public DeadLetterCountFunction(String metricsHost, int metricsPort) {
        this.metricsHost = metricsHost;
        this.metricsPort = metricsPort;
    }

    @Override
    public void open(OpenContext openContext) {
        metrics = ScoringMetrics.acquire(metricsHost, metricsPort);
    }

    @Override
    public void close() {
        if (metrics != null) {
            ScoringMetrics.release(metrics);
        }
    }

    @Override
    public RejectedRecord map(RejectedRecord rejected) {
        metrics.deadLetters
                .labelValues("malformed_" + rejected.sourceTopic.replace('.', '_'))
                .inc();
        return rejected;
    }
}
