package io.vigil.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.schemas.topics.TopicRegistry;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class TestKitITCase {

    @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();
    @RegisterExtension static final RedisExtension REDIS = new RedisExtension();

    @Test
    void brokerServesFreshTopicsEndToEnd() throws Exception {
        String topic = KAFKA.newTopic("kit", 2);
        try (KafkaProducer<byte[], byte[]> producer = KAFKA.newProducer()) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>(topic, bytes("k" + i), bytes("v" + i))).get();
            }
        }

        assertThat(KAFKA.readAll(topic, 10, Duration.ofSeconds(20))).hasSize(10);
        assertThat(KAFKA.endOffsetTotal(topic)).isEqualTo(10);
        assertThat(KAFKA.newTopic("kit", 1)).isNotEqualTo(topic);
    }

    @Test
    void freshTopicsCreatesEveryTopicOfTheRegistry() {
        TopicRegistry registry = KAFKA.freshTopics();

        assertThat(registry.transactions().name()).endsWith(".transactions");
        assertThat(KAFKA.endOffsetTotal(registry.deadLetter().name())).isZero();
    }

    @Test
    void redisCanBeStoppedAndStartedOnTheSamePort() throws Exception {
        int port = REDIS.port();
        assertThat(REDIS.isRunning()).isTrue();

        REDIS.stop();
        assertThatThrownBy(() -> new Socket(REDIS.host(), port).close())
                .isInstanceOf(java.io.IOException.class);

        REDIS.start();
        assertThat(REDIS.port()).isEqualTo(port);
        try (Socket socket = new Socket(REDIS.host(), port)) {
            assertThat(socket.isConnected()).isTrue();
        }
        REDIS.flushAll();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
