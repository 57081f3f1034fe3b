package io.vigil.simulator.kafka;

/** A record could not be delivered to Kafka even after the producer's retries. */
public final class ProduceException extends RuntimeException {

    public ProduceException(String message, Throwable cause) {
        super(message, cause);
    }
}
