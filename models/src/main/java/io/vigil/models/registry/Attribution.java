package io.vigil.models.registry;

/** Who asks for a registry change and why; both end up in the audit log and the model event. */
public record Attribution(String actor, String reason) {

    public Attribution {
        if (actor == null || actor.isBlank()) {
            throw new IllegalArgumentException("a registry change needs an actor (who)");
        }
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("a registry change needs a reason (why)");
        }
    }
}
