package io.vigil.scoring.functions;

import io.vigil.features.records.RejectedRecord;
import io.vigil.scoring.records.ControlEvent;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Keeps undecodable model events out of the broadcast (every subtask would see them) and sends them
 * to the dead-letter output. Undecodable labels are dropped here: the feature job, which owns the
 * labels topic, dead-letters them already.
 */
public class ControlSplitFunction extends ProcessFunction<ControlEvent, ControlEvent> {

    public static final OutputTag<RejectedRecord> REJECTED =
            new OutputTag<>("rejected-control", TypeInformation.of(RejectedRecord.class));

    private final String labelsTopic;

    public ControlSplitFunction(String labelsTopic) {
        this.labelsTopic = labelsTopic;
    }

    @Override
    public void processElement(ControlEvent event, Context ctx, Collector<ControlEvent> out) {
        if (event.rejected == null) {
            out.collect(event);
        } else if (!labelsTopic.equals(event.rejected.sourceTopic)) {
            ctx.output(REJECTED, event.rejected);
        }
    }
}
