package io.vigil.cli.review;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;

/**
 * The review queue as a running service: the Kafka writer, the follower that rebuilds the queue
 * from the topics, the verdict logic and the HTTP server, started in the order that keeps them
 * consistent and closed in reverse.
 */
public final class ReviewQueueService implements AutoCloseable {

    private final ReviewWriter writer;
    private final QueueFollower follower;
    private final ReviewServer server;

    private ReviewQueueService(ReviewWriter writer, QueueFollower follower, ReviewServer server) {
        this.writer = writer;
        this.follower = follower;
        this.server = server;
    }

    /**
     * Starts the service; the HTTP port is open before the queue has caught up (health and verdicts
     * answer 503 until then, see {@link #awaitCaughtUp}).
     */
    public static ReviewQueueService start(ReviewServiceConfig config) throws IOException {
        // The writer first: initializing its transactions aborts whatever a crashed predecessor
        // with the same id left open, so the follower's read_committed end offsets are reachable.
        ReviewWriter writer =
                new ReviewWriter(
                        config.kafkaClientProperties(), config.topics(), config.transactionalId());
        QueueFollower follower = null;
        try {
            ReviewQueue queue = new ReviewQueue();
            ReviewMetrics metrics = new ReviewMetrics(queue);
            follower =
                    new QueueFollower(
                            config.kafkaClientProperties(), config.topics(), queue, metrics);
            ReviewService service =
                    new ReviewService(
                            queue, writer::write, metrics, follower::notReady, Clock.systemUTC());
            follower.start();
            ReviewServer server =
                    new ReviewServer(
                            service,
                            metrics,
                            config.bind(),
                            config.reviewerHeader(),
                            config.publicOrigins());
            return new ReviewQueueService(writer, follower, server);
        } catch (IOException | RuntimeException e) {
            closeQuietly(follower, e);
            writer.close();
            throw e;
        }
    }

    public URI url() {
        return server.url();
    }

    /** Waits until the queue holds every record committed at start; false on timeout. */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return follower.awaitCaughtUp(timeout);
    }

    @Override
    public void close() throws InterruptedException {
        server.close();
        try {
            follower.close();
        } finally {
            writer.close();
        }
    }

    private static void closeQuietly(QueueFollower follower, Exception failure) {
        if (follower == null) {
            return;
        }
        try {
            follower.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure.addSuppressed(e);
        }
    }
}
