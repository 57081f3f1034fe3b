package io.vigil.features.functions;

import static io.vigil.features.functions.TestEvents.DAY;
import static io.vigil.features.functions.TestEvents.T0;
import static io.vigil.features.functions.TestEvents.fraudLabel;
import static io.vigil.features.functions.TestEvents.tx;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.features.records.LabelEvent;
import io.vigil.features.records.TxEvent;
import io.vigil.features.records.TxFeatures;
import io.vigil.schemas.feast.FeatureRow;
import io.vigil.schemas.feast.FeatureViews;
import java.util.List;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TerminalRiskFunctionTest {

    private static final long D = 7 * DAY;

    private KeyedTwoInputStreamOperatorTestHarness<String, TxEvent, LabelEvent, TxFeatures> harness;

    @BeforeEach
    void open() throws Exception {
        harness =
                TestEvents.harness(
                        StateSizeTracking.operator(new TerminalRiskFunction()),
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
        assertThat(rows())
                .extracting(r -> r.eventTimeMillis)
                .containsExactly(T0, labelTime - 1, labelTime);
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

        watermark(T0 + D + 30 * DAY);
        assertThat(harness.numKeyedStateEntries()).isEqualTo(2); // t2 history, t1 pending label
        watermark(T0 + D + 31 * DAY);
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

    private List<FeatureRow> rows() {
        return harness.getSideOutput(TerminalRiskFunction.ROWS).stream()
                .map(StreamRecord::getValue)
                .toList();
    }
}
