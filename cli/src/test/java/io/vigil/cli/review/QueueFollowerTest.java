package io.vigil.cli.review;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.schemas.topics.TopicRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

/** The follower's construction with mock consumers: whatever fails, nothing stays open. */
class QueueFollowerTest {

    private static final TopicRegistry TOPICS = TopicRegistry.defaults();

    private final List<MockConsumer<byte[], byte[]>> opened = new ArrayList<>();

    @Test
    void theAlertsConsumerIsClosedWhenTheReviewsConsumerCannotOpen() {
        assertThatThrownBy(
                        () ->
                                follower(
                                        (clientId, topic) -> {
                                            if (topic.equals(TOPICS.reviews().name())) {
                                                throw new TimeoutException("no metadata");
                                            }
                                            return open(topic);
                                        }))
                .hasMessage("no metadata");

        assertThat(opened).singleElement().satisfies(c -> assertThat(c.closed()).isTrue());
    }

    @Test
    void bothConsumersAreClosedWhenTheirEndOffsetsCannotBeRead() {
        assertThatThrownBy(
                        () ->
                                follower(
                                        (clientId, topic) -> {
                                            MockConsumer<byte[], byte[]> consumer = open(topic);
                                            if (topic.equals(TOPICS.reviews().name())) {
                                                consumer.setOffsetsException(
                                                        new TimeoutException("no end offsets"));
                                            }
                                            return consumer;
                                        }))
                .hasMessage("no end offsets");

        assertThat(opened).hasSize(2).allSatisfy(c -> assertThat(c.closed()).isTrue());
    }

    @Test
    void aFollowerThatOpenedClosesBothOnClose() throws Exception {
        QueueFollower follower = follower((clientId, topic) -> open(topic));

        assertThat(opened).hasSize(2).noneSatisfy(c -> assertThat(c.closed()).isTrue());
        follower.close();
        assertThat(opened).allSatisfy(c -> assertThat(c.closed()).isTrue());
    }

    @Test
    void theReviewsConsumerIsClosedEvenWhenClosingTheAlertsConsumerFails() throws Exception {
        QueueFollower follower =
                follower(
                        (clientId, topic) ->
                                topic.equals(TOPICS.driftAlerts().name())
                                        ? register(topic, new FailingClose())
                                        : open(topic));

        assertThatThrownBy(follower::close).hasMessage("close failed");
        assertThat(opened).hasSize(2).allSatisfy(c -> assertThat(c.closed()).isTrue());
    }

    /** A consumer whose close fails after closing, as a client that lost its broker can. */
    private static final class FailingClose extends MockConsumer<byte[], byte[]> {

        FailingClose() {
            super("earliest");
        }

        @Override
        public synchronized void close(Duration timeout) {
            super.close(timeout);
            throw new IllegalStateException("close failed");
        }
    }

    private static QueueFollower follower(
            BiFunction<String, String, Consumer<byte[], byte[]>> open) {
        ReviewQueue queue = new ReviewQueue();
        return new QueueFollower(open, TOPICS, queue, new ReviewMetrics(queue));
    }

    /** A consumer assigned the topic's one partition, with its end offset. */
    private MockConsumer<byte[], byte[]> open(String topic) {
        return register(topic, new MockConsumer<>("earliest"));
    }

    private MockConsumer<byte[], byte[]> register(
            String topic, MockConsumer<byte[], byte[]> consumer) {
        TopicPartition partition = new TopicPartition(topic, 0);
        consumer.assign(List.of(partition));
        consumer.updateEndOffsets(Map.of(partition, 0L));
        opened.add(consumer);
        return consumer;
    }
}
