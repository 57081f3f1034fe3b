package io.vigil.features.functions;

import static io.vigil.features.functions.TestEvents.T0;
import static io.vigil.features.functions.TestEvents.tx;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.features.records.RejectedRecord;
import io.vigil.features.records.TxEvent;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TransactionDedupFunctionTest {

    private static final long HORIZON = 60_000;

    private KeyedOneInputStreamOperatorTestHarness<String, TxEvent, TxEvent> harness;

    @BeforeEach
    void open() throws Exception {
        harness = TestEvents.harness(new TransactionDedupFunction(HORIZON), tx -> tx.transactionId);
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    @Test
    void passesEachTransactionOnceWithoutItsSourceBytes() throws Exception {
        send(withSource(tx("a", "c", "t", T0, 100)));
        send(withSource(tx("a", "c", "t", T0, 100)));
        send(withSource(tx("b", "c", "t", T0, 100)));

        List<TxEvent> out = harness.extractOutputValues();
        assertThat(out).extracting(tx -> tx.transactionId).containsExactly("a", "b");
        assertThat(out).allSatisfy(tx -> assertThat(tx.sourceValue).isNull());
    }

    @Test
    void lateTransactionsGoToTheSideOutputWithTheirOriginalBytes() throws Exception {
        harness.processWatermark(T0);
        send(withSource(tx("late", "c", "t", T0, 100)));
        send(withSource(tx("ok", "c", "t", T0 + 1, 100)));

        assertThat(harness.extractOutputValues())
                .extracting(tx -> tx.transactionId)
                .containsExactly("ok");
        List<RejectedRecord> late =
                harness.getSideOutput(TransactionDedupFunction.LATE).stream()
                        .map(StreamRecord::getValue)
                        .toList();
        assertThat(late)
                .singleElement()
                .satisfies(
                        r -> {
                            assertThat(r.reason)
                                    .startsWith("late: transaction late has event time");
                            assertThat(r.sourceTopic).isEqualTo("vigil.transactions");
                            assertThat(new String(r.value, StandardCharsets.UTF_8))
                                    .isEqualTo("bytes of late");
                        });
    }

    @Test
    void forgetsIdsAfterTheHorizonWhenRepeatsCanOnlyBeLate() throws Exception {
        send(withSource(tx("a", "c", "t", T0, 100)));
        harness.processWatermark(T0 + HORIZON - 1);
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
        send(withSource(tx("a", "c", "t", T0, 100)));
        assertThat(harness.getSideOutput(TransactionDedupFunction.LATE)).isNull();

        harness.processWatermark(T0 + HORIZON);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
        send(withSource(tx("a", "c", "t", T0, 100)));
        assertThat(harness.getSideOutput(TransactionDedupFunction.LATE)).hasSize(1);
        assertThat(harness.extractOutputValues()).hasSize(1);
    }

    private static TxEvent withSource(TxEvent tx) {
        tx.sourceTopic = "vigil.transactions";
        tx.sourceKey = tx.customerId.getBytes(StandardCharsets.UTF_8);
        tx.sourceValue = ("bytes of " + tx.transactionId).getBytes(StandardCharsets.UTF_8);
        return tx;
    }

    private void send(TxEvent tx) throws Exception {
        harness.processElement(new StreamRecord<>(tx, tx.eventTimeMillis));
    }
}
