package io.vigil.simulator.feed;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Runs a source iterator ahead on its own thread, handing over chunks through a bounded queue, so
 * generating (or parsing) the next transactions overlaps with serializing and sending the current
 * ones. At most {@code chunks × chunkSize} elements are buffered. A failure of the source is
 * rethrown as is by {@link #hasNext()} on the consuming thread. Single consumer; {@link #close()}
 * stops the producing thread.
 */
public final class PrefetchingIterator<T> implements Iterator<T>, AutoCloseable {

    private static final Object END = new Object();

    private final BlockingQueue<Object> queue;
    private final Thread worker;
    private Iterator<T> current = List.<T>of().iterator();
    private boolean ended;

    public PrefetchingIterator(Iterator<T> source, int chunkSize, int chunks, String threadName) {
        if (chunkSize < 1 || chunks < 1) {
            throw new IllegalArgumentException("chunk size and count must be ≥ 1");
        }
        this.queue = new ArrayBlockingQueue<>(chunks);
        this.worker = new Thread(() -> fill(source, chunkSize), threadName);
        worker.setDaemon(true);
        worker.start();
    }

    private void fill(Iterator<T> source, int chunkSize) {
        try {
            while (source.hasNext()) {
                List<T> chunk = new ArrayList<>(chunkSize);
                while (chunk.size() < chunkSize && source.hasNext()) {
                    chunk.add(source.next());
                }
                queue.put(chunk);
            }
            queue.put(END);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            try {
                queue.put(e);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public boolean hasNext() {
        while (!current.hasNext() && !ended) {
            Object next;
            try {
                next = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the source", e);
            }
            if (next == END) {
                ended = true;
            } else if (next instanceof Throwable failure) {
                ended = true;
                if (failure instanceof RuntimeException runtime) {
                    throw runtime;
                }
                throw new IllegalStateException("source failed: " + failure, failure);
            } else {
                current = ((List<T>) next).iterator();
            }
        }
        return current.hasNext();
    }

    @Override
    public T next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return current.next();
    }

    @Override
    public void close() {
        worker.interrupt();
    }
}
