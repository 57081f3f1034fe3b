package io.vigil.features.functions;

import static io.vigil.features.functions.TestEvents.DAY;
import static io.vigil.features.functions.TestEvents.T0;
import static io.vigil.features.functions.TestEvents.fraudLabel;
import static io.vigil.features.functions.TestEvents.tx;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.features.records.InputRecord;
import io.vigil.features.records.LabelEvent;
import io.vigil.features.records.RejectedRecord;
import io.vigil.features.records.TxEvent;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

class SplitInputFunctionTest {

    @Test
    void routesEachKindAndDropsLabelsThatAreNotFrauds() throws Exception {
        TxEvent a = tx("a", "c", "t", T0, 100);
        LabelEvent fraud = fraudLabel(a, T0 + DAY);
        LabelEvent legit = fraudLabel(tx("b", "c", "t", T0, 100), T0 + DAY);
        legit.fraud = false;
        RejectedRecord malformed = new RejectedRecord();
        malformed.reason = "not Avro";

        try (OneInputStreamOperatorTestHarness<InputRecord, TxEvent> harness =
                ProcessFunctionTestHarnesses.forProcessFunction(new SplitInputFunction())) {
            for (InputRecord record :
                    new InputRecord[] {
                        InputRecord.of(a),
                        InputRecord.of(legit),
                        InputRecord.of(fraud),
                        InputRecord.of(malformed)
                    }) {
                harness.processElement(new StreamRecord<>(record, T0));
            }

            // The harness hands out copies, so records are compared by a field.
            assertThat(harness.extractOutputValues())
                    .extracting(tx -> tx.transactionId)
                    .containsExactly("a");
            assertThat(harness.getSideOutput(SplitInputFunction.FRAUD_LABELS))
                    .extracting(label -> label.getValue().transactionId)
                    .containsExactly("a");
            assertThat(harness.getSideOutput(SplitInputFunction.REJECTED))
                    .extracting(rejected -> rejected.getValue().reason)
                    .containsExactly("not Avro");
        }
    }
}
