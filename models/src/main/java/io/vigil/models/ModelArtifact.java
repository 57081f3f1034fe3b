package io.vigil.models;

import java.util.Objects;

/**
 * A registered model version as read from a registry: its metadata and the ONNX bytes, already
 * checked against the recorded sha256. The array is not copied; treat it as read-only.
 */
public record ModelArtifact(ModelMetadata metadata, byte[] onnx) {

    public ModelArtifact {
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(onnx, "onnx");
    }
}
