package io.vigil.simulator.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PrefetchingIteratorTest {

    @Test
    void deliversEverythingInOrder() {
        List<Integer> source = IntStream.range(0, 10_007).boxed().toList();
        List<Integer> seen = new ArrayList<>();

        try (PrefetchingIterator<Integer> it =
                new PrefetchingIterator<>(source.iterator(), 100, 3, "test-prefetch")) {
            it.forEachRemaining(seen::add);

            assertThat(it.hasNext()).isFalse();
            assertThatThrownBy(it::next).isInstanceOf(NoSuchElementException.class);
        }
        assertThat(seen).isEqualTo(source);
    }

    @Test
    void aFailingSourceFailsTheConsumerAfterWhatCameBefore() {
        Iterator<Integer> failing =
                new Iterator<>() {
                    int n;

                    @Override
                    public boolean hasNext() {
                        return true;
                    }

                    @Override
                    public Integer next() {
                        if (n == 5) {
                            throw new IllegalArgumentException("row 5 is broken");
                        }
                        return n++;
                    }
                };
        List<Integer> seen = new ArrayList<>();

        try (PrefetchingIterator<Integer> it = new PrefetchingIterator<>(failing, 2, 2, "test")) {
            assertThatThrownBy(() -> it.forEachRemaining(seen::add))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("row 5 is broken");
        }
        assertThat(seen).containsExactly(0, 1, 2, 3);
    }
}
