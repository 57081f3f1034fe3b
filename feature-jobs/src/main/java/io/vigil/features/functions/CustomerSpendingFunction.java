package io.vigil.features.functions;

import io.vigil.features.FeatureDefinitions;
import io.vigil.features.records.OnlineStoreWrite;
import io.vigil.features.records.TxEvent;
import io.vigil.features.records.TxFeatures;
import io.vigil.features.state.HistoryConfig;
import io.vigil.features.state.SlidingWindowHistory;
import io.vigil.features.state.SlidingWindowHistorySerializer;
import io.vigil.schemas.feast.FeatureRow;
import io.vigil.schemas.feast.FeatureViews;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Keyed by customer id: the {@code customer_spending} features of each transaction, exactly, in
 * event time, completing its feature vector.
 *
 * <p>Transactions arrive from the terminal operator when the watermark passed their event time
 * there; they are buffered again until this operator's watermark passes it (the same watermark,
 * forwarded after the upstream timers fired, so the delay is one hop). Transactions of one time are
 * then sorted by arrival order (Kafka partition, offset), because the shuffle from the terminals
 * interleaves them, and recorded one by one into the customer's {@link SlidingWindowHistory} with
 * windows {@code (t − w, t]}: each transaction's features include itself and the earlier-arrived
 * transactions of the same millisecond, not the later ones.
 *
 * <p>Emits every transaction with its full vector, and to {@link #ONLINE_STORE} one write per
 * customer and distinct event time: the Feast row holding the state after the last of them, and the
 * customer's history snapshot as of that time (counts, amounts in minor units). The history is
 * dropped 30 days + the history margin after the customer's last transaction.
 */
public class CustomerSpendingFunction extends KeyedProcessFunction<String, TxFeatures, TxFeatures>
        implements StateSizeTracking.Tracked {

    public static final OutputTag<OnlineStoreWrite> ONLINE_STORE =
            new OutputTag<>("customer-spending-rows", TypeInformation.of(OnlineStoreWrite.class));

    private static final long RETENTION_MILLIS = FeatureDefinitions.CUSTOMER_RETENTION_MILLIS;

    private static final Comparator<TxFeatures> EVENT_ORDER =
            Comparator.comparing(f -> f.tx, TxEvent.EVENT_ORDER);

    private transient ValueState<SlidingWindowHistory> history;
    private transient MapState<Long, List<TxFeatures>> pending;
    private transient long customers;
    private transient long bufferedTransactions;

    private final HistoryConfig historyConfig;

    public CustomerSpendingFunction(HistoryConfig historyConfig) {
        this.historyConfig = Objects.requireNonNull(historyConfig, "historyConfig");
    }

    @Override
    public void open(OpenContext openContext) {
        history = getRuntimeContext().getState(historyDescriptor());
        pending = getRuntimeContext().getMapState(pendingDescriptor());
        MetricGroup metrics = getRuntimeContext().getMetricGroup();
        metrics.<Long, Gauge<Long>>gauge("customers", () -> customers);
        metrics.<Long, Gauge<Long>>gauge("bufferedTransactions", () -> bufferedTransactions);
    }

    @Override
    public void recount(KeyedStateBackend<String> backend) throws Exception {
        customers = StateSizeTracking.countKeys(backend, historyDescriptor().getName());
        bufferedTransactions = StateSizeTracking.countPending(backend, pendingDescriptor());
    }

    private static ValueStateDescriptor<SlidingWindowHistory> historyDescriptor() {
        return new ValueStateDescriptor<>("history", SlidingWindowHistorySerializer.INSTANCE);
    }

    private static MapStateDescriptor<Long, List<TxFeatures>> pendingDescriptor() {
        return new MapStateDescriptor<>(
                "pendingTransactions", Types.LONG, Types.LIST(Types.POJO(TxFeatures.class)));
    }

    @Override
    public void processElement(TxFeatures features, Context ctx, Collector<TxFeatures> out)
            throws Exception {
        PendingEvents.add(pending, features.tx.eventTimeMillis, features);
        bufferedTransactions++;
        ctx.timerService().registerEventTimeTimer(features.tx.eventTimeMillis);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<TxFeatures> out)
            throws Exception {
        SlidingWindowHistory h = history.value();
        boolean changed = false;
        List<TxFeatures> ready = PendingEvents.take(pending, timestamp);
        if (ready != null) {
            bufferedTransactions -= ready.size();
            if (h == null) {
                h = SlidingWindowHistory.create(FeatureDefinitions.WINDOW_MILLIS.length);
                customers++;
            }
            emit(h, timestamp, ready, ctx, out);
            changed = true;
        }
        if (HistoryExpiry.onTimer(
                history,
                h,
                changed,
                timestamp,
                RETENTION_MILLIS + historyConfig.marginMillis(),
                ctx.timerService())) {
            customers--;
        }
    }

    private void emit(
            SlidingWindowHistory h,
            long time,
            List<TxFeatures> ready,
            OnTimerContext ctx,
            Collector<TxFeatures> out) {
        ready.sort(EVENT_ORDER);
        double[] spending = null;
        for (TxFeatures features : ready) {
            h.record(time, features.tx.amountMinorUnits);
            h.advanceTo(time, 0, FeatureDefinitions.WINDOW_MILLIS, historyConfig.marginMillis());
            spending = FeatureDefinitions.customerSpending(h);
            features.customerSpending = spending;
            out.collect(features);
        }
        TxEvent last = ready.get(ready.size() - 1).tx;
        String customer = ctx.getCurrentKey();
        String view = FeatureViews.CUSTOMER_SPENDING.name();
        ctx.output(
                ONLINE_STORE,
                new OnlineStoreWrite(
                        view,
                        customer,
                        new FeatureRow(view, customer, time, last.ingestTimeMillis, spending),
                        time,
                        HistorySnapshots.encode(h, time, RETENTION_MILLIS, historyConfig)));
        HistoryExpiry.schedule(
                h, time, RETENTION_MILLIS + historyConfig.marginMillis(), ctx.timerService());
    }
}
