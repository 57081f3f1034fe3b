package io.vigil.testkit;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * Delegates to a sink and lets each of its writers write at most {@code perSecond} records a second
 * until the test releases it: a bounded job then lasts as long as what the test does meanwhile
 * (restarting brokers, say), whatever the machine's speed, and its checkpoints go on. Releases are
 * kept per name in this JVM, where the MiniCluster runs, because the sink itself is serialized into
 * every task.
 */
public final class ThrottledSink<T> implements Sink<T> {

    private static final Set<String> RELEASED = ConcurrentHashMap.newKeySet();

    private final Sink<T> delegate;
    private final String name;
    private final double perSecond;

    private ThrottledSink(Sink<T> delegate, String name, double perSecond) {
        this.delegate = delegate;
        this.name = name;
        this.perSecond = perSecond;
    }

    /** Each writer writes at most {@code perSecond} records a second until {@link #release}. */
    public static <T> ThrottledSink<T> atMost(String name, Sink<T> delegate, double perSecond) {
        if (perSecond <= 0) {
            throw new IllegalArgumentException("perSecond must be positive, got " + perSecond);
        }
        return new ThrottledSink<>(delegate, name, perSecond);
    }

    /** Lets the writers of the sink named {@code name} write at full speed from now on. */
    public static void release(String name) {
        RELEASED.add(name);
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) throws IOException {
        return new ForwardingSinkWriter<>(delegate.createWriter(context)) {
            private final long start = System.nanoTime();
            private long records;

            @Override
            public void write(T element, Context ctx) throws IOException, InterruptedException {
                super.write(element, ctx);
                records++;
                if (!RELEASED.contains(name)) {
                    long due = start + (long) (records * 1e9 / perSecond);
                    TimeUnit.NANOSECONDS.sleep(due - System.nanoTime());
                }
            }
        };
    }
}
