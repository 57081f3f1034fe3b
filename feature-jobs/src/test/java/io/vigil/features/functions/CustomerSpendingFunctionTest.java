package io.vigil.features.functions;

import static io.vigil.features.functions.TestEvents.DAY;
import static io.vigil.features.functions.TestEvents.T0;
import static io.vigil.features.functions.TestEvents.tx;
import static io.vigil.features.functions.TestEvents.withTerminal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import io.vigil.features.FeatureDefinitions;
import io.vigil.features.records.OnlineStoreWrite;
import io.vigil.features.records.TxEvent;
import io.vigil.features.records.TxFeatures;
import io.vigil.features.state.HistoryConfig;
import io.vigil.features.state.SlidingWindowHistory;
import io.vigil.schemas.feast.FeatureRow;
import io.vigil.schemas.feast.FeatureViews;
import io.vigil.schemas.history.WindowHistoryCodec;
import io.vigil.schemas.history.WindowHistorySnapshot;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CustomerSpendingFunctionTest {

    private static final long MARGIN = HistoryConfig.DEFAULT_MARGIN.toMillis();

    private KeyedOneInputStreamOperatorTestHarness<String, TxFeatures, TxFeatures> harness;

    @BeforeEach
    void open() throws Exception {
        harness = newHarness();
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    @Test
    void windowsIncludeTheCurrentTransactionAndExcludeOneExactlyAWindowEarlier() throws Exception {
        send(tx("a", "c", "t", T0, 1_000));
        send(tx("b", "c", "t", T0 + DAY - 1, 3_000));
        send(tx("c", "c", "t", T0 + DAY, 5_000));
        send(tx("d", "c", "t", T0 + 30 * DAY, 7_000));
        harness.processWatermark(T0 + 30 * DAY);

        List<TxFeatures> out = harness.extractOutputValues();
        assertThat(out).extracting(f -> f.tx.transactionId).containsExactly("a", "b", "c", "d");
        // nb_tx_1d, avg_amount_1d, nb_tx_7d, avg_amount_7d, nb_tx_30d, avg_amount_30d
        assertThat(out.get(0).customerSpending).containsExactly(1, 10.0, 1, 10.0, 1, 10.0);
        assertThat(out.get(1).customerSpending).containsExactly(2, 20.0, 2, 20.0, 2, 20.0);
        assertThat(out.get(2).customerSpending).containsExactly(2, 40.0, 3, 30.0, 3, 30.0);
        assertThat(out.get(3).customerSpending).containsExactly(1, 70.0, 1, 70.0, 3, 50.0);
    }

    @Test
    void equalTimestampsCountInArrivalOrderWhateverOrderTheyReachTheOperator() throws Exception {
        TxEvent x = tx("x", "c", "t1", T0, 100);
        TxEvent y = tx("y", "c", "t2", T0, 200);
        TxEvent z = tx("z", "c", "t3", T0, 300);
        send(z);
        send(x);
        send(y);
        harness.processWatermark(T0);

        List<TxFeatures> out = harness.extractOutputValues();
        assertThat(out).extracting(f -> f.tx.transactionId).containsExactly("x", "y", "z");
        assertThat(out).extracting(f -> f.customerSpending[0]).containsExactly(1.0, 2.0, 3.0);
        assertThat(out.get(2).customerSpending[1]).isEqualTo(2.0);

        assertThat(rows())
                .singleElement()
                .satisfies(
                        row -> {
                            assertThat(row.viewName)
                                    .isEqualTo(FeatureViews.CUSTOMER_SPENDING.name());
                            assertThat(row.entityId).isEqualTo("c");
                            assertThat(row.eventTimeMillis).isEqualTo(T0);
                            assertThat(row.values).containsExactly(3, 2.0, 3, 2.0, 3, 2.0);
                        });
    }

    @Test
    void eachRowCarriesTheCustomersSnapshotAsOfItsTime() throws Exception {
        send(tx("a", "c", "t", T0, 1_000));
        send(tx("b", "c", "t", T0 + DAY, 3_000));
        send(tx("c", "c", "t", T0 + DAY, 5_000));
        send(tx("d", "c", "t", T0 + 30 * DAY + MARGIN, 7_000));
        harness.processWatermark(T0 + 30 * DAY + MARGIN);

        List<OnlineStoreWrite> writes = writes();
        assertThat(writes)
                .extracting(w -> w.features.eventTimeMillis, w -> w.historyAsOfMillis)
                .containsExactly(
                        tuple(T0, T0),
                        tuple(T0 + DAY, T0 + DAY),
                        tuple(T0 + 30 * DAY + MARGIN, T0 + 30 * DAY + MARGIN));
        WindowHistorySnapshot second = WindowHistoryCodec.decode(writes.get(1).history);
        assertThat(second.completeAfterMillis()).isEqualTo(T0 + DAY - 30 * DAY - MARGIN);
        assertThat(second.times()).containsExactly(T0, T0 + DAY);
        assertThat(second.counts()).containsExactly(1, 2);
        assertThat(second.values()).containsExactly(1_000, 8_000);
        // a is exactly 30 days + the margin before d: out of the snapshot, and of the history.
        WindowHistorySnapshot last = WindowHistoryCodec.decode(writes.get(2).history);
        assertThat(last.completeAfterMillis()).isEqualTo(T0);
        assertThat(last.times()).containsExactly(T0 + DAY, T0 + 30 * DAY + MARGIN);
        assertThat(last.values()).containsExactly(8_000, 7_000);
    }

    @Test
    void aHotCustomersSnapshotKeepsItsNewestBuckets() throws Exception {
        harness.close();
        harness = newHarness(new HistoryConfig(HistoryConfig.DEFAULT_MARGIN, 3));
        harness.open();
        for (int i = 0; i < 5; i++) {
            send(tx("h" + i, "hot", "t", T0 + i, 100 + i));
        }
        harness.processWatermark(T0 + 4);

        WindowHistorySnapshot s = WindowHistoryCodec.decode(writes().get(4).history);
        assertThat(s.times()).containsExactly(T0 + 2, T0 + 3, T0 + 4);
        assertThat(s.values()).containsExactly(102, 103, 104);
        assertThat(s.completeAfterMillis()).isEqualTo(T0 + 1);
        assertThat(writes().get(4).features.values[0]).as("features see all five").isEqualTo(5);
    }

    @Test
    void transactionsWaitForTheWatermark() throws Exception {
        send(tx("a", "c", "t", T0 + 10, 100));
        harness.processWatermark(T0 + 9);
        assertThat(harness.extractOutputValues()).isEmpty();

        harness.processWatermark(T0 + 10);
        assertThat(harness.extractOutputValues()).hasSize(1);
    }

    @Test
    void stateAndTimersAreGoneThirtyDaysAfterTheLastTransaction() throws Exception {
        send(tx("a", "c1", "t", T0, 100));
        send(tx("b", "c2", "t", T0 + DAY, 100));
        send(tx("c", "c1", "t", T0 + 2 * DAY, 100));
        harness.processWatermark(T0 + 2 * DAY);
        assertThat(harness.numKeyedStateEntries()).isEqualTo(2);

        // Histories are kept for the history margin beyond the windows.
        harness.processWatermark(T0 + 32 * DAY + MARGIN - 1);
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);

        harness.processWatermark(T0 + 32 * DAY + MARGIN);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void aHotCustomerWithTwoHundredThousandTransactionsStaysExactAndFast() throws Exception {
        // Every row carries a snapshot of up to maxBuckets buckets, O(maxBuckets) per row: a
        // small cap keeps this test about the windows.
        harness.close();
        harness = newHarness(new HistoryConfig(HistoryConfig.DEFAULT_MARGIN, 64));
        harness.open();
        int n = 200_000;
        long step = 10_000; // one every 10 s: all of them within 30 days
        long perDay = DAY / step;
        long started = System.nanoTime();
        long sum7 = 0;
        long sum30 = 0;
        for (int i = 0; i < n; i++) {
            long t = T0 + i * step;
            send(tx("h" + i, "hot", "t" + (i % 97), t, cents(i)));
            if (i % 1_000 == 999 || i == n - 1) {
                harness.processWatermark(t);
                List<TxFeatures> out = harness.extractOutputValues();
                harness.getOutput().clear();
                harness.getSideOutput(CustomerSpendingFunction.ONLINE_STORE).clear();
                for (TxFeatures f : out) {
                    int j = Integer.parseInt(f.tx.transactionId.substring(1));
                    sum7 += cents(j) - (j >= 7 * perDay ? cents(j - (int) (7 * perDay)) : 0);
                    sum30 += cents(j);
                    long n1 = Math.min(j + 1, perDay);
                    long n7 = Math.min(j + 1, 7 * perDay);
                    assertThat(f.customerSpending[0]).isEqualTo(n1);
                    assertThat(f.customerSpending[2]).isEqualTo(n7);
                    assertThat(f.customerSpending[3]).isCloseTo(sum7 / 100.0 / n7, within(1e-9));
                    assertThat(f.customerSpending[4]).isEqualTo(j + 1);
                    assertThat(f.customerSpending[5])
                            .isCloseTo(sum30 / 100.0 / (j + 1), within(1e-9));
                }
            }
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertThat(sum30).isPositive();
        assertThat(millis)
                .as("200k transactions of one customer took %d ms", millis)
                .isLessThan(20_000);
    }

    @Test
    void gaugesCountCustomersAndBufferedTransactionsAlsoAfterARestore() throws Exception {
        send(tx("a", "c1", "t", T0, 100));
        send(tx("b", "c2", "t", T0 + 5, 100));
        send(tx("c", "c2", "t", T0 + 6, 100));
        harness.processWatermark(T0);
        assertThat(TestEvents.gauge(harness, "customers")).isEqualTo(1);
        assertThat(TestEvents.gauge(harness, "bufferedTransactions")).isEqualTo(2);

        OperatorSubtaskState snapshot = harness.snapshot(1, 1);
        harness.close();
        harness = newHarness();
        harness.initializeState(snapshot);
        harness.open();
        assertThat(TestEvents.gauge(harness, "customers")).isEqualTo(1);
        assertThat(TestEvents.gauge(harness, "bufferedTransactions")).isEqualTo(2);

        harness.processWatermark(T0 + 6);
        assertThat(harness.extractOutputValues())
                .extracting(f -> f.tx.transactionId, f -> f.customerSpending[0])
                .containsExactly(tuple("b", 1.0), tuple("c", 2.0));
        assertThat(TestEvents.gauge(harness, "customers")).isEqualTo(2);
        assertThat(TestEvents.gauge(harness, "bufferedTransactions")).isZero();

        harness.processWatermark(T0 + 31 * DAY);
        assertThat(TestEvents.gauge(harness, "customers")).isZero();
    }

    @Test
    void restoresHistoriesThatFlinksPojoSerializerWroteBeforeTheCompactOne() throws Exception {
        List<TxEvent> earlier =
                List.of(
                        tx("a", "c", "t", T0, 1_000),
                        tx("b", "c", "t", T0 + DAY, 3_000),
                        tx("c", "c", "t", T0 + 2 * DAY, 5_000));
        TxEvent later = tx("d", "c", "t", T0 + 3 * DAY, 7_000);
        for (TxEvent tx : earlier) {
            send(tx);
        }
        send(later);
        harness.processWatermark(later.eventTimeMillis);
        List<TxFeatures> uninterrupted = harness.extractOutputValues();
        harness.close();

        KeyedOneInputStreamOperatorTestHarness<String, TxFeatures, TxFeatures> pojo =
                TestEvents.harness(new PojoHistoryWriter(), f -> f.tx.customerId);
        pojo.open();
        for (TxEvent tx : earlier) {
            pojo.processElement(new StreamRecord<>(withTerminal(tx), tx.eventTimeMillis));
        }
        OperatorSubtaskState savepoint = pojo.snapshot(1, 1);
        pojo.close();
        harness = newHarness();
        harness.initializeState(savepoint);
        harness.open();
        send(later);
        harness.processWatermark(later.eventTimeMillis);

        assertThat(TestEvents.gauge(harness, "customers")).isEqualTo(1);
        assertThat(harness.extractOutputValues())
                .singleElement()
                .satisfies(
                        f ->
                                assertThat(f.customerSpending)
                                        .containsExactly(uninterrupted.get(3).customerSpending));
    }

    /** Keeps customer histories as the job did before {@code SlidingWindowHistorySerializer}. */
    private static final class PojoHistoryWriter
            extends KeyedProcessFunction<String, TxFeatures, TxFeatures> {
        private transient ValueState<SlidingWindowHistory> history;

        @Override
        public void open(OpenContext openContext) {
            history =
                    getRuntimeContext()
                            .getState(
                                    new ValueStateDescriptor<>(
                                            "history", Types.POJO(SlidingWindowHistory.class)));
        }

        @Override
        public void processElement(TxFeatures f, Context ctx, Collector<TxFeatures> out)
                throws Exception {
            SlidingWindowHistory h = history.value();
            if (h == null) {
                h = SlidingWindowHistory.create(FeatureDefinitions.WINDOW_MILLIS.length);
            }
            long time = f.tx.eventTimeMillis;
            h.record(time, f.tx.amountMinorUnits);
            h.advanceTo(time, 0, FeatureDefinitions.WINDOW_MILLIS, MARGIN);
            HistoryExpiry.schedule(
                    h,
                    time,
                    FeatureDefinitions.CUSTOMER_RETENTION_MILLIS + MARGIN,
                    ctx.timerService());
            history.update(h);
        }
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, TxFeatures, TxFeatures>
            newHarness() throws Exception {
        return newHarness(HistoryConfig.defaults());
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, TxFeatures, TxFeatures>
            newHarness(HistoryConfig history) throws Exception {
        return TestEvents.harness(
                StateSizeTracking.operator(new CustomerSpendingFunction(history)),
                f -> f.tx.customerId);
    }

    private static long cents(int i) {
        return 100 + (i * 7919L) % 10_000;
    }

    private void send(TxEvent tx) throws Exception {
        harness.processElement(new StreamRecord<>(withTerminal(tx), tx.eventTimeMillis));
    }

    private List<OnlineStoreWrite> writes() {
        return harness.getSideOutput(CustomerSpendingFunction.ONLINE_STORE).stream()
                .map(StreamRecord::getValue)
                .toList();
    }

    private List<FeatureRow> rows() {
        return writes().stream().map(w -> w.features).toList();
    }
}
