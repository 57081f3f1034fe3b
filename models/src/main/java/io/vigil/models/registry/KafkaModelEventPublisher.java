package io.vigil.models.registry;

import io.vigil.schemas.ModelEvent;
import io.vigil.schemas.serde.AvroSerde;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Publishes {@link ModelEvent}s (Avro single-object encoding) keyed by model name and waits for the
 * broker's acknowledgement, so the registry reports a change as published only when it is.
 */
public final class KafkaModelEventPublisher implements ModelEventPublisher, AutoCloseable {

    private final ModelEventsConfig config;
    private final AvroSerde<ModelEvent> serde = AvroSerde.of(ModelEvent.class);
    private final KafkaProducer<byte[], byte[]> producer;

    public KafkaModelEventPublisher(ModelEventsConfig config) {
        this.config = config;
        Properties props = new Properties();
        props.putAll(config.producerOverrides());
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        // Registry changes are rare and must not be lost or reordered.
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        int timeoutMs = (int) Math.min(Integer.MAX_VALUE, config.sendTimeout().toMillis());
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeoutMs);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (long) timeoutMs);
        this.producer = new KafkaProducer<>(props);
    }

    @Override
    public void publish(ModelEvent event) {
        ProducerRecord<byte[], byte[]> record =
                new ProducerRecord<>(
                        config.topic(),
                        event.getModel().getBytes(StandardCharsets.UTF_8),
                        serde.serialize(event));
        try {
            producer.send(record).get(config.sendTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failed(event, e);
        } catch (ExecutionException | TimeoutException e) {
            throw failed(event, e);
        }
    }

    @Override
    public void close() {
        producer.close();
    }

    private IllegalStateException failed(ModelEvent event, Exception e) {
        Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
        return new IllegalStateException(
                "cannot publish model event "
                        + event.getEventId()
                        + " to "
                        + config.topic()
                        + ": "
                        + cause,
                cause);
    }
}
