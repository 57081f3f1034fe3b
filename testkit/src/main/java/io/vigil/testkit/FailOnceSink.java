package io.vigil.testkit;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * Delegates to a sink and fails its writer's task once, so that a test sees the job restart from
 * its last checkpoint: at the writer's {@code n}-th checkpoint, or after its {@code n}-th record.
 * Whether it failed is kept per name in this JVM, where the MiniCluster runs, because the sink
 * itself is serialized into every task.
 */
public final class FailOnceSink<T> implements Sink<T> {

    private static final Set<String> FAILED = ConcurrentHashMap.newKeySet();

    private final Sink<T> delegate;
    private final String name;
    private final long atCheckpoint;
    private final long afterRecords;

    private FailOnceSink(Sink<T> delegate, String name, long atCheckpoint, long afterRecords) {
        this.delegate = delegate;
        this.name = name;
        this.atCheckpoint = atCheckpoint;
        this.afterRecords = afterRecords;
    }

    /** Fails when the {@code n}-th checkpoint of one of its writers starts (n ≥ 1). */
    public static <T> FailOnceSink<T> atCheckpoint(String name, Sink<T> delegate, long n) {
        return new FailOnceSink<>(delegate, name, n, 0);
    }

    /** Fails right after one of its writers wrote its {@code n}-th record (n ≥ 1). */
    public static <T> FailOnceSink<T> afterRecords(String name, Sink<T> delegate, long n) {
        return new FailOnceSink<>(delegate, name, 0, n);
    }

    /** Whether the sink named {@code name} has failed its task. */
    public static boolean hasFailed(String name) {
        return FAILED.contains(name);
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) throws IOException {
        return new ForwardingSinkWriter<>(delegate.createWriter(context)) {
            private long checkpoints;
            private long records;

            @Override
            public void write(T element, Context ctx) throws IOException, InterruptedException {
                super.write(element, ctx);
                if (++records == afterRecords && FAILED.add(name)) {
                    throw new IOException("injected failure after " + records + " records");
                }
            }

            @Override
            public void flush(boolean endOfInput) throws IOException, InterruptedException {
                super.flush(endOfInput);
                if (!endOfInput && ++checkpoints == atCheckpoint && FAILED.add(name)) {
                    throw new IOException("injected failure at checkpoint " + checkpoints);
                }
            }
        };
    }
}
