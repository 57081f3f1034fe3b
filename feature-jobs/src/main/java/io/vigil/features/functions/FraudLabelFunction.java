package io.vigil.features.functions;

import io.vigil.features.FeatureDefinitions;
import io.vigil.features.records.LabelEvent;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by transaction id: passes the first fraud label of each transaction ({@link
 * SplitInputFunction} passes fraud labels only).
 *
 * <p>A second fraud label for the same transaction, e.g. a chargeback after an analyst's verdict,
 * would count the fraud twice: it is counted ({@code duplicateLabels}) and dropped. The id is
 * remembered until the watermark passes the time when the transaction leaves every terminal window
 * (tx time + d + 30 days); later labels are ignored by the terminal anyway.
 */
public class FraudLabelFunction extends KeyedProcessFunction<String, LabelEvent, LabelEvent> {

    private transient ValueState<Boolean> seen;
    private transient Counter duplicates;

    @Override
    public void open(OpenContext openContext) {
        seen = getRuntimeContext().getState(new ValueStateDescriptor<>("seen", Types.BOOLEAN));
        duplicates = getRuntimeContext().getMetricGroup().counter("duplicateLabels");
    }

    @Override
    public void processElement(LabelEvent label, Context ctx, Collector<LabelEvent> out)
            throws Exception {
        if (seen.value() != null) {
            duplicates.inc();
            return;
        }
        seen.update(true);
        ctx.timerService()
                .registerEventTimeTimer(
                        label.txEventTimeMillis + FeatureDefinitions.TERMINAL_RETENTION_MILLIS);
        out.collect(label);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<LabelEvent> out) {
        seen.clear();
    }
}
