package io.vigil.features.functions;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.features.FeatureDefinitions;
import io.vigil.features.state.SlidingWindowHistory;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.streaming.api.TimerService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A timer stores the history it was handed at most once, and not at all when nothing changed: with
 * RocksDB every write is a full encode, so the functions' timers rely on this.
 */
class HistoryExpiryTest {

    private static final long RETENTION = 1_000;

    private final RecordingState state = new RecordingState();
    private final RecordingTimers timers = new RecordingTimers();
    private SlidingWindowHistory history;

    @BeforeEach
    void recordedAtHundredWithItsTimer() {
        history = SlidingWindowHistory.create(FeatureDefinitions.WINDOW_MILLIS.length);
        history.record(100, 5);
        HistoryExpiry.schedule(history, 100, RETENTION, timers);
        timers.registered.clear();
    }

    @Test
    void aDueTimerClearsTheHistoryWithoutWritingIt() throws Exception {
        assertThat(HistoryExpiry.onTimer(state, history, true, 1_100, RETENTION, timers)).isTrue();

        assertThat(state.cleared).isEqualTo(1);
        assertThat(state.updates).isEmpty();
        assertThat(timers.registered).isEmpty();
    }

    @Test
    void aTimerOfAnEntityActiveSinceIsRearmedAndWrittenOnce() throws Exception {
        history.record(600, 7);

        assertThat(HistoryExpiry.onTimer(state, history, true, 1_100, RETENTION, timers)).isFalse();

        assertThat(history.expiryTimer).isEqualTo(1_600);
        assertThat(timers.registered).containsExactly(1_600L);
        assertThat(state.updates).containsExactly(history);
        assertThat(state.cleared).isZero();
    }

    @Test
    void anotherTimerWritesTheHistoryOnlyIfTheCallerChangedIt() throws Exception {
        assertThat(HistoryExpiry.onTimer(state, history, false, 500, RETENTION, timers)).isFalse();
        assertThat(state.updates).isEmpty();

        assertThat(HistoryExpiry.onTimer(state, history, true, 500, RETENTION, timers)).isFalse();
        assertThat(state.updates).containsExactly(history);
        assertThat(history.expiryTimer).isEqualTo(1_100);
        assertThat(timers.registered).isEmpty();
    }

    @Test
    void anEntityWithoutHistoryIsLeftAlone() throws Exception {
        assertThat(HistoryExpiry.onTimer(state, null, false, 1_100, RETENTION, timers)).isFalse();

        assertThat(state.updates).isEmpty();
        assertThat(state.cleared).isZero();
    }

    private static final class RecordingState implements ValueState<SlidingWindowHistory> {
        final List<SlidingWindowHistory> updates = new ArrayList<>();
        int cleared;

        @Override
        public SlidingWindowHistory value() {
            throw new AssertionError("the timer must use the history it was handed");
        }

        @Override
        public void update(SlidingWindowHistory value) {
            updates.add(value);
        }

        @Override
        public void clear() {
            cleared++;
        }
    }

    private static final class RecordingTimers implements TimerService {
        final List<Long> registered = new ArrayList<>();

        @Override
        public void registerEventTimeTimer(long time) {
            registered.add(time);
        }

        @Override
        public long currentProcessingTime() {
            throw new UnsupportedOperationException();
        }

        @Override
        public long currentWatermark() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void registerProcessingTimeTimer(long time) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void deleteProcessingTimeTimer(long time) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void deleteEventTimeTimer(long time) {
            throw new UnsupportedOperationException();
        }
    }
}
