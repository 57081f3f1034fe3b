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
 * Splits what the sources decoded: transactions to the main output, labels and undecodable records
 * to the {@link #LABELS} and {@link #REJECTED} side outputs. Counts rejected records as {@code
 * malformedRecords}.
 */
public class SplitInputFunction extends ProcessFunction<InputRecord, TxEvent> {

    public static final OutputTag<LabelEvent> LABELS =
            new OutputTag<>("labels", TypeInformation.of(LabelEvent.class));

    public static final OutputTag<RejectedRecord> REJECTED =
            new OutputTag<>("malformed", TypeInformation.of(RejectedRecord.class));

    private transient Counter malformed;

    @Override
    public void open(OpenContext openContext) {
        malformed = getRuntimeContext().getMetricGroup().counter("malformedRecords");
    }

    @Override
    public void processElement(InputRecord record, Context ctx, Collector<TxEvent> out) {
        if (record.transaction != null) {
            out.collect(record.transaction);
        } else if (record.label != null) {
            ctx.output(LABELS, record.label);
        } else {
            malformed.inc();
            ctx.output(REJECTED, record.rejected);
        }
    }
}
