package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.models.InvalidModelException;
import io.vigil.models.ModelRegistryException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class TransientFailuresTest {

    @Test
    void kafkaOrTheRegistryUnavailableIsTransientAnywhereInTheCauseChain() {
        assertThat(
                        TransientFailures.isTransient(
                                new KafkaTopics.KafkaUnavailableException(
                                        "no answer from Kafka at 127.0.0.1:1 within 30 s", null)))
                .isTrue();
        assertThat(
                        TransientFailures.isTransient(
                                new org.apache.kafka.common.errors.TimeoutException(
                                        "Timeout expired while fetching topic metadata")))
                .isTrue();
        assertThat(
                        TransientFailures.isTransient(
                                new ModelRegistryException(
                                        "cannot lock the registry at /r",
                                        new IOException("No space left on device"))))
                .isTrue();
        // The registry wraps a model event that Kafka did not take in time twice.
        assertThat(
                        TransientFailures.isTransient(
                                new ModelRegistryException(
                                        "REGISTERED of model fraud 3-logreg is stored and audited,"
                                                + " but publishing it failed",
                                        new IllegalStateException(
                                                "cannot publish model event",
                                                new TimeoutException()))))
                .isTrue();
        assertThat(
                        TransientFailures.isTransient(
                                new UncheckedIOException(new IOException("Input/output error"))))
                .isTrue();
    }

    @Test
    void whatNoRetryCanChangeIsPermanent() {
        assertThat(
                        TransientFailures.isTransient(
                                new IllegalArgumentException("unknown model nope")))
                .isFalse();
        assertThat(
                        TransientFailures.isTransient(
                                new IllegalStateException(
                                        "no feature-log rows in the training period")))
                .isFalse();
        assertThat(
                        TransientFailures.isTransient(
                                new ModelRegistryException(
                                        "model fraud 3-logreg is already registered")))
                .isFalse();
        assertThat(
                        TransientFailures.isTransient(
                                new InvalidModelException("ONNX Runtime cannot load the model")))
                .isFalse();
        assertThat(
                        TransientFailures.isTransient(
                                new ModelRegistryException(
                                        "model fraud has no version 3-logreg",
                                        new NoSuchFileException("metadata.json"))))
                .isFalse();
    }
}
