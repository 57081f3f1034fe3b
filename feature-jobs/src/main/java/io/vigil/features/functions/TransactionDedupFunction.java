package io.vigil.features.functions;

import io.vigil.features.records.RejectedRecord;
import io.vigil.features.records.TxEvent;
import java.time.Instant;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Keyed by transaction id: passes each transaction once and rejects late ones.
 *
 * <p>A transaction id seen before is a duplicate: counted ({@code duplicateTransactions}) and
 * dropped. The id is remembered until the watermark passes the transaction's event time plus the
 * horizon. A transaction at or behind the current watermark is late: every later feature has
 * already been emitted without it, so using it would make the features depend on arrival timing. It
 * is counted ({@code lateTransactions}) and sent to {@link #LATE} with its original bytes, for the
 * dead-letter topic. A duplicate arriving after the horizon is therefore reported as late.
 */
public class TransactionDedupFunction extends KeyedProcessFunction<String, TxEvent, TxEvent> {

    public static final OutputTag<RejectedRecord> LATE =
            new OutputTag<>("late", TypeInformation.of(RejectedRecord.class));

    private final long horizonMillis;

    private transient ValueState<Boolean> seen;
    private transient Counter duplicates;
    private transient Counter late;

    public TransactionDedupFunction(long horizonMillis) {
        if (horizonMillis < 0) {
            throw new IllegalArgumentException("horizon must be >= 0, got " + horizonMillis);
        }
        this.horizonMillis = horizonMillis;
    }

    @Override
    public void open(OpenContext openContext) {
        seen = getRuntimeContext().getState(new ValueStateDescriptor<>("seen", Types.BOOLEAN));
        duplicates = getRuntimeContext().getMetricGroup().counter("duplicateTransactions");
        late = getRuntimeContext().getMetricGroup().counter("lateTransactions");
    }

    @Override
    public void processElement(TxEvent tx, Context ctx, Collector<TxEvent> out) throws Exception {
        if (seen.value() != null) {
            duplicates.inc();
            return;
        }
        long watermark = ctx.timerService().currentWatermark();
        if (tx.eventTimeMillis <= watermark) {
            late.inc();
            ctx.output(LATE, lateRecord(tx, watermark));
            return;
        }
        seen.update(true);
        ctx.timerService().registerEventTimeTimer(tx.eventTimeMillis + horizonMillis);
        out.collect(tx.withoutSource());
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<TxEvent> out) {
        seen.clear();
    }

    private static RejectedRecord lateRecord(TxEvent tx, long watermark) {
        return new RejectedRecord(
                tx.sourceTopic,
                tx.partition,
                tx.offset,
                tx.sourceKey,
                tx.sourceValue,
                "late: transaction "
                        + tx.transactionId
                        + " has event time "
                        + Instant.ofEpochMilli(tx.eventTimeMillis)
                        + ", not after the watermark "
                        + Instant.ofEpochMilli(watermark),
                null,
                System.currentTimeMillis());
    }
}
