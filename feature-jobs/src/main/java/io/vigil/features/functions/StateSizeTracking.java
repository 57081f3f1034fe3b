package io.vigil.features.functions;

import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;

/**
 * State size gauges that stay right across restores. A function keeps its entity and buffer counts
 * up to date as it changes its state; these operators make it recount them from the state backend
 * when it opens, because after a restore the state is back but the counts would start at zero.
 * Recounting walks every key once, at start only.
 */
public final class StateSizeTracking {

    private StateSizeTracking() {}

    /** A keyed function that exports state size gauges. */
    public interface Tracked {
        /** Sets the gauges from the restored state; called once after {@code open}. */
        void recount(KeyedStateBackend<String> backend) throws Exception;
    }

    /** Runs a tracked one-input keyed function. */
    public static <F extends KeyedProcessFunction<String, IN, OUT> & Tracked, IN, OUT>
            KeyedProcessOperator<String, IN, OUT> operator(F function) {
        return new OneInput<>(function);
    }

    /** Runs a tracked two-input keyed function. */
    public static <F extends KeyedCoProcessFunction<String, IN1, IN2, OUT> & Tracked, IN1, IN2, OUT>
            KeyedCoProcessOperator<String, IN1, IN2, OUT> operator(F function) {
        return new TwoInput<>(function);
    }

    static long countKeys(KeyedStateBackend<String> backend, String stateName) {
        try (Stream<String> keys = backend.getKeys(stateName, VoidNamespace.INSTANCE)) {
            return keys.count();
        }
    }

    /** Events in a {@link PendingEvents} map state, over all keys. */
    static <T> long countPending(
            KeyedStateBackend<String> backend, MapStateDescriptor<Long, List<T>> descriptor)
            throws Exception {
        long[] count = {0};
        backend.applyToAllKeys(
                VoidNamespace.INSTANCE,
                VoidNamespaceSerializer.INSTANCE,
                descriptor,
                (String key, MapState<Long, List<T>> state) -> {
                    for (List<T> events : state.values()) {
                        count[0] += events.size();
                    }
                });
        return count[0];
    }

    private static final class OneInput<IN, OUT> extends KeyedProcessOperator<String, IN, OUT> {
        OneInput(KeyedProcessFunction<String, IN, OUT> function) {
            super(function);
        }

        @Override
        public void open() throws Exception {
            super.open();
            ((Tracked) userFunction).recount(getKeyedStateBackend());
        }
    }

    private static final class TwoInput<IN1, IN2, OUT>
            extends KeyedCoProcessOperator<String, IN1, IN2, OUT> {
        TwoInput(KeyedCoProcessFunction<String, IN1, IN2, OUT> function) {
            super(function);
        }

        @Override
        public void open() throws Exception {
            super.open();
            ((Tracked) userFunction).recount(getKeyedStateBackend());
        }
    }
}
