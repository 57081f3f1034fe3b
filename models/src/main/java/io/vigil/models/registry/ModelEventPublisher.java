package io.vigil.models.registry;

import io.vigil.schemas.ModelEvent;

/**
 * Where the registry announces its changes, in order, after storing them. Implementations return
 * only once the event is durable, or throw.
 */
public interface ModelEventPublisher {

    void publish(ModelEvent event);

    /** For offline use (a registry nobody listens to): events exist only in the audit log. */
    static ModelEventPublisher none() {
        return event -> {};
    }
}
