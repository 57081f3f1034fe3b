package io.vigil.features.functions;

import static io.vigil.features.functions.TestEvents.DAY;
import static io.vigil.features.functions.TestEvents.T0;
import static io.vigil.features.functions.TestEvents.fraudLabel;
import static io.vigil.features.functions.TestEvents.tx;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.features.records.LabelEvent;
import io.vigil.features.records.TxEvent;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FraudLabelFunctionTest {

    private KeyedOneInputStreamOperatorTestHarness<String, LabelEvent, LabelEvent> harness;

    @BeforeEach
    void open() throws Exception {
        harness = TestEvents.harness(new FraudLabelFunction(), label -> label.transactionId);
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    @Test
    void passesTheFirstFraudLabelOfATransactionOnly() throws Exception {
        TxEvent a = tx("a", "c", "t", T0, 100);
        TxEvent b = tx("b", "c", "t", T0, 100);

        send(fraudLabel(a, T0 + DAY));
        send(fraudLabel(a, T0 + 2 * DAY));
        send(fraudLabel(b, T0 + DAY));

        assertThat(harness.extractOutputValues())
                .extracting(l -> l.transactionId, l -> l.labelTimeMillis)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("a", T0 + DAY),
                        org.assertj.core.groups.Tuple.tuple("b", T0 + DAY));
    }

    @Test
    void forgetsATransactionWhenItLeftEveryTerminalWindow() throws Exception {
        send(fraudLabel(tx("a", "c", "t", T0, 100), T0 + DAY));
        harness.processWatermark(T0 + 37 * DAY - 1);
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);

        harness.processWatermark(T0 + 37 * DAY);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    private void send(LabelEvent label) throws Exception {
        harness.processElement(new StreamRecord<>(label, label.labelTimeMillis));
    }
}
