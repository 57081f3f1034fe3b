package io.vigil.models;

/**
 * A model cannot be used as described: ONNX Runtime cannot load it, its inputs or outputs do not
 * match its metadata, it asks for features no known feature view provides, or its file does not
 * match its recorded sha256.
 */
public class InvalidModelException extends ModelRegistryException {

    public InvalidModelException(String message) {
        super(message);
    }

    public InvalidModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
