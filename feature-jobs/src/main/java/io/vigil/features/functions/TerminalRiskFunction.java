package io.vigil.features.functions;

import io.vigil.features.FeatureDefinitions;
import io.vigil.features.records.LabelEvent;
import io.vigil.features.records.OnlineStoreWrite;
import io.vigil.features.records.TxEvent;
import io.vigil.features.records.TxFeatures;
import io.vigil.features.state.HistoryConfig;
import io.vigil.features.state.SlidingWindowHistory;
import io.vigil.features.state.SlidingWindowHistorySerializer;
import io.vigil.schemas.feast.FeatureRow;
import io.vigil.schemas.feast.FeatureViews;
import java.util.List;
import java.util.Objects;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Keyed by terminal id: the {@code terminal_risk} features of each transaction, exactly, in event
 * time.
 *
 * <p>Transactions and fraud labels are buffered until the watermark passes their event time (a
 * label's is its {@code label_time}), then applied in event-time order, labels before transactions
 * at equal times, so "a fraud counts once its label has arrived (label_time ≤ t)" holds whatever
 * order Kafka delivered them in. For a transaction at t the features come from the terminal's
 * {@link SlidingWindowHistory} with windows {@code (t − d − w, t − d]}; the transaction is then
 * recorded. A label adds one fraud to the bucket of its transaction's event time if the terminal
 * still holds it ({@code labelsJoined}); otherwise, the transaction being unknown or older than
 * every window and the history margin, it is ignored ({@code labelsIgnored}). A label behind the
 * watermark cannot be placed in the past and is applied at once ({@code lateLabels}): it then
 * counts from the current watermark on instead of its own time.
 *
 * <p>Emits each transaction with its terminal features, and to {@link #ONLINE_STORE} one write per
 * terminal and timer that changed its history: the Feast row of the timer's time when transactions
 * were recorded (all transactions at one time share the terminal's values), and always the
 * terminal's history snapshot as of that time (transaction counts, applied frauds), so labels alone
 * give a history-only write. A late label gives a history-only write as of the current watermark.
 * The history is dropped d + 30 days + the history margin after the terminal's last transaction,
 * when no window or snapshot can reach it.
 */
public class TerminalRiskFunction
        extends KeyedCoProcessFunction<String, TxEvent, LabelEvent, TxFeatures>
        implements StateSizeTracking.Tracked {

    public static final OutputTag<OnlineStoreWrite> ONLINE_STORE =
            new OutputTag<>("terminal-risk-rows", TypeInformation.of(OnlineStoreWrite.class));

    private static final long RETENTION_MILLIS = FeatureDefinitions.TERMINAL_RETENTION_MILLIS;

    private final HistoryConfig historyConfig;

    private transient ValueState<SlidingWindowHistory> history;
    private transient MapState<Long, List<TxEvent>> pendingTransactions;
    private transient MapState<Long, List<LabelEvent>> pendingLabels;
    private transient Counter labelsJoined;
    private transient Counter labelsIgnored;
    private transient Counter lateLabels;
    private transient long terminals;
    private transient long bufferedTransactions;
    private transient long bufferedLabels;

    public TerminalRiskFunction(HistoryConfig historyConfig) {
        this.historyConfig = Objects.requireNonNull(historyConfig, "historyConfig");
    }

    @Override
    public void open(OpenContext openContext) {
        history = getRuntimeContext().getState(historyDescriptor());
        pendingTransactions = getRuntimeContext().getMapState(pendingTransactionsDescriptor());
        pendingLabels = getRuntimeContext().getMapState(pendingLabelsDescriptor());
        MetricGroup metrics = getRuntimeContext().getMetricGroup();
        labelsJoined = metrics.counter("labelsJoined");
        labelsIgnored = metrics.counter("labelsIgnored");
        lateLabels = metrics.counter("lateLabels");
        metrics.<Long, Gauge<Long>>gauge("terminals", () -> terminals);
        metrics.<Long, Gauge<Long>>gauge("bufferedTransactions", () -> bufferedTransactions);
        metrics.<Long, Gauge<Long>>gauge("bufferedLabels", () -> bufferedLabels);
    }

    @Override
    public void recount(KeyedStateBackend<String> backend) throws Exception {
        terminals = StateSizeTracking.countKeys(backend, historyDescriptor().getName());
        bufferedTransactions =
                StateSizeTracking.countPending(backend, pendingTransactionsDescriptor());
        bufferedLabels = StateSizeTracking.countPending(backend, pendingLabelsDescriptor());
    }

    private static ValueStateDescriptor<SlidingWindowHistory> historyDescriptor() {
        return new ValueStateDescriptor<>("history", SlidingWindowHistorySerializer.INSTANCE);
    }

    private static MapStateDescriptor<Long, List<TxEvent>> pendingTransactionsDescriptor() {
        return new MapStateDescriptor<>(
                "pendingTransactions", Types.LONG, Types.LIST(Types.POJO(TxEvent.class)));
    }

    private static MapStateDescriptor<Long, List<LabelEvent>> pendingLabelsDescriptor() {
        return new MapStateDescriptor<>(
                "pendingLabels", Types.LONG, Types.LIST(Types.POJO(LabelEvent.class)));
    }

    @Override
    public void processElement1(TxEvent tx, Context ctx, Collector<TxFeatures> out)
            throws Exception {
        PendingEvents.add(pendingTransactions, tx.eventTimeMillis, tx);
        bufferedTransactions++;
        ctx.timerService().registerEventTimeTimer(tx.eventTimeMillis);
    }

    @Override
    public void processElement2(LabelEvent label, Context ctx, Collector<TxFeatures> out)
            throws Exception {
        long watermark = ctx.timerService().currentWatermark();
        if (label.labelTimeMillis <= watermark) {
            lateLabels.inc();
            SlidingWindowHistory h = history.value();
            if (apply(h, label)) {
                history.update(h);
                ctx.output(ONLINE_STORE, write(ctx.getCurrentKey(), null, h, watermark));
            }
            return;
        }
        PendingEvents.add(pendingLabels, label.labelTimeMillis, label);
        bufferedLabels++;
        ctx.timerService().registerEventTimeTimer(label.labelTimeMillis);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<TxFeatures> out)
            throws Exception {
        SlidingWindowHistory h = history.value();
        boolean labelled = false;
        List<LabelEvent> labels = PendingEvents.take(pendingLabels, timestamp);
        if (labels != null) {
            bufferedLabels -= labels.size();
            for (LabelEvent label : labels) {
                labelled |= apply(h, label);
            }
        }
        List<TxEvent> txs = PendingEvents.take(pendingTransactions, timestamp);
        FeatureRow row = null;
        if (txs != null) {
            bufferedTransactions -= txs.size();
            if (h == null) {
                h = SlidingWindowHistory.create(FeatureDefinitions.WINDOW_MILLIS.length);
                terminals++;
            }
            row = emit(h, timestamp, txs, ctx, out);
        }
        boolean changed = row != null || labelled;
        if (changed) {
            ctx.output(ONLINE_STORE, write(ctx.getCurrentKey(), row, h, timestamp));
        }
        if (HistoryExpiry.onTimer(
                history,
                h,
                changed,
                timestamp,
                RETENTION_MILLIS + historyConfig.marginMillis(),
                ctx.timerService())) {
            terminals--;
        }
    }

    /** Adds a fraud label to its transaction's bucket; true if the terminal holds that bucket. */
    private boolean apply(SlidingWindowHistory h, LabelEvent label) {
        if (h != null && h.addValueAt(label.txEventTimeMillis, 1)) {
            labelsJoined.inc();
            return true;
        }
        labelsIgnored.inc();
        return false;
    }

    /** The Feast row (if any) with the terminal's history snapshot as of {@code asOf}. */
    private OnlineStoreWrite write(
            String terminal, FeatureRow row, SlidingWindowHistory h, long asOf) {
        byte[] snapshot = HistorySnapshots.encode(h, asOf, RETENTION_MILLIS, historyConfig);
        return new OnlineStoreWrite(
                FeatureViews.TERMINAL_RISK.name(), terminal, row, asOf, snapshot);
    }

    /** Features of the transactions at {@code time}, then records them; returns the Feast row. */
    private FeatureRow emit(
            SlidingWindowHistory h,
            long time,
            List<TxEvent> txs,
            OnTimerContext ctx,
            Collector<TxFeatures> out) {
        h.advanceTo(
                time,
                FeatureDefinitions.TERMINAL_DELAY_MILLIS,
                FeatureDefinitions.WINDOW_MILLIS,
                historyConfig.marginMillis());
        double[] risk = FeatureDefinitions.terminalRisk(h);
        txs.sort(TxEvent.EVENT_ORDER);
        for (TxEvent tx : txs) {
            h.record(time, 0);
            out.collect(new TxFeatures(tx, risk.clone()));
        }
        HistoryExpiry.schedule(
                h, time, RETENTION_MILLIS + historyConfig.marginMillis(), ctx.timerService());
        TxEvent last = txs.get(txs.size() - 1);
        return new FeatureRow(
                FeatureViews.TERMINAL_RISK.name(),
                ctx.getCurrentKey(),
                time,
                last.ingestTimeMillis,
                risk);
    }
}
