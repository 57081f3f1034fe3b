package io.vigil.testkit;

import java.io.IOException;
import org.apache.flink.api.connector.sink2.SinkWriter;

/**
 * A sink writer that hands everything to another; the test sinks ({@link FailOnceSink}, {@link
 * ThrottledSink}) override what they add around it.
 */
class ForwardingSinkWriter<T> implements SinkWriter<T> {

    private final SinkWriter<T> delegate;

    ForwardingSinkWriter(SinkWriter<T> delegate) {
        this.delegate = delegate;
    }

    @Override
    public void write(T element, Context context) throws IOException, InterruptedException {
        delegate.write(element, context);
    }

    @Override
    public void flush(boolean endOfInput) throws IOException, InterruptedException {
        delegate.flush(endOfInput);
    }

    @Override
    public void close() throws Exception {
        delegate.close();
    }
}
