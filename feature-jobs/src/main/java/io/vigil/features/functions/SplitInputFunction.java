package io.vigil.features.functions;

import io.vigil.features.records.InputRecord;
import io.vigil.features.records.LabelEvent;
import io.vigil.features.records.RejectedRecord;
import io.vigil.features.records.TxEvent;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Splits what a source decoded: transactions to the main output, fraud labels and undecodable
 * records to the {@link #FRAUD_LABELS} and {@link #REJECTED} side outputs. Counts rejected records
 * as {@code malformedRecords}.
 *
 * <p>Only fraud labels change terminal risk (v1 has no retraction), so other labels are counted
 * ({@code nonFraudLabels}) and dropped here, chained to the source, before the ~99 % of labels that
 * are not frauds would cross a network exchange.
 */
public class SplitInputFunction extends ProcessFunction<InputRecord, TxEvent> {

    public static final OutputTag<LabelEvent> FRAUD_LABELS =
            new OutputTag<>("fraud-labels", TypeInformation.of(LabelEvent.class));

    public static final OutputTag<RejectedRecord> REJECTED =
            new OutputTag<>("malformed", TypeInformation.of(RejectedRecord.class));

    private transient Counter malformed;
    private transient Counter nonFraud;

    @Override
    public void open(OpenContext openContext) {
        malformed = getRuntimeContext().getMetricGroup().counter("malformedRecords");
        nonFraud = getRuntimeContext().getMetricGroup().counter("nonFraudLabels");
    }

    @Override
    public void processElement(InputRecord record, Context ctx, Collector<TxEvent> out) {
        if (record.transaction != null) {
            out.collect(record.transaction);
        } else if (record.label != null) {
            if (record.label.fraud) {
                ctx.output(FRAUD_LABELS, record.label);
            } else {
                nonFraud.inc();
            }
        } else {
            malformed.inc();
            ctx.output(REJECTED, record.rejected);
        }
    }
}
