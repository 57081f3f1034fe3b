package io.vigil.features.functions;

import static io.vigil.features.functions.TestEvents.DAY;
import static io.vigil.features.functions.TestEvents.T0;
import static io.vigil.features.functions.TestEvents.fraudLabel;
import static io.vigil.features.functions.TestEvents.tx;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.features.records.LabelEvent;
import io.vigil.features.records.OnlineStoreWrite;
import io.vigil.features.records.TxEvent;
import io.vigil.features.records.TxFeatures;
import io.vigil.features.state.HistoryConfig;
import io.vigil.schemas.feast.FeatureRow;
import io.vigil.schemas.feast.FeatureViews;
import io.vigil.schemas.history.WindowHistoryCodec;
import io.vigil.schemas.history.WindowHistorySnapshot;
import java.util.List;
import java.util.Objects;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TerminalRiskFunctionTest {

    private static final long D = 7 * DAY;
    private static final long MARGIN = HistoryConfig.DEFAULT_MARGIN.toMillis();
    private static final long RETENTION = D + 30 * DAY;

    private KeyedTwoInputStreamOperatorTestHarness<String, TxEvent, LabelEvent, TxFeatures> harness;

    @BeforeEach
    void open() throws Exception {
        harness =
                TestEvents.harness(
                        StateSizeTracking.operator(
                                new TerminalRiskFunction(HistoryConfig.defaults())),
                        tx -> tx.terminalId,
                        label -> label.terminalId);
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    @Test
    void windowsEndExactlyTheDelayBeforeTheTransaction() throws Exception {
        send(tx("a", "c", "t", T0, 100));
        send(tx("b", "c", "t", T0 + D - 1, 100));
        send(tx("c", "c", "t", T0 + D, 100));
        send(tx("d", "c", "t", T0 + D + DAY - 1, 100));
        send(tx("e", "c", "t", T0 + D + DAY, 100));
        send(tx("f", "c", "t", T0 + D + 30 * DAY, 100));
        watermark(T0 + D + 30 * DAY);

        List<TxFeatures> out = harness.extractOutputValues();
        assertThat(out)
                .extracting(f -> f.tx.transactionId)
                .containsExactly("a", "b", "c", "d", "e", "f");
        // nb_tx_1d, risk_1d, nb_tx_7d, risk_7d, nb_tx_30d, risk_30d
        assertThat(out.get(0).terminalRisk).containsExactly(0, 0, 0, 0, 0, 0);
        // a is d − 1 ms earlier: not yet in.
        assertThat(out.get(1).terminalRisk).containsExactly(0, 0, 0, 0, 0, 0);
        // a is exactly d earlier: in every window.
        assertThat(out.get(2).terminalRisk).containsExactly(1, 0, 1, 0, 1, 0);
        assertThat(out.get(3).terminalRisk).containsExactly(1, 0, 1, 0, 1, 0);
        // a is exactly d + 1 day earlier: out of the 1-day window only.
        assertThat(out.get(4).terminalRisk).containsExactly(0, 0, 1, 0, 1, 0);
        // a is exactly d + 30 days earlier: out of every window; (T0, T0 + 30d] holds b to e.
        assertThat(out.get(5).terminalRisk).containsExactly(0, 0, 0, 0, 4, 0);
    }

    @Test
    void aFraudCountsFromItsLabelTimeOnWhateverOrderTheyArrive() throws Exception {
        TxEvent fraud = tx("f", "c", "t", T0, 100);
        send(fraud);
        watermark(T0);
        long labelTime = T0 + D + 5;
        // The label arrives before the transactions that straddle its time.
        harness.processElement2(new StreamRecord<>(fraudLabel(fraud, labelTime), labelTime));
        send(tx("before", "c", "t", labelTime - 1, 100));
        send(tx("at", "c", "t", labelTime, 100));
        watermark(labelTime);

        List<TxFeatures> out = harness.extractOutputValues();
        assertThat(out).extracting(f -> f.tx.transactionId).containsExactly("f", "before", "at");
        assertThat(out.get(1).terminalRisk).containsExactly(1, 0, 1, 0, 1, 0);
        assertThat(out.get(2).terminalRisk).containsExactly(1, 1, 1, 1, 1, 1);
        assertThat(rows())
                .extracting(r -> r.viewName)
                .containsOnly(FeatureViews.TERMINAL_RISK.name());
        // The label alone (at labelTime, before "at") makes no separate write: one per timer.
        assertThat(rows())
                .extracting(r -> r.eventTimeMillis)
                .containsExactly(T0, labelTime - 1, labelTime);
    }

    @Test
    void everyWriteCarriesTheSnapshotAsOfItsTime() throws Exception {
        send(tx("a", "c", "t", T0, 100));
        send(tx("b", "c", "t", T0, 100));
        send(tx("c", "c", "t", T0 + D, 100));
        watermark(T0 + D);

        List<OnlineStoreWrite> writes = writes();
        assertThat(writes).hasSize(2);
        OnlineStoreWrite first = writes.get(0);
        assertThat(first.features.eventTimeMillis).isEqualTo(T0);
        assertThat(first.historyAsOfMillis).isEqualTo(T0);
        WindowHistorySnapshot s = WindowHistoryCodec.decode(first.history);
        assertThat(s.asOfMillis()).isEqualTo(T0);
        assertThat(s.completeAfterMillis()).isEqualTo(T0 - RETENTION - MARGIN);
        assertThat(s.times()).containsExactly(T0);
        assertThat(s.counts()).containsExactly(2);
        assertThat(s.values()).containsExactly(0);

        WindowHistorySnapshot second = WindowHistoryCodec.decode(writes.get(1).history);
        assertThat(second.asOfMillis()).isEqualTo(T0 + D);
        assertThat(second.times()).containsExactly(T0, T0 + D);
        assertThat(second.counts()).containsExactly(2, 1);
        // The row holds the windows before "c" is recorded; the snapshot holds "c" too.
        assertThat(writes.get(1).features.values).containsExactly(2, 0, 2, 0, 2, 0);
    }

    @Test
    void labelsAloneGiveAHistoryOnlyWrite() throws Exception {
        TxEvent fraud = tx("f", "c", "t", T0, 100);
        send(fraud);
        send(tx("g", "c", "t", T0 + 1, 100));
        watermark(T0 + 1);
        long labelTime = T0 + DAY;
        harness.processElement2(new StreamRecord<>(fraudLabel(fraud, labelTime), labelTime));
        TxEvent unknown = tx("u", "c", "t", T0 + 2, 100);
        harness.processElement2(
                new StreamRecord<>(fraudLabel(unknown, labelTime + 1), labelTime + 1));
        watermark(labelTime + 1);

        List<OnlineStoreWrite> writes = writes();
        assertThat(writes).hasSize(3);
        OnlineStoreWrite labelled = writes.get(2);
        assertThat(labelled.features).as("no Feast row").isNull();
        assertThat(labelled.historyAsOfMillis).isEqualTo(labelTime);
        WindowHistorySnapshot s = WindowHistoryCodec.decode(labelled.history);
        assertThat(s.asOfMillis()).isEqualTo(labelTime);
        assertThat(s.times()).containsExactly(T0, T0 + 1);
        assertThat(s.values()).containsExactly(1, 0);
    }

    @Test
    void aLateLabelWritesTheSnapshotAsOfTheWatermark() throws Exception {
        TxEvent fraud = tx("f", "c", "t", T0, 100);
        send(fraud);
        watermark(T0 + D);
        harness.processElement2(new StreamRecord<>(fraudLabel(fraud, T0 + DAY), T0 + DAY));

        OnlineStoreWrite late = writes().get(1);
        assertThat(late.features).isNull();
        assertThat(late.historyAsOfMillis).isEqualTo(T0 + D);
        WindowHistorySnapshot s = WindowHistoryCodec.decode(late.history);
        assertThat(s.completeAfterMillis()).isEqualTo(T0 + D - RETENTION - MARGIN);
        assertThat(s.values()).containsExactly(1);
    }

    @Test
    void aSnapshotLeavesOutBucketsBeyondTheRetentionAndMargin() throws Exception {
        TxEvent old = tx("o", "c", "t", T0, 100);
        send(old);
        send(tx("n", "c", "t", T0 + DAY, 100));
        watermark(T0 + DAY);
        // A label-only write when the old bucket has just aged out of retention + margin, while
        // the history still holds it (only transactions advance the windows).
        long labelTime = T0 + RETENTION + MARGIN;
        harness.processElement2(new StreamRecord<>(fraudLabel(old, labelTime), labelTime));
        watermark(labelTime);

        OnlineStoreWrite write = writes().get(2);
        WindowHistorySnapshot s = WindowHistoryCodec.decode(write.history);
        assertThat(s.completeAfterMillis()).isEqualTo(T0);
        assertThat(s.times()).containsExactly(T0 + DAY);
    }

    @Test
    void labelsOfUnknownTransactionsAreIgnoredWithoutKeepingState() throws Exception {
        TxEvent known = tx("k", "c", "t", T0, 100);
        send(known);
        TxEvent unknownTime = tx("u", "c", "t", T0 + 1, 100);
        TxEvent unknownTerminal = tx("v", "c", "elsewhere", T0, 100);
        long labelTime = T0 + DAY;
        harness.processElement2(new StreamRecord<>(fraudLabel(unknownTime, labelTime), labelTime));
        harness.processElement2(
                new StreamRecord<>(fraudLabel(unknownTerminal, labelTime), labelTime));
        send(tx("later", "c", "t", T0 + D, 100));
        watermark(T0 + D);

        assertThat(harness.extractOutputValues().get(1).terminalRisk)
                .containsExactly(1, 0, 1, 0, 1, 0);
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1); // terminal t's history only
    }

    @Test
    void aLateLabelIsAppliedAtOnce() throws Exception {
        TxEvent fraud = tx("f", "c", "t", T0, 100);
        send(fraud);
        watermark(T0 + D);
        harness.processElement2(new StreamRecord<>(fraudLabel(fraud, T0 + DAY), T0 + DAY));
        send(tx("next", "c", "t", T0 + D + 1, 100));
        watermark(T0 + D + 1);

        assertThat(harness.extractOutputValues().get(1).terminalRisk)
                .containsExactly(1, 1, 1, 1, 1, 1);
    }

    @Test
    void stateAndTimersAreGoneWhenNoWindowCanReachTheTerminal() throws Exception {
        TxEvent fraud = tx("f", "c", "t1", T0, 100);
        send(fraud);
        send(tx("g", "c", "t2", T0 + DAY, 100));
        long labelTime = T0 + 40 * DAY;
        harness.processElement2(new StreamRecord<>(fraudLabel(fraud, labelTime), labelTime));
        watermark(T0 + DAY);
        assertThat(harness.numKeyedStateEntries()).isEqualTo(3);

        // Histories are kept for the history margin beyond the windows.
        watermark(T0 + RETENTION + MARGIN - 1);
        assertThat(harness.numKeyedStateEntries()).isEqualTo(3);
        watermark(T0 + RETENTION + MARGIN);
        assertThat(harness.numKeyedStateEntries()).isEqualTo(2); // t2 history, t1 pending label
        watermark(T0 + DAY + RETENTION + MARGIN);
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
        watermark(labelTime);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    private void send(TxEvent tx) throws Exception {
        harness.processElement1(new StreamRecord<>(tx, tx.eventTimeMillis));
    }

    private void watermark(long time) throws Exception {
        harness.processBothWatermarks(new org.apache.flink.streaming.api.watermark.Watermark(time));
    }

    private List<OnlineStoreWrite> writes() {
        return harness.getSideOutput(TerminalRiskFunction.ONLINE_STORE).stream()
                .map(StreamRecord::getValue)
                .toList();
    }

    private List<FeatureRow> rows() {
        return writes().stream().map(w -> w.features).filter(Objects::nonNull).toList();
    }
}
