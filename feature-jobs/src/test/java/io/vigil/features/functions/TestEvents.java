package io.vigil.features.functions;

import io.vigil.features.FeatureDefinitions;
import io.vigil.features.records.LabelEvent;
import io.vigil.features.records.TxEvent;
import io.vigil.features.records.TxFeatures;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.runtime.metrics.groups.InternalOperatorMetricGroup;
import org.apache.flink.runtime.metrics.util.InterceptingOperatorMetricGroup;
import org.apache.flink.runtime.metrics.util.InterceptingTaskMetricGroup;
import org.apache.flink.runtime.operators.testutils.MockEnvironment;
import org.apache.flink.runtime.operators.testutils.MockEnvironmentBuilder;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;

/** Builders with named instants, and operator harnesses that refuse Kryo. */
final class TestEvents {

    static final long DAY = FeatureDefinitions.DAY_MILLIS;

    /** A Sunday midnight UTC, the handbook's first day. */
    static final long T0 = Instant.parse("2018-04-01T00:00:00Z").toEpochMilli();

    private static final AtomicLong OFFSETS = new AtomicLong();

    private TestEvents() {}

    /** A transaction; offsets increase with each call, so calls are in arrival order. */
    static TxEvent tx(String id, String customer, String terminal, long time, long cents) {
        TxEvent tx = new TxEvent();
        tx.transactionId = id;
        tx.customerId = customer;
        tx.terminalId = terminal;
        tx.eventTimeMillis = time;
        tx.amountMinorUnits = cents;
        tx.partition = 0;
        tx.offset = OFFSETS.incrementAndGet();
        tx.ingestTimeMillis = time;
        return tx;
    }

    static TxFeatures withTerminal(TxEvent tx) {
        return new TxFeatures(tx, new double[6]);
    }

    static LabelEvent fraudLabel(TxEvent tx, long labelTime) {
        LabelEvent label = new LabelEvent();
        label.transactionId = tx.transactionId;
        label.customerId = tx.customerId;
        label.terminalId = tx.terminalId;
        label.txEventTimeMillis = tx.eventTimeMillis;
        label.labelTimeMillis = labelTime;
        label.fraud = true;
        return label;
    }

    static <IN, OUT> KeyedOneInputStreamOperatorTestHarness<String, IN, OUT> harness(
            KeyedProcessFunction<String, IN, OUT> function, KeySelector<IN, String> key)
            throws Exception {
        return harness(new KeyedProcessOperator<>(function), key);
    }

    /**
     * A harness whose operator metrics can be read with {@link #metric}, and refuses Kryo, for a
     * fresh or (after {@code initializeState}) restored operator.
     */
    static <IN, OUT> KeyedOneInputStreamOperatorTestHarness<String, IN, OUT> harness(
            KeyedProcessOperator<String, IN, OUT> operator, KeySelector<IN, String> key)
            throws Exception {
        InterceptingOperatorMetricGroup operatorMetrics = new InterceptingOperatorMetricGroup();
        MockEnvironment environment =
                new MockEnvironmentBuilder()
                        .setMetricGroup(
                                new InterceptingTaskMetricGroup() {
                                    @Override
                                    public InternalOperatorMetricGroup getOrAddOperator(
                                            OperatorID id,
                                            String name,
                                            Map<String, String> variables) {
                                        return operatorMetrics;
                                    }
                                })
                        .build();
        return noKryo(
                new KeyedOneInputStreamOperatorTestHarness<>(
                        operator, key, Types.STRING, environment));
    }

    static long gauge(AbstractStreamOperatorTestHarness<?> harness, String name) {
        InterceptingOperatorMetricGroup metrics =
                (InterceptingOperatorMetricGroup) harness.getOperator().getMetricGroup();
        return (Long) ((Gauge<?>) metrics.get(name)).getValue();
    }

    static <IN1, IN2, OUT> KeyedTwoInputStreamOperatorTestHarness<String, IN1, IN2, OUT> harness(
            KeyedCoProcessOperator<String, IN1, IN2, OUT> operator,
            KeySelector<IN1, String> key1,
            KeySelector<IN2, String> key2)
            throws Exception {
        return noKryo(
                new KeyedTwoInputStreamOperatorTestHarness<>(operator, key1, key2, Types.STRING));
    }

    private static <H extends AbstractStreamOperatorTestHarness<?>> H noKryo(H harness) {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        harness.getExecutionConfig().configure(conf, TestEvents.class.getClassLoader());
        return harness;
    }
}
