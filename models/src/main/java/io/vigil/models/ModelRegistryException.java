package io.vigil.models;

/**
 * A registry operation was refused or failed; the message names the model, the version and why.
 * Nothing was changed unless the message says so.
 */
public class ModelRegistryException extends RuntimeException {

    public ModelRegistryException(String message) {
        super(message);
    }

    public ModelRegistryException(String message, Throwable cause) {
        super(message, cause);
    }
}
