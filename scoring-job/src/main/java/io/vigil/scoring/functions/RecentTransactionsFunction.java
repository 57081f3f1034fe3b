package io.vigil.scoring.functions;

import io.vigil.features.records.TxEvent;
import io.vigil.scoring.features.RecentTransactions;
import io.vigil.scoring.records.ScoringRequest;
import java.util.Arrays;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by customer id: remembers the customer's transactions of the last {@code horizon} of event
 * time and turns each transaction into a {@link ScoringRequest} carrying them (up to and including
 * itself), so scoring can count the transactions the feature job has not written to Redis yet.
 *
 * <p>Arrival order is the order the job saw them, which for one customer is the order they were
 * produced (the topic is keyed by customer id). A customer's state is dropped once the job has not
 * seen a transaction of it for {@code horizon} of processing time; by then the feature job has
 * written its history to Redis (its lag is far below the horizon), so nothing is lost.
 */
public class RecentTransactionsFunction
        extends KeyedProcessFunction<String, TxEvent, ScoringRequest> {

    private final long horizonMillis;
    private final int maxEntries;
    private transient ValueState<RecentTransactions> recent;

    public RecentTransactionsFunction(long horizonMillis, int maxEntries) {
        this.horizonMillis = horizonMillis;
        this.maxEntries = maxEntries;
    }

    @Override
    public void open(OpenContext openContext) {
        recent =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        "recent-transactions",
                                        Types.POJO(RecentTransactions.class)));
    }

    @Override
    public void processElement(TxEvent tx, Context ctx, Collector<ScoringRequest> out)
            throws Exception {
        long now = ctx.timerService().currentProcessingTime();
        RecentTransactions history = recent.value();
        if (history == null) {
            history = new RecentTransactions();
            // One timer per idle period: re-armed from the timer when the customer was active.
            ctx.timerService().registerProcessingTimeTimer(now + horizonMillis);
        }
        history.add(tx.eventTimeMillis, tx.amountMinorUnits, horizonMillis, maxEntries);
        history.lastSeenMillis = now;
        recent.update(history);

        int upTo = history.size();
        while (upTo > 0 && history.times[upTo - 1] > tx.eventTimeMillis) {
            upTo--;
        }
        ScoringRequest req = new ScoringRequest();
        req.transactionId = tx.transactionId;
        req.customerId = tx.customerId;
        req.terminalId = tx.terminalId;
        req.eventTimeMillis = tx.eventTimeMillis;
        req.amountMinorUnits = tx.amountMinorUnits;
        req.producedAtMillis = tx.ingestTimeMillis;
        req.receivedAtMillis = System.currentTimeMillis();
        req.recentTimes = Arrays.copyOf(history.times, upTo);
        req.recentAmounts = Arrays.copyOf(history.amounts, upTo);
        req.recentCompleteAfterMillis = history.completeAfterMillis;
        out.collect(req);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ScoringRequest> out)
            throws Exception {
        RecentTransactions history = recent.value();
        if (history != null && history.lastSeenMillis + horizonMillis > timestamp) {
            ctx.timerService().registerProcessingTimeTimer(history.lastSeenMillis + horizonMillis);
            return;
        }
        recent.clear();
    }
}
